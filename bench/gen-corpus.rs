//! The scale corpus: Kubernetes + Istio manifests of many applications, generated
//! deterministically for a given number of documents. One generator for every user: the
//! `gen-corpus` example (`bench/analyze-scale.sh` writes its 1k / 10k / 100k cuts with it), the
//! in-process `benches/scale.rs`, and the integration test that pins `analyze`'s output on the
//! 10k cut (`tests/it/scale_baseline.rs`).
//!
//! Per application, in namespace `team-<i mod 50>`: a Service with two ports, two Deployments
//! (`v1`, `v2`) with resources and probes, a DestinationRule with two subsets, a VirtualService
//! weighting the two, and for every tenth application a Gateway the VirtualService binds to.
//! A few deliberate mistakes make the output worth pinning: every seventh VirtualService routes
//! 10% to a subset its DestinationRule does not define, and every thirteenth Service names a
//! port without a protocol prefix.
//!
//!   cargo run --release --example gen-corpus -- 100000 /tmp/corpus
//!
//! writes `corpus-000.yaml`, `corpus-001.yaml`, ... of at most 10,000 documents each (the
//! loader's per-source limit) into the directory.

use std::fmt::Write as _;

/// Documents per file: the loader reads at most 10,000 from one source.
pub const DOCUMENTS_PER_FILE: usize = 10_000;

/// The documents of application `i`, each without a leading `---`.
fn application(i: usize, out: &mut Vec<String>) {
    let ns = format!("team-{}", i % 50);
    let http_name = if i.is_multiple_of(13) { "web" } else { "http" };
    let mut s = String::with_capacity(512);
    write!(
        s,
        "apiVersion: v1
kind: Service
metadata:
  name: app-{i}
  namespace: {ns}
  labels:
    app: app-{i}
    tier: backend
spec:
  selector:
    app: app-{i}
  ports:
  - name: {http_name}
    port: 80
    targetPort: 8080
  - name: grpc-api
    port: 9090
    targetPort: 9090
"
    )
    .unwrap();
    out.push(s);
    for version in ["v1", "v2"] {
        let mut d = String::with_capacity(1400);
        write!(
            d,
            "apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}-{version}
  namespace: {ns}
  labels:
    app: app-{i}
    version: {version}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: app-{i}
      version: {version}
  template:
    metadata:
      labels:
        app: app-{i}
        version: {version}
      annotations:
        sidecar.istio.io/proxyCPU: \"100m\"
    spec:
      serviceAccountName: app-{i}
      containers:
      - name: app
        image: registry.example.com/team-{team}/app-{i}:{version}.{minor}
        args: [\"--port=8080\", \"--grpc-port=9090\", \"--log-level=info\"]
        env:
        - name: APP_NAME
          value: 'app-{i}'
        - name: VERSION
          value: \"{version}\"
        ports:
        - name: http
          containerPort: 8080
        - name: grpc
          containerPort: 9090
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            cpu: 500m
            memory: 512Mi
        readinessProbe:
          httpGet:
            path: /healthz/ready
            port: 8080
          initialDelaySeconds: 5
          periodSeconds: 10
        livenessProbe:
          tcpSocket:
            port: 9090
          failureThreshold: 3
",
            team = i % 50,
            minor = i % 7,
        )
        .unwrap();
        out.push(d);
    }
    let host = format!("app-{i}.{ns}.svc.cluster.local");
    let mut dr = String::with_capacity(400);
    write!(
        dr,
        "apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: app-{i}
  namespace: {ns}
spec:
  host: {host}
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 100
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
"
    )
    .unwrap();
    out.push(dr);
    let canary = if i.is_multiple_of(7) { "v3" } else { "v2" };
    let gateway = i.is_multiple_of(10);
    let mut vs = String::with_capacity(500);
    write!(
        vs,
        "apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: app-{i}
  namespace: {ns}
spec:
  hosts:
  - {host}
"
    )
    .unwrap();
    if gateway {
        write!(
            vs,
            "  - \"app-{i}.example.com\"\n  gateways:\n  - gw-{i}\n  - mesh\n"
        )
        .unwrap();
    }
    write!(
        vs,
        "  http:
  - name: primary
    timeout: 5s
    route:
    - destination:
        host: {host}
        subset: v1
        port:
          number: 80
      weight: 90
    - destination:
        host: {host}
        subset: {canary}
        port:
          number: 80
      weight: 10
"
    )
    .unwrap();
    out.push(vs);
    if gateway {
        let mut gw = String::with_capacity(400);
        write!(
            gw,
            "apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw-{i}
  namespace: {ns}
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - \"app-{i}.example.com\"
"
        )
        .unwrap();
        out.push(gw);
    }
}

/// The first `count` documents of the corpus, in order.
pub fn documents(count: usize) -> Vec<String> {
    let mut docs = Vec::with_capacity(count + 8);
    let mut i = 0;
    while docs.len() < count {
        application(i, &mut docs);
        i += 1;
    }
    docs.truncate(count);
    docs
}

/// The corpus of `count` documents as files of at most `per_file` documents each:
/// `(corpus-000.yaml, text)`, ... Documents are separated by `---` lines.
pub fn files(count: usize, per_file: usize) -> Vec<(String, String)> {
    documents(count)
        .chunks(per_file.max(1))
        .enumerate()
        .map(|(n, chunk)| (format!("corpus-{n:03}.yaml"), chunk.join("---\n")))
        .collect()
}

#[allow(dead_code)]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen-corpus DOCUMENTS OUTPUT_DIR [DOCUMENTS_PER_FILE]";
    let (Some(count), Some(dir)) = (args.first().and_then(|a| a.parse().ok()), args.get(1)) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let per_file = match args.get(2) {
        Some(a) => a.parse().unwrap_or_else(|_| {
            eprintln!("{usage}");
            std::process::exit(2)
        }),
        None => DOCUMENTS_PER_FILE,
    };
    let dir = std::path::Path::new(dir);
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("gen-corpus: cannot create {}: {e}", dir.display());
        std::process::exit(1);
    }
    let mut bytes = 0;
    let files = files(count, per_file);
    for (name, text) in &files {
        let path = dir.join(name);
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("gen-corpus: cannot write {}: {e}", path.display());
            std::process::exit(1);
        }
        bytes += text.len();
    }
    println!(
        "{count} documents, {} files, {bytes} bytes in {}",
        files.len(),
        dir.display()
    );
}
