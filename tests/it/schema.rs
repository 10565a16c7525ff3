//! The schema validation analyzers against real configuration: the generated schema table must
//! match the release's CRDs, no sample manifest of the Istio release may get a schema error or
//! warning (IST0106/IST0133) that Istio itself would not give, and objects read from a real API
//! server are validated as files are.

use std::path::{Path, PathBuf};

use meshdeck::analyze::analyzers::schema::{self, Finding, table};
use meshdeck::resource::{LoadOptions, SourceText, parse_source};
use serde_json::Value;

use crate::cli::run;
use crate::common::{repo, shared_dir};
use crate::testcluster::{cluster, exclusive};

const RELEASE: &str = "1.30.3";

#[test]
fn the_schema_table_matches_the_release_crds() {
    let crds = shared_dir().join(format!(
        "istio-release/{RELEASE}/manifests/charts/base/files/crd-all.gen.yaml"
    ));
    let text = std::fs::read_to_string(&crds).unwrap();
    let generated = table::generate(&text, RELEASE).unwrap();
    let committed = std::fs::read_to_string(repo().join("data/istio-schema.table")).unwrap();
    assert!(
        generated == committed,
        "data/istio-schema.table is out of date: regenerate it with scripts/gen-schema"
    );
    let kinds = table::parse(&committed).unwrap();
    assert_eq!(kinds.len(), 15, "one schema per Istio CRD");
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(p);
        }
    }
}

/// Messages the samples get from Istio itself too, by the start of their text, and why.
const EXCEPTIONS: &[(&str, &str)] = &[(
    "EnvoyFilter exposes internal implementation details",
    "Istio's validation warns about every EnvoyFilter (the API exposes Envoy internals); \
     the release's two EnvoyFilter samples get it from istioctl as well",
)];

#[test]
fn no_sample_manifest_gets_a_false_schema_error() {
    let samples = shared_dir().join(format!("istio-release/{RELEASE}/samples"));
    let mut files = Vec::new();
    yaml_files(&samples, &mut files);
    let mut checked = 0;
    let mut problems = Vec::new();
    let mut excused = vec![0; EXCEPTIONS.len()];
    for file in &files {
        let name = file.strip_prefix(&samples).unwrap().display().to_string();
        let text = std::fs::read_to_string(file).unwrap();
        let (resources, _) = parse_source(&SourceText::new(&name, text), &LoadOptions::default());
        for r in resources.iter().filter(|r| r.kind.is_istio()) {
            checked += 1;
            for f in schema::validate(r) {
                let Finding::Problem(p) = f else { continue };
                match EXCEPTIONS
                    .iter()
                    .position(|(m, _)| p.message.starts_with(m))
                {
                    Some(i) => excused[i] += 1,
                    None => problems.push(format!("{name}: {} {}: {}", r.kind, r.name, p.message)),
                }
            }
        }
    }
    println!(
        "schema: {checked} Istio resources in {} sample files",
        files.len()
    );
    assert!(
        checked >= 40,
        "only {checked} Istio resources found in the samples"
    );
    assert!(
        problems.is_empty(),
        "schema problems in the release's samples:\n{}",
        problems.join("\n")
    );
    // Each exception is still needed: it matched at least once.
    for ((text, _), n) in EXCEPTIONS.iter().zip(&excused) {
        assert!(
            *n > 0,
            "the exception {text:?} matches nothing any more: remove it"
        );
    }
}

/// A VirtualService the API server accepts (its CRD schema has no minimum for weights, and the
/// test server holds the CRDs without their CEL rules) is still checked against Istio's rules
/// when it is read from the cluster: a negative weight is an error, 80/30 gets the real split.
#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn objects_read_from_the_cluster_are_validated() {
    let c = cluster();
    c.load_istio_crds();
    let _only = exclusive();
    let ns = c.namespace("schema");
    ns.apply_json(serde_json::json!({
        "apiVersion": "networking.istio.io/v1",
        "kind": "VirtualService",
        "metadata": {"name": "reviews", "namespace": ns.name},
        "spec": {
            "hosts": ["reviews"],
            "http": [
                {
                    "match": [{"headers": {"end-user": {"exact": "jason"}}}],
                    "route": [
                        {"destination": {"host": "reviews", "subset": "v2"}, "weight": -10},
                        {"destination": {"host": "reviews", "subset": "v1"}, "weight": 110},
                    ],
                },
                {
                    "route": [
                        {"destination": {"host": "reviews", "subset": "v1"}, "weight": 80},
                        {"destination": {"host": "reviews", "subset": "v3"}, "weight": 30},
                    ],
                },
            ],
        },
    }));
    let kubeconfig = c.kubeconfig.to_str().unwrap();
    let (_, out, err) = run(
        &[
            "analyze",
            "--kubeconfig",
            kubeconfig,
            "-n",
            &ns.name,
            "-o",
            "json",
            "--analyzer",
            "schema.ValidationAnalyzer.VirtualService",
        ],
        None,
    );
    let parsed: Vec<Value> =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    let got: Vec<(String, String, String)> = parsed
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_string(),
                r["origin"].as_str().unwrap_or("").to_string(),
                r["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let origin = format!("VirtualService {}/reviews", ns.name);
    assert_eq!(
        got,
        vec![
            (
                "IST0106".to_string(),
                origin.clone(),
                "Schema validation error: weight -10 < 0".to_string()
            ),
            (
                "MDK0002".to_string(),
                origin,
                "Route weights 80/30 add up to 110, not 100; weights are relative, so they route 73% / 27%."
                    .to_string()
            ),
        ],
        "{err}"
    );
}
