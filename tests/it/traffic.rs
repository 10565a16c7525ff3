//! `meshdeck traffic-shift` with the Istio backend against a real API server (Istio's CRDs
//! loaded): shift, show, dry-run, reset, a conflict with another field manager, a concurrent
//! edit, and the refusal without a terminal.

use serde_json::{Value as Json, json};

use crate::cli::run;
use crate::common::repo;
use crate::testcluster::{TestCluster, TestNamespace, cluster};

fn get(c: &TestCluster, kind: &str, ns: &str, name: &str) -> Option<Json> {
    let obj = c
        .block_on(
            c.kube()
                .object("networking.istio.io/v1", kind, Some(ns), name),
        )
        .unwrap();
    c.block_on(c.kube().get(&obj))
        .unwrap()
        .map(|o| serde_json::to_value(o).unwrap())
}

fn setup<'c>(c: &'c TestCluster, prefix: &str, user_routing: bool) -> TestNamespace<'c> {
    c.load_istio_crds();
    let ns = c.namespace(prefix);
    let mut files = vec![repo().join("testdata/traffic/reviews.yaml")];
    if user_routing {
        files.push(repo().join("testdata/traffic/user-routing.yaml"));
    }
    ns.apply_files(&files);
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

fn weights(vs: &Json, rule: usize) -> Vec<(String, u64)> {
    vs["spec"]["http"][rule]["route"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["destination"]["subset"].as_str().unwrap().to_string(),
                d["weight"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn shift_show_dry_run_and_reset_of_a_service_without_routing() {
    let c = cluster();
    let ns = setup(&c, "shift", false);
    let n = ns.name.as_str();

    let (code, _, err) = shift(&c, n, &["--to", "v2=80,v3=20", "-y"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!("VirtualService {n}/reviews created")),
        "{err}"
    );
    assert!(
        err.contains("backend: istio (Istio's CRDs are installed"),
        "the default backend is named: {err}"
    );
    let vs = get(&c, "VirtualService", n, "reviews").expect("the VirtualService exists");
    assert_eq!(weights(&vs, 0), [("v2".into(), 80), ("v3".into(), 20)]);
    assert_eq!(vs["metadata"]["labels"]["kiali_wizard"], "traffic_shifting");
    let dr = get(&c, "DestinationRule", n, "reviews").expect("the DestinationRule exists");
    assert_eq!(
        dr["spec"]["subsets"],
        json!([{"name": "v2", "labels": {"version": "v2"}}, {"name": "v3", "labels": {"version": "v3"}}])
    );
    let managers: Vec<&str> = vs["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["manager"].as_str().unwrap())
        .collect();
    assert_eq!(managers, ["meshdeck"]);

    // --show: the configured split per version, with the workloads behind it.
    let (code, out, err) = shift(&c, n, &["--show", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    let shown: Json = serde_json::from_str(&out).unwrap();
    let rows: Vec<(&str, u64)> = shown["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["version"].as_str().unwrap(),
                r["weight"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows, [("v1", 0), ("v2", 80), ("v3", 20)]);
    assert_eq!(shown["rows"][1]["total"], 1);
    let (code, table, _) = shift(&c, n, &["--show"]);
    assert_eq!(code, 0);
    assert!(
        table.contains("VERSION") && table.contains("80%"),
        "{table}"
    );

    // --dry-run: a diff, and nothing changes.
    let (code, diff, err) = shift(&c, n, &["--to", "v3", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(diff.contains("--- VirtualService"), "{diff}");
    assert!(diff.contains("+      weight: 100"), "{diff}");
    assert!(diff.contains("-      weight: 80"), "{diff}");
    let still = get(&c, "VirtualService", n, "reviews").unwrap();
    assert_eq!(weights(&still, 0), [("v2".into(), 80), ("v3".into(), 20)]);

    // The same split again changes nothing.
    let (code, _, err) = shift(&c, n, &["--to", "v2=80,v3=20", "-y"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("nothing to change"), "{err}");

    // --reset deletes what meshdeck created.
    let (code, _, err) = shift(&c, n, &["--reset", "-y"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("deleted"), "{err}");
    assert!(get(&c, "VirtualService", n, "reviews").is_none());
    assert!(get(&c, "DestinationRule", n, "reviews").is_none());
    let (code, _, err) = shift(&c, n, &["--reset", "-y"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("Nothing to reset"), "{err}");
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn a_user_written_virtual_service_conflicts_is_merged_with_force_and_reset_restores_it() {
    let c = cluster();
    let ns = setup(&c, "merge", true);
    let n = ns.name.as_str();
    let original = get(&c, "VirtualService", n, "reviews").unwrap();

    // spec.http is owned by the test's field manager: reported, nothing changed.
    let (code, _, err) = shift(&c, n, &["--to", "v2=50,v3=50", "-y"]);
    assert_eq!(code, 1, "{err}");
    // The user's subset `legacy` selects no pods: told, but not held against the shift.
    assert!(
        err.contains("note: already so before this change: Error [IST0173]")
            && err.contains("The Subset legacy"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "VirtualService {n}/reviews: .spec.http (owned by \"meshdeck-tests\")"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("DestinationRule {n}/reviews: .spec.subsets")),
        "{err}"
    );
    assert!(err.contains("meshdeck-tests"), "{err}");
    assert!(err.contains("--force-conflicts"), "{err}");
    let vs = get(&c, "VirtualService", n, "reviews").unwrap();
    assert_eq!(vs["spec"], original["spec"]);
    let dr = get(&c, "DestinationRule", n, "reviews").unwrap();
    assert_eq!(
        dr["spec"]["subsets"].as_array().unwrap().len(),
        3,
        "the DestinationRule was not changed either"
    );

    let (code, _, err) = shift(&c, n, &["--to", "v2=50,v3=50", "-y", "--force-conflicts"]);
    assert_eq!(code, 0, "{err}");
    let vs = get(&c, "VirtualService", n, "reviews").unwrap();
    assert_eq!(
        vs["spec"]["http"][0], original["spec"]["http"][0],
        "jason's route stays"
    );
    assert_eq!(vs["spec"]["http"][1]["retries"]["attempts"], 3);
    assert_eq!(vs["spec"]["http"][1]["timeout"], "10s");
    assert_eq!(weights(&vs, 1), [("v2".into(), 50), ("v3".into(), 50)]);
    let dr = get(&c, "DestinationRule", n, "reviews").unwrap();
    assert_eq!(
        dr["spec"]["trafficPolicy"]["loadBalancer"]["simple"],
        "LEAST_REQUEST"
    );
    let names: Vec<&str> = dr["spec"]["subsets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["v1", "v2", "legacy", "v3"]);

    // --reset gives back the user's spec and deletes neither object.
    let (code, _, err) = shift(&c, n, &["--reset", "-y"]);
    assert_eq!(code, 0, "{err}");
    let vs = get(&c, "VirtualService", n, "reviews").unwrap();
    assert_eq!(vs["spec"], original["spec"]);
    assert!(
        vs["metadata"]["annotations"]
            .get("meshdeck.io/traffic-shift-previous-spec")
            .is_none(),
        "{vs}"
    );
    let dr = get(&c, "DestinationRule", n, "reviews").unwrap();
    assert_eq!(dr["spec"]["subsets"].as_array().unwrap().len(), 3);
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn an_edit_made_after_reading_is_reported_not_overwritten() {
    use meshdeck::ops::traffic::{ShiftOptions, TrafficError, TrafficSession};
    let c = cluster();
    let ns = setup(&c, "race", true);
    let n = ns.name.as_str();
    let target = meshdeck::kube::ConnectOptions {
        kubeconfig: Some(c.kubeconfig.clone()),
        ..Default::default()
    };
    let session = TrafficSession::open(&target, Some(n)).unwrap();
    let current = session
        .read("reviews", meshdeck::traffic::Backend::Istio)
        .unwrap();
    let split = meshdeck::traffic::parse_split("v3").unwrap();
    let plan =
        meshdeck::traffic::istio::plan_shift(&current, &split, &ShiftOptions::default()).unwrap();

    // Someone else changes the VirtualService in between.
    ns.apply_json(json!({
        "apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
        "metadata": {"name": "reviews", "namespace": n},
        "spec": {"hosts": ["reviews"], "http": [{"name": "default", "timeout": "3s",
            "route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}
    }));
    let err = session.apply(&plan, true).unwrap_err();
    assert!(
        matches!(&err, TrafficError::ConcurrentEdit { object, .. } if object == &format!("VirtualService {n}/reviews")),
        "{err}"
    );
    assert!(err.to_string().contains("changed by someone else"), "{err}");
    let vs = get(&c, "VirtualService", n, "reviews").unwrap();
    assert_eq!(
        vs["spec"]["http"][0]["timeout"], "3s",
        "the other edit stays"
    );
    let dr = get(&c, "DestinationRule", n, "reviews").unwrap();
    assert!(
        dr["spec"]["subsets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["name"] != "v3"),
        "the DestinationRule was not changed either: {dr}"
    );
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn without_a_terminal_or_yes_and_with_unknown_versions_nothing_changes() {
    let c = cluster();
    let ns = setup(&c, "refuse", false);
    let n = ns.name.as_str();

    let (code, _, err) = shift(&c, n, &["--to", "v2"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("needs confirmation"), "{err}");
    assert!(err.contains("--yes"), "{err}");
    assert!(get(&c, "VirtualService", n, "reviews").is_none());

    let (code, _, err) = shift(&c, n, &["--to", "v2=50,v4=50", "-y"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no version v4"), "{err}");
    assert!(err.contains("v1, v2, v3"), "{err}");
    assert!(err.contains("--allow-missing"), "{err}");
    assert!(get(&c, "VirtualService", n, "reviews").is_none());

    // Routed ahead of its rollout, v4's subset selects no pods: the analysis of the result
    // stops it (exit 79, as analyze's), naming the message, and changes nothing.
    let (code, _, err) = shift(&c, n, &["--to", "v2=50,v4=50", "-y", "--allow-missing"]);
    assert_eq!(code, 79, "{err}");
    assert!(err.contains("[IST0173]") && err.contains("v4"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert!(get(&c, "VirtualService", n, "reviews").is_none());
    assert!(get(&c, "DestinationRule", n, "reviews").is_none());
    // --dry-run prints the findings and the diff, and exits 0.
    let (code, diff, err) = shift(
        &c,
        n,
        &["--to", "v2=50,v4=50", "--allow-missing", "--dry-run"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("[IST0173]") && err.contains("pass --force"),
        "{err}"
    );
    assert!(diff.contains("+++ VirtualService"), "{diff}");
    let (code, _, err) = shift(
        &c,
        n,
        &["--to", "v2=50,v4=50", "-y", "--allow-missing", "--force"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("[IST0173]"), "still printed: {err}");
    let vs = get(&c, "VirtualService", n, "reviews").unwrap();
    assert_eq!(weights(&vs, 0), [("v2".into(), 50), ("v4".into(), 50)]);

    let (code, _, err) = run(
        &[
            "traffic-shift",
            "nosuch",
            "--kubeconfig",
            c.kubeconfig.to_str().unwrap(),
            "-n",
            n,
            "--show",
        ],
        None,
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("Service {n}/nosuch not found")),
        "{err}"
    );
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn reset_deletes_nothing_that_was_edited_after_it_was_read() {
    use meshdeck::ops::traffic::{TrafficError, TrafficSession};
    use meshdeck::traffic::Backend;
    let c = cluster();
    let ns = setup(&c, "guard", false);
    let n = ns.name.as_str();
    let (code, _, err) = shift(&c, n, &["--to", "v2=80,v3=20", "-y"]);
    assert_eq!(code, 0, "{err}");

    let target = meshdeck::kube::ConnectOptions {
        kubeconfig: Some(c.kubeconfig.clone()),
        ..Default::default()
    };
    let session = TrafficSession::open(&target, Some(n)).unwrap();
    let current = session.read("reviews", Backend::Istio).unwrap();
    let plan = meshdeck::traffic::plan_reset(Backend::Istio, &current).unwrap();
    assert_eq!(plan.deletions.len(), 2, "{plan:#?}");
    // Someone edits the DestinationRule meshdeck created, after the reset read it.
    crate::traffic_backends::label(
        &c,
        "networking.istio.io/v1",
        "DestinationRule",
        n,
        "reviews",
    );
    let err = session.apply(&plan, false).unwrap_err();
    assert!(
        matches!(&err, TrafficError::ConcurrentEdit { object, .. } if object == &format!("DestinationRule {n}/reviews")),
        "{err}"
    );
    assert!(
        get(&c, "VirtualService", n, "reviews").is_some(),
        "nothing was deleted: the deletes are tried (dry run) before any is made"
    );
    assert!(get(&c, "DestinationRule", n, "reviews").is_some());
    // Read afresh, the reset goes through.
    let (code, _, err) = shift(&c, n, &["--reset", "-y"]);
    assert_eq!(code, 0, "{err}");
    assert!(get(&c, "DestinationRule", n, "reviews").is_none());
}

#[test]
fn a_bad_split_is_a_flag_error_before_any_cluster_is_asked() {
    // The kubeconfig does not exist: the split is checked first.
    for (to, says) in [
        ("v2=80,v3=30", "the weights sum to 110, not 100"),
        ("v2=80,v3", "has no weight"),
        ("v2=abc", "not a whole number"),
    ] {
        let (code, _, err) = run(
            &[
                "traffic-shift",
                "reviews",
                "--kubeconfig",
                "/nonexistent/kubeconfig",
                "--to",
                to,
            ],
            None,
        );
        assert_eq!(code, 64, "{to}: {err}");
        assert!(err.contains(says), "{to}: {err}");
    }
    let (code, _, err) = run(&["traffic-shift", "reviews"], None);
    assert_eq!(code, 2, "one of --to, --show, --reset is needed: {err}");
}

/// A terminal for a child process: a pty whose master side the test reads and types into.
struct Pty {
    master: std::fs::File,
    seen: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Pty {
    fn spawn(cmd: &mut std::process::Command) -> (Pty, std::process::Child) {
        use std::os::fd::FromRawFd;
        let (mut master, mut slave) = (0, 0);
        let size = libc::winsize {
            ws_row: 50,
            ws_col: 140,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty fills in two new descriptors this test owns from here on.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(rc, 0, "openpty");
        // SAFETY: each descriptor is owned by exactly one File.
        let slave = unsafe { std::fs::File::from_raw_fd(slave) };
        let master = unsafe { std::fs::File::from_raw_fd(master) };
        let child = cmd
            .stdin(slave.try_clone().unwrap())
            .stdout(slave.try_clone().unwrap())
            .stderr(slave)
            .spawn()
            .unwrap();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (mut reader, into) = (master.try_clone().unwrap(), seen.clone());
        std::thread::spawn(move || {
            use std::io::Read;
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                into.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        (Pty { master, seen }, child)
    }

    /// Waits until `text` shows after what was expected before, then types `keys`.
    fn answer(&mut self, from: &mut usize, text: &str, keys: &str) {
        use std::io::Write;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let seen = self.seen.lock().unwrap().clone();
            if let Some(at) = seen[*from..].find(text) {
                *from += at + text.len();
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no {text:?} on the terminal: {seen}"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        // Let the prompt finish drawing before keys arrive.
        std::thread::sleep(std::time::Duration::from_millis(300));
        self.master.write_all(keys.as_bytes()).unwrap();
    }
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn interactive_asks_for_versions_and_weights_on_a_terminal_only() {
    let c = cluster();
    let ns = setup(&c, "ask", false);
    let n = ns.name.as_str();

    let (code, _, err) = shift(&c, n, &["--interactive"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no terminal to ask on"), "{err}");
    assert!(err.contains("--to v2=80,v3=20"), "{err}");
    assert!(get(&c, "VirtualService", n, "reviews").is_none());

    let mut cmd = std::process::Command::new(crate::common::meshdeck());
    cmd.args([
        "traffic-shift",
        "reviews",
        "--kubeconfig",
        c.kubeconfig.to_str().unwrap(),
        "-n",
        n,
        "--interactive",
    ])
    .env("NO_COLOR", "1")
    .env("TERM", "xterm")
    .env_remove("CI")
    .env_remove("KUBECONFIG");
    let (mut pty, mut child) = Pty::spawn(&mut cmd);
    let mut at = 0;
    // Every version is picked to begin with: drop v3 (down, down, space), go on.
    pty.answer(&mut at, "to route to", "\x1b[B\x1b[B \r");
    // Kiali's even split is offered (50/50); 60 + 50 is refused, then 60 + 40 taken.
    pty.answer(&mut at, "Weight of v1", "60\r");
    pty.answer(&mut at, "Weight of v2", "\r");
    pty.answer(&mut at, "must be 100 % (it is 110)", "");
    pty.answer(&mut at, "Weight of v1", "\r");
    pty.answer(&mut at, "Weight of v2", "40\r");
    // The diff, then the confirmation.
    pty.answer(&mut at, "Shift the traffic", "y");
    let status = child.wait().unwrap();
    let seen = pty.seen.lock().unwrap().clone();
    assert!(status.success(), "{seen}");
    assert!(
        seen.contains("+++ VirtualService"),
        "the diff was shown: {seen}"
    );
    let vs = get(&c, "VirtualService", n, "reviews").expect("the VirtualService exists");
    assert_eq!(weights(&vs, 0), [("v1".into(), 60), ("v2".into(), 40)]);

    // Without a Service named, it is picked from the namespace's Services (sorted: details,
    // then reviews); without a terminal that is refused before the cluster is asked.
    let kubeconfig = c.kubeconfig.to_str().unwrap();
    let (code, _, err) = run(
        &[
            "traffic-shift",
            "--kubeconfig",
            kubeconfig,
            "-n",
            n,
            "--interactive",
        ],
        None,
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no terminal to ask on"), "{err}");
    c.block_on(c.kube().apply(
        &serde_json::json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "details", "namespace": n},
            // protocol written out: the 1.20 server's apply needs the list key.
            "spec": {"selector": {"app": "details"}, "ports": [{"name": "http", "port": 9080, "protocol": "TCP"}]}}),
        &meshdeck::kube::ApplyOptions::default(),
    ))
    .unwrap();
    let mut cmd = std::process::Command::new(crate::common::meshdeck());
    cmd.args([
        "traffic-shift",
        "--kubeconfig",
        kubeconfig,
        "-n",
        n,
        "--interactive",
    ])
    .env("NO_COLOR", "1")
    .env("TERM", "xterm")
    .env_remove("CI")
    .env_remove("KUBECONFIG");
    let (mut pty, mut child) = Pty::spawn(&mut cmd);
    let mut at = 0;
    pty.answer(&mut at, "Service of namespace", "\x1b[B\r");
    // The versions routed now (v1, v2) are picked to begin with, their weights offered.
    pty.answer(&mut at, "to route to", "\r");
    pty.answer(&mut at, "Weight of v1", "30\r");
    pty.answer(&mut at, "Weight of v2", "70\r");
    pty.answer(&mut at, "Shift the traffic of Service", "y");
    let status = child.wait().unwrap();
    let seen = pty.seen.lock().unwrap().clone();
    assert!(status.success(), "{seen}");
    let vs = get(&c, "VirtualService", n, "reviews").expect("the VirtualService exists");
    assert_eq!(weights(&vs, 0), [("v1".into(), 30), ("v2".into(), 70)]);
}
