//! Readiness with a deadline, watch-based: Deployments, StatefulSets and DaemonSets as
//! `kubectl rollout status` defines it, CRDs Established, Namespaces Active, Jobs complete, Pods
//! Ready; any other kind is ready once it exists. On timeout each unready object comes back with
//! the reasons its conditions and its pods give (ImagePullBackOff, Unschedulable, ...).

use std::sync::Mutex;
use std::time::Duration;

use ::kube::api::DynamicObject;
use ::kube::runtime::WatchStreamExt;
use ::kube::runtime::watcher::{self, watch_object};
use futures::StreamExt;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{Namespace, Pod};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use super::error::{KubeError, Unready};
use super::{Kube, ObjectRef};

/// Where an object stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    /// Not yet, and what it waits for.
    Waiting(String),
    /// Never will be without a change (a failed Job, a Deployment past its progress deadline).
    Failed(String),
}

impl Readiness {
    fn is_final(&self) -> bool {
        !matches!(self, Readiness::Waiting(_))
    }
}

fn typed<K: DeserializeOwned>(obj: &DynamicObject) -> Result<K, Readiness> {
    serde_json::to_value(obj)
        .and_then(serde_json::from_value)
        .map_err(|e| Readiness::Waiting(format!("its status cannot be read: {e}")))
}

/// Readiness of one object, from its status alone.
pub fn readiness(obj: &DynamicObject, group: &str, kind: &str) -> Readiness {
    let result = match (group, kind) {
        ("apps", "Deployment") => typed::<Deployment>(obj).map(|d| deployment(&d)),
        ("apps", "StatefulSet") => typed::<StatefulSet>(obj).map(|s| stateful_set(&s)),
        ("apps", "DaemonSet") => typed::<DaemonSet>(obj).map(|d| daemon_set(&d)),
        ("apiextensions.k8s.io", "CustomResourceDefinition") => {
            typed::<CustomResourceDefinition>(obj).map(|c| {
                let conds = c.status.and_then(|s| s.conditions).unwrap_or_default();
                let find = |t: &str| conds.iter().find(|c| c.type_ == t);
                match (find("Established"), find("NamesAccepted")) {
                    (Some(e), _) if e.status == "True" => Readiness::Ready,
                    (_, Some(n)) if n.status == "False" => Readiness::Failed(format!(
                        "names not accepted: {}",
                        n.message.clone().unwrap_or_default()
                    )),
                    _ => Readiness::Waiting("not Established yet".into()),
                }
            })
        }
        ("", "Namespace") => {
            typed::<Namespace>(obj).map(|n| match n.status.and_then(|s| s.phase).as_deref() {
                Some("Active") => Readiness::Ready,
                Some(phase) => Readiness::Waiting(format!("phase {phase}, not Active")),
                None => Readiness::Waiting("no phase yet".into()),
            })
        }
        ("batch", "Job") => typed::<Job>(obj).map(|j| {
            let conds = j.status.and_then(|s| s.conditions).unwrap_or_default();
            let is = |t: &str| conds.iter().find(|c| c.type_ == t && c.status == "True");
            if is("Complete").is_some() {
                Readiness::Ready
            } else if let Some(f) = is("Failed") {
                Readiness::Failed(format!(
                    "failed: {}: {}",
                    f.reason.clone().unwrap_or_default(),
                    f.message.clone().unwrap_or_default()
                ))
            } else {
                Readiness::Waiting("not complete".into())
            }
        }),
        ("", "Pod") => typed::<Pod>(obj).map(|p| {
            let status = p.status.unwrap_or_default();
            match status.phase.as_deref() {
                Some("Succeeded") => return Readiness::Ready,
                Some("Failed") => {
                    return Readiness::Failed(format!(
                        "failed: {}",
                        status.reason.unwrap_or_default()
                    ));
                }
                _ => {}
            }
            let ready = status
                .conditions
                .unwrap_or_default()
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True");
            if ready {
                Readiness::Ready
            } else {
                Readiness::Waiting(format!(
                    "not Ready (phase {})",
                    status.phase.as_deref().unwrap_or("unknown")
                ))
            }
        }),
        _ => Ok(Readiness::Ready),
    };
    result.unwrap_or_else(|r| r)
}

fn observed(generation: Option<i64>, observed: Option<i64>) -> bool {
    observed.is_some_and(|o| generation.unwrap_or(0) <= o)
}

fn deployment(d: &Deployment) -> Readiness {
    let status = d.status.clone().unwrap_or_default();
    if !observed(d.metadata.generation, status.observed_generation) {
        return Readiness::Waiting("waiting for the deployment spec update to be observed".into());
    }
    let progress_deadline_exceeded = status.conditions.iter().flatten().any(|c| {
        c.type_ == "Progressing" && c.reason.as_deref() == Some("ProgressDeadlineExceeded")
    });
    if progress_deadline_exceeded {
        return Readiness::Failed("exceeded its progress deadline".into());
    }
    let want = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
    let updated = status.updated_replicas.unwrap_or(0);
    let total = status.replicas.unwrap_or(0);
    let available = status.available_replicas.unwrap_or(0);
    if updated < want {
        Readiness::Waiting(format!(
            "{updated} of {want} new replicas have been updated"
        ))
    } else if total > updated {
        Readiness::Waiting(format!(
            "{} old replicas are pending termination",
            total - updated
        ))
    } else if available < updated {
        Readiness::Waiting(format!(
            "{available} of {updated} updated replicas are available"
        ))
    } else {
        Readiness::Ready
    }
}

fn stateful_set(s: &StatefulSet) -> Readiness {
    let spec = s.spec.clone().unwrap_or_default();
    let status = s.status.clone().unwrap_or_default();
    if !observed(s.metadata.generation, status.observed_generation) {
        return Readiness::Waiting("waiting for the statefulset spec update to be observed".into());
    }
    let want = spec.replicas.unwrap_or(1);
    let ready = status.ready_replicas.unwrap_or(0);
    if ready < want {
        return Readiness::Waiting(format!("{ready} of {want} pods are ready"));
    }
    let strategy = spec.update_strategy.unwrap_or_default();
    if strategy.type_.as_deref() == Some("OnDelete") {
        return Readiness::Ready;
    }
    let partition = strategy
        .rolling_update
        .and_then(|r| r.partition)
        .unwrap_or(0);
    let updated = status.updated_replicas.unwrap_or(0);
    if partition > 0 {
        let target = want - partition;
        return if updated < target {
            Readiness::Waiting(format!(
                "{updated} of {target} updated pods are ready (partition {partition})"
            ))
        } else {
            Readiness::Ready
        };
    }
    if status.update_revision.is_some() && status.update_revision != status.current_revision {
        return Readiness::Waiting(format!(
            "rolling update in progress: {updated} pods at revision {}",
            status.update_revision.unwrap_or_default()
        ));
    }
    Readiness::Ready
}

fn daemon_set(d: &DaemonSet) -> Readiness {
    let status = d.status.clone().unwrap_or_default();
    if !observed(d.metadata.generation, status.observed_generation) {
        return Readiness::Waiting("waiting for the daemon set spec update to be observed".into());
    }
    let desired = status.desired_number_scheduled;
    let updated = status.updated_number_scheduled.unwrap_or(0);
    let available = status.number_available.unwrap_or(0);
    if updated < desired {
        Readiness::Waiting(format!(
            "{updated} out of {desired} new pods have been updated"
        ))
    } else if available < desired {
        Readiness::Waiting(format!(
            "{available} of {desired} updated pods are available"
        ))
    } else {
        Readiness::Ready
    }
}

/// A label selector in the `a=b,c in (d)` form list calls take.
pub fn selector_string(sel: &LabelSelector) -> String {
    let mut parts: Vec<String> = sel
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for e in sel.match_expressions.iter().flatten() {
        let values = e.values.clone().unwrap_or_default().join(",");
        parts.push(match e.operator.as_str() {
            "In" => format!("{} in ({values})", e.key),
            "NotIn" => format!("{} notin ({values})", e.key),
            "Exists" => e.key.clone(),
            _ => format!("!{}", e.key),
        });
    }
    parts.join(",")
}

/// Why one pod is not running well, from its container statuses and conditions.
pub fn pod_reasons(pod: &Pod) -> Vec<String> {
    let name = pod.metadata.name.as_deref().unwrap_or("?");
    let Some(status) = &pod.status else {
        return vec![format!("pod {name}: no status yet")];
    };
    let mut out = Vec::new();
    let containers = status
        .init_container_statuses
        .iter()
        .flatten()
        .chain(status.container_statuses.iter().flatten());
    for cs in containers {
        let Some(state) = &cs.state else { continue };
        if let Some(w) = &state.waiting {
            let reason = w.reason.as_deref().unwrap_or("waiting");
            let message = w
                .message
                .as_deref()
                .map(|m| format!(": {m}"))
                .unwrap_or_default();
            out.push(format!(
                "pod {name}: container {}: {reason}{message}",
                cs.name
            ));
        } else if let Some(t) = state.terminated.as_ref().filter(|t| t.exit_code != 0) {
            out.push(format!(
                "pod {name}: container {}: terminated with exit code {} ({})",
                cs.name,
                t.exit_code,
                t.reason.as_deref().unwrap_or("no reason given")
            ));
        }
    }
    for c in status.conditions.iter().flatten() {
        if c.type_ == "PodScheduled" && c.status == "False" {
            out.push(format!(
                "pod {name}: not scheduled: {}{}",
                c.reason.as_deref().unwrap_or("Pending"),
                c.message
                    .as_deref()
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default()
            ));
        }
    }
    if out.is_empty() {
        match status.phase.as_deref() {
            Some("Pending") | None => out.push(format!("pod {name}: Pending")),
            Some("Failed") => out.push(format!(
                "pod {name}: Failed: {}",
                status.reason.as_deref().unwrap_or("no reason given")
            )),
            _ => {}
        }
    }
    out
}

/// Conditions that say something is wrong (a `False` positive condition, a `True` failure one).
fn condition_reasons(obj: &DynamicObject) -> Vec<String> {
    let Some(conds) = obj
        .data
        .get("status")
        .and_then(|s| s.get("conditions"))
        .and_then(Json::as_array)
    else {
        return Vec::new();
    };
    conds
        .iter()
        .filter(|c| {
            let negative = matches!(
                c["type"].as_str(),
                Some("ReplicaFailure" | "Failed" | "FailureTarget")
            );
            (negative && c["status"] == "True") || (!negative && c["status"] == "False")
        })
        .map(|c| {
            let text = |k: &str| c[k].as_str().unwrap_or("").to_string();
            let mut s = format!("condition {}={}", text("type"), text("status"));
            if !text("reason").is_empty() {
                s.push_str(&format!(": {}", text("reason")));
            }
            if !text("message").is_empty() {
                s.push_str(&format!(": {}", text("message")));
            }
            s
        })
        .collect()
}

/// Most pods whose reasons are listed for one object.
const MAX_PODS: usize = 5;

/// How long a readiness wait retries a server that does not answer before asking it once
/// more directly and, if that fails too, giving up on it (bounded further by the wait's own
/// timeout). An API server restarting (an upgrade, a control-plane failover) is back well
/// within it; the watcher's backoff (0.8s doubling to 30s) makes about five attempts in it.
pub const UNREACHABLE_GRACE: Duration = Duration::from_secs(30);

/// How long the reasons of an unready object may take to read.
const REASONS_TIMEOUT: Duration = Duration::from_secs(10);

/// A watch that cannot reach the server: since when, and the last failure.
#[derive(Clone, Debug)]
struct Lost {
    since: tokio::time::Instant,
    reason: String,
}

impl Kube {
    /// Watches every object until it is ready, or until `timeout`. Objects that are not ready
    /// by then (or failed for good) come back in [`KubeError::NotReady`] with their reasons.
    pub async fn wait_ready(
        &self,
        objects: &[ObjectRef],
        timeout: Duration,
    ) -> Result<(), KubeError> {
        let states: Vec<Mutex<Readiness>> = objects
            .iter()
            .map(|_| Mutex::new(Readiness::Waiting("not seen yet".into())))
            .collect();
        let lost: Vec<Mutex<Option<Lost>>> = objects.iter().map(|_| Mutex::default()).collect();
        let watches = objects
            .iter()
            .zip(&states)
            .zip(&lost)
            .map(|((obj, slot), lost)| self.watch_until_final(obj, slot, lost));
        let timed_out =
            match tokio::time::timeout(timeout, futures::future::try_join_all(watches)).await {
                Ok(Ok(_)) => false,
                Ok(Err(e)) => return Err(e),
                Err(_) => true,
            };
        // Out of time while the server did not answer: that is the news, not the readiness
        // the watches last saw (and the reasons could not be read anyway).
        let still_lost = objects
            .iter()
            .zip(&states)
            .zip(&lost)
            .find_map(|((obj, slot), lost)| {
                let unready = *slot.lock().unwrap() != Readiness::Ready;
                let lost = lost.lock().unwrap().clone();
                lost.filter(|_| unready).map(|l| (obj, l))
            });
        if let Some((obj, lost)) = still_lost {
            return Err(self.unreachable_while_waiting(obj, &lost));
        }
        let mut unready = Vec::new();
        for (obj, slot) in objects.iter().zip(&states) {
            let state = slot.lock().unwrap().clone();
            let (waiting_for, failed) = match state {
                Readiness::Ready => continue,
                Readiness::Waiting(w) => (w, false),
                Readiness::Failed(f) => (f, true),
            };
            // A server that stops answering now must not keep the error from being said.
            let reasons = tokio::time::timeout(REASONS_TIMEOUT, self.reasons(obj))
                .await
                .unwrap_or_else(|_| {
                    vec![format!(
                        "its conditions and pods could not be read within {}",
                        humantime::format_duration(REASONS_TIMEOUT)
                    )]
                });
            unready.push(Unready {
                object: obj.to_string(),
                waiting_for,
                reasons,
                failed,
            });
        }
        if unready.is_empty() {
            return Ok(());
        }
        Err(KubeError::NotReady {
            timeout,
            timed_out: timed_out && unready.iter().any(|u| !u.failed),
            unready,
        })
    }

    /// [`Kube::wait_ready`] for objects just applied: those the apply's answer already shows
    /// ready (an unchanged Deployment, an established CRD) are not watched.
    pub async fn wait_applied(
        &self,
        applied: &[&super::Applied],
        timeout: Duration,
    ) -> Result<(), KubeError> {
        let pending: Vec<ObjectRef> = applied
            .iter()
            .filter(|a| {
                readiness(&a.live, &a.object.resource.group, &a.object.resource.kind)
                    != Readiness::Ready
            })
            .map(|a| a.object.clone())
            .collect();
        self.wait_ready(&pending, timeout).await
    }

    /// Readiness of one object now (one read, no watch).
    pub async fn readiness(&self, obj: &ObjectRef) -> Result<Readiness, KubeError> {
        Ok(match self.get(obj).await? {
            Some(live) => readiness(&live, &obj.resource.group, &obj.resource.kind),
            None => Readiness::Waiting("does not exist".into()),
        })
    }

    /// Watches one object until its readiness is final. A server that does not answer is
    /// retried with the watcher's backoff for [`UNREACHABLE_GRACE`] (a restarting API server
    /// comes back within it), then given up on with [`KubeError::Unreachable`]; while it is
    /// retried, `lost` says since when and why.
    async fn watch_until_final(
        &self,
        obj: &ObjectRef,
        slot: &Mutex<Readiness>,
        lost: &Mutex<Option<Lost>>,
    ) -> Result<(), KubeError> {
        let stream = watch_object(self.object_api(obj), &obj.name).default_backoff();
        let mut stream = std::pin::pin!(stream);
        loop {
            let since = lost.lock().unwrap().as_ref().map(|l| l.since);
            let event = match since {
                None => stream.next().await,
                Some(since) => {
                    match tokio::time::timeout_at(since + UNREACHABLE_GRACE, stream.next()).await {
                        Ok(event) => event,
                        Err(_) => {
                            // A watch that restarted fine says nothing until the object
                            // changes: ask the server once, directly, before giving up on it.
                            let probe = tokio::time::timeout(REASONS_TIMEOUT, self.get(obj)).await;
                            let live = match probe {
                                Ok(Ok(live)) => live,
                                Ok(Err(KubeError::Unreachable { reason, .. })) => {
                                    let lost = Lost { since, reason };
                                    return Err(self.unreachable_while_waiting(obj, &lost));
                                }
                                Ok(Err(other)) if !matches!(other, KubeError::Api { .. }) => {
                                    return Err(other);
                                }
                                // The server answered (an error of its own): it is there.
                                Ok(Err(_)) => {
                                    *lost.lock().unwrap() = None;
                                    continue;
                                }
                                Err(_) => {
                                    let reason = format!(
                                        "no answer within {}",
                                        humantime::format_duration(REASONS_TIMEOUT)
                                    );
                                    let lost = Lost { since, reason };
                                    return Err(self.unreachable_while_waiting(obj, &lost));
                                }
                            };
                            *lost.lock().unwrap() = None;
                            let state = match live {
                                Some(live) => {
                                    readiness(&live, &obj.resource.group, &obj.resource.kind)
                                }
                                None => Readiness::Waiting("does not exist".into()),
                            };
                            let done = state.is_final();
                            *slot.lock().unwrap() = state;
                            if done {
                                return Ok(());
                            }
                            continue;
                        }
                    }
                }
            };
            let Some(event) = event else {
                return Ok(());
            };
            let state = match event {
                Ok(Some(live)) => readiness(&live, &obj.resource.group, &obj.resource.kind),
                Ok(None) => Readiness::Waiting("does not exist".into()),
                Err(e) => {
                    // Rights and missing kinds do not come right by waiting; the rest (a dropped
                    // connection, an expired watch) the backoff retries.
                    let inner = match e {
                        watcher::Error::InitialListFailed(e)
                        | watcher::Error::WatchStartFailed(e)
                        | watcher::Error::WatchFailed(e) => e,
                        _ => continue,
                    };
                    match inner {
                        ::kube::Error::Api(ref s) if matches!(s.code, 401 | 403 | 404) => {
                            return Err(self.error(&format!("watch {obj}"), inner));
                        }
                        // The server answered: it is there.
                        ::kube::Error::Api(_) => *lost.lock().unwrap() = None,
                        _ => {
                            let reason = match self.error(&format!("watch {obj}"), inner) {
                                KubeError::Unreachable { reason, .. } => reason,
                                // Credentials that stopped working: said as they are.
                                other => return Err(other),
                            };
                            let mut lost = lost.lock().unwrap();
                            let since = lost
                                .as_ref()
                                .map_or_else(tokio::time::Instant::now, |l| l.since);
                            *lost = Some(Lost { since, reason });
                        }
                    }
                    continue;
                }
            };
            *lost.lock().unwrap() = None;
            let done = state.is_final();
            *slot.lock().unwrap() = state;
            if done {
                return Ok(());
            }
        }
    }

    /// The server stopped answering while `obj` was waited for.
    fn unreachable_while_waiting(&self, obj: &ObjectRef, lost: &Lost) -> KubeError {
        let retried = humantime::format_duration(std::time::Duration::from_secs(
            lost.since.elapsed().as_secs(),
        ));
        KubeError::Unreachable {
            server: self.server().to_string(),
            reason: format!(
                "{} (lost while waiting for {obj} to be ready; retried for {retried})",
                lost.reason
            ),
        }
    }

    /// Why an object is not ready: its conditions, then its pods'.
    async fn reasons(&self, obj: &ObjectRef) -> Vec<String> {
        let Ok(Some(live)) = self.get(obj).await else {
            return Vec::new();
        };
        let mut out = condition_reasons(&live);
        let kind = (obj.resource.group.as_str(), obj.resource.kind.as_str());
        let selector = match kind {
            ("apps", "Deployment" | "StatefulSet" | "DaemonSet") | ("batch", "Job") => live
                .data
                .pointer("/spec/selector")
                .cloned()
                .and_then(|s| serde_json::from_value::<LabelSelector>(s).ok())
                .map(|s| selector_string(&s)),
            ("", "Pod") => {
                if let Ok(pod) = typed::<Pod>(&live) {
                    out.extend(pod_reasons(&pod));
                }
                None
            }
            _ => None,
        };
        let (Some(selector), Some(ns)) = (selector, obj.namespace.as_deref()) else {
            return out;
        };
        let pods: ::kube::Api<Pod> = ::kube::Api::namespaced(self.client().clone(), ns);
        match pods
            .list(&::kube::api::ListParams::default().labels(&selector))
            .await
        {
            Ok(list) if list.items.is_empty() => out.push(format!("no pods match {selector}")),
            Ok(list) => {
                let with_reasons: Vec<Vec<String>> = list
                    .items
                    .iter()
                    .map(pod_reasons)
                    .filter(|r| !r.is_empty())
                    .collect();
                let more = with_reasons.len().saturating_sub(MAX_PODS);
                out.extend(with_reasons.into_iter().take(MAX_PODS).flatten());
                if more > 0 {
                    out.push(format!("and {more} more pods"));
                }
            }
            Err(e) => out.push(format!(
                "its pods cannot be listed: {}",
                self.error("list pods", e)
            )),
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Json) -> DynamicObject {
        serde_json::from_value(v).unwrap()
    }

    fn state(group: &str, kind: &str, v: Json) -> Readiness {
        readiness(&obj(v), group, kind)
    }

    fn waiting(s: &str) -> Readiness {
        Readiness::Waiting(s.into())
    }

    #[test]
    fn deployments_follow_rollout_status() {
        let dep = |status: Json| {
            state(
                "apps",
                "Deployment",
                json!({"apiVersion": "apps/v1", "kind": "Deployment",
                    "metadata": {"name": "d", "generation": 2}, "spec": {"replicas": 2}, "status": status}),
            )
        };
        assert_eq!(
            dep(json!({"observedGeneration": 1})),
            waiting("waiting for the deployment spec update to be observed")
        );
        assert_eq!(
            dep(json!({"observedGeneration": 2, "replicas": 2, "updatedReplicas": 1})),
            waiting("1 of 2 new replicas have been updated")
        );
        assert_eq!(
            dep(json!({"observedGeneration": 2, "replicas": 3, "updatedReplicas": 2})),
            waiting("1 old replicas are pending termination")
        );
        assert_eq!(
            dep(
                json!({"observedGeneration": 2, "replicas": 2, "updatedReplicas": 2, "availableReplicas": 1})
            ),
            waiting("1 of 2 updated replicas are available")
        );
        assert_eq!(
            dep(
                json!({"observedGeneration": 2, "replicas": 2, "updatedReplicas": 2, "availableReplicas": 2})
            ),
            Readiness::Ready
        );
        assert_eq!(
            dep(
                json!({"observedGeneration": 2, "conditions": [{"type": "Progressing", "status": "False",
                "reason": "ProgressDeadlineExceeded"}]})
            ),
            Readiness::Failed("exceeded its progress deadline".into())
        );
    }

    #[test]
    fn stateful_sets_count_ready_pods_and_revisions() {
        let sts = |spec: Json, status: Json| {
            state(
                "apps",
                "StatefulSet",
                json!({"apiVersion": "apps/v1", "kind": "StatefulSet",
                    "metadata": {"name": "s", "generation": 1}, "spec": spec, "status": status}),
            )
        };
        let base = json!({"replicas": 3, "selector": {}, "serviceName": "s", "template": {}});
        assert_eq!(
            sts(
                base.clone(),
                json!({"observedGeneration": 1, "replicas": 3, "readyReplicas": 2})
            ),
            waiting("2 of 3 pods are ready")
        );
        assert_eq!(
            sts(
                base.clone(),
                json!({"observedGeneration": 1, "replicas": 3, "readyReplicas": 3, "updatedReplicas": 1,
                "currentRevision": "s-1", "updateRevision": "s-2"})
            ),
            waiting("rolling update in progress: 1 pods at revision s-2")
        );
        let mut partitioned = base.clone();
        partitioned["updateStrategy"] =
            json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 2}});
        assert_eq!(
            sts(
                partitioned,
                json!({"observedGeneration": 1, "replicas": 3, "readyReplicas": 3, "updatedReplicas": 1,
                "currentRevision": "s-1", "updateRevision": "s-2"})
            ),
            Readiness::Ready,
            "a partition leaves the lower ordinals at the old revision"
        );
        assert_eq!(
            sts(
                base,
                json!({"observedGeneration": 1, "replicas": 3, "readyReplicas": 3, "updatedReplicas": 3,
                "currentRevision": "s-2", "updateRevision": "s-2"})
            ),
            Readiness::Ready
        );
    }

    #[test]
    fn daemon_sets_count_updated_and_available_pods() {
        let ds = |status: Json| {
            state(
                "apps",
                "DaemonSet",
                json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
                    "metadata": {"name": "x", "generation": 1}, "status": status}),
            )
        };
        let base = json!({"observedGeneration": 1, "currentNumberScheduled": 3, "numberMisscheduled": 0,
            "desiredNumberScheduled": 3, "numberReady": 0});
        let mut s = base.clone();
        s["updatedNumberScheduled"] = 2.into();
        assert_eq!(ds(s), waiting("2 out of 3 new pods have been updated"));
        let mut s = base.clone();
        s["updatedNumberScheduled"] = 3.into();
        s["numberAvailable"] = 1.into();
        assert_eq!(ds(s), waiting("1 of 3 updated pods are available"));
        let mut s = base;
        s["updatedNumberScheduled"] = 3.into();
        s["numberAvailable"] = 3.into();
        assert_eq!(ds(s), Readiness::Ready);
    }

    #[test]
    fn other_kinds_by_their_conditions_or_existence() {
        let crd = |conds: Json| {
            state(
                "apiextensions.k8s.io",
                "CustomResourceDefinition",
                json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                    "metadata": {"name": "a.b"}, "spec": {"group": "b", "scope": "Namespaced",
                    "names": {"plural": "a", "kind": "A"}, "versions": []},
                    "status": {"conditions": conds, "acceptedNames": {"plural": "a", "kind": "A"}, "storedVersions": []}}),
            )
        };
        assert_eq!(
            crd(json!([{"type": "Established", "status": "True"}])),
            Readiness::Ready
        );
        assert_eq!(
            crd(json!([{"type": "NamesAccepted", "status": "False", "message": "taken"}])),
            Readiness::Failed("names not accepted: taken".into())
        );
        let ns = |phase: &str| {
            state(
                "",
                "Namespace",
                json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n"}, "status": {"phase": phase}}),
            )
        };
        assert_eq!(ns("Active"), Readiness::Ready);
        assert_eq!(ns("Terminating"), waiting("phase Terminating, not Active"));
        let job = |conds: Json| {
            state(
                "batch",
                "Job",
                json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
                    "status": {"conditions": conds}}),
            )
        };
        assert_eq!(
            job(json!([{"type": "Complete", "status": "True"}])),
            Readiness::Ready
        );
        assert_eq!(job(json!([])), waiting("not complete"));
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}});
        assert_eq!(state("", "ConfigMap", cm), Readiness::Ready);
    }

    #[test]
    fn selectors_become_list_selectors() {
        let sel: LabelSelector = serde_json::from_value(json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["a", "b"]},
                {"key": "env", "operator": "NotIn", "values": ["dev"]},
                {"key": "canary", "operator": "Exists"},
                {"key": "legacy", "operator": "DoesNotExist"}]
        }))
        .unwrap();
        assert_eq!(
            selector_string(&sel),
            "app=web,tier in (a,b),env notin (dev),canary,!legacy"
        );
    }
}
