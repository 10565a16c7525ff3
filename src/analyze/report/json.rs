//! `-o json` and `-o yaml`: istioctl's keys (`code`, `documentationUrl`, `level`, `message`,
//! `origin`, `reference`) plus `analyzer`, `column`, `field`, `file` and `line`, in key order;
//! inputs that could not be read come first, as objects with `code: "input"`.

use serde::Serialize;

use super::{INPUT_CODE, Report};
use crate::analyze::Finding;
use crate::resource::LoadIssue;

/// One message as the JSON and YAML outputs show it (`hint` only where the analyzer had one). Fields are in alphabetical order, as
/// istioctl's (Go map) output is.
#[derive(Debug, Serialize, PartialEq)]
pub struct Record {
    pub analyzer: String,
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    #[serde(rename = "documentationUrl")]
    pub documentation_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    pub level: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

impl From<&Finding> for Record {
    fn from(f: &Finding) -> Record {
        Record {
            analyzer: f.analyzer.to_string(),
            code: f.code().to_string(),
            column: f.column.filter(|_| f.file.is_some()),
            documentation_url: f.message_type.documentation_url(),
            field: f.field.clone(),
            file: f.file.clone(),
            hint: f.hint.clone(),
            level: f.level.to_string(),
            line: f.line.filter(|_| f.file.is_some()),
            message: f.message.clone(),
            origin: f.origin.clone(),
            reference: f.reference(),
        }
    }
}

/// An input that could not be read or parsed, as the JSON and YAML outputs show it:
/// `code` is always `"input"` and `level` always `"Error"`; `line` and `column` only where
/// the problem has a position.
#[derive(Debug, Serialize, PartialEq)]
pub struct InputRecord {
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// The file, `-` or URL, as given.
    pub file: String,
    pub level: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub message: String,
}

impl From<&LoadIssue> for InputRecord {
    fn from(i: &LoadIssue) -> InputRecord {
        InputRecord {
            code: INPUT_CODE,
            column: i.pos.map(|p| p.col),
            file: i.source.clone(),
            level: "Error",
            line: i.pos.map(|p| p.line),
            message: i.message.clone(),
        }
    }
}

/// Input errors first (they happened first), then the messages.
#[derive(Serialize)]
#[serde(untagged)]
enum Entry {
    Input(InputRecord),
    Message(Record),
}

fn entries(report: &Report<'_>) -> Vec<Entry> {
    report
        .input_errors
        .iter()
        .map(|i| Entry::Input(i.into()))
        .chain(report.findings.iter().map(|f| Entry::Message(f.into())))
        .collect()
}

pub fn render_json(report: &Report<'_>) -> String {
    let records = entries(report);
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"\t");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    records.serialize(&mut ser).expect("records serialize");
    let mut s = String::from_utf8(buf).expect("JSON is UTF-8");
    s.push('\n');
    s
}

pub fn render_yaml(report: &Report<'_>) -> String {
    let records = entries(report);
    if records.is_empty() {
        return "[]\n".into();
    }
    let mut s = serde_saphyr::to_string(&records).expect("records serialize");
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}
