//! `meshdeck analyze --remote-contexts` against the local API server: the primary cluster and a
//! remote one, each named by a kubeconfig context, and `services.MultiClusterServiceAnalyzer`
//! (IST0170) comparing the Services they share.
//!
//! The harness has one API server. The kubeconfig gets a second context (`remote-1`) to it, so
//! the remote is read through its own context and client as any remote is; the primary is the
//! cluster with a file laid over it (`--use-kube FILE`, as a CI step checks a change before it
//! is applied), which is how a Service can differ between the two: the file changes the
//! Service's port in the primary only.

use std::path::Path;

use serde_json::json;

use crate::cli::run;
use crate::testcluster::{cluster, exclusive};

/// The test cluster's kubeconfig with a second context `remote-1` to the same server.
fn two_contexts(kubeconfig: &Path, dir: &Path) -> (std::path::PathBuf, String) {
    let text = std::fs::read_to_string(kubeconfig).unwrap();
    let mut kc = crate::testcluster::documents(&text).remove(0);
    let primary = kc["current-context"].as_str().unwrap().to_string();
    let mut remote = kc["contexts"][0].clone();
    remote["name"] = "remote-1".into();
    kc["contexts"].as_array_mut().unwrap().push(remote);
    let path = dir.join("kubeconfig.json");
    std::fs::write(&path, serde_json::to_string(&kc).unwrap()).unwrap();
    (path, primary)
}

fn service(ns: &str, port: u16) -> serde_json::Value {
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": ns},
        "spec": {
            "type": "ClusterIP",
            "selector": {"app": "web"},
            "ports": [{"name": "http", "port": port, "protocol": "TCP", "targetPort": port}],
        },
    })
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn a_service_that_differs_between_clusters_is_ist0170() {
    let c = cluster();
    let _only = exclusive();
    let ns = c.namespace("multicluster");
    ns.apply_json(service(&ns.name, 80));
    let dir = tempfile::tempdir().unwrap();
    let (kubeconfig, primary) = two_contexts(&c.kubeconfig, dir.path());
    let kc = kubeconfig.to_str().unwrap();

    // The same Service in both clusters: nothing to say.
    let (code, out, err) = run(
        &[
            "analyze",
            "--kubeconfig",
            kc,
            "-n",
            &ns.name,
            "--analyzer",
            "services.MultiClusterServiceAnalyzer",
            "--remote-contexts",
            "remote-1",
            "-o",
            "json",
        ],
        None,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), "[]", "{err}");

    // The primary's Service listens on 8080 (from the file), the remote's on 80.
    let file = dir.path().join("web.yaml");
    std::fs::write(
        &file,
        serde_json::to_string(&service(&ns.name, 8080)).unwrap(),
    )
    .unwrap();
    let (code, out, err) = run(
        &[
            "analyze",
            "--kubeconfig",
            kc,
            "--use-kube",
            "-n",
            &ns.name,
            "--analyzer",
            "services.MultiClusterServiceAnalyzer",
            "--remote-contexts",
            "remote-1",
            "--failure-threshold",
            "Warning",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 79, "{out}{err}");
    assert!(
        out.contains("[IST0170]")
            && out.contains(&format!("Service {}/web", ns.name))
            && out.contains("service ports are inconsistent")
            && out.contains("remote-1")
            && out.contains(&primary),
        "{out}{err}"
    );

    // A context the kubeconfig does not have is named.
    let (code, out, err) = run(
        &[
            "analyze",
            "--kubeconfig",
            kc,
            "-n",
            &ns.name,
            "--remote-contexts",
            "remote-2",
        ],
        None,
    );
    assert_ne!(code, 0, "{out}{err}");
    assert!(err.contains("remote-2"), "{err}");
}

/// Without `--remote-contexts`, the remote secrets of the Istio namespace (Secrets labelled
/// `istio/multiCluster=true`, each key a kubeconfig, as `istioctl create-remote-secret` makes
/// them) name the remote clusters, as istioctl reads them.
#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn remote_secrets_name_the_remote_clusters_without_remote_contexts() {
    use base64::Engine;
    let c = cluster();
    let _only = exclusive();
    let ns = c.namespace("mc-secret");
    ns.apply_json(service(&ns.name, 80));
    let text = std::fs::read_to_string(&c.kubeconfig).unwrap();
    let kc = crate::testcluster::documents(&text).remove(0);
    let current = kc["current-context"].as_str().unwrap();
    let cluster_name = kc["contexts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == current)
        .unwrap()["context"]["cluster"]
        .as_str()
        .unwrap()
        .to_string();
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    // The Istio namespace of this run is the test's own (-i), so no other test sees the Secret.
    ns.apply_json(json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": "istio-remote-secret-west",
            "namespace": ns.name,
            "labels": {"istio/multiCluster": "true"},
        },
        "data": {"west": b64(&serde_json::to_string(&kc).unwrap())},
    }));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("web.yaml");
    std::fs::write(
        &file,
        serde_json::to_string(&service(&ns.name, 8080)).unwrap(),
    )
    .unwrap();
    let kubeconfig = c.kubeconfig.to_str().unwrap();
    let (code, out, err) = run(
        &[
            "analyze",
            "--kubeconfig",
            kubeconfig,
            "--use-kube",
            "-i",
            &ns.name,
            "-n",
            &ns.name,
            "--analyzer",
            "services.MultiClusterServiceAnalyzer",
            "--failure-threshold",
            "Warning",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 79, "{out}{err}");
    assert!(
        out.contains("[IST0170]")
            && out.contains("service ports are inconsistent")
            && out.contains(&cluster_name),
        "the remote is named by its kubeconfig's cluster: {out}{err}"
    );

    // --remote-contexts, when given, is used instead of the secrets.
    let (code, out, err) = run(
        &[
            "analyze",
            "--kubeconfig",
            kubeconfig,
            "-i",
            &ns.name,
            "-n",
            &ns.name,
            "--analyzer",
            "services.MultiClusterServiceAnalyzer",
            "--remote-contexts",
            current,
            "-o",
            "json",
        ],
        None,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), "[]", "{err}");

    // A Secret that is not a kubeconfig is a warning naming it; the run goes on.
    ns.apply_json(json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": "istio-remote-secret-broken",
            "namespace": ns.name,
            "labels": {"istio/multiCluster": "true"},
        },
        "data": {"east": b64("clusters: [")},
    }));
    let (code, out, err) = run(
        &[
            "analyze",
            "--kubeconfig",
            kubeconfig,
            "-i",
            &ns.name,
            "-n",
            &ns.name,
            "--analyzer",
            "services.MultiClusterServiceAnalyzer",
        ],
        None,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains(&format!(
            "Secret {}/istio-remote-secret-broken[east] is not a kubeconfig",
            ns.name
        )),
        "{err}"
    );
}
