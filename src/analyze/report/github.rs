//! `-o github`: GitHub Actions workflow commands, which show as annotations on the files.

use super::Report;
use crate::analyze::Level;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `file=..,line=..,col=..` (as much as is known) followed by `title=..`.
fn properties(file: Option<&str>, line: Option<u32>, col: Option<u32>, title: &str) -> String {
    let mut props = Vec::new();
    if let Some(file) = file {
        props.push(format!("file={}", escape_property(file)));
        if let Some(line) = line {
            props.push(format!("line={line}"));
        }
        if let Some(col) = col {
            props.push(format!("col={col}"));
        }
    }
    props.push(format!("title={}", escape_property(title)));
    props.join(",")
}

pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    // A file that does not parse is an error annotation on that file, before the messages.
    for i in report.input_errors {
        out.push_str(&format!(
            "::error {}::{}\n",
            properties(
                Some(&i.source),
                i.pos.map(|p| p.line),
                i.pos.map(|p| p.col),
                "meshdeck input error"
            ),
            escape_data(&i.message)
        ));
    }
    for f in report.findings {
        let command = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "notice",
        };
        let props = properties(
            f.file.as_deref(),
            f.line,
            f.column,
            &format!("{} {}", f.code(), f.message_type.name),
        );
        let mut text = match &f.origin {
            Some(o) => format!("{o}: {}", f.message),
            None => f.message.clone(),
        };
        if let Some(hint) = &f.hint {
            text.push_str(&format!("\nhint: {hint}"));
        }
        out.push_str(&format!("::{command} {props}::{}\n", escape_data(&text)));
    }
    out
}
