//! `telemetry.DefaultSelectorAnalyzer`: only one Telemetry per namespace may leave out
//! `selector`; with several, which one applies namespace-wide is undefined (IST0160).
//!
//! As in Istio, only a missing `selector` counts: an empty one, or `targetRefs` instead, does
//! not make a Telemetry namespace-wide here.

use std::collections::HashMap;

use crate::analyze::analyzers::sidecar::policy_names;
use crate::analyze::catalogue::IST0160;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::Kind;

pub struct DefaultSelectorAnalyzer;

static METADATA: Metadata = Metadata {
    name: "telemetry.DefaultSelectorAnalyzer",
    description: "Validates that there aren't multiple telemetry resources that have no selector",
    inputs: &[Kind::Telemetry],
    codes: &[&IST0160],
};

impl Analyzer for DefaultSelectorAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let mut by_namespace: Vec<(&str, Vec<usize>)> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for telemetry in snap.of_kind(Kind::Telemetry) {
            if telemetry
                .spec()
                .get("selector")
                .is_some_and(|s| !s.is_null())
            {
                continue;
            }
            let ns = telemetry.namespace.as_str();
            let slot = *index.entry(ns).or_insert_with(|| {
                by_namespace.push((ns, Vec::new()));
                by_namespace.len() - 1
            });
            by_namespace[slot].1.push(telemetry.id);
        }
        for (ns, ids) in by_namespace.iter().filter(|(_, ids)| ids.len() > 1) {
            let names = policy_names(snap, ids);
            for &id in ids {
                ctx.report(
                    &IST0160,
                    snap.resource(id),
                    None,
                    vec![names.clone().into(), (*ns).into()],
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::testing::findings;

    #[test]
    fn several_selectorless_telemetries_in_a_namespace_conflict() {
        let input = "\
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: b, namespace: shop}
spec: {tracing: [{randomSamplingPercentage: 10}]}
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: a, namespace: shop}
spec: {}
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: empty-selector, namespace: shop}
spec: {selector: {}}
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: alone, namespace: other}
spec: {}
";
        let got = findings(&DefaultSelectorAnalyzer, input);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert!(
            got[0].ends_with(
                "The Telemetries [a b] in namespace \"shop\" have no workload selector, which can lead \
                 to undefined behavior."
            ),
            "{got:#?}"
        );
    }
}
