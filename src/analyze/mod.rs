//! The analyzer framework: run selected analyzers over a snapshot, turn their messages into
//! findings, then filter, sort and de-duplicate them as istioctl does.

pub mod analyzer;
pub mod analyzers;
pub mod catalogue;
pub mod mesh;
pub mod report;
#[cfg(test)]
pub mod testing;

use std::cmp::Ordering;
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

pub use analyzer::{
    Analyzer, Clusters, Context, Message, Metadata, RemoteCluster, SkippedCheck, SkippedHost,
    Target,
};
pub use analyzers::schema::kind_typos::misspelt_kinds;
pub use catalogue::{Arg, Level, MessageType};
pub use mesh::MeshConfig;

use crate::resource::{Origin, Snapshot, SourceText};

/// The annotation that suppresses codes on one resource (`IST0102,IST0107` or `*`).
pub const SUPPRESS_ANNOTATION: &str = "galley.istio.io/analyze-suppress";

/// A rendered message, self-contained for output.
#[derive(Clone, Debug)]
pub struct Finding {
    pub message_type: &'static MessageType,
    pub level: Level,
    pub message: String,
    /// `Kind ns/name` or `Kind name`.
    pub origin: Option<String>,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub field: Option<String>,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub analyzer: &'static str,
    /// What the input has instead, when the analyzer could tell.
    pub hint: Option<String>,
    /// The text the finding points into, for snippets.
    pub source: Option<Arc<SourceText>>,
}

impl Finding {
    pub fn code(&self) -> &'static str {
        self.message_type.code
    }

    /// `file:line:column`, when the resource came from a file.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        Some(match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.clone(),
        })
    }

    /// istioctl's `reference`: `file:line`.
    pub fn reference(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        Some(match self.line {
            Some(l) => format!("{file}:{l}"),
            None => file.clone(),
        })
    }

    /// The one-line form used by the log output and for de-duplication.
    pub fn log_line(&self) -> String {
        match &self.origin {
            Some(origin) => {
                let loc = self.location().map(|l| format!(" {l}")).unwrap_or_default();
                format!(
                    "{} [{}] ({origin}{loc}) {}",
                    self.level,
                    self.code(),
                    self.message
                )
            }
            None => format!("{} [{}] {}", self.level, self.code(), self.message),
        }
    }
}

/// The result of running analyzers.
#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub executed: Vec<&'static str>,
    /// Analyzers that did not run, with the reason.
    pub skipped: Vec<(&'static str, String)>,
    /// Checks not run for one resource each (file-only runs; see [`Context::can_look_up`]).
    pub skipped_checks: Vec<SkippedCheck>,
}

/// Runs `analyzers` over `snapshot` at the current time (see [`run_at`]).
pub fn run(
    snapshot: &Snapshot,
    mesh: &MeshConfig,
    istio_namespace: &str,
    analyzers: &[&'static dyn Analyzer],
    skip_without_workloads: bool,
) -> Outcome {
    run_at(
        snapshot,
        mesh,
        istio_namespace,
        analyzers,
        skip_without_workloads,
        SystemTime::now(),
    )
}

/// Runs `analyzers` over `snapshot` as of `now` (certificate validity is judged at `now`).
/// `skip_without_workloads` marks a file-only run: when the snapshot holds no workload instances,
/// analyzers that read Pods are skipped (and listed in the outcome), and checks whose targets
/// usually live in the cluster run only where the input holds candidates.
pub fn run_at(
    snapshot: &Snapshot,
    mesh: &MeshConfig,
    istio_namespace: &str,
    analyzers: &[&'static dyn Analyzer],
    skip_without_workloads: bool,
    now: SystemTime,
) -> Outcome {
    run_clusters(
        snapshot,
        mesh,
        istio_namespace,
        analyzers,
        skip_without_workloads,
        now,
        &Clusters::default(),
    )
}

/// Like [`run_at`], in a multi-cluster run: `clusters` names the primary cluster (the snapshot)
/// and holds what was read from the remote ones, which the multi-cluster analyzers compare.
pub fn run_clusters(
    snapshot: &Snapshot,
    mesh: &MeshConfig,
    istio_namespace: &str,
    analyzers: &[&'static dyn Analyzer],
    skip_without_workloads: bool,
    now: SystemTime,
    clusters: &Clusters,
) -> Outcome {
    let mut outcome = Outcome::default();
    let mut runnable = Vec::with_capacity(analyzers.len());
    for a in analyzers {
        let meta = a.metadata();
        if skip_without_workloads
            && meta.needs_workloads()
            && !JUDGE_WITHOUT_WORKLOADS.contains(&meta.name)
            && !snapshot.has_workloads()
        {
            outcome.skipped.push((
                meta.name,
                "the input holds no Pods or workload templates to match selectors against".into(),
            ));
            continue;
        }
        runnable.push(*a);
    }
    // Analyzers read the snapshot and nothing of each other: each runs in a context of its
    // own, on every core, and their messages and skipped checks are put together in the
    // order the analyzers were given, as one context going through them in turn would hold
    // them.
    let results: Vec<(Vec<Message>, Vec<SkippedCheck>)> = runnable
        .par_iter()
        .map(|a| {
            let mut ctx = Context::new(snapshot, mesh, istio_namespace);
            ctx.now = now;
            ctx.clusters = clusters;
            ctx.file_only = skip_without_workloads;
            ctx.analyzer = a.metadata().name;
            a.analyze(&mut ctx);
            (ctx.take_messages(), std::mem::take(&mut ctx.skipped_checks))
        })
        .collect();
    outcome.executed = runnable.iter().map(|a| a.metadata().name).collect();
    let mut messages = Vec::new();
    for (m, skipped) in results {
        messages.extend(m);
        outcome.skipped_checks.extend(skipped);
    }
    outcome.findings = messages
        .into_par_iter()
        .filter_map(|m| finding(snapshot, m))
        .collect();
    outcome
}

/// Analyzers that read Pods but run on inputs without workloads: their checks need none to judge
/// (an unknown annotation on a Service is wrong whether or not the input holds a Pod), or they
/// skip per check the ones that look workloads up ([`Context::can_look_up_workloads`]), so that
/// the checks needing no workloads still run and each skipped one is named in a note. (Every
/// check of the `gateway.*` analyzers looks workloads up: on an input without any they are
/// skipped whole, and named; on one with workloads they skip per Gateway.)
pub const JUDGE_WITHOUT_WORKLOADS: &[&str] = &[
    "annotations.K8sAnalyzer",
    "auth.AuthorizationPoliciesAnalyzer",
    "destinationrule.SubsetSelectPodAnalyzer",
    "kubernetes.ServiceSelectorAnalyzer",
    "sidecar.SelectorAnalyzer",
    "telemetry.SelectorAnalyzer",
    "virtualservice.JWTClaimRouteAnalyzer",
];

/// Skipped analyzers grouped by reason: each reason once, in the order it first appears, with
/// the analyzers it covers in the order they were skipped.
pub fn group_skipped<'a>(
    skipped: &'a [(&'static str, String)],
) -> Vec<(&'a str, Vec<&'static str>)> {
    let mut groups: Vec<(&str, Vec<&'static str>)> = Vec::new();
    for (name, reason) in skipped {
        match groups.iter_mut().find(|(r, _)| r == reason) {
            Some((_, names)) => names.push(name),
            None => groups.push((reason, vec![name])),
        }
    }
    groups
}

/// The names of the analyzers that can report `code`, sorted.
pub fn analyzers_emitting(code: &str) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = analyzers::all()
        .into_iter()
        .filter(|a| {
            a.metadata()
                .codes
                .iter()
                .any(|c| c.code.eq_ignore_ascii_case(code))
        })
        .map(|a| a.metadata().name)
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Renders a message; `None` when the resource suppresses the code by annotation.
pub fn finding(snapshot: &Snapshot, m: Message) -> Option<Finding> {
    let text = catalogue::render(m.kind.template, &m.args);
    let Some(idx) = m.resource else {
        return Some(Finding {
            message_type: m.kind,
            level: m.kind.level,
            message: text,
            origin: None,
            kind: String::new(),
            name: String::new(),
            namespace: String::new(),
            field: m.field,
            file: None,
            line: None,
            column: None,
            analyzer: m.analyzer,
            hint: m.hint,
            source: None,
        });
    };
    let r = snapshot.resource(idx);
    if let Some(list) = r.annotations.get(SUPPRESS_ANNOTATION)
        && list
            .split(',')
            .map(str::trim)
            .any(|c| c == "*" || c.eq_ignore_ascii_case(m.kind.code))
    {
        return None;
    }
    let pos = r.position_of(m.field.as_deref());
    let (file, source) = match &r.origin {
        Origin::File { source, .. } => (Some(source.name.clone()), Some(source.clone())),
        _ => (None, None),
    };
    // istioctl gives no line for JSON files; we do, since our parser knows it.
    Some(Finding {
        message_type: m.kind,
        level: m.kind.level,
        message: text,
        origin: Some(r.friendly_name()),
        kind: r.kind.to_string(),
        name: r.name.clone(),
        namespace: r.namespace.clone(),
        field: m.field,
        file,
        line: pos.map(|p| p.line),
        column: pos.map(|p| p.col),
        analyzer: m.analyzer,
        hint: m.hint,
        source,
    })
}

/// `-S CODE=GLOB`: drops messages of `code` whose origin (`Kind ns/name`) matches the glob.
#[derive(Clone, Debug)]
pub struct Suppression {
    pub code: String,
    pub pattern: wildmatch::WildMatch,
    pub raw: String,
}

impl Suppression {
    /// Parses `CODE=GLOB`. Returns an error text for a malformed value.
    pub fn parse(s: &str) -> Result<Suppression, String> {
        let parts: Vec<&str> = s.split('=').collect();
        if parts.len() != 2 || parts[0].trim().is_empty() || parts[1].is_empty() {
            return Err(format!(
                "{s:?} is not of the form CODE=GLOB (for example IST0102=\"Namespace frod\" or IST0107=\"Pod default/*\")"
            ));
        }
        Ok(Suppression {
            code: parts[0].trim().to_ascii_uppercase(),
            pattern: wildmatch::WildMatch::new(parts[1]),
            raw: s.to_string(),
        })
    }

    fn suppresses(&self, f: &Finding) -> bool {
        f.code().eq_ignore_ascii_case(&self.code)
            && f.origin.as_deref().is_some_and(|o| self.pattern.matches(o))
    }
}

/// Keeps findings of resources in `namespace` (when given; findings without a namespace stay),
/// drops suppressed ones, then sorts and de-duplicates as istioctl does.
pub fn select(
    mut findings: Vec<Finding>,
    namespace: Option<&str>,
    suppressions: &[Suppression],
) -> Vec<Finding> {
    findings.retain(|f| {
        let in_scope = match namespace {
            Some(ns) => {
                let own = if f.kind == "Namespace" {
                    &f.name
                } else {
                    &f.namespace
                };
                own.is_empty() || own == ns
            }
            None => true,
        };
        in_scope && !suppressions.iter().any(|s| s.suppresses(f))
    });
    let mut keyed: Vec<(String, Finding)> = findings
        .into_par_iter()
        .map(|f| (f.log_line(), f))
        .collect();
    // Stable, as `sort_by` is: findings that compare equal keep the order they came in.
    keyed.par_sort_by(|(la, a), (lb, b)| compare(a, b).then_with(|| la.cmp(lb)));
    // Several analyzers may say the same thing; keep one, with any hint one of them had.
    keyed.dedup_by(|(la, later), (lb, kept)| {
        let same = la == lb;
        if same && kept.hint.is_none() {
            kept.hint = later.hint.take();
        }
        same
    });
    keyed.into_iter().map(|(_, f)| f).collect()
}

/// istioctl's order: level (Error first), code, resource-less first, then kind, name, namespace.
fn compare(a: &Finding, b: &Finding) -> Ordering {
    b.level
        .cmp(&a.level)
        .then_with(|| a.code().cmp(b.code()))
        .then_with(|| a.origin.is_some().cmp(&b.origin.is_some()))
        .then_with(|| a.kind.cmp(&b.kind))
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.namespace.cmp(&b.namespace))
}

#[cfg(test)]
mod policy_tests {
    use super::*;

    #[test]
    fn skipped_analyzers_are_grouped_by_reason_whatever_their_order() {
        let skipped = vec![
            ("a.One", "no pods".to_string()),
            ("b.Two", "no crd".to_string()),
            ("c.Three", "no pods".to_string()),
        ];
        // `dedup` on this unsorted list would have printed "no pods" twice.
        assert_eq!(
            group_skipped(&skipped),
            vec![
                ("no pods", vec!["a.One", "c.Three"]),
                ("no crd", vec!["b.Two"])
            ]
        );
        assert!(group_skipped(&[]).is_empty());
    }

    #[test]
    fn analyzers_emitting_a_code() {
        assert_eq!(
            analyzers_emitting("ist0162"),
            vec!["gateway.IngressGatewayPortAnalyzer"]
        );
        let ist0101 = analyzers_emitting("IST0101");
        assert!(ist0101.len() > 3 && ist0101.is_sorted(), "{ist0101:?}");
        assert!(analyzers_emitting("IST9999").is_empty());
    }
}
