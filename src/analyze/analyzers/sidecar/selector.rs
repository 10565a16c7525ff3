//! `sidecar.SelectorAnalyzer`: a Sidecar's `workloadSelector` must pick some workload in its
//! namespace (IST0101), no workload may be picked by two Sidecars (IST0110), and a namespace
//! may hold only one Sidecar without a selector (IST0111). A Sidecar that applies only to
//! ambient workloads, or, without a selector, to an ambient namespace, has no effect (IST0167).
//!
//! The selection bookkeeping lives in [`PolicySelection`], which `telemetry.SelectorAnalyzer`
//! shares: both resources select workloads of their own namespace by labels.

use std::collections::HashMap;

use crate::analyze::analyzer::{LookUp, WORKLOAD_MANIFESTS};
use crate::analyze::catalogue::{IST0101, IST0110, IST0111, IST0167};
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::snapshot::pod_template;
use crate::resource::{Kind, Resource, Selector, Snapshot};

/// The check a file-only run skips when the input holds no workload the selector could pick.
/// The others (IST0111 for namespace-wide Sidecars, IST0167 for ambient namespaces) need none.
pub const SELECTOR_CHECK: &str = "IST0101 (workload selector)";

pub struct SelectorAnalyzer;

static METADATA: Metadata = Metadata {
    name: "sidecar.SelectorAnalyzer",
    description: "Validates that sidecars that define a workload selector match at least one pod, \
                  and that there aren't multiple sidecar resources that select overlapping pods",
    inputs: &[Kind::Sidecar, Kind::Pod, Kind::Namespace],
    codes: &[&IST0101, &IST0110, &IST0111, &IST0167],
};

/// The pod annotation the ambient CNI sets on pods whose traffic it redirects.
const AMBIENT_REDIRECTION: &str = "ambient.istio.io/redirection";
const DATAPLANE_MODE: &str = "istio.io/dataplane-mode";
const INJECTION: &str = "istio-injection";
const REVISION: &str = "istio.io/rev";

/// Which workload instances the label selectors of namespaced policies pick, and which
/// policies pick each instance.
///
/// A selector is matched against every workload instance of its namespace (Pods, and instances
/// derived from controllers' pod templates), so a selector for a Deployment scaled to zero is
/// not "unmatched". Overlaps are counted per Pod; derived instances stand in for Pods only in a
/// namespace the input holds no Pod of, so a Deployment and its running Pods are not reported
/// twice.
pub(crate) struct PolicySelection<'a> {
    snap: &'a Snapshot,
    /// (workload resource id, ids of the policies that select it), in order of first selection.
    pub by_workload: Vec<(usize, Vec<usize>)>,
    index: HashMap<usize, usize>,
}

impl<'a> PolicySelection<'a> {
    pub(crate) fn new(snap: &'a Snapshot) -> PolicySelection<'a> {
        PolicySelection {
            snap,
            by_workload: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// Records the workloads of `namespace` that `selector` picks for `policy`. Returns true
    /// when the selector picks nothing (whether that can be judged in a file-only run is
    /// [`Context::can_look_up_workloads`]'s business).
    pub(crate) fn select(&mut self, policy: usize, selector: &Selector, namespace: &str) -> bool {
        let snap = self.snap;
        let namespace_has_pods = snap.in_namespace(Kind::Pod, namespace).next().is_some();
        let mut matched = false;
        for w in snap.workloads_matching(selector, Some(namespace), false) {
            matched = true;
            if !w.is_pod && namespace_has_pods {
                continue;
            }
            let slot = *self.index.entry(w.resource).or_insert_with(|| {
                self.by_workload.push((w.resource, Vec::new()));
                self.by_workload.len() - 1
            });
            self.by_workload[slot].1.push(policy);
        }
        !matched
    }
}

/// Sorted names of policies (messages list them without namespace: they share one).
pub(crate) fn names(snap: &Snapshot, ids: &[usize]) -> Vec<String> {
    let mut names: Vec<String> = ids
        .iter()
        .map(|&id| snap.resource(id).name.clone())
        .collect();
    names.sort();
    names
}

/// A Pod (or pod template) whose traffic the ambient data plane redirects.
fn workload_in_ambient(r: &Resource) -> bool {
    pod_template(r)
        .path(&["metadata", "annotations", AMBIENT_REDIRECTION])
        .text()
        == "enabled"
}

/// A namespace enrolled in ambient mode and not also in sidecar injection.
fn namespace_in_ambient(ns: Option<&Resource>) -> bool {
    let Some(ns) = ns else { return false };
    let label = |k: &str| ns.labels.get(k).map(String::as_str).unwrap_or_default();
    label(INJECTION) != "enabled"
        && label(REVISION).is_empty()
        && label(DATAPLANE_MODE) == "ambient"
}

impl Analyzer for SelectorAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let mut selection = PolicySelection::new(snap);
        // Sidecars without a selector, by namespace, in input order.
        let mut namespace_wide: Vec<(&str, Vec<usize>)> = Vec::new();
        let mut namespace_index: HashMap<&str, usize> = HashMap::new();
        for sidecar in snap.of_kind(Kind::Sidecar) {
            let ns = sidecar.namespace.as_str();
            let labels = sidecar.spec().path(&["workloadSelector", "labels"]);
            let selector = Selector::from_node(labels);
            if selector.is_empty() {
                let slot = *namespace_index.entry(ns).or_insert_with(|| {
                    namespace_wide.push((ns, Vec::new()));
                    namespace_wide.len() - 1
                });
                namespace_wide[slot].1.push(sidecar.id);
                continue;
            }
            if selection.select(sidecar.id, &selector, ns) {
                let field = selector
                    .first_key()
                    .map(|k| format!("spec.workloadSelector.labels.{k}"));
                let lookup = LookUp {
                    selector: &selector,
                    namespace: Some(ns),
                    field: field.clone(),
                    targets: WORKLOAD_MANIFESTS,
                };
                if !ctx.can_look_up_workloads(sidecar, lookup, &[SELECTOR_CHECK]) {
                    continue;
                }
                ctx.report(
                    &IST0101,
                    sidecar,
                    field,
                    vec!["selector".into(), selector.to_string().into()],
                );
            }
        }

        let mut ineffective: Vec<bool> = vec![false; snap.len()];
        for (workload, sidecars) in &selection.by_workload {
            let pod = snap.resource(*workload);
            let ambient = workload_in_ambient(pod);
            if sidecars.len() == 1 && !ambient {
                continue;
            }
            let sidecar_names = names(snap, sidecars);
            for &id in sidecars {
                if ambient {
                    if !std::mem::replace(&mut ineffective[id], true) {
                        ctx.report(
                            &IST0167,
                            snap.resource(id),
                            None,
                            vec![
                                "selected workload is in ambient mode, the policy has no impact"
                                    .into(),
                            ],
                        );
                    }
                    continue;
                }
                ctx.report(
                    &IST0110,
                    snap.resource(id),
                    Some("metadata.name".into()),
                    vec![
                        sidecar_names.clone().into(),
                        pod.namespace.clone().into(),
                        pod.name.clone().into(),
                    ],
                );
            }
        }

        for (ns, sidecars) in &namespace_wide {
            if namespace_in_ambient(snap.get(Kind::Namespace, "", ns)) {
                for &id in sidecars {
                    if !std::mem::replace(&mut ineffective[id], true) {
                        ctx.report(
                            &IST0167,
                            snap.resource(id),
                            None,
                            vec!["namespace is in ambient mode, the policy has no impact".into()],
                        );
                    }
                }
                continue;
            }
            if sidecars.len() > 1 {
                let sidecar_names = names(snap, sidecars);
                for &id in sidecars {
                    ctx.report(
                        &IST0111,
                        snap.resource(id),
                        None,
                        vec![sidecar_names.clone().into(), (*ns).into()],
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SelectorAnalyzer;
    use crate::analyze::testing::{file_only, findings};

    const WORKLOADS: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  template:
    metadata: {labels: {app: cart}}
---
";

    #[test]
    fn derived_workloads_count_when_the_namespace_holds_no_pods() {
        let input = format!(
            "{WORKLOADS}\
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {{name: web-a, namespace: shop}}
spec: {{workloadSelector: {{labels: {{app: web}}}}}}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {{name: web-b, namespace: shop}}
spec: {{workloadSelector: {{labels: {{app: web}}}}}}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {{name: typo, namespace: shop}}
spec: {{workloadSelector: {{labels: {{app: wbe}}}}}}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {{name: elsewhere, namespace: unseen}}
spec: {{workloadSelector: {{labels: {{app: web}}}}}}
"
        );
        let (got, skipped) = file_only(&SelectorAnalyzer, &input);
        assert_eq!(got.len(), 3, "{got:#?}");
        assert!(
            got[0].starts_with("Error [IST0101] (Sidecar shop/typo t.yaml:28:36)")
                && got[0].ends_with("Referenced selector not found: \"app=wbe\""),
            "{got:#?}"
        );
        assert!(
            got[1].ends_with(
                "The Sidecars [web-a web-b] in namespace \"shop\" select the same workload pod \"web\", \
                 which can lead to undefined behavior."
            ),
            "{got:#?}"
        );
        // A namespace the files hold no workload of is not judged, but named in a note.
        assert!(
            got.iter().all(|l| !l.contains("unseen/elsewhere")),
            "{got:#?}"
        );
        assert_eq!(
            skipped,
            vec![(
                "Sidecar unseen/elsewhere".to_string(),
                super::SELECTOR_CHECK,
                Some("spec.workloadSelector.labels.app".to_string())
            )]
        );
        // Given the cluster, it is judged.
        let got = findings(&SelectorAnalyzer, &input);
        assert!(
            got[0].starts_with("Error [IST0101] (Sidecar unseen/elsewhere t.yaml:33:36)"),
            "{got:#?}"
        );
    }

    #[test]
    fn pods_replace_templates_and_ambient_pods_make_sidecars_ineffective() {
        let input = format!(
            "{WORKLOADS}\
apiVersion: v1
kind: Pod
metadata: {{name: web-1, namespace: shop, labels: {{app: web}}}}
---
apiVersion: v1
kind: Pod
metadata:
  name: cart-1
  namespace: shop
  labels: {{app: cart}}
  annotations: {{ambient.istio.io/redirection: enabled}}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {{name: web-a, namespace: shop}}
spec: {{workloadSelector: {{labels: {{app: web}}}}}}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {{name: web-b, namespace: shop}}
spec: {{workloadSelector: {{labels: {{app: web}}}}}}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {{name: cart, namespace: shop}}
spec: {{workloadSelector: {{labels: {{app: cart}}}}}}
"
        );
        let got = findings(&SelectorAnalyzer, &input);
        assert_eq!(got.len(), 3, "{got:#?}");
        assert!(
            got[0].contains("select the same workload pod \"web-1\""),
            "{got:#?}"
        );
        assert!(
            got[1].contains("select the same workload pod \"web-1\""),
            "{got:#?}"
        );
        assert!(
            got[2].starts_with("Warning [IST0167] (Sidecar shop/cart ")
                && got[2].ends_with(
                    "The policy has no impact: selected workload is in ambient mode, the policy has no impact."
                ),
            "{got:#?}"
        );
    }
}
