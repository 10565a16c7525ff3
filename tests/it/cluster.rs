//! `meshdeck analyze` against a real API server. The tests that need one are ignored unless a
//! cluster is configured (`scripts/test` starts one); in CI a missing cluster fails.

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cli::run;
use crate::common::repo;
use crate::testcluster::{IGNORE_REASON, cluster, exclusive, kubeconfig_path};

#[test]
fn ci_runs_the_cluster_tests() {
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    if ci {
        assert!(
            kubeconfig_path().is_some(),
            "CI must run the cluster tests, but MESHDECK_TEST_KUBECONFIG is not set: {IGNORE_REASON}"
        );
    }
}

fn kube_args<'a>(kubeconfig: &'a Path, rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["analyze", "--kubeconfig", kubeconfig.to_str().unwrap()];
    args.extend_from_slice(rest);
    args
}

/// `(code, origin, message)` of a JSON report.
fn records(json: &str) -> Vec<(String, String, String)> {
    let parsed: Vec<Value> = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    let mut v: Vec<_> = parsed
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_string(),
                r["origin"].as_str().unwrap_or("").to_string(),
                r["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn scenario_files(scenario: &str) -> Vec<PathBuf> {
    let mut files = vec![
        repo().join("testdata/bookinfo/bookinfo.yaml"),
        repo().join("testdata/bookinfo/destination-rule-all.yaml"),
    ];
    for f in ["istio-ingress.yaml", "bookinfo-gateway.yaml"] {
        files.push(repo().join("testdata/ingress").join(scenario).join(f));
    }
    files
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn scenarios_give_the_same_messages_as_file_mode() {
    let c = cluster();
    c.load_istio_crds();
    let _only = exclusive();
    for (scenario, expected) in [
        ("helm-label-mismatch", vec!["IST0101"]),
        ("port-8080", vec!["IST0162"]),
        ("fixed", vec![]),
    ] {
        let ns = c.namespace("scenario");
        ns.apply_files(&scenario_files(scenario));
        let (file_code, file_out, file_err) = run(
            &[
                "analyze",
                "-o",
                "json",
                "-n",
                "default",
                "testdata/bookinfo",
                &format!("testdata/ingress/{scenario}"),
            ],
            None,
        );
        let (code, out, err) = run(
            &kube_args(&c.kubeconfig, &["-o", "json", "-n", &ns.name]),
            None,
        );
        assert_eq!(
            code, file_code,
            "{scenario}: exit codes agree\ncluster: {err}\nfiles: {file_err}"
        );
        let from_cluster = records(&ns.unmap(&out));
        let from_files = records(&file_out);
        assert_eq!(
            from_cluster, from_files,
            "{scenario}: cluster and file mode agree"
        );
        let codes: Vec<&str> = from_cluster.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(codes, expected, "{scenario}");
        // Objects read from the cluster have no file, but keep the field path.
        let parsed: Vec<Value> = serde_json::from_str(&out).unwrap();
        for r in &parsed {
            assert!(r.get("file").is_none() && r.get("line").is_none(), "{r}");
            // IST0162 points at the server's port, IST0101 at the selector key.
            let field = if r["code"] == "IST0162" {
                "spec.servers[0].port.number"
            } else {
                "spec.selector.istio"
            };
            assert_eq!(r["field"], field, "{r}");
        }
    }
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn files_overlay_the_cluster() {
    let c = cluster();
    c.load_istio_crds();
    let _only = exclusive();
    let ns = c.namespace("overlay");
    ns.apply_files(&scenario_files("port-8080"));
    let (code, out, _) = run(
        &kube_args(
            &c.kubeconfig,
            &["-n", &ns.name, "--failure-threshold", "Warning"],
        ),
        None,
    );
    assert_eq!(code, 79, "the cluster's Gateway listens on 8080: {out}");
    assert!(
        out.contains(&format!("(Gateway {}/bookinfo-gateway)", ns.name)),
        "{out}"
    );

    // The fixed Gateway from a file replaces the cluster's object of the same identity.
    let fixed = repo().join("testdata/ingress/fixed/bookinfo-gateway.yaml");
    let (code, out, err) = run(
        &kube_args(
            &c.kubeconfig,
            &[
                "--use-kube",
                "-n",
                &ns.name,
                "--failure-threshold",
                "Warning",
                fixed.to_str().unwrap(),
            ],
        ),
        None,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("No validation issues found"), "{err}");
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn forbidden_kinds_are_named_and_the_rest_analyzed() {
    let c = cluster();
    c.load_istio_crds();
    let _only = exclusive();
    let restricted = c.restricted();
    let ns = c.namespace("rbac");
    ns.grant_restricted_reader_without_secrets();
    ns.apply_files(&scenario_files("port-8080"));
    let (code, out, err) = run(
        &kube_args(
            &restricted,
            &["-n", &ns.name, "--failure-threshold", "Warning"],
        ),
        None,
    );
    assert!(
        err.contains(&format!(
            "forbidden: cannot list Secret (secrets) at cluster scope or in namespace {}",
            ns.name
        )),
        "the kind and verb are named: {err}"
    );
    assert!(
        out.contains("IST0162"),
        "the other kinds are still analyzed: {out}{err}"
    );
    assert_eq!(code, 79);
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn absent_crds_are_a_note_not_an_error() {
    let c = cluster();
    c.load_istio_crds();
    let _only = exclusive();
    let ns = c.namespace("crds");
    ns.apply_files(&scenario_files("fixed"));
    // The Gateway API CRDs are not installed in the test cluster.
    let (code, _, err) = run(
        &kube_args(
            &c.kubeconfig,
            &[
                "-n",
                &ns.name,
                "--analyzer",
                "virtualservice.GatewayAnalyzer",
            ],
        ),
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("does not serve Gateway.gateway.networking.k8s.io (CRD not installed); treated as absent"),
        "{err}"
    );
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn namespace_filter_and_a_missing_namespace() {
    let c = cluster();
    c.load_istio_crds();
    let _only = exclusive();
    let ns = c.namespace("filter");
    ns.apply_files(&scenario_files("helm-label-mismatch"));
    let other = c.namespace("other");
    let (code, out, _) = run(&kube_args(&c.kubeconfig, &["-n", &other.name]), None);
    assert_eq!(code, 0, "nothing is wrong in the other namespace: {out}");
    let (code, out, _) = run(&kube_args(&c.kubeconfig, &["-A"]), None);
    assert_eq!(code, 79);
    assert!(
        out.contains(&format!("(Gateway {}/bookinfo-gateway)", ns.name)),
        "{out}"
    );
    let (code, _, err) = run(
        &kube_args(&c.kubeconfig, &["-n", "no-such-namespace"]),
        None,
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("namespace \"no-such-namespace\" not found"),
        "{err}"
    );
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn mesh_config_comes_from_the_istio_configmap() {
    let c = cluster();
    let _only = exclusive();
    let ns = c.namespace("mesh");
    // A broken mesh config in the cluster is reported with where it came from.
    let dir = tempfile::tempdir().unwrap();
    let cm = dir.path().join("cm.yaml");
    std::fs::write(
        &cm,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\n  namespace: control\ndata:\n  mesh: \"rootNamespace: [\"\n",
    )
    .unwrap();
    ns.apply_files(&[cm]);
    let istio_ns = ns.map("control");
    let (code, _, err) = run(
        &kube_args(&c.kubeconfig, &["-n", &ns.name, "-i", &istio_ns]),
        None,
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("configmap {istio_ns}/istio (mesh)")),
        "{err}"
    );
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn rejected_credentials_say_so() {
    let c = cluster();
    let text = std::fs::read_to_string(&c.kubeconfig).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("expired");
    // Replace the token with one the server does not know.
    let replaced: String = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("token:") {
                format!(
                    "{}token: expired-or-revoked",
                    &l[..l.len() - l.trim_start().len()]
                )
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(replaced, text, "the test kubeconfig uses a token");
    std::fs::write(&bad, replaced).unwrap();
    let (code, _, err) = run(&kube_args(&bad, &["-A"]), None);
    assert_eq!(code, 1);
    assert!(err.contains("rejected the credentials"), "{err}");
    assert!(err.contains("refresh your credentials"), "{err}");
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn the_helper_marks_workloads_ready() {
    let c = cluster();
    let ns = c.namespace("ready");
    ns.apply_files(&[repo().join("testdata/bookinfo/bookinfo.yaml")]);
    ns.mark_ready("Deployment", &ns.name, "ratings-v1");
    let api: kube::Api<k8s_openapi::api::apps::v1::Deployment> =
        kube::Api::namespaced(c.client(), &ns.name);
    let d = c.block_on(api.get("ratings-v1")).unwrap();
    assert_eq!(d.status.unwrap().available_replicas, Some(1));
}

fn kubeconfig_for(server: &str, dir: &Path) -> PathBuf {
    let path = dir.join("kubeconfig");
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters:\n- name: t\n  cluster:\n    server: {server}\n    insecure-skip-tls-verify: true\nusers:\n- name: t\n  user:\n    token: x\ncontexts:\n- name: t\n  context:\n    cluster: t\n    user: t\n"
        ),
    )
    .unwrap();
    path
}

#[test]
fn an_unreachable_server_is_named() {
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = kubeconfig_for(&format!("https://{closed}"), dir.path());
    let (code, _, err) = run(&kube_args(&kubeconfig, &["-A"]), None);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!("cannot reach the API server at https://{closed}")),
        "{err}"
    );
    assert!(err.contains("kubectl cluster-info"), "{err}");
}

#[test]
fn the_timeout_bounds_the_whole_run() {
    // A server that accepts connections and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(8).flatten() {
            let mut s = stream;
            let mut buf = [0u8; 1024];
            let _ = s.set_read_timeout(Some(Duration::from_millis(100)));
            let _ = s.read(&mut buf);
            held.push(s);
        }
        std::thread::sleep(Duration::from_secs(10));
    });
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = kubeconfig_for(&format!("https://{addr}"), dir.path());
    let started = Instant::now();
    let (code, _, err) = run(&kube_args(&kubeconfig, &["-A", "--timeout", "2s"]), None);
    assert_eq!(code, 1, "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "took {:?}",
        started.elapsed()
    );
    assert!(err.contains("2s") || err.contains("within"), "{err}");
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn context_flag_selects_the_context() {
    let c = cluster();
    let _only = exclusive();
    // A kubeconfig whose current context points at nothing, and whose second context is the
    // test cluster.
    let text = std::fs::read_to_string(&c.kubeconfig).unwrap();
    let mut kc = crate::testcluster::documents(&text).remove(0);
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let good_context = kc["current-context"].as_str().unwrap().to_string();
    let mut dead_cluster = kc["clusters"][0].clone();
    dead_cluster["name"] = "dead".into();
    dead_cluster["cluster"]["server"] = format!("https://{closed}").into();
    kc["clusters"].as_array_mut().unwrap().push(dead_cluster);
    let mut dead_context = kc["contexts"][0].clone();
    dead_context["name"] = "dead".into();
    dead_context["context"]["cluster"] = "dead".into();
    kc["contexts"].as_array_mut().unwrap().push(dead_context);
    kc["current-context"] = "dead".into();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kubeconfig.json");
    std::fs::write(&path, serde_json::to_string(&kc).unwrap()).unwrap();

    let (code, _, err) = run(&kube_args(&path, &["-A"]), None);
    assert_eq!(code, 1, "the current context is dead: {err}");
    assert!(err.contains("cannot reach the API server"), "{err}");
    let (code, _, err) = run(&kube_args(&path, &["-A", "--context", &good_context]), None);
    assert!(code == 0 || code == 79, "{err}");
    assert!(!err.contains("cannot reach"), "{err}");
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn namespace_scoped_rights_read_the_namespace() {
    let c = cluster();
    c.load_istio_crds();
    let _only = exclusive();
    let restricted = c.restricted();
    let ns = c.namespace("nsrights");
    ns.grant_restricted_namespace_reader();
    // A Service whose selector matches nothing in its namespace (MDK0001).
    let dir = tempfile::tempdir().unwrap();
    let svc = dir.path().join("svc.yaml");
    std::fs::write(
        &svc,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: orphan\nspec:\n  selector:\n    app: nothing\n  ports:\n  - port: 80\n",
    )
    .unwrap();
    ns.apply_files(&[svc]);
    let (_, out, err) = run(
        &kube_args(
            &restricted,
            &[
                "-n",
                &ns.name,
                "--analyzer",
                "kubernetes.ServiceSelectorAnalyzer",
            ],
        ),
        None,
    );
    assert!(
        out.contains(&format!("[MDK0001] (Service {}/orphan)", ns.name)),
        "the namespace is read with namespace-scoped rights: {out}{err}"
    );
    assert!(
        err.contains(&format!(
            "at cluster scope; read namespace {} only",
            ns.name
        )),
        "{err}"
    );
}
