//! Where resources come from: files and directories, stdin, URLs, and a live cluster.

pub mod cluster;
pub mod files;
pub mod url;

use std::sync::Arc;
use std::time::Duration;

use crate::resource::{LoadIssue, LoadOptions, Resource, SourceText, parse_source};

/// Namespaces whose resources are never analyzed, as in istioctl.
pub const EXCLUDED_NAMESPACES: &[&str] = &[
    "kube-system",
    "kube-public",
    "kube-node-lease",
    "local-path-storage",
];

/// The innermost cause of an error: what a network failure really was ("connection refused").
fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// Resources read from the inputs, with every problem met on the way.
#[derive(Debug, Default)]
pub struct Loaded {
    pub resources: Vec<Resource>,
    pub issues: Vec<LoadIssue>,
    /// The names of the sources read (files as walked, `-`, URLs).
    pub sources: Vec<String>,
}

impl Loaded {
    /// Parses sources and adds their resources.
    pub fn add_sources(&mut self, sources: Vec<Arc<SourceText>>, opts: &LoadOptions) {
        for s in sources {
            let (resources, issues) = parse_source(&s, opts);
            self.sources.push(s.name.clone());
            self.resources.extend(
                resources
                    .into_iter()
                    .filter(|r| !EXCLUDED_NAMESPACES.contains(&r.namespace.as_str())),
            );
            self.issues.extend(issues.into_iter().map(|mut issue| {
                issue.text = Some(s.clone());
                issue
            }));
        }
    }

    pub fn has_errors(&self) -> bool {
        self.issues
            .iter()
            .any(|i| i.severity == crate::resource::Severity::Error)
    }
}

/// Reads every input: paths, `-` for stdin, `http(s)://` URLs. A failing input is reported and
/// the others are still read.
pub async fn load_inputs(inputs: &[String], opts: &LoadOptions, url_timeout: Duration) -> Loaded {
    let mut loaded = Loaded::default();
    for input in inputs {
        if input == "-" {
            match files::read_stdin() {
                Ok(s) => loaded.add_sources(vec![s], opts),
                Err(issue) => loaded.issues.push(issue),
            }
        } else if url::is_url(input) {
            match url::fetch(input, url_timeout).await {
                Ok(s) => loaded.add_sources(vec![s], opts),
                Err(issue) => loaded.issues.push(issue),
            }
        } else {
            let (sources, issues) = files::read_path(input);
            loaded.issues.extend(issues);
            loaded.add_sources(sources, opts);
        }
    }
    loaded
}
