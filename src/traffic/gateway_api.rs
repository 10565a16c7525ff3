//! The Gateway API backend (GAMMA): an HTTPRoute whose `parentRefs` is the Service and whose
//! default rule's `backendRefs` weight one Service per version, the shape of Istio's
//! `samples/bookinfo/gateway-api/route-reviews-90-10.yaml` over the per-version Services of
//! `samples/bookinfo/platform/kube/bookinfo-versions.yaml`. Per-version Services that do not
//! exist are named, and created only when asked (`--create-version-services`). Existing routes
//! are merged into: only the backends of the match-less rule change.

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};

use super::{
    Backend, Current, CurrentSplit, ShiftError, ShiftOptions, ShiftPlan, VersionWeight, array_mut,
    change, check_versions, describe, name_of, new_object, percentages, spec_mut, string_map,
};
use crate::resource::Labels;

/// Kiali's wizard label value for the HTTPRoutes its Kubernetes routing wizard writes.
const WIZARD: &str = "k8s_request_routing";

/// Whether a parentRef names the Service (core group, kind Service, its namespace).
fn is_parent(current: &Current, parent: &Json) -> bool {
    let svc = &current.service;
    // The core group is written `group: ""`; a server that loses empty strings keeps null.
    let group = match parent.get("group") {
        None => "gateway.networking.k8s.io",
        Some(Json::Null) => "",
        Some(g) => g.as_str().unwrap_or("?"),
    };
    let kind = parent
        .get("kind")
        .and_then(Json::as_str)
        .unwrap_or("Gateway");
    (group.is_empty() || group == "core")
        && kind == "Service"
        && parent["name"].as_str() == Some(svc.name.as_str())
        && parent
            .get("namespace")
            .and_then(Json::as_str)
            .is_none_or(|ns| ns == svc.namespace)
}

fn parent_ref<'a>(current: &Current, route: &'a Json) -> Option<&'a Json> {
    route
        .pointer("/spec/parentRefs")
        .and_then(Json::as_array)?
        .iter()
        .find(|p| is_parent(current, p))
}

/// The HTTPRoute attached to the Service (`--http-route` picks one of several).
fn http_route<'a>(
    current: &'a Current,
    wanted: Option<&str>,
) -> Result<Option<&'a Json>, ShiftError> {
    let svc = &current.service;
    let attached: Vec<&Json> = current
        .http_routes
        .iter()
        .filter(|r| parent_ref(current, r).is_some())
        .collect();
    if let Some(wanted) = wanted {
        return attached
            .into_iter()
            .find(|r| name_of(r) == wanted)
            .map(Some)
            .ok_or_else(|| ShiftError::HttpRouteNotFound(format!("{}/{wanted}", svc.namespace)));
    }
    match attached.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(ShiftError::AmbiguousHttpRoute {
            service: format!("{}/{}", svc.namespace, svc.name),
            names: many.iter().map(|r| name_of(r)).collect(),
        }),
    }
}

/// Whether `selector` selects only workloads of the Service: it has every key of the
/// Service's selector with the same value.
fn narrows(service_selector: &Labels, selector: &Labels) -> bool {
    !service_selector.is_empty()
        && service_selector
            .iter()
            .all(|(k, v)| selector.get(k) == Some(v))
}

/// The version a Service stands for: the one version of the target's workloads its selector
/// selects, or (when it selects none yet) the value of the version label it names.
fn service_version(current: &Current, svc: &Json, label: &str) -> Option<String> {
    if name_of(svc) == current.service.name {
        return None;
    }
    let selector = string_map(svc.pointer("/spec/selector"));
    if !narrows(&current.service.selector, &selector) {
        return None;
    }
    let versions = current.versions_selected_by(&selector, label);
    match versions.len() {
        1 => versions.into_iter().next(),
        0 => selector.get(label).cloned(),
        _ => None,
    }
}

/// The per-version Service of `version`: the one named `<service>-<version>` if it qualifies,
/// else the first (by name) that does.
fn version_service<'a>(current: &'a Current, version: &str, label: &str) -> Option<&'a Json> {
    current.per_version_object(&current.services, version, |s| {
        service_version(current, s, label)
    })
}

/// The target Service's ports as the API server has them (targetPort, protocol), from the
/// namespace's Services, or rebuilt from what [`super::Service`] knows.
fn service_ports(current: &Current) -> Vec<Json> {
    let svc = &current.service;
    let live = current
        .services
        .iter()
        .find(|s| name_of(s) == svc.name)
        .and_then(|s| s.pointer("/spec/ports"))
        .and_then(Json::as_array);
    let mut ports: Vec<Json> = match live {
        Some(ports) => ports
            .iter()
            .map(|p| {
                let mut out = serde_json::Map::new();
                for key in ["name", "port", "targetPort", "protocol", "appProtocol"] {
                    if let Some(v) = p.get(key) {
                        out.insert(key.into(), v.clone());
                    }
                }
                Json::Object(out)
            })
            .collect(),
        None => svc
            .ports
            .iter()
            .map(|p| {
                let mut j = json!({"name": p.name, "port": p.port});
                if let Some(a) = &p.app_protocol {
                    j["appProtocol"] = json!(a);
                }
                j
            })
            .collect(),
    };
    // Server-side apply on older servers wants the list key (port, protocol) complete.
    for p in &mut ports {
        if p.get("protocol").is_none() {
            p["protocol"] = json!("TCP");
        }
        if p.get("name").and_then(Json::as_str) == Some("") {
            p.as_object_mut().expect("a mapping").remove("name");
        }
    }
    ports
}

/// The port a backendRef to `version_svc` names: the one with the name (else number) of the
/// target's routed port.
fn backend_port(target: Option<&super::ServicePort>, version_svc: Option<&Json>) -> Option<u64> {
    let ports = version_svc
        .and_then(|s| s.pointer("/spec/ports"))
        .and_then(Json::as_array);
    let Some(ports) = ports else {
        return target.map(|t| u64::from(t.port));
    };
    let by =
        |f: &dyn Fn(&Json) -> bool| ports.iter().find(|p| f(p)).and_then(|p| p["port"].as_u64());
    target
        .and_then(|t| {
            by(&|p| !t.name.is_empty() && p["name"].as_str() == Some(t.name.as_str()))
                .or_else(|| by(&|p| p["port"].as_u64() == Some(u64::from(t.port))))
        })
        .or_else(|| ports.first().and_then(|p| p["port"].as_u64()))
}

/// Whether a rule matches only some requests. No `matches`, and the API's default for them (one
/// match of path prefix `/`, which the server fills in), match every request.
fn has_matches(rule: &Json) -> bool {
    match rule.get("matches") {
        None | Some(Json::Null) => false,
        Some(Json::Array(a)) => match a.as_slice() {
            [] => false,
            [only] => *only != json!({"path": {"type": "PathPrefix", "value": "/"}}),
            _ => true,
        },
        Some(_) => true,
    }
}

/// Which rule is the default (match-less) one: `Some(i)`, or `None` when there is none.
fn default_rule(
    rules: &[Json],
    route: Option<&str>,
    object: &str,
) -> Result<Option<usize>, ShiftError> {
    if let Some(name) = route {
        return rules
            .iter()
            .position(|r| r.get("name").and_then(Json::as_str) == Some(name))
            .map(Some)
            .ok_or_else(|| ShiftError::RouteNotFound {
                object: object.to_string(),
                list: "rules".into(),
                route: name.to_string(),
            });
    }
    let defaults: Vec<usize> = (0..rules.len())
        .filter(|&i| !has_matches(&rules[i]))
        .collect();
    match defaults.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        many => Err(ShiftError::AmbiguousRoute {
            object: object.to_string(),
            list: "rules".into(),
            routes: many
                .iter()
                .map(|&i| match rules[i].get("name").and_then(Json::as_str) {
                    Some(n) => format!("{n:?} (spec.rules[{i}])"),
                    None => format!("spec.rules[{i}] (unnamed)"),
                })
                .collect(),
        }),
    }
}

/// Whether a backendRef names the Service `name` of the route's namespace.
fn refers_to(backend: &Json, name: &str, namespace: &str) -> bool {
    let group = backend.get("group").and_then(Json::as_str).unwrap_or("");
    let kind = backend
        .get("kind")
        .and_then(Json::as_str)
        .unwrap_or("Service");
    group.is_empty()
        && kind == "Service"
        && backend["name"].as_str() == Some(name)
        && backend
            .get("namespace")
            .and_then(Json::as_str)
            .is_none_or(|ns| ns == namespace)
}

/// Plans `--to`: the per-version Services (created only with `--create-version-services`) and
/// the HTTPRoute as they must be for `split`.
pub fn plan_shift(
    current: &Current,
    split: &[VersionWeight],
    opts: &ShiftOptions,
) -> Result<ShiftPlan, ShiftError> {
    check_versions(current, split, opts)?;
    let svc = &current.service;
    let label = opts.version_label.as_str();
    let mut plan = ShiftPlan::default();

    // One Service per version.
    let mut missing: Vec<(String, String)> = Vec::new();
    let mut backend_svcs: BTreeMap<String, Option<&Json>> = BTreeMap::new();
    for vw in split {
        let v = &vw.version;
        match version_service(current, v, label) {
            Some(s) => {
                plan.subsets.insert(v.clone(), name_of(s));
                backend_svcs.insert(v.clone(), Some(s));
            }
            None => {
                let name = format!("{}-{v}", svc.name);
                if let Some(taken) = current.services.iter().find(|s| name_of(s) == name) {
                    return Err(ShiftError::NameTaken {
                        object: describe("Service", taken),
                        version: v.clone(),
                    });
                }
                plan.subsets.insert(v.clone(), name.clone());
                backend_svcs.insert(v.clone(), None);
                missing.push((v.clone(), name));
            }
        }
    }
    if !missing.is_empty() && !opts.create_version_services {
        return Err(ShiftError::VersionServicesMissing {
            service: format!("{}/{}", svc.namespace, svc.name),
            label: label.to_string(),
            missing,
        });
    }
    let ports = service_ports(current);
    for (v, name) in &missing {
        let mut selector: Json = json!(svc.selector);
        selector[label] = json!(v);
        let mut obj = new_object(
            "v1",
            "Service",
            name,
            &svc.namespace,
            WIZARD,
            json!({
                "selector": selector,
                "ports": ports,
            }),
        );
        // A Service is no wizard's: only meshdeck's annotation marks it.
        obj["metadata"]
            .as_object_mut()
            .expect("a mapping")
            .remove("labels");
        if let Some(change) = change(None, obj, "Service") {
            plan.changes.push(change);
        }
    }

    // The HTTPRoute.
    let before = http_route(current, opts.http_route.as_deref())?;
    if before.is_none()
        && let Some(taken) = current.http_routes.iter().find(|r| name_of(r) == svc.name)
    {
        return Err(ShiftError::BadObject {
            object: describe("HTTPRoute", taken),
            reason: format!(
                "it exists but is not attached to Service {} (no parentRef of kind Service names it); name the route to edit with --http-route",
                svc.name
            ),
        });
    }
    let mut route = match before {
        Some(r) => r.clone(),
        None => {
            let mut parent = json!({"group": "", "kind": "Service", "name": svc.name});
            if let [only] = svc.ports.as_slice() {
                parent["port"] = json!(only.port);
            }
            new_object(
                &current.gateway_api_version,
                "HTTPRoute",
                &svc.name,
                &svc.namespace,
                WIZARD,
                json!({"parentRefs": [parent]}),
            )
        }
    };
    let desc = describe("HTTPRoute", &route);
    // The Service port the route is for: its parentRef's, else the Service's first.
    let parent_port = parent_ref(current, &route).and_then(|p| p["port"].as_u64());
    let target = svc
        .ports
        .iter()
        .find(|p| Some(u64::from(p.port)) == parent_port)
        .or(svc.ports.first());
    {
        let spec = spec_mut(&mut route, &desc)?;
        let rules = array_mut(spec, "rules", &desc)?;
        if let Some(bad) = rules.iter().position(|r| !r.is_object()) {
            return Err(ShiftError::BadObject {
                object: desc.clone(),
                reason: format!("spec.rules[{bad}] is not a mapping"),
            });
        }
        let index = match default_rule(rules, opts.route.as_deref(), &desc)? {
            Some(i) => i,
            None => {
                rules.push(json!({}));
                rules.len() - 1
            }
        };
        let rule = &mut rules[index];
        let old: Vec<Json> = rule
            .get("backendRefs")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
        let mut refs = Vec::new();
        for vw in split {
            let name = &plan.subsets[&vw.version];
            let mut backend = old
                .iter()
                .find(|b| refers_to(b, name, &svc.namespace))
                .cloned()
                .unwrap_or_else(|| {
                    let mut b = json!({"name": name});
                    let port = backend_port(target, backend_svcs[&vw.version]);
                    if let Some(p) = port {
                        b["port"] = json!(p);
                    }
                    b
                });
            backend["weight"] = json!(vw.weight);
            refs.push(backend);
        }
        rule["backendRefs"] = Json::Array(refs);
    }
    if let Some(change) = change(before, route, "HTTPRoute") {
        plan.changes.push(change);
    }
    Ok(plan)
}

/// The split as the HTTPRoute's default rule configures it, per version (in percent of the
/// proportional weights).
pub fn current_split(current: &Current, opts: &ShiftOptions) -> Result<CurrentSplit, ShiftError> {
    let svc = &current.service;
    let label = opts.version_label.as_str();
    let route = http_route(current, opts.http_route.as_deref())?;
    let mut weights: BTreeMap<String, (String, u32)> = BTreeMap::new();
    let mut other = Vec::new();
    if let Some(route) = route {
        let desc = describe("HTTPRoute", route);
        let rules = route
            .pointer("/spec/rules")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
        if let Some(i) = default_rule(&rules, opts.route.as_deref(), &desc)? {
            let refs = rules[i]
                .get("backendRefs")
                .and_then(Json::as_array)
                .cloned()
                .unwrap_or_default();
            // Gateway API weights default to 1 and are proportional.
            let raw: Vec<u64> = refs
                .iter()
                .map(|b| b.get("weight").and_then(Json::as_u64).unwrap_or(1))
                .collect();
            for (b, pct) in refs.iter().zip(percentages(&raw)) {
                let name = b["name"].as_str().unwrap_or("");
                let version = current
                    .services
                    .iter()
                    .find(|s| name_of(s) == name && refers_to(b, name, &svc.namespace))
                    .and_then(|s| service_version(current, s, label));
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
    Ok(super::split_rows(
        current,
        label,
        weights,
        Backend::GatewayApi,
        route.map(|r| describe("HTTPRoute", r)),
        other,
    ))
}

/// Plans `--reset`: the HTTPRoute attached to the Service and the per-version Services
/// meshdeck created are deleted; a route meshdeck changed gets its spec back.
pub fn plan_reset(current: &Current) -> Result<ShiftPlan, ShiftError> {
    let svc = &current.service;
    let routes = current
        .http_routes
        .iter()
        .filter(|r| parent_ref(current, r).is_some())
        .map(|r| ("HTTPRoute", r));
    let services = current
        .services
        .iter()
        .filter(|s| {
            name_of(s) != svc.name
                && narrows(&svc.selector, &string_map(s.pointer("/spec/selector")))
        })
        .map(|s| ("Service", s));
    super::reset_plan(&svc.namespace, routes.chain(services))
}

#[cfg(test)]
mod tests;
