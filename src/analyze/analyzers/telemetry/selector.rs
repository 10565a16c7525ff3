//! `telemetry.SelectorAnalyzer`: a Telemetry's `selector.matchLabels` must pick some workload in
//! its namespace (IST0101), and no workload may be picked by two Telemetries (IST0159).
//!
//! Selection is counted as for Sidecars (see [`PolicySelection`]).

use crate::analyze::analyzer::{LookUp, WORKLOAD_MANIFESTS};
use crate::analyze::analyzers::sidecar::{PolicySelection, policy_names};
use crate::analyze::catalogue::{IST0101, IST0159};
use crate::analyze::{Analyzer, Context, Metadata};

/// The check a file-only run skips when the input holds no workload the selector could pick.
pub const SELECTOR_CHECK: &str = "IST0101 (selector)";
use crate::resource::{Kind, Selector};

pub struct SelectorAnalyzer;

static METADATA: Metadata = Metadata {
    name: "telemetry.SelectorAnalyzer",
    description: "Validates that telemetries that define a selector match at least one pod, and that \
                  there aren't multiple telemetry resources that select overlapping pods",
    inputs: &[Kind::Telemetry, Kind::Pod],
    codes: &[&IST0101, &IST0159],
};

impl Analyzer for SelectorAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let mut selection = PolicySelection::new(snap);
        for telemetry in snap.of_kind(Kind::Telemetry) {
            let selector = Selector::from_node(telemetry.spec().path(&["selector", "matchLabels"]));
            if selector.is_empty() {
                continue;
            }
            if selection.select(telemetry.id, &selector, &telemetry.namespace) {
                let field = selector
                    .first_key()
                    .map(|k| format!("spec.selector.matchLabels.{k}"));
                let lookup = LookUp {
                    selector: &selector,
                    namespace: Some(&telemetry.namespace),
                    field: field.clone(),
                    targets: WORKLOAD_MANIFESTS,
                };
                if !ctx.can_look_up_workloads(telemetry, lookup, &[SELECTOR_CHECK]) {
                    continue;
                }
                ctx.report(
                    &IST0101,
                    telemetry,
                    field,
                    vec!["selector".into(), selector.to_string().into()],
                );
            }
        }
        for (workload, telemetries) in &selection.by_workload {
            if telemetries.len() < 2 {
                continue;
            }
            let pod = snap.resource(*workload);
            let names = policy_names(snap, telemetries);
            for &id in telemetries {
                ctx.report(
                    &IST0159,
                    snap.resource(id),
                    Some("metadata.name".into()),
                    vec![
                        names.clone().into(),
                        pod.namespace.clone().into(),
                        pod.name.clone().into(),
                    ],
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SelectorAnalyzer;
    use crate::analyze::testing::findings;

    #[test]
    fn selectors_must_pick_a_workload_and_not_overlap() {
        let input = "\
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, labels: {app: web, tier: front}}
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: by-app, namespace: shop}
spec: {selector: {matchLabels: {app: web}}}
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: by-tier, namespace: shop}
spec: {selector: {matchLabels: {tier: front}}}
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: typo, namespace: shop}
spec:
  selector:
    matchLabels:
      tier: front
      app: wbe
";
        let got = findings(&SelectorAnalyzer, input);
        assert_eq!(got.len(), 3, "{got:#?}");
        assert!(
            got[0].starts_with("Error [IST0101] (Telemetry shop/typo t.yaml:22:7)")
                && got[0].ends_with("Referenced selector not found: \"app=wbe,tier=front\""),
            "{got:#?}"
        );
        assert!(
            got[1].ends_with(
                "The Telemetries [by-app by-tier] in namespace \"shop\" select the same workload pod \
                 \"web-1\", which can lead to undefined behavior."
            ),
            "{got:#?}"
        );
    }
}
