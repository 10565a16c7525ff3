//! The traffic-shift planner: the objects a Service's routing consists of today, plus a request
//! (`--to v2=80,v3=20`), in; the objects as they should be, out. Pure and synchronous: the
//! cluster is read and written in `ops::traffic`. Backends: [`istio`] (DestinationRule subsets
//! and a weighted VirtualService route, the shape Kiali's wizard makes), [`gateway_api`] (an
//! HTTPRoute attached to the Service weighting per-version Services) and [`appmesh`] (a
//! VirtualRouter route weighting one VirtualNode per version).

pub mod appmesh;
pub mod gateway_api;
pub mod istio;
pub mod prometheus;
pub mod rollout;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value as Json, json};

use crate::resource::Labels;

/// Which mesh API a shift is written with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Backend {
    /// Istio's DestinationRule subsets and a weighted VirtualService route.
    Istio,
    /// A Gateway API HTTPRoute attached to the Service (GAMMA) over per-version Services.
    GatewayApi,
    /// AWS App Mesh: a VirtualRouter's route weighting VirtualNodes.
    AppMesh,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Istio => "istio",
            Backend::GatewayApi => "gateway-api",
            Backend::AppMesh => "appmesh",
        }
    }
}

/// How a shift is asked for, besides the split.
#[derive(Clone, Debug)]
pub struct ShiftOptions {
    /// The workload label whose values are versions (`version`).
    pub version_label: String,
    /// Route versions no workload has yet.
    pub allow_missing: bool,
    /// The route (`spec.http[].name`, `spec.rules[].name`, `spec.routes[].name`) to edit when
    /// several have no match.
    pub route: Option<String>,
    /// The VirtualService (Istio's or App Mesh's) to edit when several name the host.
    pub virtual_service: Option<String>,
    /// The HTTPRoute to edit when several are attached to the Service.
    pub http_route: Option<String>,
    /// Create the per-version Services a Gateway API route needs.
    pub create_version_services: bool,
}

impl Default for ShiftOptions {
    fn default() -> Self {
        ShiftOptions {
            version_label: "version".into(),
            allow_missing: false,
            route: None,
            virtual_service: None,
            http_route: None,
            create_version_services: false,
        }
    }
}

/// The label Kiali's wizard puts on the objects it creates, so that Kiali offers to update them.
pub const KIALI_WIZARD_LABEL: &str = "kiali_wizard";
/// Marks an object meshdeck created (so that `--reset` may delete it, and only it).
pub const CREATED_ANNOTATION: &str = "meshdeck.io/traffic-shift-created";
/// The spec (JSON) of an object before meshdeck first changed it, for `--reset`.
pub const PREVIOUS_SPEC_ANNOTATION: &str = "meshdeck.io/traffic-shift-previous-spec";

/// One weighted version of a requested split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionWeight {
    pub version: String,
    pub weight: u32,
}

/// Parses `v2=80,v3=20` (weights are integers summing to 100) or `v3` (all of it to one version).
pub fn parse_split(input: &str) -> Result<Vec<VersionWeight>, ShiftError> {
    let bad = |reason: String| ShiftError::BadSplit {
        input: input.to_string(),
        reason,
    };
    let parts: Vec<&str> = input.split(',').map(str::trim).collect();
    if parts.len() == 1 && !parts[0].contains('=') {
        if parts[0].is_empty() {
            return Err(bad("it names no version".into()));
        }
        return Ok(vec![VersionWeight {
            version: parts[0].to_string(),
            weight: 100,
        }]);
    }
    let mut out: Vec<VersionWeight> = Vec::new();
    for part in parts {
        let Some((version, weight)) = part.split_once('=') else {
            return Err(bad(format!(
                "{part:?} has no weight: write VERSION=WEIGHT for each version when there are several"
            )));
        };
        let version = version.trim();
        if version.is_empty() {
            return Err(bad(format!("{part:?} names no version")));
        }
        let weight: u32 = weight.trim().parse().map_err(|_| {
            bad(format!(
                "the weight of {version} ({:?}) is not a whole number from 0 to 100",
                weight.trim()
            ))
        })?;
        if weight > 100 {
            return Err(bad(format!(
                "the weight of {version} is {weight}, more than 100"
            )));
        }
        if out.iter().any(|v| v.version == version) {
            return Err(bad(format!("{version} is named twice")));
        }
        out.push(VersionWeight {
            version: version.to_string(),
            weight,
        });
    }
    let sum: u32 = out.iter().map(|v| v.weight).sum();
    if sum != 100 {
        return Err(ShiftError::WeightSum {
            input: input.to_string(),
            sum,
        });
    }
    Ok(out)
}

/// One port of the Service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePort {
    pub name: String,
    pub port: u32,
    pub app_protocol: Option<String>,
}

impl ServicePort {
    /// Whether Istio treats the port as plain TCP (by `appProtocol` or the name's prefix).
    pub fn is_tcp(&self) -> bool {
        let proto = self
            .app_protocol
            .clone()
            .unwrap_or_else(|| self.name.split('-').next().unwrap_or("").to_string())
            .to_ascii_lowercase();
        matches!(proto.as_str(), "tcp" | "tls" | "mongo" | "mysql" | "redis")
    }
}

/// The Service whose traffic is shifted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Service {
    pub name: String,
    pub namespace: String,
    pub selector: Labels,
    pub ports: Vec<ServicePort>,
}

impl Service {
    /// Reads a Service object (JSON as the API server sends it).
    pub fn from_json(obj: &Json) -> Service {
        let text = |p: &str| {
            obj.pointer(p)
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string()
        };
        Service {
            name: text("/metadata/name"),
            namespace: text("/metadata/namespace"),
            selector: string_map(obj.pointer("/spec/selector")),
            ports: obj
                .pointer("/spec/ports")
                .and_then(Json::as_array)
                .map(|ports| {
                    ports
                        .iter()
                        .map(|p| ServicePort {
                            name: p["name"].as_str().unwrap_or("").to_string(),
                            port: p["port"].as_u64().unwrap_or(0) as u32,
                            app_protocol: p["appProtocol"].as_str().map(str::to_string),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The cluster-local FQDN, as Kiali writes destination hosts.
    pub fn fqdn(&self) -> String {
        format!("{}.{}.svc.cluster.local", self.name, self.namespace)
    }

    /// Whether a host (as written in a VirtualService or DestinationRule of the Service's
    /// namespace) names this Service.
    pub fn is_host(&self, host: &str) -> bool {
        let short = format!("{}.{}", self.name, self.namespace);
        host == self.name
            || host == short
            || host == format!("{short}.svc")
            || host.strip_prefix(&format!("{short}.svc.")).is_some()
    }

    /// Whether every port is plain TCP (then the route is a `tcp` one).
    pub fn is_tcp(&self) -> bool {
        !self.ports.is_empty() && self.ports.iter().all(ServicePort::is_tcp)
    }
}

/// A workload behind the Service: a Pod, or a Deployment/StatefulSet/ReplicaSet whose pod
/// template the Service selects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workload {
    pub kind: String,
    pub name: String,
    /// The pod labels (a template's for controllers).
    pub labels: Labels,
    pub ready: u32,
    pub total: u32,
    /// Pods and ReplicaSets that a controller owns count through their owner.
    pub owned: bool,
}

impl Workload {
    /// Reads a Pod, Deployment, StatefulSet or ReplicaSet (JSON as the API server sends it).
    pub fn from_json(obj: &Json) -> Option<Workload> {
        let kind = obj["kind"].as_str()?.to_string();
        let name = obj.pointer("/metadata/name")?.as_str()?.to_string();
        let owned = obj
            .pointer("/metadata/ownerReferences")
            .and_then(Json::as_array)
            .is_some_and(|o| !o.is_empty());
        let (labels, ready, total) = if kind == "Pod" {
            let ready = obj
                .pointer("/status/conditions")
                .and_then(Json::as_array)
                .is_some_and(|c| {
                    c.iter()
                        .any(|c| c["type"] == "Ready" && c["status"] == "True")
                });
            (
                string_map(obj.pointer("/metadata/labels")),
                u32::from(ready),
                1,
            )
        } else {
            let num = |p: &str| obj.pointer(p).and_then(Json::as_u64);
            (
                string_map(obj.pointer("/spec/template/metadata/labels")),
                num("/status/readyReplicas").unwrap_or(0) as u32,
                num("/spec/replicas").unwrap_or(1) as u32,
            )
        };
        Some(Workload {
            kind,
            name,
            labels,
            ready,
            total,
            owned,
        })
    }
}

/// What the planner reads: the Service, its workloads and the routing objects of its namespace
/// (of the chosen backend; the other backends' lists stay empty).
#[derive(Clone, Debug, Default)]
pub struct Current {
    pub service: Service,
    /// Every workload the Service selects (the caller may pass more; they are filtered).
    pub workloads: Vec<Workload>,
    /// VirtualServices of the namespace (JSON).
    pub virtual_services: Vec<Json>,
    /// DestinationRules of the namespace (JSON).
    pub destination_rules: Vec<Json>,
    /// The apiVersion new Istio objects are written with (`networking.istio.io/v1`).
    pub istio_api_version: String,
    /// Gateway API: the Services of the namespace (JSON; per-version Services are among them).
    pub services: Vec<Json>,
    /// Gateway API: the HTTPRoutes of the namespace (JSON).
    pub http_routes: Vec<Json>,
    /// The apiVersion new HTTPRoutes are written with (`gateway.networking.k8s.io/v1`).
    pub gateway_api_version: String,
    /// App Mesh: VirtualServices, VirtualRouters and VirtualNodes of the namespace (JSON).
    pub mesh_virtual_services: Vec<Json>,
    pub virtual_routers: Vec<Json>,
    pub virtual_nodes: Vec<Json>,
    /// The apiVersion new App Mesh objects are written with (`appmesh.k8s.aws/v1beta2`).
    pub appmesh_api_version: String,
}

impl Current {
    /// The workloads the Service's selector selects.
    pub fn selected(&self) -> impl Iterator<Item = &Workload> {
        let sel = &self.service.selector;
        self.workloads
            .iter()
            .filter(move |w| !sel.is_empty() && sel.iter().all(|(k, v)| w.labels.get(k) == Some(v)))
    }

    /// The versions (values of `label`) of the selected workloads that `selector` also selects.
    pub(crate) fn versions_selected_by(&self, selector: &Labels, label: &str) -> BTreeSet<String> {
        self.selected()
            .filter(|w| selector.iter().all(|(k, v)| w.labels.get(k) == Some(v)))
            .filter_map(|w| w.labels.get(label).cloned())
            .collect()
    }

    /// Of `candidates`, the object that stands for `version` (as `version_of` reads it): the one
    /// named `<service>-<version>` if it qualifies, else the first by name.
    pub(crate) fn per_version_object<'a>(
        &self,
        candidates: &'a [Json],
        version: &str,
        version_of: impl Fn(&Json) -> Option<String>,
    ) -> Option<&'a Json> {
        let preferred = format!("{}-{version}", self.service.name);
        candidates
            .iter()
            .filter(|o| version_of(o).as_deref() == Some(version))
            .min_by_key(|o| (name_of(o) != preferred, name_of(o)))
    }

    /// The versions (values of `label`) of the selected workloads.
    pub fn versions(&self, label: &str) -> BTreeSet<String> {
        self.selected()
            .filter_map(|w| w.labels.get(label).cloned())
            .collect()
    }

    /// Ready and total replicas per version (controllers and unowned Pods).
    pub fn replicas(&self, label: &str) -> BTreeMap<String, (u32, u32)> {
        let mut out: BTreeMap<String, (u32, u32)> = BTreeMap::new();
        for w in self.selected().filter(|w| !w.owned) {
            if let Some(v) = w.labels.get(label) {
                let e = out.entry(v.clone()).or_default();
                e.0 += w.ready;
                e.1 += w.total;
            }
        }
        out
    }
}

/// One object the plan writes: as it is (`None` when it is new) and as it will be.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// `VirtualService`, `DestinationRule`.
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub before: Option<Json>,
    /// The whole object as it will be (for diffs and `-o yaml`).
    pub after: Json,
    /// What is sent with server-side apply: identity, the resourceVersion read (the
    /// precondition), meshdeck's labels and annotations, and the spec.
    pub apply: Json,
}

impl Change {
    pub fn is_new(&self) -> bool {
        self.before.is_none()
    }

    pub fn describe(&self) -> String {
        format!("{} {}/{}", self.kind, self.namespace, self.name)
    }
}

/// A deletion `--reset` makes (of an object meshdeck created).
#[derive(Clone, Debug, PartialEq)]
pub struct Deletion {
    pub kind: String,
    pub api_version: String,
    pub name: String,
    pub namespace: String,
    /// The uid and resourceVersion read: the delete's precondition, so that an object
    /// recreated or edited since meshdeck read it is not deleted.
    pub uid: Option<String>,
    pub resource_version: Option<String>,
    pub before: Json,
}

impl Deletion {
    pub fn describe(&self) -> String {
        format!("{} {}/{}", self.kind, self.namespace, self.name)
    }
}

/// What a shift or a reset will do.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShiftPlan {
    pub changes: Vec<Change>,
    pub deletions: Vec<Deletion>,
    /// What each version is routed to in the new route (version -> Istio subset, per-version
    /// Service, or App Mesh VirtualNode).
    pub subsets: BTreeMap<String, String>,
}

impl ShiftPlan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.deletions.is_empty()
    }
}

/// One row of `--show`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SplitRow {
    pub version: String,
    /// What the version is routed to, if it is: an Istio subset, a per-version Service
    /// (Gateway API) or a VirtualNode (App Mesh).
    pub subset: Option<String>,
    /// The configured share in percent (0 when the version is not routed). Gateway API and
    /// App Mesh weights are proportional: this is weight / sum of the route's weights.
    pub weight: u32,
    pub ready: u32,
    pub total: u32,
}

/// The split as configured.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CurrentSplit {
    pub service: String,
    pub namespace: String,
    pub backend: Backend,
    /// The object holding the route (`VirtualService ns/name`, `HTTPRoute ns/name`,
    /// `VirtualRouter ns/name`), if one exists.
    pub routed_by: Option<String>,
    pub rows: Vec<SplitRow>,
    /// Destinations of the route that are no version of the Service (another host, a subset
    /// that selects nothing), as `host[/subset]=weight`.
    pub other: Vec<String>,
}

/// Plans `--to` with `backend`.
pub fn plan_shift(
    backend: Backend,
    current: &Current,
    split: &[VersionWeight],
    opts: &ShiftOptions,
) -> Result<ShiftPlan, ShiftError> {
    match backend {
        Backend::Istio => istio::plan_shift(current, split, opts),
        Backend::GatewayApi => gateway_api::plan_shift(current, split, opts),
        Backend::AppMesh => appmesh::plan_shift(current, split, opts),
    }
}

/// Plans `--reset` with `backend`.
pub fn plan_reset(backend: Backend, current: &Current) -> Result<ShiftPlan, ShiftError> {
    match backend {
        Backend::Istio => istio::plan_reset(current),
        Backend::GatewayApi => gateway_api::plan_reset(current),
        Backend::AppMesh => appmesh::plan_reset(current),
    }
}

/// The split as `backend`'s objects configure it.
pub fn current_split(
    backend: Backend,
    current: &Current,
    opts: &ShiftOptions,
) -> Result<CurrentSplit, ShiftError> {
    match backend {
        Backend::Istio => istio::current_split(current, opts),
        Backend::GatewayApi => gateway_api::current_split(current, opts),
        Backend::AppMesh => appmesh::current_split(current, opts),
    }
}

/// The checks every backend makes first: the Service has a selector, and every version of the
/// split is one of its workloads' (unless `--allow-missing`).
pub(crate) fn check_versions(
    current: &Current,
    split: &[VersionWeight],
    opts: &ShiftOptions,
) -> Result<(), ShiftError> {
    let svc = &current.service;
    let svc_name = format!("{}/{}", svc.namespace, svc.name);
    if svc.selector.is_empty() {
        return Err(ShiftError::NoSelector(svc_name));
    }
    let label = opts.version_label.as_str();
    let known = current.versions(label);
    let unknown: Vec<String> = split
        .iter()
        .filter(|v| !known.contains(&v.version))
        .map(|v| v.version.clone())
        .collect();
    if !unknown.is_empty() && !opts.allow_missing {
        return Err(ShiftError::UnknownVersions {
            service: format!("Service {svc_name}"),
            label: label.to_string(),
            unknown,
            known: known.into_iter().collect(),
        });
    }
    Ok(())
}

/// The rows of `--show`: every version of the workloads and of the route (version -> (target,
/// percent)), with ready/total replicas.
pub(crate) fn split_rows(
    current: &Current,
    label: &str,
    weights: BTreeMap<String, (String, u32)>,
    backend: Backend,
    routed_by: Option<String>,
    other: Vec<String>,
) -> CurrentSplit {
    let replicas = current.replicas(label);
    let mut versions: BTreeSet<String> = current.versions(label);
    versions.extend(weights.keys().cloned());
    let rows = versions
        .into_iter()
        .map(|v| {
            let (ready, total) = replicas.get(&v).copied().unwrap_or((0, 0));
            let (subset, weight) = match weights.get(&v) {
                Some((s, w)) => (Some(s.clone()), *w),
                None => (None, 0),
            };
            SplitRow {
                version: v,
                subset,
                weight,
                ready,
                total,
            }
        })
        .collect();
    CurrentSplit {
        service: current.service.name.clone(),
        namespace: current.service.namespace.clone(),
        backend,
        routed_by,
        rows,
        other,
    }
}

/// Shares in percent of proportional weights (rounded; 0 for all when they sum to 0).
pub(crate) fn percentages(weights: &[u64]) -> Vec<u32> {
    let sum: u64 = weights.iter().sum();
    weights
        .iter()
        .map(|w| (w * 100 + sum / 2).checked_div(sum).unwrap_or(0) as u32)
        .collect()
}

/// Why a shift cannot be planned or applied. Nothing has changed when one of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum ShiftError {
    #[error("--to {input:?}: {reason}")]
    BadSplit { input: String, reason: String },
    #[error("--to {input:?}: the weights sum to {sum}, not 100")]
    WeightSum { input: String, sum: u32 },
    #[error(
        "{service}: no version {} among its workloads (known versions of label {label:?}: {})",
        unknown.join(", "), if known.is_empty() { "none".to_string() } else { known.join(", ") }
    )]
    UnknownVersions {
        service: String,
        label: String,
        unknown: Vec<String>,
        known: Vec<String>,
    },
    #[error("Service {namespace}/{name} not found")]
    ServiceNotFound { namespace: String, name: String },
    #[error("Service {0} has no selector, so it has no workloads to shift between")]
    NoSelector(String),
    #[error(
        "{} VirtualServices route the host of {service}: {}",
        names.len(), names.join(", ")
    )]
    AmbiguousVirtualService { service: String, names: Vec<String> },
    #[error("VirtualService {0} not found, or it does not name the Service in its hosts")]
    VirtualServiceNotFound(String),
    #[error(
        "{object} has {} routes without a match in spec.{list}: {}",
        routes.len(), routes.join(", ")
    )]
    AmbiguousRoute {
        object: String,
        list: String,
        routes: Vec<String>,
    },
    #[error("{object} has no route named {route:?} in spec.{list}")]
    RouteNotFound {
        object: String,
        list: String,
        route: String,
    },
    #[error(
        "{} DestinationRules have the host of {service}: {}",
        names.len(), names.join(", ")
    )]
    AmbiguousDestinationRule { service: String, names: Vec<String> },
    #[error(
        "{object}: subset {subset:?} exists but does not select exactly the workloads of version {version}"
    )]
    SubsetNameTaken {
        object: String,
        subset: String,
        version: String,
    },
    #[error("{object}: {reason}")]
    BadObject { object: String, reason: String },
    #[error("{object} exists but does not select exactly the workloads of version {version}")]
    NameTaken { object: String, version: String },
    #[error(
        "Service {service}: no per-version Service selects the workloads of {} (an HTTPRoute weights Services, one per version)",
        missing.iter().map(|(v, _)| v.as_str()).collect::<Vec<_>>().join(", ")
    )]
    VersionServicesMissing {
        service: String,
        label: String,
        /// (version, the Service that would be created)
        missing: Vec<(String, String)>,
    },
    #[error(
        "{} HTTPRoutes are attached to Service {service}: {}",
        names.len(), names.join(", ")
    )]
    AmbiguousHttpRoute { service: String, names: Vec<String> },
    #[error("HTTPRoute {0} not found, or it is not attached to the Service (parentRefs)")]
    HttpRouteNotFound(String),
    #[error(
        "Service {service}: no App Mesh VirtualNode's podSelector selects exactly the workloads of {}",
        versions.join(", ")
    )]
    VirtualNodesMissing {
        service: String,
        versions: Vec<String>,
    },
}

impl ShiftError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            ShiftError::BadSplit { .. } | ShiftError::WeightSum { .. } => {
                "write --to v2=80,v3=20 (whole numbers summing to 100), or --to v3 for all of it".into()
            }
            ShiftError::UnknownVersions { .. } => {
                "name a known version, set --version-label, or pass --allow-missing to route ahead of a rollout".into()
            }
            ShiftError::ServiceNotFound { .. } => "check the name and -n NAMESPACE".into(),
            ShiftError::NoSelector(_) => return None,
            ShiftError::AmbiguousVirtualService { .. } => {
                "name the one to edit with --virtual-service NAME".into()
            }
            ShiftError::VirtualServiceNotFound(_) => {
                "list them with kubectl get virtualservices".into()
            }
            ShiftError::AmbiguousRoute { .. } => {
                "give the route to edit a name (spec.http[].name) and pass --route NAME".into()
            }
            ShiftError::RouteNotFound { .. } => "pass the name of a route the object has".into(),
            ShiftError::AmbiguousDestinationRule { .. } => {
                "merge them into one DestinationRule for the host".into()
            }
            ShiftError::SubsetNameTaken { .. } => {
                "rename the subset, or fix its labels to select that version".into()
            }
            ShiftError::BadObject { .. } => return None,
            ShiftError::NameTaken { .. } => {
                "rename it, or fix its selector to select that version".into()
            }
            ShiftError::VersionServicesMissing { missing, label, .. } => format!(
                "pass --create-version-services to create {} (the Service's selector plus {label}=VERSION, its ports), as Istio's bookinfo-versions.yaml does",
                missing.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ")
            ),
            ShiftError::AmbiguousHttpRoute { .. } => {
                "name the one to edit with --http-route NAME".into()
            }
            ShiftError::HttpRouteNotFound(_) => "list them with kubectl get httproutes".into(),
            ShiftError::VirtualNodesMissing { .. } => {
                "create a VirtualNode per version whose podSelector.matchLabels selects that version's pods (app and version labels), as the yelb walkthrough does for yelb-appserver-v2".into()
            }
        })
    }

    pub fn code(&self) -> &'static str {
        match self {
            ShiftError::BadSplit { .. } => "traffic::bad_split",
            ShiftError::WeightSum { .. } => "traffic::weight_sum",
            ShiftError::UnknownVersions { .. } => "traffic::unknown_version",
            ShiftError::ServiceNotFound { .. } => "traffic::service_not_found",
            ShiftError::NoSelector(_) => "traffic::no_selector",
            ShiftError::AmbiguousVirtualService { .. } => "traffic::ambiguous_virtual_service",
            ShiftError::VirtualServiceNotFound(_) => "traffic::virtual_service_not_found",
            ShiftError::AmbiguousRoute { .. } => "traffic::ambiguous_route",
            ShiftError::RouteNotFound { .. } => "traffic::route_not_found",
            ShiftError::AmbiguousDestinationRule { .. } => "traffic::ambiguous_destination_rule",
            ShiftError::SubsetNameTaken { .. } => "traffic::subset_name_taken",
            ShiftError::BadObject { .. } => "traffic::bad_object",
            ShiftError::NameTaken { .. } => "traffic::name_taken",
            ShiftError::VersionServicesMissing { .. } => "traffic::version_services_missing",
            ShiftError::AmbiguousHttpRoute { .. } => "traffic::ambiguous_http_route",
            ShiftError::HttpRouteNotFound(_) => "traffic::http_route_not_found",
            ShiftError::VirtualNodesMissing { .. } => "traffic::virtual_nodes_missing",
        }
    }

    /// Whether the error is about a flag's value (exit code 64).
    pub fn is_bad_flag_value(&self) -> bool {
        matches!(
            self,
            ShiftError::BadSplit { .. } | ShiftError::WeightSum { .. }
        )
    }
}

impl miette::Diagnostic for ShiftError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(ShiftError::code(self)))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.hint()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
}

/// A new object marked as meshdeck's, with Kiali's wizard label (so Kiali offers to update it).
pub(crate) fn new_object(
    api_version: &str,
    kind: &str,
    name: &str,
    namespace: &str,
    wizard: &str,
    spec: Json,
) -> Json {
    json!({
        "apiVersion": api_version,
        "kind": kind,
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": {KIALI_WIZARD_LABEL: wizard},
            "annotations": {CREATED_ANNOTATION: "true"},
        },
        "spec": spec,
    })
}

pub(crate) fn spec_mut<'a>(
    obj: &'a mut Json,
    desc: &str,
) -> Result<&'a mut Map<String, Json>, ShiftError> {
    if obj.get("spec").is_none_or(Json::is_null) {
        obj["spec"] = json!({});
    }
    obj["spec"]
        .as_object_mut()
        .ok_or_else(|| ShiftError::BadObject {
            object: desc.to_string(),
            reason: "spec is not a mapping".into(),
        })
}

pub(crate) fn array_mut<'a>(
    spec: &'a mut Map<String, Json>,
    key: &str,
    desc: &str,
) -> Result<&'a mut Vec<Json>, ShiftError> {
    let entry = spec.entry(key.to_string()).or_insert_with(|| json!([]));
    if entry.is_null() {
        *entry = json!([]);
    }
    entry.as_array_mut().ok_or_else(|| ShiftError::BadObject {
        object: desc.to_string(),
        reason: format!("spec.{key} is not a list"),
    })
}

/// The change from `before` to `after` (with the previous spec kept for `--reset`), or `None`
/// when the spec is the same.
pub(crate) fn change(before: Option<&Json>, mut after: Json, kind: &str) -> Option<Change> {
    if let Some(b) = before {
        if b.get("spec") == after.get("spec") {
            return None;
        }
        if !created_by_meshdeck(b) && annotation(b, PREVIOUS_SPEC_ANNOTATION).is_none() {
            let previous = serde_json::to_string(b.get("spec").unwrap_or(&Json::Null))
                .expect("JSON values serialize");
            set_annotation(&mut after, PREVIOUS_SPEC_ANNOTATION, Some(previous));
        }
    }
    let apply = apply_body(&after, before.is_some());
    Some(Change {
        kind: kind.to_string(),
        name: name_of(&after),
        namespace: after
            .pointer("/metadata/namespace")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string(),
        before: before.cloned(),
        after,
        apply,
    })
}

pub(crate) fn set_annotation(obj: &mut Json, key: &str, value: Option<String>) {
    let meta = &mut obj["metadata"];
    if meta.get("annotations").is_none_or(|a| !a.is_object()) {
        meta["annotations"] = json!({});
    }
    let annotations = meta["annotations"].as_object_mut().expect("a mapping");
    match value {
        Some(v) => {
            annotations.insert(key.to_string(), Json::String(v));
        }
        None => {
            annotations.remove(key);
        }
    }
}

/// What server-side apply is sent: meshdeck's fields only (its annotations, and Kiali's label
/// on objects it created), the spec, and the resourceVersion that was read, so that an edit
/// made in between is refused instead of overwritten.
pub(crate) fn apply_body(after: &Json, existed: bool) -> Json {
    let meta = &after["metadata"];
    let mut metadata = json!({"name": meta["name"], "namespace": meta["namespace"]});
    if existed && let Some(rv) = meta.get("resourceVersion") {
        metadata["resourceVersion"] = rv.clone();
    }
    let ours: Map<String, Json> = meta
        .get("annotations")
        .and_then(Json::as_object)
        .map(|a| {
            a.iter()
                .filter(|(k, _)| k.starts_with("meshdeck.io/traffic-shift-"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    if !ours.is_empty() {
        metadata["annotations"] = Json::Object(ours);
    }
    if created_by_meshdeck(after)
        && let Some(w) = meta.pointer(&format!("/labels/{KIALI_WIZARD_LABEL}"))
    {
        metadata["labels"] = json!({KIALI_WIZARD_LABEL: w});
    }
    json!({
        "apiVersion": after["apiVersion"],
        "kind": after["kind"],
        "metadata": metadata,
        "spec": after.get("spec").cloned().unwrap_or_else(|| json!({})),
    })
}

/// Plans `--reset` over the routing objects of a Service (`(kind, object)`): objects meshdeck
/// created are deleted (guarded by their uid and resourceVersion); objects it changed get the
/// spec they had before its first change back. Objects it did not touch are left alone.
pub(crate) fn reset_plan<'a>(
    namespace: &str,
    candidates: impl IntoIterator<Item = (&'a str, &'a Json)>,
) -> Result<ShiftPlan, ShiftError> {
    let mut plan = ShiftPlan::default();
    for (kind, obj) in candidates {
        let desc = describe(kind, obj);
        if created_by_meshdeck(obj) {
            plan.deletions.push(Deletion {
                kind: kind.to_string(),
                api_version: obj["apiVersion"].as_str().unwrap_or("").to_string(),
                name: name_of(obj),
                namespace: namespace.to_string(),
                uid: obj
                    .pointer("/metadata/uid")
                    .and_then(Json::as_str)
                    .map(str::to_string),
                resource_version: obj
                    .pointer("/metadata/resourceVersion")
                    .and_then(Json::as_str)
                    .map(str::to_string),
                before: obj.clone(),
            });
        } else if let Some(previous) = annotation(obj, PREVIOUS_SPEC_ANNOTATION) {
            let spec: Json = serde_json::from_str(previous).map_err(|e| ShiftError::BadObject {
                object: desc.clone(),
                reason: format!(
                    "annotation {PREVIOUS_SPEC_ANNOTATION} is not the JSON of a spec ({e})"
                ),
            })?;
            let mut after = obj.clone();
            after["spec"] = spec;
            set_annotation(&mut after, PREVIOUS_SPEC_ANNOTATION, None);
            let apply = apply_body(&after, true);
            plan.changes.push(Change {
                kind: kind.to_string(),
                name: name_of(obj),
                namespace: namespace.to_string(),
                before: Some(obj.clone()),
                after,
                apply,
            });
        }
    }
    Ok(plan)
}

pub(crate) fn name_of(obj: &Json) -> String {
    obj.pointer("/metadata/name")
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_string()
}

pub(crate) fn annotation<'a>(obj: &'a Json, key: &str) -> Option<&'a str> {
    obj.pointer("/metadata/annotations")
        .and_then(|a| a.get(key))
        .and_then(Json::as_str)
}

pub(crate) fn created_by_meshdeck(obj: &Json) -> bool {
    annotation(obj, CREATED_ANNOTATION) == Some("true")
}

pub(crate) fn describe(kind: &str, obj: &Json) -> String {
    let ns = obj
        .pointer("/metadata/namespace")
        .and_then(Json::as_str)
        .unwrap_or("");
    format!("{kind} {ns}/{}", name_of(obj))
}

pub(crate) fn string_map(v: Option<&Json>) -> Labels {
    v.and_then(Json::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_is_versions_with_whole_weights_summing_to_100() {
        let split = parse_split("v2=80, v3=20").unwrap();
        assert_eq!(
            split,
            [
                VersionWeight {
                    version: "v2".into(),
                    weight: 80
                },
                VersionWeight {
                    version: "v3".into(),
                    weight: 20
                }
            ]
        );
        assert_eq!(parse_split("v3").unwrap()[0].weight, 100);
        assert_eq!(parse_split("v1=100,v2=0").unwrap().len(), 2);
    }

    #[test]
    fn every_bad_split_says_what_is_wrong() {
        let err = |s: &str| parse_split(s).unwrap_err().to_string();
        assert_eq!(
            err("v2=80,v3=30"),
            "--to \"v2=80,v3=30\": the weights sum to 110, not 100"
        );
        assert!(err("v2=80,v3").contains("\"v3\" has no weight"));
        assert!(err("v2=8.5,v3=91.5").contains("not a whole number"));
        assert!(err("v2=-5,v3=105").contains("not a whole number"));
        assert!(err("v2=50,v2=50").contains("v2 is named twice"));
        assert!(err("=100").contains("names no version"));
        assert!(err("").contains("names no version"));
        assert!(err("v2=200").contains("more than 100"));
        assert!(parse_split("v2=80,v3=30").unwrap_err().is_bad_flag_value());
    }

    #[test]
    fn hosts_of_the_service_in_every_form() {
        let svc = Service {
            name: "reviews".into(),
            namespace: "shop".into(),
            selector: Labels::new(),
            ports: vec![],
        };
        for h in [
            "reviews",
            "reviews.shop",
            "reviews.shop.svc",
            "reviews.shop.svc.cluster.local",
        ] {
            assert!(svc.is_host(h), "{h}");
        }
        for h in ["ratings", "reviews.other", "reviews.shopx.svc", "*"] {
            assert!(!svc.is_host(h), "{h}");
        }
    }
}
