use serde_json::json;

use super::*;
use crate::traffic::{
    CREATED_ANNOTATION, PREVIOUS_SPEC_ANNOTATION, Service, ServicePort, Workload, parse_split,
};

fn deployment(name: &str, version: &str) -> Workload {
    Workload {
        kind: "Deployment".into(),
        name: name.into(),
        labels: [("app", "reviews"), ("version", version)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ready: 1,
        total: 2,
        owned: false,
    }
}

fn current(vs: Vec<Json>, dr: Vec<Json>) -> Current {
    Current {
        service: Service {
            name: "reviews".into(),
            namespace: "shop".into(),
            selector: [("app".to_string(), "reviews".to_string())].into(),
            ports: vec![ServicePort {
                name: "http".into(),
                port: 9080,
                app_protocol: None,
            }],
        },
        workloads: vec![
            deployment("reviews-v1", "v1"),
            deployment("reviews-v2", "v2"),
            deployment("reviews-v3", "v3"),
            // Another app's workload: not a version of reviews.
            Workload {
                labels: [("app", "ratings"), ("version", "v9")]
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                ..deployment("ratings-v9", "v9")
            },
        ],
        virtual_services: vs,
        destination_rules: dr,
        istio_api_version: "networking.istio.io/v1".into(),
        ..Current::default()
    }
}

fn shift(c: &Current, to: &str) -> Result<ShiftPlan, ShiftError> {
    plan_shift(c, &parse_split(to).unwrap(), &ShiftOptions::default())
}

fn after<'a>(plan: &'a ShiftPlan, kind: &str) -> &'a Json {
    &plan
        .changes
        .iter()
        .find(|c| c.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} in {plan:#?}"))
        .after
}

#[test]
fn without_routing_it_creates_kiali_shaped_objects() {
    let plan = shift(&current(vec![], vec![]), "v2=80,v3=20").unwrap();
    assert_eq!(plan.changes.len(), 2);
    let dr = after(&plan, "DestinationRule");
    assert_eq!(
        dr["spec"],
        json!({"host": "reviews.shop.svc.cluster.local", "subsets": [
            {"name": "v2", "labels": {"version": "v2"}},
            {"name": "v3", "labels": {"version": "v3"}},
        ]})
    );
    assert_eq!(dr["metadata"]["labels"]["kiali_wizard"], "traffic_shifting");
    let vs = after(&plan, "VirtualService");
    assert_eq!(
        vs["spec"],
        json!({"hosts": ["reviews"], "http": [{"route": [
            {"destination": {"host": "reviews.shop.svc.cluster.local", "subset": "v2"}, "weight": 80},
            {"destination": {"host": "reviews.shop.svc.cluster.local", "subset": "v3"}, "weight": 20},
        ]}]})
    );
    assert_eq!(vs["apiVersion"], "networking.istio.io/v1");
    for c in &plan.changes {
        assert!(c.is_new());
        // Apply sends no resourceVersion for new objects, and marks them as meshdeck's.
        assert!(c.apply["metadata"].get("resourceVersion").is_none());
        assert_eq!(
            c.apply["metadata"]["annotations"][CREATED_ANNOTATION],
            "true"
        );
        assert_eq!(
            c.apply["metadata"]["labels"]["kiali_wizard"],
            "traffic_shifting"
        );
    }
}

fn user_vs() -> Json {
    json!({
        "apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
        "metadata": {"name": "reviews-routes", "namespace": "shop", "resourceVersion": "41",
            "annotations": {"team": "books"}},
        "spec": {
            "hosts": ["reviews"],
            "http": [
                {"name": "jason", "match": [{"headers": {"end-user": {"exact": "jason"}}}],
                 "route": [{"destination": {"host": "reviews", "subset": "v2"}}]},
                {"name": "default",
                 "retries": {"attempts": 3, "perTryTimeout": "2s"},
                 "fault": {"delay": {"percentage": {"value": 10}, "fixedDelay": "5s"}},
                 "timeout": "10s",
                 "route": [{"destination": {"host": "reviews", "subset": "v1", "port": {"number": 9080}},
                            "headers": {"response": {"add": {"x-v": "1"}}}}]},
            ]
        }
    })
}

fn user_dr() -> Json {
    json!({
        "apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
        "metadata": {"name": "reviews-dr", "namespace": "shop", "resourceVersion": "40"},
        "spec": {
            "host": "reviews.shop.svc.cluster.local",
            "trafficPolicy": {"loadBalancer": {"simple": "LEAST_REQUEST"}},
            "subsets": [
                {"name": "v1", "labels": {"version": "v1"}},
                // Selects exactly v3's workloads under another name: reused.
                {"name": "canary", "labels": {"version": "v3", "app": "reviews"},
                 "trafficPolicy": {"connectionPool": {"tcp": {"maxConnections": 10}}}},
                // Selects no workload of the service: left alone.
                {"name": "legacy", "labels": {"track": "old"}},
            ]
        }
    })
}

#[test]
fn merging_changes_only_the_default_route_and_adds_missing_subsets() {
    let c = current(vec![user_vs()], vec![user_dr()]);
    let plan = shift(&c, "v2=80,v3=20").unwrap();
    assert_eq!(
        plan.subsets["v3"], "canary",
        "the existing subset is reused"
    );
    assert_eq!(plan.subsets["v2"], "v2");

    let dr = after(&plan, "DestinationRule");
    let mut want_dr = user_dr()["spec"].clone();
    want_dr["subsets"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "v2", "labels": {"version": "v2"}}));
    assert_eq!(dr["spec"], want_dr, "subsets and traffic policies stay");

    let vs = after(&plan, "VirtualService");
    let mut want = user_vs()["spec"].clone();
    want["http"][1]["route"] = json!([
        {"destination": {"host": "reviews", "subset": "v2", "port": {"number": 9080}}, "weight": 80},
        {"destination": {"host": "reviews", "subset": "canary", "port": {"number": 9080}}, "weight": 20},
    ]);
    assert_eq!(
        vs["spec"], want,
        "the header-match route, retries, fault and timeout stay"
    );
    // The user's objects keep their names and the spec from before is kept for --reset.
    assert_eq!(vs["metadata"]["name"], "reviews-routes");
    let previous = vs["metadata"]["annotations"][PREVIOUS_SPEC_ANNOTATION]
        .as_str()
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Json>(previous).unwrap(),
        user_vs()["spec"]
    );
    let change = plan
        .changes
        .iter()
        .find(|c| c.kind == "VirtualService")
        .unwrap();
    assert_eq!(
        change.apply["metadata"]["resourceVersion"], "41",
        "the precondition"
    );
    assert!(
        change.apply["metadata"]["annotations"]
            .get("team")
            .is_none(),
        "only meshdeck's annotations are applied"
    );
    assert!(change.apply["metadata"].get("labels").is_none());
}

#[test]
fn an_existing_destination_keeps_its_own_fields() {
    let c = current(vec![user_vs()], vec![user_dr()]);
    let plan = shift(&c, "v1=50,v2=50").unwrap();
    let vs = after(&plan, "VirtualService");
    assert_eq!(
        vs["spec"]["http"][1]["route"][0],
        json!({"destination": {"host": "reviews", "subset": "v1", "port": {"number": 9080}},
               "headers": {"response": {"add": {"x-v": "1"}}}, "weight": 50})
    );
}

#[test]
fn a_route_of_only_match_rules_gets_a_default_route_appended() {
    let mut vs = user_vs();
    vs["spec"]["http"].as_array_mut().unwrap().remove(1);
    let plan = shift(&current(vec![vs.clone()], vec![user_dr()]), "v1").unwrap();
    let http = after(&plan, "VirtualService")["spec"]["http"].clone();
    assert_eq!(http[0], vs["spec"]["http"][0]);
    assert_eq!(
        http[1],
        json!({"route": [{"destination": {"host": "reviews", "subset": "v1"}, "weight": 100}]})
    );
}

#[test]
fn several_default_routes_are_refused_unless_one_is_named() {
    let mut vs = user_vs();
    vs["spec"]["http"][0]
        .as_object_mut()
        .unwrap()
        .remove("match");
    let c = current(vec![vs], vec![user_dr()]);
    let e = shift(&c, "v2").unwrap_err();
    assert_eq!(
        e.to_string(),
        "VirtualService shop/reviews-routes has 2 routes without a match in spec.http: \"jason\" (spec.http[0]), \"default\" (spec.http[1])"
    );
    assert!(e.hint().unwrap().contains("--route"));
    let opts = ShiftOptions {
        route: Some("default".into()),
        ..ShiftOptions::default()
    };
    let plan = plan_shift(&c, &parse_split("v2").unwrap(), &opts).unwrap();
    let http = &after(&plan, "VirtualService")["spec"]["http"];
    assert_eq!(http[1]["route"][0]["destination"]["subset"], "v2");
    assert_eq!(http[0]["route"][0]["destination"]["subset"], "v2");
    let opts = ShiftOptions {
        route: Some("nope".into()),
        ..ShiftOptions::default()
    };
    let e = plan_shift(&c, &parse_split("v2").unwrap(), &opts).unwrap_err();
    assert!(matches!(e, ShiftError::RouteNotFound { .. }), "{e}");
}

#[test]
fn several_virtual_services_for_the_host_are_refused_unless_one_is_named() {
    let mut other = user_vs();
    other["metadata"]["name"] = json!("reviews-other");
    other["spec"]["hosts"] = json!(["reviews.shop.svc.cluster.local"]);
    let c = current(vec![user_vs(), other], vec![user_dr()]);
    let e = shift(&c, "v2").unwrap_err();
    assert_eq!(
        e.to_string(),
        "2 VirtualServices route the host of shop/reviews: reviews-routes, reviews-other"
    );
    assert!(e.hint().unwrap().contains("--virtual-service"));
    let opts = ShiftOptions {
        virtual_service: Some("reviews-other".into()),
        ..ShiftOptions::default()
    };
    let plan = plan_shift(&c, &parse_split("v2").unwrap(), &opts).unwrap();
    assert_eq!(
        after(&plan, "VirtualService")["metadata"]["name"],
        "reviews-other"
    );
}

#[test]
fn unknown_versions_list_the_known_ones_unless_missing_ones_are_allowed() {
    let c = current(vec![], vec![]);
    let e = shift(&c, "v2=50,v4=50").unwrap_err();
    assert_eq!(
        e.to_string(),
        "Service shop/reviews: no version v4 among its workloads (known versions of label \"version\": v1, v2, v3)"
    );
    assert!(e.hint().unwrap().contains("--allow-missing"));
    let opts = ShiftOptions {
        allow_missing: true,
        ..ShiftOptions::default()
    };
    let plan = plan_shift(&c, &parse_split("v2=50,v4=50").unwrap(), &opts).unwrap();
    assert_eq!(
        after(&plan, "DestinationRule")["spec"]["subsets"][1],
        json!({"name": "v4", "labels": {"version": "v4"}})
    );
    // Another version label: the values differ.
    let opts = ShiftOptions {
        version_label: "track".into(),
        ..ShiftOptions::default()
    };
    let e = plan_shift(&c, &parse_split("v2").unwrap(), &opts).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("(known versions of label \"track\": none)"),
        "{e}"
    );
}

#[test]
fn a_subset_name_that_selects_another_version_is_refused() {
    let mut dr = user_dr();
    dr["spec"]["subsets"][0]["labels"] = json!({"version": "v3"});
    let e = shift(&current(vec![], vec![dr]), "v1").unwrap_err();
    assert_eq!(
        e.to_string(),
        "DestinationRule shop/reviews-dr: subset \"v1\" exists but does not select exactly the workloads of version v1"
    );
}

#[test]
fn several_destination_rules_for_the_host_are_refused() {
    let mut other = user_dr();
    other["metadata"]["name"] = json!("reviews-2");
    let e = shift(&current(vec![], vec![user_dr(), other]), "v1").unwrap_err();
    assert!(
        matches!(e, ShiftError::AmbiguousDestinationRule { .. }),
        "{e}"
    );
}

#[test]
fn a_service_without_selector_is_refused() {
    let mut c = current(vec![], vec![]);
    c.service.selector.clear();
    assert!(matches!(
        shift(&c, "v1").unwrap_err(),
        ShiftError::NoSelector(_)
    ));
}

#[test]
fn a_tcp_service_gets_a_tcp_route() {
    let mut c = current(vec![], vec![]);
    c.service.ports = vec![ServicePort {
        name: "tcp-db".into(),
        port: 27017,
        app_protocol: None,
    }];
    let plan = shift(&c, "v1=10,v2=90").unwrap();
    let vs = after(&plan, "VirtualService");
    assert!(vs["spec"].get("http").is_none());
    assert_eq!(vs["spec"]["tcp"][0]["route"][1]["weight"], 90);
    assert_eq!(
        vs["metadata"]["labels"]["kiali_wizard"],
        "tcp_traffic_shifting"
    );
    // An existing TCP VirtualService is merged into the same way.
    let existing = json!({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
        "metadata": {"name": "db", "namespace": "shop"},
        "spec": {"hosts": ["reviews"], "tcp": [
            {"match": [{"port": 27018}], "route": [{"destination": {"host": "reviews", "subset": "v1"}}]},
            {"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}});
    c.virtual_services = vec![existing];
    let plan = shift(&c, "v2").unwrap();
    let tcp = &after(&plan, "VirtualService")["spec"]["tcp"];
    assert_eq!(tcp[0]["route"][0]["destination"]["subset"], "v1");
    assert_eq!(
        tcp[1]["route"],
        json!([{"destination": {"host": "reviews", "subset": "v2"}, "weight": 100}])
    );
}

#[test]
fn a_service_with_http_and_tcp_ports_gets_the_split_on_both_lists() {
    let mut c = current(vec![], vec![]);
    c.service.ports.push(ServicePort {
        name: "metrics".into(),
        port: 9090,
        app_protocol: Some("tcp".into()),
    });
    let plan = shift(&c, "v1=30,v2=70").unwrap();
    let vs = after(&plan, "VirtualService");
    for list in ["http", "tcp"] {
        let route = &vs["spec"][list][0]["route"];
        assert_eq!(route[0]["destination"]["subset"], "v1", "{list}");
        assert_eq!(route[0]["weight"], 30, "{list}");
        assert_eq!(route[1]["weight"], 70, "{list}");
    }
    assert_eq!(vs["metadata"]["labels"]["kiali_wizard"], "traffic_shifting");
    // --route names a rule in either list; the other list's default route is edited.
    let existing = json!({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
        "metadata": {"name": "reviews", "namespace": "shop"},
        "spec": {"hosts": ["reviews"],
            "http": [{"name": "main", "route": [{"destination": {"host": "reviews", "subset": "v1"}}]}],
            "tcp": [{"name": "raw-a", "route": [{"destination": {"host": "reviews", "subset": "v1"}}]},
                    {"name": "raw-b", "route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}});
    c.virtual_services = vec![existing];
    let opts = ShiftOptions {
        route: Some("raw-b".into()),
        ..ShiftOptions::default()
    };
    let plan = plan_shift(&c, &parse_split("v2").unwrap(), &opts).unwrap();
    let spec = &after(&plan, "VirtualService")["spec"];
    assert_eq!(spec["tcp"][0]["route"][0]["destination"]["subset"], "v1");
    assert_eq!(spec["tcp"][1]["route"][0]["destination"]["subset"], "v2");
    assert_eq!(spec["http"][0]["route"][0]["destination"]["subset"], "v2");
    let opts = ShiftOptions {
        route: Some("nope".into()),
        ..ShiftOptions::default()
    };
    let err = plan_shift(&c, &parse_split("v2").unwrap(), &opts).unwrap_err();
    assert_eq!(
        err.to_string(),
        "VirtualService shop/reviews has no route named \"nope\" in spec.http or spec.tcp"
    );
}

#[test]
fn the_same_split_again_changes_nothing() {
    let first = shift(&current(vec![], vec![]), "v2=80,v3=20").unwrap();
    let live: Vec<Json> = first.changes.iter().map(|c| c.after.clone()).collect();
    let c = current(vec![live[1].clone()], vec![live[0].clone()]);
    assert!(shift(&c, "v2=80,v3=20").unwrap().is_empty());
    // A second shift of an object meshdeck created keeps it marked as created, with no
    // previous spec (reset deletes it).
    let plan = shift(&c, "v2=10,v3=90").unwrap();
    let vs = after(&plan, "VirtualService");
    assert!(
        vs["metadata"]["annotations"]
            .get(PREVIOUS_SPEC_ANNOTATION)
            .is_none()
    );
    let change = plan
        .changes
        .iter()
        .find(|c| c.kind == "VirtualService")
        .unwrap();
    assert_eq!(
        change.apply["metadata"]["labels"]["kiali_wizard"],
        "traffic_shifting"
    );
}

#[test]
fn reset_restores_what_the_user_wrote_and_deletes_what_meshdeck_created() {
    // meshdeck changed the user's VirtualService and created the DestinationRule.
    let first = shift(&current(vec![user_vs()], vec![]), "v2=80,v3=20").unwrap();
    let vs = after(&first, "VirtualService").clone();
    let dr = after(&first, "DestinationRule").clone();
    let untouched = json!({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
        "metadata": {"name": "gateway-routes", "namespace": "shop"},
        "spec": {"hosts": ["reviews.shop"], "http": [{"route": [{"destination": {"host": "reviews"}}]}]}});
    let c = current(vec![vs, untouched], vec![dr]);
    let plan = plan_reset(&c).unwrap();
    assert_eq!(plan.deletions.len(), 1);
    assert_eq!(plan.deletions[0].describe(), "DestinationRule shop/reviews");
    // The delete is guarded by what was read (none here: the objects were never stored).
    assert_eq!(plan.deletions[0].uid, None);
    let mut stored = after(&first, "DestinationRule").clone();
    stored["metadata"]["uid"] = json!("u-1");
    stored["metadata"]["resourceVersion"] = json!("42");
    let plan2 = plan_reset(&current(vec![], vec![stored])).unwrap();
    assert_eq!(plan2.deletions[0].uid.as_deref(), Some("u-1"));
    assert_eq!(plan2.deletions[0].resource_version.as_deref(), Some("42"));
    assert_eq!(plan.changes.len(), 1, "{plan:#?}");
    let restored = &plan.changes[0];
    assert_eq!(restored.after["spec"], user_vs()["spec"]);
    assert!(
        restored.apply["metadata"].get("annotations").is_none(),
        "the previous-spec annotation is dropped"
    );
    // Nothing meshdeck touched: nothing to reset.
    assert!(
        plan_reset(&current(vec![user_vs()], vec![user_dr()]))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn show_reads_the_default_route_per_version() {
    let c = current(vec![user_vs()], vec![user_dr()]);
    let plan = shift(&c, "v2=80,v3=20").unwrap();
    let c = current(
        vec![after(&plan, "VirtualService").clone()],
        vec![after(&plan, "DestinationRule").clone()],
    );
    let split = current_split(&c, &ShiftOptions::default()).unwrap();
    assert_eq!(
        split.routed_by.as_deref(),
        Some("VirtualService shop/reviews-routes")
    );
    let rows: Vec<(&str, Option<&str>, u32, u32, u32)> = split
        .rows
        .iter()
        .map(|r| {
            (
                r.version.as_str(),
                r.subset.as_deref(),
                r.weight,
                r.ready,
                r.total,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("v1", None, 0, 1, 2),
            ("v2", Some("v2"), 80, 1, 2),
            ("v3", Some("canary"), 20, 1, 2)
        ]
    );
    // Without routing every version shows weight 0.
    let split = current_split(&current(vec![], vec![]), &ShiftOptions::default()).unwrap();
    assert!(split.routed_by.is_none());
    assert!(split.rows.iter().all(|r| r.weight == 0));
    assert_eq!(split.rows.len(), 3);
}
