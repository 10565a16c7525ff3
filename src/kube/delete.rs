//! Delete with a propagation policy, list by label selector (in one namespace or all), and
//! get-or-absent.

use ::kube::api::{DeleteParams, DynamicObject, ListParams, PropagationPolicy};
use ::kube::discovery::ApiResource;

use super::error::{KubeError, status_code};
use super::{Kube, ObjectRef};

/// What happens to an object's dependents (`kubectl delete --cascade`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Propagation {
    /// The object goes at once; the garbage collector removes dependents after.
    #[default]
    Background,
    /// The object stays (with a deletion timestamp) until its dependents are gone.
    Foreground,
    /// Dependents are left behind.
    Orphan,
}

/// What a delete did.
#[derive(Clone, Debug)]
pub enum Deleted {
    /// The object is gone.
    Gone,
    /// The server set a deletion timestamp; finalizers or dependents still hold the object
    /// (`Foreground`, or a namespace being emptied).
    Terminating(Box<DynamicObject>),
    /// There was no such object.
    Absent,
}

impl Kube {
    /// Deletes one object.
    pub async fn delete(
        &self,
        obj: &ObjectRef,
        propagation: Propagation,
    ) -> Result<Deleted, KubeError> {
        let params = DeleteParams {
            propagation_policy: Some(match propagation {
                Propagation::Background => PropagationPolicy::Background,
                Propagation::Foreground => PropagationPolicy::Foreground,
                Propagation::Orphan => PropagationPolicy::Orphan,
            }),
            ..DeleteParams::default()
        };
        match self.object_api(obj).delete(&obj.name, &params).await {
            Ok(either) => Ok(match either.left() {
                Some(live) if live.metadata.deletion_timestamp.is_some() => {
                    Deleted::Terminating(Box::new(live))
                }
                _ => Deleted::Gone,
            }),
            Err(e) if status_code(&e) == Some(404) => Ok(Deleted::Absent),
            Err(e) => Err(self.error(&format!("delete {obj}"), e)),
        }
    }

    /// The object, or `None` when it does not exist.
    pub async fn get(&self, obj: &ObjectRef) -> Result<Option<DynamicObject>, KubeError> {
        self.object_api(obj)
            .get_opt(&obj.name)
            .await
            .map_err(|e| self.error(&format!("read {obj}"), e))
    }

    /// Every object of a kind matching a label selector (`app=x,tier!=db`; empty matches all),
    /// in `namespace` or, with `None`, in every namespace. Reads page by page.
    pub async fn list(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        selector: &str,
    ) -> Result<Vec<DynamicObject>, KubeError> {
        let api = self.api(resource, namespace);
        let mut params = ListParams::default().limit(500);
        if !selector.is_empty() {
            params = params.labels(selector);
        }
        let mut out = Vec::new();
        loop {
            let page = api.list(&params).await.map_err(|e| {
                let scope = match namespace {
                    Some(ns) => format!("in namespace {ns}"),
                    None => "in all namespaces".to_string(),
                };
                self.error(&format!("list {} {scope}", resource.plural), e)
            })?;
            out.extend(page.items);
            match page.metadata.continue_.filter(|c| !c.is_empty()) {
                Some(token) => params = params.continue_token(&token),
                None => break,
            }
        }
        Ok(out)
    }
}
