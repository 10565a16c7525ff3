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
