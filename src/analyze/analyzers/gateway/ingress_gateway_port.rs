//! `gateway.IngressGatewayPortAnalyzer`: a Gateway's server ports must be reachable through a
//! Service of the workloads its selector picks (IST0162), and the selector must pick some
//! workload at all (IST0101, the "mismatched selector label" trap).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::analyze::catalogue::{IST0101, IST0162};
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::views::{self, TargetPort};
use crate::resource::{Kind, Selector, Snapshot};

pub struct IngressGatewayPortAnalyzer;

/// The checks a file-only run skips when the input holds no workload the selector could pick.
pub const SELECTOR_CHECK: &str = "IST0101 (selector)";
pub const PORTS_CHECK: &str = "IST0162 (server ports)";

static METADATA: Metadata = Metadata {
    name: "gateway.IngressGatewayPortAnalyzer",
    description: "Checks a gateway's ports against the gateway's Kubernetes service ports",
    inputs: &[Kind::Gateway, Kind::Pod, Kind::Service],
    codes: &[&IST0101, &IST0162],
};

impl Analyzer for IngressGatewayPortAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let mut near_misses: Option<LabelValues> = None;
        for gw in snap.of_kind(Kind::Gateway).filter_map(views::Gateway::of) {
            let selector = gw.selector();
            if !ctx.can_look_up(gw.resource(), &selector, &[SELECTOR_CHECK, PORTS_CHECK]) {
                continue;
            }
            // Ports a server may use: TCP service ports (or their numeric target ports) of every
            // Service that selects a workload the gateway selects, in that workload's namespace.
            let mut accepted: HashSet<i64> = HashSet::new();
            let mut mapped_service_ports: HashSet<i64> = HashSet::new();
            let mut matched = 0usize;
            let mut seen_services: HashSet<usize> = HashSet::new();
            for workload in snap.workloads_matching(&selector, None, false) {
                matched += 1;
                for svc in snap.services_selecting(&workload.namespace, &workload.labels) {
                    let svc = views::Service(svc);
                    if !seen_services.insert(svc.id) {
                        continue;
                    }
                    for port in svc.ports().filter(|p| p.protocol() == "TCP") {
                        let Some(number) = port.port() else { continue };
                        match port.target_port() {
                            TargetPort::Number(target) => {
                                accepted.insert(target);
                                mapped_service_ports.insert(number);
                            }
                            _ => {
                                accepted.insert(number);
                            }
                        }
                    }
                }
            }
            let field = gw.selector_field();
            if matched == 0 {
                ctx.report(
                    &IST0101,
                    gw.resource(),
                    field,
                    vec!["selector".into(), selector.to_string().into()],
                );
                let near = near_misses.get_or_insert_with(|| LabelValues::of(snap));
                if let Some(hint) = near.hint(&selector) {
                    ctx.hint(hint);
                }
                continue;
            }
            for server in gw.servers().filter(|s| s.has_port()) {
                let number = server.port_number().unwrap_or(0);
                if !accepted.contains(&number) && !mapped_service_ports.contains(&number) {
                    ctx.report(
                        &IST0162,
                        gw.resource(),
                        Some(server.field("port.number")),
                        vec![number.into(), selector.to_string().into()],
                    );
                }
            }
        }
    }
}

/// For each label key, the values workloads carry and where: enough to say what a selector that
/// matches nothing was probably meant to be (the Helm chart labels its ingress `istio=ingress`,
/// the docs select `istio=ingressgateway`). Built only when some selector matches nothing.
struct LabelValues {
    by_key: BTreeMap<String, BTreeSet<(String, String)>>,
}

impl LabelValues {
    fn of(snap: &Snapshot) -> LabelValues {
        let mut by_key: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
        for w in snap.workloads() {
            for (k, v) in &w.labels {
                by_key
                    .entry(k.clone())
                    .or_default()
                    .insert((v.clone(), w.namespace.clone()));
            }
        }
        LabelValues { by_key }
    }

    /// "workloads are labelled istio=ingress (namespace istio-ingress)" for the selector's keys.
    fn hint(&self, selector: &Selector) -> Option<String> {
        let mut seen = Vec::new();
        for (key, wanted) in selector.pairs() {
            for (value, ns) in self.by_key.get(key).into_iter().flatten() {
                let text = if ns.is_empty() {
                    format!("{key}={value}")
                } else {
                    format!("{key}={value} (namespace {ns})")
                };
                if value != wanted && seen.len() < 3 && !seen.contains(&text) {
                    seen.push(text);
                }
            }
        }
        (!seen.is_empty()).then(|| {
            format!(
                "No workload is labelled {selector}, but workloads are labelled {}. Did the selector mean one of these?",
                seen.join(", ")
            )
        })
    }
}

#[cfg(test)]
mod analyzer_tests {
    use super::IngressGatewayPortAnalyzer;
    use crate::analyze::testing::findings;

    /// An ingress as the `istio/gateway` Helm chart installs it: pods labelled `istio: ingress`,
    /// a Service exposing 80 (to 8080) and 443.
    const INGRESS: &str = "\
apiVersion: v1
kind: Pod
metadata: {name: ingress-1, namespace: istio-ingress, labels: {istio: ingress}}
---
apiVersion: v1
kind: Service
metadata: {name: istio-ingress, namespace: istio-ingress}
spec:
  selector: {istio: ingress}
  ports:
  - {name: http2, port: 80, targetPort: 8080}
  - {name: https, port: 443, targetPort: 8443}
";

    fn gateway(selector: &str, port: u16) -> String {
        format!(
            "{INGRESS}---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {{name: gw, namespace: default}}
spec:
  selector: {{istio: {selector}}}
  servers:
  - port: {{number: {port}, name: http, protocol: HTTP}}
    hosts: ['*']
"
        )
    }

    #[test]
    fn a_port_the_service_exposes_is_clean() {
        assert_eq!(
            findings(&IngressGatewayPortAnalyzer, &gateway("ingress", 80)),
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_target_port_counts_as_exposed() {
        // The Gateway listens on the container port the Service targets.
        assert_eq!(
            findings(&IngressGatewayPortAnalyzer, &gateway("ingress", 8080)),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_port_the_service_does_not_expose_is_ist0162() {
        let found = findings(&IngressGatewayPortAnalyzer, &gateway("ingress", 9090));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("Warning [IST0162] (Gateway default/gw t.yaml:")
                && found[0].contains("(port 9090)")
                && found[0].contains("istio=ingress"),
            "{found:?}"
        );
    }

    #[test]
    fn a_selector_matching_no_pod_is_ist0101() {
        let found = findings(&IngressGatewayPortAnalyzer, &gateway("ingressgateway", 80));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("Error [IST0101] (Gateway default/gw t.yaml:")
                && found[0].contains("\"istio=ingressgateway\""),
            "{found:?}"
        );
    }
}
