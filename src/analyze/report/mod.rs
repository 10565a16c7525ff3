//! Report formatters: each turns sorted findings into the text of one output format. They are
//! pure functions; the command prints what they return.

mod github;
mod json;
mod log;
mod sarif;

use super::Finding;
use crate::cli::OutputFormat;

pub use json::Record;

/// How to render.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    /// ANSI colour for the level word (log format).
    pub color: bool,
    /// Source snippets with a fix hint under each log line (a terminal).
    pub snippets: bool,
}

/// Renders findings in `format`. Every format ends with a newline.
pub fn render(format: OutputFormat, findings: &[Finding], opts: RenderOptions) -> String {
    match format {
        OutputFormat::Log => log::render(findings, opts),
        OutputFormat::Json => json::render_json(findings),
        OutputFormat::Yaml => json::render_yaml(findings),
        OutputFormat::Sarif => sarif::render(findings),
        OutputFormat::Github => github::render(findings),
    }
}
