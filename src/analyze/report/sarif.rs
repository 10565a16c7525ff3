//! `-o sarif`: SARIF 2.1.0, with the whole catalogue as rules and physical locations, and the
//! inputs that could not be read as tool execution notifications of the run's invocation.

use serde_json::{Value, json};

use super::{INPUT_CODE, Report};
use crate::analyze::Level;
use crate::analyze::catalogue::CATALOGUE;
use crate::resource::LoadIssue;

fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    }
}

/// An input that could not be read: a tool execution notification (SARIF 3.58) at its file,
/// so a code-scanning upload says which file was not analyzed instead of passing silently.
fn notification(i: &LoadIssue) -> Value {
    let mut region = serde_json::Map::new();
    if let Some(p) = i.pos {
        region.insert("startLine".into(), json!(p.line));
        region.insert("startColumn".into(), json!(p.col));
    }
    let mut physical = json!({ "artifactLocation": { "uri": i.source } });
    if !region.is_empty() {
        physical["region"] = Value::Object(region);
    }
    json!({
        "level": "error",
        "message": { "text": i.message },
        "descriptor": { "id": INPUT_CODE },
        "locations": [{ "physicalLocation": physical }],
    })
}

pub fn render(report: &Report<'_>) -> String {
    let findings = report.findings;
    let rules: Vec<Value> = CATALOGUE
        .iter()
        .map(|m| {
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": { "text": m.description },
                "fullDescription": { "text": format!("{} {}", m.description, m.why) },
                "help": { "text": m.fix },
                "helpUri": m.documentation_url(),
                "defaultConfiguration": { "level": sarif_level(m.level) },
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let rule_index = CATALOGUE.iter().position(|m| m.code == f.code());
            let mut result = json!({
                "ruleId": f.code(),
                "ruleIndex": rule_index,
                "level": sarif_level(f.level),
                "message": { "text": f.message },
            });
            let mut location = serde_json::Map::new();
            if let Some(file) = &f.file {
                let mut region = serde_json::Map::new();
                if let Some(l) = f.line {
                    region.insert("startLine".into(), json!(l));
                }
                if let Some(c) = f.column {
                    region.insert("startColumn".into(), json!(c));
                }
                location.insert(
                    "physicalLocation".into(),
                    json!({ "artifactLocation": { "uri": file }, "region": region }),
                );
            }
            if let Some(origin) = &f.origin {
                location.insert(
                    "logicalLocations".into(),
                    json!([{ "fullyQualifiedName": origin, "kind": "resource" }]),
                );
            }
            if !location.is_empty() {
                result["locations"] = json!([location]);
            }
            let mut properties = json!({ "analyzer": f.analyzer });
            if let Some(field) = &f.field {
                properties["field"] = json!(field);
            }
            if let Some(hint) = &f.hint {
                properties["hint"] = json!(hint);
            }
            result["properties"] = properties;
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "meshdeck",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/meshdeck/meshdeck",
                "rules": rules,
            }},
            "invocations": [{
                // Every input read and analyzed; false when some could not be (exit code 65).
                "executionSuccessful": report.input_errors.is_empty(),
                "toolExecutionNotifications":
                    report.input_errors.iter().map(notification).collect::<Vec<_>>(),
            }],
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("SARIF serializes");
    s.push('\n');
    s
}
