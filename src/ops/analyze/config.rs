//! `analyze`'s checked-in configuration: `.meshdeck.yaml`, found upward from the working
//! directory (up to the repository root) or named with `--config`, merged under the flags.
//!
//! ```yaml
//! analyze:
//!   output: github
//!   failureThreshold: Warning
//!   outputThreshold: Info
//!   analyzers: [gateway.IngressGatewayPortAnalyzer]   # run only these
//!   skipAnalyzers: [injection.ImageAnalyzer]          # run all but these
//!   suppress:
//!     - code: IST0102
//!       resource: Namespace frod
//!     - IST0107=Pod default/*
//! ```
//!
//! Every value remembers where it came from (the default, `FILE:LINE:COL`, or a flag), which
//! `--print-config` shows. Bad content is an error at its line and column naming the field.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::ValueEnum;
use miette::{Diagnostic, LabeledSpan, SourceCode, SourceSpan};

use super::AnalyzeError;
use crate::analyze::{Level, Suppression, analyzers};
use crate::cli::OutputFormat;
use crate::resource::node::{self, Entry, Value};
use crate::resource::{Node, Pos, SourceText};
use crate::ui::error::{NamedText, span_at};

/// The file name looked for upward from the working directory.
pub const FILE_NAME: &str = ".meshdeck.yaml";

/// The keys of the `analyze:` mapping, in the order `--print-config` shows them.
const KEYS: &[&str] = &[
    "output",
    "failureThreshold",
    "outputThreshold",
    "analyzers",
    "skipAnalyzers",
    "suppress",
];

/// The keys of one `suppress:` entry written as a mapping.
const SUPPRESS_KEYS: &[&str] = &["code", "resource"];

/// Where a value in force came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Built in.
    Default,
    /// The config file, at this `FILE:LINE:COL`.
    File(String),
    /// A command-line flag (its name, e.g. `--failure-threshold`).
    Flag(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File(at) => f.write_str(at),
            Origin::Flag(name) => write!(f, "{name} flag"),
        }
    }
}

/// A value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Setting<T> {
    fn default(value: T) -> Setting<T> {
        Setting {
            value,
            origin: Origin::Default,
        }
    }

    /// The flag's value, when given, over this one.
    fn or_flag(self, flag: Option<T>, name: &'static str) -> Setting<T> {
        match flag {
            Some(value) => Setting {
                value,
                origin: Origin::Flag(name),
            },
            None => self,
        }
    }
}

/// How the config file was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// `--config FILE`.
    Flag,
    /// Upward from the working directory.
    Search,
}

/// The settings the flags may override, as the command line gave them.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    pub config: Option<PathBuf>,
    pub no_config: bool,
    pub output: Option<OutputFormat>,
    pub failure_threshold: Option<Level>,
    pub output_threshold: Option<Level>,
    /// `--analyzer`; empty when not given.
    pub analyzers: Vec<String>,
    /// `--skip-analyzer`; empty when not given.
    pub skip_analyzers: Vec<String>,
    /// `-S`; added to the file's suppressions.
    pub suppress: Vec<String>,
}

/// What is in force for one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalyzeConfig {
    /// The config file read, and how it was found.
    pub file: Option<(PathBuf, Found)>,
    pub output: Setting<OutputFormat>,
    pub failure_threshold: Setting<Level>,
    pub output_threshold: Setting<Level>,
    /// Run only these (empty: all).
    pub analyzers: Setting<Vec<String>>,
    /// Run all the others.
    pub skip_analyzers: Setting<Vec<String>>,
    /// `CODE=GLOB` each, the file's first, then the flags'.
    pub suppress: Vec<Setting<String>>,
}

impl Default for AnalyzeConfig {
    fn default() -> AnalyzeConfig {
        AnalyzeConfig {
            file: None,
            output: Setting::default(OutputFormat::Log),
            failure_threshold: Setting::default(Level::Error),
            output_threshold: Setting::default(Level::Info),
            analyzers: Setting::default(Vec::new()),
            skip_analyzers: Setting::default(Vec::new()),
            suppress: Vec::new(),
        }
    }
}

impl AnalyzeConfig {
    /// The `--analyzer` names the run asks for: the selection (or every analyzer) without the
    /// skipped ones; empty means all.
    pub fn analyzer_names(&self) -> Vec<String> {
        let skip = &self.skip_analyzers.value;
        if skip.is_empty() {
            return self.analyzers.value.clone();
        }
        let selected: Vec<String> = if self.analyzers.value.is_empty() {
            analyzers::all()
                .iter()
                .map(|a| a.metadata().name.to_string())
                .collect()
        } else {
            self.analyzers.value.clone()
        };
        selected.into_iter().filter(|n| !skip.contains(n)).collect()
    }

    /// The `-S` values in force.
    pub fn suppressions(&self) -> Vec<String> {
        self.suppress.iter().map(|s| s.value.clone()).collect()
    }
}

/// Bad content in a config file, at its position.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    /// `analyze.failureThreshold: "loud" is not a level`: the field, then what is wrong.
    pub message: String,
    pub help: Option<String>,
    pub pos: Pos,
    source_text: NamedText,
    span: Option<SourceSpan>,
}

impl ConfigError {
    fn new(text: &Arc<SourceText>, pos: Pos, message: String) -> ConfigError {
        ConfigError {
            message,
            help: None,
            pos,
            source_text: NamedText(text.clone()),
            span: span_at(text, pos),
        }
    }

    fn help(mut self, help: impl Into<String>) -> ConfigError {
        self.help = Some(help.into());
        self
    }

    /// `FILE:LINE:COL`.
    pub fn location(&self) -> String {
        format!(
            "{}:{}:{}",
            self.source_text.0.name, self.pos.line, self.pos.col
        )
    }
}

/// `.meshdeck.yaml` in `start` or the nearest directory above it. The search stops at the
/// first directory holding `.git` (the repository root, whose file it still finds) or at the
/// filesystem root, so a checkout never picks up a file from outside it.
pub fn find(start: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// The configuration in force: the defaults, then the config file (`--config`, or the one
/// found upward from `cwd` unless `--no-config`), then the flags.
pub fn resolve(flags: Flags, cwd: &Path) -> Result<AnalyzeConfig, AnalyzeError> {
    // (the path as the user names it, the path to read)
    let file = match (&flags.config, flags.no_config) {
        (Some(path), _) => Some((path.clone(), cwd.join(path), Found::Flag)),
        (None, true) => None,
        (None, false) => find(cwd).map(|p| (relative_to(&p, cwd), p, Found::Search)),
    };
    let mut config = match &file {
        Some((path, read, _)) => {
            let text =
                std::fs::read_to_string(read).map_err(|source| AnalyzeError::ConfigFile {
                    path: path.clone(),
                    source,
                })?;
            parse(&SourceText::new(path.display().to_string(), text))
                .map_err(AnalyzeError::Config)?
        }
        None => AnalyzeConfig::default(),
    };
    config.file = file.map(|(path, _, found)| (path, found));
    config.output = config.output.or_flag(flags.output, "--output");
    config.failure_threshold = config
        .failure_threshold
        .or_flag(flags.failure_threshold, "--failure-threshold");
    config.output_threshold = config
        .output_threshold
        .or_flag(flags.output_threshold, "--output-threshold");
    let analyzers = (!flags.analyzers.is_empty()).then_some(flags.analyzers);
    config.analyzers = config.analyzers.or_flag(analyzers, "--analyzer");
    let skip = (!flags.skip_analyzers.is_empty())
        .then(|| known_analyzers(flags.skip_analyzers))
        .transpose()?;
    config.skip_analyzers = config.skip_analyzers.or_flag(skip, "--skip-analyzer");
    config
        .suppress
        .extend(flags.suppress.into_iter().map(|value| Setting {
            value,
            origin: Origin::Flag("--suppress"),
        }));
    Ok(config)
}

/// Flag-given analyzer names, each checked against the analyzers that exist (as the config
/// file's are), without repeats; an unknown one is a bad flag value naming the nearest.
fn known_analyzers(names: Vec<String>) -> Result<Vec<String>, AnalyzeError> {
    let known: Vec<&'static str> = analyzers::all().iter().map(|a| a.metadata().name).collect();
    let mut out: Vec<String> = Vec::new();
    for name in names {
        if !known.contains(&name.as_str()) {
            return Err(AnalyzeError::UnknownAnalyzer { name, known });
        }
        if !out.contains(&name) {
            out.push(name);
        }
    }
    Ok(out)
}

/// A found file's path as the user would name it from `cwd` (`.meshdeck.yaml`, `../.meshdeck.yaml`).
fn relative_to(path: &Path, cwd: &Path) -> PathBuf {
    let Some(dir) = path.parent() else {
        return path.to_path_buf();
    };
    let mut up = PathBuf::new();
    for ancestor in cwd.ancestors() {
        if ancestor == dir {
            return up.join(FILE_NAME);
        }
        up.push("..");
    }
    path.to_path_buf()
}

/// Parses a config file's text. An empty file (or an empty `analyze:`) is the defaults.
pub fn parse(text: &Arc<SourceText>) -> Result<AnalyzeConfig, ConfigError> {
    let docs = node::parse_documents(&text.text, 0)
        .map_err(|e| ConfigError::new(text, e.pos, format!("invalid YAML: {}", e.message)))?;
    let mut config = AnalyzeConfig::default();
    if docs.len() > 1 {
        let second = &docs[1];
        return Err(ConfigError::new(
            text,
            second.pos,
            "a config file holds one YAML document".into(),
        ));
    }
    let Some(root) = docs.into_iter().next() else {
        return Ok(config);
    };
    if root.is_null() {
        return Ok(config);
    }
    let Value::Map(entries) = &root.value else {
        return Err(ConfigError::new(
            text,
            root.pos,
            "expected a mapping with the key `analyze`".into(),
        ));
    };
    let at = |pos: Pos| Origin::File(format!("{}:{}:{}", text.name, pos.line, pos.col));
    for entry in entries {
        if entry.key != "analyze" {
            return Err(unknown_key(text, entry, "", &["analyze"]));
        }
        let analyze = &entry.value;
        if analyze.is_null() {
            continue;
        }
        let Value::Map(settings) = &analyze.value else {
            return Err(ConfigError::new(
                text,
                analyze.pos,
                "analyze: expected a mapping of settings".into(),
            )
            .help(format!("the keys are {}", KEYS.join(", "))));
        };
        for s in settings {
            let field = format!("analyze.{}", s.key);
            let value = &s.value;
            match s.key.as_str() {
                "output" => {
                    let name = scalar(text, value, &field)?;
                    let format = OutputFormat::from_str(name, true).map_err(|_| {
                        let names = output_names();
                        let e = ConfigError::new(
                            text,
                            value.pos,
                            format!("{field}: {name:?} is not an output format"),
                        );
                        let names: Vec<&str> = names.iter().map(String::as_str).collect();
                        match crate::analyze::analyzers::schema::rules::closest(name, &names) {
                            Some(near) => e.help(format!(
                                "did you mean {near:?}? The formats are {}",
                                names.join(", ")
                            )),
                            None => e.help(format!("the formats are {}", names.join(", "))),
                        }
                    })?;
                    config.output = Setting {
                        value: format,
                        origin: at(value.pos),
                    };
                }
                "failureThreshold" | "outputThreshold" => {
                    let name = scalar(text, value, &field)?;
                    let level = Level::parse(name).ok_or_else(|| {
                        ConfigError::new(
                            text,
                            value.pos,
                            format!("{field}: {name:?} is not a level"),
                        )
                        .help("use Info, Warning or Error")
                    })?;
                    let setting = Setting {
                        value: level,
                        origin: at(value.pos),
                    };
                    if s.key == "failureThreshold" {
                        config.failure_threshold = setting;
                    } else {
                        config.output_threshold = setting;
                    }
                }
                "analyzers" | "skipAnalyzers" => {
                    let names = analyzer_list(text, value, &field)?;
                    let setting = Setting {
                        value: names,
                        origin: at(value.pos),
                    };
                    if s.key == "analyzers" {
                        config.analyzers = setting;
                    } else {
                        config.skip_analyzers = setting;
                    }
                }
                "suppress" => {
                    config.suppress = suppressions(text, value, &field)?
                        .into_iter()
                        .map(|(value, pos)| Setting {
                            value,
                            origin: at(pos),
                        })
                        .collect();
                }
                _ => return Err(unknown_key(text, s, "analyze.", KEYS)),
            }
        }
    }
    Ok(config)
}

fn output_names() -> Vec<String> {
    OutputFormat::value_variants()
        .iter()
        .filter_map(|v| v.to_possible_value())
        .map(|v| v.get_name().to_string())
        .collect()
}

fn unknown_key(text: &Arc<SourceText>, entry: &Entry, prefix: &str, known: &[&str]) -> ConfigError {
    let e = ConfigError::new(
        text,
        entry.key_pos,
        format!("unknown field {prefix}{}", entry.key),
    );
    match nearest(&entry.key, known) {
        Some(near) => e.help(format!("did you mean `{near}`?")),
        None => e.help(format!("the known fields are {}", known.join(", "))),
    }
}

/// The known key nearest to `key`, when one is near enough to be a typo.
fn nearest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| {
            (
                strsim::jaro_winkler(&key.to_ascii_lowercase(), &k.to_ascii_lowercase()),
                *k,
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

fn scalar<'a>(
    text: &Arc<SourceText>,
    value: &'a Node,
    field: &str,
) -> Result<&'a str, ConfigError> {
    match &value.value {
        Value::Scalar(s, _) => Ok(s),
        _ => Err(ConfigError::new(
            text,
            value.pos,
            format!("{field}: expected a single value"),
        )),
    }
}

/// A list of analyzer names (a single name is accepted as a list of one); each must exist.
fn analyzer_list(
    text: &Arc<SourceText>,
    value: &Node,
    field: &str,
) -> Result<Vec<String>, ConfigError> {
    let items: Vec<&Node> = match &value.value {
        Value::Null => Vec::new(),
        Value::Seq(items) => items.iter().collect(),
        Value::Scalar(..) => vec![value],
        Value::Map(_) => {
            return Err(ConfigError::new(
                text,
                value.pos,
                format!("{field}: expected a list of analyzer names"),
            ));
        }
    };
    let known: Vec<&'static str> = analyzers::all().iter().map(|a| a.metadata().name).collect();
    let mut names = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let name = scalar(text, item, &format!("{field}[{i}]"))?;
        if !known.contains(&name) {
            let e = ConfigError::new(
                text,
                item.pos,
                format!("{field}[{i}]: unknown analyzer {name:?}"),
            );
            return Err(
                match crate::analyze::analyzers::schema::rules::closest(name, &known) {
                    Some(near) => e.help(format!(
                        "did you mean {near:?}? List every analyzer with meshdeck analyze -L"
                    )),
                    None => e.help("list every analyzer with meshdeck analyze -L"),
                },
            );
        }
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    Ok(names)
}

/// `suppress:` entries, each `CODE=GLOB` or `{code: CODE, resource: GLOB}`, with positions.
fn suppressions(
    text: &Arc<SourceText>,
    value: &Node,
    field: &str,
) -> Result<Vec<(String, Pos)>, ConfigError> {
    let items: &[Node] = match &value.value {
        Value::Null => &[],
        Value::Seq(items) => items,
        _ => {
            return Err(ConfigError::new(
                text,
                value.pos,
                format!("{field}: expected a list of suppressions"),
            )
            .help("each is CODE=GLOB, or a mapping with `code` and `resource`"));
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = format!("{field}[{i}]");
        let raw = match &item.value {
            Value::Scalar(s, _) => s.to_string(),
            Value::Map(entries) => {
                for e in entries {
                    if !SUPPRESS_KEYS.contains(&e.key.as_str()) {
                        return Err(unknown_key(text, e, &format!("{field}."), SUPPRESS_KEYS));
                    }
                }
                let get = |key: &str| -> Result<String, ConfigError> {
                    match item.get(key) {
                        Some(v) => scalar(text, v, &format!("{field}.{key}")).map(str::to_string),
                        None => Err(ConfigError::new(
                            text,
                            item.pos,
                            format!("{field}: missing `{key}`"),
                        )),
                    }
                };
                format!("{}={}", get("code")?, get("resource")?)
            }
            _ => {
                return Err(ConfigError::new(
                    text,
                    item.pos,
                    format!("{field}: expected CODE=GLOB or a mapping with `code` and `resource`"),
                ));
            }
        };
        let parsed = Suppression::parse(&raw)
            .map_err(|why| ConfigError::new(text, item.pos, format!("{field}: {why}")))?;
        if crate::analyze::catalogue::find(&parsed.code).is_none() {
            return Err(ConfigError::new(
                text,
                item.pos,
                format!("{field}: unknown message code {:?}", parsed.code),
            )
            .help("list every code with meshdeck analyze --list-codes"));
        }
        out.push((raw, item.pos));
    }
    Ok(out)
}

impl Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("analyze::config"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_deref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.span.map(|_| &self.source_text as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some("here".into()),
            span,
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(yaml: &str) -> Result<AnalyzeConfig, ConfigError> {
        parse(&SourceText::new(".meshdeck.yaml", yaml))
    }

    #[test]
    fn every_setting_with_its_position() {
        let c = parsed(
            "analyze:\n  output: junit\n  failureThreshold: warning\n  outputThreshold: Error\n  \
             skipAnalyzers: [injection.ImageAnalyzer]\n  suppress:\n    - code: IST0102\n      \
             resource: Namespace frod\n    - IST0107=Pod default/*\n",
        )
        .unwrap();
        assert_eq!(c.output.value, OutputFormat::Junit);
        assert_eq!(c.output.origin, Origin::File(".meshdeck.yaml:2:11".into()));
        assert_eq!(c.failure_threshold.value, Level::Warning);
        assert_eq!(c.output_threshold.value, Level::Error);
        assert_eq!(
            c.suppressions(),
            ["IST0102=Namespace frod", "IST0107=Pod default/*"]
        );
        assert_eq!(
            c.suppress[1].origin,
            Origin::File(".meshdeck.yaml:9:7".into())
        );
        let names = c.analyzer_names();
        assert!(!names.is_empty());
        assert!(!names.iter().any(|n| n == "injection.ImageAnalyzer"));
    }

    #[test]
    fn empty_files_are_the_defaults() {
        assert_eq!(parsed("").unwrap(), AnalyzeConfig::default());
        assert_eq!(parsed("analyze:\n").unwrap(), AnalyzeConfig::default());
        assert_eq!(parsed("# nothing\n").unwrap(), AnalyzeConfig::default());
    }

    #[test]
    fn bad_content_names_position_and_field() {
        let e = parsed("analyze:\n  failureTreshold: Warning\n").unwrap_err();
        assert_eq!(e.location(), ".meshdeck.yaml:2:3");
        assert_eq!(e.message, "unknown field analyze.failureTreshold");
        assert_eq!(e.help.as_deref(), Some("did you mean `failureThreshold`?"));

        let e = parsed("analyze:\n  outputThreshold: loud\n").unwrap_err();
        assert_eq!(e.location(), ".meshdeck.yaml:2:20");
        assert!(e.message.starts_with("analyze.outputThreshold:"), "{e}");

        let e = parsed("analyse:\n  output: json\n").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `analyze`?"));

        let e = parsed("analyze:\n  suppress:\n    - IST0162\n").unwrap_err();
        assert_eq!(e.location(), ".meshdeck.yaml:3:7");
        assert!(e.message.starts_with("analyze.suppress[0]:"), "{e}");

        let e = parsed("analyze:\n  analyzers: [gateway.SecretAnalyser]\n").unwrap_err();
        assert_eq!(e.location(), ".meshdeck.yaml:2:15");
        assert!(e.help.unwrap().contains("gateway.SecretAnalyzer"));

        let e = parsed("analyze:\n  output: xml\n").unwrap_err();
        assert!(e.message.contains("not an output format"), "{e}");

        let e = parsed("analyze:\n  output: json\n  output: yaml\n").unwrap_err();
        assert_eq!(e.location(), ".meshdeck.yaml:3:3");
    }

    #[test]
    fn flags_override_the_file_and_suppressions_add_up() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(
            dir.path().join(FILE_NAME),
            "analyze:\n  failureThreshold: Warning\n  output: json\n  suppress: [IST0102=*]\n",
        )
        .unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        let flags = Flags {
            output: Some(OutputFormat::Sarif),
            suppress: vec!["IST0107=*".into()],
            ..Flags::default()
        };
        let c = resolve(flags, &sub).unwrap();
        assert_eq!(
            c.file,
            Some((PathBuf::from("../../.meshdeck.yaml"), Found::Search))
        );
        assert_eq!(c.output.value, OutputFormat::Sarif);
        assert_eq!(c.output.origin, Origin::Flag("--output"));
        assert_eq!(c.failure_threshold.value, Level::Warning);
        assert_eq!(
            c.failure_threshold.origin,
            Origin::File("../../.meshdeck.yaml:2:21".into())
        );
        assert_eq!(c.suppressions(), ["IST0102=*", "IST0107=*"]);

        let off = resolve(
            Flags {
                no_config: true,
                ..Flags::default()
            },
            &sub,
        )
        .unwrap();
        assert_eq!(off, AnalyzeConfig::default());
    }

    #[test]
    fn the_search_stops_at_the_repository_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "analyze: {}\n").unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("deploy")).unwrap();
        assert_eq!(find(&repo.join("deploy")), None);
        assert_eq!(find(dir.path()), Some(dir.path().join(FILE_NAME)));
    }
}
