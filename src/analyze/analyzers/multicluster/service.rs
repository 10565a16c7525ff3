//! `services.MultiClusterServiceAnalyzer` (IST0170): a Service that exists in several clusters of
//! a multi-cluster mesh (the primary and the `--remote-contexts`) must be the same in each, or
//! requests load-balanced across the clusters behave differently by cluster. Compared, as Istio
//! does: headless or not (`clusterIP: None`), `type`, and the ports (the same number of ports,
//! equal once sorted by name).
//!
//! Where we differ: a port's `nodePort` is left out of the comparison, since each cluster
//! assigns its own and two LoadBalancer Services are never equal otherwise; and the clusters and
//! reasons are listed sorted, where istioctl's order follows Go's random map order. Values are
//! compared as written (files) or as served (clusters): a `type` left out in one file and written
//! `ClusterIP` in another differs, as it does in istioctl's file mode.

use std::collections::{BTreeMap, BTreeSet};

use crate::analyze::catalogue::IST0170;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::{Kind, Node, Resource};

pub struct MultiClusterServiceAnalyzer;

static METADATA: Metadata = Metadata {
    name: "services.MultiClusterServiceAnalyzer",
    description: "Check the validity of services in the multi-cluster environment",
    inputs: &[Kind::Service],
    codes: &[&IST0170],
};

const MIXED_MODE: &str = "service has mixed mode like headless and clusterIP";
const PORTS: &str = "service ports are inconsistent";
const TYPE: &str = "service type is inconsistent";

/// The fields of a port that must agree (`nodePort` is per cluster).
type PortKey = [String; 5];

fn scalar(n: &Node) -> String {
    n.scalar_text().unwrap_or_default().to_string()
}

fn ports(svc: &Resource) -> Vec<PortKey> {
    let mut ports: Vec<PortKey> = svc
        .spec()
        .path(&["ports"])
        .as_seq()
        .iter()
        .map(|p| {
            ["name", "protocol", "appProtocol", "port", "targetPort"].map(|k| scalar(p.path(&[k])))
        })
        .collect();
    // Sorted by name only, keeping the order of ports with the same name, as Istio sorts.
    ports.sort_by(|a, b| a[0].cmp(&b[0]));
    ports
}

fn headless(svc: &Resource) -> bool {
    svc.spec().path(&["clusterIP"]).text() == "None"
}

fn service_type(svc: &Resource) -> &str {
    svc.spec().path(&["type"]).text()
}

impl Analyzer for MultiClusterServiceAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let clusters = ctx.clusters;
        if clusters.remotes.is_empty() {
            return;
        }
        // (namespace, name) → the copies, primary first, then the remotes in the order given.
        let mut services: BTreeMap<(&str, &str), Vec<(&str, &Resource)>> = BTreeMap::new();
        let primary = ctx
            .snapshot
            .of_kind(Kind::Service)
            .map(|r| (clusters.primary.as_str(), r));
        let remotes = clusters.remotes.iter().flat_map(|c| {
            c.resources
                .iter()
                .filter(|r| r.kind == Kind::Service)
                .map(move |r| (c.name.as_str(), r))
        });
        for (cluster, svc) in primary.chain(remotes) {
            services
                .entry((svc.namespace.as_str(), svc.name.as_str()))
                .or_default()
                .push((cluster, svc));
        }
        for ((namespace, name), copies) in services {
            if copies.len() < 2 {
                continue;
            }
            let (first_cluster, first) = copies[0];
            let first_ports = ports(first);
            let mut inconsistent: BTreeSet<&str> = BTreeSet::new();
            let mut reasons: BTreeSet<&str> = BTreeSet::new();
            for &(cluster, svc) in &copies[1..] {
                if headless(first) != headless(svc) {
                    inconsistent.extend(copies.iter().map(|(c, _)| *c));
                    reasons.insert(MIXED_MODE);
                }
                if service_type(first) != service_type(svc) {
                    inconsistent.insert(cluster);
                    reasons.insert(TYPE);
                }
                if first_ports != ports(svc) {
                    inconsistent.insert(cluster);
                    reasons.insert(PORTS);
                }
            }
            if inconsistent.is_empty() {
                continue;
            }
            inconsistent.insert(first_cluster);
            let field = match reasons.first() {
                Some(&MIXED_MODE) => "spec.clusterIP",
                Some(&PORTS) => "spec.ports",
                _ => "spec.type",
            };
            let args = vec![
                name.into(),
                namespace.into(),
                inconsistent
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .into(),
                reasons.into_iter().collect::<Vec<_>>().join("; ").into(),
            ];
            // The primary's copy is the one in the snapshot, with a location to point at; a
            // Service only the remote clusters hold is reported without one.
            match copies.iter().find(|(c, _)| *c == clusters.primary) {
                Some((_, svc)) if ctx.snapshot.get(Kind::Service, namespace, name).is_some() => {
                    ctx.report(&IST0170, svc, Some(field.into()), args)
                }
                _ => ctx.report_unattached(&IST0170, args),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::analyzer::{Clusters, RemoteCluster};
    use crate::analyze::{MeshConfig, run_clusters};
    use crate::resource::{LoadOptions, Snapshot, SourceText, parse_source};

    fn parse(name: &str, text: &str) -> Vec<Resource> {
        parse_source(&SourceText::new(name, text), &LoadOptions::default()).0
    }

    #[test]
    fn services_differing_across_clusters() {
        let primary = "\
apiVersion: v1
kind: Service
metadata: {name: same, namespace: shop}
spec: {ports: [{name: http, port: 80}, {name: grpc, port: 90}]}
---
apiVersion: v1
kind: Service
metadata: {name: lb, namespace: shop}
spec: {type: LoadBalancer, ports: [{name: http, port: 80, nodePort: 30001}]}
---
apiVersion: v1
kind: Service
metadata: {name: headless, namespace: shop}
spec: {clusterIP: None, ports: [{name: http, port: 80}]}
";
        let remote = "\
apiVersion: v1
kind: Service
metadata: {name: same, namespace: shop}
spec: {ports: [{name: grpc, port: 90}, {name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: lb, namespace: shop}
spec: {type: LoadBalancer, ports: [{name: http, port: 80, nodePort: 31999}]}
---
apiVersion: v1
kind: Service
metadata: {name: headless, namespace: shop}
spec: {type: NodePort, ports: [{name: http, port: 8080}]}
";
        let snapshot = Snapshot::new(parse("primary.yaml", primary), true);
        let clusters = Clusters {
            primary: "east".into(),
            remotes: vec![RemoteCluster {
                name: "west".into(),
                resources: parse("remote.yaml", remote),
            }],
        };
        let outcome = run_clusters(
            &snapshot,
            &MeshConfig::default(),
            "istio-system",
            &[&MultiClusterServiceAnalyzer],
            false,
            std::time::SystemTime::now(),
            &clusters,
        );
        let lines: Vec<String> = outcome.findings.iter().map(|f| f.log_line()).collect();
        assert_eq!(
            lines,
            vec![
                "Warning [IST0170] (Service shop/headless primary.yaml:14:8) The service headless in \
                 namespace \"shop\" is inconsistent across clusters [\"east\" \"west\"], which can lead \
                 to undefined behaviors. The inconsistent behaviors are: service has mixed mode like \
                 headless and clusterIP; service ports are inconsistent; service type is inconsistent."
            ]
        );
        // Without remote clusters there is nothing to compare.
        let alone = crate::analyze::run(
            &snapshot,
            &MeshConfig::default(),
            "istio-system",
            &[&MultiClusterServiceAnalyzer],
            false,
        );
        assert!(alone.findings.is_empty());
    }
}
