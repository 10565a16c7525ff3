//! `destinationrule.SubsetSelectPodAnalyzer`: a DestinationRule's host must be a Service or
//! ServiceEntry it can see (IST0174), and each subset must select at least one workload
//! (IST0173), or requests routed to it fail with 503 "no healthy upstream".
//!
//! A subset selects by its labels merged over the ServiceEntry's `workloadSelector` (a Service
//! adds nothing), matched against workloads in any namespace. Like Istio's service registry, a
//! Pod's labels are augmented with the topology of its Node (`topology.kubernetes.io/region`,
//! `topology.kubernetes.io/zone`, `topology.istio.io/subzone`; empty values are not added) and
//! `kubernetes.io/hostname` = its node name, so subsets may select by locality.
//!
//! Our own check (MDK0004, which istioctl lacks): a subset of a Service host must select a pod
//! of that Service (a workload of its namespace that the Service's selector picks). Subset
//! labels that only match other services' pods (`ratings` subset `version: v2` while only
//! `reviews-v2` carries `version: v2`) pass IST0173 and still route to nothing.
//!
//! In a file-only run IST0173 judges a subset only when some workload of the input carries a
//! key of its labels, and MDK0004 only when the input holds the Service's workloads; the others
//! are named in a note. A host that resolves to nothing is reported (IST0174) only when the
//! input holds Services of the namespace it names; otherwise the host and its subsets are named
//! in a note ([`Context::can_resolve_host`]).

use std::collections::{BTreeMap, HashMap};

use crate::analyze::analyzer::{HostLookUp, LookUp, WORKLOAD_MANIFESTS};
use crate::analyze::analyzers::hosts::ServiceRegistry;
use crate::analyze::catalogue::{IST0173, IST0174, MDK0004};
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::views;
use crate::resource::{Kind, Labels, Selector, Snapshot, Workload};

pub struct SubsetSelectPodAnalyzer;

static METADATA: Metadata = Metadata {
    name: "destinationrule.SubsetSelectPodAnalyzer",
    description: "Checks if pods are selected by subsets in destination rules.",
    inputs: &[
        Kind::DestinationRule,
        Kind::Pod,
        Kind::Service,
        Kind::ServiceEntry,
        Kind::Node,
    ],
    codes: &[&IST0174, &IST0173, &MDK0004],
};

/// The checks a file-only run skips when the input holds no workload they could match.
pub const SUBSET_CHECK: &str = "IST0173 (subset labels)";
pub const HOST_PODS_CHECK: &str = "MDK0004 (subset selects its host's pods)";
/// The check a file-only run skips for a host whose namespace has no Service in the input.
pub const HOST_CHECK: &str = "IST0174 (host)";

const REGION: &str = "topology.kubernetes.io/region";
const ZONE: &str = "topology.kubernetes.io/zone";
const SUBZONE: &str = "topology.istio.io/subzone";
const HOSTNAME: &str = "kubernetes.io/hostname";
const TOPOLOGY_KEYS: [&str; 4] = [REGION, ZONE, SUBZONE, HOSTNAME];

/// The labels the registry adds to a workload from where it runs.
#[derive(Debug, Default, PartialEq)]
struct Topology {
    region: String,
    zone: String,
    subzone: String,
    hostname: String,
}

impl Topology {
    /// From the node's labels, through the `region/zone/subzone` locality string Istio builds
    /// (so a subzone without a zone is lost, as it is there).
    fn of(node_name: Option<&str>, nodes: &HashMap<&str, &Labels>) -> Topology {
        let node_name = node_name.unwrap_or_default();
        let mut t = Topology {
            hostname: node_name.to_string(),
            ..Topology::default()
        };
        let Some(labels) = nodes.get(node_name) else {
            return t;
        };
        let get = |k: &str| labels.get(k).map(String::as_str).unwrap_or_default();
        let mut locality = get(REGION).to_string();
        if !get(ZONE).is_empty() {
            locality = format!("{locality}/{}", get(ZONE));
            if !get(SUBZONE).is_empty() {
                locality = format!("{locality}/{}", get(SUBZONE));
            }
        }
        let mut parts = locality.split('/');
        t.region = parts.next().unwrap_or_default().to_string();
        t.zone = parts.next().unwrap_or_default().to_string();
        t.subzone = parts.next().unwrap_or_default().to_string();
        t
    }

    fn get(&self, key: &str) -> Option<&str> {
        let v = match key {
            REGION => &self.region,
            ZONE => &self.zone,
            SUBZONE => &self.subzone,
            HOSTNAME => &self.hostname,
            _ => return None,
        };
        (!v.is_empty()).then_some(v.as_str())
    }
}

type LabelPairs<'s> = Vec<(&'s str, &'s str)>;

/// Workloads with their topology, and an index of the effective topology labels, so subsets
/// that select only by topology need not scan every workload.
struct Placement<'a> {
    snapshot: &'a Snapshot,
    /// By the workload's resource id.
    topology: HashMap<usize, Topology>,
    /// `(key, value)` of effective topology labels → positions in the snapshot's workloads.
    by_topology_label: HashMap<(String, String), Vec<usize>>,
}

impl<'a> Placement<'a> {
    fn new(snapshot: &'a Snapshot) -> Placement<'a> {
        let nodes: HashMap<&str, &Labels> = snapshot
            .of_kind(Kind::Node)
            .map(|n| (n.name.as_str(), &n.labels))
            .collect();
        let mut placement = Placement {
            snapshot,
            topology: HashMap::with_capacity(snapshot.workloads().len()),
            by_topology_label: HashMap::new(),
        };
        for (i, w) in snapshot.workloads().iter().enumerate() {
            let t = Topology::of(w.node_name.as_deref(), &nodes);
            for key in TOPOLOGY_KEYS {
                if let Some(v) = t.get(key).or_else(|| w.labels.get(key).map(String::as_str)) {
                    placement
                        .by_topology_label
                        .entry((key.to_string(), v.to_string()))
                        .or_default()
                        .push(i);
                }
            }
            placement.topology.insert(w.resource, t);
        }
        placement
    }

    /// A label of a workload as the registry sees it.
    fn label<'w>(&'w self, w: &'w Workload, key: &str) -> Option<&'w str> {
        self.topology
            .get(&w.resource)
            .and_then(|t| t.get(key))
            .or_else(|| w.labels.get(key).map(String::as_str))
    }

    /// True when some workload, in any namespace, has every pair of `selector`.
    ///
    /// Candidates come from two indexes: the snapshot's for plain labels, ours for topology
    /// labels. When the selector has both kinds, the two candidate streams are walked in turn
    /// and the first one to run out settles the answer, so the cost is bounded by the shorter.
    fn selects_any(&self, selector: &BTreeMap<&str, &str>) -> bool {
        let (topology, plain): (LabelPairs, LabelPairs) = selector
            .iter()
            .map(|(k, v)| (*k, *v))
            .partition(|(k, _)| TOPOLOGY_KEYS.contains(k));
        let plain = Selector::from_pairs(plain);
        let topology_ok = |w: &Workload| topology.iter().all(|(k, v)| self.label(w, k) == Some(*v));
        let workloads = self.snapshot.workloads();
        let topology_candidates = topology
            .iter()
            .map(|(k, v)| {
                self.by_topology_label
                    .get(&(k.to_string(), v.to_string()))
                    .map_or(&[][..], Vec::as_slice)
            })
            .min_by_key(|c| c.len());
        let Some(topology_candidates) = topology_candidates else {
            // Plain labels only (or none: an empty selector selects any workload at all).
            return self
                .snapshot
                .workloads_matching(&plain, None, false)
                .next()
                .is_some();
        };
        let mut by_topology = topology_candidates.iter().map(|&i| &workloads[i]);
        if plain.is_empty() {
            return by_topology.any(topology_ok);
        }
        let mut by_plain = self.snapshot.workloads_matching(&plain, None, false);
        loop {
            match by_plain.next() {
                None => return false,
                Some(w) if topology_ok(w) => return true,
                Some(_) => {}
            }
            match by_topology.next() {
                None => return false,
                Some(w) if plain.matches(&w.labels) && topology_ok(w) => return true,
                Some(_) => {}
            }
        }
    }
}

impl Analyzer for SubsetSelectPodAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let registry = ServiceRegistry::build(snap);
        let placement = Placement::new(snap);
        for dr in snap
            .of_kind(Kind::DestinationRule)
            .filter_map(views::DestinationRule::of)
        {
            let Some(target) = registry.resolve(&dr.namespace, &dr.export_to(), dr.host()) else {
                let lookup = HostLookUp {
                    host: dr.host(),
                    namespace: &dr.namespace,
                    field: Some("spec.host".into()),
                };
                // The subsets are checked against the host's target: without it, neither.
                let checks: &[&str] = if dr.subsets().next().is_some() {
                    &[HOST_CHECK, SUBSET_CHECK, HOST_PODS_CHECK]
                } else {
                    &[HOST_CHECK]
                };
                if !ctx.can_resolve_host(dr.resource(), &registry, lookup, checks) {
                    continue;
                }
                ctx.report(
                    &IST0174,
                    dr.resource(),
                    Some("spec.host".into()),
                    vec![dr.host().into()],
                );
                continue;
            };
            for subset in dr.subsets() {
                // Subset labels win over the ServiceEntry's workload selector.
                let mut selector: BTreeMap<&str, &str> = target
                    .workload_selector
                    .pairs()
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                selector.extend(subset.node.path(&["labels"]).string_map());
                let name_field = format!("spec.subsets[{}].name", subset.index);
                if !placement.selects_any(&selector) {
                    let labels = Selector::from_pairs(selector.iter().map(|(k, v)| (*k, *v)));
                    let lookup = LookUp {
                        selector: &labels,
                        namespace: None,
                        field: Some(name_field.clone()),
                        targets: WORKLOAD_MANIFESTS,
                    };
                    if ctx.can_look_up_workloads(dr.resource(), lookup, &[SUBSET_CHECK]) {
                        ctx.report(
                            &IST0173,
                            dr.resource(),
                            Some(name_field),
                            vec![subset.name().into()],
                        );
                    }
                    continue;
                }
                if target.resource.kind == Kind::Service {
                    check_host_pods(ctx, &placement, &dr, target.resource, &subset);
                }
            }
        }
    }
}

/// MDK0004: the subset's labels select no workload of the Service `svc` (its namespace, its
/// selector). Services without a selector (endpoints managed by hand) are not judged.
fn check_host_pods(
    ctx: &mut Context<'_>,
    placement: &Placement<'_>,
    dr: &views::DestinationRule<'_>,
    svc: &crate::resource::Resource,
    subset: &views::Subset<'_>,
) {
    let snap = ctx.snapshot;
    let svc_selector = views::Service(svc).selector();
    let labels = subset.labels();
    if svc_selector.is_empty() || labels.is_empty() {
        return;
    }
    let host_pods: Vec<&Workload> = snap
        .workloads_matching(&svc_selector, Some(&svc.namespace), false)
        .collect();
    if host_pods.is_empty() {
        // The Service matches nothing: MDK0001 says so (or its note, in a file-only run).
        let lookup = LookUp {
            selector: &svc_selector,
            namespace: Some(&svc.namespace),
            field: Some(format!("spec.subsets[{}].name", subset.index)),
            targets: WORKLOAD_MANIFESTS,
        };
        ctx.can_look_up_workloads(dr.resource(), lookup, &[HOST_PODS_CHECK]);
        return;
    }
    // Where a workload runs is known only for Pods on Nodes of the input: a topology label it
    // cannot be seen to have is not held against it (pod templates in a file-only run).
    let carries = |w: &Workload, k: &str, v: &str| match placement.label(w, k) {
        Some(have) => have == v,
        None => TOPOLOGY_KEYS.contains(&k),
    };
    if host_pods
        .iter()
        .any(|w| labels.pairs().iter().all(|(k, v)| carries(w, k, v)))
    {
        return;
    }
    // Point at the first label no pod of the host carries (else the first: each is carried by
    // some pod, only not together).
    let key = labels
        .pairs()
        .iter()
        .find(|(k, v)| !host_pods.iter().any(|w| carries(w, k, v)))
        .or(labels.pairs().first())
        .map(|(k, _)| k.as_str())
        .unwrap_or_default();
    let elsewhere = snap
        .workloads()
        .iter()
        .find(|w| labels.pairs().iter().all(|(k, v)| carries(w, k, v)))
        .map(|w| snap.resource(w.resource).friendly_name())
        .unwrap_or_default();
    ctx.report(
        &MDK0004,
        dr.resource(),
        Some(format!("spec.subsets[{}].labels.{key}", subset.index)),
        vec![
            subset.name().into(),
            labels.to_string().into(),
            hosts_name(svc).into(),
            svc_selector.to_string().into(),
            elsewhere.into(),
        ],
    );
    let mut values: Vec<&str> = host_pods
        .iter()
        .filter_map(|w| placement.label(w, key))
        .collect();
    values.sort_unstable();
    values.dedup();
    if !values.is_empty() {
        ctx.hint(format!(
            "the pods of {} carry {key}: {}",
            hosts_name(svc),
            values.join(", ")
        ));
    }
}

/// `Service ns/name` as messages name it.
fn hosts_name(svc: &crate::resource::Resource) -> String {
    format!("{}/{}", svc.namespace, svc.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn topology_follows_the_locality_string() {
        let full = labels(&[(REGION, "r"), (ZONE, "z"), (SUBZONE, "s")]);
        let no_zone = labels(&[(REGION, "r"), (SUBZONE, "s")]);
        let empty = labels(&[(REGION, "")]);
        let nodes: HashMap<&str, &Labels> =
            [("full", &full), ("no-zone", &no_zone), ("empty", &empty)].into();
        let t = Topology::of(Some("full"), &nodes);
        assert_eq!(
            (t.get(REGION), t.get(ZONE), t.get(SUBZONE)),
            (Some("r"), Some("z"), Some("s"))
        );
        assert_eq!(t.get(HOSTNAME), Some("full"));
        let t = Topology::of(Some("no-zone"), &nodes);
        assert_eq!((t.get(REGION), t.get(SUBZONE)), (Some("r"), None));
        let t = Topology::of(Some("empty"), &nodes);
        assert_eq!(t.get(REGION), None);
        // A node that is not in the input still names the host.
        let t = Topology::of(Some("elsewhere"), &nodes);
        assert_eq!((t.get(REGION), t.get(HOSTNAME)), (None, Some("elsewhere")));
        assert_eq!(Topology::of(None, &nodes), Topology::default());
    }
}

#[cfg(test)]
mod analyzer_tests {
    use super::SubsetSelectPodAnalyzer;
    use crate::analyze::testing::findings;

    const INPUT: &str = "\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: vm, namespace: shop}
spec:
  hosts: [vm.example.com]
  exportTo: ['.']
  workloadSelector: {labels: {app: vm}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-v1, namespace: shop}
spec:
  template:
    metadata:
      labels: {app: web, version: v1}
---
apiVersion: v1
kind: Pod
metadata: {name: vm-1, namespace: shop, labels: {app: vm, version: v1}}
spec: {nodeName: node-a}
---
apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels: {topology.kubernetes.io/region: eu, topology.istio.io/subzone: rack1}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: shop}
spec:
  host: web
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
  - {name: eu, labels: {topology.kubernetes.io/region: eu}}
  - {name: rack1, labels: {topology.istio.io/subzone: rack1}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: vm, namespace: shop}
spec:
  host: vm.example.com
  subsets:
  - {name: on-node, labels: {kubernetes.io/hostname: node-a}}
  - {name: web-v1, labels: {app: web, version: v1}}
  - {name: eu-v1, labels: {version: v1, topology.kubernetes.io/region: eu}}
  - {name: us-v1, labels: {version: v1, topology.kubernetes.io/region: us}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: elsewhere, namespace: other}
spec:
  host: vm.example.com
";

    #[test]
    fn subsets_select_workloads_with_node_topology() {
        assert_eq!(
            findings(&SubsetSelectPodAnalyzer, INPUT),
            vec![
                "Error [IST0173] (DestinationRule shop/vm t.yaml:55:6) The Subset us-v1 defined in the \
                 DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).",
                "Error [IST0173] (DestinationRule shop/web t.yaml:42:6) The Subset v2 defined in the \
                 DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).",
                // A subzone without a zone is not part of the node's locality.
                "Error [IST0173] (DestinationRule shop/web t.yaml:44:6) The Subset rack1 defined in the \
                 DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).",
                "Warning [IST0174] (DestinationRule other/elsewhere t.yaml:61:3) The host vm.example.com defined in \
                 the DestinationRule does not match any services in the mesh.",
            ]
        );
    }

    #[test]
    fn file_only_skips_a_host_whose_namespace_has_no_service_in_the_input() {
        use super::{HOST_CHECK, HOST_PODS_CHECK, SUBSET_CHECK};
        use crate::analyze::testing::file_only;
        let rule = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\n\
                    metadata: {name: reviews, namespace: shop}\nspec:\n  host: reviews\n\
                    \x20 subsets: [{name: v1, labels: {version: v1}}]\n";
        let (got, skipped) = file_only(&SubsetSelectPodAnalyzer, rule);
        assert!(got.is_empty(), "{got:?}");
        let field = Some("spec.host".to_string());
        let origin = "DestinationRule shop/reviews".to_string();
        assert_eq!(
            skipped,
            vec![
                (origin.clone(), HOST_CHECK, field.clone()),
                (origin.clone(), SUBSET_CHECK, field.clone()),
                (origin, HOST_PODS_CHECK, field),
            ]
        );
        // With a Service of `shop` in the input, the missing host is reported.
        let with_service = format!(
            "apiVersion: v1\nkind: Service\nmetadata: {{name: cart, namespace: shop}}\n---\n{rule}"
        );
        let (got, skipped) = file_only(&SubsetSelectPodAnalyzer, &with_service);
        assert_eq!(
            got,
            vec![
                "Warning [IST0174] (DestinationRule shop/reviews t.yaml:9:3) The host reviews defined in the \
                 DestinationRule does not match any services in the mesh."
            ]
        );
        assert!(skipped.is_empty(), "{skipped:?}");
    }
}
