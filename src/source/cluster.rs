//! A live cluster as a source of resources: the kubeconfig's context, API discovery of the kinds
//! analyzers read, and concurrent, paginated lists of them.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use futures::future::join_all;
use kube::api::{Api, DynamicObject, ListParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::discovery::{ApiResource, Discovery};
use kube::{Client, Config};

use super::EXCLUDED_NAMESPACES;
use super::root_cause;
use crate::resource::{Kind, Origin, Resource, document, json};

/// Which cluster to talk to: `--kubeconfig` and `--context`, as kubectl reads them.
#[derive(Clone, Debug, Default)]
pub struct Target {
    /// Explicit kubeconfig path; `None` reads `$KUBECONFIG` or `~/.kube/config` (or in-cluster).
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("cannot load the kubeconfig{}: {reason}", path.as_ref().map(|p| format!(" {}", p.display())).unwrap_or_default())]
    Kubeconfig {
        path: Option<PathBuf>,
        reason: String,
    },
    #[error("cannot reach the API server at {server}: {reason}")]
    Unreachable { server: String, reason: String },
    #[error(
        "the API server at {server} rejected the credentials of context {context:?} (401 Unauthorized)"
    )]
    Unauthorized { server: String, context: String },
    #[error("namespace {0:?} not found")]
    NamespaceNotFound(String),
    #[error("reading the cluster did not finish within {0:?}")]
    Timeout(Duration),
    #[error("the API server at {server} answered an error: {reason}")]
    Api { server: String, reason: String },
}

impl ClusterError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            ClusterError::Kubeconfig { .. } => {
                "pass --kubeconfig FILE or set KUBECONFIG; give files to analyze them without a cluster".into()
            }
            ClusterError::Unreachable { .. } => {
                "check that the cluster is running and that the kubeconfig context points at it (kubectl cluster-info); \
                 give files (and --use-kube=false) to analyze them without a cluster"
                    .into()
            }
            ClusterError::Unauthorized { .. } => {
                "the token or certificate may have expired: refresh your credentials (log in again) and retry".into()
            }
            ClusterError::NamespaceNotFound(_) => "list namespaces with kubectl get namespaces, or use -A".into(),
            ClusterError::Timeout(_) => "raise --timeout, or narrow the run with --analyzer".into(),
            ClusterError::Api { .. } => return None,
        })
    }
}

/// A connected client and what it was told by the kubeconfig.
pub struct ClusterClient {
    client: Client,
    server: String,
    context: String,
    default_namespace: String,
}

/// Resources read from the cluster, with what could not be read.
#[derive(Debug, Default)]
pub struct ClusterRead {
    pub resources: Vec<Resource>,
    pub warnings: Vec<String>,
}

/// Loads the kubeconfig and builds a client. Nothing is sent yet.
pub async fn connect(target: &Target, timeout: Duration) -> Result<ClusterClient, ClusterError> {
    crate::source::url::init_tls();
    let options = KubeConfigOptions {
        context: target.context.clone(),
        ..Default::default()
    };
    let kubeconfig = match &target.kubeconfig {
        Some(path) => Some(
            Kubeconfig::read_from(path).map_err(|e| ClusterError::Kubeconfig {
                path: Some(path.clone()),
                reason: e.to_string(),
            })?,
        ),
        None => Kubeconfig::read().ok(),
    };
    let (mut config, context) = match kubeconfig {
        Some(kc) => {
            let context = target
                .context
                .clone()
                .or_else(|| kc.current_context.clone())
                .unwrap_or_default();
            let config = Config::from_custom_kubeconfig(kc, &options)
                .await
                .map_err(|e| ClusterError::Kubeconfig {
                    path: target.kubeconfig.clone(),
                    reason: e.to_string(),
                })?;
            (config, context)
        }
        None => {
            let config = Config::infer()
                .await
                .map_err(|e| ClusterError::Kubeconfig {
                    path: None,
                    reason: e.to_string(),
                })?;
            (config, "in-cluster".to_string())
        }
    };
    config.connect_timeout = Some(timeout.min(Duration::from_secs(10)));
    config.read_timeout = Some(timeout);
    let server = config
        .cluster_url
        .to_string()
        .trim_end_matches('/')
        .to_string();
    let default_namespace = config.default_namespace.clone();
    let client = Client::try_from(config).map_err(|e| ClusterError::Kubeconfig {
        path: target.kubeconfig.clone(),
        reason: e.to_string(),
    })?;
    Ok(ClusterClient {
        client,
        server,
        context,
        default_namespace,
    })
}

fn status_code(e: &kube::Error) -> Option<u16> {
    match e {
        kube::Error::Api(s) => Some(s.code),
        _ => None,
    }
}

impl ClusterClient {
    pub fn default_namespace(&self) -> &str {
        if self.default_namespace.is_empty() {
            "default"
        } else {
            &self.default_namespace
        }
    }

    pub fn server(&self) -> &str {
        &self.server
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Turns a client error into one the user can act on.
    fn error(&self, e: kube::Error) -> ClusterError {
        match status_code(&e) {
            Some(401) => ClusterError::Unauthorized {
                server: self.server.clone(),
                context: self.context.clone(),
            },
            Some(_) => ClusterError::Api {
                server: self.server.clone(),
                reason: match &e {
                    kube::Error::Api(s) => s.message.clone(),
                    _ => e.to_string(),
                },
            },
            None => ClusterError::Unreachable {
                server: self.server.clone(),
                reason: root_cause(&e),
            },
        }
    }

    /// Fails with `NamespaceNotFound` when `namespace` does not exist. A user who may not read
    /// namespaces is given the benefit of the doubt.
    pub async fn check_namespace(&self, namespace: &str) -> Result<(), ClusterError> {
        let api: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(self.client.clone());
        match api.get_opt(namespace).await {
            Ok(Some(_)) => Ok(()),
            Ok(None) => Err(ClusterError::NamespaceNotFound(namespace.to_string())),
            Err(e) if status_code(&e) == Some(403) => Ok(()),
            Err(e) => Err(self.error(e)),
        }
    }

    /// The `mesh` and `meshNetworks` keys of the `istio` ConfigMap in the Istio namespace, or
    /// `None` when there is no such ConfigMap (or it may not be read).
    pub async fn mesh_config(
        &self,
        istio_namespace: &str,
    ) -> Result<Option<(Option<String>, Option<String>)>, ClusterError> {
        let api: Api<k8s_openapi::api::core::v1::ConfigMap> =
            Api::namespaced(self.client.clone(), istio_namespace);
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
            Err(e) => Err(self.error(e)),
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
    ) -> (Kind, Result<(Vec<Resource>, bool), ListFailure>) {
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
        let discovery = Discovery::new(self.client.clone())
            .filter(&groups)
            .run()
            .await
            .map_err(|e| self.error(e))?;
        let mut read = ClusterRead::default();
        let mut absent = Vec::new();
        let mut jobs = Vec::new();
        for &kind in kinds {
            let info = kind.info();
            // The preferred version first, then any other the server has (a 1.20 server serves
            // CronJob only as batch/v1beta1).
            let found = discovery.get(info.group).and_then(|g| {
                g.recommended_kind(info.kind).or_else(|| {
                    g.resources_by_stability()
                        .into_iter()
                        .find(|(ar, _)| ar.kind == info.kind)
                })
            });
            match found {
                Some((ar, _caps)) => jobs.push(self.read_kind(kind, ar, namespace)),
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
                Ok((mut resources, only_namespace)) => {
                    read.resources.append(&mut resources);
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
                Err(ListFailure::Other(e)) => return Err(self.error(e)),
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
    ) -> Result<Vec<Resource>, ListFailure> {
        let api: Api<DynamicObject> = match namespace {
            Some(ns) => Api::namespaced_with(self.client.clone(), ns, ar),
            None => Api::all_with(self.client.clone(), ar),
        };
        let mut out = Vec::new();
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
                let json = match serde_json::to_value(&obj) {
                    Ok(j) => j,
                    Err(_) => continue,
                };
                let mut resource = Resource::from_node(
                    kind,
                    &ar.api_version,
                    json::from_json(&json),
                    Origin::Cluster,
                );
                document::apply_defaults(&mut resource);
                out.push(resource);
            }
            match next {
                Some(token) => params = params.continue_token(&token),
                None => break,
            }
        }
        Ok(out)
    }
}

enum ListFailure {
    Forbidden { message: String },
    Other(kube::Error),
}
