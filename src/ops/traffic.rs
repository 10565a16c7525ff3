//! `meshdeck traffic-shift`: reads a Service, its workloads and the routing objects of its
//! namespace for one backend (Istio, Gateway API, App Mesh), has the planner (`crate::traffic`)
//! work out the new objects, and applies them with server-side apply as field manager
//! `meshdeck`, guarded by the resourceVersion that was read. Reading and applying are separate
//! calls so that the command can show a diff and ask first.

use std::time::{Duration, SystemTime};

use kube::api::{DeleteParams, DynamicObject, Preconditions, PropagationPolicy};
use serde_json::Value as Json;

use crate::analyze::{self, Finding, Level, MeshConfig};
use crate::kube::{
    Applied, ApplyOptions, ApplyOutcome, ConnectOptions, FieldConflict, Kube, KubeError,
};
use crate::resource::{Kind, Origin, Resource, Snapshot, document, json};
use crate::traffic::prometheus::{Health, MetricsError, ObservedSplit, Prometheus, Target};
use crate::traffic::rollout::{self, Breach, GateLimits};
use crate::traffic::{
    Backend, Change, Current, Deletion, Service, ShiftError, ShiftPlan, VersionWeight, Workload,
};

pub use crate::traffic::ShiftOptions;

/// The kinds each backend reads and writes, as `(apiVersion, kind)`.
const ISTIO_KINDS: [(&str, &str); 2] = [
    ("networking.istio.io/v1", "VirtualService"),
    ("networking.istio.io/v1", "DestinationRule"),
];
const GATEWAY_API_KINDS: [(&str, &str); 1] = [("gateway.networking.k8s.io/v1", "HTTPRoute")];
const APPMESH_KINDS: [(&str, &str); 3] = [
    ("appmesh.k8s.aws/v1beta2", "VirtualService"),
    ("appmesh.k8s.aws/v1beta2", "VirtualRouter"),
    ("appmesh.k8s.aws/v1beta2", "VirtualNode"),
];

fn kinds_of(backend: Backend) -> &'static [(&'static str, &'static str)] {
    match backend {
        Backend::Istio => &ISTIO_KINDS,
        Backend::GatewayApi => &GATEWAY_API_KINDS,
        Backend::AppMesh => &APPMESH_KINDS,
    }
}

fn kind_list(backend: Backend) -> String {
    kinds_of(backend)
        .iter()
        .map(|(a, k)| format!("{a} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The backend a run uses, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chosen {
    pub backend: Backend,
    /// `--backend` named it (else it was picked by the CRDs installed).
    pub asked: bool,
}

impl Chosen {
    /// One line for the user: which backend, and why.
    pub fn describe(&self) -> String {
        let why = match (self.asked, self.backend) {
            (true, _) => "as --backend asks".to_string(),
            (false, Backend::Istio) => "Istio's CRDs are installed".to_string(),
            (false, b) => format!(
                "Istio's CRDs are not installed, {}'s are",
                match b {
                    Backend::GatewayApi => "Gateway API",
                    _ => "App Mesh",
                }
            ),
        };
        format!(
            "backend: {} ({why}; --backend istio|gateway-api|appmesh chooses)",
            self.backend.name()
        )
    }
}

/// Why traffic-shift failed. Nothing was changed unless the error says so.
#[derive(Debug, thiserror::Error)]
pub enum TrafficError {
    #[error(transparent)]
    Plan(#[from] ShiftError),
    #[error(transparent)]
    Kube(#[from] KubeError),
    #[error(
        "Istio's networking CRDs (VirtualService, DestinationRule) are not installed in the cluster"
    )]
    IstioMissing,
    #[error("the {backend} backend's CRDs are not installed in the cluster: {kinds} is not served")]
    BackendMissing {
        backend: &'static str,
        kinds: String,
    },
    #[error(
        "no traffic backend is installed in the cluster: neither Istio ({}), nor Gateway API ({}), nor App Mesh ({})",
        kind_list(Backend::Istio),
        kind_list(Backend::GatewayApi),
        kind_list(Backend::AppMesh)
    )]
    NoBackend,
    #[error(
        "{object} was changed by someone else since meshdeck read it; nothing of it was overwritten{}",
        applied_suffix(applied)
    )]
    ConcurrentEdit {
        object: String,
        /// Objects already applied before this one.
        applied: Vec<String>,
    },
    #[error(
        "other field managers own fields meshdeck would change; nothing was changed:{}",
        conflict_list(.0)
    )]
    Conflicts(Vec<(String, Vec<FieldConflict>)>),
    #[error("cannot start the async runtime")]
    Runtime(#[source] std::io::Error),
    #[error(transparent)]
    Metrics(#[from] MetricsError),
    #[error("--interactive asks for the versions and weights, and there is no terminal to ask on")]
    NoTerminal,
    #[error("cannot ask for the split")]
    Prompt(#[source] std::io::Error),
    #[error("no version was picked; nothing was changed")]
    NothingPicked,
    #[error("namespace {namespace} has no Services to pick from")]
    NoServices { namespace: String },
    #[error("cannot reach the cluster's Prometheus through a port-forward")]
    Tunnel(#[source] Box<crate::dashboard::DashboardError>),
    #[error(
        "the analysis of the new routing of {what} found {errors} error(s); nothing was changed"
    )]
    AnalysisFailed { what: String, errors: usize },
    #[error("{what} has no split to step from: no route sends it traffic and no version has pods")]
    NothingToStepFrom { what: String },
    #[error(
        "rollout of {what} rolled back after step {step}: {reason}; the routing is back at {start}"
    )]
    RolledBack {
        what: String,
        step: usize,
        reason: String,
        /// The split it went back to (`v1=100`).
        start: String,
    },
    #[error(
        "rollout of {} interrupted after step {} of {}: the routing is left at {}",
        .0.what, .0.step, .0.of, .0.left
    )]
    Interrupted(Box<InterruptedRollout>),
    #[error(
        "rollout of {} stopped at step {} ({}), and putting the routing back failed: {}; the routing is left at {}",
        .0.what, .0.step, .0.reason, .0.restore, .0.left
    )]
    RestoreFailed(Box<RestoreFailure>),
}

/// A rollout that Ctrl-C stopped between steps: the last applied step stays.
#[derive(Debug)]
pub struct InterruptedRollout {
    pub what: String,
    pub step: usize,
    pub of: usize,
    /// The split of the last applied step (`v1=72,v2=18,v3=10`).
    pub left: String,
    /// The split the rollout started from, for undoing it.
    pub start: String,
    pub service: String,
    pub namespace: String,
}

/// A rollout that stopped and could not put the routing back.
#[derive(Debug)]
pub struct RestoreFailure {
    pub what: String,
    pub step: usize,
    pub reason: String,
    pub restore: String,
    /// The split last applied.
    pub left: String,
    pub start: String,
    pub service: String,
    pub namespace: String,
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

fn applied_suffix(applied: &[String]) -> String {
    if applied.is_empty() {
        String::new()
    } else {
        format!(" (already applied: {})", applied.join(", "))
    }
}

impl TrafficError {
    pub fn is_bad_flag_value(&self) -> bool {
        matches!(self, TrafficError::Plan(e) if e.is_bad_flag_value())
            || matches!(self, TrafficError::Metrics(e) if e.is_bad_flag_value())
    }

    /// The analysis of the result found errors (exit code 79, as `analyze`'s).
    pub fn is_analysis_failure(&self) -> bool {
        matches!(self, TrafficError::AnalysisFailed { .. })
    }

    /// A stepped rollout went back to where it started (exit code 80).
    pub fn is_rolled_back(&self) -> bool {
        matches!(self, TrafficError::RolledBack { .. })
    }

    /// Ctrl-C ended a rollout (exit code 130).
    pub fn is_interrupted(&self) -> bool {
        matches!(self, TrafficError::Interrupted(_))
    }
}

impl miette::Diagnostic for TrafficError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        match self {
            TrafficError::Plan(e) => miette::Diagnostic::code(e),
            TrafficError::Kube(e) => miette::Diagnostic::code(e),
            TrafficError::IstioMissing => Some(Box::new("traffic::istio_missing")),
            TrafficError::BackendMissing { .. } => Some(Box::new("traffic::backend_missing")),
            TrafficError::NoBackend => Some(Box::new("traffic::no_backend")),
            TrafficError::ConcurrentEdit { .. } => Some(Box::new("traffic::concurrent_edit")),
            TrafficError::Conflicts(_) => Some(Box::new("traffic::conflict")),
            TrafficError::Runtime(_) => Some(Box::new("traffic::runtime")),
            TrafficError::Metrics(e) => Some(Box::new(e.code())),
            TrafficError::Tunnel(_) => Some(Box::new("traffic::prometheus_tunnel")),
            TrafficError::NoTerminal => Some(Box::new("traffic::no_terminal")),
            TrafficError::Prompt(_) => Some(Box::new("traffic::prompt")),
            TrafficError::NothingPicked => Some(Box::new("traffic::nothing_picked")),
            TrafficError::NoServices { .. } => Some(Box::new("traffic::no_services")),
            TrafficError::AnalysisFailed { .. } => Some(Box::new("traffic::analysis")),
            TrafficError::NothingToStepFrom { .. } => Some(Box::new("traffic::nothing_to_step")),
            TrafficError::RolledBack { .. } => Some(Box::new("traffic::rolled_back")),
            TrafficError::Interrupted(_) => Some(Box::new("traffic::interrupted")),
            TrafficError::RestoreFailed(_) => Some(Box::new("traffic::restore_failed")),
        }
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        match self {
            TrafficError::Plan(e) => miette::Diagnostic::help(e),
            TrafficError::Kube(e) => miette::Diagnostic::help(e),
            TrafficError::IstioMissing => Some(Box::new(
                "install Istio (meshdeck install) or its base chart's CRDs first, or choose another backend with --backend gateway-api|appmesh",
            )),
            TrafficError::BackendMissing { .. } => Some(Box::new(
                "install that mesh's CRDs first, or choose another backend with --backend",
            )),
            TrafficError::NoBackend => Some(Box::new(
                "install Istio (meshdeck install), the Gateway API CRDs or the App Mesh controller first",
            )),
            TrafficError::ConcurrentEdit { .. } => Some(Box::new(
                "run the command again: it reads the object afresh and merges into the new version",
            )),
            TrafficError::Conflicts(_) => Some(Box::new(
                "take the fields over with --force-conflicts (their owner may write them back), or leave them to their owner",
            )),
            TrafficError::Runtime(_) => None,
            TrafficError::Metrics(e) => Some(Box::new(e.hint())),
            TrafficError::Tunnel(_) => Some(Box::new(
                "pass --prometheus URL, or check the pod with meshdeck dashboard prometheus",
            )),
            TrafficError::NoTerminal => Some(Box::new(
                "give the split with --to instead (--to v2=80,v3=20), with -y to skip the confirmation",
            )),
            TrafficError::Prompt(_) => None,
            TrafficError::NothingPicked => Some(Box::new(
                "pick at least one version with space, then press enter",
            )),
            TrafficError::NoServices { .. } => Some(Box::new(
                "pass -n NAMESPACE for the namespace the Service is in, or name the Service",
            )),
            TrafficError::AnalysisFailed { .. } => Some(Box::new(
                "fix what the messages above name (a version without pods: deploy it first), or pass --force to apply anyway",
            )),
            TrafficError::NothingToStepFrom { .. } => {
                Some(Box::new("shift without --step, or deploy a version first"))
            }
            TrafficError::RolledBack { .. } => Some(Box::new(
                "look at the failing version (its logs, its dashboards), then run the rollout again",
            )),
            TrafficError::Interrupted(i) => Some(Box::new(format!(
                "to resume, run the same command again: it steps on from the split it finds; to undo, \
                 meshdeck traffic-shift {} -n {} --to {}",
                i.service, i.namespace, i.start
            ))),
            TrafficError::RestoreFailed(f) => Some(Box::new(format!(
                "put it back yourself: meshdeck traffic-shift {} -n {} --to {}",
                f.service, f.namespace, f.start
            ))),
        }
    }
}

/// One applied (or deleted) object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// `VirtualService ns/name`.
    pub object: String,
    /// `created`, `configured`, `unchanged`, `deleted`.
    pub action: &'static str,
}

/// A connection to the cluster for one traffic-shift run.
pub struct TrafficSession {
    rt: tokio::runtime::Runtime,
    kube: Kube,
    namespace: String,
    target: ConnectOptions,
}

impl TrafficSession {
    /// Connects; `namespace` `None` is the kubeconfig context's.
    pub fn open(
        target: &ConnectOptions,
        namespace: Option<&str>,
    ) -> Result<TrafficSession, TrafficError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(TrafficError::Runtime)?;
        let kube = rt.block_on(crate::kube::connect(target))?;
        let namespace = namespace
            .map(str::to_string)
            .unwrap_or_else(|| kube.default_namespace().to_string());
        Ok(TrafficSession {
            rt,
            kube,
            namespace,
            target: target.clone(),
        })
    }

    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// Picks the backend: the one asked for (its CRDs must be installed), else Istio when its
    /// CRDs are installed, else Gateway API, else App Mesh.
    pub fn choose(&self, asked: Option<Backend>) -> Result<Chosen, TrafficError> {
        self.rt.block_on(async {
            if let Some(backend) = asked {
                if !self.installed(backend).await? {
                    return Err(match backend {
                        Backend::Istio => TrafficError::IstioMissing,
                        b => TrafficError::BackendMissing {
                            backend: b.name(),
                            kinds: kind_list(b),
                        },
                    });
                }
                return Ok(Chosen {
                    backend,
                    asked: true,
                });
            }
            for backend in [Backend::Istio, Backend::GatewayApi, Backend::AppMesh] {
                if self.installed(backend).await? {
                    return Ok(Chosen {
                        backend,
                        asked: false,
                    });
                }
            }
            Err(TrafficError::NoBackend)
        })
    }

    /// Whether the backend's kinds are served: Istio's at any version (v1beta1 has the same
    /// shape), the others' at the version the planner writes.
    async fn installed(&self, backend: Backend) -> Result<bool, TrafficError> {
        for (api_version, kind) in kinds_of(backend) {
            match self.kube.find(api_version, kind).await? {
                Some(r) if r.fallback_from.is_none() || backend == Backend::Istio => {}
                _ => return Ok(false),
            }
        }
        Ok(true)
    }

    /// Reads what the planner of `backend` needs about `service`.
    /// The names of the namespace's Services (sorted), for picking one at a prompt.
    pub fn services(&self) -> Result<Vec<String>, TrafficError> {
        self.rt.block_on(async {
            let resolved = self.kube.resolve("v1", "Service").await?;
            let mut names: Vec<String> = self
                .kube
                .list(&resolved.resource, Some(&self.namespace), "")
                .await?
                .into_iter()
                .filter_map(|s| s.metadata.name)
                .collect();
            names.sort();
            Ok(names)
        })
    }

    pub fn read(&self, service: &str, backend: Backend) -> Result<Current, TrafficError> {
        self.rt.block_on(self.read_async(service, backend))
    }

    async fn read_async(&self, service: &str, backend: Backend) -> Result<Current, TrafficError> {
        let kube = &self.kube;
        let ns = self.namespace.as_str();
        let svc_ref = kube.object("v1", "Service", Some(ns), service).await?;
        let svc = kube
            .get(&svc_ref)
            .await?
            .ok_or_else(|| ShiftError::ServiceNotFound {
                namespace: ns.to_string(),
                name: service.to_string(),
            })?;
        let service = Service::from_json(&to_json(svc, "v1", "Service"));
        let mut workloads = Vec::new();
        if !service.selector.is_empty() {
            let selector = service
                .selector
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",");
            let pods = kube.resolve("v1", "Pod").await?;
            for p in kube.list(&pods.resource, Some(ns), &selector).await? {
                workloads.extend(Workload::from_json(&to_json(p, "v1", "Pod")));
            }
            for kind in ["Deployment", "StatefulSet", "ReplicaSet"] {
                let r = kube.resolve("apps/v1", kind).await?;
                for o in kube.list(&r.resource, Some(ns), "").await? {
                    workloads.extend(Workload::from_json(&to_json(o, "apps/v1", kind)));
                }
            }
        }
        // The objects of a kind, as the served version (Istio's may be an older one) has them.
        let list = |api_version: &'static str, kind: &'static str| async move {
            let r = kube.resolve(api_version, kind).await?;
            let served = r.resource.api_version.clone();
            let objs = kube.list(&r.resource, Some(ns), "").await?;
            Ok::<_, KubeError>((
                objs.into_iter()
                    .map(|o| to_json(o, &served, kind))
                    .collect::<Vec<_>>(),
                served,
            ))
        };
        let mut current = Current {
            service,
            workloads,
            ..Current::default()
        };
        match backend {
            Backend::Istio => {
                let [(api, vs), (_, dr)] = ISTIO_KINDS;
                let (objects, served) = list(api, vs).await?;
                current.virtual_services = objects;
                current.destination_rules = list(api, dr).await?.0;
                current.istio_api_version = served;
            }
            Backend::GatewayApi => {
                let [(api, route)] = GATEWAY_API_KINDS;
                current.http_routes = list(api, route).await?.0;
                current.services = list("v1", "Service").await?.0;
                current.gateway_api_version = api.to_string();
            }
            Backend::AppMesh => {
                let [(api, vs), (_, vr), (_, vn)] = APPMESH_KINDS;
                current.mesh_virtual_services = list(api, vs).await?.0;
                current.virtual_routers = list(api, vr).await?.0;
                current.virtual_nodes = list(api, vn).await?.0;
                current.appmesh_api_version = api.to_string();
            }
        }
        Ok(current)
    }

    /// Applies a plan: each change with server-side apply (`force` takes over fields another
    /// manager owns), each deletion of an object meshdeck created.
    pub fn apply(&self, plan: &ShiftPlan, force: bool) -> Result<Vec<Outcome>, TrafficError> {
        self.rt.block_on(self.apply_async(plan, force))
    }

    async fn apply_async(
        &self,
        plan: &ShiftPlan,
        force: bool,
    ) -> Result<Vec<Outcome>, TrafficError> {
        {
            let opts = ApplyOptions {
                force,
                namespace: Some(self.namespace.clone()),
                ..ApplyOptions::default()
            };
            // A dry run of every change first: a conflict or a concurrent edit on the second
            // object must not leave the first one changed.
            let dry = ApplyOptions {
                dry_run: true,
                ..opts.clone()
            };
            let mut conflicts = Vec::new();
            for change in &plan.changes {
                match self.apply_one(change, &dry, &[]).await {
                    Err(TrafficError::Kube(KubeError::Conflict {
                        object,
                        conflicts: c,
                    })) => {
                        conflicts.push((object, c));
                    }
                    other => {
                        other?;
                    }
                }
            }
            if !conflicts.is_empty() {
                return Err(TrafficError::Conflicts(conflicts));
            }
            for d in &plan.deletions {
                self.delete_one(d, true, &[]).await?;
            }
            let mut done: Vec<Outcome> = Vec::new();
            for change in &plan.changes {
                let applied = self.apply_one(change, &opts, &done).await?;
                done.push(Outcome {
                    object: change.describe(),
                    action: match applied.outcome {
                        ApplyOutcome::Created => "created",
                        ApplyOutcome::Configured => "configured",
                        ApplyOutcome::Unchanged => "unchanged",
                    },
                });
            }
            for d in &plan.deletions {
                let action = self.delete_one(d, false, &done).await?;
                done.push(Outcome {
                    object: d.describe(),
                    action,
                });
            }
            Ok(done)
        }
    }
}

impl TrafficSession {
    async fn apply_one(
        &self,
        change: &Change,
        opts: &ApplyOptions,
        done: &[Outcome],
    ) -> Result<Applied, TrafficError> {
        match self.kube.apply(&change.apply, opts).await {
            Ok(a) => Ok(a),
            // Not a field-manager conflict (that is KubeError::Conflict): the resourceVersion
            // precondition failed.
            Err(KubeError::Api { code: 409, .. }) => Err(TrafficError::ConcurrentEdit {
                object: change.describe(),
                applied: done.iter().map(|d| d.object.clone()).collect(),
            }),
            Err(e) => Err(e.into()),
        }
    }
}

impl TrafficSession {
    /// Deletes an object meshdeck created, only if it is still the object that was read: the
    /// uid and resourceVersion are the delete's precondition, so an object edited or recreated
    /// since is reported, not deleted.
    async fn delete_one(
        &self,
        d: &Deletion,
        dry_run: bool,
        done: &[Outcome],
    ) -> Result<&'static str, TrafficError> {
        let obj = self
            .kube
            .object(&d.api_version, &d.kind, Some(&d.namespace), &d.name)
            .await?;
        let params = DeleteParams {
            dry_run,
            propagation_policy: Some(PropagationPolicy::Background),
            preconditions: Some(Preconditions {
                uid: d.uid.clone(),
                resource_version: d.resource_version.clone(),
            }),
            ..DeleteParams::default()
        };
        let api = self.kube.api(&obj.resource, Some(&d.namespace));
        match api.delete(&d.name, &params).await {
            Ok(_) => Ok("deleted"),
            Err(::kube::Error::Api(s)) if s.code == 404 => Ok("already gone"),
            Err(::kube::Error::Api(s)) if s.code == 409 => Err(TrafficError::ConcurrentEdit {
                object: d.describe(),
                applied: done.iter().map(|o| o.object.clone()).collect(),
            }),
            Err(e) => Err(self
                .kube
                .error(&format!("delete {}", d.describe()), e)
                .into()),
        }
    }
}

/// An object read from the server as JSON, with the type fields list items lack.
fn to_json(obj: DynamicObject, api_version: &str, kind: &str) -> Json {
    let mut json = serde_json::to_value(obj).unwrap_or(Json::Null);
    if json.is_object() {
        json["apiVersion"] = Json::String(api_version.to_string());
        json["kind"] = Json::String(kind.to_string());
    }
    json
}

/// How long the analysis's read of the cluster may take.
const ANALYSIS_TIMEOUT: Duration = Duration::from_secs(60);

/// What the analyzers say about the routing a plan would leave, with the cluster's objects.
#[derive(Debug, Default)]
pub struct ShiftAnalysis {
    /// Warnings and errors the change brings; sorted as `analyze` sorts them (errors first).
    pub findings: Vec<Finding>,
    /// Warnings and errors on the objects it writes that were there before it (the user's
    /// subset that selects nothing): told, not held against the change.
    pub existing: Vec<Finding>,
    /// Kinds that could not be read (not served, forbidden): the analysis ran without them.
    pub warnings: Vec<String>,
}

impl ShiftAnalysis {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.level >= Level::Error)
            .count()
    }
}

/// The objects a plan leaves, as analyzer resources (deleted ones are absent).
fn planned_resources(plan: &ShiftPlan) -> Vec<Resource> {
    plan.changes
        .iter()
        .filter_map(|c| {
            let api = c.after["apiVersion"].as_str()?;
            let kind = Kind::from_api(api, c.after["kind"].as_str()?)?;
            let mut r = Resource::from_node(kind, api, json::from_json(&c.after), Origin::Cluster);
            document::apply_defaults(&mut r);
            Some(r)
        })
        .collect()
}

impl TrafficSession {
    /// Runs every analyzer over the cluster's objects as they are, and as they would be with
    /// `plan` applied (its objects in place of the live ones). What is reported: the findings
    /// of the namespace that the plan brings, and any finding on an object the plan writes.
    pub fn analyze(
        &self,
        plan: &ShiftPlan,
        istio_namespace: &str,
    ) -> Result<ShiftAnalysis, TrafficError> {
        self.rt.block_on(self.analyze_async(plan, istio_namespace))
    }

    async fn analyze_async(
        &self,
        plan: &ShiftPlan,
        istio_namespace: &str,
    ) -> Result<ShiftAnalysis, TrafficError> {
        let selected = analyze::analyzers::all();
        let kinds = crate::ops::analyze::input_kinds(&selected);
        let client = crate::source::cluster::connect(&self.target, ANALYSIS_TIMEOUT).await?;
        // A CRD removed while the API groups are discovered fails the whole read (its group
        // answers 404): read again, twice at most.
        let mut attempt = 0;
        let read = loop {
            match client
                .read(&kinds, Some(&self.namespace), ANALYSIS_TIMEOUT)
                .await
            {
                Ok(read) => break read,
                Err(_) if attempt < 2 => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                Err(e) => return Err(e.into()),
            }
        };
        let mut warnings = read.warnings;
        let mut mesh = MeshConfig::default();
        if let Some((config, networks)) = client.mesh_config(istio_namespace).await? {
            let source = format!("configmap {istio_namespace}/istio");
            if let Some(c) = config
                && let Err(e) = mesh.apply_config(&c, &source)
            {
                warnings.push(format!("{source} (mesh): {e}; analyzed with the defaults"));
            }
            if let Some(n) = networks
                && let Err(e) = mesh.apply_networks(&n, &source)
            {
                warnings.push(format!("{source} (meshNetworks): {e}; analyzed without it"));
            }
        }
        let written: Vec<(Kind, String, String)> = planned_resources(plan)
            .iter()
            .map(|r| (r.kind, r.namespace.clone(), r.name.clone()))
            .chain(plan.deletions.iter().filter_map(|d| {
                Some((
                    Kind::from_api(&d.api_version, &d.kind)?,
                    d.namespace.clone(),
                    d.name.clone(),
                ))
            }))
            .collect();
        let run = |resources: Vec<Resource>| {
            let snapshot = Snapshot::new(resources, true);
            let outcome = analyze::run_clusters(
                &snapshot,
                &mesh,
                istio_namespace,
                &selected,
                false,
                SystemTime::now(),
                &analyze::Clusters::default(),
            );
            analyze::select(outcome.findings, Some(&self.namespace), &[])
        };
        let synthetic = mesh.as_resources(istio_namespace);
        let mut before = read.resources.clone();
        before.extend(synthetic.clone());
        let known: std::collections::HashSet<String> =
            run(before).iter().map(Finding::log_line).collect();
        // The planned objects first: of two with the same identity the first one wins.
        let mut after = planned_resources(plan);
        after.extend(
            read.resources
                .into_iter()
                .filter(|r| !written.contains(&(r.kind, r.namespace.clone(), r.name.clone()))),
        );
        after.extend(synthetic);
        let (findings, existing): (Vec<Finding>, Vec<Finding>) = run(after)
            .into_iter()
            .filter(|f| f.level >= Level::Warning)
            .filter(|f| {
                !known.contains(&f.log_line())
                    || Kind::ALL.iter().any(|k| {
                        k.info().kind == f.kind
                            && written.contains(&(*k, f.namespace.clone(), f.name.clone()))
                    })
            })
            .partition(|f| !known.contains(&f.log_line()));
        Ok(ShiftAnalysis {
            findings,
            existing,
            warnings,
        })
    }

    /// The observed share of requests per version of `service` over `window`.
    pub fn observed(
        &self,
        prometheus: &Prometheus,
        service: &str,
        window: Duration,
    ) -> Result<ObservedSplit, TrafficError> {
        let target = Target {
            service,
            namespace: &self.namespace,
        };
        Ok(self.rt.block_on(prometheus.observed(&target, window))?)
    }
}

/// The tunnel's events are not told: the forward lives for one query.
struct QuietTunnel;

impl crate::dashboard::Observer for QuietTunnel {
    fn event(&self, _: &str, _: crate::dashboard::Event) {}
}

impl TrafficSession {
    /// The observed split from the cluster's own Prometheus: the ready pod `meshdeck dashboard
    /// prometheus` would open (its selector, in the Istio namespace and then the Service's),
    /// through a port-forward on a free loopback port for the length of the query. `None` when
    /// no such pod exists.
    pub fn observed_in_cluster(
        &self,
        service: &str,
        window: Duration,
        istio_namespace: &str,
    ) -> Result<Option<ObservedSplit>, TrafficError> {
        use crate::dashboard::pods::{self, PodTarget};
        use crate::dashboard::{DashboardError, Listen, Session, tunnel};
        let tunnel_error = |e: DashboardError| TrafficError::Tunnel(Box::new(e));
        let dashboard = crate::dashboard::find("prometheus").expect("prometheus is a dashboard");
        let mut namespaces = vec![istio_namespace.to_string()];
        if self.namespace != istio_namespace {
            namespaces.push(self.namespace.clone());
        }
        let target = PodTarget::Selector {
            selector: dashboard.selector.to_string(),
            namespaces,
        };
        self.rt.block_on(async {
            let pod = match pods::find(&self.kube, &target).await {
                Ok(pod) => pod,
                Err(DashboardError::NoPod { .. }) => return Ok(None),
                Err(e) => return Err(tunnel_error(e)),
            };
            let listen = Listen {
                addresses: vec![std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)],
                optional_rest: false,
                port: Some(0),
                default_port: 0,
            };
            let bound = tunnel::bind(&listen).await.map_err(tunnel_error)?;
            let prometheus = Prometheus::new(&format!("http://127.0.0.1:{}", bound.port))?;
            let session = Session::new(
                dashboard.name,
                self.kube.clone(),
                target.clone(),
                dashboard.port,
                0,
                pod.clone(),
            );
            let (stop, stopped) = tokio::sync::watch::channel(false);
            let serve = session.run(bound, &QuietTunnel, stopped);
            let ask = async {
                let target = Target {
                    service,
                    namespace: &self.namespace,
                };
                let observed = prometheus.observed(&target, window).await;
                let _ = stop.send(true);
                observed
            };
            let (_, observed) = tokio::join!(serve, ask);
            let mut observed = observed?;
            observed.prometheus = format!(
                "pod {}/{} port {} (port-forward)",
                pod.namespace, pod.name, dashboard.port
            );
            Ok(Some(observed))
        })
    }
}

/// A stepped rollout, as asked for.
pub struct RolloutRequest<'a> {
    pub service: &'a str,
    pub backend: Backend,
    pub target: Vec<VersionWeight>,
    pub opts: &'a ShiftOptions,
    /// Percentage points per step.
    pub step: u32,
    pub interval: Duration,
    /// The window of each gate check.
    pub window: Duration,
    pub limits: GateLimits,
    pub prometheus: Option<&'a Prometheus>,
    pub force_conflicts: bool,
}

/// Told how a rollout goes.
pub trait RolloutObserver {
    /// Step `step` of `of` was applied.
    fn applied(&self, step: usize, of: usize, split: &[VersionWeight]);
    /// Waiting `interval` before the gate is checked (or the next step is taken).
    fn waiting(&self, step: usize, of: usize, interval: Duration);
    /// The versions gaining traffic were looked at after `step`.
    fn checked(&self, step: usize, of: usize, health: &[Health], limits: &GateLimits);
    /// The rollout stops and the routing is being put back.
    fn restoring(&self, why: &str);
}

/// One step of a rollout, for the summary.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct StepReport {
    pub step: usize,
    /// `v1=90,v2=10`.
    pub split: String,
    /// The gate's readings after the step (empty without --prometheus).
    pub health: Vec<Health>,
}

/// How a rollout ended.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum RolloutOutcome {
    /// Every step passed: the routing is at the target.
    Completed,
    /// A version went over a limit; the routing was put back.
    Breached { breach: Breach },
    /// Prometheus could not be read after a step; the routing was put back.
    GateUnreadable { reason: String },
    /// Ctrl-C; the routing is left at the last applied step.
    Interrupted,
}

/// What a rollout did.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct RolloutReport {
    pub service: String,
    pub namespace: String,
    pub backend: Backend,
    /// The split it started from, and the one asked for.
    pub start: String,
    pub target: String,
    /// The versions the gate watched.
    pub watched: Vec<String>,
    pub steps: Vec<StepReport>,
    /// How many steps the rollout planned (more than `steps` holds when it stopped early).
    pub planned_steps: usize,
    #[serde(flatten)]
    pub outcome: RolloutOutcome,
    /// The objects written to put the routing back (empty when it completed).
    pub restored: Vec<String>,
}

/// What stopped a rollout between steps.
enum Stop {
    Breach(Breach),
    Unreadable(String),
    Interrupted,
}

impl TrafficSession {
    /// Moves the split to the target in steps, checking the gate after each; on a breach or an
    /// unreadable gate the objects are put back as they were before the first step. Ctrl-C
    /// leaves the last applied step in place (nothing is wrong with it; the user chose to stop),
    /// and the report says how to resume or undo.
    pub fn rollout(
        &self,
        req: &RolloutRequest<'_>,
        observer: &dyn RolloutObserver,
    ) -> Result<RolloutReport, TrafficError> {
        self.rt.block_on(self.rollout_async(req, observer))
    }

    async fn rollout_async(
        &self,
        req: &RolloutRequest<'_>,
        observer: &dyn RolloutObserver,
    ) -> Result<RolloutReport, TrafficError> {
        // Listening from the start: a Ctrl-C while a step is applied is acted on right after.
        let mut interrupt = Interrupt::new();
        let what = format!("Service {}/{}", self.namespace, req.service);
        let current = self.read_async(req.service, req.backend).await?;
        let split = crate::traffic::current_split(req.backend, &current, req.opts)?;
        let start = rollout::starting_split(&split)
            .ok_or_else(|| TrafficError::NothingToStepFrom { what: what.clone() })?;
        let steps = rollout::steps(&start, &req.target, req.step);
        let watched = rollout::gaining(&start, &req.target);
        let gate = req.prometheus.map(|p| {
            (
                p,
                Target {
                    service: req.service,
                    namespace: &self.namespace,
                },
            )
        });
        // The gate must answer before anything is changed.
        if let Some((prom, target)) = &gate
            && !req.limits.is_empty()
        {
            for v in &watched {
                prom.health(target, v, req.window).await?;
            }
        }
        let mut report = RolloutReport {
            service: req.service.to_string(),
            namespace: self.namespace.clone(),
            backend: req.backend,
            start: rollout::split_text(&start),
            target: rollout::split_text(&req.target),
            watched: watched.clone(),
            steps: Vec::new(),
            planned_steps: steps.len(),
            outcome: RolloutOutcome::Completed,
            restored: Vec::new(),
        };
        let of = steps.len();
        let mut first: Option<ShiftPlan> = None;
        let judged = gate.is_some();
        for (i, split) in steps.iter().enumerate() {
            let n = i + 1;
            let stop = async {
                let current = self.read_async(req.service, req.backend).await?;
                let plan = crate::traffic::plan_shift(req.backend, &current, split, req.opts)?;
                if first.is_none() {
                    first = Some(plan.clone());
                }
                self.apply_async(&plan, req.force_conflicts).await?;
                Ok::<_, TrafficError>(())
            }
            .await;
            if let Err(e) = stop {
                if i == 0 {
                    // Nothing of the rollout was applied (a dry run checks every object first).
                    return Err(e);
                }
                let reason = e.to_string();
                return Err(self
                    .restore_failed_or(req, first.as_ref(), &report, n, &reason, observer)
                    .await);
            }
            observer.applied(n, of, split);
            report.steps.push(StepReport {
                step: n,
                split: rollout::split_text(split),
                health: Vec::new(),
            });
            let last = n == of;
            if last && !judged {
                break;
            }
            observer.waiting(n, of, req.interval);
            let mut stopped = None;
            tokio::select! {
                _ = tokio::time::sleep(req.interval) => {}
                _ = interrupt.recv() => stopped = Some(Stop::Interrupted),
            }
            if stopped.is_none()
                && let Some((prom, target)) = &gate
            {
                let mut readings = Vec::new();
                for v in &watched {
                    match prom.health(target, v, req.window).await {
                        Ok(h) => readings.push(h),
                        Err(e) => {
                            stopped = Some(Stop::Unreadable(e.to_string()));
                            break;
                        }
                    }
                }
                observer.checked(n, of, &readings, &req.limits);
                if stopped.is_none()
                    && let Some(b) = readings.iter().find_map(|h| rollout::judge(&req.limits, h))
                {
                    stopped = Some(Stop::Breach(b));
                }
                if let Some(s) = report.steps.last_mut() {
                    s.health = readings;
                }
            }
            let Some(stop) = stopped else {
                continue;
            };
            // Ctrl-C leaves the step in place; a breach or a blind gate puts the routing back.
            let (why, outcome) = match stop {
                Stop::Interrupted => {
                    report.outcome = RolloutOutcome::Interrupted;
                    return Ok(report);
                }
                Stop::Breach(breach) => (breach.to_string(), RolloutOutcome::Breached { breach }),
                Stop::Unreadable(reason) => (
                    format!("the gate could not be read: {reason}"),
                    RolloutOutcome::GateUnreadable { reason },
                ),
            };
            observer.restoring(&why);
            let restored = match self.restore(req, first.as_ref()).await {
                Ok(r) => r,
                Err(e) => {
                    return Err(TrafficError::RestoreFailed(Box::new(RestoreFailure {
                        what,
                        step: n,
                        reason: why,
                        restore: e.to_string(),
                        left: rollout::split_text(split),
                        start: report.start.clone(),
                        service: req.service.to_string(),
                        namespace: self.namespace.clone(),
                    })));
                }
            };
            report.restored = restored;
            report.outcome = outcome;
            return Ok(report);
        }
        Ok(report)
    }

    /// Puts the objects back as they were before the rollout's first step.
    async fn restore(
        &self,
        req: &RolloutRequest<'_>,
        first: Option<&ShiftPlan>,
    ) -> Result<Vec<String>, TrafficError> {
        let Some(first) = first else {
            return Ok(Vec::new());
        };
        let now = self.read_async(req.service, req.backend).await?;
        let plan = rollout::restore_plan(req.backend, first, &now);
        Ok(self
            .apply_async(&plan, req.force_conflicts)
            .await?
            .into_iter()
            .map(|o| format!("{} {}", o.object, o.action))
            .collect())
    }

    /// After a step failed to apply: put the routing back, and say what happened either way.
    async fn restore_failed_or(
        &self,
        req: &RolloutRequest<'_>,
        first: Option<&ShiftPlan>,
        report: &RolloutReport,
        step: usize,
        reason: &str,
        observer: &dyn RolloutObserver,
    ) -> TrafficError {
        let what = format!("Service {}/{}", self.namespace, req.service);
        observer.restoring(&format!("step {step} could not be applied: {reason}"));
        match self.restore(req, first).await {
            Ok(_) => TrafficError::RolledBack {
                what,
                step,
                reason: format!("step {step} could not be applied: {reason}"),
                start: report.start.clone(),
            },
            Err(e) => TrafficError::RestoreFailed(Box::new(RestoreFailure {
                what,
                step,
                reason: reason.to_string(),
                restore: e.to_string(),
                left: report
                    .steps
                    .last()
                    .map(|s| s.split.clone())
                    .unwrap_or_else(|| report.start.clone()),
                start: report.start.clone(),
                service: req.service.to_string(),
                namespace: self.namespace.clone(),
            })),
        }
    }
}

/// SIGINT, listened for from the moment it is made (so the default action, ending the
/// process, no longer applies).
struct Interrupt {
    #[cfg(unix)]
    signal: Option<tokio::signal::unix::Signal>,
}

impl Interrupt {
    fn new() -> Interrupt {
        Interrupt {
            #[cfg(unix)]
            signal: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).ok(),
        }
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        match &mut self.signal {
            Some(s) => {
                s.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
