//! Choosing the pod to forward to: Running, Ready, not terminating and scheduled on a node,
//! newest first. Unlike istioctl (which takes the first pod the list returns), a pod that cannot
//! serve is never chosen, and when none fits the error names every pod passed over and why.

use std::fmt;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams};

use super::DashboardError;
use crate::kube::{Kube, KubeError, selector_string};

/// A pod that was passed over, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    pub namespace: String,
    pub name: String,
    pub reason: String,
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}: {}", self.namespace, self.name, self.reason)
    }
}

/// The pod a dashboard forwards to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chosen {
    pub namespace: String,
    pub name: String,
}

impl fmt::Display for Chosen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

/// What to forward to: pods by selector in namespaces tried in order, or one pod by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PodTarget {
    Selector {
        selector: String,
        namespaces: Vec<String>,
    },
    Named {
        namespace: String,
        name: String,
    },
}

impl fmt::Display for PodTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PodTarget::Selector {
                selector,
                namespaces,
            } => write!(f, "pods {selector} in {}", namespaces.join(", ")),
            PodTarget::Named { namespace, name } => write!(f, "pod {namespace}/{name}"),
        }
    }
}

/// Why a pod cannot serve a port-forward, or `None` when it can.
pub fn unfit(pod: &Pod) -> Option<String> {
    if pod.metadata.deletion_timestamp.is_some() {
        return Some("terminating (it is being deleted)".into());
    }
    let Some(status) = &pod.status else {
        return Some("no status yet".into());
    };
    let phase = status.phase.as_deref().unwrap_or("Unknown");
    if phase != "Running" {
        return Some(format!("phase {phase}, not Running"));
    }
    let ready = status
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "Ready");
    match ready {
        Some(c) if c.status == "True" => {}
        Some(c) => {
            let why = c
                .message
                .as_deref()
                .or(c.reason.as_deref())
                .map(|m| format!(": {m}"))
                .unwrap_or_default();
            return Some(format!("not Ready{why}"));
        }
        None => return Some("not Ready (no Ready condition)".into()),
    }
    let scheduled = pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .is_some_and(|n| !n.is_empty());
    if !scheduled {
        return Some("not scheduled on a node".into());
    }
    None
}

/// The newest pod that can serve, or every pod with the reason it cannot.
pub fn choose(pods: &[Pod]) -> Result<&Pod, Vec<Rejected>> {
    let mut fit: Vec<&Pod> = Vec::new();
    let mut rejected = Vec::new();
    for pod in pods {
        match unfit(pod) {
            None => fit.push(pod),
            Some(reason) => rejected.push(Rejected {
                namespace: pod.metadata.namespace.clone().unwrap_or_default(),
                name: pod.metadata.name.clone().unwrap_or_default(),
                reason,
            }),
        }
    }
    // Newest first; equal timestamps (one-second resolution) fall back to the name, so the
    // choice does not depend on the order the server listed them in.
    fit.sort_by(|a, b| {
        let t = |p: &Pod| p.metadata.creation_timestamp.clone();
        t(b).cmp(&t(a))
            .then_with(|| a.metadata.name.cmp(&b.metadata.name))
    });
    fit.first().copied().ok_or(rejected)
}

fn chosen(pod: &Pod) -> Chosen {
    Chosen {
        namespace: pod.metadata.namespace.clone().unwrap_or_default(),
        name: pod.metadata.name.clone().unwrap_or_default(),
    }
}

/// Finds a pod that can serve the target now.
pub async fn find(kube: &Kube, target: &PodTarget) -> Result<Chosen, DashboardError> {
    match target {
        PodTarget::Selector {
            selector,
            namespaces,
        } => find_by_selector(kube, selector, namespaces).await,
        PodTarget::Named { namespace, name } => {
            let api: Api<Pod> = Api::namespaced(kube.client().clone(), namespace);
            let action = format!("get pod {name} in namespace {namespace}");
            match api
                .get_opt(name)
                .await
                .map_err(|e| kube.error(&action, e))?
            {
                None => Err(DashboardError::PodNotFound {
                    namespace: namespace.clone(),
                    name: name.clone(),
                }),
                Some(pod) => match unfit(&pod) {
                    None => Ok(chosen(&pod)),
                    Some(reason) => Err(DashboardError::PodUnfit {
                        namespace: namespace.clone(),
                        name: name.clone(),
                        reason,
                    }),
                },
            }
        }
    }
}

async fn find_by_selector(
    kube: &Kube,
    selector: &str,
    namespaces: &[String],
) -> Result<Chosen, DashboardError> {
    let mut rejected = Vec::new();
    let mut problems: Vec<KubeError> = Vec::new();
    for ns in namespaces {
        let api: Api<Pod> = Api::namespaced(kube.client().clone(), ns);
        let action = format!("list pods in namespace {ns}");
        match api.list(&ListParams::default().labels(selector)).await {
            Ok(list) => match choose(&list.items) {
                Ok(pod) => return Ok(chosen(pod)),
                Err(mut r) => rejected.append(&mut r),
            },
            Err(e) => problems.push(kube.error(&action, e)),
        }
    }
    // Every namespace failed to list: that failure is the answer (forbidden, unreachable).
    if !problems.is_empty() && problems.len() == namespaces.len() {
        return Err(problems.swap_remove(0).into());
    }
    Err(DashboardError::NoPod {
        selector: selector.to_string(),
        namespaces: namespaces.to_vec(),
        rejected,
        problems: problems.iter().map(ToString::to_string).collect(),
    })
}

/// Reads `proxy`'s positional argument: `POD[.NS]`, or `deploy/NAME[.NS]` (also `deployment/`,
/// `pod/`), split on the last dot as istioctl does. Deployments become their pod selector.
pub async fn resolve_named(
    kube: &Kube,
    arg: &str,
    default_namespace: &str,
) -> Result<PodTarget, DashboardError> {
    let (kind, rest) = match arg.split_once('/') {
        Some((k, r)) => (k.to_ascii_lowercase(), r),
        None => ("pod".to_string(), arg),
    };
    let (name, namespace) = match rest.rsplit_once('.') {
        Some((n, ns)) if !n.is_empty() && !ns.is_empty() => (n.to_string(), ns.to_string()),
        _ => (rest.to_string(), default_namespace.to_string()),
    };
    if name.is_empty() {
        return Err(DashboardError::BadTarget {
            arg: arg.to_string(),
            reason: "the name is empty".into(),
        });
    }
    match kind.as_str() {
        "pod" | "pods" | "po" => Ok(PodTarget::Named { namespace, name }),
        "deploy" | "deployment" | "deployments" => {
            let api: Api<Deployment> = Api::namespaced(kube.client().clone(), &namespace);
            let action = format!("get deployment {name} in namespace {namespace}");
            let deploy = api
                .get_opt(&name)
                .await
                .map_err(|e| kube.error(&action, e))?
                .ok_or_else(|| DashboardError::BadTarget {
                    arg: arg.to_string(),
                    reason: format!("deployment {name} not found in namespace {namespace}"),
                })?;
            let selector = deploy
                .spec
                .map(|s| selector_string(&s.selector))
                .unwrap_or_default();
            Ok(PodTarget::Selector {
                selector,
                namespaces: vec![namespace],
            })
        }
        other => Err(DashboardError::BadTarget {
            arg: arg.to_string(),
            reason: format!(
                "{other:?} is not a kind meshdeck forwards to: use POD, pod/NAME or deploy/NAME"
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(name: &str, created: &str, status: serde_json::Value, deleting: bool) -> Pod {
        let mut meta =
            json!({"name": name, "namespace": "istio-system", "creationTimestamp": created});
        if deleting {
            meta["deletionTimestamp"] = json!("2026-01-01T00:10:00Z");
        }
        serde_json::from_value(json!({
            "metadata": meta,
            "spec": {"nodeName": "node-1", "containers": [{"name": "c"}]},
            "status": status,
        }))
        .unwrap()
    }

    fn ready() -> serde_json::Value {
        json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]})
    }

    #[test]
    fn newest_ready_pod_wins_and_unfit_pods_are_named() {
        let pods = vec![
            pod("old", "2026-01-01T00:00:00Z", ready(), false),
            pod("new", "2026-01-01T00:05:00Z", ready(), false),
            pod("newest-gone", "2026-01-01T00:09:00Z", ready(), true),
            pod(
                "starting",
                "2026-01-01T00:08:00Z",
                json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "False",
                    "message": "containers with unready status: [kiali]"}]}),
                false,
            ),
        ];
        assert_eq!(choose(&pods).unwrap().metadata.name.as_deref(), Some("new"));
        let rejected = choose(&pods[2..]).unwrap_err();
        assert_eq!(
            rejected.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "istio-system/newest-gone: terminating (it is being deleted)",
                "istio-system/starting: not Ready: containers with unready status: [kiali]",
            ]
        );
    }

    #[test]
    fn pending_and_unscheduled_pods_are_unfit() {
        let pending = pod(
            "p",
            "2026-01-01T00:00:00Z",
            json!({"phase": "Pending"}),
            false,
        );
        assert_eq!(unfit(&pending).unwrap(), "phase Pending, not Running");
        let mut unscheduled = pod("u", "2026-01-01T00:00:00Z", ready(), false);
        unscheduled.spec.as_mut().unwrap().node_name = None;
        assert_eq!(unfit(&unscheduled).unwrap(), "not scheduled on a node");
        assert!(choose(&[]).unwrap_err().is_empty());
    }
}
