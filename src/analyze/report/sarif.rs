//! `-o sarif`: SARIF 2.1.0, with the whole catalogue as rules and physical locations, and the
//! inputs that could not be read as tool execution notifications of the run's invocation.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

use super::{INPUT_CODE, Report};
use crate::analyze::Level;
use crate::analyze::catalogue::CATALOGUE;
use crate::resource::LoadIssue;

/// The base a relative `artifactLocation.uri` is resolved against (SARIF 3.4.4): the directory
/// meshdeck ran in, which in a CI job is the repository's checkout, as GitHub code scanning
/// expects.
pub const SRCROOT: &str = "SRCROOT";

/// Characters a path segment keeps as they are (RFC 3986 `pchar` without `:`, which in a
/// relative reference's first segment would read as a scheme): the rest is percent-encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b'@');

fn encode_segments<'a>(segments: impl Iterator<Item = &'a str>) -> String {
    segments
        .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// An input's name as a SARIF artifactLocation: a relative path becomes a relative URI
/// reference (forward slashes, percent-encoded, `./` dropped) against `SRCROOT`; an absolute
/// path a `file://` URI; a URL stays as given; standard input has no URI, only a description.
pub fn artifact_location(source: &str) -> Value {
    if source == "-" {
        return json!({ "description": { "text": "standard input" } });
    }
    if source.starts_with("http://") || source.starts_with("https://") {
        return json!({ "uri": source });
    }
    // Forward slashes; a backslash is a separator only on Windows (on Unix it is a character).
    let path = if cfg!(windows) {
        source.replace('\\', "/")
    } else {
        source.to_string()
    };
    if let Some(abs) = path.strip_prefix('/') {
        return json!({ "uri": format!("file:///{}", encode_segments(abs.split('/'))) });
    }
    let segments = path.split('/').filter(|s| !s.is_empty() && *s != ".");
    json!({ "uri": encode_segments(segments), "uriBaseId": SRCROOT })
}

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
    let mut physical = json!({ "artifactLocation": artifact_location(&i.source) });
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
                    json!({ "artifactLocation": artifact_location(file), "region": region }),
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
            // Relative paths are relative to the working directory: a consumer that knows the
            // checkout (GitHub code scanning) resolves SRCROOT itself.
            "originalUriBaseIds": { "SRCROOT": { "description": { "text":
                "The directory meshdeck analyze ran in (the repository checkout in CI)" } } },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            artifact_location("deploy/my gateway.yaml"),
            json!({ "uri": "deploy/my%20gateway.yaml", "uriBaseId": "SRCROOT" })
        );
        assert_eq!(
            artifact_location("./a/./b:c/%x#1?.yaml"),
            json!({ "uri": "a/b%3Ac/%25x%231%3F.yaml", "uriBaseId": "SRCROOT" })
        );
        assert_eq!(
            artifact_location("../up/ü.yaml"),
            json!({ "uri": "../up/%C3%BC.yaml", "uriBaseId": "SRCROOT" })
        );
        assert_eq!(
            artifact_location("win\\dir\\f.yaml"),
            if cfg!(windows) {
                json!({ "uri": "win/dir/f.yaml", "uriBaseId": "SRCROOT" })
            } else {
                json!({ "uri": "win%5Cdir%5Cf.yaml", "uriBaseId": "SRCROOT" })
            }
        );
        assert_eq!(
            artifact_location("/tmp/x y/f.yaml"),
            json!({ "uri": "file:///tmp/x%20y/f.yaml" })
        );
        assert_eq!(
            artifact_location("https://example.com/a%20b.yaml"),
            json!({ "uri": "https://example.com/a%20b.yaml" })
        );
        assert_eq!(
            artifact_location("-"),
            json!({ "description": { "text": "standard input" } })
        );
    }
}
