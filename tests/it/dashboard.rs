//! `meshdeck dashboard` end to end: the binary as a real process, through the real API server's
//! port-forward to the fake kubelet (tests/it/fake_kubelet.rs), which forwards to a local HTTP
//! server standing in for Kiali. Pods are created with their status set (no kubelet runs).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::{Api, DeleteParams, PostParams};
use meshdeck::dashboard::DashboardError;
use meshdeck::dashboard::pods::{self, PodTarget};
use serde_json::json;

use crate::common::meshdeck;
use crate::fake_kubelet::{BIG, Backend, FakeKubelet, big_byte};
use crate::testcluster::{TestCluster, TestNamespace, cluster};

/// A Node pointing at the fake kubelet, deleted when dropped.
struct FakeNode<'c> {
    c: &'c TestCluster,
    name: String,
}

impl Drop for FakeNode<'_> {
    fn drop(&mut self) {
        let api: Api<Node> = Api::all(self.c.client());
        let _ = self
            .c
            .block_on(api.delete(&self.name, &DeleteParams::default()));
    }
}

struct Fixture<'c> {
    c: &'c TestCluster,
    ns: TestNamespace<'c>,
    node: FakeNode<'c>,
    kubelet: FakeKubelet,
    backend: Backend,
}

fn fixture<'c>(c: &'c TestCluster, prefix: &str) -> Fixture<'c> {
    let ns = c.namespace(prefix);
    let backend = Backend::start();
    let kubelet = FakeKubelet::start(backend.addr);
    let name = format!("{}-node", ns.name);
    let node: Node = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Node", "metadata": {"name": name},
        "status": {
            "addresses": [{"type": "InternalIP", "address": "127.0.0.1"}],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": kubelet.port}},
        },
    }))
    .unwrap();
    let api: Api<Node> = Api::all(c.client());
    c.block_on(api.create(&PostParams::default(), &node))
        .unwrap_or_else(|e| panic!("create node {name}: {e}"));
    Fixture {
        c,
        ns,
        node: FakeNode { c, name },
        kubelet,
        backend,
    }
}

impl Fixture<'_> {
    /// A pod on the fake node with `labels`, marked Running and Ready when `ready`.
    fn pod(&self, name: &str, labels: serde_json::Value, ready: bool) {
        self.ns.apply_json(json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": self.ns.name, "labels": labels},
            "spec": {"nodeName": self.node.name,
                "containers": [{"name": "ui", "image": "example.invalid/ui:1"}]},
        }));
        if ready {
            self.ns.mark_ready("Pod", &self.ns.name, name);
        }
    }

    fn kiali(&self, name: &str) {
        self.pod(name, json!({"app": "kiali"}), true);
    }

    /// Deletes a pod at once (grace period 0), as a node losing it would.
    fn kill(&self, name: &str) {
        let api: Api<Pod> = Api::namespaced(self.c.client(), &self.ns.name);
        self.c
            .block_on(api.delete(name, &DeleteParams::default().grace_period(0)))
            .unwrap();
    }

    fn dashboard(&self, args: &[&str]) -> Dash {
        self.dashboard_as(&self.c.kubeconfig, args)
    }

    fn dashboard_as(&self, kubeconfig: &Path, args: &[&str]) -> Dash {
        let mut cmd = self.command(kubeconfig, args);
        cmd.arg("--browser=false");
        Dash::spawn(cmd)
    }

    /// `meshdeck dashboard ARGS` for this test's namespace, without a display, CI or browser.
    fn command(&self, kubeconfig: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(meshdeck());
        cmd.arg("dashboard")
            .args(args)
            .args(["-i", &self.ns.name, "-n", &self.ns.name])
            .arg("--kubeconfig")
            .arg(kubeconfig)
            .env_remove("KUBECONFIG")
            .env_remove("HTTPS_PROXY")
            .env_remove("HTTP_PROXY")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("BROWSER")
            .env_remove("CI")
            .env("NO_COLOR", "1");
        cmd
    }
}

/// A running `meshdeck dashboard`, its stdout and stderr collected as they come.
struct Dash {
    child: Child,
    out: Arc<Mutex<String>>,
    err: Arc<Mutex<String>>,
}

fn collect(r: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let buf = Arc::new(Mutex::new(String::new()));
    let b = buf.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(r).lines().map_while(Result::ok) {
            let mut b = b.lock().unwrap();
            b.push_str(&line);
            b.push('\n');
        }
    });
    buf
}

impl Dash {
    fn spawn(mut cmd: Command) -> Dash {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        let out = collect(child.stdout.take().unwrap());
        let err = collect(child.stderr.take().unwrap());
        Dash { child, out, err }
    }

    fn stdout(&self) -> String {
        self.out.lock().unwrap().clone()
    }

    fn stderr(&self) -> String {
        self.err.lock().unwrap().clone()
    }

    /// Waits until stderr says `text`.
    fn wait_stderr(&mut self, text: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !self.stderr().contains(text) {
            if Instant::now() > deadline || self.child.try_wait().unwrap().is_some() {
                std::thread::sleep(Duration::from_millis(100));
                panic!(
                    "no {text:?} on stderr:\n{}\nstdout:\n{}",
                    self.stderr(),
                    self.stdout()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The first `n` lines of stdout (URLs or JSON lines), once they are there.
    fn lines(&mut self, n: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(40);
        loop {
            let out = self.stdout();
            if out.lines().count() >= n {
                return out.lines().take(n).map(str::to_string).collect();
            }
            if Instant::now() > deadline || self.child.try_wait().unwrap().is_some() {
                std::thread::sleep(Duration::from_millis(100));
                panic!(
                    "{n} line(s) expected on stdout:\n{}\nstderr:\n{}",
                    self.stdout(),
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn url(&mut self) -> String {
        self.lines(1).remove(0)
    }

    /// Waits for the process to end by itself; its exit code.
    fn wait(&mut self, timeout: Duration) -> i32 {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(100));
                return status.code().unwrap_or(-1);
            }
            if Instant::now() > deadline {
                panic!(
                    "still running after {timeout:?}; stderr:\n{}",
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn signal(&self, sig: i32) {
        // SAFETY: kill(2) on our own child's pid.
        unsafe {
            libc::kill(self.child.id() as i32, sig);
        }
    }
}

impl Drop for Dash {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `host:port` and path of an `http://` URL.
fn split(url: &str) -> (String, String) {
    let rest = url.strip_prefix("http://").expect("an http URL");
    match rest.find('/') {
        Some(i) => (rest[..i].to_string(), rest[i..].to_string()),
        None => (rest.to_string(), "/".to_string()),
    }
}

/// GETs `path` from `hostport`: status and body.
fn get(hostport: &str, path: &str) -> (u16, Vec<u8>) {
    let mut conn = TcpStream::connect(hostport).unwrap_or_else(|e| panic!("{hostport}: {e}"));
    conn.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        conn,
        "GET {path} HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    conn.read_to_end(&mut raw).unwrap();
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..end]).to_string();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, raw[end + 4..].to_vec())
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn tunnel_carries_concurrent_connections_and_large_transfers_and_sigterm_exits_0() {
    let c = cluster();
    let f = fixture(&c, "dash-tunnel");
    f.kiali("kiali-1");
    let mut dash = f.dashboard(&["kiali", "-p", "0"]);
    let url = dash.url();
    let (hostport, path) = split(&url);
    assert!(
        hostport.starts_with("127.0.0.1:"),
        "the real address: {url}"
    );
    assert_eq!(path, "/kiali");
    let stderr = dash.stderr();
    assert!(
        stderr.contains(&format!(
            "kiali is ready at {url} (pod {}/kiali-1",
            f.ns.name
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("also on [::1]:") || !std::path::Path::new("/proc/net/if_inet6").exists(),
        "{stderr}"
    );
    let (status, body) = get(&hostport, "/kiali");
    assert_eq!(
        (status, body.as_slice()),
        (200, &b"kiali stand-in: /kiali"[..])
    );
    // localhost is ::1 too, on the same port.
    if let Some(v6) = stderr
        .split("also on ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
    {
        assert_eq!(
            v6,
            format!("[::1]:{}", hostport.rsplit(':').next().unwrap())
        );
        assert_eq!(get(v6, "/v6").0, 200);
    }

    // Many connections at once, each its own forward.
    let threads: Vec<_> = (0..16)
        .map(|i| {
            let hp = hostport.clone();
            std::thread::spawn(move || get(&hp, &format!("/page-{i}")))
        })
        .collect();
    for (i, t) in threads.into_iter().enumerate() {
        let (status, body) = t.join().unwrap();
        assert_eq!(status, 200);
        assert_eq!(body, format!("kiali stand-in: /page-{i}").into_bytes());
    }

    // A large transfer arrives whole and in order.
    let started = Instant::now();
    let (status, body) = get(&hostport, "/big");
    let took = started.elapsed();
    assert_eq!(status, 200);
    assert_eq!(body.len(), BIG);
    assert!(
        body.iter().enumerate().all(|(i, b)| *b == big_byte(i)),
        "bytes out of order"
    );
    eprintln!(
        "dashboard: {} MiB through the tunnel in {took:?}",
        BIG >> 20
    );

    let forwards = f.kubelet.seen();
    assert!(
        forwards.len() >= 19
            && forwards
                .iter()
                .all(|p| *p == format!("{}/kiali-1", f.ns.name)),
        "one forward per connection, all to kiali-1: {forwards:?}"
    );

    assert!(
        f.backend.requests.load(std::sync::atomic::Ordering::SeqCst) >= 19,
        "every request reached the backend"
    );

    dash.signal(libc::SIGTERM);
    assert_eq!(dash.wait(Duration::from_secs(10)), 0, "{}", dash.stderr());
    assert!(
        dash.stderr().contains("SIGTERM received"),
        "{}",
        dash.stderr()
    );
    assert!(
        TcpStream::connect(&hostport).is_err(),
        "the listener is closed"
    );
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn a_dying_pod_is_replaced_by_a_new_ready_one_and_sigint_exits_0() {
    let c = cluster();
    let f = fixture(&c, "dash-reconnect");
    f.kiali("kiali-a");
    let mut dash = f.dashboard(&["kiali", "-p", "0"]);
    let (hostport, _) = split(&dash.url());
    assert_eq!(get(&hostport, "/before").0, 200);
    // A connection in flight when the pod dies.
    let mut stream = TcpStream::connect(&hostport).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(stream, "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut first = [0u8; 64];
    let n = stream.read(&mut first).unwrap();
    assert!(n > 0, "the stream started");
    let reader = std::thread::spawn(move || {
        let mut rest = Vec::new();
        let started = Instant::now();
        let _ = stream.read_to_end(&mut rest);
        started.elapsed()
    });

    f.kiali("kiali-b");
    f.kill("kiali-a");
    dash.wait_stderr(
        &format!("lost pod {}/kiali-a", f.ns.name),
        Duration::from_secs(20),
    );
    dash.wait_stderr(
        &format!("kiali: reconnected to pod {}/kiali-b", f.ns.name),
        Duration::from_secs(20),
    );
    let cut_after = reader.join().unwrap();
    assert!(
        cut_after < Duration::from_secs(15),
        "the connection to the dead pod ends instead of hanging ({cut_after:?})"
    );
    eprintln!("dashboard: a connection to the dead pod was cut {cut_after:?} after the kill");
    let (status, body) = get(&hostport, "/after");
    assert_eq!(
        (status, body.as_slice()),
        (200, &b"kiali stand-in: /after"[..])
    );
    assert_eq!(
        f.kubelet.seen().last().unwrap(),
        &format!("{}/kiali-b", f.ns.name),
        "the new connection went to the new pod"
    );

    dash.signal(libc::SIGINT);
    assert_eq!(dash.wait(Duration::from_secs(10)), 0, "{}", dash.stderr());
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn without_a_new_pod_it_gives_up_after_max_reconnects() {
    let c = cluster();
    let f = fixture(&c, "dash-giveup");
    f.kiali("kiali-only");
    let mut dash = f.dashboard(&["kiali", "-p", "0", "--max-reconnects", "2"]);
    dash.url();
    let started = Instant::now();
    f.kill("kiali-only");
    assert_eq!(dash.wait(Duration::from_secs(30)), 1, "{}", dash.stderr());
    let err = dash.stderr();
    assert!(
        err.contains("reconnect 1/2 failed: no running and ready pod"),
        "{err}"
    );
    assert!(
        err.contains("kiali: gave up after 2 failed reconnect(s) in a row"),
        "{err}"
    );
    eprintln!(
        "dashboard: gave up {:?} after the pod died",
        started.elapsed()
    );
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn a_forward_the_kubelet_refuses_is_reported_and_reconnected() {
    let c = cluster();
    let f = fixture(&c, "dash-refuse");
    f.kiali("kiali-r");
    let mut dash = f.dashboard(&["kiali", "-p", "0"]);
    let (hostport, _) = split(&dash.url());
    f.kubelet.refuse(&format!("{}/kiali-r", f.ns.name));
    let (_, body) = std::thread::spawn(move || {
        let mut conn = TcpStream::connect(&hostport).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let _ = conn.write_all(b"GET / HTTP/1.1\r\n\r\n");
        let mut raw = Vec::new();
        let _ = conn.read_to_end(&mut raw);
        (0, raw)
    })
    .join()
    .unwrap();
    assert!(body.is_empty(), "a refused forward carries nothing");
    dash.wait_stderr("connection refused", Duration::from_secs(10));
    dash.wait_stderr("reconnected to pod", Duration::from_secs(10));
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn a_node_whose_kubelet_does_not_answer_is_named_before_anything_is_ready() {
    let c = cluster();
    let f = fixture(&c, "dash-nokubelet");
    // A second node whose kubelet port has no listener.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_port = closed.local_addr().unwrap().port();
    drop(closed);
    let name = format!("{}-dead", f.ns.name);
    let node: Node = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Node", "metadata": {"name": name},
        "status": {
            "addresses": [{"type": "InternalIP", "address": "127.0.0.1"}],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": dead_port}},
        },
    }))
    .unwrap();
    let nodes: Api<Node> = Api::all(c.client());
    c.block_on(nodes.create(&PostParams::default(), &node))
        .unwrap();
    let _node = FakeNode {
        c: &c,
        name: name.clone(),
    };
    f.ns.apply_json(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "kiali-d", "namespace": f.ns.name, "labels": {"app": "kiali"}},
        "spec": {"nodeName": name, "containers": [{"name": "ui", "image": "example.invalid/ui:1"}]},
    }));
    f.ns.mark_ready("Pod", &f.ns.name, "kiali-d");
    let mut dash = f.dashboard(&["kiali", "-p", "0"]);
    assert_eq!(dash.wait(Duration::from_secs(30)), 1);
    let err = dash.stderr();
    assert!(
        err.contains(&format!(
            "cannot port-forward to pod {}/kiali-d: the API server answered 500",
            f.ns.name
        )),
        "{err}"
    );
    assert_eq!(dash.stdout(), "", "nothing was announced");
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn a_port_in_use_is_an_error_unless_it_was_only_the_default() {
    let c = cluster();
    let f = fixture(&c, "dash-port");
    f.kiali("kiali-p");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut dash = f.dashboard(&["kiali", "--address", "127.0.0.1", "-p", &port]);
    assert_eq!(dash.wait(Duration::from_secs(30)), 1);
    let err = dash.stderr();
    assert!(
        err.contains(&format!(
            "cannot listen on 127.0.0.1:{port}: the port is in use"
        )),
        "{err}"
    );

    // The default local port is the remote one (--ui-port here); taken, a free one is used.
    let mut dash = f.dashboard(&["kiali", "--address", "127.0.0.1", "--ui-port", &port]);
    let url = dash.url();
    assert!(!url.contains(&format!(":{port}/")), "{url}");
    assert!(
        dash.stderr()
            .contains(&format!("local port {port} is in use; using")),
        "{}",
        dash.stderr()
    );
    assert_eq!(get(&split(&url).0, "/kiali").0, 200);
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn a_failing_health_check_warns_or_with_require_healthy_exits_1() {
    let c = cluster();
    let f = fixture(&c, "dash-health");
    f.kiali("kiali-h");
    f.backend.set_health(503);
    let mut dash = f.dashboard(&[
        "kiali",
        "-p",
        "0",
        "--health-timeout",
        "1s",
        "--require-healthy",
    ]);
    assert_eq!(dash.wait(Duration::from_secs(30)), 1);
    let err = dash.stderr();
    assert!(
        err.contains("kiali did not answer healthy at http://127.0.0.1:")
            && err.contains("/kiali/healthz within 1s: HTTP 503"),
        "{err}"
    );
    assert_eq!(
        dash.stdout(),
        "",
        "no URL for a dashboard that is not ready"
    );

    let mut dash = f.dashboard(&["kiali", "-p", "0", "--health-timeout", "1s"]);
    let url = dash.url();
    assert!(
        dash.stderr()
            .contains("kiali: the UI did not answer its health check (HTTP 503"),
        "{}",
        dash.stderr()
    );
    assert_eq!(
        get(&split(&url).0, "/kiali").0,
        200,
        "the tunnel stays open"
    );
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn rbac_refusals_name_what_is_missing() {
    let c = cluster();
    let f = fixture(&c, "dash-rbac");
    f.kiali("kiali-x");
    let restricted = c.restricted();
    let mut dash = f.dashboard_as(&restricted, &["kiali", "-p", "0"]);
    assert_eq!(dash.wait(Duration::from_secs(30)), 1);
    let err = dash.stderr();
    assert!(
        err.contains("forbidden: cannot list pods in namespace"),
        "{err}"
    );

    // Reading pods is not forwarding to them.
    f.ns.grant_restricted_namespace_reader();
    let mut dash = f.dashboard_as(&restricted, &["kiali", "-p", "0"]);
    assert_eq!(dash.wait(Duration::from_secs(30)), 1);
    let err = dash.stderr();
    assert!(
        err.contains(&format!(
            "forbidden: cannot port-forward to pod {}/kiali-x (pods/portforward): ",
            f.ns.name
        )),
        "{err}"
    );
    assert!(
        err.contains("kubectl auth can-i create pods/portforward"),
        "{err}"
    );
    assert!(f.kubelet.seen().is_empty(), "nothing reached the kubelet");
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn pod_discovery_takes_the_newest_ready_pod_and_names_the_rejected() {
    let c = cluster();
    let f = fixture(&c, "dash-pods");
    let ns = f.ns.name.clone();
    let target = PodTarget::Selector {
        selector: "app=kiali".into(),
        namespaces: vec![ns.clone(), format!("{ns}-absent")],
    };
    // None.
    match c.block_on(pods::find(c.kube(), &target)) {
        Err(e @ DashboardError::NoPod { .. }) => assert_eq!(
            e.to_string(),
            format!(
                "no running and ready pod with selector \"app=kiali\" in namespace(s) {ns}, {ns}-absent: no pod carries these labels"
            )
        ),
        other => panic!("{other:?}"),
    }
    // Not ready, and terminating (no kubelet confirms the delete, so it stays).
    f.pod("kiali-starting", json!({"app": "kiali"}), false);
    f.kiali("kiali-leaving");
    let api: Api<Pod> = Api::namespaced(c.client(), &ns);
    c.block_on(api.delete("kiali-leaving", &DeleteParams::default()))
        .unwrap();
    match c.block_on(pods::find(c.kube(), &target)) {
        Err(DashboardError::NoPod { rejected, .. }) => {
            let mut r: Vec<String> = rejected.iter().map(ToString::to_string).collect();
            r.sort();
            assert_eq!(
                r,
                [
                    format!("{ns}/kiali-leaving: terminating (it is being deleted)"),
                    format!("{ns}/kiali-starting: phase Pending, not Running"),
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    // The binary says the same, with a hint.
    let mut dash = f.dashboard(&["kiali", "-p", "0"]);
    assert_eq!(dash.wait(Duration::from_secs(30)), 1);
    let err = dash.stderr();
    assert!(
        err.contains("no running and ready pod with selector \"app=kiali\""),
        "{err}"
    );
    assert!(
        err.contains(&format!("{ns}/kiali-leaving: terminating")),
        "{err}"
    );

    // Ready ones: the newest wins.
    f.kiali("kiali-old");
    std::thread::sleep(Duration::from_millis(1100));
    f.kiali("kiali-new");
    let chosen = c.block_on(pods::find(c.kube(), &target)).unwrap();
    assert_eq!(chosen.name, "kiali-new");

    // The Istio namespace is searched first, even when -n holds a newer ready pod.
    let other = c.namespace("dash-pods-n");
    other.apply_json(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "kiali-elsewhere", "namespace": other.name, "labels": {"app": "kiali"}},
        "spec": {"nodeName": f.node.name, "containers": [{"name": "ui", "image": "example.invalid/ui:1"}]},
    }));
    other.mark_ready("Pod", &other.name, "kiali-elsewhere");
    let istio_first = PodTarget::Selector {
        selector: "app=kiali".into(),
        namespaces: vec![ns.clone(), other.name.clone()],
    };
    assert_eq!(
        c.block_on(pods::find(c.kube(), &istio_first)).unwrap().name,
        "kiali-new"
    );
    let other_first = PodTarget::Selector {
        selector: "app=kiali".into(),
        namespaces: vec![other.name.clone(), ns.clone()],
    };
    assert_eq!(
        c.block_on(pods::find(c.kube(), &other_first)).unwrap().name,
        "kiali-elsewhere"
    );

    // The overview table.
    let mut dash = f.dashboard(&[]);
    assert_eq!(dash.wait(Duration::from_secs(30)), 0, "{}", dash.stderr());
    let out = dash.stdout();
    assert!(out.starts_with("DASHBOARD"), "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("kiali")
            && l.contains(&format!("ready (pod {ns}/kiali-new)"))
            && l.ends_with(&format!("meshdeck dashboard kiali -i {ns}"))),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("grafana") && l.contains("not installed")),
        "{out}"
    );
    // The same as JSON lines, for scripts.
    let mut dash = f.dashboard(&["-o", "json"]);
    assert_eq!(dash.wait(Duration::from_secs(30)), 0, "{}", dash.stderr());
    let rows: Vec<serde_json::Value> = dash
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kiali = rows.iter().find(|r| r["name"] == "kiali").unwrap();
    assert_eq!(
        (&kiali["state"], &kiali["pod"], &kiali["namespace"]),
        (&json!("ready"), &json!("kiali-new"), &json!(ns))
    );
    let grafana = rows.iter().find(|r| r["name"] == "grafana").unwrap();
    assert_eq!(grafana["state"], "not-installed");

    // Nothing stays terminating after the test.
    let _ = c.block_on(api.delete("kiali-leaving", &DeleteParams::default().grace_period(0)));
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn several_dashboards_at_once_print_json_lines() {
    let c = cluster();
    let f = fixture(&c, "dash-many");
    f.kiali("kiali-m");
    f.pod(
        "grafana-m",
        json!({"app.kubernetes.io/name": "grafana"}),
        true,
    );
    let mut dash = f.dashboard(&["kiali", "grafana", "-o", "json", "--address", "127.0.0.1"]);
    let lines = dash.lines(2);
    let mut seen = Vec::new();
    for line in &lines {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(v["namespace"], f.ns.name.as_str());
        let url = v["url"].as_str().unwrap().to_string();
        let (hostport, path) = split(&url);
        assert_eq!(get(&hostport, &path).0, 200);
        seen.push((
            v["name"].as_str().unwrap().to_string(),
            v["pod"].as_str().unwrap().to_string(),
            hostport,
        ));
    }
    seen.sort();
    assert_eq!(seen[0].0, "grafana");
    assert_eq!(seen[0].1, "grafana-m");
    assert_eq!(seen[1].1, "kiali-m");
    assert_ne!(seen[0].2, seen[1].2, "each dashboard has its own port");
    dash.signal(libc::SIGTERM);
    assert_eq!(dash.wait(Duration::from_secs(10)), 0);
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn the_browser_opens_the_printed_url_except_under_ci() {
    let c = cluster();
    let f = fixture(&c, "dash-browser");
    f.kiali("kiali-w");
    let dir = tempfile::tempdir().unwrap();
    let opened = dir.path().join("opened");
    let script = dir.path().join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$1\" >> {}\n", opened.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();

    let mut cmd = f.command(&c.kubeconfig, &["kiali", "-p", "0"]);
    cmd.env("BROWSER", &script);
    let mut dash = Dash::spawn(cmd);
    let url = dash.url();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !opened.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        std::fs::read_to_string(&opened).unwrap_or_default().trim(),
        url,
        "the browser got the URL printed"
    );
    drop(dash);

    // Under CI nobody is at the screen: only the URL is printed.
    std::fs::remove_file(&opened).unwrap();
    let mut cmd = f.command(&c.kubeconfig, &["kiali", "-p", "0"]);
    cmd.env("BROWSER", &script).env("CI", "true");
    let mut dash = Dash::spawn(cmd);
    dash.url();
    std::thread::sleep(Duration::from_millis(500));
    assert!(!opened.exists(), "no browser under CI");
}

/// Runs `meshdeck ARGS` without a cluster: exit code and stderr.
fn offline(args: &[&str]) -> (i32, String) {
    let out = Command::new(meshdeck())
        .args(args)
        .env("KUBECONFIG", "/nonexistent/kubeconfig")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn usage_mistakes_exit_64_before_any_cluster_is_asked() {
    let (code, err) = offline(&["dashboard", "kibana"]);
    assert_eq!(code, 64, "{err}");
    assert!(
        err.contains("unknown dashboard \"kibana\": use one of kiali, grafana, prometheus"),
        "{err}"
    );
    let (code, err) = offline(&["dashboard", "kiali", "kiali-7d9f"]);
    assert_eq!(code, 64, "{err}");
    let (code, err) = offline(&["dashboard", "kiali", "grafana", "-p", "8080"]);
    assert_eq!(code, 64, "{err}");
    assert!(
        err.contains("--port 8080 was given for 2 dashboards; each needs a port of its own"),
        "{err}"
    );
    let (code, err) = offline(&["dashboard", "kiali", "--health-timeout", "soon"]);
    assert_eq!(code, 64, "{err}");
    // Without a kubeconfig the error says so (exit 1), and nothing listens.
    let (code, err) = offline(&["dashboard", "kiali", "--browser=false"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("cannot load the kubeconfig"), "{err}");
}
