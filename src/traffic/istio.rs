//! The Istio backend: one DestinationRule subset per version and a weighted default route in
//! the VirtualService of the Service's host, as Kiali's traffic-shifting wizard builds them.
//! Existing objects are merged into: only the destinations of the match-less default route
//! change (and subsets are added); every other field stays as the user wrote it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value as Json, json};

use super::{
    CREATED_ANNOTATION, Change, Current, CurrentSplit, Deletion, KIALI_WIZARD_LABEL,
    PREVIOUS_SPEC_ANNOTATION, ShiftError, ShiftPlan, SplitRow, VersionWeight,
};

/// How a shift is asked for, besides the split.
#[derive(Clone, Debug)]
pub struct ShiftOptions {
    /// The workload label whose values are versions (`version`).
    pub version_label: String,
    /// Route versions no workload has yet.
    pub allow_missing: bool,
    /// The route (`spec.http[].name`) to edit when several have no match.
    pub route: Option<String>,
    /// The VirtualService to edit when several name the host.
    pub virtual_service: Option<String>,
}

impl Default for ShiftOptions {
    fn default() -> Self {
        ShiftOptions {
            version_label: "version".into(),
            allow_missing: false,
            route: None,
            virtual_service: None,
        }
    }
}

fn name_of(obj: &Json) -> String {
    obj.pointer("/metadata/name")
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_string()
}

fn annotation<'a>(obj: &'a Json, key: &str) -> Option<&'a str> {
    obj.pointer("/metadata/annotations")
        .and_then(|a| a.get(key))
        .and_then(Json::as_str)
}

fn created_by_meshdeck(obj: &Json) -> bool {
    annotation(obj, CREATED_ANNOTATION) == Some("true")
}

fn describe(kind: &str, obj: &Json) -> String {
    let ns = obj
        .pointer("/metadata/namespace")
        .and_then(Json::as_str)
        .unwrap_or("");
    format!("{kind} {ns}/{}", name_of(obj))
}

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

/// `http` or `tcp`: the list of routes a shift edits.
fn route_list(current: &Current, vs: Option<&Json>) -> &'static str {
    let has = |key: &str| {
        vs.and_then(|v| v.pointer(&format!("/spec/{key}")))
            .and_then(Json::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    if has("http") {
        "http"
    } else if has("tcp") || current.service.is_tcp() {
        "tcp"
    } else {
        "http"
    }
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
    let svc = &current.service;
    let svc_name = format!("{}/{}", svc.namespace, svc.name);
    if svc.selector.is_empty() {
        return Err(ShiftError::NoSelector(svc_name));
    }
    let label = opts.version_label.as_str();
    let known = current.versions(label);
    let unknown: Vec<String> = split
        .iter()
        .filter(|v| !known.contains(&v.version))
        .map(|v| v.version.clone())
        .collect();
    if !unknown.is_empty() && !opts.allow_missing {
        return Err(ShiftError::UnknownVersions {
            service: format!("Service {svc_name}"),
            label: label.to_string(),
            unknown,
            known: known.into_iter().collect(),
        });
    }

    let vs_before = virtual_service(current, opts.virtual_service.as_deref())?;
    let list = route_list(current, vs_before);
    let wizard = if list == "tcp" {
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
    {
        let spec = spec_mut(&mut vs, &vs_desc)?;
        let rules = array_mut(spec, list, &vs_desc)?;
        if let Some(bad) = rules.iter().position(|r| !r.is_object()) {
            return Err(ShiftError::BadObject {
                object: vs_desc.clone(),
                reason: format!("spec.{list}[{bad}] is not a mapping"),
            });
        }
        let index = match default_rule(rules, opts.route.as_deref(), &vs_desc, list)? {
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

/// A Kiali-shaped new object, marked as meshdeck's.
fn new_object(current: &Current, kind: &str, wizard: &str, spec: Json) -> Json {
    json!({
        "apiVersion": current.istio_api_version,
        "kind": kind,
        "metadata": {
            "name": current.service.name,
            "namespace": current.service.namespace,
            "labels": {KIALI_WIZARD_LABEL: wizard},
            "annotations": {CREATED_ANNOTATION: "true"},
        },
        "spec": spec,
    })
}

fn spec_mut<'a>(obj: &'a mut Json, desc: &str) -> Result<&'a mut Map<String, Json>, ShiftError> {
    if obj.get("spec").is_none_or(Json::is_null) {
        obj["spec"] = json!({});
    }
    obj["spec"]
        .as_object_mut()
        .ok_or_else(|| ShiftError::BadObject {
            object: desc.to_string(),
            reason: "spec is not a mapping".into(),
        })
}

fn array_mut<'a>(
    spec: &'a mut Map<String, Json>,
    key: &str,
    desc: &str,
) -> Result<&'a mut Vec<Json>, ShiftError> {
    let entry = spec.entry(key.to_string()).or_insert_with(|| json!([]));
    if entry.is_null() {
        *entry = json!([]);
    }
    entry.as_array_mut().ok_or_else(|| ShiftError::BadObject {
        object: desc.to_string(),
        reason: format!("spec.{key} is not a list"),
    })
}

/// The change from `before` to `after` (with the previous spec kept for `--reset`), or `None`
/// when the spec is the same.
fn change(before: Option<&Json>, mut after: Json, kind: &str) -> Option<Change> {
    if let Some(b) = before {
        if b.get("spec") == after.get("spec") {
            return None;
        }
        if !created_by_meshdeck(b) && annotation(b, PREVIOUS_SPEC_ANNOTATION).is_none() {
            let previous = serde_json::to_string(b.get("spec").unwrap_or(&Json::Null))
                .expect("JSON values serialize");
            set_annotation(&mut after, PREVIOUS_SPEC_ANNOTATION, Some(previous));
        }
    }
    let apply = apply_body(&after, before.is_some());
    Some(Change {
        kind: kind.to_string(),
        name: name_of(&after),
        namespace: after
            .pointer("/metadata/namespace")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string(),
        before: before.cloned(),
        after,
        apply,
    })
}

fn set_annotation(obj: &mut Json, key: &str, value: Option<String>) {
    let meta = &mut obj["metadata"];
    if meta.get("annotations").is_none_or(|a| !a.is_object()) {
        meta["annotations"] = json!({});
    }
    let annotations = meta["annotations"].as_object_mut().expect("a mapping");
    match value {
        Some(v) => {
            annotations.insert(key.to_string(), Json::String(v));
        }
        None => {
            annotations.remove(key);
        }
    }
}

/// What server-side apply is sent: meshdeck's fields only (its annotations, and Kiali's label
/// on objects it created), the spec, and the resourceVersion that was read, so that an edit
/// made in between is refused instead of overwritten.
fn apply_body(after: &Json, existed: bool) -> Json {
    let meta = &after["metadata"];
    let mut metadata = json!({"name": meta["name"], "namespace": meta["namespace"]});
    if existed && let Some(rv) = meta.get("resourceVersion") {
        metadata["resourceVersion"] = rv.clone();
    }
    let ours: Map<String, Json> = meta
        .get("annotations")
        .and_then(Json::as_object)
        .map(|a| {
            a.iter()
                .filter(|(k, _)| k.starts_with("meshdeck.io/traffic-shift-"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    if !ours.is_empty() {
        metadata["annotations"] = Json::Object(ours);
    }
    if created_by_meshdeck(after)
        && let Some(w) = meta.pointer(&format!("/labels/{KIALI_WIZARD_LABEL}"))
    {
        metadata["labels"] = json!({KIALI_WIZARD_LABEL: w});
    }
    json!({
        "apiVersion": after["apiVersion"],
        "kind": after["kind"],
        "metadata": metadata,
        "spec": after.get("spec").cloned().unwrap_or_else(|| json!({})),
    })
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
        let list = route_list(current, Some(vs));
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
    let replicas = current.replicas(label);
    let mut versions: BTreeSet<String> = current.versions(label);
    versions.extend(weights.keys().cloned());
    let rows = versions
        .into_iter()
        .map(|v| {
            let (ready, total) = replicas.get(&v).copied().unwrap_or((0, 0));
            let (subset, weight) = match weights.get(&v) {
                Some((s, w)) => (Some(s.clone()), *w),
                None => (None, 0),
            };
            SplitRow {
                version: v,
                subset,
                weight,
                ready,
                total,
            }
        })
        .collect();
    Ok(CurrentSplit {
        service: svc.name.clone(),
        namespace: svc.namespace.clone(),
        virtual_service: vs.map(|v| describe("VirtualService", v)),
        rows,
        other,
    })
}

/// Plans `--reset`: objects meshdeck created are deleted; objects it changed get the spec they
/// had before its first change back. Objects it did not touch are left alone.
pub fn plan_reset(current: &Current) -> Result<ShiftPlan, ShiftError> {
    let svc = &current.service;
    let mut plan = ShiftPlan::default();
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
    for (kind, obj) in candidates {
        let desc = describe(kind, obj);
        if created_by_meshdeck(obj) {
            plan.deletions.push(Deletion {
                kind: kind.to_string(),
                api_version: obj["apiVersion"].as_str().unwrap_or("").to_string(),
                name: name_of(obj),
                namespace: svc.namespace.clone(),
                before: obj.clone(),
            });
        } else if let Some(previous) = annotation(obj, PREVIOUS_SPEC_ANNOTATION) {
            let spec: Json = serde_json::from_str(previous).map_err(|e| ShiftError::BadObject {
                object: desc.clone(),
                reason: format!(
                    "annotation {PREVIOUS_SPEC_ANNOTATION} is not the JSON of a spec ({e})"
                ),
            })?;
            let mut after = obj.clone();
            after["spec"] = spec;
            set_annotation(&mut after, PREVIOUS_SPEC_ANNOTATION, None);
            let apply = apply_body(&after, true);
            plan.changes.push(Change {
                kind: kind.to_string(),
                name: name_of(obj),
                namespace: svc.namespace.clone(),
                before: Some(obj.clone()),
                after,
                apply,
            });
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests;
