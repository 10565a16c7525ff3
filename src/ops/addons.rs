//! `install addons` and `uninstall addons` (and, through the same session, `install sample`):
//! find the release's `samples/` beside its `manifests/`, read the addon manifests, apply them
//! with server-side apply as meshdeck, wait until their workloads are ready, and delete only
//! what meshdeck applied. Nothing here prints.

use std::fmt;
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use serde_json::Value as Json;

use crate::install::addons::{self, AddonManifest, ManifestError, PreparedAddons};
use crate::install::apply::ServerCaps;
use crate::install::release::DownloadObserver;
use crate::install::sample::BindError;
use crate::kube::{
    ApplyOptions, ApplyOutcome, ConnectOptions, Deleted, FieldConflict, Kube, KubeError, ObjectRef,
    Propagation,
};
use crate::ops::apply::{self, SetError};
use crate::ops::install::{self as install_ops, InstallError, InstallObserver, ReleaseSource};

/// What can go wrong installing or removing addons and samples.
#[derive(Debug, thiserror::Error)]
pub enum AddonsError {
    #[error(transparent)]
    Release(#[from] InstallError),
    #[error("the release has no {} beside its manifests {}", what, manifests.display())]
    NoSamples {
        manifests: PathBuf,
        /// `samples/addons`.
        what: String,
    },
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    #[error("unknown addon {}; the release's samples/addons holds: {}", quoted(names), known.join(", "))]
    UnknownAddon {
        names: Vec<String>,
        known: Vec<String>,
    },
    #[error("{what} {value:?} is not valid: {why}")]
    BadValue {
        what: &'static str,
        value: String,
        why: &'static str,
    },
    #[error(transparent)]
    Kube(#[from] KubeError),
    #[error("cannot start the async runtime")]
    Runtime(#[source] std::io::Error),
    #[error("{}", failed_list(.0))]
    Failed(Vec<(String, KubeError)>),
    #[error("other field managers own fields meshdeck would change:{}", conflict_list(.0))]
    Conflicts(Vec<(String, Vec<FieldConflict>)>),
    #[error("no ingress gateway found: looked for a Service selecting pods labelled istio=*ingress* in {}", .looked_in.join(", "))]
    NoIngress { looked_in: Vec<String> },
    #[error("several ingress gateways in {scope}: {}", .candidates.join(", "))]
    AmbiguousIngress {
        scope: String,
        candidates: Vec<String>,
    },
    #[error("the ingress Service {0} does not exist")]
    IngressMissing(String),
    #[error(
        "the ingress Service {service} selects no pod, and no Deployment in {namespace} has a pod template its selector ({selector}) matches"
    )]
    IngressWithoutWorkload {
        service: String,
        namespace: String,
        selector: String,
    },
    #[error("the ingress Service {0} has no selector, so no pod labels to bind the Gateway to")]
    IngressWithoutSelector(String),
    #[error(transparent)]
    Bind(#[from] BindError),
    #[error("the cluster does not serve {kind}: {needed_for} needs its CRD")]
    CrdMissing {
        kind: &'static str,
        needed_for: &'static str,
    },
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
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

impl AddonsError {
    /// A flag or argument value the user must correct (exit code 64).
    pub fn is_bad_flag_value(&self) -> bool {
        match self {
            AddonsError::UnknownAddon { .. } | AddonsError::BadValue { .. } => true,
            AddonsError::Release(e) => e.is_bad_flag_value(),
            _ => false,
        }
    }

    /// Release data that does not parse (exit code 65).
    pub fn is_bad_input(&self) -> bool {
        match self {
            AddonsError::Manifest(_) => true,
            AddonsError::Release(e) => e.is_bad_input(),
            _ => false,
        }
    }
}

impl Diagnostic for AddonsError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let code = match self {
            AddonsError::Release(e) => return e.code(),
            AddonsError::Kube(e) => e.code(),
            AddonsError::NoSamples { .. } => "addons::no_samples",
            AddonsError::Read { .. } => "addons::read",
            AddonsError::Manifest(_) => "addons::bad_manifest",
            AddonsError::UnknownAddon { .. } => "addons::unknown_addon",
            AddonsError::BadValue { .. } => "addons::bad_value",
            AddonsError::Runtime(_) => "addons::runtime",
            AddonsError::Failed(f) => match f.first() {
                Some((_, e)) => e.code(),
                None => "addons::failed",
            },
            AddonsError::Conflicts(_) => "addons::conflict",
            AddonsError::NoIngress { .. } => "sample::no_ingress",
            AddonsError::AmbiguousIngress { .. } => "sample::ambiguous_ingress",
            AddonsError::IngressMissing(_) => "sample::ingress_missing",
            AddonsError::IngressWithoutWorkload { .. } => "sample::ingress_without_workload",
            AddonsError::IngressWithoutSelector(_) => "sample::ingress_without_selector",
            AddonsError::Bind(_) => "sample::gateway_port",
            AddonsError::CrdMissing { .. } => "sample::crd_missing",
        };
        Some(Box::new(code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let help: String = match self {
            AddonsError::Release(e) => return e.help(),
            AddonsError::Kube(e) => return e.hint().map(|h| Box::new(h) as Box<dyn fmt::Display>),
            AddonsError::NoSamples { manifests, what } => format!(
                "-d names a release's manifests/ directory; its {what} must sit beside it in {} (as in the release archive). Unpack the whole release, or drop -d to use the downloaded one",
                manifests.parent().unwrap_or(manifests).join(what).display()
            ),
            AddonsError::UnknownAddon { .. } => {
                "name addons by their file names in samples/addons (without .yaml)".into()
            }
            AddonsError::Manifest(_) => {
                "the release's sample manifests are broken: download the release again (remove it from the cache) or fix the file".into()
            }
            AddonsError::Failed(f) => match f.first().map(|(_, e)| e) {
                Some(KubeError::NotReady { timed_out: true, .. }) => {
                    "fix what the reasons name (image, resources, scheduling) and run the command again, or wait longer with --readiness-timeout".into()
                }
                Some(e) => return e.hint().map(|h| Box::new(h) as Box<dyn fmt::Display>),
                None => return None,
            },
            AddonsError::Conflicts(_) => {
                "take the fields over with --force-conflicts (their owner may write them back), or leave them to their owner; nothing else of those objects was changed".into()
            }
            AddonsError::NoIngress { .. } => {
                "install an ingress gateway first (meshdeck install --set profile=demo, or the istio/gateway Helm chart), name one with --ingress NAMESPACE/SERVICE, or use --gateway-api".into()
            }
            AddonsError::AmbiguousIngress { .. } => {
                "choose one with --ingress NAMESPACE/SERVICE".into()
            }
            AddonsError::IngressMissing(_) => {
                "list Services with kubectl get svc -A, and pass the ingress gateway's as --ingress NAMESPACE/SERVICE".into()
            }
            AddonsError::IngressWithoutWorkload { .. } => {
                "the ingress gateway's Deployment is missing or its labels do not match its Service: reinstall the gateway, or name another with --ingress".into()
            }
            AddonsError::IngressWithoutSelector(_) => {
                "name the Service of the ingress gateway's pods with --ingress NAMESPACE/SERVICE".into()
            }
            AddonsError::Bind(BindError::NoHttpPort { .. }) => {
                "give the ingress Service an HTTP port (named http2 or http, or port 80), or name another ingress with --ingress".into()
            }
            AddonsError::Bind(BindError::UnresolvedTarget { .. }) => {
                "declare the named port on the gateway's container, or give the Service a numeric targetPort".into()
            }
            AddonsError::CrdMissing { kind, .. } if kind.contains("gateway.networking.k8s.io") => {
                "install the Gateway API CRDs first: kubectl apply -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.3.0/standard-install.yaml".into()
            }
            AddonsError::CrdMissing { .. } => {
                "install Istio first (meshdeck install), which brings its CRDs".into()
            }
            _ => return None,
        };
        Some(Box::new(help))
    }
}

/// The release's `samples/` directory: beside `-d`'s `manifests/`, or in the downloaded and
/// cached release. `part` (`addons`, `bookinfo`) must be in it.
pub fn samples_dir(
    release: &ReleaseSource,
    part: &str,
    observer: &dyn DownloadObserver,
) -> Result<PathBuf, AddonsError> {
    let manifests = install_ops::manifests_dir(release, observer)?;
    let samples = manifests
        .parent()
        .map(|p| p.join("samples"))
        .unwrap_or_else(|| PathBuf::from("samples"));
    if !samples.join(part).is_dir() {
        return Err(AddonsError::NoSamples {
            manifests,
            what: format!("samples/{part}"),
        });
    }
    Ok(samples)
}

/// The addons the release has: the `.yaml` files of `samples/addons`, by name.
pub fn known_addons(samples: &Path) -> Result<Vec<String>, AddonsError> {
    let dir = samples.join("addons");
    let read = |source| AddonsError::Read {
        path: dir.clone(),
        source,
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(read)? {
        let path = entry.map_err(read)?.path();
        if path.is_file()
            && path.extension().is_some_and(|e| e == "yaml")
            && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
        {
            names.push(stem.to_string());
        }
    }
    names.sort();
    Ok(names)
}

/// Reads one manifest of the release.
pub fn read_manifest(path: &Path, name: &str) -> Result<AddonManifest, AddonsError> {
    let text = std::fs::read_to_string(path).map_err(|source| AddonsError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(AddonManifest {
        name: name.to_string(),
        file: path.display().to_string(),
        text,
    })
}

/// The names asked for (or the defaults), checked against the release, deduplicated in order.
pub fn chosen(names: &[String], known: &[String]) -> Result<Vec<String>, AddonsError> {
    let mut wanted: Vec<String> = if names.is_empty() {
        addons::DEFAULT_ADDONS
            .iter()
            .map(|s| s.to_string())
            .collect()
    } else {
        names
            .iter()
            .map(|n| n.trim().to_ascii_lowercase())
            .collect()
    };
    let mut seen = std::collections::HashSet::new();
    wanted.retain(|n| seen.insert(n.clone()));
    let unknown: Vec<String> = addons::unknown(&wanted, known)
        .into_iter()
        .map(String::from)
        .collect();
    if !unknown.is_empty() {
        return Err(AddonsError::UnknownAddon {
            names: unknown,
            known: known.to_vec(),
        });
    }
    Ok(wanted)
}

/// Reads and parses the chosen addons' manifests.
pub fn load(
    samples: &Path,
    names: &[String],
) -> Result<Vec<(AddonManifest, Vec<Json>)>, AddonsError> {
    names
        .iter()
        .map(|n| {
            let m = read_manifest(&samples.join("addons").join(format!("{n}.yaml")), n)?;
            let objects = addons::parse(&m)?;
            Ok((m, objects))
        })
        .collect()
}

/// A value that must be a DNS-1123 label (a namespace, a label value meshdeck selects by).
pub fn check_label(what: &'static str, value: &str) -> Result<(), AddonsError> {
    let ok = !value.is_empty()
        && value.len() <= 63
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(AddonsError::BadValue {
            what,
            value: value.to_string(),
            why: "it must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)",
        })
    }
}

/// How objects are applied.
#[derive(Clone, Debug)]
pub struct ApplyRequest {
    /// `--force-conflicts`.
    pub force_conflicts: bool,
    /// `--readiness-timeout`, for each group of objects.
    pub readiness_timeout: std::time::Duration,
}

/// What an apply of addons or a sample did.
#[derive(Clone, Debug, Default)]
pub struct ApplyReport {
    pub created: Vec<String>,
    pub changed: Vec<String>,
    pub unchanged: Vec<String>,
    pub namespaces_created: Vec<String>,
    /// The groups (addons, sample parts) applied and ready, by title.
    pub installed: Vec<String>,
    pub elapsed: std::time::Duration,
}

impl ApplyReport {
    pub fn is_noop(&self) -> bool {
        self.created.is_empty() && self.changed.is_empty() && self.namespaces_created.is_empty()
    }

    fn add(&mut self, applied: Vec<(String, ApplyOutcome)>) {
        for (what, outcome) in applied {
            match outcome {
                ApplyOutcome::Created => self.created.push(what),
                ApplyOutcome::Configured => self.changed.push(what),
                ApplyOutcome::Unchanged => self.unchanged.push(what),
            }
        }
    }
}

/// A connection for installing and removing addons and samples.
pub struct Session {
    rt: tokio::runtime::Runtime,
    kube: Kube,
}

impl Session {
    pub fn open(target: &ConnectOptions) -> Result<Session, AddonsError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(AddonsError::Runtime)?;
        let kube = rt.block_on(crate::kube::connect(target))?;
        Ok(Session { rt, kube })
    }

    pub fn context(&self) -> &str {
        self.kube.context()
    }

    pub(crate) fn kube(&self) -> &Kube {
        &self.kube
    }

    pub(crate) fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    /// What the server can hold, and its minor version.
    pub fn caps(&self) -> Result<(ServerCaps, u32), AddonsError> {
        let (version, caps) = self.rt.block_on(apply::server_caps(&self.kube))?;
        Ok((caps, version.minor))
    }

    /// Creates `namespace` when it is not there (unlabelled, as `install` does: it may hold more
    /// than what meshdeck puts in it). Returns whether it was created.
    pub(crate) async fn ensure_namespace(&self, namespace: &str) -> Result<bool, KubeError> {
        let obj = self.kube.object("v1", "Namespace", None, namespace).await?;
        if self.kube.get(&obj).await?.is_some() {
            return Ok(false);
        }
        let body = serde_json::json!({"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": namespace}});
        self.kube.apply(&body, &ApplyOptions::default()).await?;
        Ok(true)
    }

    /// Applies a group of objects (into `namespace` where they name none), then waits until
    /// its workloads are ready.
    pub(crate) async fn apply_group(
        &self,
        objects: &[Json],
        namespace: &str,
        req: &ApplyRequest,
    ) -> Result<Vec<(String, ApplyOutcome)>, SetError> {
        let opts = ApplyOptions {
            force: req.force_conflicts,
            namespace: Some(namespace.to_string()),
            ..ApplyOptions::default()
        };
        let applied =
            apply::apply_set(&self.kube, objects, |_| &opts, &apply::Known::new()).await?;
        self.kube
            .wait_applied(&apply::to_wait_for(&applied), req.readiness_timeout)
            .await
            .map_err(SetError::Kube)?;
        Ok(applied
            .into_iter()
            .map(|a| (a.object.to_string(), a.outcome))
            .collect())
    }

    /// Applies groups in parallel, each waited for, and reports them one by one.
    pub(crate) async fn apply_groups(
        &self,
        groups: &[(String, &[Json])],
        namespace: &str,
        req: &ApplyRequest,
        report: &mut ApplyReport,
        observer: &dyn InstallObserver,
    ) -> Result<(), AddonsError> {
        let results = futures::future::join_all(
            groups
                .iter()
                .map(|(_, objects)| self.apply_group(objects, namespace, req)),
        )
        .await;
        let mut failed = Vec::new();
        let mut conflicts = Vec::new();
        for ((title, _), result) in groups.iter().zip(results) {
            match result {
                Ok(applied) => {
                    report.add(applied);
                    report.installed.push(title.clone());
                    observer.installed(title);
                }
                Err(SetError::Conflicts(list)) => {
                    observer.failed(
                        title,
                        &format!(
                            "{} object(s) have fields another field manager owns",
                            list.len()
                        ),
                    );
                    conflicts.extend(list);
                }
                Err(SetError::Kube(e)) => {
                    let text = e.to_string();
                    let first = text.lines().next().unwrap_or("").trim_end_matches(':');
                    observer.failed(title, first);
                    failed.push((title.clone(), e));
                }
            }
        }
        if !conflicts.is_empty() {
            return Err(AddonsError::Conflicts(conflicts));
        }
        if !failed.is_empty() {
            return Err(AddonsError::Failed(failed));
        }
        Ok(())
    }

    /// Applies the prepared addons into `namespace` (created when missing), all at once, each
    /// waited for until its workloads are ready.
    pub fn install(
        &self,
        prepared: &PreparedAddons,
        namespace: &str,
        req: &ApplyRequest,
        observer: &dyn InstallObserver,
    ) -> Result<ApplyReport, AddonsError> {
        let started = std::time::Instant::now();
        self.rt.block_on(async {
            let mut report = ApplyReport::default();
            if self.ensure_namespace(namespace).await? {
                observer.note(&format!("Created namespace {namespace}"));
                report.namespaces_created.push(namespace.to_string());
            }
            let titles: Vec<&str> = prepared.addons.iter().map(|a| a.title.as_str()).collect();
            observer.waiting(&format!("Applying {}", titles.join(", ")));
            let groups: Vec<(String, &[Json])> = prepared
                .addons
                .iter()
                .map(|a| (a.title.clone(), a.objects.as_slice()))
                .collect();
            self.apply_groups(&groups, namespace, req, &mut report, observer)
                .await?;
            report.elapsed = started.elapsed();
            Ok(report)
        })
    }

    /// Every object carrying `selector` of the `kinds`, in `namespace` (`None`: everywhere;
    /// cluster-scoped kinds are always searched), workloads first, each with the value of its
    /// label `key`.
    pub(crate) async fn owned(
        &self,
        kinds: &[(&str, &str)],
        namespace: Option<&str>,
        selector: &str,
        key: &str,
    ) -> Result<Vec<(ObjectRef, String)>, KubeError> {
        let mut out = Vec::new();
        for &(api_version, kind) in kinds {
            let Some(resolved) = self.kube.find(api_version, kind).await? else {
                continue;
            };
            let scope = if resolved.namespaced() {
                namespace
            } else {
                None
            };
            for live in self.kube.list(&resolved.resource, scope, selector).await? {
                // Being deleted already (a foreground delete waits for its dependents).
                if live.metadata.deletion_timestamp.is_some() {
                    continue;
                }
                let value = live
                    .metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get(key))
                    .cloned()
                    .unwrap_or_default();
                if let Some(name) = live.metadata.name.as_deref() {
                    out.push((
                        resolved.object(live.metadata.namespace.as_deref(), name),
                        value,
                    ));
                }
            }
        }
        out.sort_by_key(|(o, _)| {
            !matches!(
                o.resource.kind.as_str(),
                "Deployment" | "StatefulSet" | "DaemonSet"
            )
        });
        Ok(out)
    }

    /// The addon objects meshdeck applied (`names` empty: of every addon), each with its
    /// addon's name.
    pub fn addon_objects(&self, names: &[String]) -> Result<Vec<(ObjectRef, String)>, AddonsError> {
        let selector = addons::owned_selector(names);
        Ok(self.rt.block_on(self.owned(
            addons::ADDON_KINDS,
            None,
            &selector,
            addons::ADDON_LABEL,
        ))?)
    }

    /// Deletes the objects (foreground: dependents first). Returns what was deleted.
    pub fn delete(
        &self,
        objects: &[ObjectRef],
        observer: &dyn InstallObserver,
    ) -> Result<Vec<String>, AddonsError> {
        self.rt.block_on(async {
            let mut deleted = Vec::new();
            for obj in objects {
                observer.waiting(&format!("Deleting {obj}"));
                match self.kube.delete(obj, Propagation::Foreground).await? {
                    Deleted::Absent => {}
                    Deleted::Gone | Deleted::Terminating(_) => {
                        observer.note(&format!("Removed {obj}"));
                        deleted.push(obj.to_string());
                    }
                }
            }
            Ok(deleted)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_default_dedupe_and_unknown_ones_list_the_known() {
        let known: Vec<String> = ["grafana", "jaeger", "kiali", "loki", "prometheus"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            chosen(&[], &known).unwrap(),
            vec!["kiali", "grafana", "prometheus", "jaeger"]
        );
        assert_eq!(
            chosen(&["Loki".into(), "loki".into()], &known).unwrap(),
            vec!["loki"]
        );
        let e = chosen(&["kibana".into(), "kiali".into()], &known).unwrap_err();
        assert!(e.is_bad_flag_value());
        assert_eq!(
            e.to_string(),
            "unknown addon \"kibana\"; the release's samples/addons holds: grafana, jaeger, kiali, loki, prometheus"
        );
        assert!(check_label("namespace", "Book_Info").is_err());
        assert!(check_label("namespace", "bookinfo").is_ok());
    }
}
