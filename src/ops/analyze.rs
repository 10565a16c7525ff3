//! One `analyze` run, end to end: read the inputs (files, stdin, URLs, a cluster), build the
//! snapshot, run the selected analyzers, filter what they found, and decide the exit status.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use miette::{Diagnostic, LabeledSpan, SourceCode, SourceSpan};

pub mod config;

use super::Observer;
use crate::analyze::mesh::MeshConfigError;
use crate::analyze::report::AnalyzedObject;
use crate::analyze::{
    self, Analyzer, Finding, Level, MeshConfig, Suppression, analyzers, catalogue,
};
use crate::exit;
use crate::resource::{LoadIssue, LoadOptions, Pos, Resource, Severity, Snapshot, SourceText};
use crate::source::{self, cluster};
use crate::ui::error::{NamedText, span_at};

/// What to analyze and how.
#[derive(Clone, Debug)]
pub struct AnalyzeRequest {
    /// Files, directories, `-`, URLs.
    pub paths: Vec<String>,
    /// `-n`: the namespace messages are reported for (and the default for file resources).
    pub namespace: Option<String>,
    /// `-A`.
    pub all_namespaces: bool,
    /// Analyzer names; empty means all.
    pub analyzers: Vec<String>,
    /// Raw `-S` values.
    pub suppress: Vec<String>,
    pub mesh_config_file: Option<PathBuf>,
    pub mesh_networks_file: Option<PathBuf>,
    pub istio_namespace: String,
    /// Read the cluster (with paths: lay the files over it).
    pub use_kube: bool,
    pub kube: cluster::Target,
    /// `--remote-contexts`: kubeconfig contexts of remote clusters, compared with the primary.
    pub remote_contexts: Vec<String>,
    /// Bound on the whole run, URL fetches and cluster reads included.
    pub timeout: Duration,
    /// The clock analyzers judge time-bound data by (certificate expiry).
    pub now: SystemTime,
}

/// What was analyzed, for "No validation issues found when analyzing ...".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Target {
    /// One file, `-` or URL.
    Source(String),
    /// Several.
    Sources(Vec<String>),
    /// A cluster's namespace.
    Namespace(String),
    /// Every namespace of a cluster.
    #[default]
    AllNamespaces,
}

impl fmt::Display for Target {
    /// `gw.yaml`, `namespace: shop`, `all namespaces`, or a list of sources one per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Source(s) => f.write_str(s),
            Target::Sources(list) => {
                for s in list {
                    write!(f, "\n  - {s}")?;
                }
                Ok(())
            }
            Target::Namespace(ns) => write!(f, "namespace: {ns}"),
            Target::AllNamespaces => f.write_str("all namespaces"),
        }
    }
}

/// What the run found and everything worth telling about how it went.
#[derive(Debug, Default)]
pub struct AnalyzeReport {
    /// Sorted, de-duplicated, filtered by namespace and suppressions (not by output threshold).
    pub findings: Vec<Finding>,
    /// Problems with the inputs (parse errors are `Severity::Error`: exit code 65).
    pub load_issues: Vec<LoadIssue>,
    pub executed: Vec<&'static str>,
    pub skipped: Vec<(&'static str, String)>,
    /// Warnings about the request itself (unknown suppression codes, kinds that could not be read).
    pub warnings: Vec<String>,
    /// The sources read, as named to the user.
    pub sources: Vec<String>,
    pub target: Target,
    pub resources: usize,
    /// Checks a file-only run left out, one entry per resource (see `Context::can_look_up`).
    pub skipped_checks: Vec<SkippedChecks>,
    /// Objects of kinds no analyzer reads: counted in the closing line, listed with `-v`.
    pub unread: Vec<UnreadObject>,
    /// The objects analyzed in the namespace the report is about (JUnit's test cases).
    pub objects: Vec<AnalyzedObject>,
}

/// The checks not run for one resource because their targets are not in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedChecks {
    /// `Gateway default/bookinfo-gateway`.
    pub origin: String,
    /// `file:line:col` of the selector.
    pub location: Option<String>,
    /// `istio=ingressgateway`.
    pub selector: String,
    /// `IST0101 (selector)`, in the order first skipped.
    pub checks: Vec<&'static str>,
    /// What to add to the input to run them without a cluster.
    pub targets: &'static str,
    /// For checks that look destination hosts up among Services: each host skipped (then
    /// `selector` is empty); empty for selector checks.
    pub hosts: Vec<SkippedHostNote>,
}

/// A destination host (or gateway reference) not checked, with what the input holds of its
/// name elsewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedHostNote {
    pub host: String,
    /// The namespace the input holds no Service (Gateway) of.
    pub namespace: String,
    /// What the host names.
    pub of: analyze::Target,
    /// Services (Gateways) of the input with the host's name in other namespaces (`shop/web`):
    /// a host whose namespace is mistyped lands here rather than in an Error.
    pub namesakes: Vec<String>,
}

impl SkippedChecks {
    /// The note a user reads: what was not checked, why, and how to check it.
    pub fn note(&self) -> String {
        let at = self
            .location
            .as_deref()
            .map(|l| format!(" ({l})"))
            .unwrap_or_default();
        if !self.hosts.is_empty() {
            return self.hosts_note(&at);
        }
        format!(
            "{}{at}: not checked: {}. No workload in the input carries a label key of its selector {}, \
             so they live in the cluster; run with --use-kube to check against the cluster, \
             or add {} to the input",
            self.origin,
            self.checks.join(", "),
            self.selector,
            self.targets
        )
    }

    /// The note for checks skipped for destination hosts (or gateway references).
    fn hosts_note(&self, at: &str) -> String {
        let of = self.hosts[0].of;
        let kind = of.kind();
        let hosts: Vec<&str> = self.hosts.iter().map(|h| h.host.as_str()).collect();
        let mut namespaces: Vec<&str> = self.hosts.iter().map(|h| h.namespace.as_str()).collect();
        namespaces.sort_unstable();
        namespaces.dedup();
        let noun = match of {
            analyze::Target::Service => "host",
            analyze::Target::Gateway => "gateway",
        };
        let (host_word, they) = if hosts.len() == 1 {
            (noun.to_string(), format!("its {kind} lives"))
        } else {
            (format!("{noun}s"), format!("their {kind}s live"))
        };
        let ns_word = if namespaces.len() == 1 {
            "namespace"
        } else {
            "namespaces"
        };
        let namespaces = namespaces.join(", ");
        let mut note = format!(
            "{}{at}: not checked: {} for {host_word} {}. The input holds no {kind} of {ns_word} \
             {namespaces}, so {they} in the cluster; run with --use-kube to check against the \
             cluster, or add {} {ns_word} {namespaces} to the input",
            self.origin,
            self.checks.join(", "),
            hosts.join(", "),
            self.targets,
        );
        for h in self.hosts.iter().filter(|h| !h.namesakes.is_empty()) {
            note.push_str(&format!(
                ". The input holds a {kind} named {} in another namespace ({}): if {} \
                 means it, its namespace is wrong",
                referenced_name(h.of, &h.host),
                h.namesakes.join(", "),
                h.host,
            ));
        }
        note
    }
}

/// The name a skipped host (`cart.shopp.svc.cluster.local`, `web`) or gateway reference
/// (`shopp/public`) gives, without its namespace.
fn referenced_name(of: analyze::Target, host: &str) -> &str {
    match of {
        analyze::Target::Service => crate::analyze::analyzers::hosts::split_service_fqdn(host)
            .map_or(host, |(_, name)| name),
        analyze::Target::Gateway => host.rsplit_once('/').map_or(host, |(_, name)| name),
    }
}

/// An object of a kind no analyzer reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnreadObject {
    /// `ServiceAccount default/reviews`.
    pub origin: String,
    /// `ServiceAccount (v1)`.
    pub kind: String,
    /// `file:line:col` of its `kind:`.
    pub location: Option<String>,
}

impl AnalyzeReport {
    /// The problems with inputs that could not be read or parsed (not the notes).
    pub fn input_errors(&self) -> Vec<LoadIssue> {
        self.load_issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .cloned()
            .collect()
    }

    /// Inputs that could not be read or parsed.
    pub fn unparsed(&self) -> usize {
        self.load_issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count()
    }

    /// What the run could not look at, for the closing line (`2 inputs could not be read`,
    /// `4 objects of kinds no analyzer reads were skipped`); empty when everything was read
    /// and checked.
    pub fn gaps(&self) -> Vec<String> {
        let mut gaps = Vec::new();
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        match self.unparsed() {
            0 => {}
            n => gaps.push(format!(
                "{} could not be read",
                plural(n, "input", "inputs")
            )),
        }
        match self.unread.len() {
            0 => {}
            n => gaps.push(format!(
                "{} of kinds no analyzer reads {} skipped",
                plural(n, "object", "objects"),
                if n == 1 { "was" } else { "were" }
            )),
        }
        let resources = |of: Option<analyze::Target>| {
            let mut resources: Vec<&str> = self
                .skipped_checks
                .iter()
                .filter(|s| s.hosts.first().map(|h| h.of) == of)
                .map(|s| s.origin.as_str())
                .collect();
            resources.sort_unstable();
            resources.dedup();
            resources.len()
        };
        for (of, against) in [
            (None, "workloads"),
            (Some(analyze::Target::Service), "Services"),
            (Some(analyze::Target::Gateway), "Gateways"),
        ] {
            match resources(of) {
                0 => {}
                n => gaps.push(format!(
                    "{} not checked against {against} that are not in the input",
                    plural(n, "resource was", "resources were")
                )),
            }
        }
        gaps
    }

    /// Whether a message is at or above `threshold`.
    pub fn fails(&self, threshold: Level) -> bool {
        self.findings.iter().any(|f| f.level >= threshold)
    }

    /// The findings at or above `threshold`, to print.
    pub fn shown(&self, threshold: Level) -> Vec<Finding> {
        self.findings
            .iter()
            .filter(|f| f.level >= threshold)
            .cloned()
            .collect()
    }

    /// Skipped analyzers grouped by reason.
    pub fn skipped_by_reason(&self) -> Vec<(&str, Vec<&'static str>)> {
        analyze::group_skipped(&self.skipped)
    }

    /// The exit status for `--failure-threshold`: 79 over 65 over 0.
    pub fn exit_code(&self, failure_threshold: Level) -> u8 {
        exit::code(exit::Ending::Analysis {
            failing_messages: self.fails(failure_threshold),
            unparsed_inputs: self.unparsed(),
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AnalyzeError {
    #[error("unknown analyzer {name:?}")]
    UnknownAnalyzer {
        name: String,
        known: Vec<&'static str>,
    },
    #[error("invalid --suppress value: {0}")]
    BadSuppression(String),
    #[error("cannot read the mesh config file {}", path.display())]
    MeshFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", mesh_config_message(error, text.is_some()))]
    MeshConfig {
        error: MeshConfigError,
        /// The text the error points into, when it is known.
        text: Option<(NamedText, SourceSpan)>,
    },
    #[error("cannot read the cluster")]
    Cluster(#[source] cluster::ClusterError),
    #[error(
        "nothing to analyze: give files, directories, - or URLs, or use --use-kube to read a cluster"
    )]
    NoInput,
    #[error("analysis did not finish within --timeout {}", humantime::format_duration(*.0))]
    Timeout(Duration),
    #[error("cannot start the async runtime")]
    Runtime(#[source] std::io::Error),
    #[error("cannot read the config file {}", path.display())]
    ConfigFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Config(config::ConfigError),
    #[error("cannot read the remote cluster of {secret}")]
    RemoteSecret {
        secret: String,
        #[source]
        source: cluster::ClusterError,
    },
}

/// With the text at hand the renderer shows where; without it the message says so itself.
fn mesh_config_message(error: &MeshConfigError, located: bool) -> String {
    if located {
        error.message.clone()
    } else {
        error.to_string()
    }
}

impl AnalyzeError {
    /// A flag value the user must correct (exit code 64).
    pub fn is_bad_flag_value(&self) -> bool {
        matches!(
            self,
            AnalyzeError::UnknownAnalyzer { .. } | AnalyzeError::BadSuppression(_)
        )
    }

    /// Bad content in an input the user must correct (exit code 65): the config file.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, AnalyzeError::Config(_))
    }

    fn mesh_config(error: MeshConfigError, text: Option<Arc<SourceText>>) -> AnalyzeError {
        let pos = Pos {
            line: error.line,
            col: error.col,
        };
        let text = text.and_then(|t| span_at(&t, pos).map(|span| (NamedText(t), span)));
        AnalyzeError::MeshConfig { error, text }
    }
}

impl Diagnostic for AnalyzeError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let code = match self {
            AnalyzeError::UnknownAnalyzer { .. } => "analyze::unknown_analyzer",
            AnalyzeError::BadSuppression(_) => "analyze::bad_suppression",
            AnalyzeError::MeshFile { .. } => "analyze::mesh_file",
            AnalyzeError::MeshConfig { .. } => "analyze::mesh_config",
            AnalyzeError::Cluster(_) => "analyze::cluster",
            AnalyzeError::NoInput => "analyze::no_input",
            AnalyzeError::Timeout(_) => "analyze::timeout",
            AnalyzeError::Runtime(_) => "analyze::runtime",
            AnalyzeError::ConfigFile { .. } => "analyze::config_file",
            AnalyzeError::Config(e) => return e.code(),
            AnalyzeError::RemoteSecret { .. } => "analyze::remote_secret",
        };
        Some(Box::new(code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let help = match self {
            AnalyzeError::UnknownAnalyzer { name, known } => {
                match crate::analyze::analyzers::schema::rules::closest(name, known) {
                    Some(near) => format!(
                        "did you mean {near:?}? List every analyzer with meshdeck analyze -L"
                    ),
                    None => "list every analyzer with meshdeck analyze -L".to_string(),
                }
            }
            // The kube layer's remedy, plus analyze's own way round a missing cluster.
            AnalyzeError::Cluster(
                e @ (cluster::ClusterError::Kubeconfig { .. } | cluster::ClusterError::Unreachable { .. }),
            ) => {
                format!(
                    "{}; give files (and --use-kube=false) to analyze them without a cluster",
                    e.hint()?
                )
            }
            AnalyzeError::Cluster(e) => e.hint()?,
            AnalyzeError::MeshFile { .. } => {
                "check the path given to --meshConfigFile or --meshNetworksFile".into()
            }
            AnalyzeError::MeshConfig { .. } => {
                "a mesh config file is a YAML mapping of MeshConfig fields (as in the istio ConfigMap's `mesh` key)".into()
            }
            AnalyzeError::Timeout(_) => {
                "raise --timeout, or narrow the run with --analyzer or -n".into()
            }
            AnalyzeError::ConfigFile { .. } => {
                "check the path given to --config (or run with --no-config)".into()
            }
            AnalyzeError::Config(e) => return e.help(),
            AnalyzeError::RemoteSecret { .. } => {
                "without --remote-contexts the remote secrets of the Istio namespace name the \
                 remote clusters (as istioctl's); fix or remove that Secret, or name the \
                 clusters with --remote-contexts"
                    .into()
            }
            _ => return None,
        };
        Some(Box::new(help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        match self {
            AnalyzeError::MeshConfig {
                text: Some((text, _)),
                ..
            } => Some(text),
            AnalyzeError::Config(e) => e.source_code(),
            _ => None,
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        match self {
            AnalyzeError::MeshConfig {
                text: Some((_, span)),
                ..
            } => Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
                Some("here".into()),
                *span,
            )))),
            AnalyzeError::Config(e) => e.labels(),
            _ => None,
        }
    }
}

impl From<cluster::ClusterError> for AnalyzeError {
    fn from(e: cluster::ClusterError) -> AnalyzeError {
        AnalyzeError::Cluster(e)
    }
}

/// The label istiod's remote secrets carry (`istioctl create-remote-secret`).
const MULTI_CLUSTER_SECRET_LABEL: &str = "istio/multiCluster=true";

/// The kubeconfigs of the remote secrets in the Istio namespace, as (`Secret ns/name[key]`,
/// kubeconfig text), sorted. None when the user may not list Secrets there.
async fn remote_secret_kubeconfigs(
    client: &cluster::ClusterClient,
    istio_namespace: &str,
) -> Result<Vec<(String, String)>, AnalyzeError> {
    use k8s_openapi::api::core::v1::Secret;
    let api: kube::Api<Secret> = kube::Api::namespaced(client.client().clone(), istio_namespace);
    let params = kube::api::ListParams::default().labels(MULTI_CLUSTER_SECRET_LABEL);
    let list = match api.list(&params).await {
        Ok(list) => list,
        Err(kube::Error::Api(s)) if s.code == 403 || s.code == 404 => return Ok(Vec::new()),
        Err(e) => {
            return Err(AnalyzeError::Cluster(client.kube().error(
                &format!("list the remote secrets (Secrets labelled {MULTI_CLUSTER_SECRET_LABEL}) in {istio_namespace}"),
                e,
            )));
        }
    };
    let mut out = Vec::new();
    for secret in list.items {
        let name = secret.metadata.name.clone().unwrap_or_default();
        for (key, bytes) in secret.data.unwrap_or_default() {
            let text = String::from_utf8_lossy(&bytes.0).into_owned();
            out.push((format!("Secret {istio_namespace}/{name}[{key}]"), text));
        }
    }
    out.sort();
    Ok(out)
}

/// A kubeconfig's current context and the name of its cluster (the cluster's ID, as istioctl
/// names a remote secret's cluster); `None` when it has no current context, which istioctl
/// skips.
fn current_context(
    kubeconfig: &str,
) -> Result<Option<(String, String)>, kube::config::KubeconfigError> {
    let kc = kube::config::Kubeconfig::from_yaml(kubeconfig)?;
    let found = kc.current_context.and_then(|current| {
        let context = kc.contexts.iter().find(|c| c.name == current)?;
        let cluster = context.context.as_ref()?.cluster.clone();
        Some((current, cluster))
    });
    Ok(found)
}

/// Writes `text` readable by the owner only.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

/// Resolves `--analyzer` names; an unknown name is an error (istioctl silently runs all).
pub fn select_analyzers(names: &[String]) -> Result<Vec<&'static dyn Analyzer>, AnalyzeError> {
    let all = analyzers::all();
    if names.is_empty() {
        return Ok(all);
    }
    let mut selected = Vec::new();
    for name in names {
        match all.iter().find(|a| a.metadata().name == name) {
            Some(a)
                if !selected
                    .iter()
                    .any(|s: &&dyn Analyzer| std::ptr::eq(*s, *a)) =>
            {
                selected.push(*a)
            }
            Some(_) => {}
            None => {
                return Err(AnalyzeError::UnknownAnalyzer {
                    name: name.clone(),
                    known: all.iter().map(|a| a.metadata().name).collect(),
                });
            }
        }
    }
    Ok(selected)
}

fn read_mesh_file(path: &Path) -> Result<Arc<SourceText>, AnalyzeError> {
    let text = std::fs::read_to_string(path).map_err(|source| AnalyzeError::MeshFile {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(SourceText::new(path.display().to_string(), text))
}

/// Runs one analysis to the end or to `req.timeout`, whichever comes first.
pub fn run(req: &AnalyzeRequest, observer: &dyn Observer) -> Result<AnalyzeReport, AnalyzeError> {
    let runtime = tokio::runtime::Runtime::new().map_err(AnalyzeError::Runtime)?;
    runtime.block_on(async {
        tokio::time::timeout(req.timeout, analyze(req, observer))
            .await
            .unwrap_or(Err(AnalyzeError::Timeout(req.timeout)))
    })
}

/// Runs one analysis.
pub async fn analyze(
    req: &AnalyzeRequest,
    observer: &dyn Observer,
) -> Result<AnalyzeReport, AnalyzeError> {
    // Counted from the start, as the caller's --timeout is: reading stdin or a URL must end by it.
    let deadline = source::Deadline::after(req.timeout);
    let selected = select_analyzers(&req.analyzers)?;
    let suppressions = req
        .suppress
        .iter()
        .map(|s| Suppression::parse(s).map_err(AnalyzeError::BadSuppression))
        .collect::<Result<Vec<_>, _>>()?;
    let mut report = AnalyzeReport::default();
    for s in &suppressions {
        if catalogue::find(&s.code).is_none() {
            report.warnings.push(format!(
                "supplied message code '{}' is an unknown message code and will not have any effect",
                s.code
            ));
        }
    }
    if req.paths.is_empty() && !req.use_kube {
        return Err(AnalyzeError::NoInput);
    }

    // Which namespace the report is about, and which namespace file resources default to.
    let mut scope = if req.all_namespaces {
        None
    } else {
        req.namespace.clone()
    };
    let mut mesh = MeshConfig::default();
    let mut cluster_snapshot = None;
    let mut clusters = analyze::Clusters {
        primary: "files".into(),
        remotes: Vec::new(),
    };
    let mut remote_secrets: Vec<(String, String)> = Vec::new();
    if req.use_kube {
        observer.begin("Connecting to the cluster");
        let client = cluster::connect(&req.kube, req.timeout).await?;
        clusters.primary = client.kube().context().to_string();
        if !req.all_namespaces && scope.is_none() {
            scope = Some(client.default_namespace().to_string());
        }
        if let Some(ns) = scope.as_deref() {
            client.check_namespace(ns).await?;
        }
        let kinds = input_kinds(&selected);
        observer.begin(&format!("Reading {} kinds from the cluster", kinds.len()));
        let read = client.read(&kinds, scope.as_deref(), req.timeout).await?;
        report.warnings.extend(read.warnings);
        if let Some((config, networks)) = client.mesh_config(&req.istio_namespace).await? {
            let name = |key: &str| format!("configmap {}/istio ({key})", req.istio_namespace);
            if let Some(c) = config {
                mesh.apply_config(&c, &name("mesh")).map_err(|e| {
                    AnalyzeError::mesh_config(e, Some(SourceText::new(name("mesh"), c.as_str())))
                })?;
            }
            if let Some(n) = networks {
                let source = name("meshNetworks");
                mesh.apply_networks(&n, &source).map_err(|e| {
                    AnalyzeError::mesh_config(e, Some(SourceText::new(&source, &n)))
                })?;
            }
        }
        observer.end(&format!(
            "Read {} objects of {} kinds from the cluster",
            read.resources.len(),
            kinds.len()
        ));
        cluster_snapshot = Some(read.resources);
        if req.remote_contexts.is_empty() {
            remote_secrets = remote_secret_kubeconfigs(&client, &req.istio_namespace).await?;
        }
    }
    // Without --remote-contexts, the remote clusters istiod knows (its remote secrets), as
    // istioctl does. A kubeconfig from a Secret is written to a private temporary file (0600
    // in a 0700 directory, removed after the read) for the kube layer to load.
    for (secret, kubeconfig) in &remote_secrets {
        let (context, cluster_name) = match current_context(kubeconfig) {
            Ok(Some(found)) => found,
            // No current context: istioctl skips it too.
            Ok(None) => continue,
            Err(e) => {
                report.warnings.push(format!(
                    "{secret} is not a kubeconfig ({e}); its cluster is not compared"
                ));
                continue;
            }
        };
        observer.begin(&format!("Reading remote cluster {cluster_name} ({secret})"));
        let dir = tempfile::tempdir().map_err(AnalyzeError::Runtime)?;
        let path = dir.path().join("kubeconfig");
        write_private(&path, kubeconfig).map_err(AnalyzeError::Runtime)?;
        let target = cluster::Target {
            kubeconfig: Some(path),
            context: None,
            as_user: None,
            as_groups: Vec::new(),
            request_timeout: req.kube.request_timeout,
        };
        let kinds = [crate::resource::Kind::Service];
        let (mut remote, warnings) = cluster::read_remote(&target, &context, &kinds, req.timeout)
            .await
            .map_err(|e| AnalyzeError::RemoteSecret {
                secret: secret.clone(),
                source: e,
            })?;
        remote.name = cluster_name;
        report.warnings.extend(warnings);
        clusters.remotes.push(remote);
    }
    for context in &req.remote_contexts {
        observer.begin(&format!("Reading remote context {context}"));
        let kinds = [crate::resource::Kind::Service];
        let (remote, warnings) =
            cluster::read_remote(&req.kube, context, &kinds, req.timeout).await?;
        report.warnings.extend(warnings);
        clusters.remotes.push(remote);
    }
    let opts = LoadOptions {
        default_namespace: Some(scope.clone().unwrap_or_else(|| "default".into())),
        apply_defaults: true,
    };
    if !req.paths.is_empty() {
        observer.begin("Reading the inputs");
    }
    let loaded = source::load_inputs(&req.paths, &opts, deadline).await;
    if let Some(path) = &req.mesh_config_file {
        let text = read_mesh_file(path)?;
        mesh.apply_config(&text.text, &text.name)
            .map_err(|e| AnalyzeError::mesh_config(e, Some(text.clone())))?;
    }
    if let Some(path) = &req.mesh_networks_file {
        let text = read_mesh_file(path)?;
        mesh.apply_networks(&text.text, &text.name)
            .map_err(|e| AnalyzeError::mesh_config(e, Some(text.clone())))?;
    }

    // Files first: the first resource of a kind/namespace/name wins, so a file replaces the
    // cluster's object of the same identity. Among the files, one copy of an object given twice
    // is kept whatever the argument order.
    let (mut resources, duplicates) = keep_one_copy(loaded.resources);
    let from_files = !req.paths.is_empty();
    if let Some(cluster_resources) = cluster_snapshot {
        resources.extend(cluster_resources);
    }
    resources.extend(mesh.as_resources(&req.istio_namespace));
    report.resources = resources.len();
    observer.begin(&format!("Analyzing {} resources", report.resources));
    let snapshot = Snapshot::new(resources, true);
    // A file-only run of plain manifests may hold no workloads; a cluster is taken as it is.
    let skip_without_workloads = !req.use_kube;
    let outcome = analyze::run_clusters(
        &snapshot,
        &mesh,
        &req.istio_namespace,
        &selected,
        skip_without_workloads,
        req.now,
        &clusters,
    );
    report.objects = analyzed_objects(&snapshot, scope.as_deref());
    let mut findings = outcome.findings;
    findings.extend(duplicate_findings(&snapshot, &duplicates));
    findings.extend(analyze::misspelt_kinds(&loaded.others));
    report.findings = analyze::select(findings, scope.as_deref(), &suppressions);
    report.executed = outcome.executed;
    report.skipped = outcome.skipped;
    report.skipped_checks = skipped_checks(&snapshot, &outcome.skipped_checks);
    // One note per ServiceAccount buries what matters: they are counted in the closing line.
    let unread_at: Vec<(String, Option<Pos>)> = loaded
        .others
        .iter()
        .filter_map(|r| {
            let source = r.source()?;
            Some((source.name.clone(), r.doc.entry("kind").map(|e| e.key_pos)))
        })
        .collect();
    report.unread = loaded.others.iter().map(unread_object).collect();
    report.load_issues = loaded
        .issues
        .into_iter()
        .filter(|i| {
            i.severity != Severity::Note
                || !unread_at.iter().any(|(s, p)| *s == i.source && *p == i.pos)
        })
        .collect();
    report.sources = loaded.sources;
    report.target = match (&scope, from_files && !req.use_kube) {
        (_, true) if report.sources.len() == 1 => Target::Source(report.sources[0].clone()),
        (_, true) => Target::Sources(report.sources.clone()),
        (Some(ns), false) => Target::Namespace(ns.clone()),
        (None, false) => Target::AllNamespaces,
    };
    Ok(report)
}

/// An object given more than once: the location of the copy kept and of each ignored one.
#[derive(Debug)]
struct Duplicate {
    kind: crate::resource::Kind,
    namespace: String,
    name: String,
    kept: String,
    ignored: Vec<String>,
}

/// `file:line` of a resource's document.
fn document_location(r: &Resource) -> (String, u32) {
    match &r.origin {
        crate::resource::Origin::File { source, line } => (source.name.clone(), *line),
        _ => (String::new(), 0),
    }
}

/// Where a document comes in `kubectl apply -f DIR`: its file by path components in name order
/// (the order a directory is walked in, so `dir/a/x.yaml` comes before `dir/a.yaml`), then its
/// line.
fn apply_order(r: &Resource) -> (Vec<String>, u32) {
    let (file, line) = document_location(r);
    (file.split('/').map(str::to_string).collect(), line)
}

/// Keeps one copy of each (kind, namespace, name): the one `kubectl apply` leaves in the
/// cluster when it applies the inputs in [`apply_order`] (as it does a directory), that is the
/// last one, so what is analyzed is what the cluster ends up holding and the result does not
/// depend on the order the inputs were given in. The others are dropped and returned as
/// [`Duplicate`]s. The copies kept come in that order too.
fn keep_one_copy(resources: Vec<Resource>) -> (Vec<Resource>, Vec<Duplicate>) {
    use foldhash::HashMap;
    type Key = (crate::resource::Kind, String, String);
    let order: Vec<(Vec<String>, u32)> = resources.iter().map(apply_order).collect();
    let mut best: HashMap<Key, usize> = HashMap::default();
    let mut copies: HashMap<Key, usize> = HashMap::default();
    for (i, r) in resources.iter().enumerate() {
        let key = (r.kind, r.namespace.clone(), r.name.clone());
        *copies.entry(key.clone()).or_default() += 1;
        match best.get(&key) {
            Some(&b) if order[b] > order[i] => {}
            _ => {
                best.insert(key, i);
            }
        }
    }
    let mut duplicates: Vec<Duplicate> = Vec::new();
    let mut kept = Vec::with_capacity(resources.len());
    let mut ignored: HashMap<Key, Vec<(String, u32)>> = HashMap::default();
    for (i, r) in resources.into_iter().enumerate() {
        let key = (r.kind, r.namespace.clone(), r.name.clone());
        if best[&key] == i {
            kept.push(r);
        } else {
            ignored.entry(key).or_default().push(document_location(&r));
        }
    }
    // Where an analyzer takes the first match (the namespace of a gateway's first workload),
    // the argument order must not decide either.
    kept.sort_by_cached_key(apply_order);
    for r in &kept {
        let key = (r.kind, r.namespace.clone(), r.name.clone());
        if copies[&key] < 2 {
            continue;
        }
        let mut others = ignored.remove(&key).unwrap_or_default();
        others.sort();
        let (file, line) = document_location(r);
        duplicates.push(Duplicate {
            kind: r.kind,
            namespace: r.namespace.clone(),
            name: r.name.clone(),
            kept: format!("{file}:{line}"),
            ignored: others
                .into_iter()
                .map(|(f, l)| format!("{f}:{l}"))
                .collect(),
        });
    }
    (kept, duplicates)
}

/// MDK0003 for each object given twice, at the copy analyzed, naming the other copies.
fn duplicate_findings(snapshot: &Snapshot, duplicates: &[Duplicate]) -> Vec<Finding> {
    duplicates
        .iter()
        .filter_map(|d| {
            let r = snapshot.get(d.kind, &d.namespace, &d.name)?;
            analyze::finding(
                snapshot,
                analyze::Message {
                    kind: &catalogue::MDK0003,
                    args: vec![d.ignored.join(", ").into(), d.kept.clone().into()],
                    resource: Some(r.id),
                    field: Some("metadata.name".into()),
                    analyzer: "meshdeck.DuplicateResource",
                    hint: None,
                },
            )
        })
        .collect()
}

/// Groups the skipped checks by resource, in the order first skipped: one group for its
/// selector checks, one for its destination hosts (each host once, with the Services of the
/// input that share its name).
fn skipped_checks(snapshot: &Snapshot, skipped: &[analyze::SkippedCheck]) -> Vec<SkippedChecks> {
    let mut groups: Vec<((usize, Option<analyze::Target>), SkippedChecks)> = Vec::new();
    for s in skipped {
        let r = snapshot.resource(s.resource);
        let key = (s.resource, s.host.as_ref().map(|h| h.of));
        let at = match groups.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                groups.push((
                    key,
                    SkippedChecks {
                        origin: r.friendly_name(),
                        location: location_of(r, s.field.as_deref()),
                        selector: s.selector.clone(),
                        checks: Vec::new(),
                        targets: s.targets,
                        hosts: Vec::new(),
                    },
                ));
                groups.len() - 1
            }
        };
        let group = &mut groups[at].1;
        if !group.checks.contains(&s.check) {
            group.checks.push(s.check);
        }
        if let Some(h) = &s.host
            && !group
                .hosts
                .iter()
                .any(|n| n.host == h.host && n.namespace == h.namespace)
        {
            group.hosts.push(SkippedHostNote {
                host: h.host.clone(),
                namespace: h.namespace.clone(),
                of: h.of,
                namesakes: namesakes(snapshot, h),
            });
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// The Services (Gateways) of the input (`ns/name`, sorted) named as the skipped host names
/// one, in other namespaces.
fn namesakes(snapshot: &Snapshot, h: &analyze::SkippedHost) -> Vec<String> {
    use crate::resource::Kind;
    let name = referenced_name(h.of, &h.host);
    let kinds: &[Kind] = match h.of {
        analyze::Target::Service => &[Kind::Service],
        analyze::Target::Gateway => &[Kind::Gateway, Kind::K8sGateway],
    };
    let mut found: Vec<String> = kinds
        .iter()
        .flat_map(|&k| snapshot.of_kind(k))
        .filter(|r| r.name == name && r.namespace != h.namespace)
        .map(|r| format!("{}/{}", r.namespace, r.name))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// The objects of the input (files and cluster, not the mesh config) in `scope`, with the same
/// namespace rule the findings are filtered by.
fn analyzed_objects(snapshot: &Snapshot, scope: Option<&str>) -> Vec<AnalyzedObject> {
    snapshot
        .resources()
        .iter()
        .filter(|r| !r.kind.is_synthetic())
        .filter(|r| {
            let own = if r.kind == crate::resource::Kind::Namespace {
                &r.name
            } else {
                &r.namespace
            };
            scope.is_none_or(|ns| own.is_empty() || own == ns)
        })
        .map(|r| AnalyzedObject {
            origin: r.friendly_name(),
            file: r.source().map(|s| s.name.clone()),
        })
        .collect()
}

fn location_of(r: &Resource, field: Option<&str>) -> Option<String> {
    let source = r.source()?;
    Some(match r.position_of(field) {
        Some(p) => format!("{}:{}:{}", source.name, p.line, p.col),
        None => source.name.clone(),
    })
}

fn unread_object(r: &Resource) -> UnreadObject {
    let location = r
        .source()
        .map(|source| match r.doc.entry("kind").map(|e| e.key_pos) {
            Some(p) => format!("{}:{}:{}", source.name, p.line, p.col),
            None => source.name.clone(),
        });
    UnreadObject {
        origin: r.friendly_name(),
        kind: format!("{} ({})", r.kind_name, r.api_version),
        location,
    }
}

/// The kinds the selected analyzers read (what a cluster read must list).
pub fn input_kinds(selected: &[&'static dyn Analyzer]) -> Vec<crate::resource::Kind> {
    let mut kinds: Vec<_> = selected
        .iter()
        .flat_map(|a| a.metadata().inputs.iter().copied())
        .filter(|k| !k.is_synthetic())
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_read_as_before() {
        assert_eq!(Target::Source("gw.yaml".into()).to_string(), "gw.yaml");
        assert_eq!(
            Target::Sources(vec!["a".into(), "b".into()]).to_string(),
            "\n  - a\n  - b"
        );
        assert_eq!(
            Target::Namespace("shop".into()).to_string(),
            "namespace: shop"
        );
        assert_eq!(Target::AllNamespaces.to_string(), "all namespaces");
    }

    fn report_with(level: Option<Level>, unparsed: usize) -> AnalyzeReport {
        let mut report = AnalyzeReport::default();
        if let Some(level) = level {
            let mt = &crate::analyze::catalogue::CATALOGUE[0];
            report.findings.push(Finding {
                message_type: mt,
                level,
                message: String::new(),
                origin: None,
                kind: String::new(),
                name: String::new(),
                namespace: String::new(),
                field: None,
                file: None,
                line: None,
                column: None,
                analyzer: "",
                hint: None,
                source: None,
            });
        }
        for _ in 0..unparsed {
            report
                .load_issues
                .push(LoadIssue::error("x.yaml", None, "bad"));
        }
        report
            .load_issues
            .push(LoadIssue::note("y.yaml", None, "empty"));
        report
    }

    #[test]
    fn exit_code_follows_the_threshold_and_79_wins_over_65() {
        let warn_and_bad_input = report_with(Some(Level::Warning), 1);
        assert_eq!(warn_and_bad_input.unparsed(), 1, "notes do not count");
        assert_eq!(warn_and_bad_input.exit_code(Level::Warning), 79);
        assert_eq!(warn_and_bad_input.exit_code(Level::Error), 65);
        assert_eq!(report_with(Some(Level::Info), 0).exit_code(Level::Error), 0);
        assert_eq!(report_with(Some(Level::Info), 0).exit_code(Level::Info), 79);
        assert_eq!(report_with(None, 0).exit_code(Level::Info), 0);
    }

    #[test]
    fn a_skipped_host_note_names_the_hosts_their_namespaces_and_namesakes() {
        let host = |host: &str, namespace: &str, namesakes: &[&str]| SkippedHostNote {
            host: host.into(),
            namespace: namespace.into(),
            of: crate::analyze::Target::Service,
            namesakes: namesakes.iter().map(|s| s.to_string()).collect(),
        };
        let mut skipped = SkippedChecks {
            origin: "VirtualService shop/front".into(),
            location: Some("vs.yaml:9:21".into()),
            selector: String::new(),
            checks: vec!["IST0101 (destination host)"],
            targets: crate::analyze::analyzer::SERVICE_MANIFESTS,
            hosts: vec![host("web", "shop", &[])],
        };
        assert_eq!(
            skipped.note(),
            "VirtualService shop/front (vs.yaml:9:21): not checked: IST0101 (destination host) for \
             host web. The input holds no Service of namespace shop, so its Service lives in the \
             cluster; run with --use-kube to check against the cluster, or add the Services of \
             namespace shop to the input"
        );
        skipped.hosts = vec![
            host("web", "shop", &[]),
            host("cart.shopp.svc.cluster.local", "shopp", &["shop/cart"]),
            host("api", "shop", &[]),
        ];
        let note = skipped.note();
        assert!(
            note.contains("for hosts web, cart.shopp.svc.cluster.local, api. The input holds no Service of namespaces shop, shopp, so their Services live")
                && note.ends_with("add the Services of namespaces shop, shopp to the input. The input holds a Service named cart \
                    in another namespace (shop/cart): if cart.shopp.svc.cluster.local means it, its namespace is \
                    wrong"),
            "{note}"
        );
        let mut report = AnalyzeReport::default();
        report.skipped_checks.push(skipped.clone());
        report.skipped_checks.push(SkippedChecks {
            hosts: Vec::new(),
            selector: "app=jwt".into(),
            ..skipped
        });
        assert_eq!(
            report.gaps(),
            vec![
                "1 resource was not checked against workloads that are not in the input",
                "1 resource was not checked against Services that are not in the input"
            ]
        );
    }

    #[test]
    fn the_copy_kept_is_the_one_kubectl_apply_of_a_directory_leaves() {
        use crate::resource::parse_source;
        let vs = |name: &str, text: &str| {
            parse_source(&SourceText::new(name, text), &LoadOptions::default()).0
        };
        let doc = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\n";
        let two = format!("{doc}---\n{doc}");
        // A directory is walked by name, entries before their subdirectories' siblings: dir/a/x
        // comes before dir/a.yaml, whatever the path strings' byte order says.
        for order in [
            ["dir/a.yaml", "dir/a/x.yaml"],
            ["dir/a/x.yaml", "dir/a.yaml"],
        ] {
            let text = |name: &str| {
                if name == "dir/a.yaml" {
                    doc.to_string()
                } else {
                    two.clone()
                }
            };
            let mut resources = vs(order[0], &text(order[0]));
            resources.extend(vs(order[1], &text(order[1])));
            let (kept, duplicates) = keep_one_copy(resources);
            assert_eq!(kept.len(), 1);
            assert_eq!(document_location(&kept[0]), ("dir/a.yaml".to_string(), 1));
            assert_eq!(duplicates.len(), 1);
            assert_eq!(duplicates[0].kept, "dir/a.yaml:1");
            assert_eq!(
                duplicates[0].ignored,
                vec!["dir/a/x.yaml:1", "dir/a/x.yaml:5"]
            );
        }
        // Within one file, the later document wins, as kubectl applies them in turn.
        let (kept, _) = keep_one_copy(vs("one.yaml", &two));
        assert_eq!(document_location(&kept[0]), ("one.yaml".to_string(), 5));
    }

    #[test]
    fn mesh_config_errors_point_into_their_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mesh.yaml");
        std::fs::write(&path, "defaultConfig:\n  proxyMetadata: [\n").unwrap();
        let req = AnalyzeRequest {
            paths: vec![],
            namespace: None,
            all_namespaces: false,
            analyzers: vec![],
            suppress: vec![],
            mesh_config_file: Some(path.clone()),
            mesh_networks_file: None,
            istio_namespace: "istio-system".into(),
            use_kube: false,
            kube: cluster::Target::default(),
            remote_contexts: vec![],
            timeout: Duration::from_secs(5),
            now: SystemTime::now(),
        };
        // No inputs at all is refused before the mesh file is read.
        assert!(matches!(
            run(&req, &super::super::Unobserved),
            Err(AnalyzeError::NoInput)
        ));
        let input = dir.path().join("ns.yaml");
        std::fs::write(
            &input,
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n",
        )
        .unwrap();
        let req = AnalyzeRequest {
            paths: vec![input.display().to_string()],
            ..req
        };
        let err = run(&req, &super::super::Unobserved).unwrap_err();
        let loc = crate::ui::error::location(&err).expect("a location");
        assert_eq!(loc, format!("{}:3:1", path.display()), "{err:?}");
    }
}
