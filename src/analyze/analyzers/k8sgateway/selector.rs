//! `k8sgateway.SelectorAnalyzer`: policies that pick Gateway API gateway pods with a `selector`
//! (IST0166). Istio applies policies to those gateways only through `targetRef`, so the selector
//! has no effect.
//!
//! AuthorizationPolicies, RequestAuthentications, Telemetries and WasmPlugins with a `selector`
//! and no `targetRef` are checked against the Pods of their namespace that carry the
//! `gateway.networking.k8s.io/gateway-name` label; each gateway such a selector picks is reported
//! once.

use std::collections::{BTreeSet, HashMap};

use crate::analyze::catalogue::IST0166;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::{Kind, Labels, Selector};

pub struct SelectorAnalyzer;

static METADATA: Metadata = Metadata {
    name: "k8sgateway.SelectorAnalyzer",
    description: "Check that selectors are effective for Kubernetes gateway",
    inputs: &[
        Kind::AuthorizationPolicy,
        Kind::RequestAuthentication,
        Kind::Telemetry,
        Kind::WasmPlugin,
        Kind::Pod,
    ],
    codes: &[&IST0166],
};

const GATEWAY_NAME_LABEL: &str = "gateway.networking.k8s.io/gateway-name";

impl Analyzer for SelectorAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        // Labels of the Gateway API gateway pods, by namespace. Only these pods matter, so each
        // policy is matched against the gateway pods of its namespace alone.
        let mut gateway_pods: HashMap<&str, Vec<&Labels>> = HashMap::new();
        for pod in snap.of_kind(Kind::Pod) {
            if pod.labels.contains_key(GATEWAY_NAME_LABEL) {
                gateway_pods
                    .entry(pod.namespace.as_str())
                    .or_default()
                    .push(&pod.labels);
            }
        }
        if gateway_pods.is_empty() {
            return;
        }
        let kinds = [
            Kind::AuthorizationPolicy,
            Kind::RequestAuthentication,
            Kind::Telemetry,
            Kind::WasmPlugin,
        ];
        for policy in kinds.into_iter().flat_map(|k| snap.of_kind(k)) {
            let spec = policy.spec();
            if spec.get("targetRef").is_some_and(|t| !t.is_null()) {
                continue;
            }
            let Some(selector) = spec.get("selector").filter(|s| !s.is_null()) else {
                continue;
            };
            let Some(pods) = gateway_pods.get(policy.namespace.as_str()) else {
                continue;
            };
            let selector = Selector::from_node(selector.path(&["matchLabels"]));
            let gateways: BTreeSet<&str> = pods
                .iter()
                .filter(|labels| selector.matches(labels))
                .map(|labels| labels[GATEWAY_NAME_LABEL].as_str())
                .collect();
            let field = match selector.first_key() {
                Some(k) => format!("spec.selector.matchLabels.{k}"),
                None => "spec.selector".to_string(),
            };
            for gateway in gateways {
                ctx.report(&IST0166, policy, Some(field.clone()), vec![gateway.into()]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SelectorAnalyzer;
    use crate::analyze::testing::findings;

    #[test]
    fn selectors_on_gateway_pods() {
        let input = "\
apiVersion: v1
kind: Pod
metadata: {name: gw-1, namespace: apps, labels: {gateway.networking.k8s.io/gateway-name: gw, app: gw}}
---
apiVersion: v1
kind: Pod
metadata: {name: gw-2, namespace: apps, labels: {gateway.networking.k8s.io/gateway-name: gw, app: gw}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: apps, labels: {app: web}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: all, namespace: apps}
spec: {selector: {}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: web, namespace: apps}
spec: {selector: {matchLabels: {app: web}}}
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: targeted, namespace: apps}
spec:
  selector: {matchLabels: {app: gw}}
  targetRef: {kind: Gateway, group: gateway.networking.k8s.io, name: gw}
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: other-ns, namespace: other}
spec: {selector: {matchLabels: {app: gw}}}
";
        assert_eq!(
            findings(&SelectorAnalyzer, input),
            vec![
                "Warning [IST0166] (AuthorizationPolicy apps/all t.yaml:16:8) Ineffective selector on Kubernetes \
                 Gateway gw. Use the TargetRef field instead."
            ]
        );
    }
}
