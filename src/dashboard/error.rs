//! What can go wrong opening a dashboard, each error saying what, where and what to do.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use super::Rejected;
use crate::kube::KubeError;

fn bullets<T: fmt::Display>(items: &[T]) -> String {
    items.iter().map(|i| format!("\n  - {i}")).collect()
}

fn no_pod_detail(rejected: &[Rejected], problems: &[String]) -> String {
    let mut out = String::new();
    if rejected.is_empty() && problems.is_empty() {
        out.push_str(": no pod carries these labels");
    }
    if !rejected.is_empty() {
        out.push_str(&format!("; pods passed over:{}", bullets(rejected)));
    }
    if !problems.is_empty() {
        out.push_str(&format!("\n  also:{}", bullets(problems)));
    }
    out
}

#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    #[error(transparent)]
    Kube(#[from] KubeError),
    #[error("unknown dashboard {name:?}: use one of {}", super::names().join(", "))]
    Unknown { name: String },
    #[error("{dashboard} needs a pod: give POD, deploy/NAME or --selector")]
    NeedsPod { dashboard: String },
    #[error("{dashboard} takes no pod name ({arg:?}); it finds its pods by --selector")]
    TakesNoPod { dashboard: String, arg: String },
    #[error("give a pod name or --selector, not both")]
    NameAndSelector,
    #[error("cannot forward to {arg:?}: {reason}")]
    BadTarget { arg: String, reason: String },
    #[error("--port {port} was given for {count} dashboards; each needs a port of its own")]
    PortForSeveral { port: u16, count: usize },
    #[error("no running and ready pod with selector {selector:?} in namespace(s) {}{}", namespaces.join(", "), no_pod_detail(rejected, problems))]
    NoPod {
        selector: String,
        namespaces: Vec<String>,
        rejected: Vec<Rejected>,
        /// Namespaces that could not be listed.
        problems: Vec<String>,
    },
    #[error("pod {namespace}/{name} not found")]
    PodNotFound { namespace: String, name: String },
    #[error("pod {namespace}/{name} cannot be forwarded to: {reason}")]
    PodUnfit {
        namespace: String,
        name: String,
        reason: String,
    },
    #[error("--address {address:?} is not an IP address or a host name that resolves: {reason}")]
    BadAddress { address: String, reason: String },
    #[error("cannot listen on {addr}: the port is in use")]
    PortInUse { addr: SocketAddr },
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "forbidden: cannot port-forward to pod {namespace}/{pod} (pods/portforward): {message}"
    )]
    ForwardForbidden {
        namespace: String,
        pod: String,
        message: String,
    },
    #[error("cannot port-forward to pod {namespace}/{pod}: {reason}")]
    Forward {
        namespace: String,
        pod: String,
        reason: String,
    },
    #[error("{dashboard} did not answer healthy at {url} within {}: {got}", humantime::format_duration(*timeout))]
    Unhealthy {
        dashboard: String,
        url: String,
        timeout: Duration,
        got: String,
    },
    #[error("{dashboard}: gave up after {attempts} failed reconnect(s) in a row; last: {last}")]
    ReconnectsExhausted {
        dashboard: String,
        attempts: u32,
        last: String,
    },
    #[error("cannot start the async runtime")]
    Runtime(#[source] std::io::Error),
}

impl DashboardError {
    /// A usage mistake rather than a failure (exit code 64).
    pub fn is_bad_flag_value(&self) -> bool {
        matches!(
            self,
            DashboardError::Unknown { .. }
                | DashboardError::NeedsPod { .. }
                | DashboardError::TakesNoPod { .. }
                | DashboardError::NameAndSelector
                | DashboardError::PortForSeveral { .. }
                | DashboardError::BadAddress { .. }
        )
    }

    pub fn hint(&self) -> Option<String> {
        Some(match self {
            DashboardError::Kube(e) => return e.hint(),
            DashboardError::Unknown { .. } => "run meshdeck dashboard to list them".into(),
            DashboardError::NeedsPod { dashboard } => {
                format!("e.g. meshdeck dashboard {dashboard} deploy/productpage-v1 -n bookinfo")
            }
            DashboardError::TakesNoPod { .. } | DashboardError::NameAndSelector => {
                "use -l/--selector to choose pods by label".into()
            }
            DashboardError::BadTarget { .. } => "e.g. productpage-v1-7d9f.bookinfo or deploy/productpage-v1".into(),
            DashboardError::PortForSeveral { .. } => {
                "leave out --port: each dashboard gets its own remote port, or a free one".into()
            }
            DashboardError::NoPod { .. } => {
                "install the addon (samples/addons), wait until its pod is ready, or point -i/-n/-l at where it runs".into()
            }
            DashboardError::PodNotFound { .. } => "list pods with kubectl get pods -n NAMESPACE".into(),
            DashboardError::PodUnfit { .. } => "wait until the pod is Running and Ready, or choose another".into(),
            DashboardError::BadAddress { .. } => "use localhost, 127.0.0.1, ::1 or an address of this machine".into(),
            DashboardError::PortInUse { .. } => "choose another --port, or stop what listens there".into(),
            DashboardError::Listen { .. } => "choose another --address or --port".into(),
            DashboardError::ForwardForbidden { .. } => {
                "port-forwarding needs get and create on pods/portforward: ask a cluster admin (kubectl auth can-i create pods/portforward)".into()
            }
            DashboardError::Forward { .. } => {
                "check that the pod's node is up and reachable from the API server (kubectl get nodes)".into()
            }
            DashboardError::Unhealthy { .. } => {
                "look at the pod's logs; without --require-healthy the tunnel stays open anyway".into()
            }
            DashboardError::ReconnectsExhausted { .. } => {
                "check the addon's pods (kubectl get pods -l ...), or raise --max-reconnects".into()
            }
            DashboardError::Runtime(_) => return None,
        })
    }

    pub fn code(&self) -> &'static str {
        match self {
            DashboardError::Kube(e) => e.code(),
            DashboardError::Unknown { .. } => "dashboard::unknown",
            DashboardError::NeedsPod { .. } => "dashboard::needs_pod",
            DashboardError::TakesNoPod { .. } => "dashboard::takes_no_pod",
            DashboardError::NameAndSelector => "dashboard::name_and_selector",
            DashboardError::BadTarget { .. } => "dashboard::bad_target",
            DashboardError::PortForSeveral { .. } => "dashboard::port_for_several",
            DashboardError::NoPod { .. } => "dashboard::no_pod",
            DashboardError::PodNotFound { .. } => "dashboard::pod_not_found",
            DashboardError::PodUnfit { .. } => "dashboard::pod_unfit",
            DashboardError::BadAddress { .. } => "dashboard::bad_address",
            DashboardError::PortInUse { .. } => "dashboard::port_in_use",
            DashboardError::Listen { .. } => "dashboard::listen",
            DashboardError::ForwardForbidden { .. } => "dashboard::forbidden",
            DashboardError::Forward { .. } => "dashboard::forward",
            DashboardError::Unhealthy { .. } => "dashboard::unhealthy",
            DashboardError::ReconnectsExhausted { .. } => "dashboard::reconnects_exhausted",
            DashboardError::Runtime(_) => "dashboard::runtime",
        }
    }
}

impl miette::Diagnostic for DashboardError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(DashboardError::code(self)))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.hint().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
}
