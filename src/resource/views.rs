//! Typed views over parsed resources: small accessors that read fields out of the document tree
//! and know their field paths, so analyzers never spell YAML paths twice.

use std::ops::Deref;

use super::{Kind, Node, Resource, Selector};

macro_rules! views {
    ($($name:ident => $kind:ident),* $(,)?) => {
        $(
            #[doc = concat!("A view of a `", stringify!($kind), "` resource.")]
            #[derive(Clone, Copy, Debug)]
            pub struct $name<'a>(pub &'a Resource);

            impl<'a> $name<'a> {
                /// The view, if the resource is of this kind.
                pub fn of(r: &'a Resource) -> Option<Self> {
                    (r.kind == Kind::$kind).then_some($name(r))
                }

                pub fn resource(&self) -> &'a Resource {
                    self.0
                }

                pub fn spec(&self) -> &'a Node {
                    self.0.spec()
                }
            }

            impl Deref for $name<'_> {
                type Target = Resource;
                fn deref(&self) -> &Resource {
                    self.0
                }
            }
        )*
    };
}

views! {
    Gateway => Gateway,
    VirtualService => VirtualService,
    DestinationRule => DestinationRule,
    ServiceEntry => ServiceEntry,
    Sidecar => Sidecar,
    WorkloadEntry => WorkloadEntry,
    WorkloadGroup => WorkloadGroup,
    EnvoyFilter => EnvoyFilter,
    ProxyConfig => ProxyConfig,
    PeerAuthentication => PeerAuthentication,
    AuthorizationPolicy => AuthorizationPolicy,
    RequestAuthentication => RequestAuthentication,
    Telemetry => Telemetry,
    WasmPlugin => WasmPlugin,
    Namespace => Namespace,
    Pod => Pod,
    Service => Service,
    ConfigMap => ConfigMap,
    Secret => Secret,
    NodeObject => Node,
    Deployment => Deployment,
    StatefulSet => StatefulSet,
    DaemonSet => DaemonSet,
    ReplicaSet => ReplicaSet,
    Job => Job,
    CronJob => CronJob,
    MutatingWebhookConfiguration => MutatingWebhookConfiguration,
    ValidatingWebhookConfiguration => ValidatingWebhookConfiguration,
    CustomResourceDefinition => CustomResourceDefinition,
    K8sGateway => K8sGateway,
    HttpRoute => HTTPRoute,
    GrpcRoute => GRPCRoute,
}

/// `exportTo` values, with `.` kept as written.
fn export_to(node: &Node) -> Vec<String> {
    node.string_list().map(str::to_string).collect()
}

// ---------------------------------------------------------------------------------------------
// Istio networking

/// One `servers[]` entry of an Istio Gateway.
#[derive(Clone, Copy, Debug)]
pub struct GatewayServer<'a> {
    pub index: usize,
    pub node: &'a Node,
}

impl<'a> GatewayServer<'a> {
    pub fn port_number(&self) -> Option<i64> {
        self.node.path(&["port", "number"]).as_i64()
    }

    pub fn has_port(&self) -> bool {
        self.node.get("port").is_some_and(|p| !p.is_null())
    }

    pub fn port_protocol(&self) -> &'a str {
        self.node.path(&["port", "protocol"]).text()
    }

    pub fn hosts(&self) -> impl Iterator<Item = &'a str> {
        self.node.path(&["hosts"]).string_list()
    }

    pub fn bind(&self) -> &'a str {
        self.node.path(&["bind"]).text()
    }

    pub fn tls(&self) -> Option<&'a Node> {
        self.node.get("tls").filter(|t| !t.is_null())
    }

    pub fn credential_name(&self) -> &'a str {
        self.node.path(&["tls", "credentialName"]).text()
    }

    pub fn field(&self, rest: &str) -> String {
        if rest.is_empty() {
            format!("spec.servers[{}]", self.index)
        } else {
            format!("spec.servers[{}].{rest}", self.index)
        }
    }
}

impl<'a> Gateway<'a> {
    pub fn selector(&self) -> Selector {
        Selector::from_node(self.spec().path(&["selector"]))
    }

    /// The field path istioctl points selector messages at: the alphabetically first key.
    pub fn selector_field(&self) -> Option<String> {
        self.selector()
            .first_key()
            .map(|k| format!("spec.selector.{k}"))
    }

    pub fn servers(&self) -> impl Iterator<Item = GatewayServer<'a>> {
        self.spec()
            .path(&["servers"])
            .as_seq()
            .iter()
            .enumerate()
            .map(|(index, node)| GatewayServer { index, node })
    }
}

/// Which part of a VirtualService a destination sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteKind {
    Http,
    Tcp,
    Tls,
}

impl RouteKind {
    pub fn key(self) -> &'static str {
        match self {
            RouteKind::Http => "http",
            RouteKind::Tcp => "tcp",
            RouteKind::Tls => "tls",
        }
    }
}

/// A `destination` (route or mirror) inside a VirtualService.
#[derive(Clone, Debug)]
pub struct Destination<'a> {
    pub host: &'a str,
    pub subset: &'a str,
    pub port: Option<i64>,
    /// True for `mirror`/`mirrors[]` targets.
    pub mirror: bool,
    pub route_kind: RouteKind,
    /// Index of the rule inside `http`/`tcp`/`tls`.
    pub rule: usize,
    /// Field path of the `host` field.
    pub host_field: String,
}

impl<'a> VirtualService<'a> {
    pub fn hosts(&self) -> impl Iterator<Item = &'a str> {
        self.spec().path(&["hosts"]).string_list()
    }

    /// `(index, gateway reference)` of `spec.gateways`.
    pub fn gateways(&self) -> impl Iterator<Item = (usize, &'a str)> {
        self.spec()
            .path(&["gateways"])
            .as_seq()
            .iter()
            .enumerate()
            .map(|(i, n)| (i, n.text()))
    }

    pub fn has_gateways(&self) -> bool {
        !self.spec().path(&["gateways"]).as_seq().is_empty()
    }

    pub fn export_to(&self) -> Vec<String> {
        export_to(self.spec().path(&["exportTo"]))
    }

    pub fn rules(&self, kind: RouteKind) -> &'a [Node] {
        self.spec().path(&[kind.key()]).as_seq()
    }

    /// Route destinations of `http`, `tcp` and `tls` rules (in that order).
    pub fn route_destinations(&self) -> Vec<Destination<'a>> {
        let mut out = Vec::new();
        for kind in [RouteKind::Tcp, RouteKind::Tls, RouteKind::Http] {
            for (i, rule) in self.rules(kind).iter().enumerate() {
                for (j, route) in rule.path(&["route"]).as_seq().iter().enumerate() {
                    let d = route.path(&["destination"]);
                    if d.is_null() {
                        continue;
                    }
                    out.push(Destination {
                        host: d.path(&["host"]).text(),
                        subset: d.path(&["subset"]).text(),
                        port: d.path(&["port", "number"]).as_i64(),
                        mirror: false,
                        route_kind: kind,
                        rule: i,
                        host_field: format!("spec.{}[{i}].route[{j}].destination.host", kind.key()),
                    });
                }
            }
        }
        out
    }

    /// `http[].mirror` and `http[].mirrors[].destination` targets.
    pub fn mirror_destinations(&self) -> Vec<Destination<'a>> {
        let mut out = Vec::new();
        for (i, rule) in self.rules(RouteKind::Http).iter().enumerate() {
            let m = rule.path(&["mirror"]);
            if !m.is_null() {
                out.push(Destination {
                    host: m.path(&["host"]).text(),
                    subset: m.path(&["subset"]).text(),
                    port: m.path(&["port", "number"]).as_i64(),
                    mirror: true,
                    route_kind: RouteKind::Http,
                    rule: i,
                    host_field: format!("spec.http[{i}].mirror.host"),
                });
            }
            for (j, mm) in rule.path(&["mirrors"]).as_seq().iter().enumerate() {
                let d = mm.path(&["destination"]);
                out.push(Destination {
                    host: d.path(&["host"]).text(),
                    subset: d.path(&["subset"]).text(),
                    port: d.path(&["port", "number"]).as_i64(),
                    mirror: true,
                    route_kind: RouteKind::Http,
                    rule: i,
                    host_field: format!("spec.http[{i}].mirrors[{j}].destination.host"),
                });
            }
        }
        out
    }
}

/// A `subsets[]` entry of a DestinationRule.
#[derive(Clone, Copy, Debug)]
pub struct Subset<'a> {
    pub index: usize,
    pub node: &'a Node,
}

impl<'a> Subset<'a> {
    pub fn name(&self) -> &'a str {
        self.node.path(&["name"]).text()
    }

    pub fn labels(&self) -> Selector {
        Selector::from_node(self.node.path(&["labels"]))
    }
}

impl<'a> DestinationRule<'a> {
    pub fn host(&self) -> &'a str {
        self.spec().path(&["host"]).text()
    }

    pub fn subsets(&self) -> impl Iterator<Item = Subset<'a>> {
        self.spec()
            .path(&["subsets"])
            .as_seq()
            .iter()
            .enumerate()
            .map(|(index, node)| Subset { index, node })
    }

    pub fn export_to(&self) -> Vec<String> {
        export_to(self.spec().path(&["exportTo"]))
    }

    pub fn workload_selector(&self) -> Option<Selector> {
        self.spec()
            .get("workloadSelector")
            .filter(|n| !n.is_null())
            .map(|n| Selector::from_node(n.path(&["matchLabels"])))
    }
}

/// A port of a ServiceEntry.
#[derive(Clone, Copy, Debug)]
pub struct ServiceEntryPort<'a> {
    pub index: usize,
    pub node: &'a Node,
}

impl<'a> ServiceEntryPort<'a> {
    pub fn number(&self) -> Option<i64> {
        self.node.path(&["number"]).as_i64()
    }
    pub fn name(&self) -> &'a str {
        self.node.path(&["name"]).text()
    }
    pub fn protocol(&self) -> &'a str {
        self.node.path(&["protocol"]).text()
    }
}

impl<'a> ServiceEntry<'a> {
    pub fn hosts(&self) -> impl Iterator<Item = &'a str> {
        self.spec().path(&["hosts"]).string_list()
    }

    pub fn ports(&self) -> impl Iterator<Item = ServiceEntryPort<'a>> {
        self.spec()
            .path(&["ports"])
            .as_seq()
            .iter()
            .enumerate()
            .map(|(index, node)| ServiceEntryPort { index, node })
    }

    pub fn export_to(&self) -> Vec<String> {
        export_to(self.spec().path(&["exportTo"]))
    }

    pub fn workload_selector(&self) -> Selector {
        Selector::from_node(self.spec().path(&["workloadSelector", "labels"]))
    }
}

// ---------------------------------------------------------------------------------------------
// Kubernetes

/// `targetPort` of a Service port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetPort<'a> {
    None,
    Number(i64),
    Name(&'a str),
}

/// One `spec.ports[]` entry of a Service.
#[derive(Clone, Copy, Debug)]
pub struct ServicePort<'a> {
    pub index: usize,
    pub node: &'a Node,
}

impl<'a> ServicePort<'a> {
    pub fn name(&self) -> &'a str {
        self.node.path(&["name"]).text()
    }

    pub fn port(&self) -> Option<i64> {
        self.node.path(&["port"]).as_i64()
    }

    /// As written; empty when absent (the loader defaults it to TCP for file input).
    pub fn protocol(&self) -> &'a str {
        self.node.path(&["protocol"]).text()
    }

    pub fn app_protocol(&self) -> &'a str {
        self.node.path(&["appProtocol"]).text()
    }

    /// An integer, a numeric string, or a named port; 0 counts as absent.
    pub fn target_port(&self) -> TargetPort<'a> {
        let n = self.node.path(&["targetPort"]);
        if let Some(i) = n.as_i64() {
            return if i == 0 {
                TargetPort::None
            } else {
                TargetPort::Number(i)
            };
        }
        match n.as_str() {
            Some(s) if !s.is_empty() => match s.parse::<i64>() {
                Ok(0) => TargetPort::None,
                Ok(i) => TargetPort::Number(i),
                Err(_) => TargetPort::Name(s),
            },
            _ => TargetPort::None,
        }
    }

    /// The raw `targetPort` text ("" when absent).
    pub fn target_port_text(&self) -> &'a str {
        self.node.path(&["targetPort"]).text()
    }

    pub fn field(&self, rest: &str) -> String {
        format!("spec.ports[{}].{rest}", self.index)
    }
}

impl<'a> Service<'a> {
    pub fn selector(&self) -> Selector {
        Selector::from_node(self.spec().path(&["selector"]))
    }

    pub fn ports(&self) -> impl Iterator<Item = ServicePort<'a>> {
        self.spec()
            .path(&["ports"])
            .as_seq()
            .iter()
            .enumerate()
            .map(|(index, node)| ServicePort { index, node })
    }

    /// `spec.type`, `ClusterIP` when absent.
    pub fn service_type(&self) -> &'a str {
        match self.spec().path(&["type"]).text() {
            "" => "ClusterIP",
            t => t,
        }
    }

    /// The `networking.istio.io/exportTo` annotation, split on commas.
    pub fn export_to(&self) -> Vec<String> {
        self.0
            .annotations
            .get("networking.istio.io/exportTo")
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A container (or init container) of a pod spec.
#[derive(Clone, Copy, Debug)]
pub struct Container<'a> {
    pub node: &'a Node,
    pub init: bool,
}

impl<'a> Container<'a> {
    pub fn name(&self) -> &'a str {
        self.node.path(&["name"]).text()
    }
    pub fn image(&self) -> &'a str {
        self.node.path(&["image"]).text()
    }
}

/// The pod spec of a Pod or of a controller's template.
pub fn pod_spec(r: &Resource) -> &Node {
    super::snapshot::pod_template(r).path(&["spec"])
}

/// Containers then init containers of a Pod or pod template.
pub fn containers(r: &Resource) -> Vec<Container<'_>> {
    let spec = pod_spec(r);
    let plain = spec
        .path(&["containers"])
        .as_seq()
        .iter()
        .map(|node| Container { node, init: false });
    let init = spec
        .path(&["initContainers"])
        .as_seq()
        .iter()
        .map(|node| Container { node, init: true });
    plain.chain(init).collect()
}

impl<'a> Pod<'a> {
    pub fn containers(&self) -> Vec<Container<'a>> {
        containers(self.0)
    }

    pub fn host_network(&self) -> bool {
        self.spec().path(&["hostNetwork"]).as_bool() == Some(true)
    }
}

impl<'a> ConfigMap<'a> {
    pub fn data(&self, key: &str) -> Option<&'a str> {
        self.0
            .doc
            .path(&["data"])
            .get(key)
            .and_then(|n| n.scalar_text())
    }
}

impl<'a> Secret<'a> {
    /// A data value decoded from base64 (`data`), or taken as is from `stringData`.
    pub fn value(&self, key: &str) -> Option<Vec<u8>> {
        use base64::Engine;
        if let Some(v) = self
            .0
            .doc
            .path(&["data"])
            .get(key)
            .and_then(|n| n.scalar_text())
        {
            let cleaned: String = v.chars().filter(|c| !c.is_whitespace()).collect();
            return base64::engine::general_purpose::STANDARD
                .decode(cleaned)
                .ok();
        }
        self.0
            .doc
            .path(&["stringData"])
            .get(key)
            .and_then(|n| n.scalar_text())
            .map(|s| s.as_bytes().to_vec())
    }
}

impl<'a> K8sGateway<'a> {
    /// Listener hostnames; `None` for a listener without one (it matches every host).
    pub fn listener_hostnames(&self) -> Vec<Option<&'a str>> {
        self.spec()
            .path(&["listeners"])
            .as_seq()
            .iter()
            .map(|l| {
                l.path(&["hostname"])
                    .scalar_text()
                    .filter(|h| !h.is_empty())
            })
            .collect()
    }
}
