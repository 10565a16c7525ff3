use serde_json::json;

use super::*;
use crate::traffic::{PREVIOUS_SPEC_ANNOTATION, Service, ServicePort, Workload, parse_split};

fn deployment(name: &str, version: &str) -> Workload {
    Workload {
        kind: "Deployment".into(),
        name: name.into(),
        labels: [("app", "yelb-appserver"), ("version", version)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ready: 1,
        total: 1,
        owned: false,
    }
}

fn node(name: &str, labels: Json) -> Json {
    json!({"apiVersion": "appmesh.k8s.aws/v1beta2", "kind": "VirtualNode",
        "metadata": {"name": name, "namespace": "yelb"},
        "spec": {"awsName": format!("{name}-virtual-node"), "podSelector": {"matchLabels": labels},
            "listeners": [{"portMapping": {"port": 4567, "protocol": "http"}}]}})
}

/// The yelb walkthrough's router, its VirtualService, and one VirtualNode per version.
fn yelb_router() -> Json {
    json!({"apiVersion": "appmesh.k8s.aws/v1beta2", "kind": "VirtualRouter",
        "metadata": {"name": "yelb-appserver", "namespace": "yelb", "resourceVersion": "5"},
        "spec": {"awsName": "yelb-appserver-virtual-router",
            "listeners": [{"portMapping": {"port": 4567, "protocol": "http"}}],
            "routes": [{"name": "route-to-yelb-appserver", "httpRoute": {
                "match": {"prefix": "/"},
                "action": {"weightedTargets": [{"virtualNodeRef": {"name": "yelb-appserver"}, "weight": 1}]},
                "retryPolicy": {"maxRetries": 2, "perRetryTimeout": {"unit": "ms", "value": 2000},
                    "httpRetryEvents": ["server-error"]}}}]}})
}

fn yelb_vs(provider: Json) -> Json {
    json!({"apiVersion": "appmesh.k8s.aws/v1beta2", "kind": "VirtualService",
        "metadata": {"name": "yelb-appserver", "namespace": "yelb"},
        "spec": {"awsName": "yelb-appserver", "provider": provider}})
}

fn current(vs: Vec<Json>, routers: Vec<Json>) -> Current {
    Current {
        service: Service {
            name: "yelb-appserver".into(),
            namespace: "yelb".into(),
            selector: [("app".to_string(), "yelb-appserver".to_string())].into(),
            ports: vec![ServicePort {
                name: "http".into(),
                port: 4567,
                app_protocol: None,
            }],
        },
        workloads: vec![
            deployment("yelb-appserver", "v1"),
            deployment("yelb-appserver-v2", "v2"),
        ],
        mesh_virtual_services: vs,
        virtual_routers: routers,
        virtual_nodes: vec![
            node(
                "yelb-appserver",
                json!({"app": "yelb-appserver", "version": "v1"}),
            ),
            node(
                "yelb-appserver-v2",
                json!({"app": "yelb-appserver", "version": "v2"}),
            ),
            // Selects both versions: no version's node.
            node("yelb-appserver-all", json!({"app": "yelb-appserver"})),
        ],
        appmesh_api_version: "appmesh.k8s.aws/v1beta2".into(),
        ..Current::default()
    }
}

fn router_provider() -> Json {
    json!({"virtualRouter": {"virtualRouterRef": {"name": "yelb-appserver"}}})
}

fn shift(c: &Current, to: &str) -> Result<ShiftPlan, ShiftError> {
    plan_shift(c, &parse_split(to).unwrap(), &ShiftOptions::default())
}

#[test]
fn the_routers_default_route_weights_one_virtual_node_per_version() {
    let c = current(vec![yelb_vs(router_provider())], vec![yelb_router()]);
    let plan = shift(&c, "v1=50,v2=50").unwrap();
    assert_eq!(plan.changes.len(), 1, "only the router changes: {plan:#?}");
    let change = &plan.changes[0];
    assert_eq!(change.describe(), "VirtualRouter yelb/yelb-appserver");
    let route = &change.after["spec"]["routes"][0]["httpRoute"];
    assert_eq!(
        route["action"]["weightedTargets"],
        json!([{"virtualNodeRef": {"name": "yelb-appserver"}, "weight": 50},
               {"virtualNodeRef": {"name": "yelb-appserver-v2"}, "weight": 50}])
    );
    assert_eq!(route["retryPolicy"]["maxRetries"], 2, "retries stay");
    assert_eq!(change.apply["metadata"]["resourceVersion"], "5");
    assert!(change.after["metadata"]["annotations"][PREVIOUS_SPEC_ANNOTATION].is_string());
    // Shown as percentages.
    let c = current(vec![yelb_vs(router_provider())], vec![change.after.clone()]);
    let split = current_split(&c, &ShiftOptions::default()).unwrap();
    let rows: Vec<(&str, Option<&str>, u32)> = split
        .rows
        .iter()
        .map(|r| (r.version.as_str(), r.subset.as_deref(), r.weight))
        .collect();
    assert_eq!(
        rows,
        [
            ("v1", Some("yelb-appserver"), 50),
            ("v2", Some("yelb-appserver-v2"), 50)
        ]
    );
    assert_eq!(
        split.routed_by.as_deref(),
        Some("VirtualRouter yelb/yelb-appserver")
    );
    // Reset restores the router.
    let reset = plan_reset(&c).unwrap();
    assert_eq!(reset.changes.len(), 1);
    assert_eq!(reset.changes[0].after["spec"], yelb_router()["spec"]);
}

#[test]
fn a_version_without_its_own_virtual_node_is_refused() {
    let mut c = current(vec![], vec![]);
    c.virtual_nodes.remove(1);
    let err = shift(&c, "v1=50,v2=50").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Service yelb/yelb-appserver: no App Mesh VirtualNode's podSelector selects exactly the workloads of v2"
    );
    assert!(err.hint().unwrap().contains("podSelector"));
}

#[test]
fn without_a_router_one_is_created_and_a_node_provider_is_switched_to_it() {
    let node_provider = json!({"virtualNode": {"virtualNodeRef": {"name": "yelb-appserver"}}});
    let c = current(vec![yelb_vs(node_provider.clone())], vec![]);
    let plan = shift(&c, "v2").unwrap();
    let kinds: Vec<String> = plan.changes.iter().map(|c| c.describe()).collect();
    assert_eq!(
        kinds,
        [
            "VirtualRouter yelb/yelb-appserver",
            "VirtualService yelb/yelb-appserver"
        ],
        "the router exists before the VirtualService names it"
    );
    let router = &plan.changes[0].after;
    assert_eq!(
        router["spec"],
        json!({"listeners": [{"portMapping": {"port": 4567, "protocol": "http"}}],
            "routes": [{"name": "yelb-appserver-default", "httpRoute": {"match": {"prefix": "/"},
                "action": {"weightedTargets": [{"virtualNodeRef": {"name": "yelb-appserver-v2"}, "weight": 100}]}}}]})
    );
    assert!(router["metadata"].get("labels").is_none());
    let vs = &plan.changes[1].after;
    assert_eq!(vs["spec"]["provider"], router_provider());
    assert_eq!(vs["spec"]["awsName"], "yelb-appserver", "other fields stay");
    // Reset: the VirtualService gets its node provider back, the router goes.
    let c = current(vec![vs.clone()], vec![router.clone()]);
    let reset = plan_reset(&c).unwrap();
    assert_eq!(reset.changes[0].after["spec"]["provider"], node_provider);
    assert_eq!(
        reset.deletions[0].describe(),
        "VirtualRouter yelb/yelb-appserver"
    );
    // Nothing at all: both are created; a TCP Service gets a tcpRoute.
    let mut c = current(vec![], vec![]);
    c.service.ports[0].name = "tcp-app".into();
    let plan = shift(&c, "v1=20,v2=80").unwrap();
    assert_eq!(plan.changes.len(), 2);
    let route = &plan.changes[0].after["spec"]["routes"][0];
    assert_eq!(
        route["tcpRoute"]["action"]["weightedTargets"][1]["weight"],
        80
    );
    assert_eq!(
        plan.changes[1].after["spec"]["awsName"],
        "yelb-appserver.yelb.svc.cluster.local"
    );
}

#[test]
fn several_default_routes_or_a_missing_router_are_refused() {
    let mut router = yelb_router();
    let second = router["spec"]["routes"][0].clone();
    let mut second = second;
    second["name"] = json!("again");
    router["spec"]["routes"]
        .as_array_mut()
        .unwrap()
        .push(second);
    let c = current(vec![yelb_vs(router_provider())], vec![router]);
    let err = shift(&c, "v1").unwrap_err();
    assert!(matches!(err, ShiftError::AmbiguousRoute { .. }), "{err}");
    let opts = ShiftOptions {
        route: Some("again".into()),
        ..ShiftOptions::default()
    };
    let plan = plan_shift(&c, &parse_split("v2").unwrap(), &opts).unwrap();
    let routes = &plan.changes[0].after["spec"]["routes"];
    assert_eq!(routes[0], yelb_router()["spec"]["routes"][0]);
    assert_eq!(
        routes[1]["httpRoute"]["action"]["weightedTargets"][0]["virtualNodeRef"]["name"],
        "yelb-appserver-v2"
    );
    let c = current(vec![yelb_vs(router_provider())], vec![]);
    let err = shift(&c, "v1").unwrap_err();
    assert_eq!(
        err.to_string(),
        "VirtualService yelb/yelb-appserver: its provider VirtualRouter yelb-appserver does not exist"
    );
}
