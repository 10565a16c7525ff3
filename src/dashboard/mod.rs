//! `meshdeck dashboard`: which addon lives where ([`Dashboard`], [`CATALOGUE`]), choosing a
//! running and ready pod ([`pods`]), the local listener that opens one port-forward per accepted
//! connection and reconnects to a new pod when the old one goes ([`tunnel`]), the HTTP health
//! check through the tunnel ([`health`]) and opening the system browser ([`browser`]).

pub mod browser;
mod error;
pub mod health;
pub mod pods;
pub mod tunnel;

pub use error::DashboardError;
pub use pods::{Chosen, Rejected, choose};
pub use tunnel::{Bound, Event, Listen, Observer, Session, SessionEnd};

/// Where an addon's pods are looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Search {
    /// The Istio namespace first, then `-n` (istioctl's `inferPodMeta`).
    IstioThenNamespace,
    /// The Istio namespace only (istiod's own pages).
    Istio,
    /// The `-n` namespace (a workload's Envoy).
    Namespace,
}

/// One dashboard `meshdeck dashboard NAME` knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dashboard {
    pub name: &'static str,
    /// What it is, for the overview table and `--help`.
    pub title: &'static str,
    /// The label selector of its pods.
    pub selector: &'static str,
    /// The port in the pod.
    pub port: u16,
    /// The path of the URL printed and opened.
    pub path: &'static str,
    /// The path that answers 2xx when the UI is up.
    pub health_path: &'static str,
    pub search: Search,
    /// It needs a pod name or `-l` (proxy, controlz, istiod-debug take one; addons never).
    pub takes_pod: bool,
}

/// Every dashboard, in the order of `meshdeck dashboard`'s table.
pub const CATALOGUE: &[Dashboard] = &[
    Dashboard {
        name: "kiali",
        title: "Kiali, the mesh console",
        selector: "app=kiali",
        port: 20001,
        path: "/kiali",
        health_path: "/kiali/healthz",
        search: Search::IstioThenNamespace,
        takes_pod: false,
    },
    Dashboard {
        name: "grafana",
        title: "Grafana dashboards",
        selector: "app.kubernetes.io/name=grafana",
        port: 3000,
        path: "/",
        health_path: "/api/health",
        search: Search::IstioThenNamespace,
        takes_pod: false,
    },
    Dashboard {
        name: "prometheus",
        title: "Prometheus",
        selector: "app.kubernetes.io/name=prometheus",
        port: 9090,
        path: "/",
        health_path: "/-/ready",
        search: Search::IstioThenNamespace,
        takes_pod: false,
    },
    Dashboard {
        name: "jaeger",
        title: "Jaeger tracing",
        selector: "app=jaeger",
        port: 16686,
        path: "/",
        health_path: "/",
        search: Search::IstioThenNamespace,
        takes_pod: false,
    },
    Dashboard {
        name: "zipkin",
        title: "Zipkin tracing",
        selector: "app=zipkin",
        port: 9411,
        path: "/",
        health_path: "/health",
        search: Search::IstioThenNamespace,
        takes_pod: false,
    },
    Dashboard {
        name: "skywalking",
        title: "SkyWalking UI",
        selector: "app=skywalking-ui",
        port: 8080,
        path: "/",
        health_path: "/",
        search: Search::IstioThenNamespace,
        takes_pod: false,
    },
    Dashboard {
        name: "controlz",
        title: "istiod's ControlZ introspection",
        selector: "app=istiod",
        port: 9876,
        path: "/",
        health_path: "/",
        search: Search::Istio,
        takes_pod: true,
    },
    Dashboard {
        name: "istiod-debug",
        title: "istiod's debug endpoints",
        selector: "app=istiod",
        port: 15014,
        path: "/debug",
        health_path: "/debug",
        search: Search::Istio,
        takes_pod: true,
    },
    Dashboard {
        name: "proxy",
        title: "a workload's Envoy admin page",
        selector: "",
        port: 15000,
        path: "/",
        health_path: "/ready",
        search: Search::Namespace,
        takes_pod: true,
    },
];

/// The dashboard of that name (`envoy` is istioctl's old name for `proxy`).
pub fn find(name: &str) -> Option<&'static Dashboard> {
    let name = if name == "envoy" { "proxy" } else { name };
    CATALOGUE.iter().find(|d| d.name == name)
}

/// The known names, for error messages.
pub fn names() -> Vec<&'static str> {
    CATALOGUE.iter().map(|d| d.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_matches_istioctl() {
        let kiali = find("kiali").unwrap();
        assert_eq!(
            (kiali.selector, kiali.port, kiali.path),
            ("app=kiali", 20001, "/kiali")
        );
        assert_eq!(find("grafana").unwrap().port, 3000);
        assert_eq!(find("prometheus").unwrap().health_path, "/-/ready");
        assert_eq!(find("envoy").unwrap().name, "proxy");
        assert_eq!(find("istiod-debug").unwrap().port, 15014);
        assert!(find("nope").is_none());
        let mut names = names();
        names.dedup();
        assert_eq!(names.len(), CATALOGUE.len(), "names are unique");
    }
}
