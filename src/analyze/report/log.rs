//! The default format: one line per message,
//! `Warning [IST0162] (Gateway default/bookinfo-gateway gateway.yaml:9:5) <text>`, and on a
//! terminal a snippet of the offending lines with a fix hint; elsewhere the analyzer's hint,
//! when it has one, indented on the next line.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity, SourceCode,
    SourceSpan,
};

use super::RenderOptions;
use crate::analyze::{Finding, Level};
use crate::ui::error::NamedText;
use crate::ui::{Style, paint};

pub fn render(findings: &[Finding], opts: RenderOptions) -> String {
    let mut out = String::new();
    for f in findings {
        let level = match f.level {
            Level::Error => paint(opts.color, Style::Error, "Error"),
            Level::Warning => paint(opts.color, Style::Warning, "Warning"),
            Level::Info => "Info".to_string(),
        };
        let line = f.log_line();
        out.push_str(&level);
        out.push_str(&line[f.level.as_str().len()..]);
        out.push('\n');
        match opts.snippets.then(|| snippet(f, opts.color)).flatten() {
            // The snippet's help already says the hint.
            Some(snippet) => out.push_str(&snippet),
            None => {
                if let Some(hint) = &f.hint {
                    out.push_str(&indented_hint(hint));
                }
            }
        }
    }
    out
}

/// `    hint: ...` under the message line, continuation lines aligned under the text, so a CI
/// log (no terminal, no snippet) shows what the analyzer found instead.
fn indented_hint(hint: &str) -> String {
    let mut out = String::new();
    for (i, line) in hint.lines().enumerate() {
        out.push_str(if i == 0 { "    hint: " } else { "          " });
        out.push_str(line);
        out.push('\n');
    }
    out
}

struct Snippet<'a> {
    finding: &'a Finding,
    source: NamedText,
    span: SourceSpan,
}

impl fmt::Debug for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

/// The line above already says the message; the snippet's title is the message type's name.
impl fmt::Display for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.finding.message_type.name)
    }
}

impl std::error::Error for Snippet<'_> {}

impl Diagnostic for Snippet<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.finding.code()))
    }

    fn severity(&self) -> Option<Severity> {
        Some(match self.finding.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let fix = self.finding.message_type.fix;
        match &self.finding.hint {
            Some(hint) => Some(Box::new(format!("{hint}\n{fix}"))),
            None => (!fix.is_empty()).then(|| Box::new(fix) as Box<dyn fmt::Display>),
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = match &self.finding.field {
            Some(field) => format!(
                "{field} in {}",
                self.finding.origin.as_deref().unwrap_or("")
            ),
            None => self.finding.origin.clone().unwrap_or_default(),
        };
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(label),
            self.span,
        ))))
    }
}

fn snippet(f: &Finding, color: bool) -> Option<String> {
    let source = f.source.as_ref()?;
    let pos = crate::resource::Pos {
        line: f.line?,
        col: f.column.unwrap_or(1),
    };
    let start = source.offset_of(pos)?;
    let rest = &source.text[start..];
    let len = rest
        .find('\n')
        .unwrap_or(rest.len())
        .max(1)
        .min(rest.len().max(1));
    let diag = Snippet {
        finding: f,
        source: NamedText(source.clone()),
        span: SourceSpan::new(start.into(), len.min(source.text.len() - start)),
    };
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(2);
    let mut out = String::new();
    handler.render_report(&mut out, &diag).ok()?;
    Some(out)
}
