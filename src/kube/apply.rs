//! Server-side apply of any object, dynamic (JSON) or typed, as field manager `meshdeck`.

use ::kube::api::{DynamicObject, Patch, PatchParams};
use serde::Serialize;
use serde_json::Value as Json;

use super::error::{KubeError, field_conflicts};
use super::{Kube, ObjectRef};

/// The field manager meshdeck applies as.
pub const FIELD_MANAGER: &str = "meshdeck";

#[derive(Clone, Debug)]
pub struct ApplyOptions {
    /// Take over fields another manager owns (`--force-conflicts`).
    pub force: bool,
    /// The field manager; [`FIELD_MANAGER`] unless a caller has its own.
    pub field_manager: String,
    /// Where namespaced objects without `metadata.namespace` go; `None` is the context's.
    pub namespace: Option<String>,
    /// Ask the server to validate and default the object without storing it.
    pub dry_run: bool,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            force: false,
            field_manager: FIELD_MANAGER.to_string(),
            namespace: None,
            dry_run: false,
        }
    }
}

/// What an apply did to the object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApplyOutcome {
    Created,
    Configured,
    /// The server stored nothing new (the same resourceVersion).
    Unchanged,
}

/// One applied object.
#[derive(Clone, Debug)]
pub struct Applied {
    pub object: ObjectRef,
    pub outcome: ApplyOutcome,
    /// The object as the server stored it.
    pub live: DynamicObject,
}

/// What [`Kube::apply`] knows of the object before applying it.
enum Before {
    /// Read its metadata (the resourceVersion tells a no-op).
    Metadata,
    /// Read it in full (a no-op stored again is told by its content).
    Full,
    /// The caller read it (`None`: absent).
    Known(Option<Box<DynamicObject>>),
}

/// An object as compared for "did anything change": what the server keeps for bookkeeping
/// (managedFields, resourceVersion, generation) removed.
pub fn comparable(obj: &DynamicObject) -> Json {
    let mut v = serde_json::to_value(obj).unwrap_or_default();
    if let Some(meta) = v.get_mut("metadata").and_then(Json::as_object_mut) {
        for k in ["managedFields", "resourceVersion", "generation"] {
            meta.remove(k);
        }
    }
    v
}

fn describe(obj: &Json) -> String {
    let field = |k: &str| obj.get(k).and_then(Json::as_str).unwrap_or("?").to_string();
    let name = obj
        .pointer("/metadata/name")
        .and_then(Json::as_str)
        .unwrap_or("?");
    format!("{} {name}", field("kind"))
}

impl Kube {
    /// Server-side applies one object. A field another manager owns comes back as
    /// [`KubeError::Conflict`] (field path and owning manager) unless `force` is set.
    pub async fn apply(&self, obj: &Json, opts: &ApplyOptions) -> Result<Applied, KubeError> {
        self.apply_inner(obj, opts, Before::Metadata).await
    }

    /// Like [`Kube::apply`], for callers that report what changed: the object as it was is
    /// `before` when the caller has just read it (`Some(None)`: it was absent), or read here in
    /// full. A stored no-op (some servers store an unchanged apply again, with a new
    /// managedFields time and resourceVersion) is reported as [`ApplyOutcome::Unchanged`].
    pub async fn apply_observed(
        &self,
        obj: &Json,
        opts: &ApplyOptions,
        before: Option<Option<DynamicObject>>,
    ) -> Result<Applied, KubeError> {
        let before = match before {
            Some(known) => Before::Known(known.map(Box::new)),
            None => Before::Full,
        };
        self.apply_inner(obj, opts, before).await
    }

    async fn apply_inner(
        &self,
        obj: &Json,
        opts: &ApplyOptions,
        before: Before,
    ) -> Result<Applied, KubeError> {
        let invalid = |reason: &str| KubeError::InvalidObject {
            object: describe(obj),
            reason: reason.to_string(),
        };
        if !obj.is_object() {
            return Err(invalid("it is not a map"));
        }
        let api_version = obj
            .get("apiVersion")
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| invalid("apiVersion is missing"))?;
        let kind = obj
            .get("kind")
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| invalid("kind is missing"))?;
        let name = obj
            .pointer("/metadata/name")
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| invalid("metadata.name is missing"))?;
        let resolved = self.resolve_exact(api_version, kind).await?;
        let namespace = obj
            .pointer("/metadata/namespace")
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .or(opts.namespace.as_deref())
            .unwrap_or(self.default_namespace());
        let object = resolved.object(Some(namespace), name);
        let mut body = obj.clone();
        match &object.namespace {
            Some(ns) => body["metadata"]["namespace"] = Json::String(ns.clone()),
            None => {
                if let Some(m) = body["metadata"].as_object_mut() {
                    m.remove("namespace");
                }
            }
        }
        let api = self.object_api(&object);
        let read = |e| self.error(&format!("read {object}"), e);
        let before = match before {
            Before::Metadata => api
                .get_metadata_opt(name)
                .await
                .map_err(read)?
                .map(|m| (m.metadata.resource_version, None)),
            Before::Full => api
                .get_opt(name)
                .await
                .map_err(read)?
                .map(|o| (o.metadata.resource_version.clone(), Some(o))),
            Before::Known(known) => known.map(|o| (o.metadata.resource_version.clone(), Some(*o))),
        };
        let mut params = PatchParams::apply(&opts.field_manager);
        params.force = opts.force;
        params.dry_run = opts.dry_run;
        let live = api
            .patch(name, &params, &Patch::Apply(&body))
            .await
            .map_err(|e| match field_conflicts(&e) {
                Some(conflicts) => KubeError::Conflict {
                    object: object.to_string(),
                    conflicts,
                },
                None => self.error(&format!("apply {object}"), e),
            })?;
        let outcome = match before {
            None => ApplyOutcome::Created,
            Some((rv, _)) if rv.is_some() && live.metadata.resource_version == rv => {
                ApplyOutcome::Unchanged
            }
            Some((_, Some(full))) if comparable(&full) == comparable(&live) => {
                ApplyOutcome::Unchanged
            }
            Some(_) => ApplyOutcome::Configured,
        };
        Ok(Applied {
            object,
            outcome,
            live,
        })
    }

    /// Server-side applies a typed object (k8s-openapi or a derived custom resource).
    pub async fn apply_typed<K>(&self, obj: &K, opts: &ApplyOptions) -> Result<Applied, KubeError>
    where
        K: ::kube::Resource<DynamicType = ()> + Serialize,
    {
        let mut json = serde_json::to_value(obj).map_err(|e| KubeError::InvalidObject {
            object: format!(
                "{} {}",
                K::kind(&()),
                obj.meta().name.as_deref().unwrap_or("?")
            ),
            reason: e.to_string(),
        })?;
        // Typed objects may leave the type fields to the Api; server-side apply needs them.
        json["apiVersion"] = Json::String(K::api_version(&()).into_owned());
        json["kind"] = Json::String(K::kind(&()).into_owned());
        self.apply(&json, opts).await
    }
}
