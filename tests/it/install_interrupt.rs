//! `meshdeck install` and `uninstall` stopped part way, against the local API server
//! (Kubernetes 1.20): by SIGINT while Istiod is waited for, by the API server becoming
//! unreachable at that moment, and `uninstall` by SIGTERM while a delete hangs. Each time the
//! command must stop within a bounded time, say what it had done and what to do, and a rerun
//! over a good connection must converge without deleting anything meshdeck does not own.
//!
//! As in `install_apply.rs`: each test installs a revision of its own into a namespace of its
//! own with `--force` (the 1.20 server is older than Istio 1.30 supports), holds `exclusive()`,
//! and uses the minimal profile (Istio core, then Istiod). Nothing marks Istiod ready in the
//! stopped runs, so they are stopped while they wait for it; the reruns mark it. The lost
//! connection goes through a TCP proxy in this file (plain bytes, so TLS still ends at the API
//! server, whose certificate holds 127.0.0.1 whatever the port): cutting it closes every
//! connection and refuses new ones, as a server that went away does.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value as Json, json};

use crate::common::meshdeck;
use crate::install_apply::{
    deleted, get, install_args, manifests, mark_deployments_available, revision, run_marking,
};
use crate::testcluster::{TestCluster, cluster, exclusive};

const OPEN: u8 = 0;
/// Connections stay open and accepted, but no byte goes through (a peer that stopped answering).
const PAUSED: u8 = 1;
/// Every connection closed, new ones refused (a server that went away).
const CUT: u8 = 2;

/// A TCP proxy to the API server on a loopback port of its own.
struct Proxy {
    addr: SocketAddr,
    state: Arc<AtomicU8>,
    /// Raised to make the pipes of the connections open now drop them without a FIN.
    epoch: Arc<AtomicUsize>,
    conns: Arc<Mutex<Vec<TcpStream>>>,
}

impl Proxy {
    fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(AtomicU8::new(OPEN));
        let epoch = Arc::new(AtomicUsize::new(0));
        let conns: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (st, cs, ep) = (state.clone(), conns.clone(), epoch.clone());
        std::thread::spawn(move || {
            // The listener is dropped once cut: the port then refuses connections.
            while st.load(Ordering::SeqCst) != CUT {
                match listener.accept() {
                    Ok((client, _)) => {
                        client.set_nonblocking(false).unwrap();
                        let Ok(server) = TcpStream::connect(upstream) else {
                            continue;
                        };
                        let mut list = cs.lock().unwrap();
                        list.push(client.try_clone().unwrap());
                        list.push(server.try_clone().unwrap());
                        drop(list);
                        pipe(
                            client.try_clone().unwrap(),
                            server.try_clone().unwrap(),
                            &st,
                            &ep,
                        );
                        pipe(server, client, &st, &ep);
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(10))
                    }
                    Err(_) => return,
                }
            }
        });
        Proxy {
            addr,
            state,
            epoch,
            conns,
        }
    }

    fn pause(&self) {
        self.state.store(PAUSED, Ordering::SeqCst);
    }

    /// Resets every connection open now (a TCP RST to meshdeck, so that its requests and
    /// watches fail rather than end); new ones go through as before (a network blip, a load
    /// balancer dropping connections).
    fn reset_connections(&self) {
        let conns: Vec<TcpStream> = self.conns.lock().unwrap().drain(..).collect();
        for c in &conns {
            linger_zero(c);
        }
        // The pipes let go of their sockets; the last close of each sends the RST.
        self.epoch.fetch_add(1, Ordering::SeqCst);
    }

    fn cut(&self) {
        self.state.store(CUT, Ordering::SeqCst);
        for c in self.conns.lock().unwrap().drain(..) {
            let _ = c.shutdown(Shutdown::Both);
        }
        // Wait for the accept loop to let go of the port.
        let deadline = Instant::now() + Duration::from_secs(5);
        while TcpStream::connect(self.addr).is_ok() {
            assert!(Instant::now() < deadline, "the proxy still accepts");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A copy of `kubeconfig` whose clusters point at the proxy.
    fn kubeconfig(&self, kubeconfig: &Path, dir: &Path) -> PathBuf {
        let text = std::fs::read_to_string(kubeconfig).unwrap();
        let mut doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        for c in doc["clusters"].as_sequence_mut().unwrap() {
            c["cluster"]["server"] = format!("https://{}", self.addr).into();
        }
        let path = dir.join("kubeconfig-via-proxy");
        std::fs::write(&path, serde_yaml::to_string(&doc).unwrap()).unwrap();
        path
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.state.store(CUT, Ordering::SeqCst);
        for c in self.conns.lock().unwrap().drain(..) {
            let _ = c.shutdown(Shutdown::Both);
        }
    }
}

/// SO_LINGER 0: closing the socket sends a RST instead of a FIN.
fn linger_zero(s: &TcpStream) {
    use std::os::fd::AsRawFd;
    let l = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket descriptor and a linger struct of the size given.
    let rc = unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&l as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    assert_eq!(rc, 0, "setsockopt SO_LINGER");
}

/// Copies `from` to `to` on a thread of its own while the proxy is open.
fn pipe(mut from: TcpStream, mut to: TcpStream, state: &Arc<AtomicU8>, epoch: &Arc<AtomicUsize>) {
    let state = state.clone();
    let epoch = epoch.clone();
    let born = epoch.load(Ordering::SeqCst);
    from.set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 16 * 1024];
        loop {
            if epoch.load(Ordering::SeqCst) != born {
                // Reset: dropped without a shutdown, which would send a FIN first.
                return;
            }
            match state.load(Ordering::SeqCst) {
                CUT => break,
                PAUSED => {
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                }
                _ => {}
            }
            match from.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if to.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(_) => break,
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
}

/// The API server's address, from the test kubeconfig.
fn upstream(c: &TestCluster) -> SocketAddr {
    let text = std::fs::read_to_string(&c.kubeconfig).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let server = doc["clusters"][0]["cluster"]["server"].as_str().unwrap();
    let hostport = server.trim_start_matches("https://").trim_end_matches('/');
    hostport.parse().expect(hostport)
}

/// `meshdeck <args> --kubeconfig <kubeconfig>`, no terminal, its stderr read line by line.
fn spawn(kubeconfig: &Path, home: &Path, args: &[&str]) -> Child {
    Command::new(meshdeck())
        .args(args)
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .env("NO_COLOR", "1")
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env_remove("KUBECONFIG")
        .env_remove("CI")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("meshdeck runs")
}

/// Runs `child` to its end; the first stderr line containing `when` calls `act`. Returns the
/// exit code, stdout, stderr, and whether `act` was called. A run that does not end within
/// `limit` fails the test (the command must not hang).
fn run_until(
    mut child: Child,
    when: &str,
    limit: Duration,
    act: impl FnOnce(u32),
) -> (Option<i32>, String, String, bool) {
    let pid = child.id();
    let stdout = child.stdout.take().unwrap();
    let out = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap());
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + limit;
    let mut act = Some(act);
    let mut seen = String::new();
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(line) => {
                if line.contains(when)
                    && let Some(f) = act.take()
                {
                    f(pid);
                }
                seen.push_str(&line);
                seen.push('\n');
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("meshdeck did not end within {limit:?}:\n{seen}");
        }
    }
    let status = child.wait().unwrap();
    (status.code(), out.join().unwrap(), seen, act.is_none())
}

fn kill(pid: u32, signal: &str) {
    let ok = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

/// The user's own ConfigMap in the Istio namespace, which nothing of meshdeck may delete.
fn users_configmap(ns: &crate::testcluster::TestNamespace<'_>) -> &'static str {
    ns.apply_json(json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "users-own", "namespace": ns.name}, "data": {"k": "v"}}));
    "users-own"
}

/// After a stopped install: a rerun over a good connection installs what is missing and
/// prunes only the ConfigMaps `pruned` names (what the revision owns and no longer renders),
/// another changes nothing, and the user's ConfigMap is still there.
fn rerun_converges(
    c: &TestCluster,
    ns: &str,
    (rev, set_ns, d): (&str, &str, &str),
    user_cm: &str,
    pruned: &[&str],
) {
    let mut rerun = install_args("profile=minimal", rev, set_ns, d);
    rerun.extend(["-y", "-o", "json"]);
    let (code, out, err) = run_marking(c, Some(ns), &rerun);
    assert_eq!(code, 0, "{err}");
    let doc: Json = serde_json::from_str(&out).expect(&out);
    let expected: Vec<String> = pruned
        .iter()
        .map(|n| format!("ConfigMap {ns}/{n}"))
        .collect();
    assert_eq!(doc["pruned"], json!(expected), "{doc:#}");
    // What the garbage collector of a real cluster does after a foreground delete.
    let cms = c.resource("v1", "ConfigMap");
    let api = c.kube().api(&cms.resource, Some(ns));
    for name in pruned {
        assert!(deleted(get(c, "v1", "ConfigMap", Some(ns), name)), "{name}");
        let release = json!({"metadata": {"finalizers": null}});
        let _ = c.block_on(api.patch(
            name,
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(&release),
        ));
    }
    assert_eq!(
        doc["components"],
        json!(["Istio core", "Istiod"]),
        "{doc:#}"
    );
    assert!(!deleted(get(c, "v1", "ConfigMap", Some(ns), user_cm)));
    let (code, out, err) = run_marking(c, Some(ns), &rerun);
    assert_eq!(code, 0, "{err}");
    let doc: Json = serde_json::from_str(&out).expect(&out);
    assert_eq!(doc["created"], json!([]), "{doc:#}");
    assert_eq!(doc["changed"], json!([]), "{doc:#}");
    assert_eq!(doc["pruned"], json!([]), "{doc:#}");
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn ctrl_c_while_istiod_is_waited_for_stops_at_once_says_what_was_applied_and_a_rerun_converges() {
    let _only = exclusive();
    let c = cluster();
    c.load_istio_crds();
    let ns = c.namespace("istio");
    let user_cm = users_configmap(&ns);
    let rev = revision("sigint");
    let set_ns = format!("values.global.istioNamespace={}", ns.name);
    let d = manifests().display().to_string();
    let home = tempfile::tempdir().unwrap();
    // Owned by this revision and not rendered: the prune after the components deletes it.
    ns.apply_json(json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "stale", "namespace": ns.name, "labels": {
            "install.meshdeck.io/owned-by": "meshdeck", "install.meshdeck.io/revision": rev,
            "install.meshdeck.io/component": "Pilot"}},
        "data": {"k": "v"}}));

    let mut args = install_args("profile=minimal", &rev, &set_ns, &d);
    args.extend(["-y", "--readiness-timeout", "10m", "-o", "json"]);
    let child = spawn(&c.kubeconfig, home.path(), &args);
    let (code, out, err, signalled) = run_until(
        child,
        "Istiod: waiting for",
        Duration::from_secs(180),
        |pid| kill(pid, "-INT"),
    );
    assert!(signalled, "meshdeck never waited for Istiod:\n{err}");
    assert_eq!(code, Some(130), "{err}");
    assert!(err.contains("✔ Istio core installed"), "{err}");
    assert!(
        err.contains("the install was interrupted (SIGINT): Istio core installed; Istiod in progress (waiting for Deployment"),
        "{err}"
    );
    assert!(err.contains("run the same command again"), "{err}");
    assert!(
        err.contains(&format!("meshdeck uninstall -r {rev}")),
        "{err}"
    );
    assert!(!err.contains("Istiod installed"), "{err}");
    // -o json: one object on stdout that says so.
    let doc: Json = serde_json::from_str(&out).expect(&out);
    assert_eq!(doc["interrupted"], true, "{doc:#}");
    assert_eq!(doc["signal"], "SIGINT", "{doc:#}");
    assert_eq!(doc["revision"], rev.as_str(), "{doc:#}");
    assert_eq!(doc["components"], json!(["Istio core"]), "{doc:#}");
    assert_eq!(doc["inProgress"][0]["component"], "Istiod", "{doc:#}");
    // What was applied stays: Istiod's Deployment is there, nothing was pruned.
    let istiod = format!("istiod-{rev}");
    assert!(get(&c, "apps/v1", "Deployment", Some(&ns.name), &istiod).is_some());

    // Prune, the step after the last component, never started.
    assert!(!deleted(get(
        &c,
        "v1",
        "ConfigMap",
        Some(&ns.name),
        "stale"
    )));

    rerun_converges(&c, &ns.name, (&rev, &set_ns, &d), user_cm, &["stale"]);
    let (code, _, err) = run_marking(&c, None, &["uninstall", "-r", &rev, "-y"]);
    assert_eq!(code, 0, "{err}");
    assert!(!deleted(get(
        &c,
        "v1",
        "ConfigMap",
        Some(&ns.name),
        user_cm
    )));
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn a_server_lost_while_istiod_is_waited_for_ends_naming_it_and_a_rerun_converges() {
    let _only = exclusive();
    let c = cluster();
    c.load_istio_crds();
    let ns = c.namespace("istio");
    let user_cm = users_configmap(&ns);
    let rev = revision("lost");
    let set_ns = format!("values.global.istioNamespace={}", ns.name);
    let d = manifests().display().to_string();
    let home = tempfile::tempdir().unwrap();

    // A readiness timeout shorter than the 30s meshdeck gives a failing server: the timeout
    // ends it, and the error says the server was lost, not that Istiod was merely not ready.
    let proxy = Proxy::start(upstream(&c));
    let via_proxy = proxy.kubeconfig(&c.kubeconfig, home.path());
    let mut args = install_args("profile=minimal", &rev, &set_ns, &d);
    args.extend(["-y", "--readiness-timeout", "8s"]);
    let child = spawn(&via_proxy, home.path(), &args);
    let (code, _, err, cut) = run_until(
        child,
        "Istiod: waiting for",
        Duration::from_secs(120),
        |_| proxy.cut(),
    );
    assert!(cut, "meshdeck never waited for Istiod:\n{err}");
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "the install stopped: cannot reach the API server at https://{}",
            proxy.addr
        )),
        "{err}"
    );
    assert!(err.contains("lost while waiting for Deployment"), "{err}");
    assert!(!err.contains("not ready within"), "{err}");
    drop(proxy);

    // A readiness timeout far longer than the harness waits: the end must come from meshdeck
    // giving up on the server, not from the timeout.
    let proxy = Proxy::start(upstream(&c));
    let via_proxy = proxy.kubeconfig(&c.kubeconfig, home.path());
    let mut args = install_args("profile=minimal", &rev, &set_ns, &d);
    args.extend(["-y", "--readiness-timeout", "30m"]);
    let child = spawn(&via_proxy, home.path(), &args);
    let (code, _, err, cut) = run_until(
        child,
        "Istiod: waiting for",
        Duration::from_secs(150),
        |_| proxy.cut(),
    );
    assert!(cut, "meshdeck never waited for Istiod:\n{err}");
    assert_eq!(code, Some(1), "{err}");
    let server = format!("https://{}", proxy.addr);
    assert!(
        err.contains(&format!(
            "the install stopped: cannot reach the API server at {server}"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "lost while waiting for Deployment {}/istiod-{rev} to be ready; retried for",
            ns.name
        )),
        "{err}"
    );
    assert!(
        err.contains("Istio core installed; Istiod in progress (waiting for Deployment"),
        "{err}"
    );
    assert!(
        err.contains("once the API server answers again, run the same command again"),
        "{err}"
    );
    assert!(
        err.contains(&format!("meshdeck uninstall -r {rev}")),
        "{err}"
    );
    assert!(!err.contains("not ready within"), "{err}");
    drop(proxy);

    rerun_converges(&c, &ns.name, (&rev, &set_ns, &d), user_cm, &[]);

    // Uninstall through a proxy that stops passing bytes after the first delete: a SIGTERM
    // ends the hanging request at once, counts what was deleted, and the rerun finishes.
    let proxy = Proxy::start(upstream(&c));
    let via_proxy = proxy.kubeconfig(&c.kubeconfig, home.path());
    let child = spawn(&via_proxy, home.path(), &["uninstall", "-r", &rev, "-y"]);
    let (code, _, err, paused) = run_until(child, "Removed ", Duration::from_secs(120), |pid| {
        proxy.pause();
        kill(pid, "-TERM")
    });
    assert!(paused, "{err}");
    assert_eq!(code, Some(130), "{err}");
    assert!(
        err.contains("the uninstall was interrupted (SIGTERM) after deleting "),
        "{err}"
    );
    assert!(err.contains("run the same uninstall again"), "{err}");
    drop(proxy);
    let (code, _, err) = run_marking(&c, None, &["uninstall", "-r", &rev, "-y"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("Uninstall complete"), "{err}");
    let istiod = format!("istiod-{rev}");
    assert!(deleted(get(
        &c,
        "apps/v1",
        "Deployment",
        Some(&ns.name),
        &istiod
    )));
    assert!(!deleted(get(
        &c,
        "v1",
        "ConfigMap",
        Some(&ns.name),
        user_cm
    )));
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn connections_dropped_while_istiod_is_waited_for_do_not_end_the_install_when_the_server_is_there()
{
    let _only = exclusive();
    let c = cluster();
    c.load_istio_crds();
    let ns = c.namespace("istio");
    let rev = revision("blip");
    let set_ns = format!("values.global.istioNamespace={}", ns.name);
    let d = manifests().display().to_string();
    let home = tempfile::tempdir().unwrap();
    let proxy = Proxy::start(upstream(&c));
    let via_proxy = proxy.kubeconfig(&c.kubeconfig, home.path());

    // The watch of Istiod fails once (reset) and restarts, then hears nothing: past the 30s meshdeck
    // gives a failing server, it must find the server there and go on waiting. Istiod is
    // marked ready only after that.
    let mut args = install_args("profile=minimal", &rev, &set_ns, &d);
    args.extend(["-y", "--readiness-timeout", "10m", "-o", "json"]);
    let child = spawn(&via_proxy, home.path(), &args);
    let (code, out, err, dropped) = run_until(
        child,
        "Istiod: waiting for",
        Duration::from_secs(180),
        |_| {
            std::thread::sleep(Duration::from_secs(1));
            proxy.reset_connections();
            std::thread::sleep(Duration::from_secs(40));
            mark_deployments_available(&c, &ns.name);
        },
    );
    assert!(dropped, "meshdeck never waited for Istiod:\n{err}");
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("✔ Istiod installed"), "{err}");
    assert!(!err.contains("cannot reach"), "{err}");
    let doc: Json = serde_json::from_str(&out).expect(&out);
    assert_eq!(
        doc["components"],
        json!(["Istio core", "Istiod"]),
        "{doc:#}"
    );
    assert_eq!(doc["pruned"], json!([]), "{doc:#}");
    drop(proxy);
    let (code, _, err) = run_marking(&c, None, &["uninstall", "-r", &rev, "-y"]);
    assert_eq!(code, 0, "{err}");
}
