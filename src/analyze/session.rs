//! One `analyze` run, end to end: read the inputs (files, stdin, URLs, a cluster), build the
//! snapshot, run the selected analyzers, and filter what they found.

use std::path::PathBuf;
use std::time::Duration;

use super::{Finding, MeshConfig, Suppression, analyzers, catalogue, mesh::MeshConfigError};
use crate::analyze::Analyzer;
use crate::resource::{LoadIssue, LoadOptions, Snapshot};
use crate::source::{self, cluster};

/// What to analyze and how.
#[derive(Clone, Debug)]
pub struct AnalyzeRequest {
    /// Files, directories, `-`, URLs.
    pub paths: Vec<String>,
    /// `-n`: the namespace messages are reported for (and the default for file resources).
    pub namespace: Option<String>,
    /// `-A`.
    pub all_namespaces: bool,
    /// Analyzer names; empty means all.
    pub analyzers: Vec<String>,
    /// Raw `-S` values.
    pub suppress: Vec<String>,
    pub mesh_config_file: Option<PathBuf>,
    pub mesh_networks_file: Option<PathBuf>,
    pub istio_namespace: String,
    /// Read the cluster (with paths: lay the files over it).
    pub use_kube: bool,
    pub kube: cluster::Target,
    /// Bound on URL fetches and cluster reads.
    pub timeout: Duration,
}

/// What the run found and everything worth telling about how it went.
#[derive(Debug, Default)]
pub struct AnalyzeReport {
    /// Sorted, de-duplicated, filtered by namespace and suppressions (not by output threshold).
    pub findings: Vec<Finding>,
    /// Problems with the inputs (parse errors are `Severity::Error`: exit code 65).
    pub load_issues: Vec<LoadIssue>,
    pub executed: Vec<&'static str>,
    pub skipped: Vec<(&'static str, String)>,
    /// Warnings about the request itself (unknown suppression codes, kinds that could not be read).
    pub warnings: Vec<String>,
    /// The sources read, as named to the user.
    pub sources: Vec<String>,
    /// What was analyzed, for "No validation issues found when analyzing ...".
    pub target: String,
    pub resources: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum AnalyzeError {
    #[error("unknown analyzer {name:?}")]
    UnknownAnalyzer {
        name: String,
        known: Vec<&'static str>,
    },
    #[error("invalid --suppress value: {0}")]
    BadSuppression(String),
    #[error("cannot read the mesh config file {path}: {reason}")]
    MeshFile { path: String, reason: String },
    #[error(transparent)]
    MeshConfig(#[from] MeshConfigError),
    #[error(transparent)]
    Cluster(#[from] cluster::ClusterError),
    #[error(
        "nothing to analyze: give files, directories, - or URLs, or use --use-kube to read a cluster"
    )]
    NoInput,
}

impl AnalyzeError {
    /// A flag value the user must correct (exit code 64).
    pub fn is_bad_flag_value(&self) -> bool {
        matches!(
            self,
            AnalyzeError::UnknownAnalyzer { .. } | AnalyzeError::BadSuppression(_)
        )
    }

    pub fn hint(&self) -> Option<String> {
        match self {
            AnalyzeError::UnknownAnalyzer { known, .. } => Some(format!(
                "known analyzers (meshdeck analyze -L): {}",
                known.join(", ")
            )),
            AnalyzeError::Cluster(e) => e.hint(),
            _ => None,
        }
    }
}

/// Resolves `--analyzer` names; an unknown name is an error (istioctl silently runs all).
pub fn select_analyzers(names: &[String]) -> Result<Vec<&'static dyn Analyzer>, AnalyzeError> {
    let all = analyzers::all();
    if names.is_empty() {
        return Ok(all);
    }
    let mut selected = Vec::new();
    for name in names {
        match all.iter().find(|a| a.metadata().name == name) {
            Some(a)
                if !selected
                    .iter()
                    .any(|s: &&dyn Analyzer| std::ptr::eq(*s, *a)) =>
            {
                selected.push(*a)
            }
            Some(_) => {}
            None => {
                return Err(AnalyzeError::UnknownAnalyzer {
                    name: name.clone(),
                    known: all.iter().map(|a| a.metadata().name).collect(),
                });
            }
        }
    }
    Ok(selected)
}

fn read_mesh_file(path: &PathBuf) -> Result<String, AnalyzeError> {
    std::fs::read_to_string(path).map_err(|e| AnalyzeError::MeshFile {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// Runs one analysis.
pub async fn analyze(req: &AnalyzeRequest) -> Result<AnalyzeReport, AnalyzeError> {
    // Counted from the start, as the caller's --timeout is: reading stdin or a URL must end by it.
    let deadline = source::Deadline::after(req.timeout);
    let selected = select_analyzers(&req.analyzers)?;
    let suppressions = req
        .suppress
        .iter()
        .map(|s| Suppression::parse(s).map_err(AnalyzeError::BadSuppression))
        .collect::<Result<Vec<_>, _>>()?;
    let mut report = AnalyzeReport::default();
    for s in &suppressions {
        if catalogue::find(&s.code).is_none() {
            report.warnings.push(format!(
                "supplied message code '{}' is an unknown message code and will not have any effect",
                s.code
            ));
        }
    }
    if req.paths.is_empty() && !req.use_kube {
        return Err(AnalyzeError::NoInput);
    }

    // Which namespace the report is about, and which namespace file resources default to.
    let mut scope = if req.all_namespaces {
        None
    } else {
        req.namespace.clone()
    };
    let mut mesh = MeshConfig::default();
    let mut cluster_snapshot = None;
    if req.use_kube {
        let client = cluster::connect(&req.kube, req.timeout).await?;
        if !req.all_namespaces && scope.is_none() {
            scope = Some(client.default_namespace().to_string());
        }
        if let Some(ns) = scope.as_deref() {
            client.check_namespace(ns).await?;
        }
        let kinds = input_kinds(&selected);
        let read = client.read(&kinds, scope.as_deref(), req.timeout).await?;
        report.warnings.extend(read.warnings);
        if let Some((config, networks)) = client.mesh_config(&req.istio_namespace).await? {
            if let Some(c) = config {
                mesh.apply_config(
                    &c,
                    &format!("configmap {}/istio (mesh)", req.istio_namespace),
                )?;
            }
            if let Some(n) = networks {
                mesh.apply_networks(
                    &n,
                    &format!("configmap {}/istio (meshNetworks)", req.istio_namespace),
                )?;
            }
        }
        cluster_snapshot = Some(read.resources);
    }
    let opts = LoadOptions {
        default_namespace: Some(scope.clone().unwrap_or_else(|| "default".into())),
        apply_defaults: true,
    };
    let loaded = source::load_inputs(&req.paths, &opts, deadline).await;
    if let Some(path) = &req.mesh_config_file {
        mesh.apply_config(&read_mesh_file(path)?, &path.display().to_string())?;
    }
    if let Some(path) = &req.mesh_networks_file {
        mesh.apply_networks(&read_mesh_file(path)?, &path.display().to_string())?;
    }

    // Files first: the first resource of a kind/namespace/name wins, so a file replaces the
    // cluster's object of the same identity.
    let mut resources = loaded.resources;
    let from_files = !req.paths.is_empty();
    if let Some(cluster_resources) = cluster_snapshot {
        resources.extend(cluster_resources);
    }
    resources.extend(mesh.as_resources(&req.istio_namespace));
    report.resources = resources.len();
    let snapshot = Snapshot::new(resources, true);
    // A file-only run of plain manifests may hold no workloads; a cluster is taken as it is.
    let skip_without_workloads = !req.use_kube;
    let outcome = super::run(
        &snapshot,
        &mesh,
        &req.istio_namespace,
        &selected,
        skip_without_workloads,
    );
    report.findings = super::select(outcome.findings, scope.as_deref(), &suppressions);
    report.executed = outcome.executed;
    report.skipped = outcome.skipped;
    report.load_issues = loaded.issues;
    report.sources = loaded.sources;
    report.target = match (&scope, from_files && !req.use_kube) {
        (_, true) if report.sources.len() == 1 => report.sources[0].clone(),
        (_, true) => format!(
            ":\n{}",
            report
                .sources
                .iter()
                .map(|s| format!("  - {s}"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        (Some(ns), false) => format!("namespace: {ns}"),
        (None, false) => "all namespaces".into(),
    };
    Ok(report)
}

/// The kinds the selected analyzers read (what a cluster read must list).
pub fn input_kinds(selected: &[&'static dyn Analyzer]) -> Vec<crate::resource::Kind> {
    let mut kinds: Vec<_> = selected
        .iter()
        .flat_map(|a| a.metadata().inputs.iter().copied())
        .filter(|k| !k.is_synthetic())
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}
