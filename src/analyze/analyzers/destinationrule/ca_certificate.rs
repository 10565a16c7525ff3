//! `destinationrule.CaCertificateAnalyzer`: a DestinationRule that originates TLS (`SIMPLE` or
//! `MUTUAL`) without `caCertificates` does not verify the server it talks to (IST0128 for the
//! rule-wide policy, IST0129 for each port-level policy).
//!
//! A policy that names a `credentialName` in a DestinationRule with a `workloadSelector` is
//! exempt: there the CA comes with the credential (as for gateways), so nothing is missing.

use crate::analyze::catalogue::{IST0128, IST0129};
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::views;
use crate::resource::{Kind, Node};

pub struct CaCertificateAnalyzer;

static METADATA: Metadata = Metadata {
    name: "destinationrule.CaCertificateAnalyzer",
    description: "Checks if caCertificates is set when TLS mode is SIMPLE/MUTUAL",
    inputs: &[Kind::DestinationRule],
    codes: &[&IST0128, &IST0129],
};

/// The TLS modes that originate TLS, as their enum names (the API also takes the numbers).
fn originating_mode(tls: &Node) -> Option<&'static str> {
    match tls.path(&["mode"]).text() {
        "SIMPLE" | "1" => Some("SIMPLE"),
        "MUTUAL" | "2" => Some("MUTUAL"),
        _ => None,
    }
}

/// The mode a `tls` block reports about, when it originates TLS without a CA to verify with.
fn unverified_mode(tls: &Node, has_workload_selector: bool) -> Option<&'static str> {
    let mode = originating_mode(tls)?;
    let has_ca = !tls.path(&["caCertificates"]).text().is_empty();
    let credential_carries_ca =
        !tls.path(&["credentialName"]).text().is_empty() && has_workload_selector;
    (!has_ca && !credential_carries_ca).then_some(mode)
}

/// A port selector as Istio prints it (`number:443`), or "" without one.
fn port_selector_text(port: &Node) -> String {
    match port.path(&["number"]).as_i64() {
        Some(n) if n != 0 => format!("number:{n}"),
        _ => String::new(),
    }
}

impl Analyzer for CaCertificateAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        for dr in ctx
            .snapshot
            .of_kind(Kind::DestinationRule)
            .filter_map(views::DestinationRule::of)
        {
            // Present at all, even empty, as Istio's message type sees it.
            let has_workload_selector = dr
                .spec()
                .get("workloadSelector")
                .is_some_and(|n| !n.is_null());
            let policy = dr.spec().path(&["trafficPolicy"]);
            if let Some(mode) = unverified_mode(policy.path(&["tls"]), has_workload_selector) {
                ctx.report(
                    &IST0128,
                    dr.resource(),
                    Some("spec.trafficPolicy.tls.caCertificates".into()),
                    vec![
                        dr.full_name().into(),
                        dr.namespace.clone().into(),
                        mode.into(),
                        dr.host().into(),
                    ],
                );
            }
            for (i, settings) in policy
                .path(&["portLevelSettings"])
                .as_seq()
                .iter()
                .enumerate()
            {
                let Some(mode) = unverified_mode(settings.path(&["tls"]), has_workload_selector)
                else {
                    continue;
                };
                ctx.report(
                    &IST0129,
                    dr.resource(),
                    Some(format!(
                        "spec.trafficPolicy.portLevelSettings[{i}].tls.caCertificates"
                    )),
                    vec![
                        dr.full_name().into(),
                        dr.namespace.clone().into(),
                        mode.into(),
                        dr.host().into(),
                        port_selector_text(settings.path(&["port"])).into(),
                    ],
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::CaCertificateAnalyzer;
    use crate::analyze::testing::findings;

    #[test]
    fn tls_origination_without_ca_is_reported_per_policy() {
        let input = "\
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: db, namespace: data}
spec:
  host: db.example.com
  trafficPolicy:
    tls: {mode: MUTUAL, caCertificates: ''}
    portLevelSettings:
    - port: {number: 5432}
      tls: {mode: SIMPLE}
    - port: {number: 5433}
      tls: {mode: ISTIO_MUTUAL}
    - port: {number: 5434}
      tls: {mode: SIMPLE, caCertificates: /etc/ca.pem}
";
        assert_eq!(
            findings(&CaCertificateAnalyzer, input),
            vec![
                "Warning [IST0128] (DestinationRule data/db t.yaml:7:25) DestinationRule data/db in namespace \
                 data has TLS mode set to MUTUAL but no caCertificates are set to validate server identity \
                 for host: db.example.com",
                "Warning [IST0129] (DestinationRule data/db t.yaml:1:1) DestinationRule data/db in namespace \
                 data has TLS mode set to SIMPLE but no caCertificates are set to validate server identity \
                 for host: db.example.com at port number:5432",
            ]
        );
    }

    #[test]
    fn credential_with_workload_selector_is_exempt() {
        let input = "\
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: db, namespace: data}
spec:
  host: db.example.com
  workloadSelector: {matchLabels: {app: client}}
  trafficPolicy:
    tls: {mode: SIMPLE, credentialName: db-ca}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: db2, namespace: data}
spec:
  host: db.example.com
  trafficPolicy:
    tls: {mode: SIMPLE, credentialName: db-ca}
";
        let got = findings(&CaCertificateAnalyzer, input);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert!(got[0].contains("(DestinationRule data/db2 "), "{got:#?}");
    }
}
