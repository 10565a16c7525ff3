//! `-o junit`: JUnit XML for the test-report views of CI systems (GitLab, Jenkins, Azure, the
//! GitHub test-report actions).
//!
//! One test case per analyzed object: `classname` is the file it was read from (`cluster` for a
//! cluster's object) and `name` is `Kind namespace/name`, so a case keeps its identity from run
//! to run and a report UI can show its history. Messages at or above `--failure-threshold` make
//! the case a `<failure>`; messages below it are listed in `<system-out>`. An input that could
//! not be read is a case of its own (classname its file, name `input`) holding an `<error>`.
//! Cases are sorted by classname, then name.

use std::collections::BTreeMap;

use super::{INPUT_CODE, Report};
use crate::analyze::Finding;
use crate::resource::LoadIssue;

/// What one test case holds.
#[derive(Default)]
struct Case<'a> {
    failing: Vec<&'a Finding>,
    passing: Vec<&'a Finding>,
    errors: Vec<&'a LoadIssue>,
}

/// The classname of an object that has no file (read from the cluster).
const CLUSTER: &str = "cluster";

pub fn render(report: &Report<'_>) -> String {
    // (classname, name) -> case; a BTreeMap keeps the order stable.
    let mut cases: BTreeMap<(String, String), Case<'_>> = BTreeMap::new();
    let mut by_origin: BTreeMap<&str, (String, String)> = BTreeMap::new();
    for o in report.objects {
        let key = (
            o.file.clone().unwrap_or_else(|| CLUSTER.to_string()),
            o.origin.clone(),
        );
        // The first object of an identity is the one analyzed (files win over the cluster).
        by_origin.entry(&o.origin).or_insert_with(|| key.clone());
        cases.entry(key).or_default();
    }
    for f in report.findings {
        let key = match f.origin.as_deref().and_then(|o| by_origin.get(o)) {
            Some(key) => key.clone(),
            // A message about no object of the input (a mesh-wide setting): a case of its own.
            None => (
                f.file.clone().unwrap_or_else(|| "meshdeck".to_string()),
                f.origin.clone().unwrap_or_else(|| f.analyzer.to_string()),
            ),
        };
        let case = cases.entry(key).or_default();
        if f.level >= report.failure_threshold {
            case.failing.push(f);
        } else {
            case.passing.push(f);
        }
    }
    for i in report.input_errors {
        cases
            .entry((i.source.clone(), INPUT_CODE.to_string()))
            .or_default()
            .errors
            .push(i);
    }

    let tests = cases.len();
    let failures = cases.values().filter(|c| !c.failing.is_empty()).count();
    let errors = cases.values().filter(|c| !c.errors.is_empty()).count();
    let counts = format!(r#"tests="{tests}" failures="{failures}" errors="{errors}""#);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"meshdeck analyze\" {counts}>\n  <testsuite name=\"meshdeck analyze\" {counts} skipped=\"0\">\n"
    ));
    for ((classname, name), case) in &cases {
        let open = format!(
            "    <testcase classname=\"{}\" name=\"{}\"",
            escape(classname),
            escape(name)
        );
        if case.failing.is_empty() && case.passing.is_empty() && case.errors.is_empty() {
            out.push_str(&open);
            out.push_str("/>\n");
            continue;
        }
        out.push_str(&open);
        out.push_str(">\n");
        if let Some(first) = case.errors.first() {
            out.push_str(&format!(
                "      <error message=\"{}\" type=\"{INPUT_CODE}\">{}</error>\n",
                escape(&first.message),
                escape_text(&lines(
                    case.errors
                        .iter()
                        .map(|i| { format!("error: {}: {}", i.location(), i.message) })
                ))
            ));
        }
        if let Some(first) = case.failing.first() {
            let more = match case.failing.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            out.push_str(&format!(
                "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                escape(&format!("{} {}{more}", first.code(), first.message)),
                first.code(),
                escape_text(&lines(case.failing.iter().map(|f| text_of(f))))
            ));
        }
        if !case.passing.is_empty() {
            out.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                escape_text(&lines(case.passing.iter().map(|f| text_of(f))))
            ));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// A message as the log format prints it, with its hint on the next line.
fn text_of(f: &Finding) -> String {
    match &f.hint {
        Some(hint) => format!("{}\nhint: {hint}", f.log_line()),
        None => f.log_line(),
    }
}

fn lines(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join("\n")
}

/// Escapes text for a double-quoted XML 1.0 attribute value. Line breaks and tabs become
/// character references (a parser would fold them into spaces); characters XML 1.0 cannot hold
/// at all (most C0 controls, U+FFFE, U+FFFF) become U+FFFD, so the document stays well-formed
/// whatever a file name or message contains.
fn escape(s: &str) -> String {
    escape_with(s, true)
}

/// Escapes element content: as [`escape`], but line breaks stay as they are.
fn escape_text(s: &str) -> String {
    escape_with(s, false)
}

fn escape_with(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_the_document_well_formed() {
        let nasty = "a&b<c>d\"e'f\ng\th\r\u{1}i\u{FFFF}j]]>";
        let clean = "a&b<c>d\"e'f\ng\th\r\u{FFFD}i\u{FFFD}j]]>";
        let xml = format!(
            "<r a=\"{}\" b='{}'>{}</r>",
            escape(nasty),
            escape(nasty).replace('\'', "&apos;"),
            escape_text(nasty)
        );
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        let root = doc.root_element();
        assert_eq!(root.attribute("a"), Some(clean));
        assert_eq!(root.text(), Some(clean));
    }
}
