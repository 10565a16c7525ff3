//! The traffic-shift planner: the objects a Service's routing consists of today, plus a request
//! (`--to v2=80,v3=20`), in; the objects as they should be, out. Pure and synchronous: the
//! cluster is read and written in `ops::traffic`. Backends: [`istio`] (DestinationRule subsets
//! and a weighted VirtualService route, the shape Kiali's wizard makes).

pub mod istio;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use crate::resource::Labels;

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
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// What the planner reads: the Service, its workloads and the routing objects of its namespace.
#[derive(Clone, Debug)]
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
}

impl Current {
    /// The workloads the Service's selector selects.
    pub fn selected(&self) -> impl Iterator<Item = &Workload> {
        let sel = &self.service.selector;
        self.workloads
            .iter()
            .filter(move |w| !sel.is_empty() && sel.iter().all(|(k, v)| w.labels.get(k) == Some(v)))
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
    /// Subsets named per version (version -> subset) in the new route.
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
    /// The subset routed to, if any.
    pub subset: Option<String>,
    /// The configured weight (0 when the version is not routed).
    pub weight: u32,
    pub ready: u32,
    pub total: u32,
}

/// The split as configured.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CurrentSplit {
    pub service: String,
    pub namespace: String,
    /// `VirtualService ns/name` holding the route, if one exists.
    pub virtual_service: Option<String>,
    pub rows: Vec<SplitRow>,
    /// Destinations of the route that are no version of the Service (another host, a subset
    /// that selects nothing), as `host[/subset]=weight`.
    pub other: Vec<String>,
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

fn string_map(v: Option<&Json>) -> Labels {
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
