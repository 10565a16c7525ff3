//! The tunnel: local listeners on loopback (or where `--address` says), one port-forward through
//! the API server per accepted connection (a WebSocket carries one connection), and a supervisor
//! that notices when the pod goes away or a forward breaks, then finds a new ready pod and
//! reconnects with backoff, giving up after `max_reconnects` failures in a row.

use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::api::Api;
use kube::api::Portforwarder;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};

use super::pods::{self, PodTarget, unfit};
use super::{Chosen, DashboardError};
use crate::kube::Kube;

/// What a session reports while it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The port asked for by default was taken; a free one is used instead.
    PortFallback { wanted: u16, got: u16 },
    /// The pod went away or a forward to it failed.
    Broken { pod: Chosen, reason: String },
    /// A reconnect attempt failed; the next is in `delay`.
    Retrying {
        attempt: u32,
        max: u32,
        delay: Duration,
        reason: String,
    },
    /// Forwarding again, to this pod.
    Reconnected { pod: Chosen },
}

/// Receives a session's events (the command prints them).
pub trait Observer {
    fn event(&self, dashboard: &str, event: Event);
}

/// Where to listen: addresses (the first must bind; later ones are skipped when `optional_rest`
/// and the machine lacks them, as `::1` without IPv6), and a port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listen {
    pub addresses: Vec<IpAddr>,
    pub optional_rest: bool,
    /// `--port`: exactly this one, or fail.
    pub port: Option<u16>,
    /// Tried first without `--port` (the remote port); then a free one.
    pub default_port: u16,
}

impl Listen {
    /// Reads `--address`: `localhost` (both loopback addresses), an IP address, or a host name.
    pub async fn addresses(address: &str) -> Result<(Vec<IpAddr>, bool), DashboardError> {
        if address.eq_ignore_ascii_case("localhost") {
            return Ok((
                vec![
                    IpAddr::V4(Ipv4Addr::LOCALHOST),
                    IpAddr::V6(Ipv6Addr::LOCALHOST),
                ],
                true,
            ));
        }
        let trimmed = address.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = trimmed.parse::<IpAddr>() {
            return Ok((vec![ip], false));
        }
        let found = tokio::net::lookup_host((address, 0)).await.map_err(|e| {
            DashboardError::BadAddress {
                address: address.to_string(),
                reason: e.to_string(),
            }
        })?;
        let mut ips: Vec<IpAddr> = Vec::new();
        for a in found {
            if !ips.contains(&a.ip()) {
                ips.push(a.ip());
            }
        }
        if ips.is_empty() {
            return Err(DashboardError::BadAddress {
                address: address.to_string(),
                reason: "it resolves to no address".into(),
            });
        }
        Ok((ips, false))
    }
}

/// Listeners bound on one port.
pub struct Bound {
    pub listeners: Vec<TcpListener>,
    pub port: u16,
    /// The default port was taken and this free one is used.
    pub fell_back_from: Option<u16>,
}

impl Bound {
    pub fn addrs(&self) -> Vec<SocketAddr> {
        self.listeners
            .iter()
            .filter_map(|l| l.local_addr().ok())
            .collect()
    }
}

fn no_such_address(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::AddrNotAvailable | ErrorKind::Unsupported
    ) || e.raw_os_error() == Some(97)
}

fn listen_error(addr: SocketAddr, e: std::io::Error) -> DashboardError {
    if e.kind() == ErrorKind::AddrInUse {
        DashboardError::PortInUse { addr }
    } else {
        DashboardError::Listen { addr, source: e }
    }
}

async fn bind_all(listen: &Listen, port: u16) -> Result<Bound, DashboardError> {
    let mut listeners = Vec::new();
    let mut port = port;
    for (i, ip) in listen.addresses.iter().enumerate() {
        let addr = SocketAddr::new(*ip, port);
        match TcpListener::bind(addr).await {
            Ok(l) => {
                if i == 0 {
                    // Port 0 asks for a free one: the others take the same.
                    port = l.local_addr().map(|a| a.port()).unwrap_or(port);
                }
                listeners.push(l);
            }
            // No IPv6 here (EADDRNOTAVAIL, EAFNOSUPPORT): 127.0.0.1 alone serves localhost.
            Err(e) if i > 0 && listen.optional_rest && no_such_address(&e) => {}
            Err(e) => return Err(listen_error(addr, e)),
        }
    }
    Ok(Bound {
        listeners,
        port,
        fell_back_from: None,
    })
}

/// Binds the listeners: `--port` exactly, else the default port, else a free one.
pub async fn bind(listen: &Listen) -> Result<Bound, DashboardError> {
    if let Some(port) = listen.port {
        return bind_all(listen, port).await;
    }
    match bind_all(listen, listen.default_port).await {
        Ok(b) => Ok(b),
        Err(DashboardError::PortInUse { .. }) => {
            let mut b = bind_all(listen, 0).await?;
            b.fell_back_from = Some(listen.default_port);
            Ok(b)
        }
        Err(e) => Err(e),
    }
}

/// Opens one port-forward to `pod`'s `port`, turning the API server's refusals into errors
/// that say what happened.
pub async fn open(kube: &Kube, pod: &Chosen, port: u16) -> Result<Portforwarder, DashboardError> {
    let api: Api<Pod> = Api::namespaced(kube.client().clone(), &pod.namespace);
    api.portforward(&pod.name, &[port])
        .await
        .map_err(|e| forward_error(kube, pod, e))
}

fn forward_error(kube: &Kube, pod: &Chosen, e: kube::Error) -> DashboardError {
    use kube::client::UpgradeConnectionError;
    let forward = |reason: String| DashboardError::Forward {
        namespace: pod.namespace.clone(),
        pod: pod.name.clone(),
        reason,
    };
    match &e {
        kube::Error::Api(s) if s.code == 403 => DashboardError::ForwardForbidden {
            namespace: pod.namespace.clone(),
            pod: pod.name.clone(),
            message: s.message.clone(),
        },
        kube::Error::Api(s) if s.code != 401 => {
            forward(format!("the API server answered {}: {}", s.code, s.message))
        }
        kube::Error::UpgradeConnection(UpgradeConnectionError::ProtocolSwitch(status)) => {
            match status.as_u16() {
                401 | 403 => DashboardError::ForwardForbidden {
                    namespace: pod.namespace.clone(),
                    pod: pod.name.clone(),
                    message: format!("the API server answered {status}"),
                },
                404 => forward(format!(
                    "the API server answered {status}: the pod or its node is gone"
                )),
                400 => forward(format!(
                    "the API server answered {status}: the pod is not running on a node"
                )),
                _ => forward(format!(
                    "the API server answered {status}: it could not reach the pod's kubelet"
                )),
            }
        }
        kube::Error::UpgradeConnection(other) => forward(other.to_string()),
        _ => kube
            .error(
                &format!("port-forward to pod {}/{}", pod.namespace, pod.name),
                e,
            )
            .into(),
    }
}

/// How one dashboard's tunnel ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionEnd {
    /// Stopped on request (a signal).
    Stopped,
}

/// One dashboard's tunnel: listeners, the pod it forwards to now, and the supervisor.
pub struct Session {
    pub dashboard: String,
    pub kube: Kube,
    pub target: PodTarget,
    pub remote_port: u16,
    pub max_reconnects: u32,
    /// How often the pod is looked at.
    pub poll: Duration,
    current: Arc<RwLock<Chosen>>,
    /// The pod last declared lost: connections still carried to it are cut, so that clients
    /// reconnect instead of waiting on a stream nobody serves.
    lost: watch::Sender<Option<Chosen>>,
}

/// Why a connection's forward failed, and to which pod.
struct Broken {
    pod: Chosen,
    reason: String,
}

impl Session {
    pub fn new(
        dashboard: &str,
        kube: Kube,
        target: PodTarget,
        remote_port: u16,
        max_reconnects: u32,
        pod: Chosen,
    ) -> Session {
        Session {
            dashboard: dashboard.to_string(),
            kube,
            target,
            remote_port,
            max_reconnects,
            poll: Duration::from_secs(1),
            current: Arc::new(RwLock::new(pod)),
            lost: watch::Sender::new(None),
        }
    }

    /// The pod forwarded to now.
    pub fn pod(&self) -> Chosen {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Serves the listeners until `stop` turns true (then they are closed and this returns
    /// `Stopped`), or until reconnecting failed `max_reconnects` times in a row.
    pub async fn run(
        self,
        bound: Bound,
        observer: &dyn Observer,
        mut stop: watch::Receiver<bool>,
    ) -> Result<SessionEnd, DashboardError> {
        let (broken_tx, mut broken_rx) = mpsc::unbounded_channel::<Broken>();
        let mut accepts = tokio::task::JoinSet::new();
        for listener in bound.listeners {
            accepts.spawn(accept_loop(
                listener,
                self.kube.clone(),
                self.current.clone(),
                self.lost.subscribe(),
                self.remote_port,
                broken_tx.clone(),
            ));
        }
        let result = self.supervise(observer, &mut stop, &mut broken_rx).await;
        // Closing the listeners: nothing more is accepted.
        accepts.abort_all();
        while accepts.join_next().await.is_some() {}
        result
    }

    async fn supervise(
        &self,
        observer: &dyn Observer,
        stop: &mut watch::Receiver<bool>,
        broken_rx: &mut mpsc::UnboundedReceiver<Broken>,
    ) -> Result<SessionEnd, DashboardError> {
        let mut pods_ns = self.pod().namespace;
        let mut pods: Api<Pod> = Api::namespaced(self.kube.client().clone(), &pods_ns);
        loop {
            if *stop.borrow() {
                return Ok(SessionEnd::Stopped);
            }
            let current = self.pod();
            if current.namespace != pods_ns {
                pods_ns = current.namespace.clone();
                pods = Api::namespaced(self.kube.client().clone(), &pods_ns);
            }
            let reason = tokio::select! {
                _ = stop.changed() => return Ok(SessionEnd::Stopped),
                b = broken_rx.recv() => match b {
                    // Reports about a pod left behind already are old news.
                    Some(b) if b.pod == current => Some(b.reason),
                    _ => None,
                },
                _ = tokio::time::sleep(self.poll) => match pods.get_opt(&current.name).await {
                    Ok(None) => Some("the pod was deleted".to_string()),
                    Ok(Some(pod)) => unfit(&pod).map(|r| format!("the pod is {r}")),
                    // The API server is briefly unreachable: the forward may still work.
                    Err(_) => None,
                },
            };
            let Some(reason) = reason else { continue };
            self.lost.send_replace(Some(current.clone()));
            observer.event(
                &self.dashboard,
                Event::Broken {
                    pod: current.clone(),
                    reason,
                },
            );
            self.reconnect(observer, stop).await?;
            if *stop.borrow() {
                return Ok(SessionEnd::Stopped);
            }
            // Failures reported meanwhile were about the old pod.
            while broken_rx.try_recv().is_ok() {}
        }
    }

    async fn reconnect(
        &self,
        observer: &dyn Observer,
        stop: &mut watch::Receiver<bool>,
    ) -> Result<(), DashboardError> {
        let mut failures = 0u32;
        loop {
            let attempt = async {
                let pod = pods::find(&self.kube, &self.target).await?;
                open(&self.kube, &pod, self.remote_port).await?.abort();
                Ok::<Chosen, DashboardError>(pod)
            };
            match attempt.await {
                Ok(pod) => {
                    *self.current.write().unwrap_or_else(|e| e.into_inner()) = pod.clone();
                    observer.event(&self.dashboard, Event::Reconnected { pod });
                    return Ok(());
                }
                Err(e) => {
                    failures += 1;
                    let last = e.to_string();
                    if failures >= self.max_reconnects {
                        return Err(DashboardError::ReconnectsExhausted {
                            dashboard: self.dashboard.clone(),
                            attempts: failures,
                            last,
                        });
                    }
                    let delay = backoff(failures);
                    observer.event(
                        &self.dashboard,
                        Event::Retrying {
                            attempt: failures,
                            max: self.max_reconnects,
                            delay,
                            reason: last.clone(),
                        },
                    );
                    tokio::select! {
                        _ = stop.changed() => return Ok(()),
                        _ = tokio::time::sleep(delay) => {}
                    }
                }
            }
        }
    }
}

/// The wait after the `n`th failure in a row: 250 ms, doubling, at most 5 s.
pub fn backoff(n: u32) -> Duration {
    let ms = 250u64.saturating_mul(1 << n.saturating_sub(1).min(5));
    Duration::from_millis(ms.min(5_000))
}

async fn accept_loop(
    listener: TcpListener,
    kube: Kube,
    current: Arc<RwLock<Chosen>>,
    lost: watch::Receiver<Option<Chosen>>,
    port: u16,
    broken: mpsc::UnboundedSender<Broken>,
) {
    let mut conns = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((conn, _)) = accepted else {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let pod = current.read().unwrap_or_else(|e| e.into_inner()).clone();
                let lost = lost.clone();
                conns.spawn(forward_one(conn, kube.clone(), pod, port, lost, broken.clone()));
            }
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
}

/// Carries one local connection through its own port-forward.
async fn forward_one(
    mut conn: TcpStream,
    kube: Kube,
    pod: Chosen,
    port: u16,
    mut lost: watch::Receiver<Option<Chosen>>,
    broken: mpsc::UnboundedSender<Broken>,
) {
    let _ = conn.set_nodelay(true);
    let mut pf = match open(&kube, &pod, port).await {
        Ok(pf) => pf,
        Err(e) => {
            let _ = broken.send(Broken {
                pod,
                reason: format!("a new connection could not be forwarded: {e}"),
            });
            return;
        }
    };
    let Some(mut upstream) = pf.take_stream(port) else {
        pf.abort();
        return;
    };
    let error = pf.take_error(port);
    let pod_lost = async {
        loop {
            if lost.changed().await.is_err() {
                // The session is gone; the runtime ends this task.
                std::future::pending::<()>().await;
            }
            let gone = lost.borrow_and_update().as_ref() == Some(&pod);
            if gone {
                return;
            }
        }
    };
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut conn, &mut upstream) => {}
        _ = pod_lost => {
            pf.abort();
            return;
        }
    }
    pf.abort();
    // The kubelet's error channel says why the pod side failed (nothing was listening, ...).
    if let Some(error) = error
        && let Ok(Some(message)) = tokio::time::timeout(Duration::from_millis(50), error).await
    {
        let _ = broken.send(Broken {
            pod,
            reason: format!("the forward failed: {message}"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_five_seconds() {
        assert_eq!(backoff(1), Duration::from_millis(250));
        assert_eq!(backoff(2), Duration::from_millis(500));
        assert_eq!(backoff(3), Duration::from_secs(1));
        assert_eq!(backoff(10), Duration::from_secs(5));
    }

    #[tokio::test]
    async fn default_port_in_use_falls_back_to_a_free_one_and_explicit_port_fails() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let listen = Listen {
            addresses: vec![IpAddr::V4(Ipv4Addr::LOCALHOST)],
            optional_rest: true,
            port: None,
            default_port: port,
        };
        let b = bind(&listen).await.unwrap();
        assert_eq!(b.fell_back_from, Some(port));
        assert_ne!(b.port, port);
        let explicit = Listen {
            port: Some(port),
            ..listen
        };
        match bind(&explicit).await {
            Err(DashboardError::PortInUse { addr }) => assert_eq!(addr.port(), port),
            Err(e) => panic!("wrong error: {e}"),
            Ok(_) => panic!("bound a port in use"),
        }
    }

    #[tokio::test]
    async fn localhost_means_both_loopback_addresses_on_one_port() {
        let (ips, optional) = Listen::addresses("localhost").await.unwrap();
        assert!(optional);
        let b = bind(&Listen {
            addresses: ips,
            optional_rest: optional,
            port: None,
            default_port: 0,
        })
        .await
        .unwrap();
        let addrs = b.addrs();
        assert_eq!(addrs[0].ip(), IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert!(
            addrs
                .iter()
                .all(|a| a.port() == b.port && a.ip().is_loopback())
        );
        assert!(matches!(
            Listen::addresses("no such host.invalid").await,
            Err(DashboardError::BadAddress { .. })
        ));
    }
}
