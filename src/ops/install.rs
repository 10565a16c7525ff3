//! `manifest generate`, `install --dry-run` and `profile`: find the release's manifests,
//! read the `-f` files, render, and hand back objects or profile trees. Nothing here prints.

use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, SourceCode, SourceSpan};

use crate::install::helm::{self, Value};
use crate::install::iop;
use crate::install::release::{self, DownloadError, DownloadObserver};
use crate::install::render::{self, InputFile, RenderError, RenderRequest, Rendered};
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
}

impl InstallError {
    /// A flag value the user must correct (exit code 64).
    pub fn is_bad_flag_value(&self) -> bool {
        matches!(
            self,
            InstallError::Render(RenderError::BadSet { .. } | RenderError::UnknownProfile { .. })
                | InstallError::BadRevision(_)
                | InstallError::UnknownComponent { .. }
                | InstallError::BadConfigPath { .. }
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
