//! `auth.AuthorizationPoliciesAnalyzer`: an AuthorizationPolicy must apply to some workload of
//! the mesh (IST0127), and the namespaces its rules name must exist (IST0101).
//!
//! - Workloads are the Pods in the mesh: with an `istio-proxy` container that has an image, with
//!   `sidecar.istio.io/inject` set (label first, then annotation) to `true`, or, when neither is
//!   set, in a Namespace labelled `istio-injection=enabled`; and ambient Pods
//!   (`ambient.istio.io/redirection: enabled`).
//! - A policy in the root namespace applies mesh-wide: with a selector it needs a matching
//!   workload in any namespace; without one it is fine. Elsewhere a policy without a selector
//!   needs a workload in its namespace, and one with a selector a matching workload there.
//! - `rules[].from[].source.namespaces` and `notNamespaces` values must match a Namespace: `*`
//!   matches any, `*x` by suffix, `x*` by prefix, anything else by case-insensitive name. This is
//!   not checked when the input holds no Namespace at all (a plain set of manifests).
//! - In a file-only run the workload check (IST0127) judges only a policy whose namespace (any
//!   namespace, for the root namespace) holds a workload carrying a key of its selector (any
//!   workload, without a selector); other policies are named in a note. A workload of the input
//!   the selector picks counts even when nothing says it is in the mesh: that depends on the
//!   namespace's injection label, which usually lives in the cluster. The namespace check needs
//!   no workloads and always runs.

use std::collections::{HashMap, HashSet};

use crate::analyze::analyzer::{LookUp, WORKLOAD_MANIFESTS};
use crate::analyze::catalogue::{IST0101, IST0127};
use crate::analyze::{Analyzer, Context, Metadata};

/// The check a file-only run skips when the input holds no workload the policy could apply to.
pub const WORKLOAD_CHECK: &str = "IST0127 (workload selector)";
use crate::resource::{Kind, Labels, Resource, Selector, Snapshot, views};

pub struct AuthorizationPoliciesAnalyzer;

static METADATA: Metadata = Metadata {
    name: "auth.AuthorizationPoliciesAnalyzer",
    description: "Checks the validity of authorization policies",
    inputs: &[
        Kind::MeshConfig,
        Kind::AuthorizationPolicy,
        Kind::Namespace,
        Kind::Pod,
    ],
    codes: &[&IST0127, &IST0101],
};

const SIDECAR_INJECT: &str = "sidecar.istio.io/inject";
const AMBIENT_REDIRECTION: &str = "ambient.istio.io/redirection";

/// Whether a Pod is part of the mesh, with a sidecar or in ambient mode.
fn in_mesh(snap: &Snapshot, pod: views::Pod<'_>) -> bool {
    if pod
        .annotations
        .get(AMBIENT_REDIRECTION)
        .is_some_and(|v| v == "enabled")
    {
        return true;
    }
    if let Some(proxy) = pod
        .containers()
        .into_iter()
        .find(|c| c.name() == "istio-proxy")
        && !proxy.image().is_empty()
    {
        return true;
    }
    if let Some(v) = pod
        .labels
        .get(SIDECAR_INJECT)
        .or_else(|| pod.annotations.get(SIDECAR_INJECT))
    {
        return v == "true";
    }
    snap.get(Kind::Namespace, "", &pod.namespace)
        .is_some_and(|ns| {
            ns.labels
                .get("istio-injection")
                .is_some_and(|v| v == "enabled")
        })
}

/// Namespace names, for the patterns of `source.namespaces`.
struct Namespaces {
    exact: HashSet<String>,
    sorted: Vec<String>,
    reversed: Vec<String>,
}

impl Namespaces {
    fn new(snap: &Snapshot) -> Namespaces {
        let names: Vec<&str> = snap
            .of_kind(Kind::Namespace)
            .map(|n| n.name.as_str())
            .collect();
        let mut sorted: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        sorted.sort();
        let mut reversed: Vec<String> = names.iter().map(|n| n.chars().rev().collect()).collect();
        reversed.sort();
        Namespaces {
            exact: names.iter().map(|n| n.to_lowercase()).collect(),
            sorted,
            reversed,
        }
    }

    fn has_prefix(sorted: &[String], prefix: &str) -> bool {
        let i = sorted.partition_point(|n| n.as_str() < prefix);
        sorted.get(i).is_some_and(|n| n.starts_with(prefix))
    }

    fn matches(&self, pattern: &str) -> bool {
        if self.sorted.is_empty() {
            return false;
        }
        if pattern == "*" {
            true
        } else if let Some(suffix) = pattern.strip_prefix('*') {
            let reversed: String = suffix.chars().rev().collect();
            Self::has_prefix(&self.reversed, &reversed)
        } else if let Some(prefix) = pattern.strip_suffix('*') {
            Self::has_prefix(&self.sorted, prefix)
        } else {
            self.exact.contains(&pattern.to_lowercase())
        }
    }
}

/// The labels of the Pods in the mesh, indexed by label pair, both per namespace and across the
/// mesh, so that a selector only looks at pods that carry its rarest pair.
#[derive(Default)]
struct MeshPods<'a> {
    labels: Vec<&'a Labels>,
    /// Pods per namespace (`None`: in the whole mesh).
    count: HashMap<Option<&'a str>, usize>,
    /// `(namespace or None, key, value)` to pods (indexes into `labels`).
    postings: HashMap<(Option<&'a str>, &'a str, &'a str), Vec<usize>>,
}

impl<'a> MeshPods<'a> {
    fn new(snap: &'a Snapshot) -> MeshPods<'a> {
        let mut index = MeshPods::default();
        for pod in snap.of_kind(Kind::Pod).filter_map(views::Pod::of) {
            if !in_mesh(snap, pod) {
                continue;
            }
            let i = index.labels.len();
            let pod = pod.resource();
            index.labels.push(&pod.labels);
            for scope in [None, Some(pod.namespace.as_str())] {
                *index.count.entry(scope).or_default() += 1;
                for (k, v) in &pod.labels {
                    index
                        .postings
                        .entry((scope, k.as_str(), v.as_str()))
                        .or_default()
                        .push(i);
                }
            }
        }
        index
    }

    /// Whether a pod of namespace `scope` (`None`: the whole mesh) matches `selector`.
    fn any_match(&self, scope: Option<&str>, selector: &Selector) -> bool {
        if selector.is_empty() {
            return self.count.get(&scope).is_some_and(|n| *n > 0);
        }
        let rarest = selector
            .pairs()
            .iter()
            .map(|(k, v)| {
                self.postings
                    .get(&(scope, k.as_str(), v.as_str()))
                    .map_or(&[][..], Vec::as_slice)
            })
            .min_by_key(|p| p.len())
            .unwrap_or(&[]);
        rarest.iter().any(|&i| selector.matches(self.labels[i]))
    }
}

impl Analyzer for AuthorizationPoliciesAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let root_namespace = ctx.mesh.root_namespace().to_string();
        let mesh_pods = MeshPods::new(snap);
        let namespaces = snap
            .has_kind(Kind::Namespace)
            .then(|| Namespaces::new(snap));
        for policy in snap.of_kind(Kind::AuthorizationPolicy) {
            check_workloads(ctx, policy, &root_namespace, &mesh_pods);
            if let Some(namespaces) = &namespaces {
                check_namespaces(ctx, policy, namespaces);
            }
        }
    }
}

fn check_workloads(
    ctx: &mut Context<'_>,
    policy: &Resource,
    root_namespace: &str,
    mesh_pods: &MeshPods<'_>,
) {
    let mesh_wide = policy.namespace == root_namespace;
    let scope = (!mesh_wide).then_some(policy.namespace.as_str());
    let Some(selector_node) = policy.spec().get("selector").filter(|s| !s.is_null()) else {
        // A policy for a whole namespace needs a workload there; one for the mesh is fine.
        let selector = Selector::default();
        if !mesh_wide
            && !mesh_pods.any_match(scope, &selector)
            && judged(ctx, policy, &selector, scope, None)
        {
            ctx.report(&IST0127, policy, None, vec!["".into()]);
        }
        return;
    };
    let selector = Selector::from_node(selector_node.path(&["matchLabels"]));
    if !mesh_pods.any_match(scope, &selector) {
        let field = match selector.first_key() {
            Some(k) => format!("spec.selector.matchLabels.{k}"),
            None => "spec.selector".to_string(),
        };
        if !judged(ctx, policy, &selector, scope, Some(field.clone())) {
            return;
        }
        ctx.report(
            &IST0127,
            policy,
            Some(field),
            vec![selector.to_string().into()],
        );
    }
}

/// Whether a policy that applies to no Pod of the mesh is reported. In a file-only run, only
/// when the input holds workloads it could pick (else the check is named in a note), and no
/// workload of the input (a Pod or a pod template) matches.
fn judged(
    ctx: &mut Context<'_>,
    policy: &Resource,
    selector: &Selector,
    scope: Option<&str>,
    field: Option<String>,
) -> bool {
    if !ctx.file_only {
        return true;
    }
    let lookup = LookUp {
        selector,
        namespace: scope,
        field,
        targets: WORKLOAD_MANIFESTS,
    };
    ctx.can_look_up_workloads(policy, lookup, &[WORKLOAD_CHECK])
        && ctx
            .snapshot
            .workloads_matching(selector, scope, false)
            .next()
            .is_none()
}

fn check_namespaces(ctx: &mut Context<'_>, policy: &Resource, namespaces: &Namespaces) {
    for (i, rule) in policy.spec().path(&["rules"]).as_seq().iter().enumerate() {
        for (j, from) in rule.path(&["from"]).as_seq().iter().enumerate() {
            for key in ["namespaces", "notNamespaces"] {
                let values = from.path(&["source", key]).as_seq();
                for (k, value) in values.iter().enumerate() {
                    let value = value.text();
                    if !namespaces.matches(value) {
                        ctx.report(
                            &IST0101,
                            policy,
                            Some(format!("spec.rules[{i}].from[{j}].source.{key}[{k}]")),
                            vec!["namespace".into(), value.into()],
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{AuthorizationPoliciesAnalyzer, Namespaces};
    use crate::analyze::testing::findings;
    use crate::resource::{LoadOptions, Snapshot, SourceText, parse_source};

    #[test]
    fn namespace_patterns() {
        let text = "apiVersion: v1\nkind: Namespace\nmetadata: {name: Prod-Web}\n---\n\
                    apiVersion: v1\nkind: Namespace\nmetadata: {name: team-test}\n";
        let (res, _) = parse_source(&SourceText::new("t.yaml", text), &LoadOptions::default());
        let ns = Namespaces::new(&Snapshot::new(res, false));
        assert!(ns.matches("*"));
        assert!(ns.matches("prod-web"));
        assert!(ns.matches("Prod-*"));
        assert!(!ns.matches("prod-*"));
        assert!(ns.matches("*-test"));
        assert!(ns.matches("*"));
        assert!(!ns.matches("*-prod"));
        assert!(!ns.matches("web"));
    }

    #[test]
    fn workloads_in_the_mesh() {
        let input = "\
apiVersion: v1
kind: Namespace
metadata: {name: apps}
---
apiVersion: v1
kind: Pod
metadata: {name: plain, namespace: apps, labels: {app: plain}}
spec: {containers: [{name: app, image: app}]}
---
apiVersion: v1
kind: Pod
metadata: {name: injected, namespace: apps, labels: {app: injected}, annotations: {sidecar.istio.io/inject: 'true'}}
spec: {containers: [{name: app, image: app}]}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: plain, namespace: apps}
spec:
  selector: {matchLabels: {app: plain}}
  rules:
  - from:
    - source: {notNamespaces: [apps, 'ap*', '*ps', other]}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: injected, namespace: apps}
spec: {selector: {matchLabels: {app: injected}}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: mesh-wide, namespace: istio-system}
spec: {selector: {matchLabels: {app: injected}}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: empty, namespace: empty}
spec: {}
";
        assert_eq!(
            findings(&AuthorizationPoliciesAnalyzer, input),
            vec![
                "Error [IST0101] (AuthorizationPolicy apps/plain t.yaml:22:52) Referenced namespace not found: \
                 \"other\"",
                "Warning [IST0127] (AuthorizationPolicy empty/empty t.yaml:34:1) No matching workloads for this \
                 resource with the following labels: ",
                "Warning [IST0127] (AuthorizationPolicy apps/plain t.yaml:19:28) No matching workloads for this \
                 resource with the following labels: app=plain",
            ]
        );
    }
}
