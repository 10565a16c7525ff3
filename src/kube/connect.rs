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

/// Whether the context's cluster names a `proxy-url` of its own.
fn cluster_proxy_url(kubeconfig: &Kubeconfig, context: &str) -> bool {
    let cluster = kubeconfig
        .contexts
        .iter()
        .find(|c| c.name == context)
        .and_then(|c| c.context.as_ref())
        .map(|c| c.cluster.as_str());
    kubeconfig
        .clusters
        .iter()
        .find(|c| Some(c.name.as_str()) == cluster)
        .and_then(|c| c.cluster.as_ref())
        .and_then(|c| c.proxy_url.as_deref())
        .is_some_and(|p| !p.is_empty())
}

fn env_var(names: &[&str]) -> Option<(String, String)> {
    names.iter().find_map(|n| {
        std::env::var(n)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(|v| (n.to_string(), v.trim().to_string()))
    })
}

/// The proxy the environment names for `server` (`HTTPS_PROXY` for https, `HTTP_PROXY` for
/// http), unless `NO_PROXY` exempts the server's host.
fn environment_proxy(server: &http::Uri) -> Result<Option<http::Uri>, KubeError> {
    let https = server.scheme_str() != Some("http");
    let names: &[&str] = if https {
        &["HTTPS_PROXY", "https_proxy"]
    } else {
        &["HTTP_PROXY", "http_proxy"]
    };
    let Some((name, proxy)) = env_var(names) else {
        return Ok(None);
    };
    let host = server.host().unwrap_or("");
    let port = server.port_u16().unwrap_or(if https { 443 } else { 80 });
    if let Some((_, no_proxy)) = env_var(&["NO_PROXY", "no_proxy"])
        && no_proxy_matches(&no_proxy, host, port)
    {
        return Ok(None);
    }
    // Like Go, a proxy given without a scheme is an http:// one.
    let text = if proxy.contains("://") {
        proxy
    } else {
        format!("http://{proxy}")
    };
    text.parse().map(Some).map_err(|e| KubeError::Kubeconfig {
        path: None,
        reason: format!("${name} is not a proxy URL: {e}"),
    })
}

/// Whether a `NO_PROXY` list exempts `host:port`, as Go's `httpproxy` reads it: `*`, exact
/// hosts or IPs, domain suffixes (`.corp` or `corp` matches `a.corp`), CIDR ranges, each
/// optionally with a `:port`.
pub(crate) fn no_proxy_matches(no_proxy: &str, host: &str, port: u16) -> bool {
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    let ip: Option<std::net::IpAddr> = host.parse().ok();
    no_proxy.split(',').map(str::trim).any(|entry| {
        if entry == "*" {
            return true;
        }
        if entry.is_empty() {
            return false;
        }
        let entry = entry.to_ascii_lowercase();
        if let (Ok(net), Some(ip)) = (entry.parse::<ipnet::IpNet>(), ip) {
            return net.contains(&ip);
        }
        // `host:port`, `[v6]:port`, or a bare host or address.
        let (name, entry_port) = match entry.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') || h.ends_with(']') => match p.parse::<u16>() {
                Ok(p) => (h.trim_start_matches('[').trim_end_matches(']'), Some(p)),
                Err(_) => (entry.as_str(), None),
            },
            _ => (entry.trim_start_matches('[').trim_end_matches(']'), None),
        };
        if entry_port.is_some_and(|p| p != port) {
            return false;
        }
        if let (Ok(a), Some(ip)) = (name.parse::<std::net::IpAddr>(), ip) {
            return a == ip;
        }
        let suffix = name.trim_start_matches("*.").trim_start_matches('.');
        !suffix.is_empty() && (host == suffix || host.ends_with(&format!(".{suffix}")))
    })
}

/// Loads the configuration and builds a client. Nothing is sent yet.
pub async fn connect(opts: &ConnectOptions) -> Result<Kube, KubeError> {
    init_tls();
    if opts.as_user.is_none() && !opts.as_groups.is_empty() {
        return Err(KubeError::GroupsWithoutUser {
            groups: opts.as_groups.clone(),
        });
    }
    let (mut config, context, path, explicit_proxy) = match load(opts)? {
        Loaded::File { kubeconfig, path } => {
            let context = opts
                .context
                .clone()
                .or_else(|| kubeconfig.current_context.clone())
                .unwrap_or_default();
            let explicit_proxy = cluster_proxy_url(&kubeconfig, &context);
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
            (config, context, path, explicit_proxy)
        }
        Loaded::InCluster => {
            let config = Config::incluster().map_err(|e| KubeError::Kubeconfig {
                path: None,
                reason: format!("in-cluster service account: {e}"),
            })?;
            (config, "in-cluster".to_string(), None, false)
        }
    };
    // kube-rs checks NO_PROXY against the proxy's own address; kubectl (Go) checks it against
    // the server's, which is what users set it for. A kubeconfig's proxy-url always applies.
    if !explicit_proxy {
        config.proxy_url = environment_proxy(&config.cluster_url)?;
    }
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

pub use crate::tls::init as init_tls;

#[cfg(test)]
mod tests {
    use super::no_proxy_matches;

    #[test]
    fn no_proxy_reads_like_go() {
        assert!(no_proxy_matches("*", "api.example.com", 443));
        assert!(no_proxy_matches("example.com", "api.example.com", 443));
        assert!(no_proxy_matches(".example.com", "api.example.com", 443));
        assert!(no_proxy_matches("*.example.com", "example.com", 443));
        assert!(!no_proxy_matches("example.com", "badexample.com", 443));
        assert!(no_proxy_matches("10.0.0.0/8, other", "10.1.2.3", 6443));
        assert!(!no_proxy_matches("10.0.0.0/8", "192.168.1.1", 6443));
        assert!(no_proxy_matches("127.0.0.1", "127.0.0.1", 6443));
        assert!(no_proxy_matches("127.0.0.1:6443", "127.0.0.1", 6443));
        assert!(!no_proxy_matches("127.0.0.1:443", "127.0.0.1", 6443));
        assert!(no_proxy_matches("[::1]:6443", "[::1]", 6443));
        assert!(no_proxy_matches("::1", "[::1]", 6443));
        assert!(!no_proxy_matches("localhost", "127.0.0.1", 6443));
        assert!(!no_proxy_matches("", "127.0.0.1", 6443));
    }
}
