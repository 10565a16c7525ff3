//! The one cluster client every command uses: connection ([`connect`], [`shared`]), discovery
//! and the server version ([`Kube::resolve`], [`Kube::server_version`]), server-side apply
//! ([`Kube::apply`]), readiness ([`Kube::wait_ready`]) and delete/list/get
//! ([`Kube::delete`], [`Kube::list`], [`Kube::get`]).
//!
//! Objects are addressed by [`ObjectRef`] (an API resource found by discovery, a namespace and a
//! name, made by [`Kube::object`] or [`Resolved::object`]); bodies are JSON, or typed
//! k8s-openapi objects through [`Kube::apply_typed`].
//!
//! What kubectl users rely on and kube-rs 5 supports: kubeconfig files (every `$KUBECONFIG`
//! entry, merged), contexts, exec credential plugins, in-cluster service accounts,
//! impersonation (`--as`, `--as-group`), a per-request timeout, and proxies (`proxy-url`, or
//! `HTTPS_PROXY`/`HTTP_PROXY` with `NO_PROXY`; http, https and socks5 proxies).

mod access;
mod apply;
mod connect;
mod delete;
mod discovery;
mod error;
mod ready;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use ::kube::Client;
use ::kube::api::{Api, DynamicObject};
use ::kube::discovery::{ApiCapabilities, ApiResource};

pub use access::Access;
pub use apply::{Applied, ApplyOptions, ApplyOutcome, FIELD_MANAGER, comparable};
pub use connect::{ConnectOptions, connect, init_tls, shared};
pub use delete::{Deleted, Propagation};
pub use discovery::{MissingApi, Resolved, ServerVersion, VersionRange};
pub use error::{FieldConflict, KubeError, Unready};
pub use ready::{Readiness, pod_reasons, readiness, selector_string};

/// A connected client (cheap to clone; clones share the connection and the discovery cache).
#[derive(Clone)]
pub struct Kube(Arc<Inner>);

struct Inner {
    client: Client,
    server: String,
    context: String,
    default_namespace: String,
    /// Discovered resources by API group, most preferred version first.
    resources: Mutex<HashMap<String, Vec<(ApiResource, ApiCapabilities)>>>,
}

impl fmt::Debug for Kube {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kube")
            .field("server", &self.0.server)
            .field("context", &self.0.context)
            .finish_non_exhaustive()
    }
}

/// One object in the cluster: its API resource (as discovery found it), namespace and name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectRef {
    pub resource: ApiResource,
    /// `None` for cluster-scoped kinds.
    pub namespace: Option<String>,
    pub name: String,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {ns}/{}", self.resource.kind, self.name),
            None => write!(f, "{} {}", self.resource.kind, self.name),
        }
    }
}

impl Kube {
    /// The underlying kube-rs client, for typed `Api<K>` calls this layer does not wrap.
    pub fn client(&self) -> &Client {
        &self.0.client
    }

    /// The API server URL.
    pub fn server(&self) -> &str {
        &self.0.server
    }

    /// The kubeconfig context in use (`in-cluster` inside a pod).
    pub fn context(&self) -> &str {
        &self.0.context
    }

    /// The context's namespace, `default` when it names none.
    pub fn default_namespace(&self) -> &str {
        &self.0.default_namespace
    }

    /// Whether both share one connection (and discovery cache).
    pub fn is_same_client(&self, other: &Kube) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// A dynamic API for one object's kind, in its namespace (or cluster-wide).
    pub fn api(&self, resource: &ApiResource, namespace: Option<&str>) -> Api<DynamicObject> {
        match namespace {
            Some(ns) => Api::namespaced_with(self.0.client.clone(), ns, resource),
            None => Api::all_with(self.0.client.clone(), resource),
        }
    }

    fn object_api(&self, obj: &ObjectRef) -> Api<DynamicObject> {
        self.api(&obj.resource, obj.namespace.as_deref())
    }

    /// Turns a client error into one the user can act on; `action` says what was attempted
    /// ("list Secret in namespace x").
    pub fn error(&self, action: &str, e: ::kube::Error) -> KubeError {
        match &e {
            ::kube::Error::Api(s) => match s.code {
                401 => KubeError::Unauthorized {
                    server: self.0.server.clone(),
                    context: self.0.context.clone(),
                },
                403 => KubeError::Forbidden {
                    action: action.to_string(),
                    message: s.message.clone(),
                },
                422 => KubeError::Invalid {
                    action: action.to_string(),
                    message: s.message.clone(),
                    causes: s
                        .details
                        .iter()
                        .flat_map(|d| d.causes.iter())
                        .map(|c| match c.field.as_str() {
                            "" => c.message.clone(),
                            f => format!("{f}: {}", c.message),
                        })
                        .collect(),
                },
                code => KubeError::Api {
                    action: action.to_string(),
                    server: self.0.server.clone(),
                    code,
                    message: s.message.clone(),
                },
            },
            _ => match error::auth_failure(&e) {
                Some(reason) => KubeError::Credentials {
                    context: self.0.context.clone(),
                    reason,
                },
                None => KubeError::Unreachable {
                    server: self.0.server.clone(),
                    reason: error::root_cause(&e),
                },
            },
        }
    }
}
