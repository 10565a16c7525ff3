use serde_json::json;

use super::*;
use crate::traffic::{Service, ServicePort, Workload, parse_split};

fn deployment(name: &str, version: &str) -> Workload {
    Workload {
        kind: "Deployment".into(),
        name: name.into(),
        labels: [("app", "reviews"), ("version", version)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ready: 1,
        total: 1,
        owned: false,
    }
}

fn service(name: &str, selector: Json) -> Json {
    json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": name, "namespace": "shop"},
        "spec": {"selector": selector,
            "ports": [{"name": "http", "port": 9080, "targetPort": 9080, "protocol": "TCP"}]}})
}

/// reviews with v1..v3, and the bookinfo-versions.yaml Services for v1 and v2 only.
fn current(routes: Vec<Json>) -> Current {
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
        ],
        services: vec![
            service("reviews", json!({"app": "reviews"})),
            service("reviews-v1", json!({"app": "reviews", "version": "v1"})),
            // Not named after the version, still the Service of v2.
            service("reviews-canary", json!({"app": "reviews", "version": "v2"})),
            // Another app's Service that happens to carry version=v3: not reviews' v3.
            service("ratings-v3", json!({"app": "ratings", "version": "v3"})),
        ],
        http_routes: routes,
        gateway_api_version: "gateway.networking.k8s.io/v1".into(),
        ..Current::default()
    }
}

fn shift(c: &Current, to: &str, opts: &ShiftOptions) -> Result<ShiftPlan, ShiftError> {
    plan_shift(c, &parse_split(to).unwrap(), opts)
}

fn after<'a>(plan: &'a ShiftPlan, kind: &str, name: &str) -> &'a Json {
    &plan
        .changes
        .iter()
        .find(|c| c.kind == kind && c.name == name)
        .unwrap_or_else(|| panic!("no {kind} {name} in {plan:#?}"))
        .after
}

#[test]
fn without_a_route_it_writes_the_bookinfo_shaped_http_route() {
    let plan = shift(&current(vec![]), "v1=90,v2=10", &ShiftOptions::default()).unwrap();
    assert_eq!(
        plan.changes.len(),
        1,
        "the version Services exist: {plan:#?}"
    );
    let route = after(&plan, "HTTPRoute", "reviews");
    assert_eq!(route["apiVersion"], "gateway.networking.k8s.io/v1");
    assert_eq!(
        route["spec"],
        json!({"parentRefs": [{"group": "", "kind": "Service", "name": "reviews", "port": 9080}],
            "rules": [{"backendRefs": [
                {"name": "reviews-v1", "port": 9080, "weight": 90},
                {"name": "reviews-canary", "port": 9080, "weight": 10}]}]})
    );
    assert_eq!(
        route["metadata"]["labels"]["kiali_wizard"],
        "k8s_request_routing"
    );
    assert_eq!(
        route["metadata"]["annotations"][crate::traffic::CREATED_ANNOTATION],
        "true"
    );
    assert_eq!(plan.subsets["v2"], "reviews-canary");
}

#[test]
fn missing_version_services_are_named_and_created_only_when_asked() {
    let c = current(vec![]);
    let err = shift(&c, "v1=50,v3=50", &ShiftOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Service shop/reviews: no per-version Service selects the workloads of v3 (an HTTPRoute weights Services, one per version)"
    );
    assert!(
        err.hint()
            .unwrap()
            .contains("--create-version-services to create reviews-v3")
    );
    let opts = ShiftOptions {
        create_version_services: true,
        ..ShiftOptions::default()
    };
    let plan = shift(&c, "v1=50,v3=50", &opts).unwrap();
    let created = after(&plan, "Service", "reviews-v3");
    assert_eq!(
        created["spec"],
        json!({"selector": {"app": "reviews", "version": "v3"},
            "ports": [{"name": "http", "port": 9080, "targetPort": 9080, "protocol": "TCP"}]})
    );
    assert!(created["metadata"].get("labels").is_none());
    assert_eq!(plan.changes[0].kind, "Service", "Services before the route");
    let route = after(&plan, "HTTPRoute", "reviews");
    assert_eq!(
        route["spec"]["rules"][0]["backendRefs"][1]["name"],
        "reviews-v3"
    );
    // A Service of that name that selects something else is not taken over.
    let mut c = current(vec![]);
    c.services
        .push(service("reviews-v3", json!({"app": "reviews"})));
    let err = shift(&c, "v3", &opts).unwrap_err();
    assert!(matches!(err, ShiftError::NameTaken { .. }), "{err}");
}

fn user_route() -> Json {
    json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
        "metadata": {"name": "reviews-mesh", "namespace": "shop", "resourceVersion": "7"},
        "spec": {"parentRefs": [{"group": "", "kind": "Service", "name": "reviews", "port": 9080}],
            "rules": [
                {"matches": [{"headers": [{"name": "end-user", "value": "jason"}]}],
                 "backendRefs": [{"name": "reviews-canary", "port": 9080}]},
                {"timeouts": {"request": "2s"},
                 "backendRefs": [
                    {"name": "reviews-v1", "port": 9080, "weight": 3,
                     "filters": [{"type": "ResponseHeaderModifier",
                                  "responseHeaderModifier": {"add": [{"name": "x-v", "value": "1"}]}}]},
                    {"name": "reviews", "port": 9080, "weight": 1}]}]}})
}

#[test]
fn merging_changes_only_the_default_rules_backends() {
    let c = current(vec![user_route()]);
    let plan = shift(&c, "v1=80,v2=20", &ShiftOptions::default()).unwrap();
    let route = after(&plan, "HTTPRoute", "reviews-mesh");
    let rules = &route["spec"]["rules"];
    assert_eq!(
        rules[0],
        user_route()["spec"]["rules"][0],
        "the header rule stays"
    );
    assert_eq!(rules[1]["timeouts"], json!({"request": "2s"}));
    let refs = &rules[1]["backendRefs"];
    assert_eq!(refs.as_array().unwrap().len(), 2);
    assert_eq!(refs[0]["weight"], 80);
    assert_eq!(
        refs[0]["filters"],
        user_route()["spec"]["rules"][1]["backendRefs"][0]["filters"],
        "an existing backend keeps its filters"
    );
    assert_eq!(
        refs[1],
        json!({"name": "reviews-canary", "port": 9080, "weight": 20})
    );
    let change = &plan.changes[0];
    assert_eq!(change.apply["metadata"]["resourceVersion"], "7");
    assert_eq!(
        serde_json::from_str::<Json>(
            change.after["metadata"]["annotations"][crate::traffic::PREVIOUS_SPEC_ANNOTATION]
                .as_str()
                .unwrap()
        )
        .unwrap(),
        user_route()["spec"]
    );
    // Reset gives the spec back and deletes nothing the user wrote.
    let c = current(vec![change.after.clone()]);
    let reset = plan_reset(&c).unwrap();
    assert!(reset.deletions.is_empty());
    assert_eq!(reset.changes[0].after["spec"], user_route()["spec"]);
}

#[test]
fn several_attached_routes_or_default_rules_are_refused_unless_named() {
    let mut other = user_route();
    other["metadata"]["name"] = json!("reviews-b");
    let c = current(vec![user_route(), other]);
    let err = shift(&c, "v1", &ShiftOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "2 HTTPRoutes are attached to Service shop/reviews: reviews-mesh, reviews-b"
    );
    let opts = ShiftOptions {
        http_route: Some("reviews-b".into()),
        ..ShiftOptions::default()
    };
    assert!(shift(&c, "v1", &opts).is_ok());
    let mut two = user_route();
    // The server's default for matches is a match of every request.
    two["spec"]["rules"][0]["matches"] = json!([{"path": {"type": "PathPrefix", "value": "/"}}]);
    let err = shift(&current(vec![two]), "v1", &ShiftOptions::default()).unwrap_err();
    assert!(matches!(err, ShiftError::AmbiguousRoute { .. }), "{err}");
    // A route of another Service is not this one's.
    let mut foreign = user_route();
    foreign["spec"]["parentRefs"][0]["name"] = json!("ratings");
    let plan = shift(&current(vec![foreign]), "v1", &ShiftOptions::default()).unwrap();
    assert!(
        plan.changes
            .iter()
            .any(|c| c.is_new() && c.name == "reviews")
    );
}

#[test]
fn show_gives_percentages_of_proportional_weights() {
    let c = current(vec![user_route()]);
    let split = current_split(&c, &ShiftOptions::default()).unwrap();
    assert_eq!(
        split.routed_by.as_deref(),
        Some("HTTPRoute shop/reviews-mesh")
    );
    let rows: Vec<(&str, Option<&str>, u32)> = split
        .rows
        .iter()
        .map(|r| (r.version.as_str(), r.subset.as_deref(), r.weight))
        .collect();
    // Weights 3 and 1: 75% and 25%; `reviews` itself is no version.
    assert_eq!(
        rows,
        [
            ("v1", Some("reviews-v1"), 75),
            ("v2", None, 0),
            ("v3", None, 0)
        ]
    );
    assert_eq!(split.other, ["reviews=25%"]);
}

#[test]
fn reset_deletes_the_route_and_version_services_meshdeck_created() {
    let opts = ShiftOptions {
        create_version_services: true,
        ..ShiftOptions::default()
    };
    let plan = shift(&current(vec![]), "v1=50,v3=50", &opts).unwrap();
    let mut c = current(vec![after(&plan, "HTTPRoute", "reviews").clone()]);
    c.services
        .push(after(&plan, "Service", "reviews-v3").clone());
    let reset = plan_reset(&c).unwrap();
    let gone: Vec<String> = reset.deletions.iter().map(|d| d.describe()).collect();
    assert_eq!(gone, ["HTTPRoute shop/reviews", "Service shop/reviews-v3"]);
    assert!(reset.changes.is_empty());
}
