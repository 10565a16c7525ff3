//! `telemetry.ProviderAnalyzer`: an `accessLogging` entry of a Telemetry that names no provider
//! is dropped when the mesh has no default access-log provider either (IST0157).

use crate::analyze::catalogue::IST0157;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::Kind;

pub struct ProviderAnalyzer;

static METADATA: Metadata = Metadata {
    name: "telemetry.ProviderAnalyzer",
    description: "Validates that providers in telemetry resource is valid",
    inputs: &[Kind::Telemetry, Kind::MeshConfig],
    codes: &[&IST0157],
};

impl Analyzer for ProviderAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let defaults = ctx.mesh.config.path(&["defaultProviders", "accessLogging"]);
        if !defaults.as_seq().is_empty() {
            return;
        }
        for telemetry in ctx.snapshot.of_kind(Kind::Telemetry) {
            // Every such entry gives the same message; one report points at the first.
            let unnamed = telemetry
                .spec()
                .path(&["accessLogging"])
                .as_seq()
                .iter()
                .position(|entry| {
                    entry.path(&["disabled"]).as_bool() != Some(true)
                        && entry.path(&["providers"]).as_seq().is_empty()
                });
            if let Some(i) = unnamed {
                ctx.report(
                    &IST0157,
                    telemetry,
                    Some(format!("spec.accessLogging[{i}]")),
                    vec![
                        telemetry.name.clone().into(),
                        telemetry.namespace.clone().into(),
                    ],
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::testing::findings;

    const INPUT: &str = "\
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: logs, namespace: shop}
spec:
  accessLogging:
  - providers: [{name: envoy}]
  - disabled: true
  - filter: {expression: 'response.code >= 400'}
  - disabled: false
";

    #[test]
    fn entries_without_providers_are_reported_once_per_telemetry() {
        assert_eq!(
            findings(&ProviderAnalyzer, INPUT),
            vec![
                "Warning [IST0157] (Telemetry shop/logs t.yaml:8:5) The Telemetry logs in namespace \"shop\" \
                 with empty providers will be ignored."
            ]
        );
    }
}
