//! Support for analyzer unit tests: run one analyzer over YAML text.

use super::{Analyzer, Finding, MeshConfig};
use crate::resource::{LoadOptions, Snapshot, SourceText, parse_source};

/// How the text is read.
#[derive(Clone, Copy)]
pub enum Mode {
    /// As `meshdeck analyze` reads files: the `default` namespace, API defaults, and workload
    /// instances derived from pod templates.
    Cli,
    /// As Istio's analyzer test harness reads them: no default namespace, no defaulting, Pods only.
    Harness,
}

/// The sorted, de-duplicated findings of `analyzer` on `yaml` (read as the file `t.yaml`).
pub fn run(analyzer: &'static dyn Analyzer, yaml: &str, mode: Mode) -> Vec<Finding> {
    let opts = match mode {
        Mode::Cli => LoadOptions::default(),
        Mode::Harness => LoadOptions {
            default_namespace: None,
            apply_defaults: false,
        },
    };
    let (resources, issues) = parse_source(&SourceText::new("t.yaml", yaml), &opts);
    assert!(
        issues
            .iter()
            .all(|i| i.severity != crate::resource::Severity::Error),
        "{issues:?}"
    );
    let snapshot = Snapshot::new(resources, matches!(mode, Mode::Cli));
    let outcome = super::run(
        &snapshot,
        &MeshConfig::default(),
        "istio-system",
        &[analyzer],
        false,
    );
    super::select(outcome.findings, None, &[])
}

/// The log lines of the findings in CLI mode (`Level [CODE] (Kind ns/name t.yaml:line:col) text`).
pub fn findings(analyzer: &'static dyn Analyzer, yaml: &str) -> Vec<String> {
    run(analyzer, yaml, Mode::Cli)
        .iter()
        .map(Finding::log_line)
        .collect()
}

/// A skipped check: the resource's origin, the check, the field the note points at.
pub type Skipped = (String, &'static str, Option<String>);

/// As [`findings`], in a file-only run (as `meshdeck analyze FILE...` without `--use-kube`):
/// the log lines, and the checks skipped as `(origin, check, field)`.
pub fn file_only(analyzer: &'static dyn Analyzer, yaml: &str) -> (Vec<String>, Vec<Skipped>) {
    let (resources, issues) =
        parse_source(&SourceText::new("t.yaml", yaml), &LoadOptions::default());
    assert!(
        issues
            .iter()
            .all(|i| i.severity != crate::resource::Severity::Error),
        "{issues:?}"
    );
    let snapshot = Snapshot::new(resources, true);
    let outcome = super::run(
        &snapshot,
        &MeshConfig::default(),
        "istio-system",
        &[analyzer],
        true,
    );
    let skipped = outcome
        .skipped_checks
        .iter()
        .map(|s| {
            (
                snapshot.resource(s.resource).friendly_name(),
                s.check,
                s.field.clone(),
            )
        })
        .collect();
    let lines = super::select(outcome.findings, None, &[])
        .iter()
        .map(Finding::log_line)
        .collect();
    (lines, skipped)
}
