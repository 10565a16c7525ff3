//! `applicationUID.Analyzer`: UID 1337 belongs to the sidecar proxy; traffic from an
//! application running as that user bypasses the proxy's redirection (IST0144). Pods and
//! Deployment pod templates are checked, at pod level and per container (the proxy's own and
//! the operator's containers excepted); Istio's control plane (labelled `istio`, or
//! `release=istio`) is skipped.

use crate::analyze::catalogue::IST0144;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::views::pod_spec;
use crate::resource::{Kind, Resource};

pub struct ApplicationUIDAnalyzer;

static METADATA: Metadata = Metadata {
    name: "applicationUID.Analyzer",
    description: "Checks invalid application UID",
    inputs: &[Kind::Pod, Kind::Deployment],
    codes: &[&IST0144],
};

/// The user the sidecar proxy runs as.
const PROXY_UID: i64 = 1337;

/// Containers that may run as the proxy's user.
const PROXY_CONTAINERS: &[&str] = &["istio-proxy", "istio-operator"];

fn is_control_plane(r: &Resource) -> bool {
    r.labels.contains_key("istio") || r.labels.get("release").is_some_and(|v| v == "istio")
}

/// The first field (relative to the pod spec) that runs the workload as the proxy's user.
fn proxy_uid_field(r: &Resource) -> Option<String> {
    let spec = pod_spec(r);
    if spec.path(&["securityContext", "runAsUser"]).as_i64() == Some(PROXY_UID) {
        return Some("securityContext.runAsUser".into());
    }
    spec.path(&["containers"])
        .as_seq()
        .iter()
        .enumerate()
        .find(|(_, c)| {
            !PROXY_CONTAINERS.contains(&c.path(&["name"]).text())
                && c.path(&["securityContext", "runAsUser"]).as_i64() == Some(PROXY_UID)
        })
        .map(|(i, _)| format!("containers[{i}].securityContext.runAsUser"))
}

impl Analyzer for ApplicationUIDAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        for (kind, prefix) in [
            (Kind::Pod, "spec"),
            (Kind::Deployment, "spec.template.spec"),
        ] {
            for r in snap.of_kind(kind).filter(|r| !is_control_plane(r)) {
                // Every offending field gives the same message; one report points at the first.
                if let Some(field) = proxy_uid_field(r) {
                    ctx.report(&IST0144, r, Some(format!("{prefix}.{field}")), vec![]);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ApplicationUIDAnalyzer;
    use crate::analyze::testing::findings;

    #[test]
    fn proxy_uid_on_pods_and_templates() {
        let input = "\
apiVersion: v1
kind: Pod
metadata: {name: app, namespace: shop}
spec:
  securityContext: {runAsUser: 1000}
  containers:
  - {name: istio-proxy, securityContext: {runAsUser: 1337}}
  - {name: app, securityContext: {runAsUser: 1337}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      securityContext: {runAsUser: 1337}
      containers: [{name: web, securityContext: {runAsUser: 1337}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istio-ingressgateway, namespace: istio-system, labels: {istio: ingressgateway}}
spec:
  template:
    spec:
      securityContext: {runAsUser: 1337}
---
apiVersion: v1
kind: Pod
metadata: {name: fine, namespace: shop}
spec:
  initContainers: [{name: init, securityContext: {runAsUser: 1337}}]
  containers: [{name: fine, securityContext: {runAsUser: 1338}}]
";
        assert_eq!(
            findings(&ApplicationUIDAnalyzer, input),
            vec![
                "Warning [IST0144] (Deployment shop/web t.yaml:16:25) User ID (UID) 1337 is reserved for the \
                 sidecar proxy.",
                "Warning [IST0144] (Pod shop/app t.yaml:8:35) User ID (UID) 1337 is reserved for the sidecar proxy.",
            ]
        );
    }
}
