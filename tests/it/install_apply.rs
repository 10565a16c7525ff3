//! `meshdeck install` and `meshdeck uninstall` against the local API server (Kubernetes 1.20).
//!
//! Choices the 1.20 test server forces, said once here:
//! - `--force`: the server is older than the 1.32 Istio 1.30 supports; meshdeck adapts what it
//!   renders (CEL rules stripped from CRDs, autoscaling/v2beta2, policy/v1beta1, `protocol: TCP`
//!   written out on ports) and the tests check it says so.
//! - Each test installs a revision of its own into its own namespace
//!   (`values.global.istioNamespace`), so the injector webhook selects only namespaces labelled
//!   with that revision: no Pod of another test is sent to an istiod that is not there. The Pods
//!   these tests make are created before the install.
//! - There is no kubelet or controller manager: the tests mark Deployments available through the
//!   status subresource while the install waits, and foreground deletes leave objects
//!   Terminating, which counts as deleted here.
//! - Istio's CRDs are cluster-wide: the tests hold `exclusive()` so that the whole-cluster
//!   analyze tests do not see half an install, and the purge test purges a CRD of its own (a copy
//!   of the release with its CRD file replaced), never Istio's.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kube::api::{Patch, PatchParams};
use serde_json::{Value as Json, json};

use crate::common::{meshdeck, shared_dir};
use crate::testcluster::{TestCluster, cluster, exclusive};

pub(crate) fn manifests() -> PathBuf {
    shared_dir().join("istio-release/1.30.3/manifests")
}

/// A revision name unique to this process and test.
pub(crate) fn revision(tag: &str) -> String {
    format!("mdk{tag}{}", std::process::id() % 100_000)
}

/// `meshdeck <args> --kubeconfig <test cluster>` with no terminal; while it runs, every
/// Deployment in `istio_ns` is marked available (there is no controller to do it).
pub(crate) fn run_marking(
    c: &TestCluster,
    istio_ns: Option<&str>,
    args: &[&str],
) -> (i32, String, String) {
    run_as(c, &c.kubeconfig, istio_ns, args)
}

/// [`run_marking`] with another user's kubeconfig.
pub(crate) fn run_as(
    c: &TestCluster,
    kubeconfig: &Path,
    istio_ns: Option<&str>,
    args: &[&str],
) -> (i32, String, String) {
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(meshdeck())
        .args(args)
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .env("NO_COLOR", "1")
        .env("HOME", home.path())
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env_remove("KUBECONFIG")
        .env_remove("CI")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("meshdeck runs");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            r.read_to_string(&mut s).unwrap();
            s
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + Duration::from_secs(240);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "meshdeck {args:?} did not finish"
        );
        if let Some(ns) = istio_ns {
            mark_deployments_available(c, ns);
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    (
        status.code().unwrap_or(-1),
        out.join().unwrap(),
        err.join().unwrap(),
    )
}

/// Sets every Deployment of `ns` available at its current generation.
pub(crate) fn mark_deployments_available(c: &TestCluster, ns: &str) {
    let deployments = c.resource("apps/v1", "Deployment");
    let api = c.kube().api(&deployments.resource, Some(ns));
    let Ok(list) = c.block_on(api.list(&Default::default())) else {
        return;
    };
    for d in list.items {
        let generation = d.metadata.generation.unwrap_or(1);
        let observed = d.data["status"]["observedGeneration"].as_i64();
        if observed == Some(generation) {
            continue;
        }
        let replicas = d.data["spec"]["replicas"].as_i64().unwrap_or(1);
        let status = json!({"status": {"observedGeneration": generation, "replicas": replicas,
            "readyReplicas": replicas, "availableReplicas": replicas, "updatedReplicas": replicas,
            "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"}]}});
        let name = d.metadata.name.clone().unwrap();
        let _ =
            c.block_on(api.patch_status(&name, &PatchParams::default(), &Patch::Merge(&status)));
    }
}

pub(crate) fn get(
    c: &TestCluster,
    api_version: &str,
    kind: &str,
    ns: Option<&str>,
    name: &str,
) -> Option<Json> {
    let found = c.resource(api_version, kind);
    let obj = found.object(ns, name);
    c.block_on(c.kube().get(&obj))
        .unwrap()
        .map(|o| serde_json::to_value(o).unwrap())
}

/// Gone, or Terminating (no garbage collector finishes a foreground delete here).
pub(crate) fn deleted(obj: Option<Json>) -> bool {
    obj.is_none_or(|o| !o["metadata"]["deletionTimestamp"].is_null())
}

/// The install flags of a test: its revision, its Istio namespace, the release, `--force`.
pub(crate) fn install_args<'a>(
    profile: &'a str,
    rev: &'a str,
    set_ns: &'a str,
    d: &'a str,
) -> Vec<&'a str> {
    vec![
        "install",
        "--set",
        profile,
        "--revision",
        rev,
        "--set",
        set_ns,
        "-d",
        d,
        "--force",
    ]
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn demo_installs_reinstalls_as_a_noop_prunes_to_default_and_uninstalls_keeping_crds() {
    let _only = exclusive();
    let c = cluster();
    c.load_istio_crds();
    let ns = c.namespace("istio");
    let rev = revision("demo");
    let set_ns = format!("values.global.istioNamespace={}", ns.name);
    let d = manifests().display().to_string();

    // Without a terminal and without -y: refused, naming -y, and nothing is applied.
    let args = install_args("profile=demo", &rev, &set_ns, &d);
    let (code, out, err) = run_marking(&c, None, &args);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("This will install the Istio 1.30.3 \"demo\" profile into cluster \"")
            && err.contains(
                "this needs confirmation, and there is no terminal to ask on: This will install"
            )
            && err.contains("pass --yes (-y"),
        "{err}"
    );
    assert!(
        get(
            &c,
            "apps/v1",
            "Deployment",
            Some(&ns.name),
            &format!("istiod-{rev}")
        )
        .is_none()
    );

    // Install the demo profile.
    let mut args = install_args("profile=demo", &rev, &set_ns, &d);
    args.push("-y");
    let (code, out, err) = run_marking(&c, Some(&ns.name), &args);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "text output goes to stderr: {out}");
    assert!(
        err.contains("warning: the API server v1.20")
            && err.contains("going on because of --force"),
        "{err}"
    );
    assert!(
        err.contains("note: adapted to this server: CEL validation rules removed from CRDs"),
        "{err}"
    );
    let core = err.find("✔ Istio core installed").expect(&err);
    let istiod = err.find("✔ Istiod installed").expect(&err);
    let ingress = err.find("✔ Ingress gateways installed").expect(&err);
    assert!(err.contains("✔ Egress gateways installed"), "{err}");
    assert!(
        core < istiod && istiod < ingress,
        "Base, then Istiod, then the gateways: {err}"
    );
    let summary = err
        .lines()
        .find(|l| l.starts_with("✔ Installation complete: "))
        .expect(&err);
    // Istio's CRDs were there already (the harness loads them): they gain meshdeck's labels.
    assert!(
        !summary.contains("nothing changed") && !summary.contains(": 0 created"),
        "{summary}"
    );
    let istiod_name = format!("istiod-{rev}");
    let live = get(&c, "apps/v1", "Deployment", Some(&ns.name), &istiod_name).expect("istiod");
    let labels = &live["metadata"]["labels"];
    assert_eq!(labels["install.meshdeck.io/owned-by"], "meshdeck");
    assert_eq!(labels["install.meshdeck.io/revision"], rev.as_str());
    assert_eq!(labels["install.meshdeck.io/component"], "Pilot");
    assert!(
        live["metadata"]["managedFields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["manager"] == "meshdeck" && m["operation"] == "Apply"),
        "applied server-side as meshdeck"
    );
    let egress = get(
        &c,
        "apps/v1",
        "Deployment",
        Some(&ns.name),
        "istio-egressgateway",
    );
    assert!(egress.is_some(), "demo has an egress gateway");
    // manifest generate stays istioctl's: no ownership labels there.
    let generated = Command::new(meshdeck())
        .args(["manifest", "generate", "--set", "profile=demo", "-d", &d])
        .output()
        .unwrap();
    assert!(generated.status.success());
    assert!(!String::from_utf8_lossy(&generated.stdout).contains("install.meshdeck.io"));

    // verify-install: everything is there, as applied, and ready.
    let verify = [
        "verify-install",
        "--set",
        "profile=demo",
        "--revision",
        &rev,
        "--set",
        &set_ns,
        "-d",
        &d,
    ];
    let (code, out, err) = run_marking(&c, None, &verify);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("✔ Istio is installed and verified: "), "{err}");

    // The same install again changes nothing, and says so.
    let mut again = args.clone();
    again.extend(["-o", "json"]);
    let (code, out, err) = run_marking(&c, Some(&ns.name), &again);
    assert_eq!(code, 0, "{err}");
    let doc: Json = serde_json::from_str(&out).expect(&out);
    assert_eq!(doc["created"], json!([]), "{doc:#}");
    assert_eq!(doc["changed"], json!([]), "{doc:#}");
    assert_eq!(doc["pruned"], json!([]), "{doc:#}");
    assert!(doc["unchanged"].as_array().unwrap().len() > 20, "{doc:#}");
    assert_eq!(doc["revision"], rev.as_str());
    assert_eq!(doc["profile"], "demo");
    assert!(
        err.contains("nothing changed") || err.is_empty() || !err.contains("error"),
        "{err}"
    );

    // demo -> default: the egress gateway is no longer rendered and is pruned; the rest stays.
    let mut default = install_args("profile=default", &rev, &set_ns, &d);
    default.extend(["-y", "-o", "json"]);
    let (code, out, err) = run_marking(&c, Some(&ns.name), &default);
    assert_eq!(code, 0, "{err}");
    let doc: Json = serde_json::from_str(&out).expect(&out);
    let pruned: Vec<&str> = doc["pruned"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Json::as_str)
        .collect();
    let egress = format!("Deployment {}/istio-egressgateway", ns.name);
    assert!(pruned.contains(&egress.as_str()), "{pruned:?}");
    assert!(
        pruned
            .iter()
            .all(|p| !p.starts_with("CustomResourceDefinition")),
        "{pruned:?}"
    );
    assert!(deleted(get(
        &c,
        "apps/v1",
        "Deployment",
        Some(&ns.name),
        "istio-egressgateway"
    )));
    assert!(!deleted(get(
        &c,
        "apps/v1",
        "Deployment",
        Some(&ns.name),
        &istiod_name
    )));

    // Uninstall: meshdeck's objects go, the CRDs (and the namespace) stay.
    let (code, _, err) = run_marking(&c, None, &["uninstall", "--revision", &rev, "-y"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("✔ Uninstall complete: "), "{err}");
    assert!(!err.contains("Removed CustomResourceDefinition"), "{err}");
    assert!(deleted(get(
        &c,
        "apps/v1",
        "Deployment",
        Some(&ns.name),
        &istiod_name
    )));
    assert!(deleted(get(
        &c,
        "apps/v1",
        "Deployment",
        Some(&ns.name),
        "istio-ingressgateway"
    )));
    assert!(
        get(
            &c,
            "apiextensions.k8s.io/v1",
            "CustomResourceDefinition",
            None,
            "gateways.networking.istio.io"
        )
        .is_some_and(|o| o["metadata"]["deletionTimestamp"].is_null()),
        "CRDs stay without --purge"
    );
    let (code, _, err) = run_marking(&c, None, &["uninstall", "--revision", &rev, "-y"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("Nothing to uninstall") || err.contains("Uninstall complete"),
        "{err}"
    );
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn readiness_timeout_names_the_unready_object_and_its_pods_reason() {
    let _only = exclusive();
    let c = cluster();
    c.load_istio_crds();
    let ns = c.namespace("istio");
    let rev = revision("wait");
    let set_ns = format!("values.global.istioNamespace={}", ns.name);
    let d = manifests().display().to_string();
    // A Pod of istiod's, made before the install (no injector webhook yet), that cannot pull
    // its image.
    ns.apply_json(json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "istiod-pod", "namespace": ns.name,
            "labels": {"app": "istiod", "istio.io/rev": rev}},
        "spec": {"containers": [{"name": "discovery", "image": "docker.io/istio/pilot:nope"}]}}));
    let pods = c.resource("v1", "Pod");
    let api = c.kube().api(&pods.resource, Some(&ns.name));
    let status = json!({"status": {"phase": "Pending", "containerStatuses": [{"name": "discovery",
        "ready": false, "restartCount": 0, "image": "docker.io/istio/pilot:nope", "imageID": "",
        "state": {"waiting": {"reason": "ImagePullBackOff", "message": "Back-off pulling image"}}}]}});
    c.block_on(api.patch_status(
        "istiod-pod",
        &PatchParams::default(),
        &Patch::Merge(&status),
    ))
    .unwrap();

    let mut args = install_args("profile=minimal", &rev, &set_ns, &d);
    args.extend(["-y", "--readiness-timeout", "3s"]);
    let (code, _, err) = run_marking(&c, None, &args);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("✔ Istio core installed"), "{err}");
    assert!(
        err.contains("✘ Istiod: 1 object(s) not ready within 3s"),
        "{err}"
    );
    assert!(
        err.contains(&format!("Deployment {}/istiod-{rev}", ns.name))
            && err.contains("pod istiod-pod: container discovery: ImagePullBackOff"),
        "{err}"
    );
    assert!(err.contains("--readiness-timeout"), "the hint: {err}");

    // Rerun, with the Deployment marked available: it converges.
    let mut args = install_args("profile=minimal", &rev, &set_ns, &d);
    args.push("-y");
    let (code, _, err) = run_marking(&c, Some(&ns.name), &args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("✔ Istiod installed"), "{err}");

    // Another field manager changes a field meshdeck applied: reported as field + manager.
    let cm = c.resource("v1", "ConfigMap");
    let cm_api = c.kube().api(&cm.resource, Some(&ns.name));
    let cm_name = format!("istio-{rev}");
    let edit = json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": cm_name, "namespace": ns.name}, "data": {"mesh": "edited: true\n"}});
    c.block_on(cm_api.patch(
        &cm_name,
        &PatchParams::apply("someone-else").force(),
        &Patch::Apply(&edit),
    ))
    .unwrap();
    let (code, _, err) = run_marking(&c, Some(&ns.name), &args);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!(
            "ConfigMap {}/{cm_name}: .data.mesh (owned by \"someone-else\")",
            ns.name
        )),
        "{err}"
    );
    assert!(err.contains("--force-conflicts"), "{err}");
    // verify-install sees it too, and names the object.
    let verify = [
        "verify-install",
        "--set",
        "profile=minimal",
        "--revision",
        &rev,
        "--set",
        &set_ns,
        "-d",
        &d,
    ];
    let (code, out, err) = run_marking(&c, None, &verify);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.lines().any(
            |l| l.starts_with(&format!("ConfigMap {}/{cm_name}", ns.name))
                && l.contains("differs from the render")
        ),
        "{out}"
    );
    assert!(err.contains("1 of "), "{err}");
    let mut forced = args.clone();
    forced.extend(["--force-conflicts", "-o", "json"]);
    let (code, out, err) = run_marking(&c, Some(&ns.name), &forced);
    assert_eq!(code, 0, "{err}");
    let doc: Json = serde_json::from_str(&out).expect(&out);
    let changed = format!("ConfigMap {}/{cm_name}", ns.name);
    assert_eq!(doc["changed"], json!([changed]), "{doc:#}");
    let live = get(&c, "v1", "ConfigMap", Some(&ns.name), &cm_name).unwrap();
    assert_ne!(live["data"]["mesh"], "edited: true\n");

    let (code, _, err) = run_marking(&c, None, &["uninstall", "-r", &rev, "-y"]);
    assert_eq!(code, 0, "{err}");
}

/// A copy of the release whose base chart carries one CRD of the test's own.
fn release_with_own_crd(dir: &Path, group: &str) -> PathBuf {
    let copy = dir.join("manifests");
    let status = Command::new("cp")
        .arg("-r")
        .arg(manifests())
        .arg(&copy)
        .status()
        .unwrap();
    assert!(status.success());
    let crd = format!(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.{group}\nspec:\n  group: {group}\n  names:\n    kind: Widget\n    plural: widgets\n    singular: widget\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        x-kubernetes-preserve-unknown-fields: true\n"
    );
    std::fs::write(copy.join("charts/base/files/crd-all.gen.yaml"), crd).unwrap();
    copy
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn purge_removes_the_crds_meshdeck_installed_after_counting_their_resources() {
    let _only = exclusive();
    let c = cluster();
    let ns = c.namespace("istio");
    let rev = revision("purge");
    let group = format!("{rev}.meshdeck.test");
    let dir = tempfile::tempdir().unwrap();
    let d = release_with_own_crd(dir.path(), &group)
        .display()
        .to_string();
    let set_ns = format!("values.global.istioNamespace={}", ns.name);
    let mut args = install_args("profile=minimal", &rev, &set_ns, &d);
    args.push("-y");
    let (code, _, err) = run_marking(&c, Some(&ns.name), &args);
    assert_eq!(code, 0, "{err}");
    let crd_name = format!("widgets.{group}");
    assert!(
        get(
            &c,
            "apiextensions.k8s.io/v1",
            "CustomResourceDefinition",
            None,
            &crd_name
        )
        .is_some()
    );
    ns.apply_json(
        json!({"apiVersion": format!("{group}/v1"), "kind": "Widget",
        "metadata": {"name": "w", "namespace": ns.name}, "spec": {"size": 1}}),
    );

    // Without a terminal the purge refuses like any other question.
    let (code, _, err) = run_marking(&c, None, &["uninstall", "-r", &rev, "--purge"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--yes"), "{err}");
    let (code, _, err) = run_marking(&c, None, &["uninstall", "-r", &rev, "--purge", "-y"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("Deleting 1 CRD(s) and 1 custom resource(s) with them")
            && err.contains("Removed CustomResourceDefinition widgets."),
        "{err}"
    );
    assert!(deleted(get(
        &c,
        "apiextensions.k8s.io/v1",
        "CustomResourceDefinition",
        None,
        &crd_name
    )));
    // Istio's own CRDs were never this revision's: they stay.
    assert!(
        get(
            &c,
            "apiextensions.k8s.io/v1",
            "CustomResourceDefinition",
            None,
            "gateways.networking.istio.io"
        )
        .is_some_and(|o| o["metadata"]["deletionTimestamp"].is_null())
            || !c
                .block_on(c.kube().is_installed("networking.istio.io", "Gateway"))
                .unwrap()
    );
}
