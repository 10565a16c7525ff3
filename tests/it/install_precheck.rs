//! `meshdeck install`'s prechecks, `--adopt`, and an interrupted install rerun, against the local
//! API server (Kubernetes 1.20), plus the analyze precheck over the render without a cluster.
//!
//! As in `install_apply.rs`: each test installs a revision of its own into a namespace of its own
//! and holds `exclusive()`; the runs that get as far as applying pass `--force`, because the
//! 1.20 server is older than the 1.32 Istio 1.30 supports (the precheck test also runs without it,
//! to see the server version listed with the other problems). The webhooks and workloads the
//! tests make select only the test's own revision, so no other test's Pods reach them. Pods are
//! never created after an install here (the injector it adds cannot reach an istiod).

use std::process::Command;

use kube::api::{Patch, PatchParams};
use meshdeck::install::apply::ServerCaps;
use meshdeck::install::precheck::{self, Check};
use meshdeck::ops::install::{self as ops, InstallRequest, ReleaseSource};
use meshdeck::resource::{Origin, Resource};
use serde_json::{Value as Json, json};

use crate::common::meshdeck;
use crate::install_apply::{deleted, get, install_args, manifests, revision, run_as, run_marking};
use crate::testcluster::{cluster, documents, exclusive};

/// Renders from `-d`: nothing is downloaded, so nothing to show.
struct NoDownload;

impl meshdeck::install::release::DownloadObserver for NoDownload {
    fn start(&self, _: &str, _: Option<u64>) {}
    fn advance(&self, _: u64) {}
    fn done(&self, _: &str) {}
}

/// The demo profile as `install` prepares it for a current server.
fn prepared_demo() -> ops::Prepared {
    let req = InstallRequest {
        release: ReleaseSource {
            manifests: Some(manifests()),
            ..Default::default()
        },
        set: vec!["profile=demo".into()],
        ..Default::default()
    };
    let rendered = ops::generate(&req, &NoDownload).unwrap();
    ops::prepare(&rendered, &ServerCaps::CURRENT, false)
}

#[test]
fn analyze_finds_no_error_in_the_demo_render_and_stops_on_one_in_the_istio_namespace() {
    let prepared = prepared_demo();
    let objects: Vec<&Json> = prepared
        .components
        .iter()
        .flat_map(|c| &c.objects)
        .collect();
    assert!(objects.len() > 30, "{}", objects.len());
    let clean = precheck::analyze_problems(&objects, Vec::new(), None, "istio-system");
    assert!(clean.is_empty(), "{clean:#?}");

    // A VirtualService in the Istio namespace bound to a gateway that does not exist.
    let vs = json!({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
        "metadata": {"name": "shop", "namespace": "istio-system"},
        "spec": {"hosts": ["shop.example.com"], "gateways": ["no-such-gateway"],
            "http": [{"route": [{"destination": {"host": "shop.example.com"}}]}]}});
    let cluster = vec![Resource::from_json(&vs, Origin::Cluster)];
    let problems = precheck::analyze_problems(&objects, cluster, None, "istio-system");
    // The gateway, and the host nothing serves: both IST0101.
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems.iter().all(|p| p.what.contains("IST0101")));
    let p = problems
        .iter()
        .find(|p| p.what.contains("gateway"))
        .unwrap();
    assert_eq!(p.check, Check::Analyze);
    assert!(p.blocks(false) && !p.blocks(true), "--force goes on");
    assert!(
        p.what.contains("IST0101") && p.what.contains("no-such-gateway"),
        "{}",
        p.what
    );
    assert!(p.fix.contains("istio.io"), "{}", p.fix);

    // Elsewhere it is not the install's business.
    let mut other = vs.clone();
    other["metadata"]["namespace"] = "shop".into();
    let cluster = vec![Resource::from_json(&other, Origin::Cluster)];
    assert!(precheck::analyze_problems(&objects, cluster, None, "istio-system").is_empty());
}

/// An injector of "someone else" that selects the revision's namespaces, as the render's does.
fn overlapping_injector(name: &str, rev: &str) -> Json {
    json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration",
        "metadata": {"name": name},
        "webhooks": [{"name": "sidecar-injector.istio.io",
            "namespaceSelector": {"matchLabels": {"istio.io/rev": rev}},
            "clientConfig": {"url": "https://127.0.0.1:1/inject"},
            "failurePolicy": "Ignore", "sideEffects": "None", "admissionReviewVersions": ["v1"]}]})
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn prechecks_list_every_problem_at_once_and_force_goes_on_past_the_forceable_ones() {
    let _only = exclusive();
    let c = cluster();
    c.load_istio_crds();
    let ns = c.namespace("istio");
    let rev = revision("pre");
    let set_ns = format!("values.global.istioNamespace={}", ns.name);
    let d = manifests().display().to_string();
    let other_injector = format!("{rev}-someone-elses-injector");
    ns.apply_json(overlapping_injector(&other_injector, &rev));
    let other_rev = format!("{rev}old");
    ns.apply_json(json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": format!("istiod-{other_rev}"), "namespace": ns.name,
            "labels": {"app": "istiod", "istio.io/rev": other_rev}},
        "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "istiod", "istio.io/rev": other_rev}},
            "template": {"metadata": {"labels": {"app": "istiod", "istio.io/rev": other_rev}},
                "spec": {"containers": [{"name": "discovery", "image": "docker.io/istio/pilot:1.29.0"}]}}}}));
    ns.apply_json(
        json!({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
        "metadata": {"name": "shop", "namespace": ns.name},
        "spec": {"hosts": ["shop.example.com"], "gateways": ["no-such-gateway"],
            "http": [{"route": [{"destination": {"host": "shop.example.com"}}]}]}}),
    );

    // Without --force: the server version, the overlapping injector and the analyze errors, all
    // in one go; the other revision is a warning; nothing is applied and no question asked.
    let args = [
        "install",
        "--set",
        "profile=minimal",
        "--revision",
        &rev,
        "--set",
        &set_ns,
        "-d",
        &d,
        "-y",
    ];
    let (code, out, err) = run_marking(&c, None, &args);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("the prechecks found 4 problem(s); nothing was applied"),
        "{err}"
    );
    assert!(
        err.contains("[server version] the API server v1.20"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "[webhooks] the rendered MutatingWebhookConfiguration istio-sidecar-injector-{rev}-{} selects the same pods as MutatingWebhookConfiguration {other_injector}",
            ns.name
        )) || err.contains(&format!(
            "[webhooks] the rendered MutatingWebhookConfiguration istio-sidecar-injector-{rev} selects the same pods as MutatingWebhookConfiguration {other_injector}"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "kubectl delete mutatingwebhookconfiguration {other_injector}"
        )),
        "{err}"
    );
    assert!(
        err.contains("[analyze] Error [IST0101]") && err.contains("no-such-gateway"),
        "{err}"
    );
    assert!(err.contains("(or go on anyway with --force)"), "{err}");
    assert!(
        err.contains(&format!(
            "warning: Istio revision \"{other_rev}\" (1.29.0) is installed too (Deployment {}/istiod-{other_rev})",
            ns.name
        )),
        "{err}"
    );
    assert!(!err.contains("[permissions]"), "the admin may: {err}");
    assert!(!err.contains("Proceed?"), "{err}");
    let istiod = format!("istiod-{rev}");
    assert!(get(&c, "apps/v1", "Deployment", Some(&ns.name), &istiod).is_none());

    // With --force the three are printed and the install goes on.
    let mut forced = args.to_vec();
    forced.push("--force");
    let (code, _, err) = run_marking(&c, Some(&ns.name), &forced);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("no-such-gateway") && err.contains("going on because of --force"),
        "{err}"
    );
    assert!(
        err.contains(&format!("MutatingWebhookConfiguration {other_injector}")),
        "{err}"
    );
    assert!(err.contains("✔ Istiod installed"), "{err}");
    assert!(get(&c, "apps/v1", "Deployment", Some(&ns.name), &istiod).is_some());

    let (code, _, err) = run_marking(&c, None, &["uninstall", "-r", &rev, "-y"]);
    assert_eq!(code, 0, "{err}");
    // The other revision's istiod and the other injector were never meshdeck's: they stay.
    assert!(!deleted(get(
        &c,
        "apps/v1",
        "Deployment",
        Some(&ns.name),
        &format!("istiod-{other_rev}")
    )));
    assert!(!deleted(get(
        &c,
        "admissionregistration.k8s.io/v1",
        "MutatingWebhookConfiguration",
        None,
        &other_injector
    )));
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn the_permission_precheck_lists_everything_a_user_without_grants_lacks() {
    let _only = exclusive();
    let c = cluster();
    c.load_istio_crds();
    let ns = c.namespace("istio");
    let rev = revision("rbac");
    let set_ns = format!("values.global.istioNamespace={}", ns.name);
    let d = manifests().display().to_string();
    let mut args = install_args("profile=minimal", &rev, &set_ns, &d);
    args.push("-y");
    let (code, out, err) = run_as(&c, &c.restricted(), None, &args);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("[permissions] the user may not do "), "{err}");
    assert!(err.contains("- get namespaces (cluster-wide)"), "{err}");
    for want in [
        "- create, delete, get, list, patch customresourcedefinitions.apiextensions.k8s.io (cluster-wide)"
            .to_string(),
        "- list deployments.apps (cluster-wide)".to_string(),
        format!(
            "- create, delete, get, patch deployments.apps in namespace {}",
            ns.name
        ),
        format!(
            "- create, delete, get, patch configmaps in namespace {}",
            ns.name
        ),
        "- create, delete, get, list, patch clusterroles.rbac.authorization.k8s.io (cluster-wide)"
            .to_string(),
        "- create, delete, get, list, patch mutatingwebhookconfigurations.admissionregistration.k8s.io (cluster-wide)"
            .to_string(),
    ] {
        assert!(err.contains(&want), "{want} in {err}");
    }
    assert!(err.contains("kubectl auth can-i "), "{err}");
    // The run has --force (for the server version), and still stops: --force does not go on
    // past missing rights, and the hint does not offer it.
    assert!(err.contains("the prechecks found 1 problem(s)"), "{err}");
    assert!(!err.contains("go on with --force"), "{err}");
    assert!(err.contains("precheck skipped: the webhook check"), "{err}");
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
}

/// `meshdeck manifest generate` of the test's install.
fn rendered(profile: &str, rev: &str, set_ns: &str, d: &str) -> Vec<Json> {
    let out = Command::new(meshdeck())
        .args([
            "manifest",
            "generate",
            "--set",
            profile,
            "--revision",
            rev,
            "--set",
            set_ns,
            "-d",
            d,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    documents(&String::from_utf8(out.stdout).unwrap())
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn adopt_takes_over_what_istioctl_installed_and_without_it_the_install_names_them() {
    let _only = exclusive();
    let c = cluster();
    c.load_istio_crds();
    let ns = c.namespace("istio");
    let rev = revision("adopt");
    let set_ns = format!("values.global.istioNamespace={}", ns.name);
    let d = manifests().display().to_string();

    // Two of the render's objects, applied as istioctl applies them: server-side, field manager
    // istio-operator, forced, with its operator labels; the mesh config edited since.
    let objects = rendered("profile=minimal", &rev, &set_ns, &d);
    let pick = |kind: &str| {
        objects
            .iter()
            .find(|o| o["kind"] == kind && o["metadata"]["namespace"] == ns.name.as_str())
            .unwrap_or_else(|| panic!("a {kind} in the render"))
            .clone()
    };
    let mut cm = pick("ConfigMap");
    let mut sa = pick("ServiceAccount");
    let cm_name = cm["metadata"]["name"].as_str().unwrap().to_string();
    let sa_name = sa["metadata"]["name"].as_str().unwrap().to_string();
    let rendered_data = cm["data"].clone();
    cm["data"] = json!({"mesh": "edited: by-istioctl\n"});
    for o in [&mut cm, &mut sa] {
        o["metadata"]["labels"]["operator.istio.io/managed"] = "Reconcile".into();
        o["metadata"]["labels"]["operator.istio.io/component"] = "Pilot".into();
    }
    for (kind, name, body) in [
        ("ConfigMap", &cm_name, &cm),
        ("ServiceAccount", &sa_name, &sa),
    ] {
        let r = c.resource("v1", kind);
        let api = c.kube().api(&r.resource, Some(&ns.name));
        c.block_on(api.patch(
            name,
            &PatchParams::apply("istio-operator").force(),
            &Patch::Apply(body),
        ))
        .unwrap();
    }

    // Without --adopt: stopped, naming both objects and --adopt; nothing else applied.
    let mut args = install_args("profile=minimal", &rev, &set_ns, &d);
    args.push("-y");
    let (code, _, err) = run_marking(&c, Some(&ns.name), &args);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(
            "[ownership] istioctl installed 2 object(s) (1 ConfigMap, 1 ServiceAccount) this install would change"
        ),
        "{err}"
    );
    assert!(
        err.contains(&format!("- ConfigMap {}/{cm_name}", ns.name))
            && err.contains(&format!("- ServiceAccount {}/{sa_name}", ns.name))
            && err.contains("pass --adopt"),
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

    // With --adopt: said first, then taken over, the edited field included.
    let mut adopt = args.clone();
    adopt.push("--adopt");
    let (code, _, err) = run_marking(&c, Some(&ns.name), &adopt);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "Adopting 2 object(s) (1 ConfigMap, 1 ServiceAccount) installed by istioctl: meshdeck will own, prune and uninstall them"
        ),
        "{err}"
    );
    let adopted = err.find("Adopting").unwrap();
    let core = err.find("✔ Istio core installed").expect(&err);
    assert!(adopted < core, "said before applying: {err}");
    let live = get(&c, "v1", "ConfigMap", Some(&ns.name), &cm_name).unwrap();
    assert_eq!(
        live["metadata"]["labels"]["install.meshdeck.io/owned-by"],
        "meshdeck"
    );
    assert_eq!(live["data"], rendered_data);
    let data_owner: Vec<&str> = live["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["fieldsV1"]["f:data"].is_object())
        .filter_map(|m| m["manager"].as_str())
        .collect();
    assert!(data_owner.contains(&"meshdeck"), "{data_owner:?}");

    // Now meshdeck's: a plain rerun needs no --adopt, and uninstall removes them.
    let (code, _, err) = run_marking(&c, Some(&ns.name), &args);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run_marking(&c, None, &["uninstall", "-r", &rev, "-y"]);
    assert_eq!(code, 0, "{err}");
    assert!(deleted(get(
        &c,
        "v1",
        "ConfigMap",
        Some(&ns.name),
        &cm_name
    )));
    assert!(deleted(get(
        &c,
        "v1",
        "ServiceAccount",
        Some(&ns.name),
        &sa_name
    )));
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn an_install_interrupted_after_the_crds_converges_on_rerun_and_deletes_nothing_it_does_not_own() {
    let _only = exclusive();
    let c = cluster();
    c.load_istio_crds();
    let ns = c.namespace("istio");
    let rev = revision("intr");
    let set_ns = format!("values.global.istioNamespace={}", ns.name);
    let d = manifests().display().to_string();
    // What is not this install's, in its namespace: a user's ConfigMap, one carrying only
    // meshdeck's component label, and one meshdeck installed for another revision.
    let cm = |name: &str, labels: Json| {
        json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": ns.name, "labels": labels},
            "data": {"k": "v"}})
    };
    ns.apply_json(cm("users-own", json!({})));
    ns.apply_json(cm(
        "component-label-only",
        json!({"install.meshdeck.io/component": "Pilot"}),
    ));
    ns.apply_json(cm(
        "another-revisions",
        json!({"install.meshdeck.io/owned-by": "meshdeck",
            "install.meshdeck.io/revision": format!("{rev}other"),
            "install.meshdeck.io/component": "Pilot"}),
    ));
    let not_ours = ["users-own", "component-label-only", "another-revisions"];

    // Interrupted: Base goes in, Istiod never becomes ready (nothing marks it) and times out.
    let mut args = install_args("profile=minimal", &rev, &set_ns, &d);
    args.extend(["-y", "--readiness-timeout", "2s"]);
    let (code, _, err) = run_marking(&c, None, &args);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("✔ Istio core installed"), "{err}");
    assert!(err.contains("✘ Istiod: "), "{err}");
    let crd = get(
        &c,
        "apiextensions.k8s.io/v1",
        "CustomResourceDefinition",
        None,
        "virtualservices.networking.istio.io",
    )
    .unwrap();
    assert_eq!(
        crd["metadata"]["labels"]["install.meshdeck.io/owned-by"],
        "meshdeck"
    );

    // Rerun: it converges, prunes nothing, and the others' objects are all still there.
    let mut rerun = install_args("profile=minimal", &rev, &set_ns, &d);
    rerun.extend(["-y", "-o", "json"]);
    let (code, out, err) = run_marking(&c, Some(&ns.name), &rerun);
    assert_eq!(code, 0, "{err}");
    let doc: Json = serde_json::from_str(&out).expect(&out);
    assert_eq!(doc["pruned"], json!([]), "{doc:#}");
    assert!(
        doc["components"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "Istiod"),
        "{doc:#}"
    );
    let istiod = format!("istiod-{rev}");
    assert!(get(&c, "apps/v1", "Deployment", Some(&ns.name), &istiod).is_some());
    for name in not_ours {
        assert!(
            !deleted(get(&c, "v1", "ConfigMap", Some(&ns.name), name)),
            "{name}"
        );
    }
    // Converged: once more changes nothing.
    let (code, out, err) = run_marking(&c, Some(&ns.name), &rerun);
    assert_eq!(code, 0, "{err}");
    let doc: Json = serde_json::from_str(&out).expect(&out);
    assert_eq!(doc["created"], json!([]), "{doc:#}");
    assert_eq!(doc["changed"], json!([]), "{doc:#}");

    // Uninstall takes this revision's objects, and still none of the others'.
    let (code, _, err) = run_marking(&c, None, &["uninstall", "-r", &rev, "-y"]);
    assert_eq!(code, 0, "{err}");
    assert!(deleted(get(
        &c,
        "apps/v1",
        "Deployment",
        Some(&ns.name),
        &istiod
    )));
    for name in not_ours {
        assert!(
            !deleted(get(&c, "v1", "ConfigMap", Some(&ns.name), name)),
            "{name}"
        );
    }
}
