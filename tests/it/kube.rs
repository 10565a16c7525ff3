//! The kube layer (`meshdeck::kube`) against a real API server: apply, conflicts, readiness,
//! delete, list, get, discovery, the server version, impersonation, proxies and timeouts. The
//! tests that need a server are ignored unless one is configured (`scripts/test` starts one).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Patch, PatchParams};
use meshdeck::kube::{
    ApplyOptions, ApplyOutcome, ConnectOptions, Deleted, Kube, KubeError, Propagation, VersionRange,
};
use serde_json::{Value as Json, json};

use crate::common::meshdeck;
use crate::testcluster::{TestCluster, cluster};

fn connect_as(c: &TestCluster, kubeconfig: &Path, user: Option<&str>, groups: &[&str]) -> Kube {
    c.block_on(meshdeck::kube::connect(&ConnectOptions {
        kubeconfig: Some(kubeconfig.to_path_buf()),
        as_user: user.map(str::to_string),
        as_groups: groups.iter().map(|g| g.to_string()).collect(),
        ..Default::default()
    }))
    .unwrap()
}

fn config_map(ns: &str, name: &str, data: Json) -> Json {
    json!({"apiVersion": "v1", "kind": "ConfigMap",
           "metadata": {"name": name, "namespace": ns}, "data": data})
}

fn deployment(ns: &str, name: &str, replicas: i32, app: &str) -> Json {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": app}},
            "template": {"metadata": {"labels": {"app": app}},
                "spec": {"containers": [{"name": "app", "image": "example.invalid/app:1"}]}}}})
}

/// Sets an object's status through the status subresource (no controllers run in the test
/// cluster).
fn set_status(c: &TestCluster, api_version: &str, kind: &str, ns: &str, name: &str, status: Json) {
    let found = c.resource(api_version, kind);
    let api = c.kube().api(&found.resource, Some(ns));
    c.block_on(api.patch_status(
        name,
        &PatchParams::default(),
        &Patch::Merge(&json!({ "status": status })),
    ))
    .unwrap_or_else(|e| panic!("status of {kind} {ns}/{name}: {e}"));
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn one_client_per_process_for_the_same_options() {
    let c = cluster();
    let opts = ConnectOptions {
        kubeconfig: Some(c.kubeconfig.clone()),
        context: Some("meshdeck-test".into()),
        ..Default::default()
    };
    let first = c.block_on(meshdeck::kube::shared(&opts)).unwrap();
    let second = c.block_on(meshdeck::kube::shared(&opts)).unwrap();
    assert!(first.is_same_client(&second));
    let other = c.block_on(meshdeck::kube::connect(&opts)).unwrap();
    assert!(!first.is_same_client(&other), "connect makes a new one");
    c.block_on(second.server_version()).unwrap();
}

fn ours() -> ApplyOptions {
    ApplyOptions::default()
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn apply_creates_then_leaves_unchanged_then_configures() {
    let c = cluster();
    let ns = c.namespace("apply");
    let k = c.kube();
    let cm = config_map(&ns.name, "settings", json!({"a": "1"}));
    let first = c.block_on(k.apply(&cm, &ours())).unwrap();
    assert_eq!(first.outcome, ApplyOutcome::Created);
    assert_eq!(
        first.object.to_string(),
        format!("ConfigMap {}/settings", ns.name)
    );
    let again = c.block_on(k.apply(&cm, &ours())).unwrap();
    assert_eq!(
        again.outcome,
        ApplyOutcome::Unchanged,
        "the same apply stores nothing new"
    );
    let changed = config_map(&ns.name, "settings", json!({"a": "2"}));
    let third = c.block_on(k.apply(&changed, &ours())).unwrap();
    assert_eq!(third.outcome, ApplyOutcome::Configured);
    let managers: Vec<String> = third
        .live
        .metadata
        .managed_fields
        .iter()
        .flatten()
        .filter_map(|m| m.manager.clone())
        .collect();
    assert_eq!(managers, ["meshdeck"], "applied as field manager meshdeck");

    // A typed object goes the same way; a namespaced object without a namespace lands in the
    // one the options give.
    let typed = ConfigMap {
        metadata: kube::api::ObjectMeta {
            name: Some("typed".into()),
            ..Default::default()
        },
        data: Some([("k".to_string(), "v".to_string())].into()),
        ..Default::default()
    };
    let opts = ApplyOptions {
        namespace: Some(ns.name.clone()),
        ..ours()
    };
    let applied = c.block_on(k.apply_typed(&typed, &opts)).unwrap();
    assert_eq!(applied.outcome, ApplyOutcome::Created);
    assert_eq!(applied.object.namespace.as_deref(), Some(ns.name.as_str()));
    let live = c.block_on(k.get(&applied.object)).unwrap().expect("stored");
    assert_eq!(live.data["data"]["k"], "v");

    // An object without a name is refused before anything is sent, naming what is missing.
    let err = c
        .block_on(k.apply(
            &json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}}),
            &ours(),
        ))
        .unwrap_err();
    assert!(
        matches!(&err, KubeError::InvalidObject { reason, .. } if reason == "metadata.name is missing"),
        "{err}"
    );
    for name in ["settings", "typed"] {
        let obj = c
            .block_on(k.object("v1", "ConfigMap", Some(&ns.name), name))
            .unwrap();
        c.block_on(k.delete(&obj, Propagation::Background)).unwrap();
    }
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn a_conflict_names_field_and_manager_and_force_takes_it_over() {
    let c = cluster();
    let ns = c.namespace("conflict");
    let k = c.kube();
    let theirs = ApplyOptions {
        field_manager: "other-team".into(),
        ..ours()
    };
    c.block_on(k.apply(&deployment(&ns.name, "web", 1, "web"), &theirs))
        .unwrap();
    let mine = deployment(&ns.name, "web", 3, "web");
    let err = c.block_on(k.apply(&mine, &ours())).unwrap_err();
    let KubeError::Conflict { object, conflicts } = &err else {
        panic!("a typed conflict, not {err:?}");
    };
    assert_eq!(object, &format!("Deployment {}/web", ns.name));
    assert!(
        conflicts
            .iter()
            .any(|f| f.field == ".spec.replicas" && f.manager == "other-team"),
        "{conflicts:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains(".spec.replicas (owned by \"other-team\")"),
        "{text}"
    );
    // The namespace's random suffix may hold the digits 409 itself.
    assert!(
        !text.replace(&ns.name, "").contains("409"),
        "no raw status text: {text}"
    );
    assert!(err.hint().unwrap().contains("--force-conflicts"));

    let forced = ApplyOptions {
        force: true,
        ..ours()
    };
    let applied = c.block_on(k.apply(&mine, &forced)).unwrap();
    assert_eq!(applied.outcome, ApplyOutcome::Configured);
    assert_eq!(applied.live.data["spec"]["replicas"], 3);
    // Now meshdeck owns the field: the other manager meets the conflict.
    let err = c
        .block_on(k.apply(&deployment(&ns.name, "web", 1, "web"), &theirs))
        .unwrap_err();
    assert!(
        matches!(&err, KubeError::Conflict { conflicts, .. } if conflicts.iter().any(|f| f.manager == "meshdeck")),
        "{err}"
    );
    let obj = applied.object;
    c.block_on(k.delete(&obj, Propagation::Background)).unwrap();
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn readiness_follows_the_status_subresource() {
    let c = cluster();
    let ns = c.namespace("ready");
    let k = c.kube().clone();
    let applied = c
        .block_on(k.apply(&deployment(&ns.name, "api", 1, "api"), &ours()))
        .unwrap();
    let dep = applied.object.clone();
    let namespace = c.resource("v1", "Namespace").object(None, &ns.name);
    // The namespace is Active at once; the Deployment becomes ready when its status says so,
    // which this test sets a moment after the wait began.
    let started = Instant::now();
    let status = json!({"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1,
        "readyReplicas": 1, "availableReplicas": 1});
    let name = ns.name.clone();
    let objects = [dep.clone(), namespace];
    let (waited, ()) = c.block_on(async {
        tokio::join!(k.wait_ready(&objects, Duration::from_secs(20)), async {
            tokio::time::sleep(Duration::from_millis(800)).await;
            let api = k.api(&dep.resource, Some(&name));
            api.patch_status(
                "api",
                &PatchParams::default(),
                &Patch::Merge(&json!({ "status": status })),
            )
            .await
            .unwrap();
        })
    });
    waited.unwrap();
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(800) && took < Duration::from_secs(15),
        "ready once the status said so, not before: {took:?}"
    );

    // A CRD becomes Established by the API server itself.
    let crd = json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": format!("widgets{}.test.meshdeck.dev", ns.name.replace('-', ""))},
        "spec": {"group": "test.meshdeck.dev", "scope": "Namespaced",
            "names": {"plural": format!("widgets{}", ns.name.replace('-', "")), "kind": format!("Widget{}", ns.name.replace('-', "")), "singular": format!("widget{}", ns.name.replace('-', ""))},
            "versions": [{"name": "v1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}]}});
    let crd = c.block_on(k.apply(&crd, &ours())).unwrap().object;
    c.block_on(k.wait_ready(std::slice::from_ref(&crd), Duration::from_secs(20)))
        .unwrap();
    c.block_on(k.delete(&crd, Propagation::Background)).unwrap();
    c.block_on(k.delete(&dep, Propagation::Background)).unwrap();
}

fn pod(ns: &str, name: &str, app: &str) -> Json {
    json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": {"app": app}},
        "spec": {"containers": [{"name": "app", "image": "example.invalid/app:1"}]}})
}

fn waiting(reason: &str, message: &str) -> Json {
    json!({"phase": "Pending", "containerStatuses": [{"name": "app", "image": "example.invalid/app:1",
        "imageID": "", "ready": false, "restartCount": 3,
        "state": {"waiting": {"reason": reason, "message": message}}}]})
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn a_timeout_names_each_unready_object_with_reasons_from_its_pods() {
    let c = cluster();
    let ns = c.namespace("unready");
    let k = c.kube();
    let dep = c
        .block_on(k.apply(&deployment(&ns.name, "pull", 2, "pull"), &ours()))
        .unwrap()
        .object;
    for (name, status) in [
        (
            "pull-a",
            waiting(
                "ImagePullBackOff",
                "Back-off pulling image \"example.invalid/app:1\"",
            ),
        ),
        (
            "pull-b",
            waiting(
                "CrashLoopBackOff",
                "back-off 5m0s restarting failed container",
            ),
        ),
        (
            "pull-c",
            json!({"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False",
                "reason": "Unschedulable", "message": "0/3 nodes are available: 3 Insufficient cpu."}]}),
        ),
    ] {
        c.block_on(k.apply(&pod(&ns.name, name, "pull"), &ours()))
            .unwrap();
        set_status(&c, "v1", "Pod", &ns.name, name, status);
    }
    set_status(
        &c,
        "apps/v1",
        "Deployment",
        &ns.name,
        "pull",
        json!({"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "availableReplicas": 0,
            "conditions": [{"type": "Available", "status": "False", "reason": "MinimumReplicasUnavailable",
                "message": "Deployment does not have minimum availability."}]}),
    );
    // A Job that failed is reported as failed, not as still waiting.
    let job = c
        .block_on(k.apply(
            &json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate", "namespace": ns.name},
                "spec": {"template": {"spec": {"restartPolicy": "Never",
                    "containers": [{"name": "m", "image": "example.invalid/m:1"}]}}}}),
            &ours(),
        ))
        .unwrap()
        .object;
    set_status(
        &c,
        "batch/v1",
        "Job",
        &ns.name,
        "migrate",
        json!({"conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
            "message": "Job has reached the specified backoff limit"}]}),
    );
    let started = Instant::now();
    let err = c
        .block_on(k.wait_ready(&[dep.clone(), job.clone()], Duration::from_secs(2)))
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the deadline holds: {:?}",
        started.elapsed()
    );
    let KubeError::NotReady {
        timed_out, unready, ..
    } = &err
    else {
        panic!("not ready, not {err:?}");
    };
    assert!(*timed_out);
    let d = unready
        .iter()
        .find(|u| u.object == format!("Deployment {}/pull", ns.name))
        .expect("the Deployment is named");
    assert!(!d.failed);
    assert_eq!(d.waiting_for, "0 of 2 updated replicas are available");
    let reasons = d.reasons.join("\n");
    for expected in [
        "condition Available=False: MinimumReplicasUnavailable",
        "pod pull-a: container app: ImagePullBackOff: Back-off pulling image",
        "pod pull-b: container app: CrashLoopBackOff",
        "pod pull-c: not scheduled: Unschedulable: 0/3 nodes are available",
    ] {
        assert!(reasons.contains(expected), "{expected:?} in\n{reasons}");
    }
    let j = unready
        .iter()
        .find(|u| u.object == format!("Job {}/migrate", ns.name))
        .expect("the Job is named");
    assert!(j.failed, "{j:?}");
    assert!(j.waiting_for.contains("BackoffLimitExceeded"), "{j:?}");
    let text = err.to_string();
    assert!(text.contains("2 object(s) not ready within 2s"), "{text}");
    for name in ["pull-a", "pull-b", "pull-c"] {
        let p = c.resource("v1", "Pod").object(Some(&ns.name), name);
        c.block_on(k.delete(&p, Propagation::Background)).unwrap();
    }
    for o in [dep, job] {
        c.block_on(k.delete(&o, Propagation::Background)).unwrap();
    }
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn delete_list_and_get_or_absent() {
    let c = cluster();
    let a = c.namespace("list");
    let b = c.namespace("list");
    let k = c.kube();
    let run = a.name.clone();
    for (ns, name, team) in [
        (&a.name, "one", "blue"),
        (&b.name, "two", "blue"),
        (&b.name, "three", "green"),
    ] {
        let mut cm = config_map(ns, name, json!({}));
        cm["metadata"]["labels"] = json!({"team": team, "run": run});
        c.block_on(k.apply(&cm, &ours())).unwrap();
    }
    let configmaps = c.resource("v1", "ConfigMap");
    let mut found: Vec<String> = c
        .block_on(k.list(&configmaps.resource, None, &format!("team=blue,run={run}")))
        .unwrap()
        .into_iter()
        .map(|o| {
            format!(
                "{}/{}",
                o.metadata.namespace.unwrap(),
                o.metadata.name.unwrap()
            )
        })
        .collect();
    found.sort();
    let mut expected = vec![format!("{}/one", a.name), format!("{}/two", b.name)];
    expected.sort();
    assert_eq!(found, expected, "across namespaces, by label");
    let in_b = c
        .block_on(k.list(&configmaps.resource, Some(&b.name), &format!("run={run}")))
        .unwrap();
    assert_eq!(in_b.len(), 2, "one namespace");

    let one = configmaps.object(Some(&a.name), "one");
    assert!(c.block_on(k.get(&one)).unwrap().is_some());
    assert!(matches!(
        c.block_on(k.delete(&one, Propagation::Background)).unwrap(),
        Deleted::Gone
    ));
    assert!(
        c.block_on(k.get(&one)).unwrap().is_none(),
        "absent after delete"
    );
    assert!(matches!(
        c.block_on(k.delete(&one, Propagation::Background)).unwrap(),
        Deleted::Absent
    ));

    // No garbage collector runs in the test cluster: a foreground delete stays Terminating,
    // with its deletion timestamp set.
    let dep = c
        .block_on(k.apply(&deployment(&b.name, "fg", 1, "fg"), &ours()))
        .unwrap()
        .object;
    match c.block_on(k.delete(&dep, Propagation::Foreground)).unwrap() {
        Deleted::Terminating(live) => assert!(live.metadata.deletion_timestamp.is_some()),
        Deleted::Gone => {} // a cluster with a garbage collector may be done at once
        other => panic!("{other:?}"),
    }
    if let Some(live) = c.block_on(k.get(&dep)).unwrap() {
        assert!(
            live.metadata.deletion_timestamp.is_some(),
            "deleted: {live:?}"
        );
        // Let it go, so the namespace can be cleaned up.
        let api = k.api(&dep.resource, dep.namespace.as_deref());
        c.block_on(api.patch(
            "fg",
            &PatchParams::default(),
            &Patch::Merge(&json!({"metadata": {"finalizers": null}})),
        ))
        .unwrap();
    }
    for (ns, name) in [(&b.name, "two"), (&b.name, "three")] {
        c.block_on(k.delete(&configmaps.object(Some(ns), name), Propagation::Background))
            .unwrap();
    }
    // A namespace is emptied by the namespace controller before it goes: Terminating, with its
    // deletion timestamp set (the test cluster has no such controller, so it stays so).
    let namespace = c.resource("v1", "Namespace").object(None, &b.name);
    match c
        .block_on(k.delete(&namespace, Propagation::Background))
        .unwrap()
    {
        Deleted::Terminating(live) => {
            assert!(live.metadata.deletion_timestamp.is_some());
            assert_eq!(live.data["status"]["phase"], "Terminating");
        }
        Deleted::Gone => {}
        other => panic!("{other:?}"),
    }
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn discovery_falls_back_to_a_served_version_and_knows_installed_crds() {
    let c = cluster();
    c.load_istio_crds();
    let k = c.kube();
    let version = c.block_on(k.server_version()).unwrap();
    let cron = c
        .block_on(k.find("batch/v1", "CronJob"))
        .unwrap()
        .expect("CronJob is served at some version");
    if version.minor < 21 {
        // batch/v1 CronJob came with 1.21.
        assert_eq!(cron.resource.api_version, "batch/v1beta1");
        assert_eq!(cron.fallback_from.as_deref(), Some("batch/v1"));
        let err = c
            .block_on(k.resolve_exact("batch/v1", "CronJob"))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the cluster does not serve batch/v1 CronJob (it serves batch/v1beta1)"
        );
    } else {
        assert_eq!(cron.resource.api_version, "batch/v1");
        assert_eq!(cron.fallback_from, None);
    }
    assert!(
        c.block_on(k.is_installed("networking.istio.io", "Gateway"))
            .unwrap()
    );
    // A CRD no test installs (the Gateway API test installs HTTPRoute's for a while).
    assert!(
        !c.block_on(k.is_installed("nothere.example.com", "Thing"))
            .unwrap()
    );
    assert!(
        c.block_on(k.find("nothere.example.com/v1", "Thing"))
            .unwrap()
            .is_none()
    );
    let err = c
        .block_on(k.apply(
            &json!({"apiVersion": "nothere.example.com/v1", "kind": "Thing",
            "metadata": {"name": "x"}}),
            &ours(),
        ))
        .unwrap_err();
    assert!(matches!(err, KubeError::NotServed { .. }), "{err}");
    assert!(err.hint().unwrap().contains("install the CRD"), "{err}");
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn the_server_version_is_checked_against_a_range_and_the_apis_needed() {
    let c = cluster();
    let k = c.kube();
    let v = c.block_on(k.server_version()).unwrap();
    assert_eq!(v.major, 1);
    assert!(
        v.git_version.starts_with(&format!("v1.{}", v.minor)),
        "{v:?}"
    );
    let any = VersionRange {
        min: (1, 16),
        max: None,
    };
    assert_eq!(
        c.block_on(k.check_server(&any, &[("apps/v1", "Deployment")]))
            .unwrap(),
        v
    );
    let newer = VersionRange {
        min: (1, v.minor + 1),
        max: Some((1, v.minor + 5)),
    };
    let err = c.block_on(k.check_server(&newer, &[])).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "the API server {} is outside the supported range 1.{} to 1.{}",
            v.git_version,
            v.minor + 1,
            v.minor + 5
        )
    );
    if v.minor < 21 {
        // The 1.20 test server has neither autoscaling/v2 nor policy/v1.
        let err = c
            .block_on(k.check_server(
                &any,
                &[
                    ("autoscaling/v2", "HorizontalPodAutoscaler"),
                    ("policy/v1", "PodDisruptionBudget"),
                    ("apps/v1", "Deployment"),
                ],
            ))
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with(&format!(
                "the API server {} lacks what is needed:",
                v.git_version
            )),
            "{text}"
        );
        assert!(
            text.contains("autoscaling/v2 HorizontalPodAutoscaler (it serves autoscaling/v1, autoscaling/v2beta1, autoscaling/v2beta2 only)"),
            "{text}"
        );
        assert!(
            text.contains("policy/v1 PodDisruptionBudget (it serves policy/v1beta1 only)"),
            "{text}"
        );
        assert!(!text.contains("apps/v1"), "{text}");
    }
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn impersonation_is_refused_or_allowed_as_rbac_says() {
    let c = cluster();
    let ns = c.namespace("imp");
    let secrets = c.resource("v1", "Secret").resource;
    let pods = c.resource("v1", "Pod").resource;
    // The admin acting as the user without grants may read nothing.
    let as_restricted = connect_as(&c, &c.kubeconfig, Some("restricted"), &[]);
    let err = c
        .block_on(as_restricted.list(&pods, Some(&ns.name), ""))
        .unwrap_err();
    let KubeError::Forbidden { action, message } = &err else {
        panic!("forbidden, not {err:?}");
    };
    assert_eq!(action, &format!("list pods in namespace {}", ns.name));
    assert!(
        message.contains("User \"restricted\" cannot list resource \"pods\""),
        "{message}"
    );
    assert!(err.hint().unwrap().contains("kubectl auth can-i"));
    // Once granted, pods may be listed, and Secrets still not.
    ns.grant_restricted_namespace_reader();
    let deadline = Instant::now() + Duration::from_secs(10);
    while c
        .block_on(as_restricted.list(&pods, Some(&ns.name), ""))
        .is_err()
    {
        assert!(Instant::now() < deadline, "the grant takes effect");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(matches!(
        c.block_on(as_restricted.list(&secrets, Some(&ns.name), "")),
        Err(KubeError::Forbidden { .. })
    ));
    // A group impersonated with the user adds the group's rights.
    let as_master = connect_as(&c, &c.kubeconfig, Some("restricted"), &["system:masters"]);
    c.block_on(as_master.list(&secrets, Some(&ns.name), ""))
        .unwrap();
    // The restricted user may not impersonate anyone.
    let escalate = connect_as(&c, &c.restricted(), Some("admin"), &[]);
    let err = c
        .block_on(escalate.list(&pods, Some(&ns.name), ""))
        .unwrap_err();
    assert!(
        matches!(&err, KubeError::Forbidden { message, .. } if message.contains("cannot impersonate")),
        "{err}"
    );
    // Groups without a user are refused before anything is sent.
    let err = c
        .block_on(meshdeck::kube::connect(&ConnectOptions {
            kubeconfig: Some(c.kubeconfig.clone()),
            as_groups: vec!["system:masters".into()],
            ..Default::default()
        }))
        .unwrap_err();
    assert!(err.to_string().contains("--as-group"), "{err}");
}

/// An HTTP CONNECT proxy on loopback that records the targets it was asked for.
fn connect_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let record = record.clone();
            std::thread::spawn(move || {
                let mut client = client;
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read(&mut byte).unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).to_string();
                let target = head.split_whitespace().nth(1).unwrap_or("").to_string();
                record
                    .lock()
                    .unwrap()
                    .push(head.lines().next().unwrap_or("").to_string());
                let Ok(upstream) = TcpStream::connect(&target) else {
                    let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n");
                    return;
                };
                client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .unwrap();
                let (mut c2, mut u2) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
                let (mut c1, mut u1) = (client, upstream);
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut c2, &mut u2);
                    let _ = u2.shutdown(std::net::Shutdown::Write);
                });
                let _ = std::io::copy(&mut u1, &mut c1);
                let _ = c1.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    (format!("http://{addr}"), seen)
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn the_kubeconfig_proxy_url_is_used() {
    let c = cluster();
    let (proxy, seen) = connect_proxy();
    let text = std::fs::read_to_string(&c.kubeconfig).unwrap();
    let mut kc = crate::testcluster::documents(&text).remove(0);
    kc["clusters"][0]["cluster"]["proxy-url"] = proxy.clone().into();
    let server = kc["clusters"][0]["cluster"]["server"]
        .as_str()
        .unwrap()
        .to_string();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kubeconfig.json");
    std::fs::write(&path, serde_json::to_string(&kc).unwrap()).unwrap();
    let k = connect_as(&c, &path, None, &[]);
    let v = c.block_on(k.server_version()).unwrap();
    assert_eq!(v.major, 1);
    let authority = server.trim_start_matches("https://");
    assert!(
        seen.lock()
            .unwrap()
            .iter()
            .any(|l| l.starts_with(&format!("CONNECT {authority} "))),
        "the request went through {proxy}: {:?}",
        seen.lock().unwrap()
    );
}

fn write_kubeconfig(dir: &Path, server: &str) -> PathBuf {
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
fn the_request_timeout_bounds_each_request() {
    // A server that accepts connections and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().take(8).flatten() {
            held.push(s);
        }
        std::thread::sleep(Duration::from_secs(30));
    });
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = write_kubeconfig(dir.path(), &format!("https://{addr}"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    let err = rt
        .block_on(async {
            let k = meshdeck::kube::connect(&ConnectOptions {
                kubeconfig: Some(kubeconfig),
                request_timeout: Some(Duration::from_secs(1)),
                ..Default::default()
            })
            .await?;
            k.server_version().await
        })
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        err.to_string()
            .starts_with(&format!("cannot reach the API server at https://{addr}")),
        "{err}"
    );
}

#[test]
fn a_malformed_kubeconfig_is_reported_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken-kubeconfig");
    std::fs::write(
        &bad,
        "apiVersion: v1\nkind: Config\nclusters: [\n  name: x\n",
    )
    .unwrap();
    // Through $KUBECONFIG, where the old code dropped the error and fell back to in-cluster.
    let out = std::process::Command::new(meshdeck())
        .args(["analyze", "-A"])
        .env("KUBECONFIG", &bad)
        .env("NO_COLOR", "1")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("cannot load the kubeconfig {}", bad.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 3 column 11: unclosed bracket"),
        "the line is named: {stderr}"
    );
    // KUBECONFIG naming only files that do not exist says so.
    let missing = dir.path().join("nope");
    let out = std::process::Command::new(meshdeck())
        .args(["analyze", "-A"])
        .env("KUBECONFIG", &missing)
        .env_remove("KUBERNETES_SERVICE_HOST")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "KUBECONFIG names {}, and none of them exists",
            missing.display()
        )),
        "{stderr}"
    );
    // An unknown context is named.
    let good = write_kubeconfig(dir.path(), "https://127.0.0.1:1");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let err = rt
        .block_on(meshdeck::kube::connect(&ConnectOptions {
            kubeconfig: Some(good.clone()),
            context: Some("elsewhere".into()),
            ..Default::default()
        }))
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "cannot load the kubeconfig {}: context \"elsewhere\"",
            good.display()
        )),
        "{text}"
    );
}

/// The admin kubeconfig with its user replaced by `user`.
fn kubeconfig_with_user(c: &TestCluster, dir: &Path, user: Json) -> PathBuf {
    let text = std::fs::read_to_string(&c.kubeconfig).unwrap();
    let mut kc = crate::testcluster::documents(&text).remove(0);
    kc["users"][0]["user"] = user;
    let path = dir.join("kubeconfig.json");
    std::fs::write(&path, serde_json::to_string(&kc).unwrap()).unwrap();
    path
}

fn exec_plugin(script: &str) -> Json {
    json!({"exec": {"apiVersion": "client.authentication.k8s.io/v1beta1", "command": "/bin/sh",
        "args": ["-c", script], "interactiveMode": "Never"}})
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn exec_credential_plugins_give_the_token_and_their_failures_are_named() {
    let c = cluster();
    let token = std::env::var("MESHDECK_TEST_ADMIN_TOKEN")
        .expect("scripts/test-cluster exports MESHDECK_TEST_ADMIN_TOKEN");
    let dir = tempfile::tempdir().unwrap();
    let ran = dir.path().join("ran");
    // The plugin reads the token from its environment, as real plugins read their cache.
    let script = format!(
        "touch '{}'; printf '{{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"%s\"}}}}' \"$MESHDECK_TEST_ADMIN_TOKEN\"",
        ran.display()
    );
    assert!(!token.is_empty());
    let path = kubeconfig_with_user(&c, dir.path(), exec_plugin(&script));
    let k = connect_as(&c, &path, None, &[]);
    let namespaces = c.resource("v1", "Namespace").resource;
    c.block_on(k.list(&namespaces, None, "")).unwrap();
    assert!(ran.exists(), "the plugin ran");

    // A failing plugin is named with its stderr, never with its stdout.
    let failing =
        "echo not-a-credential-but-secret-ish; echo 'login required: run sso login' >&2; exit 1";
    let path = kubeconfig_with_user(&c, dir.path(), exec_plugin(failing));
    let err = c
        .block_on(async {
            let k = meshdeck::kube::connect(&ConnectOptions {
                kubeconfig: Some(path.clone()),
                ..Default::default()
            })
            .await?;
            k.list(&namespaces, None, "").await
        })
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("login required: run sso login"), "{text}");
    assert!(!text.contains("secret-ish"), "stdout is not shown: {text}");
    assert!(
        !text.contains("cannot reach"),
        "not a network failure: {text}"
    );
}

fn analyze_with_env(c: &TestCluster, env: &[(&str, &str)]) -> (Option<i32>, String) {
    let mut cmd = std::process::Command::new(meshdeck());
    cmd.args(["analyze", "-A", "--kubeconfig"])
        .arg(&c.kubeconfig)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("KUBECONFIG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn https_proxy_from_the_environment_is_used_unless_no_proxy_names_the_server() {
    let c = cluster();
    let (proxy, seen) = connect_proxy();
    let through = |seen: &Arc<Mutex<Vec<String>>>| {
        seen.lock()
            .unwrap()
            .iter()
            .filter(|l| l.starts_with("CONNECT 127.0.0.1:"))
            .count()
    };
    let (code, stderr) = analyze_with_env(&c, &[("HTTPS_PROXY", &proxy)]);
    assert!(matches!(code, Some(0 | 79)), "{stderr}");
    let first = through(&seen);
    assert!(
        first > 0,
        "analyze went through the proxy: {:?}",
        seen.lock().unwrap()
    );

    // NO_PROXY is about the server (127.0.0.1 here), not the proxy (named localhost): naming
    // the proxy's host keeps the proxy, naming the server's bypasses it.
    let by_name = proxy.replace("127.0.0.1", "localhost");
    let (code, stderr) =
        analyze_with_env(&c, &[("HTTPS_PROXY", &by_name), ("NO_PROXY", "localhost")]);
    assert!(matches!(code, Some(0 | 79)), "{stderr}");
    let second = through(&seen);
    assert!(second > first, "still through the proxy");
    let (code, stderr) = analyze_with_env(
        &c,
        &[
            ("HTTPS_PROXY", &by_name),
            ("no_proxy", "10.0.0.0/8,127.0.0.1"),
        ],
    );
    assert!(matches!(code, Some(0 | 79)), "{stderr}");
    assert_eq!(through(&seen), second, "the server is reached directly");
}
