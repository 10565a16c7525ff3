//! `deprecation.DeprecationAnalyzer`: fields and kinds that Istio has deprecated or removed
//! (IST0002): a VirtualService fault delay given as `percent` instead of `percentage`, a
//! Sidecar's `outboundTrafficPolicy.egressProxy` (ignored), and CustomResourceDefinitions of
//! the removed `rbac.istio.io` kinds.

use crate::analyze::catalogue::IST0002;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::Kind;

pub struct DeprecationAnalyzer;

static METADATA: Metadata = Metadata {
    name: "deprecation.DeprecationAnalyzer",
    description: "Checks for deprecated Istio types and fields",
    inputs: &[
        Kind::VirtualService,
        Kind::Sidecar,
        Kind::CustomResourceDefinition,
    ],
    codes: &[&IST0002],
};

/// The group of Istio's first authorization API, removed with all of its kinds.
const REMOVED_RBAC_GROUP: &str = "rbac.istio.io";
const REMOVED_RBAC_KINDS: &[&str] = &[
    "ClusterRbacConfig",
    "RbacConfig",
    "ServiceRole",
    "ServiceRoleBinding",
];

impl Analyzer for DeprecationAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        for vs in snap.of_kind(Kind::VirtualService) {
            // Every such route gives the same message; one report points at the first.
            let first = vs.spec().path(&["http"]).as_seq().iter().position(|route| {
                route
                    .path(&["fault", "delay", "percent"])
                    .as_f64()
                    .is_some_and(|p| p > 0.0)
            });
            if let Some(i) = first {
                ctx.report(
                    &IST0002,
                    vs,
                    Some(format!("spec.http[{i}].fault.delay.percent")),
                    vec![
                        "HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage"
                            .into(),
                    ],
                );
            }
        }
        for sidecar in snap.of_kind(Kind::Sidecar) {
            let egress_proxy = sidecar
                .spec()
                .path(&["outboundTrafficPolicy"])
                .get("egressProxy");
            if egress_proxy.is_some_and(|p| !p.is_null()) {
                ctx.report(
                    &IST0002,
                    sidecar,
                    Some("spec.outboundTrafficPolicy.egressProxy".into()),
                    vec!["OutboundTrafficPolicy.EgressProxy ignored".into()],
                );
            }
        }
        for crd in snap.of_kind(Kind::CustomResourceDefinition) {
            let group = crd.spec().path(&["group"]).text();
            let kind = crd.spec().path(&["names", "kind"]).text();
            if group == REMOVED_RBAC_GROUP && REMOVED_RBAC_KINDS.contains(&kind) {
                ctx.report(
                    &IST0002,
                    crd,
                    Some("spec.names.kind".into()),
                    vec![format!("Custom resource type {group} {kind} is removed").into()],
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DeprecationAnalyzer;
    use crate::analyze::testing::findings;

    #[test]
    fn deprecated_fields_and_removed_kinds() {
        let input = "\
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings, namespace: shop}
spec:
  hosts: [ratings]
  http:
  - fault: {delay: {percentage: {value: 10}, fixedDelay: 1s}}
  - fault: {delay: {percent: 10, fixedDelay: 1s}}
  - fault: {delay: {percent: 20, fixedDelay: 1s}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: zero, namespace: shop}
spec:
  http:
  - fault: {delay: {percent: 0, fixedDelay: 1s}}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: serviceroles.rbac.istio.io}
spec:
  group: rbac.istio.io
  names: {kind: ServiceRole, plural: serviceroles}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gateways.networking.istio.io}
spec:
  group: networking.istio.io
  names: {kind: Gateway, plural: gateways}
";
        assert_eq!(
            findings(&DeprecationAnalyzer, input),
            vec![
                "Warning [IST0002] (CustomResourceDefinition serviceroles.rbac.istio.io t.yaml:23:11) \
                 Deprecated: Custom resource type rbac.istio.io ServiceRole is removed",
                "Warning [IST0002] (VirtualService shop/ratings t.yaml:8:21) Deprecated: \
                 HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage",
            ]
        );
    }
}
