//! Istio's analyzer corpus (`../shared/conformance/istio-analyze`), run under the rules of its
//! README: one analyzer per case, no default namespace, runtime kinds loaded, the harness's dummy
//! ingress added, and the multiset of (code, origin) compared after sort and de-duplication.

use std::collections::BTreeMap;

use meshdeck::analyze::{self, MeshConfig, analyzers};
use meshdeck::resource::{LoadOptions, Snapshot};
use meshdeck::source::{Loaded, files};
use serde_json::Value;

use crate::common::shared_dir;

/// The cases that do not run, by id, each with the reason. The list is exact: an analyzer that is
/// renamed or removed makes its cases fail here instead of quietly turning into "not run".
/// Every case runs today (the multi-cluster one as `--remote-contexts` does: its first cluster is
/// the primary, the others remote clusters).
const NOT_RUN: &[(&str, &str)] = &[];

struct CaseResult {
    id: String,
    name: String,
    analyzer: String,
    implemented: bool,
    passed: bool,
    detail: String,
}

fn run_case(case: &Value) -> CaseResult {
    let root = shared_dir().join("conformance/istio-analyze");
    let s = |k: &str| case[k].as_str().unwrap_or_default().to_string();
    let analyzer_name = s("analyzer");
    let mut result = CaseResult {
        id: s("id"),
        name: s("name"),
        analyzer: analyzer_name.clone(),
        implemented: false,
        passed: false,
        detail: String::new(),
    };
    let Some(analyzer) = analyzers::find(&analyzer_name) else {
        result.detail = "analyzer not implemented".into();
        return result;
    };
    result.implemented = true;
    let meta = analyzer.metadata();
    let load = |inputs: &[String]| {
        let opts = LoadOptions {
            default_namespace: None,
            apply_defaults: false,
        };
        let mut loaded = Loaded::default();
        for input in inputs {
            let (sources, issues) = files::read_path(root.join(input).to_str().unwrap());
            assert!(issues.is_empty(), "{input}: {issues:?}");
            loaded.add_sources(sources, &opts);
        }
        loaded.resources.retain(|r| meta.inputs.contains(&r.kind));
        loaded
    };
    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    // A multi-cluster case: the first cluster is the primary, the others are remote clusters.
    let mut clusters = analyze::Clusters::default();
    let mut inputs = names(&case["inputs"]);
    if let Some(by_cluster) = case["clusters"].as_object() {
        let mut by_cluster: Vec<(&String, &Value)> = by_cluster.iter().collect();
        by_cluster.sort_by_key(|(name, _)| *name);
        let ((primary, primary_inputs), remotes) = by_cluster.split_first().unwrap();
        clusters.primary = primary.to_string();
        inputs = names(primary_inputs);
        for (name, files) in remotes {
            clusters.remotes.push(analyze::RemoteCluster {
                name: name.to_string(),
                resources: load(&names(files)).resources,
            });
        }
    }
    inputs.push("harness/default-ingress.yaml".into());
    let mut loaded = load(&inputs);
    let mut mesh = MeshConfig::default();
    if let Some(f) = case["mesh_config"].as_str() {
        mesh.apply_config(&std::fs::read_to_string(root.join(f)).unwrap(), f)
            .unwrap();
    }
    if let Some(f) = case["mesh_networks"].as_str() {
        mesh.apply_networks(&std::fs::read_to_string(root.join(f)).unwrap(), f)
            .unwrap();
    }
    loaded.resources.extend(mesh.as_resources("istio-system"));
    let snapshot = Snapshot::new(loaded.resources, false);
    // Not a file-only run: for istioctl a case's inputs are the whole world (its harness loads
    // them as the cluster's contents), so a Service missing from them is missing from the mesh,
    // and no check is skipped for targets that would live in a cluster (the ingress workloads,
    // the Services of a destination host's namespace).
    let outcome = analyze::run_clusters(
        &snapshot,
        &mesh,
        "istio-system",
        &[analyzer],
        false,
        std::time::SystemTime::now(),
        &clusters,
    );
    let findings = analyze::select(outcome.findings, None, &[]);

    let mut got: BTreeMap<(String, String), i32> = BTreeMap::new();
    for f in &findings {
        *got.entry((f.code().to_string(), f.origin.clone().unwrap_or_default()))
            .or_default() += 1;
    }
    let mut want: BTreeMap<(String, String), i32> = BTreeMap::new();
    for e in case["expected"].as_array().unwrap() {
        let key = (
            e["code"].as_str().unwrap().to_string(),
            e["resource"].as_str().unwrap().to_string(),
        );
        *want.entry(key).or_default() += 1;
    }
    result.passed = got == want;
    if !result.passed {
        result.detail = format!(
            "want {want:?}\n      got  {got:?}\n      messages: {:#?}",
            findings.iter().map(|f| f.log_line()).collect::<Vec<_>>()
        );
    }
    result
}

#[test]
fn istio_analyzer_corpus() {
    let path = shared_dir().join("conformance/istio-analyze/expected.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the conformance corpus is read from {}: {e}",
            path.display()
        )
    });
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    let results: Vec<CaseResult> = cases.iter().map(run_case).collect();
    let passed = results.iter().filter(|r| r.passed).count();
    let failures: Vec<&CaseResult> = results
        .iter()
        .filter(|r| r.implemented && !r.passed)
        .collect();
    let not_run: Vec<(&str, &str)> = results
        .iter()
        .filter(|r| !r.implemented)
        .map(|r| (r.id.as_str(), r.analyzer.as_str()))
        .collect();
    println!("conformance: {passed}/{}", cases.len());
    for (id, analyzer) in &not_run {
        let reason = NOT_RUN
            .iter()
            .find(|(i, _)| i == id)
            .map_or("not listed in NOT_RUN", |(_, why)| why);
        println!("not run: {id} [{analyzer}]: {reason}");
    }
    for f in &failures {
        println!(
            "FAIL {} {} [{}]\n      {}",
            f.id, f.name, f.analyzer, f.detail
        );
    }
    assert!(
        failures.is_empty(),
        "{} case(s) of implemented analyzers fail (see above)",
        failures.len()
    );
    let not_run_ids: Vec<&str> = not_run.iter().map(|(id, _)| *id).collect();
    let expected_ids: Vec<&str> = NOT_RUN.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        not_run_ids, expected_ids,
        "the cases that do not run changed: an analyzer was renamed or removed, or one was added \
         (then take its cases off NOT_RUN)"
    );
    assert_eq!(passed, cases.len() - NOT_RUN.len());
}
