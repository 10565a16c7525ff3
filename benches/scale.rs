//! Scale benchmark: a generated input of many resources (100k by default), timed twice in the
//! same run: parsing alone (the baseline), and the whole analysis (parse, index, every analyzer,
//! sort). The design goal is a ratio of at most 1.5: no analyzer may be quadratic.
//!
//! `cargo bench --bench scale` (set `MESHDECK_BENCH_RESOURCES` for another size).

use std::hint::black_box;
use std::time::{Duration, Instant};

use meshdeck::analyze::{self, MeshConfig, analyzers};
use meshdeck::resource::{LoadOptions, Snapshot, SourceText, parse_source};

/// Five resources per application: Service, Deployment, DestinationRule, VirtualService, and a
/// Gateway for every tenth; spread over 50 namespaces.
fn generate(resources: usize) -> String {
    let mut out = String::with_capacity(resources * 400);
    let apps = resources / 5;
    for i in 0..apps {
        let ns = format!("team-{}", i % 50);
        out.push_str(&format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: app-{i}\n  namespace: {ns}\n  labels:\n    app: app-{i}\nspec:\n  selector:\n    app: app-{i}\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n---\n\
             apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n  namespace: {ns}\nspec:\n  selector:\n    matchLabels:\n      app: app-{i}\n  template:\n    metadata:\n      labels:\n        app: app-{i}\n        version: v1\n    spec:\n      containers:\n      - name: app\n        image: example.com/app:{i}\n        ports:\n        - containerPort: 8080\n---\n\
             apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: app-{i}\n  namespace: {ns}\nspec:\n  host: app-{i}\n  subsets:\n  - name: v1\n    labels:\n      version: v1\n---\n\
             apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: app-{i}\n  namespace: {ns}\nspec:\n  hosts:\n  - app-{i}\n  http:\n  - route:\n    - destination:\n        host: app-{i}\n        subset: v1\n---\n"
        ));
        if i % 10 == 0 {
            out.push_str(&format!(
                "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: gw-{i}\n  namespace: {ns}\nspec:\n  selector:\n    app: app-{i}\n  servers:\n  - port:\n      number: 8080\n      name: http\n      protocol: HTTP\n    hosts:\n    - \"app-{i}.example.com\"\n---\n"
            ));
        } else {
            out.push_str(&format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-{i}\n  namespace: {ns}\ndata:\n  key: value\n---\n"
            ));
        }
    }
    out
}

fn best_of<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn main() {
    // `cargo test --benches` runs benchmarks once with --bench absent; keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let resources: usize = std::env::var("MESHDECK_BENCH_RESOURCES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 2_000 } else { 100_000 });
    let runs = if quick { 1 } else { 3 };
    let text = generate(resources);
    let source = SourceText::new("generated.yaml", text);
    let opts = LoadOptions::default();
    let all = analyzers::all();

    let parse = best_of(runs, || {
        let (resources, issues) = parse_source(&source, &opts);
        black_box((resources, issues));
    });
    let mut findings = 0;
    let full = best_of(runs, || {
        let (resources, _) = parse_source(&source, &opts);
        let mesh = MeshConfig::default();
        let mut resources = resources;
        resources.extend(mesh.as_resources("istio-system"));
        let snapshot = Snapshot::new(resources, true);
        let outcome = analyze::run(&snapshot, &mesh, "istio-system", &all, true);
        findings = analyze::select(outcome.findings, None, &[]).len();
    });
    // Where the time goes, one analyzer at a time.
    let (resources_parsed, _) = parse_source(&source, &opts);
    let mesh = MeshConfig::default();
    let t = Instant::now();
    let snapshot = Snapshot::new(resources_parsed, true);
    let index_time = t.elapsed();
    let mut phases = vec![("index".to_string(), index_time)];
    for a in &all {
        let t = Instant::now();
        black_box(analyze::run(&snapshot, &mesh, "istio-system", &[*a], true));
        phases.push((a.metadata().name.to_string(), t.elapsed()));
    }
    let (count, _) = parse_source(&source, &opts);
    println!(
        "scale: {} resources ({} bytes), {} analyzers, {findings} findings",
        count.len(),
        source.text.len(),
        all.len()
    );
    println!("  parse only (baseline): {parse:>10.2?}");
    println!("  parse + analyze:       {full:>10.2?}");
    for (name, d) in &phases {
        println!("    {name:<55} {d:>10.2?}");
    }
    println!(
        "  ratio: {:.2}x (goal: at most 1.50x)",
        full.as_secs_f64() / parse.as_secs_f64()
    );
}
