//! The AWS App Mesh backend (appmesh.k8s.aws/v1beta2), in the yelb walkthrough's shape: the App
//! Mesh VirtualService named after the Service has a VirtualRouter as its provider, and that
//! router's default route weights `weightedTargets` over VirtualNodes whose `podSelector`
//! selects one version's workloads each. A VirtualService whose provider is a VirtualNode is
//! switched to a router (its previous spec is kept for `--reset`). Only the default route's
//! targets change; retries, timeouts and other routes stay as written.

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};

use super::{
    Backend, Current, CurrentSplit, ShiftError, ShiftOptions, ShiftPlan, VersionWeight, array_mut,
    change, check_versions, describe, name_of, new_object, percentages, spec_mut, string_map,
};

/// The route kinds of a VirtualRouter route, in the order App Mesh documents them.
const ROUTE_KINDS: [&str; 4] = ["httpRoute", "http2Route", "grpcRoute", "tcpRoute"];

fn new_mesh_object(current: &Current, kind: &str, name: &str, spec: Json) -> Json {
    let mut obj = new_object(
        &current.appmesh_api_version,
        kind,
        name,
        &current.service.namespace,
        "",
        spec,
    );
    // Kiali does not edit App Mesh objects: no wizard label.
    obj["metadata"]
        .as_object_mut()
        .expect("a mapping")
        .remove("labels");
    obj
}

/// The App Mesh VirtualService of the Service: `--virtual-service NAME`, else the one named
/// after the Service or whose `awsName` is one of the Service's host names.
fn mesh_virtual_service<'a>(
    current: &'a Current,
    wanted: Option<&str>,
) -> Result<Option<&'a Json>, ShiftError> {
    let svc = &current.service;
    if let Some(wanted) = wanted {
        return current
            .mesh_virtual_services
            .iter()
            .find(|vs| name_of(vs) == wanted)
            .map(Some)
            .ok_or_else(|| {
                ShiftError::VirtualServiceNotFound(format!("{}/{wanted}", svc.namespace))
            });
    }
    let found: Vec<&Json> = current
        .mesh_virtual_services
        .iter()
        .filter(|vs| {
            name_of(vs) == svc.name
                || vs
                    .pointer("/spec/awsName")
                    .and_then(Json::as_str)
                    .is_some_and(|h| svc.is_host(h))
        })
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(ShiftError::AmbiguousVirtualService {
            service: format!("{}/{}", svc.namespace, svc.name),
            names: many.iter().map(|v| name_of(v)).collect(),
        }),
    }
}

fn router_ref(vs: &Json) -> Option<&str> {
    vs.pointer("/spec/provider/virtualRouter/virtualRouterRef/name")
        .and_then(Json::as_str)
}

fn find<'a>(objects: &'a [Json], name: &str) -> Option<&'a Json> {
    objects.iter().find(|o| name_of(o) == name)
}

/// The version a VirtualNode stands for: the one version of the Service's workloads its
/// `podSelector.matchLabels` selects, or (selecting none yet) the version label it names.
/// Nodes with `matchExpressions` are not read (their selection is not a plain label match).
fn node_version(current: &Current, node: &Json, label: &str) -> Option<String> {
    let selector = node.pointer("/spec/podSelector")?;
    if selector
        .get("matchExpressions")
        .and_then(Json::as_array)
        .is_some_and(|e| !e.is_empty())
    {
        return None;
    }
    let labels = string_map(selector.get("matchLabels"));
    if labels.is_empty() {
        return None;
    }
    let versions = current.versions_selected_by(&labels, label);
    // Selecting none of the Service's workloads, it is a version's only if it names the
    // Service's selector and the version (routing ahead of a rollout).
    match versions.len() {
        1 => versions.into_iter().next(),
        0 if current
            .service
            .selector
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v)) =>
        {
            labels.get(label).cloned()
        }
        _ => None,
    }
}

fn version_node<'a>(current: &'a Current, version: &str, label: &str) -> Option<&'a Json> {
    current.per_version_object(&current.virtual_nodes, version, |n| {
        node_version(current, n, label)
    })
}

/// The route kind key of a route (`httpRoute`, ...), if it has one.
fn route_kind(route: &Json) -> Option<&'static str> {
    ROUTE_KINDS.into_iter().find(|k| route.get(*k).is_some())
}

/// Whether a route matches every request of its kind: HTTP with only `prefix: /`, gRPC with
/// an empty match, TCP without a match (or without a port in it).
fn is_default(route: &Json) -> bool {
    let Some(kind) = route_kind(route) else {
        return false;
    };
    let m = route[kind].get("match");
    let empty = |m: Option<&Json>| {
        m.is_none_or(|m| m.is_null() || m.as_object().is_some_and(|o| o.is_empty()))
    };
    match kind {
        "httpRoute" | "http2Route" => m
            .and_then(Json::as_object)
            .is_some_and(|o| o.len() == 1 && o.get("prefix").and_then(Json::as_str) == Some("/")),
        _ => empty(m),
    }
}

fn default_route(
    routes: &[Json],
    wanted: Option<&str>,
    object: &str,
) -> Result<Option<usize>, ShiftError> {
    if let Some(name) = wanted {
        return routes
            .iter()
            .position(|r| r["name"].as_str() == Some(name))
            .map(Some)
            .ok_or_else(|| ShiftError::RouteNotFound {
                object: object.to_string(),
                list: "routes".into(),
                route: name.to_string(),
            });
    }
    let defaults: Vec<usize> = (0..routes.len())
        .filter(|&i| is_default(&routes[i]))
        .collect();
    match defaults.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        many => Err(ShiftError::AmbiguousRoute {
            object: object.to_string(),
            list: "routes".into(),
            routes: many
                .iter()
                .map(|&i| {
                    format!(
                        "{:?} (spec.routes[{i}])",
                        routes[i]["name"].as_str().unwrap_or("")
                    )
                })
                .collect(),
        }),
    }
}

/// Plans `--to`: the VirtualRouter's default route (and, when there is none yet, the router and
/// the VirtualService's provider) as they must be for `split`.
pub fn plan_shift(
    current: &Current,
    split: &[VersionWeight],
    opts: &ShiftOptions,
) -> Result<ShiftPlan, ShiftError> {
    check_versions(current, split, opts)?;
    let svc = &current.service;
    let label = opts.version_label.as_str();
    let mut plan = ShiftPlan::default();

    let mut missing = Vec::new();
    for vw in split {
        match version_node(current, &vw.version, label) {
            Some(n) => {
                plan.subsets.insert(vw.version.clone(), name_of(n));
            }
            None => missing.push(vw.version.clone()),
        }
    }
    if !missing.is_empty() {
        return Err(ShiftError::VirtualNodesMissing {
            service: format!("{}/{}", svc.namespace, svc.name),
            versions: missing,
        });
    }

    // The VirtualService and its router.
    let vs_before = mesh_virtual_service(current, opts.virtual_service.as_deref())?;
    let router_name = match vs_before.and_then(router_ref) {
        Some(name) => name.to_string(),
        None => svc.name.clone(),
    };
    let router_before = find(&current.virtual_routers, &router_name);
    if vs_before.and_then(router_ref).is_some() && router_before.is_none() {
        return Err(ShiftError::BadObject {
            object: describe("VirtualService", vs_before.expect("checked")),
            reason: format!("its provider VirtualRouter {router_name} does not exist"),
        });
    }
    let protocol = if svc.is_tcp() { "tcp" } else { "http" };
    let mut router = match router_before {
        Some(r) => r.clone(),
        None => {
            let port = svc.ports.first().map(|p| p.port).unwrap_or(80);
            new_mesh_object(
                current,
                "VirtualRouter",
                &router_name,
                json!({"listeners": [{"portMapping": {"port": port, "protocol": protocol}}]}),
            )
        }
    };
    let desc = describe("VirtualRouter", &router);
    {
        let spec = spec_mut(&mut router, &desc)?;
        let routes = array_mut(spec, "routes", &desc)?;
        if let Some(bad) = routes.iter().position(|r| !r.is_object()) {
            return Err(ShiftError::BadObject {
                object: desc.clone(),
                reason: format!("spec.routes[{bad}] is not a mapping"),
            });
        }
        let index = match default_route(routes, opts.route.as_deref(), &desc)? {
            Some(i) => i,
            None => {
                let route = if protocol == "tcp" {
                    json!({"name": format!("{}-default", svc.name), "tcpRoute": {"action": {}}})
                } else {
                    json!({"name": format!("{}-default", svc.name),
                        "httpRoute": {"match": {"prefix": "/"}, "action": {}}})
                };
                routes.push(route);
                routes.len() - 1
            }
        };
        let route = &mut routes[index];
        let Some(kind) = route_kind(route) else {
            return Err(ShiftError::BadObject {
                object: desc.clone(),
                reason: format!(
                    "spec.routes[{index}] has none of {}",
                    ROUTE_KINDS.join(", ")
                ),
            });
        };
        let body = &mut route[kind];
        if !body.get("action").is_some_and(Json::is_object) {
            body["action"] = json!({});
        }
        let old: Vec<Json> = body["action"]
            .get("weightedTargets")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
        let mut targets = Vec::new();
        for vw in split {
            let node = &plan.subsets[&vw.version];
            let mut t = old
                .iter()
                .find(|t| {
                    t.pointer("/virtualNodeRef/name").and_then(Json::as_str) == Some(node)
                        && t.pointer("/virtualNodeRef/namespace")
                            .and_then(Json::as_str)
                            .is_none_or(|ns| ns == svc.namespace)
                })
                .cloned()
                .unwrap_or_else(|| json!({"virtualNodeRef": {"name": node}}));
            t["weight"] = json!(vw.weight);
            targets.push(t);
        }
        body["action"]["weightedTargets"] = Json::Array(targets);
    }

    let vs_after = match vs_before {
        Some(vs) if router_ref(vs).is_some() => None,
        Some(vs) => {
            // A node-provided VirtualService gets the router as its provider.
            let mut vs = vs.clone();
            let vs_desc = describe("VirtualService", &vs);
            spec_mut(&mut vs, &vs_desc)?;
            vs["spec"]["provider"] =
                json!({"virtualRouter": {"virtualRouterRef": {"name": router_name}}});
            Some(vs)
        }
        None => Some(new_mesh_object(
            current,
            "VirtualService",
            &svc.name,
            json!({"awsName": svc.fqdn(),
                "provider": {"virtualRouter": {"virtualRouterRef": {"name": router_name}}}}),
        )),
    };
    // The router first: a VirtualService must not name a router that does not exist yet.
    if let Some(change) = change(router_before, router, "VirtualRouter") {
        plan.changes.push(change);
    }
    if let Some(after) = vs_after
        && let Some(change) = change(vs_before, after, "VirtualService")
    {
        plan.changes.push(change);
    }
    Ok(plan)
}

/// The split as the VirtualRouter's default route configures it, per version (in percent of
/// the relative weights).
pub fn current_split(current: &Current, opts: &ShiftOptions) -> Result<CurrentSplit, ShiftError> {
    let label = opts.version_label.as_str();
    let vs = mesh_virtual_service(current, opts.virtual_service.as_deref())?;
    let router = vs
        .and_then(router_ref)
        .and_then(|name| find(&current.virtual_routers, name));
    let mut weights: BTreeMap<String, (String, u32)> = BTreeMap::new();
    let mut other = Vec::new();
    if let Some(router) = router {
        let desc = describe("VirtualRouter", router);
        let routes = router
            .pointer("/spec/routes")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
        if let Some(i) = default_route(&routes, opts.route.as_deref(), &desc)? {
            let kind = route_kind(&routes[i]).unwrap_or("httpRoute");
            let targets = routes[i][kind]
                .pointer("/action/weightedTargets")
                .and_then(Json::as_array)
                .cloned()
                .unwrap_or_default();
            let raw: Vec<u64> = targets
                .iter()
                .map(|t| t["weight"].as_u64().unwrap_or(0))
                .collect();
            for (t, pct) in targets.iter().zip(percentages(&raw)) {
                let name = t
                    .pointer("/virtualNodeRef/name")
                    .and_then(Json::as_str)
                    .unwrap_or("");
                let version = find(&current.virtual_nodes, name)
                    .and_then(|n| node_version(current, n, label));
                match version {
                    Some(v) => {
                        let e = weights.entry(v).or_insert_with(|| (name.to_string(), 0));
                        e.1 += pct;
                    }
                    None => other.push(format!("{name}={pct}%")),
                }
            }
        }
    }
    let routed_by = match (router, vs) {
        (Some(r), _) => Some(describe("VirtualRouter", r)),
        (None, Some(vs)) => Some(describe("VirtualService", vs)),
        (None, None) => None,
    };
    Ok(super::split_rows(
        current,
        label,
        weights,
        Backend::AppMesh,
        routed_by,
        other,
    ))
}

/// Plans `--reset`: the VirtualService of the Service and its router get their spec back, or
/// are deleted when meshdeck created them.
pub fn plan_reset(current: &Current) -> Result<ShiftPlan, ShiftError> {
    let svc = &current.service;
    let vs = mesh_virtual_service(current, None)?;
    let mut candidates: Vec<(&str, &Json)> = Vec::new();
    if let Some(vs) = vs {
        candidates.push(("VirtualService", vs));
    }
    let mut routers: Vec<&str> = vs.and_then(router_ref).into_iter().collect();
    routers.push(&svc.name);
    routers.dedup();
    for name in routers {
        if let Some(r) = find(&current.virtual_routers, name) {
            candidates.push(("VirtualRouter", r));
        }
    }
    super::reset_plan(&svc.namespace, candidates)
}

#[cfg(test)]
mod tests;
