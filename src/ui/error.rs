//! The one error renderer. On a terminal: miette's report, with the offending line and a pointer
//! at the column when the error knows its source, each cause, and the hint. Without one: stable
//! plain lines, `error: FILE:LINE:COL: what`, `  caused by: ...`, `help: ...`.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, Severity,
    SourceCode, SourceSpan, SpanContents,
};

use super::Terminal;
use super::style::{Style, paint};
use crate::resource::{LoadIssue, Pos, SourceText};

/// Renders `diag` for stderr on `term`; the text ends with a newline.
pub fn render(diag: &dyn Diagnostic, term: &Terminal) -> String {
    if term.stderr_tty {
        graphical(diag, term)
    } else {
        plain(diag, term.stderr_color)
    }
}

fn graphical(diag: &dyn Diagnostic, term: &Terminal) -> String {
    let theme = if term.stderr_color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut handler = GraphicalReportHandler::new_themed(theme).with_context_lines(2);
    if let Some(width) = term.width {
        handler = handler.with_width(usize::from(width));
    }
    let mut out = String::new();
    if handler.render_report(&mut out, diag).is_err() {
        return plain(diag, term.stderr_color);
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// `FILE:LINE:COL` of the first label, when the diagnostic carries its source.
pub fn location(diag: &dyn Diagnostic) -> Option<String> {
    let source = diag.source_code()?;
    let label = diag.labels()?.next()?;
    let contents = source.read_span(label.inner(), 0, 0).ok()?;
    let name = contents.name()?;
    Some(format!(
        "{name}:{}:{}",
        contents.line() + 1,
        contents.column() + 1
    ))
}

fn plain(diag: &dyn Diagnostic, color: bool) -> String {
    let label = match diag.severity() {
        Some(Severity::Warning) => paint(color, Style::Warning, "warning"),
        Some(Severity::Advice) => paint(color, Style::Note, "note"),
        _ => paint(color, Style::Error, "error"),
    };
    let mut out = match location(diag) {
        Some(loc) => format!("{label}: {loc}: {diag}\n"),
        None => format!("{label}: {diag}\n"),
    };
    let mut last = diag.to_string();
    let mut cause = diag.source();
    while let Some(c) = cause {
        let text = c.to_string();
        // A transparent wrapper repeats its inner error; say each thing once.
        if !last.contains(&text) {
            out.push_str(&format!("  caused by: {text}\n"));
        }
        last = text;
        cause = c.source();
    }
    if let Some(help) = diag.help() {
        out.push_str(&format!("{}: {help}\n", paint(color, Style::Note, "help")));
    }
    out
}

/// A source file shared with the resources read from it, readable by miette under its name.
#[derive(Clone, Debug)]
pub struct NamedText(pub Arc<SourceText>);

impl SourceCode for NamedText {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .0
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.0.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// The span of the rest of the line from `pos` (at least one character).
pub fn span_at(text: &SourceText, pos: Pos) -> Option<SourceSpan> {
    let start = text.offset_of(pos)?.min(text.text.len());
    let rest = &text.text[start..];
    let len = rest.find('\n').unwrap_or(rest.len()).max(1).min(rest.len());
    Some(SourceSpan::new(start.into(), len))
}

/// A problem with an input, as a diagnostic with the offending line when the text is known.
pub struct IssueDiagnostic<'a> {
    issue: &'a LoadIssue,
    source: Option<(NamedText, SourceSpan)>,
}

impl<'a> IssueDiagnostic<'a> {
    pub fn new(issue: &'a LoadIssue) -> IssueDiagnostic<'a> {
        let source =
            issue.text.as_ref().zip(issue.pos).and_then(|(text, pos)| {
                span_at(text, pos).map(|span| (NamedText(text.clone()), span))
            });
        IssueDiagnostic { issue, source }
    }
}

impl fmt::Debug for IssueDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.issue.message)
    }
}

impl fmt::Display for IssueDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.issue.message)
    }
}

impl std::error::Error for IssueDiagnostic<'_> {}

impl Diagnostic for IssueDiagnostic<'_> {
    fn severity(&self) -> Option<Severity> {
        Some(match self.issue.severity {
            crate::resource::Severity::Error => Severity::Error,
            crate::resource::Severity::Note => Severity::Advice,
        })
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|(s, _)| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (_, span) = self.source.as_ref()?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some("here".into()),
            *span,
        ))))
    }
}

/// An input problem for stderr: on a terminal with its snippet, otherwise today's line,
/// `error: FILE:LINE:COL: what` (or `note: ...`).
pub fn render_issue(issue: &LoadIssue, term: &Terminal) -> String {
    let diag = IssueDiagnostic::new(issue);
    if term.stderr_tty && diag.source.is_some() {
        return graphical(&diag, term);
    }
    let label = match issue.severity {
        crate::resource::Severity::Error => paint(term.stderr_color, Style::Error, "error"),
        crate::resource::Severity::Note => paint(term.stderr_color, Style::Note, "note"),
    };
    format!("{label}: {}: {}\n", issue.location(), issue.message)
}
