//! `gateway.SecretAnalyzer`: the Secret a Gateway server names in `tls.credentialName` must
//! exist in the namespace of the gateway workload (IST0101) and hold a usable certificate and
//! key (IST0161). A gateway whose selector picks no workload at all has no such namespace, which
//! is reported as a missing selector target (IST0101).

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use super::ingress_gateway_port::SELECTOR_CHECK;
use crate::analyze::catalogue::{IST0101, IST0161};
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::Kind;
use crate::resource::views;

pub struct SecretAnalyzer;

/// The credential is looked up next to the gateway's workload: without one, it is not checked.
pub const CREDENTIAL_CHECK: &str = "IST0101/IST0161 (tls.credentialName)";

static METADATA: Metadata = Metadata {
    name: "gateway.SecretAnalyzer",
    description: "Checks a gateway's referenced secrets for correctness",
    inputs: &[Kind::Gateway, Kind::Pod, Kind::Secret],
    codes: &[&IST0101, &IST0161],
};

impl Analyzer for SecretAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let now = unix_seconds(ctx.now);
        // Many gateways often share one wildcard credential: judge each Secret once.
        let mut verdicts: HashMap<usize, bool> = HashMap::new();
        for gw in snap.of_kind(Kind::Gateway).filter_map(views::Gateway::of) {
            let selector = gw.selector();
            let checks: &[&str] = if gw.servers().any(|s| !s.credential_name().is_empty()) {
                &[SELECTOR_CHECK, CREDENTIAL_CHECK]
            } else {
                &[SELECTOR_CHECK]
            };
            if !ctx.can_look_up(gw.resource(), &selector, checks) {
                continue;
            }
            // The credential lives next to the gateway's workload, not next to the Gateway
            // resource. Like istioctl, the first matching workload decides; one without a
            // namespace counts as no workload.
            let workload_ns = snap
                .workloads_matching(&selector, None, false)
                .next()
                .map(|w| w.namespace.as_str())
                .unwrap_or("");
            if workload_ns.is_empty() {
                ctx.report(
                    &IST0101,
                    gw.resource(),
                    gw.selector_field(),
                    vec!["selector".into(), selector.to_string().into()],
                );
                continue;
            }
            for server in gw.servers() {
                if server.tls().is_none() {
                    continue;
                }
                let credential = server.credential_name();
                if credential.is_empty() {
                    continue;
                }
                let (secret_ns, secret_name) = credential
                    .split_once('/')
                    .unwrap_or((workload_ns, credential));
                let field = Some(server.field("tls.credentialName"));
                match snap.get(Kind::Secret, secret_ns, secret_name) {
                    None => ctx.report(
                        &IST0101,
                        gw.resource(),
                        field,
                        vec!["credentialName".into(), credential.into()],
                    ),
                    Some(secret) => {
                        let valid = *verdicts
                            .entry(secret.id)
                            .or_insert_with(|| credential_is_valid(views::Secret(secret), now));
                        if !valid {
                            ctx.report(
                                &IST0161,
                                gw.resource(),
                                field,
                                vec![gw.name.clone().into(), workload_ns.into()],
                            );
                        }
                    }
                }
            }
        }
    }
}

fn unix_seconds(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Whether a gateway can serve with this Secret at `now` (seconds since the epoch): it holds a
/// non-empty `cert` and `key` (or else `tls.crt` and `tls.key`), and the certificate is current.
fn credential_is_valid(secret: views::Secret<'_>, now: i64) -> bool {
    let pair = |cert: &str, key: &str| match (secret.value(cert), secret.value(key)) {
        (Some(c), Some(k)) if !c.is_empty() && !k.is_empty() => Some(c),
        _ => None,
    };
    match pair("cert", "key").or_else(|| pair("tls.crt", "tls.key")) {
        Some(cert) => certificate_is_current(&cert, now),
        None => false,
    }
}

/// The first PEM block must hold DER certificates that all parse and are within their validity
/// period at `now`. Like Istio, the block's label is not checked and later blocks are ignored.
fn certificate_is_current(pem: &[u8], now: i64) -> bool {
    let Ok((_, block)) = x509_parser::pem::parse_x509_pem(pem) else {
        return false;
    };
    let mut der = block.contents.as_slice();
    while !der.is_empty() {
        let Ok((rest, cert)) = x509_parser::parse_x509_certificate(der) else {
            return false;
        };
        let validity = cert.validity();
        if now < validity.not_before.timestamp() || now > validity.not_after.timestamp() {
            return false;
        }
        der = rest;
    }
    true
}

#[cfg(test)]
mod tests {
    use base64::Engine;

    use super::*;
    use crate::analyze::testing::{self, Mode};

    /// Self-signed, valid 2020-01-01 to 2020-01-02.
    const EXPIRED: &str = "-----BEGIN CERTIFICATE-----
MIIBLTCB06ADAgECAgEBMAoGCCqGSM49BAMCMCAxHjAcBgNVBAMMFWV4cGlyZWQu
bWVzaGRlY2sudGVzdDAeFw0yMDAxMDEwMDAwMDBaFw0yMDAxMDIwMDAwMDBaMCAx
HjAcBgNVBAMMFWV4cGlyZWQubWVzaGRlY2sudGVzdDBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABNlW2qwOcf2waidw5EMYqCgpXPNfIoBkd79B4G6Ohu25Inmywuof
bQHZns32xMWlEYbcesUdQ27lAOKdvqnLg3EwCgYIKoZIzj0EAwIDSQAwRgIhAMpo
GUucRtogb6Q+3Cu1n97Sd/O+ekrryQlXr3i2y+MzAiEAhIymyvnJ19B/WrPInyb9
M2qnRZ+21LqqFiLGxUN6m2c=
-----END CERTIFICATE-----
";

    /// Self-signed, valid 2020-01-01 to 9999-12-31.
    const CURRENT: &str = "-----BEGIN CERTIFICATE-----
MIIBLjCB1aADAgECAgECMAoGCCqGSM49BAMCMCAxHjAcBgNVBAMMFWN1cnJlbnQu
bWVzaGRlY2sudGVzdDAgFw0yMDAxMDEwMDAwMDBaGA85OTk5MTIzMTIzNTk1OVow
IDEeMBwGA1UEAwwVY3VycmVudC5tZXNoZGVjay50ZXN0MFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAE2VbarA5x/bBqJ3DkQxioKClc818igGR3v0Hgbo6G7bkiebLC
6h9tAdmezfbExaURhtx6xR1DbuUA4p2+qcuDcTAKBggqhkjOPQQDAgNIADBFAiEA
42+9Nqidto/Bx4Uj0GO9XjFZYWiNK7Jh4ncBtO9vcegCIFGSX/Q62jjCARsNvNBL
EQrV5thZwCDLaT/VLVhJTelR
-----END CERTIFICATE-----
";

    const JAN_1_2020: i64 = 1_577_836_800;

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    fn run(text: &str) -> Vec<(String, String, Option<String>)> {
        let mut got: Vec<_> = testing::run(&SecretAnalyzer, text, Mode::Harness)
            .into_iter()
            .map(|f| (f.code().to_string(), f.origin.unwrap_or_default(), f.field))
            .collect();
        got.sort();
        got
    }

    fn input(secrets: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: gw, namespace: gw-ns, labels: {{app: gw}}}}\n---\n\
             apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {{name: g, namespace: apps}}\n\
             spec:\n  selector: {{app: gw}}\n  servers:\n  - port: {{number: 443, name: https, protocol: HTTPS}}\n    \
             hosts: ['*']\n    tls: {{mode: SIMPLE, credentialName: cred}}\n---\n{secrets}"
        )
    }

    #[test]
    fn validity_window_is_checked_against_the_given_time() {
        assert!(certificate_is_current(CURRENT.as_bytes(), JAN_1_2020));
        assert!(!certificate_is_current(CURRENT.as_bytes(), JAN_1_2020 - 1));
        assert!(certificate_is_current(
            EXPIRED.as_bytes(),
            JAN_1_2020 + 3600
        ));
        assert!(!certificate_is_current(
            EXPIRED.as_bytes(),
            JAN_1_2020 + 2 * 86_400 + 1
        ));
        assert!(!certificate_is_current(b"not a certificate", JAN_1_2020));
        let junk_first = format!("leading text\n{CURRENT}");
        assert!(certificate_is_current(junk_first.as_bytes(), JAN_1_2020));
    }

    #[test]
    fn expired_certificate_is_an_invalid_credential() {
        let secret = format!(
            "apiVersion: v1\nkind: Secret\nmetadata: {{name: cred, namespace: gw-ns}}\ntype: kubernetes.io/tls\n\
             data:\n  tls.crt: {}\n  tls.key: {}\n",
            b64(EXPIRED),
            b64("key")
        );
        assert_eq!(
            run(&input(&secret)),
            vec![(
                "IST0161".into(),
                "Gateway apps/g".into(),
                Some("spec.servers[0].tls.credentialName".into())
            )]
        );
    }

    #[test]
    fn current_certificate_under_either_key_pair_is_fine() {
        for (c, k) in [("tls.crt", "tls.key"), ("cert", "key")] {
            let secret = format!(
                "apiVersion: v1\nkind: Secret\nmetadata: {{name: cred, namespace: gw-ns}}\ndata:\n  {c}: {}\n  {k}: {}\n",
                b64(CURRENT),
                b64("key")
            );
            assert_eq!(run(&input(&secret)), vec![], "{c}/{k}");
        }
    }

    #[test]
    fn empty_key_is_an_invalid_credential() {
        let secret = format!(
            "apiVersion: v1\nkind: Secret\nmetadata: {{name: cred, namespace: gw-ns}}\ndata:\n  tls.crt: {}\n  tls.key: ''\n",
            b64(CURRENT)
        );
        assert_eq!(run(&input(&secret))[0].0, "IST0161");
    }

    #[test]
    fn secret_is_looked_up_in_the_workload_namespace_or_the_named_one() {
        // The Secret sits next to the Gateway resource, not the gateway pod: not found.
        let beside_gateway = format!(
            "apiVersion: v1\nkind: Secret\nmetadata: {{name: cred, namespace: apps}}\ndata:\n  cert: {}\n  key: {}\n",
            b64(CURRENT),
            b64("key")
        );
        let got = run(&input(&beside_gateway));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "IST0101");
        // A qualified credentialName points at its own namespace.
        let qualified =
            input(&beside_gateway).replace("credentialName: cred", "credentialName: apps/cred");
        assert_eq!(run(&qualified), vec![]);
    }

    #[test]
    fn selector_without_workload_is_reported_once_per_gateway() {
        let text = input("").replace("selector: {app: gw}", "selector: {app: none}");
        assert_eq!(
            run(&text),
            vec![(
                "IST0101".into(),
                "Gateway apps/g".into(),
                Some("spec.selector.app".into())
            )]
        );
    }

    /// The verdict follows the clock the run is given, not today's date.
    #[test]
    fn the_run_clock_decides_expiry() {
        use std::time::{Duration, UNIX_EPOCH};

        use crate::analyze::MeshConfig;
        use crate::resource::{LoadOptions, Snapshot, SourceText, parse_source};

        let secret = format!(
            "apiVersion: v1\nkind: Secret\nmetadata: {{name: cred, namespace: gw-ns}}\ndata:\n  cert: {}\n  key: {}\n",
            b64(EXPIRED),
            b64("key")
        );
        let (resources, _) = parse_source(
            &SourceText::new("t.yaml", input(&secret)),
            &LoadOptions::default(),
        );
        let snapshot = Snapshot::new(resources, false);
        let codes_at = |secs: u64| -> Vec<&str> {
            let now = UNIX_EPOCH + Duration::from_secs(secs);
            let outcome = crate::analyze::run_at(
                &snapshot,
                &MeshConfig::default(),
                "istio-system",
                &[&SecretAnalyzer],
                false,
                now,
            );
            outcome.findings.iter().map(|f| f.code()).collect()
        };
        let jan_1 = JAN_1_2020 as u64;
        assert_eq!(
            codes_at(jan_1 + 3600),
            Vec::<&str>::new(),
            "valid on 1 January 2020"
        );
        assert_eq!(
            codes_at(jan_1 + 3 * 86_400),
            vec!["IST0161"],
            "expired by the 3rd"
        );
    }
}
