//! `deployment.MultiServiceAnalyzer`: the Services that select one meshed Deployment's pods must
//! agree. The same service port with different protocols (IST0116) or the same target port
//! behind different service ports (IST0137) leaves the sidecar with two listeners' worth of
//! configuration for one port.
//!
//! A Deployment is in the mesh when its pod template runs an `istio-proxy` container with an
//! image, or else says so with `sidecar.istio.io/inject` (label before annotation, exactly
//! `"true"`), or else its Namespace has `istio-injection=enabled`. Waypoints
//! (`gateway.istio.io/managed=istio.io-mesh-controller`) are skipped. A Service selects the
//! Deployment when it is in the same namespace and its non-empty selector matches the template
//! labels; a port without `protocol` counts as TCP.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::analyze::catalogue::{IST0116, IST0137};
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::snapshot::pod_template;
use crate::resource::{Kind, Labels, Resource, Selector, Snapshot, views};

pub struct MultiServiceAnalyzer;

static METADATA: Metadata = Metadata {
    name: "deployment.MultiServiceAnalyzer",
    description: "Checks association between services and pods",
    inputs: &[Kind::Service, Kind::Deployment, Kind::Namespace],
    codes: &[&IST0116, &IST0137],
};

const SIDECAR_INJECT: &str = "sidecar.istio.io/inject";

fn string_map(node: &crate::resource::Node) -> Labels {
    node.string_map()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn in_mesh(snap: &Snapshot, deployment: &Resource, labels: &Labels) -> bool {
    let has_proxy = views::containers(deployment)
        .iter()
        .filter(|c| !c.init)
        .find(|c| c.name() == "istio-proxy")
        .is_some_and(|c| !c.image().is_empty());
    if has_proxy {
        return true;
    }
    let annotations = string_map(pod_template(deployment).path(&["metadata", "annotations"]));
    if let Some(v) = labels
        .get(SIDECAR_INJECT)
        .or_else(|| annotations.get(SIDECAR_INJECT))
    {
        return v == "true";
    }
    snap.get(Kind::Namespace, "", &deployment.namespace)
        .is_some_and(|ns| {
            ns.labels
                .get("istio-injection")
                .is_some_and(|v| v == "enabled")
        })
}

/// What the analysis needs of a Service, read once.
struct ServiceInfo<'a> {
    namespace: &'a str,
    full_name: String,
    selector: Selector,
    /// `(port, protocol, targetPort)`: protocol TCP when absent, targetPort the port when absent
    /// or 0.
    ports: Vec<(i64, &'a str, String)>,
}

impl<'a> ServiceInfo<'a> {
    fn new(svc: views::Service<'a>) -> ServiceInfo<'a> {
        let ports = svc
            .ports()
            .map(|port| {
                let number = port.port().unwrap_or(0);
                let protocol = match port.protocol() {
                    "" => "TCP",
                    p => p,
                };
                let target = match port.target_port_text() {
                    "" | "0" => number.to_string(),
                    t => t.to_string(),
                };
                (number, protocol, target)
            })
            .collect();
        ServiceInfo {
            namespace: svc.0.namespace.as_str(),
            full_name: svc.full_name(),
            selector: svc.selector(),
            ports,
        }
    }
}

impl Analyzer for MultiServiceAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        // Services by (namespace, first selector pair): a Service can only select pods that
        // carry that pair, so each Deployment looks up candidates by its own labels.
        let services: Vec<ServiceInfo<'_>> = snap
            .of_kind(Kind::Service)
            .map(views::Service)
            .map(ServiceInfo::new)
            .filter(|s| !s.selector.is_empty())
            .collect();
        let mut by_pair: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
        for (i, s) in services.iter().enumerate() {
            let (k, v) = &s.selector.pairs()[0];
            by_pair.entry((s.namespace, k, v)).or_default().push(i);
        }

        for deployment in snap.of_kind(Kind::Deployment) {
            if deployment
                .labels
                .get("gateway.istio.io/managed")
                .is_some_and(|v| v == "istio.io-mesh-controller")
            {
                continue;
            }
            let labels = string_map(pod_template(deployment).path(&["metadata", "labels"]));
            if !in_mesh(snap, deployment, &labels) {
                continue;
            }
            let matching: BTreeSet<usize> = labels
                .iter()
                .filter_map(|(k, v)| {
                    by_pair.get(&(deployment.namespace.as_str(), k.as_str(), v.as_str()))
                })
                .flatten()
                .copied()
                .filter(|&i| services[i].selector.matches(&labels))
                .collect();

            // port -> protocol -> services; targetPort -> port -> service (last one wins).
            let mut protocols: BTreeMap<i64, BTreeMap<&str, Vec<&str>>> = BTreeMap::new();
            let mut targets: BTreeMap<&str, BTreeMap<i64, &str>> = BTreeMap::new();
            for &i in &matching {
                let svc = &services[i];
                for (number, protocol, target) in &svc.ports {
                    protocols
                        .entry(*number)
                        .or_default()
                        .entry(protocol)
                        .or_default()
                        .push(&svc.full_name);
                    targets
                        .entry(target)
                        .or_default()
                        .insert(*number, &svc.full_name);
                }
            }

            let field = Some("metadata.name".to_string());
            for (port, by_protocol) in &protocols {
                if by_protocol.len() > 1 {
                    let mut names: Vec<String> = by_protocol
                        .values()
                        .flatten()
                        .map(|n| n.to_string())
                        .collect();
                    names.sort();
                    ctx.report(
                        &IST0116,
                        deployment,
                        field.clone(),
                        vec![deployment.name.clone().into(), (*port).into(), names.into()],
                    );
                }
            }
            for (target, by_port) in &targets {
                if by_port.len() > 1 {
                    let names: Vec<String> = by_port.values().map(|n| n.to_string()).collect();
                    let ports: Vec<i64> = by_port.keys().copied().collect();
                    ctx.report(
                        &IST0137,
                        deployment,
                        field.clone(),
                        vec![
                            deployment.name.clone().into(),
                            names.into(),
                            (*target).into(),
                            ports.into(),
                        ],
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::testing;

    fn run(text: &str) -> Vec<String> {
        testing::findings(&MultiServiceAnalyzer, text)
    }

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    \
                              metadata: {labels: {app: web, sidecar.istio.io/inject: 'true'}}\n    \
                              spec: {containers: [{name: web, image: web}]}\n";

    fn service(name: &str, selector: &str, ports: &str) -> String {
        format!(
            "---\napiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec:\n  selector: {selector}\n  ports: {ports}\n"
        )
    }

    #[test]
    fn defaulted_protocol_is_tcp() {
        // File input gets protocol TCP by defaulting: no conflict between an explicit and an
        // implicit TCP port.
        let text = [
            DEPLOYMENT.to_string(),
            service("a", "{app: web}", "[{name: http, port: 80}]"),
            service("b", "{app: web}", "[{name: tcp, port: 80, protocol: TCP}]"),
            service("c", "{app: web}", "[{name: u, port: 80, protocol: UDP}]"),
        ]
        .concat();
        let got = run(&text);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert!(
            got[0].contains("port 80 but different protocols: [default/a default/b default/c]"),
            "{}",
            got[0]
        );
    }

    #[test]
    fn target_ports_collide_and_selectorless_services_do_not_count() {
        let text = [
            DEPLOYMENT.to_string(),
            service(
                "a",
                "{app: web}",
                "[{name: http, port: 80, targetPort: 8080}]",
            ),
            service(
                "b",
                "{app: web}",
                "[{name: http-alt, port: 81, targetPort: '8080'}]",
            ),
            service("none", "{}", "[{name: http, port: 82, targetPort: 8080}]"),
            service(
                "other",
                "{app: other}",
                "[{name: http, port: 83, targetPort: 8080}]",
            ),
        ]
        .concat();
        let got = run(&text);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert!(
            got[0].ends_with(r#"multiple services [default/a default/b] using targetPort "8080" but different ports: [80 81]."#),
            "{}",
            got[0]
        );
    }

    #[test]
    fn deployments_outside_the_mesh_are_skipped() {
        let text = [
            DEPLOYMENT.replace("'true'", "'false'"),
            service("a", "{app: web}", "[{name: http, port: 80, protocol: TCP}]"),
            service("b", "{app: web}", "[{name: udp, port: 80, protocol: UDP}]"),
        ]
        .concat();
        assert_eq!(run(&text), Vec::<String>::new());
    }
}
