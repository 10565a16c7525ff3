//! `virtualservice.JWTClaimRouteAnalyzer`: routing on JWT claims (`@request.auth.claims.<c>`
//! header matches) only works on gateway pods that validate the token, that is, pods selected by
//! a RequestAuthentication in `istio-system` or in the pod's own namespace (IST0149).
//!
//! Each Istio Gateway the VirtualService binds to (gateways that do not exist are the gateway
//! analyzer's business) is checked pod by pod. In a file-only run a gateway whose selector no
//! workload of the input could match (no workload carries one of its keys) is not judged: its
//! pods live in the cluster, and the check is named in a note.

use std::collections::HashMap;

use crate::analyze::analyzer::{INGRESS_MANIFESTS, LookUp};
use crate::analyze::analyzers::hosts::{self, MESH_GATEWAY};
use crate::analyze::catalogue::IST0149;
use crate::analyze::{Analyzer, Context, Metadata};

/// The check a file-only run skips when the input holds no pod of the gateway.
pub const GATEWAY_PODS_CHECK: &str = "IST0149 (gateway pods)";
use crate::resource::{Kind, Labels, Node, Selector, views};

pub struct JWTClaimRouteAnalyzer;

static METADATA: Metadata = Metadata {
    name: "virtualservice.JWTClaimRouteAnalyzer",
    description: "Checks the VirtualService using JWT claim based routing has corresponding RequestAuthentication",
    inputs: &[
        Kind::VirtualService,
        Kind::RequestAuthentication,
        Kind::Gateway,
        Kind::Pod,
    ],
    codes: &[&IST0149],
};

/// The header prefix under which Istio exposes validated JWT claims.
const CLAIM_PREFIX: &str = "@request.auth.claims";

/// The first claim header a VirtualService matches on, with its field path.
fn claim_key(rules: &[Node]) -> Option<(&str, String)> {
    for (i, rule) in rules.iter().enumerate() {
        for (j, m) in rule.path(&["match"]).as_seq().iter().enumerate() {
            for key in ["headers", "withoutHeaders"] {
                for entry in m.path(&[key]).as_map() {
                    let is_claim = entry
                        .key
                        .get(..CLAIM_PREFIX.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(CLAIM_PREFIX));
                    if is_claim {
                        let field = format!("spec.http[{i}].match[{j}].{key}.{}", entry.key);
                        return Some((entry.key.as_str(), field));
                    }
                }
            }
        }
    }
    None
}

impl Analyzer for JWTClaimRouteAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let mut request_authns: HashMap<&str, Vec<Selector>> = HashMap::new();
        for ra in snap.of_kind(Kind::RequestAuthentication) {
            request_authns
                .entry(ra.namespace.as_str())
                .or_default()
                .push(Selector::from_node(
                    ra.spec().path(&["selector", "matchLabels"]),
                ));
        }
        let validated = |namespace: &str, labels: &Labels| {
            ["istio-system", namespace]
                .iter()
                .flat_map(|ns| request_authns.get(ns).into_iter().flatten())
                .any(|s| s.matches(labels))
        };
        // Pods without a RequestAuthentication, per gateway selector (gateways often share one).
        let mut unvalidated: HashMap<Selector, Vec<String>> = HashMap::new();

        for vs in snap
            .of_kind(Kind::VirtualService)
            .filter_map(views::VirtualService::of)
        {
            let Some((key, field)) = claim_key(vs.rules(views::RouteKind::Http)) else {
                continue;
            };
            for (_, reference) in vs.gateways() {
                if reference == MESH_GATEWAY {
                    continue;
                }
                let (gw_ns, gw_name) = reference
                    .split_once('/')
                    .unwrap_or((vs.namespace.as_str(), reference));
                let Some(gw) = snap
                    .get(Kind::Gateway, gw_ns, gw_name)
                    .and_then(views::Gateway::of)
                else {
                    continue;
                };
                let selector = gw.selector();
                let lookup = LookUp {
                    selector: &selector,
                    namespace: None,
                    field: Some(field.clone()),
                    targets: INGRESS_MANIFESTS,
                };
                if !ctx.can_look_up_workloads(vs.resource(), lookup, &[GATEWAY_PODS_CHECK]) {
                    continue;
                }
                let pods = unvalidated.entry(selector.clone()).or_insert_with(|| {
                    snap.workloads_matching(&selector, None, true)
                        .filter(|w| !validated(&w.namespace, &w.labels))
                        .map(|w| snap.resource(w.resource).name.clone())
                        .collect()
                });
                for pod in pods.iter() {
                    ctx.report(
                        &IST0149,
                        vs.resource(),
                        Some(field.clone()),
                        vec![
                            key.into(),
                            hosts::full_name(gw_ns, gw_name).into(),
                            pod.into(),
                        ],
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::JWTClaimRouteAnalyzer;
    use crate::analyze::testing::findings;

    #[test]
    fn gateway_pods_need_a_request_authentication() {
        let input = "\
apiVersion: v1
kind: Pod
metadata: {name: gw-a, namespace: ingress, labels: {istio: gw}}
---
apiVersion: v1
kind: Pod
metadata: {name: gw-b, namespace: other, labels: {istio: gw}}
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: ra, namespace: ingress}
spec: {selector: {matchLabels: {istio: gw}}}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: ingress}
spec: {selector: {istio: gw}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: apps}
spec:
  hosts: [a.example.com]
  gateways: [mesh, ingress/gw, missing]
  http:
  - match:
    - headers:
        '@request.auth.claims[group]': {exact: admin}
    route:
    - destination: {host: a}
";
        assert_eq!(
            findings(&JWTClaimRouteAnalyzer, input),
            vec![
                "Error [IST0149] (VirtualService apps/vs t.yaml:28:9) The virtual service uses the JWT claim based \
                 routing (key: @request.auth.claims[group]) but found no request authentication for the gateway \
                 (ingress/gw) pod (gw-b). The request authentication must first be applied for the gateway pods \
                 to validate the JWT token and make the claims available for routing."
            ]
        );
    }
}
