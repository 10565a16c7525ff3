//! `gateway.CertificateAnalyzer`: two Gateways served by the same workloads should not present
//! the same certificate on TLS servers (IST0138), because HTTP/2 clients re-use a connection for
//! every host the certificate covers and then get 404s from the Gateway that does not own the host.
//!
//! Gateway G is compared with every other Gateway whose selector contains all of G's selector
//! pairs (an empty selector is contained in every selector), across namespaces. Two servers share
//! a certificate when both name the same `credentialName`, or when neither names one and both set
//! the same non-empty `serverCertificate` and the same non-empty `privateKey`.
//! istioctl limits the comparison to one namespace when PILOT_SCOPE_GATEWAY_TO_NAMESPACE is set
//! in its environment; meshdeck does not read that control-plane setting.

use std::collections::{BTreeSet, HashMap};

use crate::analyze::catalogue::IST0138;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::{Kind, Node, views};

pub struct CertificateAnalyzer;

static METADATA: Metadata = Metadata {
    name: "gateway.CertificateAnalyzer",
    description: "Checks a gateway certificate",
    inputs: &[Kind::Gateway],
    codes: &[&IST0138],
};

/// What makes two TLS servers present the same certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Certificate<'a> {
    Credential(&'a str),
    Files { cert: &'a str, key: &'a str },
}

fn certificate(tls: &Node) -> Option<Certificate<'_>> {
    let credential = tls.path(&["credentialName"]).text();
    if !credential.is_empty() {
        return Some(Certificate::Credential(credential));
    }
    let cert = tls.path(&["serverCertificate"]).text();
    let key = tls.path(&["privateKey"]).text();
    (!cert.is_empty() && !key.is_empty()).then_some(Certificate::Files { cert, key })
}

impl Analyzer for CertificateAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let gateways: Vec<_> = snap
            .of_kind(Kind::Gateway)
            .filter_map(views::Gateway::of)
            .map(|gw| {
                let certs: Vec<Certificate<'_>> = gw
                    .servers()
                    .filter_map(|s| s.tls())
                    .filter_map(certificate)
                    .collect();
                (gw, gw.selector(), certs)
            })
            .collect();
        // Certificate -> gateways presenting it, so only gateways sharing one are compared.
        let mut by_certificate: HashMap<Certificate<'_>, Vec<usize>> = HashMap::new();
        for (i, (_, _, certs)) in gateways.iter().enumerate() {
            for cert in certs {
                let list = by_certificate.entry(*cert).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        // Selector pair -> gateways whose selector has it: a gateway containing G's selector has
        // every one of G's pairs.
        let mut by_pair: HashMap<&(String, String), Vec<usize>> = HashMap::new();
        for (i, (_, selector, certs)) in gateways.iter().enumerate() {
            if !certs.is_empty() {
                for pair in selector.pairs() {
                    by_pair.entry(pair).or_default().push(i);
                }
            }
        }
        for (i, (gw, selector, certs)) in gateways.iter().enumerate() {
            if certs.is_empty() {
                continue;
            }
            // Candidates come from whichever index gives fewer: the gateways sharing one of
            // G's certificates, or those carrying G's least common selector pair.
            let sharing: Vec<&Vec<usize>> = certs.iter().map(|c| &by_certificate[c]).collect();
            let rarest = selector
                .pairs()
                .iter()
                .map(|p| &by_pair[p])
                .min_by_key(|l| l.len());
            let candidates: Box<dyn Iterator<Item = usize> + '_> = match rarest {
                Some(list) if list.len() < sharing.iter().map(|l| l.len()).sum::<usize>() => {
                    Box::new(
                        list.iter()
                            .copied()
                            .filter(|&j| gateways[j].2.iter().any(|c| certs.contains(c))),
                    )
                }
                _ => Box::new(sharing.iter().flat_map(|l| l.iter().copied())),
            };
            let duplicates: BTreeSet<usize> = candidates
                .filter(|&j| j != i && selector.is_subset_of(&gateways[j].1))
                .collect();
            for j in duplicates {
                ctx.report(
                    &IST0138,
                    gw.resource(),
                    Some("metadata.name".into()),
                    vec![vec![gw.full_name(), gateways[j].0.full_name()].into()],
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::testing::{self, Mode};

    fn run(text: &str) -> Vec<String> {
        let mut got: Vec<String> = testing::run(&CertificateAnalyzer, text, Mode::Harness)
            .iter()
            .map(|f| f.log_line())
            .collect();
        got.sort();
        got
    }

    fn gateway(name: &str, selector: &str, tls: &str) -> String {
        format!(
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {{name: {name}, namespace: ns}}\n\
             spec:\n  selector: {selector}\n  servers:\n  - port: {{number: 443, name: https, protocol: HTTPS}}\n    \
             hosts: ['{name}.example.com']\n    tls: {tls}\n---\n"
        )
    }

    #[test]
    fn file_certificates_need_the_same_certificate_and_key() {
        let text = [
            gateway(
                "a",
                "{istio: in}",
                "{mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem}",
            ),
            gateway(
                "b",
                "{istio: in}",
                "{mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem}",
            ),
            gateway(
                "c",
                "{istio: in}",
                "{mode: SIMPLE, serverCertificate: /c.pem, privateKey: /other.pem}",
            ),
            gateway(
                "d",
                "{istio: in}",
                "{mode: SIMPLE, serverCertificate: /c.pem}",
            ),
            gateway("e", "{istio: in}", "{mode: SIMPLE, credentialName: /c.pem}"),
        ]
        .concat();
        let got = run(&text);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert!(got[0].contains("(Gateway ns/a") && got[0].contains("gateways [ns/a ns/b]"));
        assert!(got[1].contains("(Gateway ns/b") && got[1].contains("gateways [ns/b ns/a]"));
    }

    #[test]
    fn empty_selector_compares_with_every_gateway_but_not_the_reverse() {
        let text = [
            gateway("all", "{}", "{mode: SIMPLE, credentialName: wildcard}"),
            gateway(
                "some",
                "{istio: in}",
                "{mode: SIMPLE, credentialName: wildcard}",
            ),
        ]
        .concat();
        let got = run(&text);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert!(got[0].contains("(Gateway ns/all"));
    }

    #[test]
    fn candidates_from_the_selector_index_still_need_a_shared_certificate() {
        let wild = "{mode: SIMPLE, credentialName: wild}";
        let text = [
            gateway("g1", "{istio: in, team: a}", wild),
            gateway("g2", "{istio: in, team: a}", wild),
            gateway("g3", "{istio: in, team: b}", wild),
            gateway("g4", "{istio: in}", wild),
            gateway(
                "g5",
                "{istio: in, team: a}",
                "{mode: SIMPLE, credentialName: other}",
            ),
        ]
        .concat();
        let got = run(&text);
        let pairs: Vec<&str> = got.iter().map(|l| &l[l.find('[').unwrap()..]).collect();
        assert_eq!(got.len(), 5, "{got:#?}");
        for want in [
            "[ns/g1 ns/g2]",
            "[ns/g2 ns/g1]",
            "[ns/g4 ns/g1]",
            "[ns/g4 ns/g2]",
            "[ns/g4 ns/g3]",
        ] {
            assert!(got.iter().any(|l| l.contains(want)), "{want} in {pairs:#?}");
        }
    }
}
