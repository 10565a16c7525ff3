//! The Bookinfo sample made ready to apply, pure: its namespace with the injection label, the
//! application, optionally its Gateway + VirtualService (bound to the ingress actually
//! installed) or the Gateway API variant, and its destination rules, all labelled as meshdeck's.
//!
//! The release's Gateway selects `istio: ingressgateway` on port 8080, which is right for the
//! ingress `istioctl install` makes (Service port 80 to target port 8080) and wrong for the one
//! the `istio/gateway` Helm chart makes (pods labelled `istio: ingress`, port 80 to 80): there
//! the Gateway selects nothing (IST0101) or listens where the Service does not forward
//! (IST0162). [`bind`] reads the selector and the port off the observed ingress instead.

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};

use super::apply::{self as plan, Adaptations, COMPONENT_LABEL, OWNER, OWNER_LABEL, ServerCaps};

/// Names the sample an object belongs to (`bookinfo`); like addons, no revision label.
pub const SAMPLE_LABEL: &str = "install.meshdeck.io/sample";
/// The one sample meshdeck installs.
pub const BOOKINFO: &str = "bookinfo";
/// Its component label value.
pub const BOOKINFO_TITLE: &str = "Bookinfo";
/// Where Bookinfo goes without `-n`.
pub const DEFAULT_NAMESPACE: &str = "bookinfo";

/// Where the release keeps each part, below `samples/bookinfo/`.
pub const APP_FILE: &str = "platform/kube/bookinfo.yaml";
pub const GATEWAY_FILE: &str = "networking/bookinfo-gateway.yaml";
pub const GATEWAY_API_FILE: &str = "gateway-api/bookinfo-gateway.yaml";
pub const DESTINATION_RULES_FILE: &str = "networking/destination-rule-all.yaml";

/// Kinds `uninstall sample` looks for; a unit test checks they cover the release's Bookinfo.
pub const SAMPLE_KINDS: &[(&str, &str)] = &[
    ("apps/v1", "Deployment"),
    ("v1", "Service"),
    ("v1", "ServiceAccount"),
    ("networking.istio.io/v1", "Gateway"),
    ("networking.istio.io/v1", "VirtualService"),
    ("networking.istio.io/v1", "DestinationRule"),
    ("gateway.networking.k8s.io/v1", "Gateway"),
    ("gateway.networking.k8s.io/v1", "HTTPRoute"),
];

/// The parsed parts of the release's Bookinfo.
#[derive(Clone, Debug, Default)]
pub struct BookinfoManifests {
    pub app: Vec<Json>,
    pub gateway: Vec<Json>,
    pub gateway_api: Vec<Json>,
    pub destination_rules: Vec<Json>,
}

/// How the namespace asks for sidecars.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Injection {
    /// `istio-injection=enabled` (the default revision).
    Enabled,
    /// `istio.io/rev=<revision>`.
    Revision(String),
}

impl Injection {
    pub fn label(&self) -> (&'static str, String) {
        match self {
            Injection::Enabled => ("istio-injection", "enabled".into()),
            Injection::Revision(r) => ("istio.io/rev", r.clone()),
        }
    }
}

/// Which gateway to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GatewayChoice {
    None,
    /// Istio's Gateway + VirtualService, bound to the installed ingress.
    Istio,
    /// The Gateway API Gateway + HTTPRoute (Istio provisions its own deployment for it).
    GatewayApi,
}

#[derive(Clone, Debug)]
pub struct SampleOptions {
    pub namespace: String,
    pub injection: Injection,
    pub gateway: GatewayChoice,
    pub destination_rules: bool,
}

/// A Service port's target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Number(i64),
    Name(String),
}

/// One port of the ingress Service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePort {
    pub name: String,
    pub port: i64,
    /// `None`: the same as `port`.
    pub target: Option<Target>,
    pub node_port: Option<i64>,
    pub protocol: String,
}

impl ServicePort {
    pub fn of(p: &Json) -> Option<ServicePort> {
        Some(ServicePort {
            name: p["name"].as_str().unwrap_or("").to_string(),
            port: p["port"].as_i64()?,
            target: match &p["targetPort"] {
                Json::Number(n) => n.as_i64().map(Target::Number),
                Json::String(s) => Some(match s.parse::<i64>() {
                    Ok(n) => Target::Number(n),
                    Err(_) => Target::Name(s.clone()),
                }),
                _ => None,
            },
            node_port: p["nodePort"].as_i64(),
            protocol: p["protocol"].as_str().unwrap_or("TCP").to_string(),
        })
    }
}

/// The ingress gateway as found in the cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservedIngress {
    pub namespace: String,
    /// The Service's name.
    pub service: String,
    /// `LoadBalancer`, `NodePort`, `ClusterIP`.
    pub service_type: String,
    pub selector: BTreeMap<String, String>,
    pub ports: Vec<ServicePort>,
    /// The load balancer's addresses (IPs or host names), if it has any yet.
    pub load_balancer: Vec<String>,
    /// Where the labels and container ports were read: `Pod ns/name`, or `the pod template of
    /// Deployment ns/name` where no pod exists yet.
    pub workload: String,
    pub labels: BTreeMap<String, String>,
    /// Container ports of the workload: name (may be empty) and number.
    pub container_ports: Vec<(String, i64)>,
}

/// What the rendered Gateway uses of the ingress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayBinding {
    pub selector: BTreeMap<String, String>,
    /// The server port: the port the ingress pods listen on behind the Service's HTTP port.
    pub port: i64,
    /// That Service port.
    pub service_port: ServicePort,
}

/// Why a Gateway cannot be bound to the ingress.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BindError {
    #[error("the ingress Service {namespace}/{service} exposes no HTTP port (its ports: {ports})")]
    NoHttpPort {
        namespace: String,
        service: String,
        ports: String,
    },
    #[error(
        "the ingress Service {namespace}/{service} forwards port {port} to the port named {target:?}, which no container of {workload} declares"
    )]
    UnresolvedTarget {
        namespace: String,
        service: String,
        port: i64,
        target: String,
        workload: String,
    },
}

/// Picks the Gateway's selector and server port off the ingress: the pods' `istio` label when
/// they carry one (what Istio's and the Helm chart's gateways are selected by), else the
/// Service's own selector; the port the Service's HTTP port (`http2`, `http`, `http-*`, else
/// 80) forwards to, since Envoy listens on the target port.
pub fn bind(ingress: &ObservedIngress) -> Result<GatewayBinding, BindError> {
    let selector = match ingress.labels.get("istio") {
        Some(v) => BTreeMap::from([("istio".to_string(), v.clone())]),
        None => ingress.selector.clone(),
    };
    let tcp = || ingress.ports.iter().filter(|p| p.protocol == "TCP");
    let http = tcp()
        .find(|p| p.name == "http2")
        .or_else(|| tcp().find(|p| p.name == "http"))
        .or_else(|| tcp().find(|p| p.name.starts_with("http") && !p.name.starts_with("https")))
        .or_else(|| tcp().find(|p| p.port == 80))
        .ok_or_else(|| BindError::NoHttpPort {
            namespace: ingress.namespace.clone(),
            service: ingress.service.clone(),
            ports: ingress
                .ports
                .iter()
                .map(|p| format!("{} {}/{}", p.name, p.port, p.protocol))
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let port = match &http.target {
        None => http.port,
        Some(Target::Number(n)) => *n,
        Some(Target::Name(name)) => ingress
            .container_ports
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| *p)
            .ok_or_else(|| BindError::UnresolvedTarget {
                namespace: ingress.namespace.clone(),
                service: ingress.service.clone(),
                port: http.port,
                target: name.clone(),
                workload: ingress.workload.clone(),
            })?,
    };
    Ok(GatewayBinding {
        selector,
        port,
        service_port: http.clone(),
    })
}

/// The sample's namespace. `owned`: meshdeck creates it (or created it), so it carries the
/// ownership labels and `uninstall sample` deletes it; a namespace that was there before only
/// gets the injection label.
pub fn namespace_object(name: &str, injection: &Injection, owned: bool) -> Json {
    let (key, value) = injection.label();
    let mut ns = json!({"apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": name, "labels": {key: value}}});
    if owned {
        label(&mut ns);
    }
    ns
}

/// Adds the sample's ownership labels.
pub fn label(obj: &mut Json) {
    let Some(meta) = obj.get_mut("metadata").and_then(Json::as_object_mut) else {
        return;
    };
    let labels = meta
        .entry("labels")
        .or_insert_with(|| Json::Object(Default::default()));
    if !labels.is_object() {
        *labels = Json::Object(Default::default());
    }
    let labels = labels.as_object_mut().expect("made an object above");
    labels.insert(OWNER_LABEL.into(), OWNER.into());
    labels.insert(COMPONENT_LABEL.into(), BOOKINFO_TITLE.into());
    labels.insert(SAMPLE_LABEL.into(), BOOKINFO.into());
}

/// The selector of the sample's objects meshdeck applied.
pub fn owned_selector() -> String {
    format!("{OWNER_LABEL}={OWNER},{SAMPLE_LABEL}={BOOKINFO}")
}

/// Whether a live namespace is one meshdeck created for the sample.
pub fn namespace_is_owned(labels: &BTreeMap<String, String>) -> bool {
    labels.get(OWNER_LABEL).map(String::as_str) == Some(OWNER)
        && labels.get(SAMPLE_LABEL).map(String::as_str) == Some(BOOKINFO)
}

/// One part of the sample, applied and waited for together.
#[derive(Clone, Debug)]
pub struct SamplePart {
    /// `Bookinfo application`: the progress line's name.
    pub title: &'static str,
    pub objects: Vec<Json>,
}

/// The sample's objects (the namespace apart) in parts: the application, the gateway, the
/// destination rules. `binding` is required for [`GatewayChoice::Istio`].
pub fn render(
    m: &BookinfoManifests,
    opts: &SampleOptions,
    binding: Option<&GatewayBinding>,
) -> Vec<SamplePart> {
    let mut parts = vec![SamplePart {
        title: "Bookinfo application",
        objects: m.app.clone(),
    }];
    match (opts.gateway, binding) {
        (GatewayChoice::Istio, Some(b)) => {
            let mut objects = Vec::new();
            for mut obj in m.gateway.iter().cloned() {
                if obj["kind"] == "Gateway" {
                    obj["spec"]["selector"] = json!(b.selector);
                    if let Some(servers) = obj["spec"]["servers"].as_array_mut() {
                        for s in servers {
                            s["port"]["number"] = json!(b.port);
                        }
                    }
                }
                objects.push(obj);
            }
            parts.push(SamplePart {
                title: "Bookinfo gateway",
                objects,
            });
        }
        (GatewayChoice::GatewayApi, _) => parts.push(SamplePart {
            title: "Bookinfo gateway (Gateway API)",
            objects: m.gateway_api.clone(),
        }),
        _ => {}
    }
    if opts.destination_rules {
        parts.push(SamplePart {
            title: "Bookinfo destination rules",
            objects: m.destination_rules.clone(),
        });
    }
    for obj in parts.iter_mut().flat_map(|p| p.objects.iter_mut()) {
        obj["metadata"]["namespace"] = json!(opts.namespace);
        label(obj);
    }
    parts
}

/// Adapts every object of the parts (and the namespace) to a server with `caps`, as `install`
/// adapts Istio's objects; what was changed comes back.
pub fn adapt(namespace: &mut Json, parts: &mut [SamplePart], caps: &ServerCaps) -> Adaptations {
    let mut log = Adaptations::default();
    plan::adapt(namespace, caps, &mut log);
    for obj in parts.iter_mut().flat_map(|p| p.objects.iter_mut()) {
        plan::adapt(obj, caps, &mut log);
    }
    log
}

/// How to reach the product page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProductPage {
    /// Straight from outside the cluster; `via` says through what.
    Url { url: String, via: String },
    /// Only through a port-forward.
    PortForward { command: String, url: String },
}

fn host(addr: &str) -> String {
    if addr.contains(':') {
        format!("[{addr}]")
    } else {
        addr.to_string()
    }
}

/// The product page's URL from the ingress Service: its load balancer's address, else a node
/// address and the node port, else a port-forward to the Service.
pub fn product_page(
    ingress: &ObservedIngress,
    port: &ServicePort,
    nodes: &[String],
) -> ProductPage {
    if let Some(lb) = ingress.load_balancer.first() {
        let p = if port.port == 80 {
            String::new()
        } else {
            format!(":{}", port.port)
        };
        return ProductPage::Url {
            url: format!("http://{}{p}/productpage", host(lb)),
            via: format!(
                "the load balancer of Service {}/{}",
                ingress.namespace, ingress.service
            ),
        };
    }
    if let (Some(np), Some(node)) = (port.node_port, nodes.first()) {
        return ProductPage::Url {
            url: format!("http://{}:{np}/productpage", host(node)),
            via: format!(
                "node port {np} of Service {}/{} (no load balancer address)",
                ingress.namespace, ingress.service
            ),
        };
    }
    ProductPage::PortForward {
        command: format!(
            "kubectl port-forward -n {} svc/{} 8080:{}",
            ingress.namespace, ingress.service, port.port
        ),
        url: "http://localhost:8080/productpage".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn helm_ingress() -> ObservedIngress {
        ObservedIngress {
            namespace: "istio-ingress".into(),
            service: "istio-ingress".into(),
            service_type: "LoadBalancer".into(),
            selector: BTreeMap::from([
                ("app".into(), "istio-ingress".into()),
                ("istio".into(), "ingress".into()),
            ]),
            ports: vec![
                ServicePort {
                    name: "status-port".into(),
                    port: 15021,
                    target: Some(Target::Number(15021)),
                    node_port: Some(31021),
                    protocol: "TCP".into(),
                },
                ServicePort {
                    name: "http2".into(),
                    port: 80,
                    target: Some(Target::Number(80)),
                    node_port: Some(30080),
                    protocol: "TCP".into(),
                },
                ServicePort {
                    name: "https".into(),
                    port: 443,
                    target: Some(Target::Number(443)),
                    node_port: Some(30443),
                    protocol: "TCP".into(),
                },
            ],
            load_balancer: vec![],
            workload: "the pod template of Deployment istio-ingress/istio-ingress".into(),
            labels: BTreeMap::from([
                ("app".into(), "istio-ingress".into()),
                ("istio".into(), "ingress".into()),
                ("sidecar.istio.io/inject".into(), "true".into()),
            ]),
            container_ports: vec![("http-envoy-prom".into(), 15090)],
        }
    }

    fn manifests() -> BookinfoManifests {
        BookinfoManifests {
            app: vec![
                json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "productpage"}}),
            ],
            gateway: vec![
                json!({"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
                    "metadata": {"name": "bookinfo-gateway"},
                    "spec": {"selector": {"istio": "ingressgateway"},
                        "servers": [{"port": {"number": 8080, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}}),
                json!({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
                    "metadata": {"name": "bookinfo"}, "spec": {"gateways": ["bookinfo-gateway"]}}),
            ],
            gateway_api: vec![
                json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
                "metadata": {"name": "bookinfo-gateway"}}),
            ],
            destination_rules: vec![
                json!({"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
                "metadata": {"name": "reviews"}}),
            ],
        }
    }

    #[test]
    fn a_helm_ingress_gets_its_own_label_and_port_80() {
        let b = bind(&helm_ingress()).unwrap();
        assert_eq!(
            b.selector,
            BTreeMap::from([("istio".into(), "ingress".into())])
        );
        assert_eq!(b.port, 80);
        let opts = SampleOptions {
            namespace: "shop".into(),
            injection: Injection::Enabled,
            gateway: GatewayChoice::Istio,
            destination_rules: true,
        };
        let parts = render(&manifests(), &opts, Some(&b));
        assert_eq!(parts.len(), 3);
        let objs: Vec<&Json> = parts.iter().flat_map(|p| &p.objects).collect();
        assert_eq!(objs.len(), 4);
        let gw = objs.iter().find(|o| o["kind"] == "Gateway").unwrap();
        assert_eq!(gw["spec"]["selector"], json!({"istio": "ingress"}));
        assert_eq!(gw["spec"]["servers"][0]["port"]["number"], 80);
        for o in &objs {
            assert_eq!(o["metadata"]["namespace"], "shop");
            assert_eq!(o["metadata"]["labels"][SAMPLE_LABEL], "bookinfo");
            assert_eq!(o["metadata"]["labels"][COMPONENT_LABEL], "Bookinfo");
        }
    }

    #[test]
    fn an_istioctl_ingress_keeps_the_release_gateway_and_named_targets_resolve() {
        let mut ing = helm_ingress();
        ing.labels = BTreeMap::from([("istio".into(), "ingressgateway".into())]);
        ing.ports[1].target = Some(Target::Number(8080));
        let b = bind(&ing).unwrap();
        assert_eq!(b.port, 8080);
        assert_eq!(b.selector["istio"], "ingressgateway");

        ing.ports[1].target = Some(Target::Name("http-envoy".into()));
        let e = bind(&ing).unwrap_err();
        assert!(e.to_string().contains("\"http-envoy\""), "{e}");
        ing.container_ports.push(("http-envoy".into(), 8081));
        assert_eq!(bind(&ing).unwrap().port, 8081);

        // Without an istio label, the Service's selector.
        ing.labels = BTreeMap::from([("app".into(), "edge".into())]);
        ing.selector = BTreeMap::from([("app".into(), "edge".into())]);
        assert_eq!(bind(&ing).unwrap().selector, ing.selector);

        ing.ports.retain(|p| p.name != "http2");
        let e = bind(&ing).unwrap_err();
        assert!(
            e.to_string()
                .contains("exposes no HTTP port (its ports: status-port 15021/TCP, https 443/TCP)"),
            "{e}"
        );
    }

    #[test]
    fn the_product_page_url_comes_from_the_load_balancer_or_a_node_port() {
        let mut ing = helm_ingress();
        let port = bind(&ing).unwrap().service_port;
        assert_eq!(
            product_page(&ing, &port, &["10.0.0.5".into()]),
            ProductPage::Url {
                url: "http://10.0.0.5:30080/productpage".into(),
                via: "node port 30080 of Service istio-ingress/istio-ingress (no load balancer address)".into()
            }
        );
        assert!(matches!(
            product_page(&ing, &port, &[]),
            ProductPage::PortForward { command, .. }
                if command == "kubectl port-forward -n istio-ingress svc/istio-ingress 8080:80"
        ));
        ing.load_balancer = vec!["lb.example.com".into()];
        assert!(matches!(
            product_page(&ing, &port, &[]),
            ProductPage::Url { url, .. } if url == "http://lb.example.com/productpage"
        ));
        ing.load_balancer = vec!["fd00::1".into()];
        let mut p8080 = port.clone();
        p8080.port = 8080;
        assert!(matches!(
            product_page(&ing, &p8080, &[]),
            ProductPage::Url { url, .. } if url == "http://[fd00::1]:8080/productpage"
        ));
    }

    #[test]
    fn the_namespace_asks_for_injection_and_is_owned_only_when_created() {
        let ns = namespace_object("shop", &Injection::Revision("canary".into()), false);
        assert_eq!(ns["metadata"]["labels"], json!({"istio.io/rev": "canary"}));
        let ns = namespace_object("shop", &Injection::Enabled, true);
        assert_eq!(ns["metadata"]["labels"]["istio-injection"], "enabled");
        let labels: BTreeMap<String, String> =
            serde_json::from_value(ns["metadata"]["labels"].clone()).unwrap();
        assert!(namespace_is_owned(&labels));
    }

    #[test]
    fn every_kind_of_the_release_bookinfo_is_one_uninstall_looks_for() {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/istio-release/1.30.3/samples/bookinfo");
        for file in [
            APP_FILE,
            GATEWAY_FILE,
            GATEWAY_API_FILE,
            DESTINATION_RULES_FILE,
        ] {
            let Ok(text) = std::fs::read_to_string(dir.join(file)) else {
                return;
            };
            let m = super::super::addons::AddonManifest {
                name: "bookinfo".into(),
                file: file.into(),
                text,
            };
            for obj in super::super::addons::parse(&m).unwrap() {
                assert!(
                    SAMPLE_KINDS.iter().any(|(av, k)| obj["kind"] == *k
                        && obj["apiVersion"].as_str().unwrap().split('/').next()
                            == av.split('/').next()),
                    "{} {} of {file}",
                    obj["apiVersion"],
                    obj["kind"]
                );
            }
        }
    }
}
