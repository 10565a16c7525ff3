//! `meshdeck dashboard`: for each dashboard asked for, choose a ready pod, check that it can be
//! forwarded to, bind the local port, check the UI answers through the tunnel, say it is ready
//! (and open the browser), then keep every tunnel up until SIGINT/SIGTERM or until one gives up
//! reconnecting. Without names: which dashboards this cluster has, and whether they are ready.

use std::time::Duration;

use futures::future::{self, FutureExt};
use tokio::sync::watch;

use crate::dashboard::pods::{self, PodTarget};
use crate::dashboard::tunnel::{self, Bound, Listen, Session};
use crate::dashboard::{self, Chosen, Dashboard, DashboardError, Search, browser, health};
use crate::kube::{ConnectOptions, Kube};

/// What `meshdeck dashboard` was asked.
#[derive(Clone, Debug)]
pub struct DashboardRequest {
    /// Dashboard names, each optionally followed by its pod (`proxy deploy/x`).
    pub args: Vec<String>,
    pub selector: Option<String>,
    /// The port in the pod, instead of the dashboard's own.
    pub ui_port: Option<u16>,
    pub namespace: Option<String>,
    pub istio_namespace: String,
    pub address: String,
    pub port: Option<u16>,
    pub browser: bool,
    pub health_timeout: Duration,
    pub require_healthy: bool,
    pub max_reconnects: u32,
    pub kube: ConnectOptions,
}

/// One dashboard to open, with its pod argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    pub dashboard: &'static Dashboard,
    pub pod: Option<String>,
}

/// Reads the positional arguments: known names, each of those that take a pod optionally
/// followed by one (`proxy productpage-v1-abc.bookinfo kiali`).
pub fn plan(args: &[String]) -> Result<Vec<Planned>, DashboardError> {
    let mut out: Vec<Planned> = Vec::new();
    for arg in args {
        if let Some(d) = dashboard::find(arg) {
            out.push(Planned {
                dashboard: d,
                pod: None,
            });
            continue;
        }
        match out.last_mut() {
            Some(last) if last.dashboard.takes_pod && last.pod.is_none() => {
                last.pod = Some(arg.clone())
            }
            Some(last) if !last.dashboard.takes_pod => {
                return Err(DashboardError::Unknown { name: arg.clone() });
            }
            _ => return Err(DashboardError::Unknown { name: arg.clone() }),
        }
    }
    Ok(out)
}

/// How the pod side of a dashboard looks, once ready.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Health {
    /// The health path answered with this status.
    Healthy(u16),
    /// It did not answer well within `--health-timeout`: what it got.
    Unhealthy(String),
}

/// A dashboard that is being served.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ready {
    pub name: String,
    /// The URL to open, with the address and port really bound.
    pub url: String,
    /// Other addresses serving the same port (`[::1]:20001`).
    pub also: Vec<String>,
    pub pod: Chosen,
    pub health: Health,
}

/// Receives what happens while the dashboards are served.
pub trait Reporter: tunnel::Observer {
    fn ready(&self, ready: &Ready);
    /// The browser could not be opened.
    fn browser_failed(&self, url: &str, reason: &str);
    /// A signal arrived; the listeners are being closed.
    fn stopping(&self, signal: &str);
}

/// How the command ended (after a signal).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stopped {
    pub signal: &'static str,
}

fn namespaces(d: &Dashboard, req: &DashboardRequest, kube: &Kube) -> Vec<String> {
    let ns = req
        .namespace
        .clone()
        .unwrap_or_else(|| kube.default_namespace().to_string());
    let mut out = match d.search {
        Search::IstioThenNamespace => vec![req.istio_namespace.clone(), ns],
        Search::Istio => vec![req.istio_namespace.clone()],
        Search::Namespace => vec![ns],
    };
    out.dedup();
    out
}

async fn target(
    p: &Planned,
    req: &DashboardRequest,
    kube: &Kube,
) -> Result<PodTarget, DashboardError> {
    let d = p.dashboard;
    let name = d.name.to_string();
    match (&p.pod, &req.selector) {
        (Some(_), Some(_)) => Err(DashboardError::NameAndSelector),
        (Some(arg), None) if d.takes_pod => {
            let default_ns = namespaces(d, req, kube).remove(0);
            pods::resolve_named(kube, arg, &default_ns).await
        }
        (Some(arg), None) => Err(DashboardError::TakesNoPod {
            dashboard: name,
            arg: arg.clone(),
        }),
        (None, Some(sel)) => Ok(PodTarget::Selector {
            selector: sel.clone(),
            namespaces: namespaces(d, req, kube),
        }),
        (None, None) if d.selector.is_empty() => Err(DashboardError::NeedsPod { dashboard: name }),
        (None, None) => Ok(PodTarget::Selector {
            selector: d.selector.to_string(),
            namespaces: namespaces(d, req, kube),
        }),
    }
}

/// Everything ready to serve one dashboard.
struct Prepared {
    dashboard: &'static Dashboard,
    session: Session,
    bound: Bound,
}

async fn prepare(
    p: &Planned,
    req: &DashboardRequest,
    kube: &Kube,
    reporter: &dyn Reporter,
) -> Result<Prepared, DashboardError> {
    let target = target(p, req, kube).await?;
    let pod = pods::find(kube, &target).await?;
    let remote_port = req.ui_port.unwrap_or(p.dashboard.port);
    // Refusals (RBAC, an unreachable node) show before anything is said to be ready.
    tunnel::open(kube, &pod, remote_port).await?.abort();
    let (addresses, optional_rest) = Listen::addresses(&req.address).await?;
    let bound = tunnel::bind(&Listen {
        addresses,
        optional_rest,
        port: req.port,
        default_port: remote_port,
    })
    .await?;
    if let Some(wanted) = bound.fell_back_from {
        reporter.event(
            p.dashboard.name,
            tunnel::Event::PortFallback {
                wanted,
                got: bound.port,
            },
        );
    }
    let session = Session::new(
        p.dashboard.name,
        kube.clone(),
        target,
        remote_port,
        req.max_reconnects.max(1),
        pod,
    );
    Ok(Prepared {
        dashboard: p.dashboard,
        session,
        bound,
    })
}

fn url(addr: &std::net::SocketAddr, path: &str) -> String {
    format!("http://{addr}{path}")
}

/// Serves one dashboard: the tunnel runs while the health check goes through it.
async fn serve(
    prepared: Prepared,
    req: &DashboardRequest,
    reporter: &dyn Reporter,
    stop: watch::Receiver<bool>,
) -> Result<(), DashboardError> {
    let Prepared {
        dashboard: d,
        session,
        bound,
    } = prepared;
    let addrs = bound.addrs();
    let first = addrs[0];
    let pod = session.pod();
    let run = session.run(bound, reporter, stop).fuse();
    futures::pin_mut!(run);
    let announce = async {
        let health_url = url(&first, d.health_path);
        let health = match health::check(&health_url, req.health_timeout).await {
            Ok(status) => Health::Healthy(status),
            Err(e) if req.require_healthy => {
                return Err(DashboardError::Unhealthy {
                    dashboard: d.name.to_string(),
                    url: health_url,
                    timeout: req.health_timeout,
                    got: e.got,
                });
            }
            Err(e) => Health::Unhealthy(e.got),
        };
        let ready = Ready {
            name: d.name.to_string(),
            url: url(&first, d.path),
            also: addrs[1..].iter().map(ToString::to_string).collect(),
            pod,
            health,
        };
        reporter.ready(&ready);
        if req.browser
            && browser::can_open(|n| std::env::var(n).ok())
            && let Err(reason) = browser::open(&ready.url)
        {
            reporter.browser_failed(&ready.url, &reason);
        }
        Ok(())
    }
    .fuse();
    futures::pin_mut!(announce);
    futures::select! {
        ended = run => return ended.map(|_| ()),
        announced = announce => announced?,
    }
    run.await.map(|_| ())
}

/// Opens the dashboards and serves them until a signal (`Ok`) or a failure (`Err`).
pub fn run(req: &DashboardRequest, reporter: &dyn Reporter) -> Result<Stopped, DashboardError> {
    let planned = plan(&req.args)?;
    if let Some(port) = req.port
        && planned.len() > 1
    {
        return Err(DashboardError::PortForSeveral {
            port,
            count: planned.len(),
        });
    }
    let runtime = tokio::runtime::Runtime::new().map_err(DashboardError::Runtime)?;
    let result = runtime.block_on(async {
        // Listening for signals from the start: a SIGTERM while connecting also ends cleanly.
        let signal = super::interrupt::signalled().shared();
        let work = async {
            let kube = crate::kube::shared(&req.kube).await?;
            let mut prepared = Vec::new();
            for p in &planned {
                prepared.push(prepare(p, req, &kube, reporter).await?);
            }
            Ok::<_, DashboardError>(prepared)
        };
        let prepared = tokio::select! {
            p = work => p?,
            name = signal.clone() => {
                reporter.stopping(name);
                return Ok(Stopped { signal: name });
            }
        };
        let (stop_tx, stop_rx) = watch::channel(false);
        let all = future::try_join_all(
            prepared
                .into_iter()
                .map(|p| serve(p, req, reporter, stop_rx.clone())),
        );
        futures::pin_mut!(all);
        tokio::select! {
            r = &mut all => r.map(|_| Stopped { signal: "" }),
            name = signal => {
                reporter.stopping(name);
                let _ = stop_tx.send(true);
                // Each tunnel closes its listeners and returns.
                let _ = tokio::time::timeout(Duration::from_secs(3), all).await;
                Ok(Stopped { signal: name })
            }
        }
    });
    // Connections still being carried are cut off here, not waited for.
    runtime.shutdown_timeout(Duration::from_millis(200));
    result
}

/// One row of `meshdeck dashboard` without names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverviewRow {
    pub name: &'static str,
    pub title: &'static str,
    pub state: PodState,
    pub command: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PodState {
    /// A pod that can serve.
    Ready(Chosen),
    /// Pods exist, none can serve: the first reason.
    NotReady {
        pods: usize,
        reason: String,
    },
    NotInstalled {
        namespaces: Vec<String>,
    },
    /// The pods could not be listed.
    Unknown(String),
}

/// The command that opens `d`, with the namespace flags it needs to find the same pod.
fn open_command(d: &Dashboard, req: &DashboardRequest, state: &PodState) -> String {
    let mut cmd = format!("meshdeck dashboard {}", d.name);
    if req.istio_namespace != "istio-system" {
        cmd.push_str(&format!(" -i {}", req.istio_namespace));
    }
    if let PodState::Ready(pod) = state
        && pod.namespace != req.istio_namespace
    {
        cmd.push_str(&format!(" -n {}", pod.namespace));
    }
    cmd
}

/// Which dashboards this cluster has, and whether each is ready.
pub fn overview(req: &DashboardRequest) -> Result<Vec<OverviewRow>, DashboardError> {
    let runtime = tokio::runtime::Runtime::new().map_err(DashboardError::Runtime)?;
    runtime.block_on(async {
        let kube = crate::kube::shared(&req.kube).await?;
        let mut rows = Vec::new();
        let mut first_forbidden = None;
        let candidates: Vec<&Dashboard> = dashboard::CATALOGUE
            .iter()
            .filter(|d| !d.selector.is_empty())
            .collect();
        for d in &candidates {
            let target = PodTarget::Selector {
                selector: d.selector.to_string(),
                namespaces: namespaces(d, req, &kube),
            };
            let state = match pods::find(&kube, &target).await {
                Ok(pod) => PodState::Ready(pod),
                Err(DashboardError::NoPod {
                    rejected,
                    namespaces,
                    problems,
                    ..
                }) => match rejected.first() {
                    Some(r) => PodState::NotReady {
                        pods: rejected.len(),
                        reason: r.to_string(),
                    },
                    None if !problems.is_empty() => PodState::Unknown(problems.join("; ")),
                    None => PodState::NotInstalled { namespaces },
                },
                Err(DashboardError::Kube(k @ crate::kube::KubeError::Forbidden { .. })) => {
                    let text = k.to_string();
                    first_forbidden.get_or_insert(k);
                    PodState::Unknown(text)
                }
                Err(e @ DashboardError::Kube(_)) => return Err(e),
                Err(e) => PodState::Unknown(e.to_string()),
            };
            let command = open_command(d, req, &state);
            rows.push(OverviewRow {
                name: d.name,
                title: d.title,
                state,
                command,
            });
        }
        // Nothing could be read at all: that is an error, not a table of unknowns.
        let all_forbidden = rows
            .iter()
            .all(|r| matches!(&r.state, PodState::Unknown(t) if t.starts_with("forbidden")));
        if all_forbidden && let Some(e) = first_forbidden {
            return Err(e.into());
        }
        Ok(rows)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn pods_follow_the_dashboards_that_take_them() {
        let p = plan(&args(&[
            "proxy",
            "deploy/productpage-v1.bookinfo",
            "kiali",
            "grafana",
        ]))
        .unwrap();
        let names: Vec<_> = p
            .iter()
            .map(|p| (p.dashboard.name, p.pod.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("proxy", Some("deploy/productpage-v1.bookinfo")),
                ("kiali", None),
                ("grafana", None)
            ]
        );
        assert!(matches!(
            plan(&args(&["kiali", "kiali-abc"])),
            Err(DashboardError::Unknown { name }) if name == "kiali-abc"
        ));
        assert!(matches!(
            plan(&args(&["kibana"])),
            Err(DashboardError::Unknown { .. })
        ));
        assert_eq!(
            plan(&args(&["envoy", "p"])).unwrap()[0].dashboard.name,
            "proxy"
        );
    }
}
