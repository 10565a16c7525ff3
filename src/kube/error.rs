//! What can go wrong talking to a cluster, each error naming what failed, where, and what to do.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// One field another field manager owns, as the API server reports a server-side apply conflict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldConflict {
    /// The field path, as the server names it (`.spec.replicas`).
    pub field: String,
    /// The field manager that owns it (`kubectl-client-side-apply`).
    pub manager: String,
}

impl fmt::Display for FieldConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (owned by {:?})", self.field, self.manager)
    }
}

/// An object that did not become ready, and why, from its conditions and its pods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unready {
    /// `Deployment ns/name`.
    pub object: String,
    /// What the object's status says it is waiting for.
    pub waiting_for: String,
    /// Why, from the pods' container statuses and conditions (`pod x: container y: ImagePullBackOff`).
    pub reasons: Vec<String>,
    /// The object failed for good (a Job's `Failed` condition, a Deployment past its progress
    /// deadline): waiting longer will not help.
    pub failed: bool,
}

impl fmt::Display for Unready {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.object, self.waiting_for)?;
        for r in &self.reasons {
            write!(f, "; {r}")?;
        }
        Ok(())
    }
}

fn list<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| format!("\n  - {i}"))
        .collect::<String>()
}

fn path_suffix(path: &Option<PathBuf>) -> String {
    path.as_ref()
        .map(|p| format!(" {}", p.display()))
        .unwrap_or_default()
}

#[derive(Debug, thiserror::Error)]
pub enum KubeError {
    #[error("cannot load the kubeconfig{}: {reason}", path_suffix(path))]
    Kubeconfig {
        path: Option<PathBuf>,
        reason: String,
    },
    #[error(
        "--as-group {groups:?} needs --as: the API server impersonates groups only together with a user"
    )]
    GroupsWithoutUser { groups: Vec<String> },
    #[error("cannot get credentials for context {context:?}: {reason}")]
    Credentials { context: String, reason: String },
    #[error("cannot reach the API server at {server}: {reason}")]
    Unreachable { server: String, reason: String },
    #[error(
        "the API server at {server} rejected the credentials of context {context:?} (401 Unauthorized)"
    )]
    Unauthorized { server: String, context: String },
    #[error("forbidden: cannot {action}: {message}")]
    Forbidden { action: String, message: String },
    #[error("namespace {0:?} not found")]
    NamespaceNotFound(String),
    #[error("reading the cluster did not finish within {0:?}")]
    Timeout(Duration),
    #[error(
        "the cluster does not serve {api_version} {kind}{}",
        served_suffix(served)
    )]
    NotServed {
        api_version: String,
        kind: String,
        /// Other versions of the kind the server has.
        served: Vec<String>,
    },
    #[error("{object} is not a Kubernetes object: {reason}")]
    InvalidObject { object: String, reason: String },
    #[error(
        "cannot {action}: the API server rejected it: {message}{}",
        list(causes)
    )]
    Invalid {
        action: String,
        message: String,
        causes: Vec<String>,
    },
    #[error("cannot apply {object}: {} field(s) are owned by another field manager:{}", conflicts.len(), list(conflicts))]
    Conflict {
        object: String,
        conflicts: Vec<FieldConflict>,
    },
    #[error(
        "the API server {version} is outside the supported range {range}{}",
        missing_suffix(missing)
    )]
    UnsupportedServer {
        version: String,
        range: String,
        missing: Vec<String>,
    },
    #[error("the API server {version} lacks what is needed:{}", list(missing))]
    MissingApis {
        version: String,
        missing: Vec<String>,
    },
    #[error("{} object(s) not ready {}:{}", unready.len(), if *timed_out { format!("within {}", humantime::format_duration(*timeout)) } else { "(failed)".to_string() }, list(unready))]
    NotReady {
        /// The deadline that was given.
        timeout: Duration,
        timed_out: bool,
        unready: Vec<Unready>,
    },
    #[error("cannot {action}: the API server at {server} answered {code}: {message}")]
    Api {
        action: String,
        server: String,
        code: u16,
        message: String,
    },
}

fn served_suffix(served: &[String]) -> String {
    if served.is_empty() {
        " (CRD not installed?)".into()
    } else {
        format!(" (it serves {})", served.join(", "))
    }
}

fn missing_suffix(missing: &[String]) -> String {
    if missing.is_empty() {
        String::new()
    } else {
        format!("; it lacks:{}", list(missing))
    }
}

impl KubeError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            KubeError::Kubeconfig { .. } => {
                "pass --kubeconfig FILE or set KUBECONFIG".into()
            }
            KubeError::GroupsWithoutUser { .. } => "add --as USER".into(),
            KubeError::Credentials { .. } => {
                "the kubeconfig's credential plugin (exec) or token failed: log in again, or check the command it runs".into()
            }
            KubeError::Unreachable { .. } => {
                "check that the cluster is running and that the kubeconfig context points at it (kubectl cluster-info)"
                    .into()
            }
            KubeError::Unauthorized { .. } => {
                "the token or certificate may have expired: refresh your credentials (log in again) and retry".into()
            }
            KubeError::Forbidden { .. } => {
                "ask a cluster admin for the RBAC rights (check with kubectl auth can-i), or use a context that has them".into()
            }
            KubeError::NamespaceNotFound(_) => {
                "list namespaces with kubectl get namespaces, or use -A".into()
            }
            KubeError::Timeout(_) => "raise --timeout, or narrow the run with --analyzer".into(),
            KubeError::NotServed { served, .. } if served.is_empty() => {
                "install the CRD that defines the kind, or check the apiVersion".into()
            }
            KubeError::NotServed { .. } => {
                "use an apiVersion the server serves, or upgrade the cluster".into()
            }
            KubeError::InvalidObject { .. } => {
                "every object needs apiVersion, kind and metadata.name".into()
            }
            KubeError::Conflict { .. } => {
                "take the fields over with --force-conflicts, or leave them to their owner".into()
            }
            KubeError::UnsupportedServer { .. } | KubeError::MissingApis { .. } => {
                "upgrade the cluster, or choose a release that supports this Kubernetes version".into()
            }
            KubeError::NotReady { timed_out: true, .. } => {
                "fix what the reasons name (image, resources, scheduling), or wait longer with --timeout".into()
            }
            KubeError::NotReady { .. } => {
                "look at the failed object's events: kubectl describe".into()
            }
            KubeError::Invalid { .. } | KubeError::Api { .. } => return None,
        })
    }

    /// A short, stable code for the error (shown by miette).
    pub fn code(&self) -> &'static str {
        match self {
            KubeError::Kubeconfig { .. } => "kube::kubeconfig",
            KubeError::GroupsWithoutUser { .. } => "kube::impersonation",
            KubeError::Credentials { .. } => "kube::credentials",
            KubeError::Unreachable { .. } => "kube::unreachable",
            KubeError::Unauthorized { .. } => "kube::unauthorized",
            KubeError::Forbidden { .. } => "kube::forbidden",
            KubeError::NamespaceNotFound(_) => "kube::namespace_not_found",
            KubeError::Timeout(_) => "kube::timeout",
            KubeError::NotServed { .. } => "kube::not_served",
            KubeError::InvalidObject { .. } => "kube::invalid_object",
            KubeError::Invalid { .. } => "kube::invalid",
            KubeError::Conflict { .. } => "kube::conflict",
            KubeError::UnsupportedServer { .. } => "kube::unsupported_server",
            KubeError::MissingApis { .. } => "kube::missing_apis",
            KubeError::NotReady { .. } => "kube::not_ready",
            KubeError::Api { .. } => "kube::api",
        }
    }
}

impl miette::Diagnostic for KubeError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(KubeError::code(self)))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.hint().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
}

/// The innermost cause of an error: what a network failure really was ("connection refused").
pub(crate) fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// The credential failure (an exec plugin that failed, a token file that cannot be read) inside
/// a client error, if that is what it is.
pub(crate) fn auth_failure(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(auth) = err.downcast_ref::<::kube::client::AuthError>() {
            return Some(match auth {
                // Its Debug form holds the plugin's stdout, which may carry a token: show
                // the exit status and stderr only.
                // (The command line is left out too: its arguments are the kubeconfig's.)
                ::kube::client::AuthError::AuthExecRun { out, .. } => format!(
                    "the exec credential plugin failed ({}): {}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
                // Parse errors quote the output, which may carry a token.
                ::kube::client::AuthError::AuthExecParse(_) => {
                    "the credential plugin's output is not an ExecCredential".to_string()
                }
                other => other.to_string(),
            });
        }
        cur = err.source();
    }
    None
}

/// The HTTP status of an API error, if the server answered one.
pub(crate) fn status_code(e: &::kube::Error) -> Option<u16> {
    match e {
        ::kube::Error::Api(s) => Some(s.code),
        _ => None,
    }
}

/// Server-side apply conflicts in a 409 answer, if that is what it is.
pub(crate) fn field_conflicts(e: &::kube::Error) -> Option<Vec<FieldConflict>> {
    let ::kube::Error::Api(s) = e else {
        return None;
    };
    if s.code != 409 {
        return None;
    }
    let causes = &s.details.as_ref()?.causes;
    let conflicts: Vec<FieldConflict> = causes
        .iter()
        .filter(|c| c.reason == "FieldManagerConflict")
        .map(|c| FieldConflict {
            field: c.field.clone(),
            // `conflict with "manager" using apps/v1` (or `... with subresource "scale" ...`).
            manager: c
                .message
                .split('"')
                .nth(1)
                .unwrap_or(&c.message)
                .to_string(),
        })
        .collect();
    (!conflicts.is_empty()).then_some(conflicts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(v: serde_json::Value) -> ::kube::Error {
        ::kube::Error::Api(Box::new(serde_json::from_value(v).unwrap()))
    }

    #[test]
    fn apply_conflicts_become_field_and_manager() {
        let e = api_error(serde_json::json!({
        "kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 409, "reason": "Conflict",
        "message": "Apply failed with 2 conflicts: ...",
        "details": {"causes": [
            {"reason": "FieldManagerConflict", "message": "conflict with \"helm\" using apps/v1", "field": ".spec.replicas"},
            {"reason": "FieldManagerConflict", "message": "conflict with \"kubectl\" with subresource \"scale\" using apps/v1", "field": ".spec.template.spec.containers[name=\"app\"].image"}
        ]}}));
        assert_eq!(
            field_conflicts(&e).unwrap(),
            [
                FieldConflict {
                    field: ".spec.replicas".into(),
                    manager: "helm".into()
                },
                FieldConflict {
                    field: ".spec.template.spec.containers[name=\"app\"].image".into(),
                    manager: "kubectl".into()
                },
            ]
        );
        // Another 409 (AlreadyExists) is not a field conflict.
        let other = api_error(
            serde_json::json!({"code": 409, "reason": "AlreadyExists", "message": "exists"}),
        );
        assert_eq!(field_conflicts(&other), None);
    }

    #[test]
    fn errors_carry_a_code_and_a_hint() {
        let e = KubeError::Conflict {
            object: "Deployment a/web".into(),
            conflicts: vec![FieldConflict {
                field: ".spec.replicas".into(),
                manager: "helm".into(),
            }],
        };
        assert_eq!(
            e.to_string(),
            "cannot apply Deployment a/web: 1 field(s) are owned by another field manager:\n  - .spec.replicas (owned by \"helm\")"
        );
        let d: &dyn miette::Diagnostic = &e;
        assert_eq!(d.code().unwrap().to_string(), "kube::conflict");
        assert!(d.help().unwrap().to_string().contains("--force-conflicts"));
    }
}
