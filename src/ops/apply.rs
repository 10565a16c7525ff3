//! Applying a set of objects the way `install`, `install addons` and `install sample` do:
//! concurrently, each outcome reported as a user would call it, field conflicts gathered for
//! every object at once, then the workloads among them waited for.

use std::collections::HashMap;

use futures::StreamExt as _;
use kube::api::DynamicObject;
use serde_json::Value as Json;

use crate::install::apply::ServerCaps;
use crate::kube::{
    Applied, ApplyOptions, FieldConflict, Kube, KubeError, ObjectRef, ServerVersion,
};

/// At most this many applies in flight: enough to hide the round trips, few enough not to
/// crowd a small API server.
const APPLY_CONCURRENCY: usize = 8;

/// Objects as someone just read them (the install's precheck), by
/// [`crate::install::apply::identity`]; `None`: it was absent. The apply reads what is not here.
pub type Known = HashMap<String, Option<DynamicObject>>;

/// Why a set of objects did not go in.
#[derive(Debug)]
pub enum SetError {
    Kube(KubeError),
    /// Every object with fields another manager owns, and those fields.
    Conflicts(Vec<(String, Vec<FieldConflict>)>),
}

/// The server's version and what it can hold of what Istio's charts and addons render.
pub async fn server_caps(kube: &Kube) -> Result<(ServerVersion, ServerCaps), KubeError> {
    let version = kube.server_version().await?;
    let served = |api: &'static str, kind: &'static str| async move {
        Ok::<bool, KubeError>(matches!(
            kube.find(api, kind).await?,
            Some(r) if r.fallback_from.is_none()
        ))
    };
    let (hpa, pdb) = futures::join!(
        served("autoscaling/v2", "HorizontalPodAutoscaler"),
        served("policy/v1", "PodDisruptionBudget"),
    );
    let caps = ServerCaps::new(version.minor, hpa?, pdb?);
    Ok((version, caps))
}

/// Kinds whose readiness is waited for; everything else is ready once it exists.
pub fn waited_for(obj: &ObjectRef) -> bool {
    matches!(
        (obj.resource.group.as_str(), obj.resource.kind.as_str()),
        ("apps", "Deployment" | "DaemonSet" | "StatefulSet")
            | ("apiextensions.k8s.io", "CustomResourceDefinition")
            | ("batch", "Job")
    )
}

/// [`crate::install::apply::identity`] of an object to apply.
pub fn identity(o: &Json) -> String {
    crate::install::apply::identity(
        o["apiVersion"].as_str().unwrap_or(""),
        o["kind"].as_str().unwrap_or(""),
        o["metadata"]["namespace"].as_str(),
        o["metadata"]["name"].as_str().unwrap_or(""),
    )
}

/// Applies every object (nothing in one set depends on another of its objects being there
/// first), with the options `opts` picks for it. Objects in `known` are not read again.
pub async fn apply_set<'o>(
    kube: &Kube,
    objects: &[Json],
    opts: impl Fn(&Json) -> &'o ApplyOptions,
    known: &Known,
) -> Result<Vec<Applied>, SetError> {
    let results: Vec<Result<Applied, KubeError>> = futures::stream::iter(objects)
        .map(|obj| {
            let before = known.get(&identity(obj)).cloned();
            kube.apply_observed(obj, opts(obj), before)
        })
        .buffered(APPLY_CONCURRENCY)
        .collect()
        .await;
    let mut applied = Vec::new();
    let mut conflicts = Vec::new();
    for result in results {
        match result {
            Ok(a) => applied.push(a),
            Err(KubeError::Conflict {
                object,
                conflicts: c,
            }) => conflicts.push((object, c)),
            Err(e) => return Err(SetError::Kube(e)),
        }
    }
    if !conflicts.is_empty() {
        return Err(SetError::Conflicts(conflicts));
    }
    Ok(applied)
}

/// The applied objects whose readiness is waited for ([`waited_for`]).
pub fn to_wait_for(applied: &[Applied]) -> Vec<&Applied> {
    applied.iter().filter(|a| waited_for(&a.object)).collect()
}

/// `waiting for Deployment ns/a and 2 more to be ready`, for a progress line.
pub fn waiting_line(waits: &[&Applied]) -> Option<String> {
    let first = waits.first()?.object.to_string();
    Some(match waits.len() {
        1 => format!("waiting for {first} to be ready"),
        n => format!("waiting for {first} and {} more to be ready", n - 1),
    })
}
