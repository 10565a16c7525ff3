//! Report formatters: each turns sorted findings (and the inputs that could not be read) into
//! the text of one output format. They are pure functions; the command prints what they return.

mod github;
mod json;
mod junit;
mod log;
mod sarif;

use super::{Finding, Level};
use crate::cli::OutputFormat;
use crate::resource::LoadIssue;

pub use json::Record;

/// How to render.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    /// ANSI colour for the level word (log format).
    pub color: bool,
    /// Source snippets with a fix hint under each log line (a terminal).
    pub snippets: bool,
}

/// One object the analyzers looked at: a JUnit test case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalyzedObject {
    /// `Gateway default/bookinfo-gateway`, as findings name their origin.
    pub origin: String,
    /// The file (or `-`, or URL) it was read from; `None` for a cluster's object.
    pub file: Option<String>,
}

/// Everything a format may show about one run.
#[derive(Clone, Copy, Debug)]
pub struct Report<'a> {
    /// The findings to show (already filtered by the output threshold), sorted.
    pub findings: &'a [Finding],
    /// Inputs that could not be read or parsed (`Severity::Error` load issues).
    pub input_errors: &'a [LoadIssue],
    /// The objects analyzed, in a stable order (JUnit's test cases).
    pub objects: &'a [AnalyzedObject],
    /// `--failure-threshold`: JUnit marks messages at or above it as failures.
    pub failure_threshold: Level,
}

impl<'a> Report<'a> {
    /// A report of findings alone (no input errors, no object list).
    pub fn of(findings: &'a [Finding]) -> Report<'a> {
        Report {
            findings,
            input_errors: &[],
            objects: &[],
            failure_threshold: Level::Error,
        }
    }
}

/// The `code` input errors carry in the JSON and YAML outputs (and the rule id elsewhere).
pub const INPUT_CODE: &str = "input";

/// Renders findings alone in `format` (no input errors, no object list).
pub fn render(format: OutputFormat, findings: &[Finding], opts: RenderOptions) -> String {
    render_report(format, &Report::of(findings), opts)
}

/// Renders the report in `format`. Every format ends with a newline.
pub fn render_report(format: OutputFormat, report: &Report<'_>, opts: RenderOptions) -> String {
    match format {
        OutputFormat::Log => log::render(report.findings, opts),
        OutputFormat::Json => json::render_json(report),
        OutputFormat::Yaml => json::render_yaml(report),
        OutputFormat::Sarif => sarif::render(report),
        OutputFormat::Github => github::render(report),
        OutputFormat::Junit => junit::render(report),
    }
}
