//! Where resources come from: files and directories, stdin, URLs, and a live cluster.

pub mod cluster;
pub mod files;
pub mod url;

use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

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

/// When reading the inputs must end: `--timeout` counted from when the command started.
#[derive(Clone, Copy, Debug)]
pub struct Deadline {
    pub at: Instant,
    /// The timeout it was made from, to name in messages.
    pub timeout: Duration,
}

impl Deadline {
    /// Reading ends this much before the deadline, so that a caller's own overall timeout,
    /// counted from about the same moment, does not pre-empt the more precise input error.
    const MARGIN: Duration = Duration::from_millis(50);

    /// `timeout` from now.
    pub fn after(timeout: Duration) -> Deadline {
        Deadline {
            at: Instant::now() + timeout,
            timeout,
        }
    }

    /// The instant an input read gives up.
    pub(crate) fn read_until(&self) -> tokio::time::Instant {
        let at = self.at.checked_sub(Self::MARGIN).unwrap_or(self.at);
        tokio::time::Instant::from_std(at)
    }

    /// `--timeout 3s`, for messages.
    pub(crate) fn describe(&self) -> String {
        format!("--timeout {}", humantime::format_duration(self.timeout))
    }
}

/// Resources read from the inputs, with every problem met on the way.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The resources of the kinds meshdeck reads: what analysis is given.
    pub resources: Vec<Resource>,
    /// Every other object ([`Kind::Other`](crate::resource::Kind::Other)), kept whole for commands that carry objects.
    pub others: Vec<Resource>,
    pub issues: Vec<LoadIssue>,
    /// The names of the sources read (files as walked, `-`, URLs).
    pub sources: Vec<String>,
}

impl Loaded {
    /// Parses sources and adds their resources. Each object of a kind no analyzer reads goes to
    /// `others` with a note at its `kind`.
    /// The sources are parsed on every core; their results are taken in the order given.
    pub fn add_sources(&mut self, sources: Vec<Arc<SourceText>>, opts: &LoadOptions) {
        let parsed: Vec<_> = sources.par_iter().map(|s| parse_source(s, opts)).collect();
        for (s, (resources, mut issues)) in sources.into_iter().zip(parsed) {
            self.sources.push(s.name.clone());
            let (known, others): (Vec<Resource>, Vec<Resource>) =
                resources.into_iter().partition(Resource::is_known);
            for r in &others {
                issues.push(LoadIssue::note(
                    &s.name,
                    r.doc.entry("kind").map(|e| e.key_pos),
                    format!(
                        "kind {} ({}) is not read by any analyzer; skipped",
                        r.kind_name, r.api_version
                    ),
                ));
            }
            // In document order, as the reader goes through the file.
            issues.sort_by_key(|i| i.pos.map(|p| p.line));
            self.resources.extend(
                known
                    .into_iter()
                    .filter(|r| !EXCLUDED_NAMESPACES.contains(&r.namespace.as_str())),
            );
            self.others.extend(others);
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
/// the others are still read. Stdin and URLs that do not end by `deadline` are input errors
/// naming the timeout (and what was read of them is dropped).
pub async fn load_inputs(inputs: &[String], opts: &LoadOptions, deadline: Deadline) -> Loaded {
    let mut loaded = Loaded::default();
    for input in inputs {
        if input == "-" {
            match files::read_stdin(deadline).await {
                Ok(s) => loaded.add_sources(vec![s], opts),
                Err(issue) => loaded.issues.push(issue),
            }
        } else if url::is_url(input) {
            match url::fetch(input, deadline).await {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::{Kind, Severity};

    #[test]
    fn other_kinds_are_kept_apart_and_noted_in_document_order() {
        let text = "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: c}\n---\nkind: [broken\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: kube-system}\n";
        let mut loaded = Loaded::default();
        loaded.add_sources(
            vec![SourceText::new("t.yaml", text)],
            &LoadOptions::default(),
        );
        let known: Vec<String> = loaded.resources.iter().map(|r| r.friendly_name()).collect();
        assert_eq!(known, ["Service default/s"]);
        let others: Vec<String> = loaded.others.iter().map(|r| r.friendly_name()).collect();
        assert_eq!(others, ["Certificate c", "Widget kube-system/w"]);
        assert!(loaded.others.iter().all(|r| r.kind == Kind::Other));
        let issues: Vec<(Severity, String)> = loaded
            .issues
            .iter()
            .map(|i| (i.severity, i.location()))
            .collect();
        assert_eq!(
            issues,
            [
                (Severity::Note, "t.yaml:2:1".to_string()),
                (Severity::Error, "t.yaml:5:14".to_string()),
                (Severity::Note, "t.yaml:12:1".to_string()),
            ]
        );
        assert_eq!(
            loaded.issues[0].message,
            "kind Certificate (cert-manager.io/v1) is not read by any analyzer; skipped"
        );
    }
}
