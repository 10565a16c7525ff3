//! A live cluster as a source of resources: the kinds analyzers read, listed through the kube
//! layer (`crate::kube`) concurrently and page by page.

use std::time::{Duration, Instant};

use futures::future::join_all;
use kube::api::{Api, DynamicObject, ListParams};
use kube::discovery::ApiResource;

use super::EXCLUDED_NAMESPACES;
use crate::kube::{Kube, KubeError};
use crate::resource::{Kind, Origin, Resource, document, json};

/// Which cluster to talk to: `--kubeconfig`, `--context`, `--as`, ... as kubectl reads them.
pub type Target = crate::kube::ConnectOptions;

/// What can go wrong reading a cluster.
pub type ClusterError = KubeError;

/// A connected client, with the reads `analyze` makes.
pub struct ClusterClient {
    kube: Kube,
}

/// Resources read from the cluster, with what could not be read.
#[derive(Debug, Default)]
pub struct ClusterRead {
    pub resources: Vec<Resource>,
    pub warnings: Vec<String>,
}

/// Loads the kubeconfig and builds a client (the process's shared one). Nothing is sent yet.
/// Without `--request-timeout`, one request may take as long as the whole run (`timeout`).
pub async fn connect(target: &Target, timeout: Duration) -> Result<ClusterClient, ClusterError> {
    let mut options = target.clone();
    if options.request_timeout.is_none() {
        options.request_timeout = Some(timeout);
    }
    Ok(ClusterClient {
        kube: crate::kube::shared(&options).await?,
    })
}

fn status_code(e: &kube::Error) -> Option<u16> {
    match e {
        kube::Error::Api(s) => Some(s.code),
        _ => None,
    }
}

impl ClusterClient {
    /// A client over a connection the caller already has (its discovery is shared too).
    pub fn over(kube: Kube) -> ClusterClient {
        ClusterClient { kube }
    }

    pub fn default_namespace(&self) -> &str {
        self.kube.default_namespace()
    }

    pub fn server(&self) -> &str {
        self.kube.server()
    }

    pub fn client(&self) -> &kube::Client {
        self.kube.client()
    }

    /// The kube layer under this client, for everything but analyze's reads.
    pub fn kube(&self) -> &Kube {
        &self.kube
    }

    /// Fails with `NamespaceNotFound` when `namespace` does not exist. A user who may not read
    /// namespaces is given the benefit of the doubt.
    pub async fn check_namespace(&self, namespace: &str) -> Result<(), ClusterError> {
        let api: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(self.client().clone());
        match api.get_opt(namespace).await {
            Ok(Some(_)) => Ok(()),
            Ok(None) => Err(ClusterError::NamespaceNotFound(namespace.to_string())),
            Err(e) if status_code(&e) == Some(403) => Ok(()),
            Err(e) => Err(self.kube.error(&format!("read namespace {namespace}"), e)),
        }
    }

    /// The `mesh` and `meshNetworks` keys of the `istio` ConfigMap in the Istio namespace, or
    /// `None` when there is no such ConfigMap (or it may not be read).
    pub async fn mesh_config(
        &self,
        istio_namespace: &str,
    ) -> Result<Option<(Option<String>, Option<String>)>, ClusterError> {
        let api: Api<k8s_openapi::api::core::v1::ConfigMap> =
            Api::namespaced(self.client().clone(), istio_namespace);
        match api.get_opt("istio").await {
            Ok(Some(cm)) => {
                let data = cm.data.unwrap_or_default();
                Ok(Some((
                    data.get("mesh").cloned(),
                    data.get("meshNetworks").cloned(),
                )))
            }
            Ok(None) => Ok(None),
            Err(e) if status_code(&e) == Some(403) => Ok(None),
            Err(e) => Err(self
                .kube
                .error(&format!("read ConfigMap {istio_namespace}/istio"), e)),
        }
    }

    /// Lists `kinds` in every namespace (but the excluded system ones), concurrently and page by
    /// page, within `timeout`. Kinds the cluster does not serve (CRDs not installed) and kinds
    /// the user may not list are left out with a warning. A namespaced kind the user may not
    /// list at cluster scope is read from `namespace` alone when one is given (users with
    /// namespace-scoped rights), with a note.
    pub async fn read(
        &self,
        kinds: &[Kind],
        namespace: Option<&str>,
        timeout: Duration,
    ) -> Result<ClusterRead, ClusterError> {
        let started = Instant::now();
        tokio::time::timeout(timeout, self.read_inner(kinds, namespace))
            .await
            .map_err(|_| ClusterError::Timeout(started.elapsed()))?
    }

    /// Lists one kind at cluster scope, or in `namespace` when cluster scope is forbidden.
    async fn read_kind(
        &self,
        kind: Kind,
        ar: ApiResource,
        namespace: Option<&str>,
    ) -> (Kind, Result<(Listed, bool), ListFailure>) {
        let result = match self.list_kind(kind, &ar, None).await {
            Err(ListFailure::Forbidden { .. }) if kind.info().namespaced && namespace.is_some() => {
                self.list_kind(kind, &ar, namespace)
                    .await
                    .map(|r| (r, true))
            }
            other => other.map(|r| (r, false)),
        };
        (kind, result)
    }

    async fn read_inner(
        &self,
        kinds: &[Kind],
        namespace: Option<&str>,
    ) -> Result<ClusterRead, ClusterError> {
        let mut groups: Vec<&str> = kinds.iter().map(|k| k.info().group).collect();
        groups.sort();
        groups.dedup();
        self.kube.discover(&groups).await?;
        let mut read = ClusterRead::default();
        let mut absent = Vec::new();
        let mut jobs = Vec::new();
        for &kind in kinds {
            let info = kind.info();
            // The preferred version first, then any other the server has (a 1.20 server serves
            // CronJob only as batch/v1beta1).
            let api_version = match info.group {
                "" => info.preferred_version.to_string(),
                g => format!("{g}/{}", info.preferred_version),
            };
            match self.kube.find_known(&api_version, info.kind) {
                Some(found) => jobs.push(self.read_kind(kind, found.resource, namespace)),
                None => absent.push(kind.qualified()),
            }
        }
        if !absent.is_empty() {
            read.warnings.push(format!(
                "the cluster does not serve {} (CRD not installed); treated as absent",
                absent.join(", ")
            ));
        }
        let mut narrowed = Vec::new();
        for (kind, result) in join_all(jobs).await {
            match result {
                Ok((mut listed, only_namespace)) => {
                    read.resources.append(&mut listed.resources);
                    read.warnings.append(&mut listed.unreadable);
                    if only_namespace {
                        narrowed.push(kind.qualified());
                    }
                }
                Err(ListFailure::Forbidden { message }) => read.warnings.push(format!(
                    "forbidden: cannot list {} ({}){}: {message}; analyzers that read it ran without it",
                    kind.qualified(),
                    kind.info().plural,
                    namespace.map_or(" at cluster scope".to_string(), |ns| format!(
                        " at cluster scope or in namespace {ns}"
                    )),
                )),
                Err(ListFailure::Other(e)) => {
                    return Err(self
                        .kube
                        .error(&format!("list {}", kind.info().plural), e));
                }
            }
        }
        if let (Some(ns), false) = (namespace, narrowed.is_empty()) {
            read.warnings.push(format!(
                "cannot list {} at cluster scope; read namespace {ns} only, so checks that look across namespaces may miss objects elsewhere",
                narrowed.join(", ")
            ));
        }
        Ok(read)
    }

    async fn list_kind(
        &self,
        kind: Kind,
        ar: &ApiResource,
        namespace: Option<&str>,
    ) -> Result<Listed, ListFailure> {
        let api: Api<DynamicObject> = self.kube.api(ar, namespace);
        let mut out = Listed::default();
        let mut params = ListParams::default().limit(500);
        loop {
            let page = api.list(&params).await.map_err(|e| match &e {
                kube::Error::Api(s) if s.code == 403 => ListFailure::Forbidden {
                    message: s.message.clone(),
                },
                _ => ListFailure::Other(e),
            })?;
            let next = page.metadata.continue_.clone().filter(|c| !c.is_empty());
            for obj in page.items {
                let ns = obj.metadata.namespace.as_deref().unwrap_or("");
                if EXCLUDED_NAMESPACES.contains(&ns) {
                    continue;
                }
                match serde_json::to_value(&obj) {
                    Ok(json) => {
                        let mut resource = Resource::from_node(
                            kind,
                            &ar.api_version,
                            json::from_json(&json),
                            Origin::Cluster,
                        );
                        document::apply_defaults(&mut resource);
                        out.resources.push(resource);
                    }
                    Err(e) => out.unreadable.push(format!(
                        "cannot read {} {}{} from the cluster: {e}; analyzed without it",
                        kind.qualified(),
                        if ns.is_empty() {
                            String::new()
                        } else {
                            format!("{ns}/")
                        },
                        obj.metadata.name.as_deref().unwrap_or("?"),
                    )),
                }
            }
            match next {
                Some(token) => params = params.continue_token(&token),
                None => break,
            }
        }
        Ok(out)
    }
}

/// One kind's objects, with those that could not be converted.
#[derive(Default)]
struct Listed {
    resources: Vec<Resource>,
    unreadable: Vec<String>,
}

enum ListFailure {
    Forbidden { message: String },
    Other(kube::Error),
}

/// Reads a remote cluster of a multi-cluster mesh (`--remote-contexts`): the kubeconfig context
/// `context` of `target`'s kubeconfig, and from it the `kinds` that compare across clusters, in
/// every namespace. Warnings (kinds it may not list) name the context.
pub async fn read_remote(
    target: &Target,
    context: &str,
    kinds: &[Kind],
    timeout: Duration,
) -> Result<(crate::analyze::RemoteCluster, Vec<String>), ClusterError> {
    let options = Target {
        context: Some(context.to_string()),
        ..target.clone()
    };
    let client = connect(&options, timeout).await?;
    let read = client.read(kinds, None, timeout).await?;
    let warnings = read
        .warnings
        .into_iter()
        .map(|w| format!("remote context {context}: {w}"))
        .collect();
    Ok((
        crate::analyze::RemoteCluster {
            name: context.to_string(),
            resources: read.resources,
        },
        warnings,
    ))
}
