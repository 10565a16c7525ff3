//! `telemetry.LightstepAnalyzer`: tracing through a Lightstep extension provider of the mesh
//! config is deprecated in favour of OpenTelemetry (IST0002).

use std::collections::{HashMap, HashSet};

use crate::analyze::catalogue::IST0002;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::Kind;

pub struct LightstepAnalyzer;

static METADATA: Metadata = Metadata {
    name: "telemetry.LightstepAnalyzer",
    description: "Validates that lightstep provider is still used",
    inputs: &[Kind::Telemetry, Kind::MeshConfig],
    codes: &[&IST0002],
};

impl Analyzer for LightstepAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let lightstep: HashSet<&str> = ctx
            .mesh
            .config
            .path(&["extensionProviders"])
            .as_seq()
            .iter()
            .filter(|p| p.get("lightstep").is_some_and(|l| !l.is_null()))
            .map(|p| p.path(&["name"]).text())
            .collect();
        if lightstep.is_empty() {
            return;
        }
        for telemetry in ctx.snapshot.of_kind(Kind::Telemetry) {
            // One report per provider name (the message names it), at its first use.
            let mut first_use: HashMap<&str, String> = HashMap::new();
            let mut order: Vec<&str> = Vec::new();
            let tracing = telemetry.spec().path(&["tracing"]).as_seq();
            for (i, t) in tracing.iter().enumerate() {
                for (j, p) in t.path(&["providers"]).as_seq().iter().enumerate() {
                    let name = p.path(&["name"]).text();
                    if lightstep.contains(name) && !first_use.contains_key(name) {
                        first_use.insert(name, format!("spec.tracing[{i}].providers[{j}].name"));
                        order.push(name);
                    }
                }
            }
            for name in order {
                ctx.report(
                    &IST0002,
                    telemetry,
                    first_use.remove(name),
                    vec![format!(
                        "The Lightstep provider {name} is deprecated, please migrate to OpenTelemetry provider."
                    )
                    .into()],
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::{self, MeshConfig};
    use crate::resource::{LoadOptions, Snapshot, SourceText, parse_source};

    #[test]
    fn tracing_through_a_lightstep_provider_is_deprecated() {
        let input = "\
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: tracing, namespace: shop}
spec:
  tracing:
  - providers: [{name: zipkin}, {name: ls}]
  - providers: [{name: ls}]
";
        let (resources, _) =
            parse_source(&SourceText::new("t.yaml", input), &LoadOptions::default());
        let snap = Snapshot::new(resources, true);
        let mut mesh = MeshConfig::default();
        let run = |mesh: &MeshConfig| -> Vec<String> {
            let outcome = analyze::run(&snap, mesh, "istio-system", &[&LightstepAnalyzer], false);
            analyze::select(outcome.findings, None, &[])
                .iter()
                .map(|f| f.log_line())
                .collect()
        };
        assert_eq!(run(&mesh), Vec::<String>::new());
        mesh.apply_config(
            "extensionProviders:\n- name: ls\n  lightstep: {service: ls.svc, port: 443}\n- name: zipkin\n  zipkin: {service: z, port: 9411}\n",
            "m.yaml",
        )
        .unwrap();
        assert_eq!(
            run(&mesh),
            vec![
                "Warning [IST0002] (Telemetry shop/tracing t.yaml:6:34) Deprecated: The Lightstep provider ls \
                 is deprecated, please migrate to OpenTelemetry provider."
            ]
        );
    }
}
