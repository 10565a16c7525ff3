//! Scale benchmark, in process: the documents of the scale corpus (bench/gen-corpus.rs; 100k
//! by default, in files of 10k), timed twice in the same run: parsing alone (the baseline), and
//! the whole analysis (parse, index, every analyzer, sort), then where the time goes (the index
//! and each analyzer). The design goal is a ratio of at most 1.5: no analyzer may be quadratic.
//! The whole-process comparison with other tools is bench/analyze-scale.sh.
//!
//! `cargo bench --bench scale` (set `MESHDECK_BENCH_RESOURCES` for another document count).

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use meshdeck::analyze::{self, MeshConfig, analyzers};
use meshdeck::resource::{LoadOptions, Resource, Snapshot, SourceText};
use meshdeck::source::Loaded;

/// The corpus of bench/analyze-scale.sh (bench/gen-corpus.rs), in files of at most 10,000
/// documents (the loader's limit per source).
#[allow(dead_code)]
#[path = "../bench/gen-corpus.rs"]
mod gen_corpus;

fn generate(documents: usize) -> Vec<Arc<SourceText>> {
    gen_corpus::files(documents, gen_corpus::DOCUMENTS_PER_FILE)
        .into_iter()
        .map(|(name, text)| SourceText::new(name, text))
        .collect()
}

/// Parses the sources as `analyze` does (in parallel, then in order).
fn parse(sources: &[Arc<SourceText>], opts: &LoadOptions) -> Vec<Resource> {
    let mut loaded = Loaded::default();
    loaded.add_sources(sources.to_vec(), opts);
    loaded.resources
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
    let sources = generate(resources);
    let opts = LoadOptions::default();
    let all = analyzers::all();

    let parse_time = best_of(runs, || {
        black_box(parse(&sources, &opts));
    });
    let mut findings = 0;
    let full = best_of(runs, || {
        let resources = parse(&sources, &opts);
        let mesh = MeshConfig::default();
        let mut resources = resources;
        resources.extend(mesh.as_resources("istio-system"));
        let snapshot = Snapshot::new(resources, true);
        let outcome = analyze::run(&snapshot, &mesh, "istio-system", &all, true);
        findings = analyze::select(outcome.findings, None, &[]).len();
    });
    // Where the time goes, one analyzer at a time.
    let resources_parsed = parse(&sources, &opts);
    let count = resources_parsed.len();
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
    println!(
        "scale: {count} resources ({} bytes in {} files), {} analyzers, {findings} findings",
        sources.iter().map(|s| s.text.len()).sum::<usize>(),
        sources.len(),
        all.len()
    );
    println!("  parse only (baseline): {parse_time:>10.2?}");
    println!("  parse + analyze:       {full:>10.2?}");
    for (name, d) in &phases {
        println!("    {name:<55} {d:>10.2?}");
    }
    println!(
        "  ratio: {:.2}x (goal: at most 1.50x)",
        full.as_secs_f64() / parse_time.as_secs_f64()
    );
}
