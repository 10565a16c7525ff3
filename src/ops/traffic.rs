//! `meshdeck traffic-shift`: reads a Service, its workloads and the Istio routing objects of its
//! namespace, has the planner (`crate::traffic`) work out the new objects, and applies them with
//! server-side apply as field manager `meshdeck`, guarded by the resourceVersion that was read.
//! Reading and applying are separate calls so that the command can show a diff and ask first.

use kube::api::DynamicObject;
use serde_json::Value as Json;

use crate::kube::{
    Applied, ApplyOptions, ApplyOutcome, ConnectOptions, FieldConflict, Kube, KubeError,
    Propagation,
};
use crate::traffic::{Change, Current, Service, ShiftError, ShiftPlan, Workload};

pub use crate::traffic::istio::ShiftOptions;

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
                "install Istio (meshdeck install) or its base chart's CRDs first",
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

    /// Reads what the planner needs about `service`.
    pub fn read(&self, service: &str) -> Result<Current, TrafficError> {
        self.rt.block_on(self.read_async(service))
    }

    async fn read_async(&self, service: &str) -> Result<Current, TrafficError> {
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
        let vs_kind = kube
            .find("networking.istio.io/v1", "VirtualService")
            .await?
            .ok_or(TrafficError::IstioMissing)?;
        let dr_kind = kube
            .find("networking.istio.io/v1", "DestinationRule")
            .await?
            .ok_or(TrafficError::IstioMissing)?;
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
        let list = |r: crate::kube::Resolved| async move {
            let objs = kube.list(&r.resource, Some(ns), "").await?;
            Ok::<_, KubeError>(
                objs.into_iter()
                    .map(|o| to_json(o, &r.resource.api_version, &r.resource.kind))
                    .collect::<Vec<_>>(),
            )
        };
        let istio_api_version = vs_kind.resource.api_version.clone();
        Ok(Current {
            service,
            workloads,
            virtual_services: list(vs_kind).await?,
            destination_rules: list(dr_kind).await?,
            istio_api_version,
        })
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
                let obj = self
                    .kube
                    .object(&d.api_version, &d.kind, Some(&d.namespace), &d.name)
                    .await?;
                self.kube.delete(&obj, Propagation::Background).await?;
                done.push(Outcome {
                    object: d.describe(),
                    action: "deleted",
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

/// An object read from the server as JSON, with the type fields list items lack.
fn to_json(obj: DynamicObject, api_version: &str, kind: &str) -> Json {
    let mut json = serde_json::to_value(obj).unwrap_or(Json::Null);
    if json.is_object() {
        json["apiVersion"] = Json::String(api_version.to_string());
        json["kind"] = Json::String(kind.to_string());
    }
    json
}
