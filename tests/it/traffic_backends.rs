//! `meshdeck traffic-shift --backend gateway-api|appmesh` against a real API server with the
//! Gateway API HTTPRoute CRD (v1.6.1) and the App Mesh controller's CRDs loaded (CEL rules
//! stripped for the 1.20 server): shift, show, dry-run, reset, a conflict with another field
//! manager, a concurrent edit, a guarded reset, and the refusal without a terminal.

use std::path::Path;

use serde_json::{Value as Json, json};

use meshdeck::kube::{ApplyOptions, ConnectOptions, Propagation};
use meshdeck::ops::traffic::{ShiftOptions, TrafficError, TrafficSession};
use meshdeck::traffic::{Backend, parse_split, plan_reset, plan_shift};

use crate::cli::run;
use crate::common::repo;
use crate::testcluster::{TestCluster, documents, exclusive};

fn shared() -> std::path::PathBuf {
    repo().join("../shared")
}

/// Adapts newer CRDs to the 1.20 server: CEL rules go, and so does `default: ""`. That
/// server's validator checks an empty string as if it were null ("Invalid value: \"null\": must
/// be of type string"), so a string field whose pattern allows "" (an HTTPRoute's `group: ""`
/// for a core Service) is marked nullable, or the server could not hold the GAMMA parentRef.
fn strip_cel(v: &mut Json) {
    match v {
        Json::Object(map) => {
            map.remove("x-kubernetes-validations");
            if map.get("default") == Some(&Json::String(String::new())) {
                map.remove("default");
            }
            if map.get("type").and_then(Json::as_str) == Some("string")
                && map
                    .get("pattern")
                    .and_then(Json::as_str)
                    .is_some_and(|p| p.starts_with("^$|"))
            {
                map.insert("nullable".into(), Json::Bool(true));
            }
            map.values_mut().for_each(strip_cel);
        }
        Json::Array(items) => items.iter_mut().for_each(strip_cel),
        _ => {}
    }
}

/// Applies the CRDs of a file (CEL rules stripped, as the 1.20 server needs).
fn load_crds(c: &TestCluster, path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let opts = ApplyOptions {
        force: true,
        field_manager: "meshdeck-tests".into(),
        ..Default::default()
    };
    let mut names = Vec::new();
    let crds = documents(&text)
        .into_iter()
        .filter(|d| d["kind"] == "CustomResourceDefinition");
    for mut crd in crds {
        strip_cel(&mut crd);
        let name = crd["metadata"]["name"].as_str().unwrap().to_string();
        c.wait_crd_not_terminating(&name);
        names.push(name);
        c.block_on(c.kube().apply(&crd, &opts))
            .unwrap_or_else(|e| panic!("apply CRD from {}: {e}", path.display()));
    }
    names
}

/// The HTTPRoute CRD, for one test only: other tests check that the cluster has no Gateway
/// API, so it is deleted again when the test ends (even when it fails).
struct HttpRouteCrd<'c>(&'c TestCluster, Vec<String>);

impl<'c> HttpRouteCrd<'c> {
    fn load(c: &'c TestCluster) -> HttpRouteCrd<'c> {
        let names = load_crds(
            c,
            &shared().join("crds/gateway-api-v1.6.1/gateway.networking.k8s.io_httproutes.yaml"),
        );
        c.resource("gateway.networking.k8s.io/v1", "HTTPRoute");
        HttpRouteCrd(c, names)
    }
}

impl Drop for HttpRouteCrd<'_> {
    fn drop(&mut self) {
        for name in &self.1 {
            let obj = self
                .0
                .block_on(self.0.kube().object(
                    "apiextensions.k8s.io/v1",
                    "CustomResourceDefinition",
                    None,
                    name,
                ))
                .unwrap();
            let _ = self
                .0
                .block_on(self.0.kube().delete(&obj, Propagation::Background));
        }
        for name in &self.1 {
            self.0.wait_crd_gone(name);
        }
    }
}

fn load_appmesh_crds(c: &TestCluster) {
    static LOADED: std::sync::Mutex<bool> = std::sync::Mutex::new(false);
    let mut loaded = LOADED.lock().unwrap_or_else(|e| e.into_inner());
    if !*loaded {
        load_crds(c, &shared().join("crds/appmesh/crds.yaml"));
        c.resource("appmesh.k8s.aws/v1beta2", "VirtualRouter");
        c.resource("appmesh.k8s.aws/v1beta2", "VirtualNode");
        c.resource("appmesh.k8s.aws/v1beta2", "VirtualService");
        *loaded = true;
    }
}

fn get(c: &TestCluster, api_version: &str, kind: &str, ns: &str, name: &str) -> Option<Json> {
    let obj = c
        .block_on(c.kube().object(api_version, kind, Some(ns), name))
        .unwrap();
    c.block_on(c.kube().get(&obj))
        .unwrap()
        .map(|o| serde_json::to_value(o).unwrap())
}

/// Someone else's small edit (a label, by merge patch): a new resourceVersion.
pub fn label(c: &TestCluster, api_version: &str, kind: &str, ns: &str, name: &str) {
    let found = c.resource(api_version, kind);
    let api = c.kube().api(&found.resource, Some(ns));
    c.block_on(api.patch(
        name,
        &kube::api::PatchParams::default(),
        &kube::api::Patch::Merge(&json!({"metadata": {"labels": {"edited-by": "someone"}}})),
    ))
    .unwrap_or_else(|e| panic!("label {kind} {ns}/{name}: {e}"));
}

fn route(c: &TestCluster, ns: &str, name: &str) -> Option<Json> {
    get(c, "gateway.networking.k8s.io/v1", "HTTPRoute", ns, name)
}

fn router(c: &TestCluster, ns: &str) -> Json {
    get(
        c,
        "appmesh.k8s.aws/v1beta2",
        "VirtualRouter",
        ns,
        "yelb-appserver",
    )
    .unwrap()
}

fn shift(c: &TestCluster, service: &str, ns: &str, rest: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "traffic-shift",
        service,
        "--kubeconfig",
        c.kubeconfig.to_str().unwrap(),
        "-n",
        ns,
    ];
    args.extend_from_slice(rest);
    run(&args, None)
}

fn backend_refs(route: &Json) -> Vec<(String, u64)> {
    route["spec"]["rules"][0]["backendRefs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["name"].as_str().unwrap().to_string(),
                b["weight"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn targets(router: &Json) -> Vec<(String, u64)> {
    router["spec"]["routes"][0]["httpRoute"]["action"]["weightedTargets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["virtualNodeRef"]["name"].as_str().unwrap().to_string(),
                t["weight"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn session(c: &TestCluster, ns: &str) -> TrafficSession {
    let target = ConnectOptions {
        kubeconfig: Some(c.kubeconfig.clone()),
        ..Default::default()
    };
    TrafficSession::open(&target, Some(ns)).unwrap()
}

fn shown(out: &str) -> Vec<(String, Option<String>, u64)> {
    let shown: Json = serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"));
    shown["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["version"].as_str().unwrap().to_string(),
                r["subset"].as_str().map(str::to_string),
                r["weight"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn gateway_api_shift_show_dry_run_conflict_concurrent_edit_and_reset() {
    let c = crate::testcluster::cluster();
    // Whole-cluster analyses must not see the HTTPRoute CRD or routes of this test.
    let _only = exclusive();
    let _crd = HttpRouteCrd::load(&c);
    let ns = c.namespace("gamma");
    ns.apply_files(&[
        repo().join("testdata/traffic/reviews.yaml"),
        repo().join("testdata/traffic/reviews-versions.yaml"),
    ]);
    let n = ns.name.as_str();
    let gw = ["--backend", "gateway-api"];
    let with = |rest: &[&str]| {
        let mut all = gw.to_vec();
        all.extend_from_slice(rest);
        shift(&c, "reviews", n, &all)
    };

    // Without a terminal and without -y nothing changes.
    let (code, _, err) = with(&["--to", "v1=90,v2=10"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--yes"), "{err}");
    assert!(route(&c, n, "reviews").is_none());

    // v3 has no per-version Service: named, and nothing is created.
    let (code, _, err) = with(&["--to", "v1=50,v3=50", "-y"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("no per-version Service selects the workloads of v3"),
        "{err}"
    );
    assert!(err.contains("--create-version-services"), "{err}");
    assert!(route(&c, n, "reviews").is_none());
    assert!(get(&c, "v1", "Service", n, "reviews-v3").is_none());

    // The bookinfo shape: parentRef the Service, weighted per-version backends.
    let (code, _, err) = with(&["--to", "v1=90,v2=10", "-y"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("backend: gateway-api (as --backend asks"),
        "{err}"
    );
    assert!(
        err.contains(&format!("HTTPRoute {n}/reviews created")),
        "{err}"
    );
    let r = route(&c, n, "reviews").expect("the HTTPRoute exists");
    assert_eq!(
        r["spec"]["parentRefs"],
        json!([{"group": "", "kind": "Service", "name": "reviews", "port": 9080}])
    );
    assert_eq!(
        backend_refs(&r),
        [("reviews-v1".into(), 90), ("reviews-v2".into(), 10)]
    );
    assert_eq!(
        r["metadata"]["labels"]["kiali_wizard"],
        "k8s_request_routing"
    );
    assert_eq!(r["metadata"]["managedFields"][0]["manager"], "meshdeck");

    // --show as JSON and as a table.
    let (code, out, err) = with(&["--show", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        shown(&out),
        [
            ("v1".into(), Some("reviews-v1".into()), 90),
            ("v2".into(), Some("reviews-v2".into()), 10),
            ("v3".into(), None, 0)
        ]
    );
    let json: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(json["backend"], "gateway-api");
    assert_eq!(json["routed_by"], format!("HTTPRoute {n}/reviews"));
    let (code, table, _) = with(&["--show"]);
    assert_eq!(code, 0);
    assert!(
        table.contains("SERVICE") && table.contains("90%"),
        "{table}"
    );

    // --dry-run: a diff, nothing changes.
    let (code, diff, err) = with(&["--to", "v2", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(diff.contains("--- HTTPRoute"), "{diff}");
    assert!(diff.contains("+      weight: 100"), "{diff}");
    assert_eq!(
        backend_refs(&route(&c, n, "reviews").unwrap()),
        [("reviews-v1".into(), 90), ("reviews-v2".into(), 10)]
    );

    // With --create-version-services the missing one is made.
    let (code, _, err) = with(&["--to", "v1=50,v3=50", "--create-version-services", "-y"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!("Service {n}/reviews-v3 created")),
        "{err}"
    );
    let v3 = get(&c, "v1", "Service", n, "reviews-v3").expect("reviews-v3 exists");
    assert_eq!(
        v3["spec"]["selector"],
        json!({"app": "reviews", "version": "v3"})
    );
    assert_eq!(v3["spec"]["ports"][0]["port"], 9080);
    assert_eq!(
        backend_refs(&route(&c, n, "reviews").unwrap()),
        [("reviews-v1".into(), 50), ("reviews-v3".into(), 50)]
    );

    // An edit made after meshdeck read the route is reported, not overwritten.
    let s = session(&c, n);
    let current = s.read("reviews", Backend::GatewayApi).unwrap();
    let plan = plan_shift(
        Backend::GatewayApi,
        &current,
        &parse_split("v2").unwrap(),
        &ShiftOptions::default(),
    )
    .unwrap();
    ns.apply_json(json!({
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
        "metadata": {"name": "reviews", "namespace": n},
        "spec": {"parentRefs": [{"group": "", "kind": "Service", "name": "reviews", "port": 9080}],
            "rules": [{"timeouts": {"request": "3s"},
                "backendRefs": [{"name": "reviews-v1", "port": 9080, "weight": 1}]}]}
    }));
    let err = s.apply(&plan, true).unwrap_err();
    assert!(
        matches!(&err, TrafficError::ConcurrentEdit { object, .. } if object == &format!("HTTPRoute {n}/reviews")),
        "{err}"
    );
    let r = route(&c, n, "reviews").unwrap();
    assert_eq!(r["spec"]["rules"][0]["timeouts"]["request"], "3s");

    // The other manager now owns spec.rules: a conflict, named, unless forced.
    let (code, _, err) = with(&["--to", "v2", "-y"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("other field managers own fields"), "{err}");
    assert!(err.contains("meshdeck-tests"), "{err}");
    assert_eq!(backend_refs(&route(&c, n, "reviews").unwrap())[0].1, 1);
    let (code, _, err) = with(&["--to", "v2", "-y", "--force-conflicts"]);
    assert_eq!(code, 0, "{err}");
    let r = route(&c, n, "reviews").unwrap();
    assert_eq!(backend_refs(&r), [("reviews-v2".into(), 100)]);
    assert_eq!(
        r["spec"]["rules"][0]["timeouts"]["request"], "3s",
        "the rule's other fields stay"
    );

    // A reset planned before someone edits a Service meshdeck created deletes nothing.
    let current = s.read("reviews", Backend::GatewayApi).unwrap();
    let reset = plan_reset(Backend::GatewayApi, &current).unwrap();
    assert_eq!(reset.deletions.len(), 2, "{reset:#?}");
    label(&c, "v1", "Service", n, "reviews-v3");
    let err = s.apply(&reset, false).unwrap_err();
    assert!(
        matches!(&err, TrafficError::ConcurrentEdit { object, .. } if object == &format!("Service {n}/reviews-v3")),
        "{err}"
    );
    assert!(route(&c, n, "reviews").is_some(), "nothing was deleted");
    assert!(get(&c, "v1", "Service", n, "reviews-v3").is_some());

    // --reset deletes what meshdeck created, never the user's Services.
    let (code, _, err) = with(&["--reset", "-y"]);
    assert_eq!(code, 0, "{err}");
    assert!(route(&c, n, "reviews").is_none());
    assert!(get(&c, "v1", "Service", n, "reviews-v3").is_none());
    assert!(get(&c, "v1", "Service", n, "reviews-v1").is_some());
    assert!(get(&c, "v1", "Service", n, "reviews").is_some());
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn appmesh_shift_show_dry_run_conflict_concurrent_edit_and_reset() {
    let c = crate::testcluster::cluster();
    load_appmesh_crds(&c);
    let ns = c.namespace("appmesh");
    ns.apply_files(&[repo().join("testdata/traffic/yelb.yaml")]);
    let n = ns.name.as_str();
    let with = |rest: &[&str]| {
        let mut all = vec!["--backend", "appmesh"];
        all.extend_from_slice(rest);
        shift(&c, "yelb-appserver", n, &all)
    };
    let original = router(&c, n);

    // Without a terminal and without -y nothing changes.
    let (code, _, err) = with(&["--to", "v1=50,v2=50"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--yes"), "{err}");

    // The walkthrough's router was written by another manager: a conflict, named.
    let (code, _, err) = with(&["--to", "v1=50,v2=50", "-y"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("other field managers own fields"), "{err}");
    assert!(err.contains("meshdeck-tests"), "{err}");
    assert_eq!(targets(&router(&c, n)), [("yelb-appserver".into(), 1)]);

    let (code, _, err) = with(&["--to", "v1=50,v2=50", "-y", "--force-conflicts"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("backend: appmesh"), "{err}");
    assert!(
        err.contains(&format!("VirtualRouter {n}/yelb-appserver configured")),
        "{err}"
    );
    let r = router(&c, n);
    assert_eq!(
        targets(&r),
        [
            ("yelb-appserver".into(), 50),
            ("yelb-appserver-v2".into(), 50)
        ]
    );
    assert_eq!(
        r["spec"]["routes"][0]["httpRoute"]["retryPolicy"]["maxRetries"], 2,
        "the retry policy stays"
    );

    // --show.
    let (code, out, err) = with(&["--show", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        shown(&out),
        [
            ("v1".into(), Some("yelb-appserver".into()), 50),
            ("v2".into(), Some("yelb-appserver-v2".into()), 50)
        ]
    );
    let (code, table, _) = with(&["--show"]);
    assert_eq!(code, 0);
    assert!(
        table.contains("VIRTUAL NODE") && table.contains("50%"),
        "{table}"
    );

    // --dry-run.
    let (code, diff, err) = with(&["--to", "v2", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(diff.contains("--- VirtualRouter"), "{diff}");
    assert!(diff.contains("weight: 100"), "{diff}");
    assert_eq!(targets(&router(&c, n)).len(), 2);

    // A concurrent edit is reported, not overwritten.
    let s = session(&c, n);
    let current = s.read("yelb-appserver", Backend::AppMesh).unwrap();
    let plan = plan_shift(
        Backend::AppMesh,
        &current,
        &parse_split("v2").unwrap(),
        &ShiftOptions::default(),
    )
    .unwrap();
    label(
        &c,
        "appmesh.k8s.aws/v1beta2",
        "VirtualRouter",
        n,
        "yelb-appserver",
    );
    let err = s.apply(&plan, true).unwrap_err();
    assert!(
        matches!(&err, TrafficError::ConcurrentEdit { object, .. } if object == &format!("VirtualRouter {n}/yelb-appserver")),
        "{err}"
    );
    assert_eq!(targets(&router(&c, n)).len(), 2, "not overwritten");

    // --reset gives the walkthrough's route back.
    let (code, _, err) = with(&["--reset", "-y"]);
    assert_eq!(code, 0, "{err}");
    let r = router(&c, n);
    assert_eq!(targets(&r), [("yelb-appserver".into(), 1)]);
    assert!(
        r["metadata"]["annotations"]
            .get("meshdeck.io/traffic-shift-previous-spec")
            .is_none(),
        "{r}"
    );
    assert_eq!(
        r["spec"]["routes"], original["spec"]["routes"],
        "exactly as written"
    );
    assert!(
        get(
            &c,
            "appmesh.k8s.aws/v1beta2",
            "VirtualService",
            n,
            "yelb-appserver"
        )
        .is_some(),
        "the user's VirtualService stays"
    );

    // A version without its own VirtualNode is refused, naming it.
    let (code, _, err) = with(&["--to", "v3", "-y", "--allow-missing"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("no App Mesh VirtualNode's podSelector selects exactly the workloads of v3"),
        "{err}"
    );
}
