//! `conditions.ConditionAnalyzer`: status conditions that say a resource is not working
//! (IST0171), as controllers wrote them into `status`.
//!
//! - Services, ServiceEntries and WorkloadEntries: `istio.io/WaypointBound` is `False`.
//! - AuthorizationPolicies: `ZtunnelAccepted` or `WaypointAccepted` is `False`, or
//!   `WaypointAccepted` has the reason `PartiallyInvalid` (whatever its status).
//! - Gateway API Gateways (`status.conditions`) and HTTPRoutes/GRPCRoutes (the conditions of each
//!   `status.parents[]`): `Accepted`, `Programmed` or `ResolvedRefs` is `False`.

use std::collections::HashSet;

use crate::analyze::catalogue::IST0171;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::{Kind, Node, Resource};

pub struct ConditionAnalyzer;

static METADATA: Metadata = Metadata {
    name: "conditions.ConditionAnalyzer",
    description: "Checks for negative status conditions on resources",
    inputs: &[
        Kind::Service,
        Kind::ServiceEntry,
        Kind::WorkloadEntry,
        Kind::AuthorizationPolicy,
        Kind::K8sGateway,
        Kind::HTTPRoute,
        Kind::GRPCRoute,
    ],
    codes: &[&IST0171],
};

/// The condition types whose `False` status is bad news, per kind.
fn negative_when_false(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Service | Kind::ServiceEntry | Kind::WorkloadEntry => &["istio.io/WaypointBound"],
        Kind::AuthorizationPolicy => &["ZtunnelAccepted", "WaypointAccepted"],
        Kind::K8sGateway | Kind::HTTPRoute | Kind::GRPCRoute => {
            &["Accepted", "Programmed", "ResolvedRefs"]
        }
        _ => &[],
    }
}

/// `(field path, condition)` of every status condition of a resource.
fn conditions(r: &Resource) -> Vec<(String, &Node)> {
    let status = r.doc.path(&["status"]);
    match r.kind {
        Kind::HTTPRoute | Kind::GRPCRoute => status
            .path(&["parents"])
            .as_seq()
            .iter()
            .enumerate()
            .flat_map(|(p, parent)| {
                parent
                    .path(&["conditions"])
                    .as_seq()
                    .iter()
                    .enumerate()
                    .map(move |(i, c)| (format!("status.parents[{p}].conditions[{i}]"), c))
            })
            .collect(),
        _ => status
            .path(&["conditions"])
            .as_seq()
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("status.conditions[{i}]"), c))
            .collect(),
    }
}

impl Analyzer for ConditionAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        for &kind in METADATA.inputs {
            let negative = negative_when_false(kind);
            for r in snap.of_kind(kind) {
                // The same condition under two parents reads the same: report it once.
                let mut seen: HashSet<(&str, &str, &str)> = HashSet::new();
                for (field, condition) in conditions(r) {
                    let ty = condition.path(&["type"]).text();
                    let status = condition.path(&["status"]).text();
                    let reason = condition.path(&["reason"]).text();
                    let message = condition.path(&["message"]).text();
                    let bad = (status == "False" && negative.contains(&ty))
                        || (kind == Kind::AuthorizationPolicy
                            && ty == "WaypointAccepted"
                            && reason == "PartiallyInvalid");
                    if bad && seen.insert((ty, reason, message)) {
                        ctx.report(
                            &IST0171,
                            r,
                            Some(field),
                            vec![ty.into(), reason.into(), message.into()],
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ConditionAnalyzer;
    use crate::analyze::testing::findings;

    #[test]
    fn negative_conditions_per_kind() {
        let input = "\
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: we, namespace: apps}
status:
  conditions:
  - {type: istio.io/WaypointBound, status: 'False', reason: NoWaypoint, message: no}
  - {type: Accepted, status: 'False', reason: X, message: ignored}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: apps}
status:
  parents:
  - conditions:
    - {type: ResolvedRefs, status: 'False', reason: BackendNotFound, message: gone}
    - {type: Accepted, status: 'True', reason: Accepted, message: ok}
  - conditions:
    - {type: ResolvedRefs, status: 'False', reason: BackendNotFound, message: gone}
";
        assert_eq!(
            findings(&ConditionAnalyzer, input),
            vec![
                "Warning [IST0171] (HTTPRoute apps/r t.yaml:15:7) A condition with a negative status is present: \
                 type=ResolvedRefs, reason=BackendNotFound, message=gone.",
                "Warning [IST0171] (WorkloadEntry apps/we t.yaml:6:5) A condition with a negative status is \
                 present: type=istio.io/WaypointBound, reason=NoWaypoint, message=no.",
            ]
        );
    }
}
