//! `traffic-shift` with Prometheus: the observed split next to the configured one (--show), and
//! the stepped rollout's metric gate (--step with --max-error-rate / --max-p99), against a real
//! Prometheus (Debian's `prometheus` package, started on loopback by scripts/test-prometheus)
//! scraping, every second, a metrics endpoint each test serves itself: Istio's
//! `istio_requests_total` and `istio_request_duration_milliseconds` series, whose counters the
//! test advances at the rates it chooses. Plus Ctrl-C during a rollout (no Prometheus needed).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Node;
use kube::api::{Api, DeleteParams, PostParams};
use serde_json::Value as Json;

use crate::cli::run;
use crate::common::{meshdeck, repo};
use crate::fake_kubelet::FakeKubelet;
use crate::testcluster::{TestCluster, TestNamespace, cluster};

const NEEDS_PROMETHEUS: &str = "needs Prometheus and a Kubernetes API server: run scripts/test, \
     or scripts/test-prometheus run -- scripts/test-cluster run -- cargo test ...";

/// The buckets Istio's duration histogram has (milliseconds).
const BUCKETS: [f64; 11] = [
    5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0,
];

/// The traffic one version gets: requests per second answered 200, answered 503, and how long
/// each takes.
#[derive(Clone, Copy, Debug)]
struct Traffic {
    ok_per_second: f64,
    errors_per_second: f64,
    latency_ms: f64,
}

/// One version's counters so far.
#[derive(Default)]
struct Counters {
    ok: f64,
    errors: f64,
    /// Requests per bucket index (the first bucket the latency fits in; BUCKETS.len() = +Inf).
    buckets: Vec<f64>,
    sum_ms: f64,
}

struct Model {
    namespace: String,
    traffic: BTreeMap<String, Traffic>,
    counters: BTreeMap<String, Counters>,
    last: Instant,
}

impl Model {
    /// Advances every counter by its rate over the time since the last scrape.
    fn advance(&mut self) {
        let dt = self.last.elapsed().as_secs_f64();
        self.last = Instant::now();
        for (version, t) in &self.traffic {
            let c = self.counters.entry(version.clone()).or_default();
            if c.buckets.is_empty() {
                c.buckets = vec![0.0; BUCKETS.len() + 1];
            }
            let ok = t.ok_per_second * dt;
            let errors = t.errors_per_second * dt;
            c.ok += ok;
            c.errors += errors;
            let bucket = BUCKETS
                .iter()
                .position(|b| t.latency_ms <= *b)
                .unwrap_or(BUCKETS.len());
            c.buckets[bucket] += ok + errors;
            c.sum_ms += (ok + errors) * t.latency_ms;
        }
    }

    /// The text exposition format, as an Istio sidecar's merged metrics page has them.
    fn render(&self) -> String {
        let mut out = String::from(
            "# TYPE istio_requests_total counter\n# TYPE istio_request_duration_milliseconds histogram\n",
        );
        for (version, c) in &self.counters {
            let labels = |code: &str| {
                format!(
                    "reporter=\"destination\",destination_service_name=\"reviews\",destination_service_namespace=\"{}\",destination_version=\"{version}\",response_code=\"{code}\"",
                    self.namespace
                )
            };
            out.push_str(&format!(
                "istio_requests_total{{{}}} {}\n",
                labels("200"),
                c.ok
            ));
            out.push_str(&format!(
                "istio_requests_total{{{}}} {}\n",
                labels("503"),
                c.errors
            ));
            let mut cumulative = 0.0;
            for (i, le) in BUCKETS
                .iter()
                .map(|b| b.to_string())
                .chain(["+Inf".to_string()])
                .enumerate()
            {
                cumulative += c.buckets[i];
                out.push_str(&format!(
                    "istio_request_duration_milliseconds_bucket{{{},le=\"{le}\"}} {cumulative}\n",
                    labels("200")
                ));
            }
            out.push_str(&format!(
                "istio_request_duration_milliseconds_sum{{{}}} {}\nistio_request_duration_milliseconds_count{{{}}} {cumulative}\n",
                labels("200"),
                c.sum_ms,
                labels("200"),
            ));
        }
        out
    }
}

/// A metrics endpoint on 127.0.0.1 that Prometheus scrapes (listed in the file_sd directory
/// while it lives).
struct Metrics {
    model: Arc<Mutex<Model>>,
    stop: Arc<AtomicBool>,
    target_file: PathBuf,
}

impl Metrics {
    fn serve(namespace: &str) -> Metrics {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        let model = Arc::new(Mutex::new(Model {
            namespace: namespace.to_string(),
            traffic: BTreeMap::new(),
            counters: BTreeMap::new(),
            last: Instant::now(),
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (m, s) = (model.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((mut conn, _)) => {
                        conn.set_nonblocking(false).unwrap();
                        let mut buf = [0u8; 4096];
                        let _ = conn.read(&mut buf);
                        let body = {
                            let mut model = m.lock().unwrap();
                            model.advance();
                            model.render()
                        };
                        let _ = write!(
                            conn,
                            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        );
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(20)),
                }
            }
        });
        let dir = PathBuf::from(
            std::env::var("MESHDECK_TEST_PROMETHEUS_TARGETS")
                .unwrap_or_else(|_| panic!("{NEEDS_PROMETHEUS}")),
        );
        let target_file = dir.join(format!("{namespace}.json"));
        // Written whole, then renamed: Prometheus must never read half a file.
        let partial = dir.join(format!(".{namespace}.json.tmp"));
        std::fs::write(&partial, format!("[{{\"targets\": [\"{addr}\"]}}]")).unwrap();
        std::fs::rename(&partial, &target_file).unwrap();
        Metrics {
            model,
            stop,
            target_file,
        }
    }

    fn set(&self, version: &str, traffic: Traffic) {
        let mut model = self.model.lock().unwrap();
        model.advance();
        model.traffic.insert(version.to_string(), traffic);
    }
}

impl Drop for Metrics {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.target_file);
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn prometheus_url() -> String {
    std::env::var("MESHDECK_TEST_PROMETHEUS_URL").unwrap_or_else(|_| panic!("{NEEDS_PROMETHEUS}"))
}

/// One instant query, by hand (HTTP/1.0 over a socket), for the test's own waiting.
fn query(promql: &str) -> Vec<Json> {
    let url = prometheus_url();
    let host = url.trim_start_matches("http://");
    let mut conn = TcpStream::connect(host).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let body: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("query", promql)
        .finish();
    write!(
        conn,
        "POST /api/v1/query HTTP/1.0\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    let json = answer.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    let json: Json = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {answer}"));
    json["data"]["result"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Waits until `promql` gives a value above 0 (Prometheus has found the target and scraped it
/// often enough for a rate).
fn wait_for(promql: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let found = query(promql).iter().any(|s| {
            s["value"][1]
                .as_str()
                .and_then(|v| v.parse::<f64>().ok())
                .is_some_and(|v| v > 0.0)
        });
        if found {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "Prometheus did not see {promql} within 60s"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn setup<'c>(c: &'c TestCluster, prefix: &str) -> TestNamespace<'c> {
    c.load_istio_crds();
    let ns = c.namespace(prefix);
    ns.apply_files(&[repo().join("testdata/traffic/reviews.yaml")]);
    ns
}

fn shift(c: &TestCluster, ns: &str, rest: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "traffic-shift",
        "reviews",
        "--kubeconfig",
        c.kubeconfig.to_str().unwrap(),
        "-n",
        ns,
    ];
    args.extend_from_slice(rest);
    run(&args, None)
}

/// The default route's (subset, weight) pairs.
fn weights(c: &TestCluster, ns: &str) -> Vec<(String, u64)> {
    let obj = c
        .block_on(c.kube().object(
            "networking.istio.io/v1",
            "VirtualService",
            Some(ns),
            "reviews",
        ))
        .unwrap();
    let vs = c
        .block_on(c.kube().get(&obj))
        .unwrap()
        .map(|o| serde_json::to_value(o).unwrap())
        .expect("the VirtualService exists");
    vs["spec"]["http"][0]["route"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["destination"]["subset"].as_str().unwrap().to_string(),
                d["weight"].as_u64().unwrap_or(100),
            )
        })
        .collect()
}

/// A Node whose kubelet is the fake one, deleted when dropped.
struct TestNode<'c> {
    c: &'c TestCluster,
    name: String,
}

impl<'c> TestNode<'c> {
    fn create(c: &'c TestCluster, name: &str, kubelet_port: u16) -> TestNode<'c> {
        let node: Node = serde_json::from_value(serde_json::json!({
            "apiVersion": "v1", "kind": "Node", "metadata": {"name": name},
            "status": {
                "addresses": [{"type": "InternalIP", "address": "127.0.0.1"}],
                "daemonEndpoints": {"kubeletEndpoint": {"Port": kubelet_port}},
            },
        }))
        .unwrap();
        let api: Api<Node> = Api::all(c.client());
        c.block_on(api.create(&PostParams::default(), &node))
            .unwrap_or_else(|e| panic!("create node {name}: {e}"));
        TestNode {
            c,
            name: name.to_string(),
        }
    }
}

impl Drop for TestNode<'_> {
    fn drop(&mut self) {
        let api: Api<Node> = Api::all(self.c.client());
        let _ = self
            .c
            .block_on(api.delete(&self.name, &DeleteParams::default()));
    }
}

fn healthy(rps: f64) -> Traffic {
    Traffic {
        ok_per_second: rps,
        errors_per_second: 0.0,
        latency_ms: 20.0,
    }
}

#[test]
#[ignore = "needs Prometheus and a Kubernetes API server: run scripts/test"]
fn show_prints_the_observed_split_next_to_the_configured_one() {
    let c = cluster();
    let ns = setup(&c, "observed");
    let n = ns.name.as_str();
    let prom = prometheus_url();
    let (code, _, err) = shift(&c, n, &["--to", "v2=80,v3=20", "-y"]);
    assert_eq!(code, 0, "{err}");

    // Before any request: said so, not shown as 0%.
    let (code, table, err) = shift(&c, n, &["--show", "--prometheus", &prom, "--window", "10s"]);
    assert_eq!(code, 0, "{err}");
    assert!(table.contains("OBSERVED"), "{table}");
    assert!(
        table.contains(&format!("no requests to {n}/reviews in the last 10s")),
        "{table}"
    );

    // Kiali's 80/20 that the field notes saw as about 70/30.
    let metrics = Metrics::serve(n);
    metrics.set("v2", healthy(70.0));
    metrics.set("v3", healthy(30.0));
    wait_for(&format!(
        "sum(rate(istio_requests_total{{destination_service_namespace=\"{n}\",destination_version=\"v3\"}}[10s]))"
    ));
    let (code, out, err) = shift(
        &c,
        n,
        &[
            "--show",
            "--prometheus",
            &prom,
            "--window",
            "10s",
            "-o",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let shown: Json = serde_json::from_str(&out).unwrap();
    let observed = &shown["observed"];
    assert_eq!(observed["window"], "10s");
    let v2 = observed["percent"]["v2"].as_f64().unwrap();
    let v3 = observed["percent"]["v3"].as_f64().unwrap();
    assert!(
        (v2 - 70.0).abs() < 2.0 && (v3 - 30.0).abs() < 2.0,
        "{observed}"
    );
    // Less than the 100/s served while the series is younger than the window: rate() counts
    // the whole window.
    assert!(
        observed["requests_per_second"].as_f64().unwrap() > 0.0,
        "{observed}"
    );
    assert_eq!(
        shown["rows"][1]["weight"], 80,
        "the configured split is there too"
    );

    let (code, table, err) = shift(&c, n, &["--show", "--prometheus", &prom, "--window", "10s"]);
    assert_eq!(code, 0, "{err}");
    let v2_row = table.lines().find(|l| l.contains("v2")).unwrap();
    assert!(v2_row.contains("80%") && v2_row.contains("70"), "{table}");

    // Without --prometheus: the cluster's own Prometheus pod (found as `meshdeck dashboard
    // prometheus` finds it), through a port-forward by the real API server to a fake kubelet
    // that carries the stream to the real Prometheus.
    let prom_addr: std::net::SocketAddr = prom.trim_start_matches("http://").parse().unwrap();
    let kubelet = FakeKubelet::start(prom_addr);
    let node = TestNode::create(&c, &format!("{n}-node"), kubelet.port);
    ns.apply_json(serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "prometheus-0", "namespace": n,
            "labels": {"app.kubernetes.io/name": "prometheus"}},
        "spec": {"nodeName": node.name,
            "containers": [{"name": "prometheus", "image": "example.invalid/prometheus:1"}]},
    }));
    ns.mark_ready("Pod", n, "prometheus-0");
    let (code, out, err) = shift(&c, n, &["--show", "-i", n, "--window", "10s", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    let shown: Json = serde_json::from_str(&out).unwrap();
    let observed = &shown["observed"];
    assert_eq!(
        observed["prometheus"],
        format!("pod {n}/prometheus-0 port 9090 (port-forward)"),
        "{err}"
    );
    let v2 = observed["percent"]["v2"].as_f64().unwrap();
    assert!((v2 - 70.0).abs() < 2.0, "{observed}");
    assert_eq!(kubelet.seen(), [format!("{n}/prometheus-0")]);
    drop(node);

    // Prometheus that is not there: the error names it.
    let (code, _, err) = shift(&c, n, &["--show", "--prometheus", "http://127.0.0.1:9"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("cannot query Prometheus at http://127.0.0.1:9"),
        "{err}"
    );
}

#[test]
#[ignore = "needs Prometheus and a Kubernetes API server: run scripts/test"]
fn a_healthy_rollout_completes_and_an_error_spike_rolls_back() {
    let c = cluster();
    let ns = setup(&c, "rollout");
    let n = ns.name.as_str();
    let prom = prometheus_url();
    let (code, _, err) = shift(&c, n, &["--to", "v1", "-y"]);
    assert_eq!(code, 0, "{err}");

    let metrics = Metrics::serve(n);
    metrics.set("v1", healthy(50.0));
    metrics.set("v2", healthy(20.0));
    wait_for(&format!(
        "sum(rate(istio_requests_total{{destination_service_namespace=\"{n}\",destination_version=\"v2\"}}[3s]))"
    ));
    let gate = [
        "--step",
        "50",
        "--interval",
        "3s",
        "--prometheus",
        &prom,
        "--max-error-rate",
        "1%",
        "--max-p99",
        "500ms",
        "-y",
    ];
    let mut args = vec!["--to", "v2"];
    args.extend(gate);
    args.extend(["-o", "json"]);
    let (code, out, err) = shift(&c, n, &args);
    assert_eq!(code, 0, "{err}");
    let report: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(report["result"], "completed", "{report}");
    assert_eq!(report["start"], "v1=100");
    let steps: Vec<&str> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["split"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["v1=50,v2=50", "v2=100"]);
    for s in report["steps"].as_array().unwrap() {
        let h = &s["health"][0];
        assert_eq!(h["version"], "v2");
        assert_eq!(h["error_rate"], 0.0, "{s}");
        let p99 = h["p99_ms"].as_f64().unwrap();
        assert!(
            p99 > 10.0 && p99 <= 25.0,
            "20ms requests fall in (10, 25]: {s}"
        );
    }
    assert!(err.contains("step 1/2: v1=50,v2=50 applied"), "{err}");
    assert!(err.contains("within the limits"), "{err}");
    assert_eq!(weights(&c, n), [("v2".to_string(), 100)]);

    // Back to v1, and now half of v2's answers are 503s.
    let (code, _, err) = shift(&c, n, &["--to", "v1", "-y"]);
    assert_eq!(code, 0, "{err}");
    metrics.set(
        "v2",
        Traffic {
            ok_per_second: 10.0,
            errors_per_second: 10.0,
            latency_ms: 20.0,
        },
    );
    wait_for(&format!(
        "sum(rate(istio_requests_total{{destination_service_namespace=\"{n}\",destination_version=\"v2\",response_code=\"503\"}}[3s]))"
    ));
    let mut args = vec!["--to", "v2"];
    args.extend(gate);
    let (code, _, err) = shift(&c, n, &args);
    assert_eq!(
        code, 80,
        "a rolled-back rollout has its own exit code: {err}"
    );
    assert!(
        err.contains("the error rate of v2 is") && err.contains("over the limit of 1%"),
        "the metric, its value and the limit: {err}"
    );
    assert!(err.contains("the routing is back at v1=100"), "{err}");
    assert_eq!(
        weights(&c, n),
        [("v1".to_string(), 100)],
        "the split from before the rollout"
    );

    // Slow but correct answers break the p99 limit.
    metrics.set(
        "v2",
        Traffic {
            ok_per_second: 20.0,
            errors_per_second: 0.0,
            latency_ms: 800.0,
        },
    );
    std::thread::sleep(Duration::from_secs(4));
    let mut args = vec!["--to", "v2"];
    args.extend(gate);
    args.extend(["-o", "json"]);
    let (code, out, err) = shift(&c, n, &args);
    assert_eq!(code, 80, "{err}");
    let report: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(report["result"], "breached");
    assert_eq!(report["breach"]["metric"], "p99 latency", "{report}");
    assert_eq!(report["breach"]["limit"], "500ms");
    assert_eq!(weights(&c, n), [("v1".to_string(), 100)]);
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn ctrl_c_during_a_rollout_leaves_the_last_step_and_says_how_to_resume_or_undo() {
    let c = cluster();
    let ns = setup(&c, "sigint");
    let n = ns.name.as_str();
    let (code, _, err) = shift(&c, n, &["--to", "v1=80,v2=20", "-y"]);
    assert_eq!(code, 0, "{err}");

    let mut child = Command::new(meshdeck())
        .args([
            "traffic-shift",
            "reviews",
            "--kubeconfig",
            c.kubeconfig.to_str().unwrap(),
            "-n",
            n,
            "--to",
            "v3",
            "--step",
            "10",
            "--interval",
            "10m",
            "-y",
        ])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "meshdeck ended before its first step: {seen}"
        );
        seen.push_str(&line);
        if line.contains("step 1/10: v1=72,v2=18,v3=10 applied") {
            break;
        }
    }
    assert_eq!(
        weights(&c, n),
        [
            ("v1".to_string(), 72),
            ("v2".to_string(), 18),
            ("v3".to_string(), 10)
        ],
        "{seen}"
    );
    // SAFETY: signalling the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{seen}{rest}");
    assert!(
        rest.contains("interrupted after step 1 of 10: the routing is left at v1=72,v2=18,v3=10"),
        "{rest}"
    );
    assert!(
        rest.contains("to resume, run the same command again"),
        "{rest}"
    );
    assert!(
        rest.contains(&format!(
            "meshdeck traffic-shift reviews -n {n} --to v1=80,v2=20"
        )),
        "{rest}"
    );
    assert_eq!(
        weights(&c, n),
        [
            ("v1".to_string(), 72),
            ("v2".to_string(), 18),
            ("v3".to_string(), 10)
        ]
    );
}
