//! `service.PortNameAnalyzer`: Istio picks a Service port's protocol from `appProtocol` or from
//! the port name's prefix (`http-web`, `grpc`, ...). A port from which no protocol can be read
//! is reported (IST0118); on an ExternalName Service such a port, or one named plainly `tcp`, is
//! reported as IST0150 instead. Control-plane Services and Services managed by Istio's gateway
//! controllers are skipped.

use crate::analyze::catalogue::{IST0118, IST0150};
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::views::{self, ServicePort};
use crate::resource::{Kind, Resource};

pub struct PortNameAnalyzer;

static METADATA: Metadata = Metadata {
    name: "service.PortNameAnalyzer",
    description: "Checks the port names associated with each service",
    inputs: &[Kind::Service],
    codes: &[&IST0118, &IST0150],
};

/// Values of `gateway.istio.io/managed` on Services that Istio generates for gateways.
const MANAGED_BY_ISTIO: &[&str] = &[
    "istio.io-gateway-controller",
    "istio.io-mesh-controller",
    "istio.io-eastwest-controller",
];

/// Ports on which an unnamed protocol is taken to be TCP: SMTP, DNS, MySQL, MongoDB.
const WELL_KNOWN_TCP_PORTS: &[i64] = &[25, 53, 3306, 27017];

fn is_control_plane(r: &Resource) -> bool {
    r.labels.contains_key("istio") || r.labels.get("release").is_some_and(|v| v == "istio")
}

/// A protocol name as Istio parses it (case-insensitive), or `None` when it is not one.
fn parse_protocol(name: &str) -> Option<&'static str> {
    const KNOWN: &[&str] = &[
        "TCP",
        "UDP",
        "GRPC",
        "GRPC-Web",
        "HTTP",
        "HTTP_PROXY",
        "HTTP2",
        "HTTPS",
        "TLS",
        "Mongo",
        "Redis",
        "MySQL",
    ];
    KNOWN.iter().copied().find(|p| p.eq_ignore_ascii_case(name))
}

/// The protocol Istio derives for a Service port, or `None` when it cannot derive one.
fn port_protocol(port: &ServicePort<'_>) -> Option<&'static str> {
    if port.protocol() == "UDP" {
        return Some("UDP");
    }
    // appProtocol, when present (even empty), replaces the name.
    let name = match port.node.get("appProtocol").filter(|n| !n.is_null()) {
        Some(app) => match app.text() {
            "kubernetes.io/h2c" => return Some("HTTP2"),
            "kubernetes.io/ws" => return Some("HTTP"),
            "kubernetes.io/wss" => return Some("HTTPS"),
            other => other,
        },
        None => port.name(),
    };
    // `grpc-web` holds the separator itself, so it is matched as a prefix first.
    if name
        .get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case("grpc-web"))
    {
        return Some("GRPC-Web");
    }
    let prefix = name.split_once('-').map_or(name, |(p, _)| p);
    parse_protocol(prefix).or_else(|| {
        WELL_KNOWN_TCP_PORTS
            .contains(&port.port().unwrap_or(0))
            .then_some("TCP")
    })
}

impl Analyzer for PortNameAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        for svc in ctx.snapshot.of_kind(Kind::Service).map(views::Service) {
            if is_control_plane(&svc)
                || svc
                    .labels
                    .get("gateway.istio.io/managed")
                    .is_some_and(|v| MANAGED_BY_ISTIO.contains(&v.as_str()))
            {
                continue;
            }
            let external_name = svc.spec().path(&["type"]).text() == "ExternalName";
            for port in svc.ports() {
                if port_protocol(&port).is_some() && !(external_name && port.name() == "tcp") {
                    continue;
                }
                let number = port.port().unwrap_or(0);
                let field = Some(port.field("port"));
                if external_name {
                    ctx.report(&IST0150, svc.resource(), field, vec![]);
                } else {
                    // Kubernetes defaults an absent targetPort to the port.
                    let target = match port.target_port_text() {
                        "" => number.to_string(),
                        t => t.to_string(),
                    };
                    ctx.report(
                        &IST0118,
                        svc.resource(),
                        field,
                        vec![port.name().into(), number.into(), target.into()],
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::testing;

    fn run(text: &str) -> Vec<String> {
        testing::findings(&PortNameAnalyzer, text)
    }

    fn service(ports: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata: {{name: s, namespace: a}}\nspec:\n  ports: {ports}\n"
        )
    }

    #[test]
    fn protocol_comes_from_app_protocol_or_name_prefix() {
        let ok = "[{name: http-web, port: 80}, {name: GRPC-Web-x, port: 81}, {name: foo, port: 82, appProtocol: kubernetes.io/h2c}, \
                  {name: foo, port: 83, appProtocol: Redis}, {name: dns, port: 53}, {name: q, port: 84, protocol: UDP}, {name: TLS, port: 85}]";
        assert_eq!(run(&service(ok)), Vec::<String>::new());
        let bad = "[{name: web, port: 8080, targetPort: 9090}, {name: http, port: 81, appProtocol: ''}, {port: 82}]";
        let got = run(&service(bad));
        assert_eq!(got.len(), 3, "{got:#?}");
        assert!(got[0].ends_with("Port name web (port: 8080, targetPort: 9090) doesn't follow the naming convention of Istio port."));
        assert!(
            got[0].contains("t.yaml:5"),
            "points at the port: {}",
            got[0]
        );
        assert!(
            got[2].contains("Port name  (port: 82, targetPort: 82)"),
            "{}",
            got[2]
        );
    }

    #[test]
    fn external_name_rejects_plain_tcp_and_unknown_names() {
        let text = "apiVersion: v1\nkind: Service\nmetadata: {name: e, namespace: a}\nspec:\n  type: ExternalName\n  \
                    externalName: x.example.com\n  ports: [{name: tcp, port: 1}, {name: tcp-x, port: 2}, {name: x, port: 3}]\n";
        let got = run(text);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert!(got.iter().all(|l| l.contains("[IST0150]")));
    }

    #[test]
    fn istio_owned_services_are_skipped() {
        let text = "apiVersion: v1\nkind: Service\nmetadata: {name: w, namespace: a, labels: {gateway.istio.io/managed: istio.io-mesh-controller}}\n\
                    spec: {ports: [{name: mesh, port: 15008}]}\n---\n\
                    apiVersion: v1\nkind: Service\nmetadata: {name: i, namespace: a, labels: {release: istio}}\nspec: {ports: [{name: x, port: 1}]}\n";
        assert_eq!(run(text), Vec::<String>::new());
    }
}
