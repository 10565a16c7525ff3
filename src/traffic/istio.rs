//! The Istio backend: one DestinationRule subset per version and a weighted default route in
//! the VirtualService of the Service's host, as Kiali's traffic-shifting wizard builds them.
//! Existing objects are merged into: only the destinations of the match-less default route
//! change (and subsets are added); every other field stays as the user wrote it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value as Json, json};

use super::{
    Current, CurrentSplit, ShiftError, ShiftPlan, VersionWeight, array_mut, change, check_versions,
    spec_mut,
};

pub use super::ShiftOptions;
use super::{describe, name_of};

/// The DestinationRule of the Service's host, if there is one (several are an error).
fn destination_rule(current: &Current) -> Result<Option<&Json>, ShiftError> {
    let svc = &current.service;
    let found: Vec<&Json> = current
        .destination_rules
        .iter()
        .filter(|dr| {
            dr.pointer("/spec/host")
                .and_then(Json::as_str)
                .is_some_and(|h| svc.is_host(h))
        })
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(ShiftError::AmbiguousDestinationRule {
            service: format!("{}/{}", svc.namespace, svc.name),
            names: many.iter().map(|d| name_of(d)).collect(),
        }),
    }
}

/// The VirtualService whose hosts name the Service (`--virtual-service` picks one of several).
fn virtual_service<'a>(
    current: &'a Current,
    wanted: Option<&str>,
) -> Result<Option<&'a Json>, ShiftError> {
    let svc = &current.service;
    let found: Vec<&Json> = current
        .virtual_services
        .iter()
        .filter(|vs| {
            vs.pointer("/spec/hosts")
                .and_then(Json::as_array)
                .is_some_and(|hosts| {
                    hosts
                        .iter()
                        .filter_map(Json::as_str)
                        .any(|h| svc.is_host(h))
                })
        })
        .collect();
    if let Some(wanted) = wanted {
        return found
            .into_iter()
            .find(|vs| name_of(vs) == wanted)
            .map(Some)
            .ok_or_else(|| {
                ShiftError::VirtualServiceNotFound(format!("{}/{wanted}", svc.namespace))
            });
    }
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(ShiftError::AmbiguousVirtualService {
            service: format!("{}/{}", svc.namespace, svc.name),
            names: many.iter().map(|v| name_of(v)).collect(),
        }),
    }
}

/// The lists of routes a shift edits: `http` for the Service's HTTP ports (or a VirtualService
/// that has `http` routes), `tcp` for its TCP ports (or `tcp` routes), so that a Service with
/// both kinds of ports gets its split on both.
fn route_lists(current: &Current, vs: Option<&Json>) -> Vec<&'static str> {
    let has = |key: &str| {
        vs.and_then(|v| v.pointer(&format!("/spec/{key}")))
            .and_then(Json::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    let ports = &current.service.ports;
    let mut out = Vec::new();
    if has("http") || (!has("tcp") && ports.is_empty()) || ports.iter().any(|p| !p.is_tcp()) {
        out.push("http");
    }
    if has("tcp") || ports.iter().any(super::ServicePort::is_tcp) {
        out.push("tcp");
    }
    out
}

fn has_match(rule: &Json) -> bool {
    match rule.get("match") {
        None | Some(Json::Null) => false,
        Some(Json::Array(a)) => !a.is_empty(),
        Some(_) => true,
    }
}

/// Which rule of `rules` is the default route: `Some(i)`, or `None` when there is none (one is
/// added).
fn default_rule(
    rules: &[Json],
    route: Option<&str>,
    object: &str,
    list: &str,
) -> Result<Option<usize>, ShiftError> {
    if let Some(name) = route {
        return rules
            .iter()
            .position(|r| r.get("name").and_then(Json::as_str) == Some(name))
            .map(Some)
            .ok_or_else(|| ShiftError::RouteNotFound {
                object: object.to_string(),
                list: list.to_string(),
                route: name.to_string(),
            });
    }
    let defaults: Vec<usize> = (0..rules.len())
        .filter(|&i| !has_match(&rules[i]))
        .collect();
    match defaults.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        many => Err(ShiftError::AmbiguousRoute {
            object: object.to_string(),
            list: list.to_string(),
            routes: many
                .iter()
                .map(|&i| match rules[i].get("name").and_then(Json::as_str) {
                    Some(n) => format!("{n:?} (spec.{list}[{i}])"),
                    None => format!("spec.{list}[{i}] (unnamed)"),
                })
                .collect(),
        }),
    }
}

fn subset_labels(subset: &Json) -> BTreeMap<String, String> {
    super::string_map(subset.get("labels"))
}

/// The versions whose workloads a subset's labels select.
fn selected_versions(current: &Current, subset: &Json, label: &str) -> BTreeSet<String> {
    let labels = subset_labels(subset);
    current
        .selected()
        .filter(|w| labels.iter().all(|(k, v)| w.labels.get(k) == Some(v)))
        .filter_map(|w| w.labels.get(label).cloned())
        .collect()
}

/// The version a subset stands for: the one version its labels select, or (for a version no
/// workload has yet) the value of the version label it names.
fn subset_version(current: &Current, subset: &Json, label: &str) -> Option<String> {
    let selected = selected_versions(current, subset, label);
    if selected.len() == 1 {
        return selected.into_iter().next();
    }
    if selected.is_empty() {
        return subset_labels(subset).get(label).cloned();
    }
    None
}

/// Plans `--to`: the DestinationRule and VirtualService as they must be for `split`.
pub fn plan_shift(
    current: &Current,
    split: &[VersionWeight],
    opts: &ShiftOptions,
) -> Result<ShiftPlan, ShiftError> {
    check_versions(current, split, opts)?;
    let svc = &current.service;
    let label = opts.version_label.as_str();

    let vs_before = virtual_service(current, opts.virtual_service.as_deref())?;
    let lists = route_lists(current, vs_before);
    let wizard = if lists == ["tcp"] {
        "tcp_traffic_shifting"
    } else {
        "traffic_shifting"
    };

    // The DestinationRule: reuse a subset that selects exactly one version's workloads, else add
    // one named after the version.
    let dr_before = destination_rule(current)?;
    let mut dr = match dr_before {
        Some(dr) => dr.clone(),
        None => new_object(
            current,
            "DestinationRule",
            wizard,
            json!({"host": svc.fqdn()}),
        ),
    };
    let dr_desc = describe("DestinationRule", &dr);
    let mut subsets_of: BTreeMap<String, String> = BTreeMap::new();
    {
        let spec = spec_mut(&mut dr, &dr_desc)?;
        let subsets = array_mut(spec, "subsets", &dr_desc)?;
        for vw in split {
            let v = &vw.version;
            let qualifies = |s: &Json| subset_version(current, s, label).as_deref() == Some(v);
            let by_name = subsets.iter().find(|s| s["name"].as_str() == Some(v));
            let reused = match by_name {
                Some(s) if qualifies(s) => Some(v.clone()),
                Some(_) => {
                    return Err(ShiftError::SubsetNameTaken {
                        object: dr_desc.clone(),
                        subset: v.clone(),
                        version: v.clone(),
                    });
                }
                None => subsets
                    .iter()
                    .find(|s| qualifies(s))
                    .and_then(|s| s["name"].as_str().map(str::to_string)),
            };
            let name = match reused {
                Some(name) => name,
                None => {
                    subsets.push(json!({"name": v, "labels": {label: v}}));
                    v.clone()
                }
            };
            subsets_of.insert(v.clone(), name);
        }
    }

    // The VirtualService: only the default route's destinations change.
    let mut vs = match vs_before {
        Some(vs) => vs.clone(),
        None => new_object(
            current,
            "VirtualService",
            wizard,
            json!({"hosts": [svc.name]}),
        ),
    };
    let vs_desc = describe("VirtualService", &vs);
    // `--route NAME` names a rule of one of the lists; the other list's default route is edited.
    if let Some(name) = opts.route.as_deref() {
        let named = |list: &str| {
            vs.pointer(&format!("/spec/{list}"))
                .and_then(Json::as_array)
                .is_some_and(|rules| rules.iter().any(|r| r["name"].as_str() == Some(name)))
        };
        if !lists.iter().any(|l| named(l)) {
            return Err(ShiftError::RouteNotFound {
                object: vs_desc.clone(),
                list: lists.join(" or spec."),
                route: name.to_string(),
            });
        }
    }
    for list in lists {
        let spec = spec_mut(&mut vs, &vs_desc)?;
        let rules = array_mut(spec, list, &vs_desc)?;
        if let Some(bad) = rules.iter().position(|r| !r.is_object()) {
            return Err(ShiftError::BadObject {
                object: vs_desc.clone(),
                reason: format!("spec.{list}[{bad}] is not a mapping"),
            });
        }
        let route_name = opts
            .route
            .as_deref()
            .filter(|n| rules.iter().any(|r| r["name"].as_str() == Some(n)));
        let index = match default_rule(rules, route_name, &vs_desc, list)? {
            Some(i) => i,
            None => {
                rules.push(json!({}));
                rules.len() - 1
            }
        };
        // The host as this VirtualService writes it elsewhere, for a route that is new.
        let written_host = rules
            .iter()
            .filter_map(|r| r.get("route").and_then(Json::as_array))
            .flatten()
            .filter_map(|d| d.pointer("/destination/host"))
            .find(|h| h.as_str().is_some_and(|h| svc.is_host(h)))
            .cloned();
        let rule = &mut rules[index];
        let old: Vec<Json> = rule
            .get("route")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
        let ours = |d: &Json| {
            d.pointer("/destination/host")
                .and_then(Json::as_str)
                .is_some_and(|h| svc.is_host(h))
        };
        let template = old.iter().find(|d| ours(d));
        let host = template
            .and_then(|d| d.pointer("/destination/host"))
            .cloned()
            .or(written_host)
            .unwrap_or_else(|| Json::String(svc.fqdn()));
        let port = template
            .and_then(|d| d.pointer("/destination/port"))
            .cloned();
        let mut route = Vec::new();
        for vw in split {
            let subset = &subsets_of[&vw.version];
            let mut dest = old
                .iter()
                .find(|d| {
                    ours(d)
                        && d.pointer("/destination/subset").and_then(Json::as_str) == Some(subset)
                })
                .cloned()
                .unwrap_or_else(|| {
                    let mut d = json!({"destination": {"host": host, "subset": subset}});
                    if let Some(p) = &port {
                        d["destination"]["port"] = p.clone();
                    }
                    d
                });
            dest["weight"] = json!(vw.weight);
            route.push(dest);
        }
        rule["route"] = Json::Array(route);
    }

    let mut plan = ShiftPlan {
        subsets: subsets_of,
        ..ShiftPlan::default()
    };
    for (before, after, kind) in [
        (dr_before, dr, "DestinationRule"),
        (vs_before, vs, "VirtualService"),
    ] {
        if let Some(change) = change(before, after, kind) {
            plan.changes.push(change);
        }
    }
    Ok(plan)
}

/// A Kiali-shaped new Istio object, marked as meshdeck's.
fn new_object(current: &Current, kind: &str, wizard: &str, spec: Json) -> Json {
    super::new_object(
        &current.istio_api_version,
        kind,
        &current.service.name,
        &current.service.namespace,
        wizard,
        spec,
    )
}

/// The split as the VirtualService's default route configures it, per version.
pub fn current_split(current: &Current, opts: &ShiftOptions) -> Result<CurrentSplit, ShiftError> {
    let svc = &current.service;
    let label = opts.version_label.as_str();
    let vs = virtual_service(current, opts.virtual_service.as_deref())?;
    let dr = destination_rule(current)?;
    let mut weights: BTreeMap<String, (String, u32)> = BTreeMap::new();
    let mut other = Vec::new();
    if let Some(vs) = vs {
        let list = route_lists(current, Some(vs))[0];
        let desc = describe("VirtualService", vs);
        let rules = vs
            .pointer(&format!("/spec/{list}"))
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
        if let Some(i) = default_rule(&rules, opts.route.as_deref(), &desc, list)? {
            let route = rules[i]
                .get("route")
                .and_then(Json::as_array)
                .cloned()
                .unwrap_or_default();
            let single = route.len() == 1;
            for d in &route {
                let host = d
                    .pointer("/destination/host")
                    .and_then(Json::as_str)
                    .unwrap_or("");
                let subset = d.pointer("/destination/subset").and_then(Json::as_str);
                let weight = d
                    .get("weight")
                    .and_then(Json::as_u64)
                    .map(|w| w as u32)
                    .unwrap_or(if single { 100 } else { 0 });
                let version = subset.filter(|_| svc.is_host(host)).and_then(|s| {
                    dr.and_then(|dr| dr.pointer("/spec/subsets"))
                        .and_then(Json::as_array)
                        .and_then(|subs| subs.iter().find(|x| x["name"].as_str() == Some(s)))
                        .and_then(|x| subset_version(current, x, label))
                });
                match (version, subset) {
                    (Some(v), Some(s)) => {
                        let e = weights.entry(v).or_insert_with(|| (s.to_string(), 0));
                        e.1 += weight;
                    }
                    _ => other.push(match subset {
                        Some(s) => format!("{host}/{s}={weight}"),
                        None => format!("{host}={weight}"),
                    }),
                }
            }
        }
    }
    Ok(super::split_rows(
        current,
        label,
        weights,
        super::Backend::Istio,
        vs.map(|v| describe("VirtualService", v)),
        other,
    ))
}

/// Plans `--reset`: objects meshdeck created are deleted; objects it changed get the spec they
/// had before its first change back. Objects it did not touch are left alone.
pub fn plan_reset(current: &Current) -> Result<ShiftPlan, ShiftError> {
    let svc = &current.service;
    let candidates = current
        .destination_rules
        .iter()
        .filter(|dr| {
            dr.pointer("/spec/host")
                .and_then(Json::as_str)
                .is_some_and(|h| svc.is_host(h))
        })
        .map(|o| ("DestinationRule", o))
        .chain(
            current
                .virtual_services
                .iter()
                .filter(|vs| {
                    vs.pointer("/spec/hosts")
                        .and_then(Json::as_array)
                        .is_some_and(|h| h.iter().filter_map(Json::as_str).any(|h| svc.is_host(h)))
                })
                .map(|o| ("VirtualService", o)),
        );
    super::reset_plan(&svc.namespace, candidates)
}

#[cfg(test)]
mod tests;
