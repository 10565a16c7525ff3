//! `meshdeck traffic-shift`: reads a Service, its workloads and the routing objects of its
//! namespace for one backend (Istio, Gateway API, App Mesh), has the planner (`crate::traffic`)
//! work out the new objects, and applies them with server-side apply as field manager
//! `meshdeck`, guarded by the resourceVersion that was read. Reading and applying are separate
//! calls so that the command can show a diff and ask first.

use kube::api::{DeleteParams, DynamicObject, Preconditions, PropagationPolicy};
use serde_json::Value as Json;

use crate::kube::{
    Applied, ApplyOptions, ApplyOutcome, ConnectOptions, FieldConflict, Kube, KubeError,
};
use crate::traffic::{
    Backend, Change, Current, Deletion, Service, ShiftError, ShiftPlan, Workload,
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
        self.rt.block_on(async {
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
        })
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
