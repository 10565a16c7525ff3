//! Connecting: the kubeconfig (every file `$KUBECONFIG` names, merged as kubectl does), its
//! context, in-cluster service-account credentials, exec credential plugins (kube-rs runs them),
//! impersonation, the request timeout, and proxies (`proxy-url` or `HTTPS_PROXY`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use ::kube::config::{KubeConfigOptions, Kubeconfig};
use ::kube::{Client, Config};

use super::error::{KubeError, auth_failure};
use super::{Inner, Kube};

/// Which cluster to talk to and how, as kubectl's global flags say it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectOptions {
    /// `--kubeconfig`; `None` reads `$KUBECONFIG` or `~/.kube/config`, or the in-cluster
    /// service account when neither exists.
    pub kubeconfig: Option<PathBuf>,
    /// `--context`; `None` is the kubeconfig's current context.
    pub context: Option<String>,
    /// `--as`: the user to impersonate.
    pub as_user: Option<String>,
    /// `--as-group` (repeatable): groups to impersonate; needs `as_user`.
    pub as_groups: Vec<String>,
    /// `--request-timeout`: how long one request may take; zero means no limit.
    pub request_timeout: Option<Duration>,
}

/// Where the configuration came from.
enum Loaded {
    File {
        kubeconfig: Box<Kubeconfig>,
        path: Option<PathBuf>,
    },
    InCluster,
}

/// Reads the kubeconfig the options name. A file that exists but does not parse is an error
/// naming the file; files `$KUBECONFIG` lists that do not exist are skipped, as kubectl does.
fn load(opts: &ConnectOptions) -> Result<Loaded, KubeError> {
    let read = |path: &Path| {
        Kubeconfig::read_from(path).map_err(|e| KubeError::Kubeconfig {
            path: Some(path.to_path_buf()),
            reason: e.to_string(),
        })
    };
    if let Some(path) = &opts.kubeconfig {
        return Ok(Loaded::File {
            kubeconfig: Box::new(read(path)?),
            path: Some(path.clone()),
        });
    }
    if let Some(value) = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
        let paths: Vec<PathBuf> = std::env::split_paths(&value)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        let existing: Vec<&PathBuf> = paths.iter().filter(|p| p.exists()).collect();
        if existing.is_empty() {
            return Err(KubeError::Kubeconfig {
                path: None,
                reason: format!(
                    "KUBECONFIG names {}, and none of them exists",
                    paths
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        let mut merged: Option<Kubeconfig> = None;
        for path in &existing {
            let next = read(path)?;
            merged = Some(match merged {
                None => next,
                Some(m) => m.merge(next).map_err(|e| KubeError::Kubeconfig {
                    path: Some(path.to_path_buf()),
                    reason: format!("cannot merge it with the files before it in KUBECONFIG: {e}"),
                })?,
            });
        }
        let path = (existing.len() == 1).then(|| existing[0].clone());
        return Ok(Loaded::File {
            kubeconfig: Box::new(merged.expect("at least one file")),
            path,
        });
    }
    let default = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".kube").join("config"));
    match default {
        Some(path) if path.exists() => Ok(Loaded::File {
            kubeconfig: Box::new(read(&path)?),
            path: Some(path),
        }),
        _ if std::env::var_os("KUBERNETES_SERVICE_HOST").is_some() => Ok(Loaded::InCluster),
        _ => Err(KubeError::Kubeconfig {
            path: None,
            reason: "no kubeconfig: KUBECONFIG is not set, ~/.kube/config does not exist, and this is not a pod in a cluster".into(),
        }),
    }
}

/// Loads the configuration and builds a client. Nothing is sent yet.
pub async fn connect(opts: &ConnectOptions) -> Result<Kube, KubeError> {
    init_tls();
    if opts.as_user.is_none() && !opts.as_groups.is_empty() {
        return Err(KubeError::GroupsWithoutUser {
            groups: opts.as_groups.clone(),
        });
    }
    let (mut config, context, path) = match load(opts)? {
        Loaded::File { kubeconfig, path } => {
            let context = opts
                .context
                .clone()
                .or_else(|| kubeconfig.current_context.clone())
                .unwrap_or_default();
            let options = KubeConfigOptions {
                context: opts.context.clone(),
                ..Default::default()
            };
            let config = Config::from_custom_kubeconfig(*kubeconfig, &options)
                .await
                .map_err(|e| KubeError::Kubeconfig {
                    path: path.clone(),
                    reason: match &opts.context {
                        Some(c) => format!("context {c:?}: {e}"),
                        None => e.to_string(),
                    },
                })?;
            (config, context, path)
        }
        Loaded::InCluster => {
            let config = Config::incluster().map_err(|e| KubeError::Kubeconfig {
                path: None,
                reason: format!("in-cluster service account: {e}"),
            })?;
            (config, "in-cluster".to_string(), None)
        }
    };
    if let Some(user) = &opts.as_user {
        config.auth_info.impersonate = Some(user.clone());
        if !opts.as_groups.is_empty() {
            config.auth_info.impersonate_groups = Some(opts.as_groups.clone());
        }
    }
    match opts.request_timeout {
        Some(t) if t.is_zero() => {
            config.read_timeout = None;
            config.write_timeout = None;
        }
        Some(t) => {
            config.connect_timeout = Some(t.min(Duration::from_secs(30)));
            config.read_timeout = Some(t);
            config.write_timeout = Some(t);
        }
        None => {}
    }
    let server = config
        .cluster_url
        .to_string()
        .trim_end_matches('/')
        .to_string();
    let default_namespace = match config.default_namespace.as_str() {
        "" => "default".to_string(),
        ns => ns.to_string(),
    };
    let proxy = config.proxy_url.as_ref().map(|u| u.to_string());
    let client = Client::try_from(config).map_err(|e| match auth_failure(&e) {
        // Exec plugins run here, the first time.
        Some(reason) => KubeError::Credentials {
            context: context.clone(),
            reason,
        },
        None => KubeError::Kubeconfig {
            path,
            reason: match &proxy {
                Some(p) => format!("proxy {p}: {e}"),
                None => e.to_string(),
            },
        },
    })?;
    Ok(Kube(Arc::new(Inner {
        client,
        server,
        context,
        default_namespace,
        resources: Mutex::default(),
    })))
}

/// The client of this process: the first call connects, later calls with the same options share
/// it (a client is bound to the tokio runtime it was made on; the binary runs one). Other options
/// get a client of their own.
pub async fn shared(opts: &ConnectOptions) -> Result<Kube, KubeError> {
    static SHARED: OnceLock<Mutex<Option<(ConnectOptions, Kube)>>> = OnceLock::new();
    let slot = SHARED.get_or_init(Mutex::default);
    if let Some((o, k)) = slot.lock().unwrap_or_else(|e| e.into_inner()).as_ref()
        && o == opts
    {
        return Ok(k.clone());
    }
    let kube = connect(opts).await?;
    let mut guard = slot.lock().unwrap_or_else(|e| e.into_inner());
    if guard.is_none() {
        *guard = Some((opts.clone(), kube.clone()));
    }
    Ok(kube)
}

/// Installs the ring crypto provider for rustls once per process.
pub fn init_tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
