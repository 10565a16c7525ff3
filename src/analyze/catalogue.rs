//! The message catalogue: every code meshdeck can report, generated at build time from
//! `messages.yaml` (code, name, level, template, and the text behind `--explain`).

use std::fmt;

/// How serious a message is. Ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "Error",
            Level::Warning => "Warning",
            Level::Info => "Info",
        }
    }

    /// Parses `error`, `Warning`, `INFO`, ... (case-insensitive, as istioctl).
    pub fn parse(s: &str) -> Option<Level> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Some(Level::Error),
            "warning" | "warn" => Some(Level::Warning),
            "info" => Some(Level::Info),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgType {
    Str,
    Int,
    Strs,
    Ints,
}

#[derive(Debug)]
pub struct ArgSpec {
    pub name: &'static str,
    pub ty: ArgType,
}

/// One entry of the catalogue.
#[derive(Debug)]
pub struct MessageType {
    pub code: &'static str,
    pub name: &'static str,
    pub level: Level,
    /// Go-style template (`%s`, `%d`, `%q`, `%v`), so text matches istioctl's.
    pub template: &'static str,
    pub args: &'static [ArgSpec],
    pub description: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
    pub example: &'static str,
}

impl MessageType {
    /// Documentation page: istio.io for Istio codes, the README for ours.
    pub fn documentation_url(&self) -> String {
        if self.code.starts_with("IST") {
            format!(
                "https://istio.io/v{ISTIO_DOCS_VERSION}/docs/reference/config/analysis/{}/?ref=meshdeck",
                self.code.to_ascii_lowercase()
            )
        } else {
            format!(
                "https://github.com/meshdeck/meshdeck/blob/main/README.md#{}",
                self.code.to_ascii_lowercase()
            )
        }
    }
}

/// The Istio minor version whose analyzers meshdeck matches (for documentation links).
pub const ISTIO_DOCS_VERSION: &str = "1.30";

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// Looks a code up, case-insensitively.
pub fn find(code: &str) -> Option<&'static MessageType> {
    CATALOGUE
        .iter()
        .copied()
        .find(|m| m.code.eq_ignore_ascii_case(code))
}

/// A typed message argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    Str(String),
    Int(i64),
    Strs(Vec<String>),
    Ints(Vec<i64>),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Str(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Str(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Str(s.clone())
    }
}
impl From<i64> for Arg {
    fn from(i: i64) -> Arg {
        Arg::Int(i)
    }
}
impl From<Vec<String>> for Arg {
    fn from(v: Vec<String>) -> Arg {
        Arg::Strs(v)
    }
}
impl From<Vec<i64>> for Arg {
    fn from(v: Vec<i64>) -> Arg {
        Arg::Ints(v)
    }
}

/// Go's `%q` for a string: double quotes with Go escapes.
fn go_quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn plain(arg: &Arg, out: &mut String) {
    match arg {
        Arg::Str(s) => out.push_str(s),
        Arg::Int(i) => out.push_str(&i.to_string()),
        Arg::Strs(v) => {
            out.push('[');
            out.push_str(&v.join(" "));
            out.push(']');
        }
        Arg::Ints(v) => {
            out.push('[');
            out.push_str(&v.iter().map(i64::to_string).collect::<Vec<_>>().join(" "));
            out.push(']');
        }
    }
}

/// Renders a Go-style template with its arguments.
pub fn render(template: &str, args: &[Arg]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut args = args.iter();
    let mut chars = template.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(verb @ ('s' | 'd' | 'v' | 'q')) => match (verb, args.next()) {
                ('q', Some(Arg::Str(s))) => go_quote(s, &mut out),
                ('q', Some(Arg::Strs(v))) => {
                    out.push('[');
                    for (i, s) in v.iter().enumerate() {
                        if i > 0 {
                            out.push(' ');
                        }
                        go_quote(s, &mut out);
                    }
                    out.push(']');
                }
                (_, Some(a)) => plain(a, &mut out),
                (_, None) => out.push_str(&format!("%!{verb}(MISSING)")),
            },
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_verbs_render_like_go() {
        let s = render(
            "Referenced %s not found: %q; ports %v of %v (%d%%)",
            &[
                "selector".into(),
                "istio=ingress\"x".into(),
                Arg::Ints(vec![80, 8080]),
                Arg::Strs(vec!["a".into(), "b".into()]),
                7.into(),
            ],
        );
        assert_eq!(
            s,
            r#"Referenced selector not found: "istio=ingress\"x"; ports [80 8080] of [a b] (7%)"#
        );
    }

    #[test]
    fn catalogue_is_complete_and_consistent() {
        let istio = CATALOGUE
            .iter()
            .filter(|m| m.code.starts_with("IST"))
            .count();
        assert_eq!(istio, 68, "all of Istio's 68 codes are in the catalogue");
        for m in CATALOGUE {
            let verbs = m.template.matches('%').count() - 2 * m.template.matches("%%").count();
            assert_eq!(verbs, m.args.len(), "{}: template verbs vs args", m.code);
            assert!(
                !m.description.is_empty() && !m.fix.is_empty(),
                "{} lacks docs",
                m.code
            );
        }
        assert_eq!(find("ist0162").unwrap().level, Level::Warning);
        assert!(IST0162.documentation_url().contains("/ist0162/"));
    }
}
