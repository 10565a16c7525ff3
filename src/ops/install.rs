//! `manifest generate`, `install --dry-run` and `profile`: find the release's manifests,
//! read the `-f` files, render, and hand back objects or profile trees. Nothing here prints.

use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures::StreamExt as _;

use miette::{Diagnostic, LabeledSpan, SourceCode, SourceSpan};

use crate::install::apply::{self as plan, Adaptations, ServerCaps};
use crate::install::helm::{self, Value};
use crate::install::iop;
use crate::install::precheck::{self, Check, Problem};
use crate::install::release::{self, DownloadError, DownloadObserver};
use crate::install::render::{self, InputFile, RenderError, RenderRequest, Rendered};
use crate::kube::{
    ApplyOptions, ApplyOutcome, ConnectOptions, Deleted, FieldConflict, Kube, KubeError, ObjectRef,
    Propagation, ServerVersion, VersionRange, comparable,
};
use crate::ops::apply::{self, SetError};
use crate::ops::interrupt::{self, Deletions, Ended, PartialInstall, Tracker};
use crate::resource::{Pos, SourceText};
use crate::ui::error::{NamedText, span_at};

/// The Istio release meshdeck installs when no `--version` is given.
pub const DEFAULT_VERSION: &str = "1.30.3";

/// The official images of a release, as a release build of istioctl puts under the profile.
pub const OFFICIAL_HUB: &str = "docker.io/istio";

/// `.Capabilities.KubeVersion` without a cluster: istioctl uses `1.<minimum supported>.0`.
pub const OFFLINE_KUBE_VERSION: &str = "v1.32.0";

/// Where the charts come from.
#[derive(Clone, Debug, Default)]
pub struct ReleaseSource {
    /// `-d/--manifests`: a release's `manifests/` directory.
    pub manifests: Option<PathBuf>,
    /// `--version`.
    pub version: String,
    /// `--release-url`: where the release archive and its `.sha256` are (a mirror).
    pub release_url: Option<String>,
}

/// One render.
#[derive(Clone, Debug, Default)]
pub struct InstallRequest {
    pub release: ReleaseSource,
    /// `-f` files (`-` is stdin, only last).
    pub files: Vec<String>,
    /// `--set` flags.
    pub set: Vec<String>,
    /// `-r/--revision`.
    pub revision: Option<String>,
    /// `--component`: keep only these components (istioctl or IstioOperator names).
    pub components: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error(transparent)]
    Render(RenderError),
    #[error("{message}")]
    InFile {
        message: String,
        path: Option<String>,
        text: Option<(NamedText, SourceSpan)>,
    },
    #[error("cannot read {name}")]
    ReadFile {
        name: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {name}")]
    WriteFile {
        name: String,
        #[source]
        source: std::io::Error,
    },
    #[error("stdin (-) is only allowed as the last -f file")]
    StdinNotLast,
    #[error("cannot get the Istio {version} release")]
    Download {
        version: String,
        url: String,
        #[source]
        source: DownloadError,
    },
    #[error(
        "invalid revision {0:?}: a revision must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)"
    )]
    BadRevision(String),
    #[error("unknown component {name:?}; components are: {known}")]
    UnknownComponent { name: String, known: String },
    #[error("{path:?} does not name a part of the profile")]
    BadConfigPath { path: String },
    #[error(transparent)]
    Kube(#[from] KubeError),
    #[error("cannot start the async runtime")]
    Runtime(#[source] std::io::Error),
    #[error("the API server {version} is outside the range Istio {release} supports ({range})")]
    ServerOutOfRange {
        version: String,
        release: String,
        range: String,
    },
    #[error("{}", failed_list(.0))]
    ComponentsFailed(Vec<(String, KubeError)>),
    #[error("other field managers own fields meshdeck would change:{}", conflict_list(.0))]
    Conflicts(Vec<(String, Vec<FieldConflict>)>),
    #[error("the prechecks found {} problem(s); nothing was applied:{}", .0.len(), problem_list(.0))]
    Precheck(Vec<Problem>),
    #[error("the install was interrupted ({signal}): {}", partial.summary())]
    Interrupted {
        signal: &'static str,
        partial: Box<PartialInstall>,
    },
    #[error("the install stopped: {lost}; {}", partial.summary())]
    ConnectionLost {
        partial: Box<PartialInstall>,
        /// The failure, said in the message (not a cause: miette would say it twice).
        lost: KubeError,
    },
    #[error(
        "the uninstall was interrupted ({signal}) after deleting {} of {total} object(s)",
        deleted.len()
    )]
    UninstallInterrupted {
        signal: &'static str,
        deleted: Vec<String>,
        total: usize,
    },
}

fn problem_list(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("\n  - {p}")).collect()
}

fn failed_list(failed: &[(String, KubeError)]) -> String {
    failed
        .iter()
        .map(|(c, e)| format!("{c} was not installed: {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn conflict_list(objects: &[(String, Vec<FieldConflict>)]) -> String {
    let mut out = String::new();
    for (object, conflicts) in objects {
        for c in conflicts {
            out.push_str(&format!("\n  - {object}: {c}"));
        }
    }
    out
}

impl InstallError {
    /// A flag value the user must correct (exit code 64).
    pub fn is_bad_flag_value(&self) -> bool {
        matches!(
            self,
            // NotManifests: `-d` (or installPackagePath) naming a directory without charts.
            InstallError::Render(
                RenderError::BadSet { .. }
                    | RenderError::UnknownProfile { .. }
                    | RenderError::NotManifests { .. }
            ) | InstallError::BadRevision(_)
                | InstallError::UnknownComponent { .. }
                | InstallError::BadConfigPath { .. }
        )
    }

    /// A signal stopped an install or uninstall (exit code 130).
    pub fn is_interrupted(&self) -> bool {
        matches!(
            self,
            InstallError::Interrupted { .. } | InstallError::UninstallInterrupted { .. }
        )
    }

    /// Input that does not parse or holds fields istioctl refuses (exit code 65).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            InstallError::InFile { .. }
                | InstallError::ReadFile { .. }
                | InstallError::StdinNotLast
        )
    }
}

impl Diagnostic for InstallError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let code = match self {
            InstallError::Render(RenderError::BadSet { .. }) => "install::bad_set",
            InstallError::Render(RenderError::UnknownProfile { .. }) => "install::unknown_profile",
            InstallError::Render(RenderError::NotManifests { .. }) => "install::not_manifests",
            InstallError::Render(RenderError::Chart { .. }) => "install::chart",
            InstallError::Render(_) => "install::render",
            InstallError::InFile { .. } => "install::bad_file",
            InstallError::ReadFile { .. } | InstallError::StdinNotLast => "install::read_file",
            InstallError::WriteFile { .. } => "install::write_file",
            InstallError::Download { .. } => "install::download",
            InstallError::BadRevision(_) => "install::bad_revision",
            InstallError::UnknownComponent { .. } => "install::unknown_component",
            InstallError::BadConfigPath { .. } => "install::bad_config_path",
            InstallError::Kube(e) => e.code(),
            InstallError::Runtime(_) => "install::runtime",
            InstallError::ServerOutOfRange { .. } => "install::server_version",
            InstallError::ComponentsFailed(f) => match f.first() {
                Some((_, e)) => e.code(),
                None => "install::failed",
            },
            InstallError::Conflicts(_) => "install::conflict",
            InstallError::Precheck(_) => "install::precheck",
            InstallError::Interrupted { .. } => "install::interrupted",
            InstallError::ConnectionLost { .. } => "install::connection_lost",
            InstallError::UninstallInterrupted { .. } => "uninstall::interrupted",
        };
        Some(Box::new(code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let help: String = match self {
            InstallError::Render(RenderError::BadSet { .. }) => {
                "--set takes path=value under the IstioOperator spec, e.g. --set profile=demo, --set values.global.hub=example.com, --set components.egressGateways[0].enabled=true; escape a dot in a key as \\.".into()
            }
            InstallError::Render(RenderError::NotManifests { .. }) => {
                "-d/--manifests names the manifests/ directory of an Istio release (the one holding charts/ and profiles/)".into()
            }
            InstallError::Render(RenderError::UnknownProfile { .. }) => "list them with meshdeck profile list".into(),
            InstallError::Download { url, .. } => format!(
                "fetch {url} by hand, unpack it and point -d at its manifests/ directory, or name a mirror with --release-url (MESHDECK_RELEASE_URL)"
            ),
            InstallError::InFile { .. } => "the file must hold one IstioOperator (apiVersion: install.istio.io/v1alpha1)".into(),
            InstallError::Kube(e) => return e.hint().map(|h| Box::new(h) as Box<dyn fmt::Display>),
            InstallError::ServerOutOfRange { .. } => {
                "upgrade the cluster, or go ahead anyway with --force (meshdeck adapts what it can and says what it changed)".into()
            }
            InstallError::ComponentsFailed(f) => match f.first().map(|(_, e)| e) {
                Some(KubeError::NotReady { timed_out: true, .. }) => {
                    "fix what the reasons name (image, resources, scheduling) and run the install again, or wait longer with --readiness-timeout".into()
                }
                Some(e) => return e.hint().map(|h| Box::new(h) as Box<dyn fmt::Display>),
                None => return None,
            },
            InstallError::Precheck(p) => {
                if p.iter().any(|p| p.forceable) {
                    "fix what each problem names and run the install again; those that say so go on with --force".into()
                } else {
                    "fix what each problem names and run the install again".into()
                }
            }
            InstallError::Interrupted { partial, .. } => partial.next_steps(),
            InstallError::ConnectionLost { partial, .. } => {
                format!("once the API server answers again, {}", partial.next_steps())
            }
            InstallError::UninstallInterrupted { .. } => {
                "run the same uninstall again to delete the rest: what is left still carries meshdeck's labels, and nothing else is touched".into()
            }
            InstallError::Conflicts(_) => {
                "take the fields over with --force-conflicts (their owner may write them back), or leave them to their owner; nothing else of those objects was changed".into()
            }
            _ => return None,
        };
        Some(Box::new(help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        match self {
            InstallError::InFile {
                text: Some((t, _)), ..
            } => Some(t),
            _ => None,
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        match self {
            InstallError::InFile {
                text: Some((_, span)),
                message,
                ..
            } => Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
                Some(message.clone()),
                *span,
            )))),
            _ => None,
        }
    }
}

/// The user's cache directory for release data.
pub fn cache_dir() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("meshdeck")
        .join("istio")
}

/// The `manifests/` directory to render from: `-d`, else the cached release, else the
/// release downloaded (and checked) into the cache.
pub fn manifests_dir(
    release: &ReleaseSource,
    observer: &dyn DownloadObserver,
) -> Result<PathBuf, InstallError> {
    if let Some(d) = &release.manifests {
        render::check_manifests_dir(d).map_err(InstallError::Render)?;
        return Ok(d.clone());
    }
    let version = if release.version.is_empty() {
        DEFAULT_VERSION
    } else {
        release.version.as_str()
    };
    let dest = cache_dir().join(format!("istio-{version}"));
    let cached = dest.join("manifests");
    if cached.join("charts").is_dir() {
        return Ok(cached);
    }
    let base = release
        .release_url
        .clone()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| release::official_base(version));
    release::download(&base, version, &dest, observer).map_err(|source| InstallError::Download {
        version: version.to_string(),
        url: format!(
            "{}/{}",
            base.trim_end_matches('/'),
            release::archive_name(version)
        ),
        source,
    })
}

fn read_inputs(files: &[String]) -> Result<Vec<InputFile>, InstallError> {
    let mut out = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let text = if f == "-" {
            if i != files.len() - 1 {
                return Err(InstallError::StdinNotLast);
            }
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|source| InstallError::ReadFile {
                    name: "-".into(),
                    source,
                })?;
            s
        } else {
            std::fs::read_to_string(f.trim()).map_err(|source| InstallError::ReadFile {
                name: f.clone(),
                source,
            })?
        };
        out.push(InputFile {
            name: f.clone(),
            text,
        });
    }
    Ok(out)
}

fn dns1123_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Turns a render error about a file into one that shows the file's line.
fn locate(e: RenderError, files: &[InputFile]) -> InstallError {
    let in_file = |file: &str, pos: Option<Pos>, message: String| {
        let text = files.iter().find(|f| f.name == file).and_then(|f| {
            let src = SourceText::new(f.name.clone(), f.text.clone());
            let pos = pos?;
            span_at(&src, pos).map(|span| (NamedText(Arc::clone(&src)), span))
        });
        // With the text at hand the renderer puts file:line:col in front itself.
        let located = match (pos, &text) {
            (_, Some(_)) => message,
            (Some(p), None) => format!("{file}:{}:{}: {message}", p.line, p.col),
            (None, None) => format!("{file}: {message}"),
        };
        InstallError::InFile {
            message: located,
            path: Some(file.to_string()),
            text,
        }
    };
    match e {
        RenderError::BadFile { file, error } => {
            let msg = if error.path.is_empty() || error.message.contains(&error.path) {
                error.message
            } else {
                format!("{}: {}", error.path, error.message)
            };
            in_file(&file, error.pos, msg)
        }
        RenderError::FileSyntax {
            file,
            line,
            col,
            message,
        } if files.iter().any(|f| f.name == file) => {
            in_file(&file, Some(Pos { line, col }), message)
        }
        RenderError::MultipleIops { file, count } => in_file(
            &file,
            None,
            format!("holds {count} IstioOperator documents; only one per file is supported"),
        ),
        other => InstallError::Render(other),
    }
}

/// Renders the request: what `manifest generate` prints and `install` would apply.
pub fn generate(
    req: &InstallRequest,
    observer: &dyn DownloadObserver,
) -> Result<Rendered, InstallError> {
    for c in &req.components {
        if render::find_component(c).is_none() {
            return Err(InstallError::UnknownComponent {
                name: c.clone(),
                known: render::COMPONENTS
                    .iter()
                    .map(|c| c.spec_name)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
    }
    let mut set = req.set.clone();
    if let Some(rev) = &req.revision {
        if !dns1123_label(rev) {
            return Err(InstallError::BadRevision(rev.clone()));
        }
        if rev != "default" {
            set.push(format!("revision={rev}"));
        }
    }
    // `--set installPackagePath=` wins over -d, as in istioctl; otherwise -d or the cache.
    let has_ipp = set
        .iter()
        .any(|f| f.trim_start().starts_with("installPackagePath="));
    let manifests = if has_ipp {
        req.release.manifests.clone().unwrap_or_default()
    } else {
        manifests_dir(&req.release, observer)?
    };
    let files = read_inputs(&req.files)?;
    let version = if req.release.version.is_empty() {
        DEFAULT_VERSION
    } else {
        req.release.version.as_str()
    };
    let request = RenderRequest {
        manifests,
        files: files.clone(),
        set,
        hub_tag: Some((OFFICIAL_HUB.to_string(), version.to_string())),
        kube_version: OFFLINE_KUBE_VERSION.into(),
    };
    let mut rendered = render::render(&request).map_err(|e| locate(e, &files))?;
    if !req.components.is_empty() {
        rendered.components.retain(|c| {
            req.components.iter().any(|n| {
                n.eq_ignore_ascii_case(c.component.name)
                    || n.eq_ignore_ascii_case(c.component.spec_name)
            })
        });
    }
    Ok(rendered)
}

/// The profiles of the release.
pub fn profile_names(
    release: &ReleaseSource,
    observer: &dyn DownloadObserver,
) -> Result<Vec<String>, InstallError> {
    let dir = manifests_dir(release, observer)?;
    render::list_profiles(&dir).map_err(InstallError::Render)
}

/// A profile as istioctl reads it (layered on `default`), or one of its subtrees.
pub fn profile_tree(
    release: &ReleaseSource,
    profile: &str,
    config_path: Option<&str>,
    observer: &dyn DownloadObserver,
) -> Result<Value, InstallError> {
    let dir = manifests_dir(release, observer)?;
    let tree = render::profile_base(&dir, profile).map_err(InstallError::Render)?;
    match config_path
        .map(|p| p.trim_start_matches("spec."))
        .filter(|p| !p.is_empty())
    {
        None => Ok(tree),
        Some(p) => {
            iop::get_path(&tree, &format!("spec.{p}")).ok_or_else(|| InstallError::BadConfigPath {
                path: p.to_string(),
            })
        }
    }
}

/// `--set` flags that reproduce a tree (`profile dump -o flags`), sorted.
pub fn as_flags(tree: &Value, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    flags_into(tree, prefix, &mut out);
    out.sort();
    out
}

fn flags_into(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Map(m) if !m.borrow().is_empty() => {
            for (k, x) in m.borrow().iter() {
                let key = k.replace('.', "\\.");
                let p = if path.is_empty() {
                    key
                } else {
                    format!("{path}.{key}")
                };
                flags_into(x, &p, out);
            }
        }
        Value::List(l) if !l.is_empty() => {
            for (i, x) in l.iter().enumerate() {
                flags_into(x, &format!("{path}[{i}]"), out);
            }
        }
        Value::Map(_) | Value::List(_) => {}
        Value::Nil => out.push(format!("--set {path}=")),
        other => out.push(format!("--set {path}={}", helm::funcs::strval(other))),
    }
}

/// The manifest stream, for stdout.
pub fn manifest_text(rendered: &Rendered) -> String {
    render::to_yaml_stream(&rendered.ordered())
}

/// One file per component for `--output-dir`: `(file name, text)`.
pub fn manifest_files(rendered: &Rendered) -> Vec<(String, String)> {
    rendered
        .components
        .iter()
        .map(|c| {
            let mut objs = c.objects.clone();
            render::sort_objects(&mut objs);
            (
                format!("{}.yaml", c.component.name),
                render::to_yaml_stream(&objs),
            )
        })
        .collect()
}

/// Writes the per-component files into `dir`.
pub fn write_manifest_files(dir: &Path, files: &[(String, String)]) -> Result<(), InstallError> {
    std::fs::create_dir_all(dir).map_err(|source| InstallError::WriteFile {
        name: dir.display().to_string(),
        source,
    })?;
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|source| InstallError::WriteFile {
            name: path.display().to_string(),
            source,
        })?;
    }
    Ok(())
}

/// The Kubernetes versions Istio 1.30 supports: istioctl's minimum (1.32), no upper bound.
pub const SUPPORTED_KUBERNETES: VersionRange = VersionRange {
    min: (1, 32),
    max: None,
};

/// One component's objects as they will be applied: labelled, and adapted to the server.
#[derive(Clone, Debug)]
pub struct PreparedComponent {
    /// `Pilot`.
    pub name: &'static str,
    /// `Istiod`.
    pub title: &'static str,
    /// Which of [`plan::stages`] it belongs to.
    pub stage: usize,
    pub objects: Vec<serde_json::Value>,
}

/// The render, ready to apply.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub revision: String,
    /// `values.global.istioNamespace` (`istio-system` when unset).
    pub istio_namespace: String,
    pub components: Vec<PreparedComponent>,
    /// What was changed so the server can hold it.
    pub adaptations: Adaptations,
    /// Prune only within these components (`--component`); `None`: everything the revision owns.
    pub prune_scope: Option<Vec<&'static str>>,
}

impl Prepared {
    pub fn object_count(&self) -> usize {
        self.components.iter().map(|c| c.objects.len()).sum()
    }
}

/// Labels and adapts a render for a server with `caps`. `scoped`: the user chose components
/// (`--component`), so prune stays within them.
pub fn prepare(rendered: &Rendered, caps: &ServerCaps, scoped: bool) -> Prepared {
    let revision = plan::revision(rendered);
    let mut adaptations = Adaptations::default();
    let mut components = Vec::new();
    for (stage, group) in plan::stages(rendered).into_iter().enumerate() {
        for c in group {
            let mut values = c.objects.clone();
            render::sort_objects(&mut values);
            let objects = values
                .iter()
                .filter_map(|v| serde_json::from_str(&helm::yaml::to_json(v)).ok())
                .map(|mut o: serde_json::Value| {
                    plan::adapt(&mut o, caps, &mut adaptations);
                    plan::label(&mut o, &revision, c.component.name);
                    o
                })
                .collect();
            components.push(PreparedComponent {
                name: c.component.name,
                title: c.component.title,
                stage,
                objects,
            });
        }
    }
    let istio_namespace =
        match iop::get_string(&rendered.merged, "spec.values.global.istioNamespace") {
            ns if ns.is_empty() => "istio-system".to_string(),
            ns => ns,
        };
    Prepared {
        revision,
        istio_namespace,
        prune_scope: scoped.then(|| components.iter().map(|c| c.name).collect()),
        components,
        adaptations,
    }
}

/// How `install` applies.
#[derive(Clone, Debug)]
pub struct ApplyRequest {
    /// `--force-conflicts`.
    pub force_conflicts: bool,
    /// `--readiness-timeout`, for each component.
    pub readiness_timeout: std::time::Duration,
    /// Objects istioctl installed that this install takes over (`--adopt`; from
    /// [`PrecheckReport::adopted`]): applied with force, so meshdeck owns their fields.
    pub adopted: Vec<String>,
    /// The objects as the precheck read them ([`PrecheckReport::live`]), so they are not read
    /// again; the rest are read before they are applied.
    pub known: apply::Known,
}

/// Told what the install is doing, component by component.
pub trait InstallObserver {
    /// Components being applied or waited for, and what they wait for.
    fn waiting(&self, what: &str);
    /// A component is applied and ready.
    fn installed(&self, title: &str);
    /// A component failed.
    fn failed(&self, title: &str, reason: &str);
    /// Anything else worth a line (a namespace created, an object pruned).
    fn note(&self, text: &str);
    /// What one component is doing now (`applying 12 objects`, `waiting for ...`): a live line
    /// of its own on a terminal. Nothing by default.
    fn component(&self, title: &str, what: &str) {
        let _ = (title, what);
    }
}

/// What an install did.
#[derive(Clone, Debug, Default)]
pub struct InstallReport {
    pub created: Vec<String>,
    pub changed: Vec<String>,
    pub unchanged: Vec<String>,
    pub pruned: Vec<String>,
    pub namespaces_created: Vec<String>,
    pub installed: Vec<&'static str>,
    pub elapsed: std::time::Duration,
}

impl InstallReport {
    /// Nothing was created, changed or pruned.
    pub fn is_noop(&self) -> bool {
        self.created.is_empty()
            && self.changed.is_empty()
            && self.pruned.is_empty()
            && self.namespaces_created.is_empty()
    }
}

/// What `uninstall` would delete.
#[derive(Clone, Debug, Default)]
pub struct UninstallPlan {
    /// Owned objects other than CRDs, in the order they go.
    pub objects: Vec<ObjectRef>,
    /// Owned CRDs (deleted only with `--purge`).
    pub crds: Vec<ObjectRef>,
    /// Custom resources of those CRDs that would go with them.
    pub custom_resources: usize,
}

/// A connection to the cluster for one install or uninstall.
pub struct InstallSession {
    rt: tokio::runtime::Runtime,
    kube: Kube,
}

/// The error for a server outside [`SUPPORTED_KUBERNETES`], if it is.
pub fn out_of_range(version: &ServerVersion, release: &str) -> Option<InstallError> {
    (!SUPPORTED_KUBERNETES.contains(version)).then(|| InstallError::ServerOutOfRange {
        version: version.to_string(),
        release: release.to_string(),
        range: SUPPORTED_KUBERNETES.to_string(),
    })
}

/// The order owned objects are deleted in: webhooks first (so nothing calls a vanished
/// istiod), workloads next, the rest after.
fn delete_rank(obj: &ObjectRef) -> u8 {
    match obj.resource.kind.as_str() {
        "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration" => 0,
        "Deployment" | "DaemonSet" | "HorizontalPodAutoscaler" | "PodDisruptionBudget" => 1,
        _ => 2,
    }
}

impl InstallSession {
    pub fn open(target: &ConnectOptions) -> Result<InstallSession, InstallError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(InstallError::Runtime)?;
        let kube = rt.block_on(crate::kube::connect(target))?;
        Ok(InstallSession { rt, kube })
    }

    /// The kubeconfig context in use.
    pub fn context(&self) -> &str {
        self.kube.context()
    }

    /// The server's version and what it can hold.
    pub fn server(&self) -> Result<(ServerVersion, ServerCaps), InstallError> {
        Ok(self.rt.block_on(apply::server_caps(&self.kube))?)
    }

    /// The server's version and what it can hold. A version outside [`SUPPORTED_KUBERNETES`]
    /// is an error unless `force`; then it comes back as the second value, to be said.
    pub fn check_server(
        &self,
        release: &str,
        force: bool,
    ) -> Result<(ServerCaps, Option<InstallError>), InstallError> {
        let (version, caps) = self.server()?;
        match out_of_range(&version, release) {
            Some(e) if !force => Err(e),
            other => Ok((caps, other)),
        }
    }

    /// Applies the prepared components stage by stage (the components of a stage in
    /// parallel), waits for each to be ready, and then prunes what the revision owns but no
    /// longer renders. Stops after the first stage with a failed component. SIGINT or SIGTERM
    /// stops it at once ([`InstallError::Interrupted`]); a server that stops answering ends it
    /// with [`InstallError::ConnectionLost`]; both say what was done (see [`interrupt`]).
    pub fn install(
        &self,
        prepared: &Prepared,
        req: &ApplyRequest,
        observer: &dyn InstallObserver,
    ) -> Result<InstallReport, InstallError> {
        let started = std::time::Instant::now();
        let tracker = Tracker::new(observer);
        let observer: &dyn InstallObserver = &tracker;
        let stages = async {
            let mut report = InstallReport::default();
            self.ensure_namespaces(prepared, &mut report, observer)
                .await?;
            let opts = ApplyOptions {
                force: req.force_conflicts,
                ..ApplyOptions::default()
            };
            let (applied, owned) = futures::join!(
                self.apply_stages(prepared, req, &opts, &mut report, observer),
                self.owned(Some(&prepared.revision)),
            );
            applied?;
            observer.waiting("Pruning removed resources");
            // Listed while the stages went in: whatever this revision owns that the render lacks
            // was there before this install.
            let (owned, _crds_are_never_pruned) = owned?;
            report.pruned = self.prune(prepared, owned).await?;
            for p in &report.pruned {
                observer.note(&format!("Pruned {p}"));
            }
            report.elapsed = started.elapsed();
            Ok(report)
        };
        tracker.finish(
            &prepared.revision,
            self.rt.block_on(interrupt::or_signal(stages)),
        )
    }

    /// Applies the components stage by stage (those of a stage in parallel), each waited for;
    /// stops after the first stage with a failed component.
    async fn apply_stages(
        &self,
        prepared: &Prepared,
        req: &ApplyRequest,
        opts: &ApplyOptions,
        report: &mut InstallReport,
        observer: &dyn InstallObserver,
    ) -> Result<(), InstallError> {
        let last_stage = prepared.components.iter().map(|c| c.stage).max();
        for stage in 0..=last_stage.unwrap_or(0) {
            let group: Vec<&PreparedComponent> = prepared
                .components
                .iter()
                .filter(|c| c.stage == stage)
                .collect();
            if group.is_empty() {
                continue;
            }
            let titles: Vec<&str> = group.iter().map(|c| c.title).collect();
            observer.waiting(&format!("Applying {}", titles.join(", ")));
            let results = futures::future::join_all(
                group
                    .iter()
                    .map(|c| self.install_component(c, opts, req, observer)),
            )
            .await;
            let mut failed = Vec::new();
            let mut conflicts = Vec::new();
            for (c, result) in group.iter().zip(results) {
                match result {
                    Ok(applied) => {
                        for (what, outcome) in applied {
                            match outcome {
                                ApplyOutcome::Created => report.created.push(what),
                                ApplyOutcome::Configured => report.changed.push(what),
                                ApplyOutcome::Unchanged => report.unchanged.push(what),
                            }
                        }
                        report.installed.push(c.title);
                        observer.installed(c.title);
                    }
                    Err(SetError::Conflicts(list)) => {
                        observer.failed(
                            c.title,
                            &format!(
                                "{} object(s) have fields another field manager owns",
                                list.len()
                            ),
                        );
                        conflicts.extend(list);
                    }
                    Err(SetError::Kube(e)) => {
                        observer.failed(c.title, &first_line(&e.to_string()));
                        failed.push((c.title.to_string(), e));
                    }
                }
            }
            if !conflicts.is_empty() {
                return Err(InstallError::Conflicts(conflicts));
            }
            if !failed.is_empty() {
                return Err(InstallError::ComponentsFailed(failed));
            }
        }
        Ok(())
    }

    async fn ensure_namespaces(
        &self,
        prepared: &Prepared,
        report: &mut InstallReport,
        observer: &dyn InstallObserver,
    ) -> Result<(), InstallError> {
        let mut namespaces: Vec<&str> = prepared
            .components
            .iter()
            .flat_map(|c| &c.objects)
            .filter_map(|o| o["metadata"]["namespace"].as_str())
            .filter(|n| !n.is_empty())
            .collect();
        namespaces.sort();
        namespaces.dedup();
        for ns in namespaces {
            let obj = self.kube.object("v1", "Namespace", None, ns).await?;
            if self.kube.get(&obj).await?.is_none() {
                // Not labelled as meshdeck's: uninstall leaves the namespace (and whatever
                // else is in it) alone, as istioctl does.
                let body = serde_json::json!({"apiVersion": "v1", "kind": "Namespace",
                    "metadata": {"name": ns}});
                self.kube.apply(&body, &ApplyOptions::default()).await?;
                observer.note(&format!("Created namespace {ns}"));
                report.namespaces_created.push(ns.to_string());
            }
        }
        Ok(())
    }

    async fn install_component(
        &self,
        c: &PreparedComponent,
        opts: &ApplyOptions,
        req: &ApplyRequest,
        observer: &dyn InstallObserver,
    ) -> Result<Vec<(String, ApplyOutcome)>, SetError> {
        observer.component(c.title, &format!("applying {} objects", c.objects.len()));
        let take_over = ApplyOptions {
            force: true,
            ..opts.clone()
        };
        // CRDs are applied and established in Base, the stage before anything that uses them.
        let applied = apply::apply_set(
            &self.kube,
            &c.objects,
            |obj| {
                if req.adopted.iter().any(|a| *a == apply::identity(obj)) {
                    &take_over
                } else {
                    opts
                }
            },
            &req.known,
        )
        .await?;
        let waits = apply::to_wait_for(&applied);
        if let Some(line) = apply::waiting_line(&waits) {
            observer.component(c.title, &line);
        }
        self.kube
            .wait_applied(&waits, req.readiness_timeout)
            .await
            .map_err(SetError::Kube)?;
        Ok(applied
            .into_iter()
            .map(|a| (a.object.to_string(), a.outcome))
            .collect())
    }

    /// The object as it is in the cluster now: `Some(None)` when it is not there, `None` when
    /// it cannot be read.
    async fn read_live(&self, obj: &serde_json::Value) -> Option<Option<kube::api::DynamicObject>> {
        let oref = self
            .kube
            .object(
                obj["apiVersion"].as_str()?,
                obj["kind"].as_str()?,
                obj["metadata"]["namespace"].as_str(),
                obj["metadata"]["name"].as_str()?,
            )
            .await
            .ok()?;
        self.kube.get(&oref).await.ok()
    }

    /// Every object meshdeck owns for `revision` (every revision: `None`), CRDs apart.
    async fn owned(
        &self,
        revision: Option<&str>,
    ) -> Result<(Vec<(ObjectRef, String)>, Vec<ObjectRef>), InstallError> {
        let selector = plan::owned_selector(revision);
        let selector = selector.as_str();
        let mut objects = Vec::new();
        // One list per kind, all at once.
        let listed = futures::future::join_all(plan::OWNED_KINDS.iter().map(
            |&(api_version, kind)| async move {
                let Some(resolved) = self.kube.find(api_version, kind).await? else {
                    return Ok(None);
                };
                let live = self.kube.list(&resolved.resource, None, selector).await?;
                Ok::<_, KubeError>(Some((resolved, live)))
            },
        ))
        .await;
        for found in listed {
            let Some((resolved, live)) = found? else {
                continue;
            };
            for live in live {
                let component = live
                    .metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get(plan::COMPONENT_LABEL))
                    .cloned()
                    .unwrap_or_default();
                let Some(name) = live.metadata.name.as_deref() else {
                    continue;
                };
                let obj = resolved.object(live.metadata.namespace.as_deref(), name);
                objects.push((obj, component));
            }
        }
        let crd = self
            .kube
            .resolve("apiextensions.k8s.io/v1", "CustomResourceDefinition")
            .await?;
        let crds = self
            .kube
            .list(&crd.resource, None, selector)
            .await?
            .into_iter()
            .filter_map(|l| l.metadata.name.map(|n| crd.object(None, &n)))
            .collect();
        Ok((objects, crds))
    }

    /// Deletes what `owned` (this revision's objects, as listed) holds that the render no
    /// longer has.
    async fn prune(
        &self,
        prepared: &Prepared,
        owned: Vec<(ObjectRef, String)>,
    ) -> Result<Vec<String>, InstallError> {
        let rendered: std::collections::HashSet<String> = prepared
            .components
            .iter()
            .flat_map(|c| &c.objects)
            .map(|o| {
                plan::identity(
                    o["apiVersion"].as_str().unwrap_or(""),
                    o["kind"].as_str().unwrap_or(""),
                    o["metadata"]["namespace"].as_str(),
                    o["metadata"]["name"].as_str().unwrap_or(""),
                )
            })
            .collect();
        let mut pruned = Vec::new();
        let mut doomed: Vec<ObjectRef> = owned
            .into_iter()
            .filter(|(obj, component)| {
                prepared
                    .prune_scope
                    .as_ref()
                    .is_none_or(|scope| scope.contains(&component.as_str()))
                    && !rendered.contains(&plan::identity(
                        &obj.resource.api_version,
                        &obj.resource.kind,
                        obj.namespace.as_deref(),
                        &obj.name,
                    ))
            })
            .map(|(obj, _)| obj)
            .collect();
        doomed.sort_by_key(delete_rank);
        for obj in doomed {
            match self.kube.delete(&obj, Propagation::Foreground).await? {
                Deleted::Absent => {}
                Deleted::Gone | Deleted::Terminating(_) => pruned.push(obj.to_string()),
            }
        }
        Ok(pruned)
    }

    /// What `uninstall` would delete for `revision` (`None`: every revision).
    pub fn uninstall_plan(&self, revision: Option<&str>) -> Result<UninstallPlan, InstallError> {
        self.rt.block_on(async {
            let (owned, crds) = self.owned(revision).await?;
            let mut objects: Vec<ObjectRef> = owned.into_iter().map(|(o, _)| o).collect();
            objects.sort_by_key(delete_rank);
            let mut custom_resources = 0;
            for crd in &crds {
                custom_resources += self.count_custom_resources(crd).await?;
            }
            Ok(UninstallPlan {
                objects,
                crds,
                custom_resources,
            })
        })
    }

    async fn count_custom_resources(&self, crd: &ObjectRef) -> Result<usize, InstallError> {
        let Some(live) = self.kube.get(crd).await? else {
            return Ok(0);
        };
        let spec = &live.data["spec"];
        let group = spec["group"].as_str().unwrap_or("");
        let kind = spec["names"]["kind"].as_str().unwrap_or("");
        let Some(version) = spec["versions"]
            .as_array()
            .and_then(|v| v.iter().find(|v| v["served"] == true))
            .and_then(|v| v["name"].as_str())
        else {
            return Ok(0);
        };
        match self.kube.find(&format!("{group}/{version}"), kind).await? {
            Some(r) => Ok(self.kube.list(&r.resource, None, "").await?.len()),
            None => Ok(0),
        }
    }

    /// Deletes what the plan lists; the CRDs too with `purge`. Returns what was deleted.
    /// SIGINT or SIGTERM stops it between two deletes ([`InstallError::UninstallInterrupted`],
    /// which counts what was deleted).
    pub fn uninstall(
        &self,
        plan: &UninstallPlan,
        purge: bool,
        observer: &dyn InstallObserver,
    ) -> Result<Vec<String>, InstallError> {
        let deleted = Deletions::default();
        let crds = if purge { plan.crds.as_slice() } else { &[] };
        let deleting = async {
            for obj in plan.objects.iter().chain(crds) {
                observer.waiting(&format!("Deleting {obj}"));
                match self.kube.delete(obj, Propagation::Foreground).await? {
                    Deleted::Absent => {}
                    Deleted::Gone | Deleted::Terminating(_) => {
                        observer.note(&format!("Removed {obj}"));
                        deleted.push(obj.to_string());
                    }
                }
            }
            Ok::<_, InstallError>(())
        };
        match self.rt.block_on(interrupt::or_signal(deleting)) {
            Ended::Done(done) => done.map(|()| deleted.take()),
            Ended::Signalled(signal) => Err(InstallError::UninstallInterrupted {
                signal,
                deleted: deleted.take(),
                total: plan.objects.len() + crds.len(),
            }),
        }
    }
}

/// What the prechecks found.
#[derive(Clone, Debug, Default)]
pub struct PrecheckReport {
    /// Every problem, in the order of the checks.
    pub problems: Vec<Problem>,
    /// Rendered objects istioctl installed (`Kind ns/name`), taken over with `--adopt`.
    pub adoptable: Vec<String>,
    /// Their identities, for [`ApplyRequest::adopted`] (empty without `--adopt`).
    pub adopted: Vec<String>,
    /// Checks that could not run, and why (the user may not read what they read).
    pub skipped: Vec<String>,
    /// The rendered objects as they were read (`None`: absent), for [`ApplyRequest::known`].
    pub live: apply::Known,
}

impl PrecheckReport {
    /// What stops the install (with or without `--force`).
    pub fn blocking(&self, force: bool) -> Vec<Problem> {
        self.problems
            .iter()
            .filter(|p| p.blocks(force))
            .cloned()
            .collect()
    }

    /// What is said and then gone on from: warnings, and errors `--force` overrides.
    pub fn passed_over(&self, force: bool) -> Vec<&Problem> {
        self.problems.iter().filter(|p| !p.blocks(force)).collect()
    }
}

/// The server-version problem of [`InstallSession::check_server`], as a precheck.
pub fn server_version_problem(e: &InstallError) -> Problem {
    Problem::error(
        Check::ServerVersion,
        true,
        e.to_string(),
        "upgrade the cluster; meshdeck adapts what it can and says what it changed".into(),
    )
}

/// How long the prechecks' reads of the cluster may take.
const PRECHECK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Concurrent reads of the prechecks.
const PRECHECK_READS: usize = 16;

impl InstallSession {
    /// Checks, before anything is applied: the permissions the prepared objects need, injector
    /// webhooks they would overlap, other revisions, objects istioctl installed (taken over
    /// only with `adopt`), and analyze over the objects laid on the cluster. Every problem is
    /// returned; none stops the others from running. `server` is the server-version problem,
    /// if there is one, listed first.
    pub fn precheck(
        &self,
        prepared: &Prepared,
        adopt: bool,
        server: Option<Problem>,
        observer: &dyn InstallObserver,
    ) -> Result<PrecheckReport, InstallError> {
        let objects: Vec<&serde_json::Value> = prepared
            .components
            .iter()
            .flat_map(|c| &c.objects)
            .collect();
        let objects = &objects;
        observer
            .waiting("Running the prechecks (permissions, webhooks, revisions, owners, analyze)");
        // The checks read different things: all at once, reported in a fixed order.
        let (access, webhooks, owners, analysis) = self.rt.block_on(async {
            futures::join!(
                self.precheck_access(objects),
                self.precheck_webhooks(prepared, objects),
                self.precheck_owners(objects),
                self.precheck_analysis(prepared, objects),
            )
        });
        let mut report = PrecheckReport::default();
        report.problems.extend(server);
        report.problems.extend(access?);
        let (problems, skipped) = webhooks?;
        report.problems.extend(problems);
        report.skipped.extend(skipped);
        for (obj, live) in objects.iter().zip(owners?) {
            let Some(live) = live else { continue };
            let by_istioctl = live
                .as_ref()
                .and_then(|l| serde_json::to_value(l).ok())
                .is_some_and(|l| precheck::installed_by_istioctl(&l));
            if by_istioctl {
                report.adoptable.push(plan::describe(obj));
                if adopt {
                    report.adopted.push(apply::identity(obj));
                }
            }
            report.live.insert(apply::identity(obj), live);
        }
        if !adopt {
            report
                .problems
                .extend(precheck::not_owned(&report.adoptable));
        }
        report.problems.extend(analysis?);
        Ok(report)
    }

    /// The permissions the objects need that the user lacks.
    async fn precheck_access(
        &self,
        objects: &[&serde_json::Value],
    ) -> Result<Vec<Problem>, InstallError> {
        let mut namespaces: Vec<&str> = objects
            .iter()
            .filter_map(|o| o["metadata"]["namespace"].as_str())
            .filter(|n| !n.is_empty())
            .collect();
        namespaces.sort();
        namespaces.dedup();
        let mut missing_namespaces = Vec::new();
        for ns in namespaces {
            let obj = self.kube.object("v1", "Namespace", None, ns).await?;
            match self.kube.get(&obj).await {
                Ok(None) => missing_namespaces.push(ns.to_string()),
                Ok(Some(_)) | Err(KubeError::Forbidden { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let mut kinds: Vec<(&str, &str)> = objects
            .iter()
            .filter_map(|o| Some((o["apiVersion"].as_str()?, o["kind"].as_str()?)))
            .collect();
        kinds.sort();
        kinds.dedup();
        let mut served = std::collections::HashMap::new();
        for (api_version, kind) in kinds {
            if let Some(r) = self.kube.find(api_version, kind).await? {
                served.insert(
                    (api_version.to_string(), kind.to_string()),
                    precheck::ResourceName {
                        group: r.resource.group.clone(),
                        plural: r.resource.plural.clone(),
                        namespaced: r.namespaced(),
                    },
                );
            }
        }
        let access = precheck::required_access(
            objects,
            &|api_version, kind| {
                served
                    .get(&(api_version.to_string(), kind.to_string()))
                    .cloned()
            },
            &missing_namespaces,
        );
        let allowed = self.kube.can_i(&access).await?;
        Ok(precheck::missing_permissions(&access, &allowed)
            .into_iter()
            .collect())
    }

    /// Injector webhooks the objects would overlap, other revisions, and a takeover of the
    /// default validator; with the checks the user may not run, and why.
    async fn precheck_webhooks(
        &self,
        prepared: &Prepared,
        objects: &[&serde_json::Value],
    ) -> Result<(Vec<Problem>, Vec<String>), InstallError> {
        let mut problems = Vec::new();
        let mut skipped = Vec::new();
        let skip = |what: &str, e: KubeError| match e {
            KubeError::Forbidden { .. } => {
                Ok(format!("{what}: the user may not read what it reads ({e})"))
            }
            other => Err(other),
        };
        let (mwcs, istiods, vwcs) = futures::join!(
            self.list_json(
                "admissionregistration.k8s.io/v1",
                "MutatingWebhookConfiguration",
                "",
            ),
            self.list_json("apps/v1", "Deployment", "app=istiod"),
            self.list_json(
                "admissionregistration.k8s.io/v1",
                "ValidatingWebhookConfiguration",
                "",
            ),
        );
        match mwcs {
            Ok(mwcs) => {
                let others: Vec<serde_json::Value> = mwcs
                    .iter()
                    .filter(|w| !precheck::owned_by_this_install(w, &prepared.revision))
                    .cloned()
                    .collect();
                problems.extend(precheck::webhook_conflicts(objects, &others));
                match istiods {
                    Ok(istiods) => {
                        let injectors: Vec<serde_json::Value> = mwcs
                            .into_iter()
                            .filter(|w| w["metadata"]["labels"]["app"] == "sidecar-injector")
                            .collect();
                        problems.extend(precheck::other_revisions(
                            &istiods,
                            &injectors,
                            &prepared.revision,
                        ))
                    }
                    Err(e) => skipped.push(skip("the other-revision check", e)?),
                }
            }
            Err(e) => skipped.push(skip("the webhook check", e)?),
        }
        match vwcs {
            Ok(vwcs) => problems.extend(precheck::default_validator_takeover(
                objects,
                &vwcs,
                &prepared.revision,
            )),
            Err(e) => skipped.push(skip("the validating webhook check", e)?),
        }
        Ok((problems, skipped))
    }

    /// Each object as it is in the cluster now: `Some(None)` when absent, `None` when it could
    /// not be read.
    async fn precheck_owners(
        &self,
        objects: &[&serde_json::Value],
    ) -> Result<Vec<Option<Option<kube::api::DynamicObject>>>, InstallError> {
        Ok(futures::stream::iter(objects)
            .map(|o| async move { self.read_live(o).await })
            .buffered(PRECHECK_READS)
            .collect()
            .await)
    }

    /// analyze over the objects laid on the cluster: the Errors it finds.
    async fn precheck_analysis(
        &self,
        prepared: &Prepared,
        objects: &[&serde_json::Value],
    ) -> Result<Vec<Problem>, InstallError> {
        let client = crate::source::cluster::ClusterClient::over(self.kube.clone());
        let kinds = crate::ops::analyze::input_kinds(&precheck::error_analyzers());
        let read = client
            .read(&kinds, Some(&prepared.istio_namespace), PRECHECK_TIMEOUT)
            .await?;
        let mesh = objects
            .iter()
            .find(|o| {
                o["kind"] == "ConfigMap"
                    && o["metadata"]["namespace"] == prepared.istio_namespace.as_str()
                    && o["data"]["mesh"].is_string()
                    && o["metadata"]["name"].as_str().is_some_and(|n| {
                        n == "istio" || (n.starts_with("istio-") && !n.contains("sidecar"))
                    })
            })
            .and_then(|o| o["data"]["mesh"].as_str());
        Ok(precheck::analyze_problems(
            objects,
            read.resources,
            mesh,
            &prepared.istio_namespace,
        ))
    }

    /// Every object of a kind the server serves (none when it does not), as JSON.
    async fn list_json(
        &self,
        api_version: &str,
        kind: &str,
        selector: &str,
    ) -> Result<Vec<serde_json::Value>, KubeError> {
        let Some(resolved) = self.kube.find(api_version, kind).await? else {
            return Ok(Vec::new());
        };
        // List items come without their type; the checks read it.
        Ok(self
            .kube
            .list(&resolved.resource, None, selector)
            .await?
            .into_iter()
            .filter_map(|o| serde_json::to_value(o).ok())
            .map(|mut o| {
                o["apiVersion"] = resolved.resource.api_version.clone().into();
                o["kind"] = resolved.resource.kind.clone().into();
                o
            })
            .collect())
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}

/// One rendered object that is not as it should be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyFinding {
    /// `Deployment istio-system/istiod`.
    pub object: String,
    /// `missing`, `differs from the render: ...`, `not ready: ...`.
    pub problem: String,
}

impl InstallSession {
    /// Checks every prepared object: it exists, a dry-run apply of it would change nothing
    /// (so it matches what meshdeck applied), and it is ready. Returns what is not, and how many
    /// objects were checked.
    pub fn verify(
        &self,
        prepared: &Prepared,
        observer: &dyn InstallObserver,
    ) -> Result<(Vec<VerifyFinding>, usize), InstallError> {
        self.rt.block_on(async {
            let mut findings = Vec::new();
            let mut checked = 0;
            let dry = ApplyOptions {
                dry_run: true,
                ..ApplyOptions::default()
            };
            for c in &prepared.components {
                observer.waiting(&format!("Checking {}", c.title));
                for obj in &c.objects {
                    checked += 1;
                    let what = plan::describe(obj);
                    let mut problem = |p: String| {
                        findings.push(VerifyFinding {
                            object: what.clone(),
                            problem: p,
                        })
                    };
                    let api_version = obj["apiVersion"].as_str().unwrap_or("");
                    let kind = obj["kind"].as_str().unwrap_or("");
                    let name = obj["metadata"]["name"].as_str().unwrap_or("");
                    let ns = obj["metadata"]["namespace"].as_str();
                    let oref = match self.kube.object(api_version, kind, ns, name).await {
                        Ok(o) => o,
                        Err(e @ KubeError::NotServed { .. }) => {
                            problem(e.to_string());
                            continue;
                        }
                        Err(e) => return Err(e.into()),
                    };
                    let Some(live) = self.kube.get(&oref).await? else {
                        problem("missing".into());
                        continue;
                    };
                    match self.kube.apply(obj, &dry).await {
                        Ok(would) if comparable(&would.live) != comparable(&live) => {
                            problem("differs from the render (an apply would change it)".into());
                            continue;
                        }
                        Ok(_) => {}
                        Err(KubeError::Conflict { conflicts, .. }) => {
                            let list: Vec<String> =
                                conflicts.iter().map(ToString::to_string).collect();
                            problem(format!("differs from the render: {}", list.join(", ")));
                            continue;
                        }
                        Err(e) => return Err(e.into()),
                    }
                    match crate::kube::readiness(&live, &oref.resource.group, &oref.resource.kind) {
                        crate::kube::Readiness::Ready => {}
                        crate::kube::Readiness::Waiting(w) => problem(format!("not ready: {w}")),
                        crate::kube::Readiness::Failed(f) => problem(format!("failed: {f}")),
                    }
                }
            }
            Ok((findings, checked))
        })
    }
}
