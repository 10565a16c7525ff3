//! Small mesh manifests built from pools of names, hosts, labels and ports (so they refer to each
//! other), rendered to YAML, loaded and run through every analyzer: never a panic, and the same
//! findings on a second run.
#![no_main]

use std::fmt::Write;
use std::time::{Duration, SystemTime};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use meshdeck::analyze::{MeshConfig, analyzers, run_at};
use meshdeck::resource::{LoadOptions, Snapshot, SourceText, parse_source};

const NAMES: [&str; 4] = ["a", "b", "reviews", "web"];
const NAMESPACES: [&str; 3] = ["default", "prod", "istio-system"];
const HOSTS: [&str; 6] = [
    "a",
    "reviews.prod.svc.cluster.local",
    "*.example.com",
    "web.example.com",
    "*",
    "b.default",
];
const LABELS: [(&str, &str); 4] = [
    ("app", "a"),
    ("app", "reviews"),
    ("version", "v1"),
    ("istio", "ingressgateway"),
];
const PORTS: [u16; 4] = [80, 443, 9080, 0];
const PROTOCOLS: [&str; 5] = ["HTTP", "HTTPS", "TCP", "GRPC", "TLS"];
const SUBSETS: [&str; 3] = ["v1", "v2", "missing"];

#[derive(Arbitrary, Debug)]
struct Meta {
    name: u8,
    namespace: u8,
    labels: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
enum Object {
    Service {
        meta: Meta,
        selector: Vec<u8>,
        ports: Vec<(u8, u8)>,
    },
    Deployment {
        meta: Meta,
        labels: Vec<u8>,
        ports: Vec<u8>,
    },
    Pod {
        meta: Meta,
        ports: Vec<u8>,
        sidecar: bool,
    },
    VirtualService {
        meta: Meta,
        hosts: Vec<u8>,
        gateways: Vec<u8>,
        routes: Vec<(u8, u8, u8, u8)>,
    },
    DestinationRule {
        meta: Meta,
        host: u8,
        subsets: Vec<(u8, u8)>,
        tls: Option<u8>,
    },
    Gateway {
        meta: Meta,
        selector: Vec<u8>,
        servers: Vec<(u8, u8, u8)>,
    },
    ServiceEntry {
        meta: Meta,
        hosts: Vec<u8>,
        ports: Vec<(u8, u8)>,
        mesh_internal: bool,
    },
    Sidecar {
        meta: Meta,
        selector: Vec<u8>,
        egress: Vec<u8>,
    },
    AuthorizationPolicy {
        meta: Meta,
        selector: Vec<u8>,
        principals: Vec<u8>,
        ports: Vec<u8>,
    },
    PeerAuthentication {
        meta: Meta,
        selector: Vec<u8>,
        mode: u8,
    },
}

fn pick<T: Copy>(pool: &[T], i: u8) -> T {
    pool[i as usize % pool.len()]
}

fn meta(out: &mut String, kind: &str, api: &str, m: &Meta) {
    let _ = write!(
        out,
        "apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {}\n  namespace: {}\n",
        pick(&NAMES, m.name),
        pick(&NAMESPACES, m.namespace)
    );
    labels(out, "  labels", &m.labels);
}

fn labels(out: &mut String, key: &str, ls: &[u8]) {
    if ls.is_empty() {
        return;
    }
    let last = key.rsplit('\n').next().unwrap_or(key);
    let indent = last.len() - last.trim_start().len() + 2;
    let _ = writeln!(out, "{key}:");
    for &l in ls.iter().take(4) {
        let (k, v) = pick(&LABELS, l);
        let _ = writeln!(out, "{:indent$}{k}: {v}", "");
    }
}

fn list(out: &mut String, key: &str, pool: &[&str], items: &[u8]) {
    let _ = writeln!(out, "{key}:");
    let last = key.rsplit('\n').next().unwrap_or(key);
    let indent = last.len() - last.trim_start().len();
    for &i in items.iter().take(4) {
        let _ = writeln!(out, "{:indent$}- \"{}\"", "", pick(pool, i));
    }
}

fn render(o: &Object, out: &mut String) {
    match o {
        Object::Service {
            meta: m,
            selector,
            ports,
        } => {
            meta(out, "Service", "v1", m);
            out.push_str("spec:\n");
            labels(out, "  selector", selector);
            out.push_str("  ports:\n");
            for &(p, proto) in ports.iter().take(3) {
                let _ = writeln!(
                    out,
                    "  - port: {}\n    name: {}-{p}",
                    pick(&PORTS, p),
                    pick(&PROTOCOLS, proto).to_lowercase()
                );
            }
        }
        Object::Deployment {
            meta: m,
            labels: ls,
            ports,
        } => {
            meta(out, "Deployment", "apps/v1", m);
            out.push_str("spec:\n  selector:\n");
            labels(out, "    matchLabels", ls);
            out.push_str("  template:\n    metadata:\n");
            labels(out, "      labels", ls);
            out.push_str("    spec:\n      containers:\n      - name: app\n        image: app\n        ports:\n");
            for &p in ports.iter().take(3) {
                let _ = writeln!(out, "        - containerPort: {}", pick(&PORTS, p));
            }
        }
        Object::Pod {
            meta: m,
            ports,
            sidecar,
        } => {
            meta(out, "Pod", "v1", m);
            out.push_str("spec:\n  containers:\n  - name: app\n    image: app\n    ports:\n");
            for &p in ports.iter().take(3) {
                let _ = writeln!(out, "    - containerPort: {}", pick(&PORTS, p));
            }
            if *sidecar {
                out.push_str("  - name: istio-proxy\n    image: docker.io/istio/proxyv2:1.22.0\n");
            }
        }
        Object::VirtualService {
            meta: m,
            hosts,
            gateways,
            routes,
        } => {
            meta(out, "VirtualService", "networking.istio.io/v1", m);
            out.push_str("spec:\n");
            list(out, "  hosts", &HOSTS, hosts);
            if !gateways.is_empty() {
                list(
                    out,
                    "  gateways",
                    &["mesh", "a", "prod/web", "missing"],
                    gateways,
                );
            }
            out.push_str("  http:\n");
            for &(h, s, p, w) in routes.iter().take(3) {
                let _ = writeln!(
                    out,
                    "  - route:\n    - destination:\n        host: \"{}\"\n        subset: {}\n        port:\n          number: {}\n      weight: {}",
                    pick(&HOSTS, h),
                    pick(&SUBSETS, s),
                    pick(&PORTS, p),
                    w % 120
                );
            }
        }
        Object::DestinationRule {
            meta: m,
            host,
            subsets,
            tls,
        } => {
            meta(out, "DestinationRule", "networking.istio.io/v1", m);
            let _ = writeln!(
                out,
                "spec:\n  host: \"{}\"\n  subsets:",
                pick(&HOSTS, *host)
            );
            for &(s, l) in subsets.iter().take(3) {
                let (k, v) = pick(&LABELS, l);
                let _ = writeln!(
                    out,
                    "  - name: {}\n    labels:\n      {k}: {v}",
                    pick(&SUBSETS, s)
                );
            }
            if let Some(t) = tls {
                let mode = pick(&["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"], *t);
                let _ = writeln!(out, "  trafficPolicy:\n    tls:\n      mode: {mode}");
            }
        }
        Object::Gateway {
            meta: m,
            selector,
            servers,
        } => {
            meta(out, "Gateway", "networking.istio.io/v1", m);
            out.push_str("spec:\n");
            labels(out, "  selector", selector);
            out.push_str("  servers:\n");
            for &(p, proto, h) in servers.iter().take(3) {
                let _ = writeln!(
                    out,
                    "  - port:\n      number: {}\n      name: p{p}\n      protocol: {}\n    hosts:\n    - \"{}\"",
                    pick(&PORTS, p),
                    pick(&PROTOCOLS, proto),
                    pick(&HOSTS, h)
                );
            }
        }
        Object::ServiceEntry {
            meta: m,
            hosts,
            ports,
            mesh_internal,
        } => {
            meta(out, "ServiceEntry", "networking.istio.io/v1", m);
            out.push_str("spec:\n");
            list(out, "  hosts", &HOSTS, hosts);
            let location = if *mesh_internal {
                "MESH_INTERNAL"
            } else {
                "MESH_EXTERNAL"
            };
            let _ = writeln!(out, "  location: {location}\n  resolution: DNS\n  ports:");
            for &(p, proto) in ports.iter().take(3) {
                let _ = writeln!(
                    out,
                    "  - number: {}\n    name: p{p}\n    protocol: {}",
                    pick(&PORTS, p),
                    pick(&PROTOCOLS, proto)
                );
            }
        }
        Object::Sidecar {
            meta: m,
            selector,
            egress,
        } => {
            meta(out, "Sidecar", "networking.istio.io/v1", m);
            out.push_str("spec:\n");
            if !selector.is_empty() {
                labels(out, "  workloadSelector:\n    labels", selector);
            }
            out.push_str("  egress:\n  - hosts:\n");
            for &e in egress.iter().take(4) {
                let host = pick(
                    &[
                        "./*",
                        "istio-system/*",
                        "prod/reviews.prod.svc.cluster.local",
                        "*/*",
                    ],
                    e,
                );
                let _ = writeln!(out, "    - \"{host}\"");
            }
        }
        Object::AuthorizationPolicy {
            meta: m,
            selector,
            principals,
            ports,
        } => {
            meta(out, "AuthorizationPolicy", "security.istio.io/v1", m);
            out.push_str("spec:\n");
            if !selector.is_empty() {
                labels(out, "  selector:\n    matchLabels", selector);
            }
            out.push_str("  rules:\n  - from:\n    - source:\n");
            list(
                out,
                "        principals",
                &[
                    "cluster.local/ns/default/sa/a",
                    "*",
                    "bad principal",
                    "cluster.local/ns/prod/sa/*",
                ],
                principals,
            );
            out.push_str("    to:\n    - operation:\n");
            let _ = writeln!(out, "        ports:");
            for &p in ports.iter().take(3) {
                let _ = writeln!(out, "        - \"{}\"", pick(&PORTS, p));
            }
        }
        Object::PeerAuthentication {
            meta: m,
            selector,
            mode,
        } => {
            meta(out, "PeerAuthentication", "security.istio.io/v1", m);
            out.push_str("spec:\n");
            if !selector.is_empty() {
                labels(out, "  selector:\n    matchLabels", selector);
            }
            let mode = pick(&["STRICT", "PERMISSIVE", "DISABLE", "UNSET"], *mode);
            let _ = writeln!(out, "  mtls:\n    mode: {mode}");
        }
    }
}

fn findings(yaml: &str) -> Vec<String> {
    let (resources, _issues) =
        parse_source(&SourceText::new("fuzz.yaml", yaml), &LoadOptions::default());
    let snapshot = Snapshot::new(resources, true);
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let outcome = run_at(
        &snapshot,
        &MeshConfig::default(),
        "istio-system",
        &analyzers::all(),
        true,
        now,
    );
    outcome.findings.iter().map(|f| f.log_line()).collect()
}

fuzz_target!(|objects: Vec<Object>| {
    let mut yaml = String::new();
    for o in objects.iter().take(12) {
        yaml.push_str("---\n");
        render(o, &mut yaml);
    }
    let first = findings(&yaml);
    let second = findings(&yaml);
    assert_eq!(
        first, second,
        "findings differ between two runs over:\n{yaml}"
    );
});
