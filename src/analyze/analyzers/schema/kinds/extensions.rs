//! EnvoyFilters, WasmPlugins, Telemetry and ProxyConfig.

use std::collections::HashSet;

use super::workload_selector;
use crate::analyze::analyzers::schema::rules;
use crate::analyze::analyzers::schema::validate::Problem;
use crate::resource::Node;

pub(super) fn proxy_config(spec: &Node, out: &mut Vec<Problem>) {
    workload_selector(
        spec.path(&["selector"]),
        "spec.selector",
        "matchLabels",
        "",
        out,
    );
    if spec.path(&["concurrency"]).as_i64().is_some_and(|c| c < 0) {
        out.push(Problem::error(
            "spec.concurrency",
            "concurrency must be greater than or equal to 0",
        ));
    }
}

pub(super) fn wasm_plugin(spec: &Node, out: &mut Vec<Problem>) {
    workload_selector(
        spec.path(&["selector"]),
        "spec.selector",
        "matchLabels",
        "",
        out,
    );
    let url = spec.path(&["url"]).text();
    if url.is_empty() {
        out.push(Problem::error("spec.url", "url field needs to be set"));
    } else if let Some((scheme, _)) = url.split_once("://")
        && !matches!(scheme, "file" | "http" | "https" | "oci")
    {
        out.push(Problem::error(
            "spec.url",
            format!("url contains unsupported scheme: {scheme}"),
        ));
    }
    let sha = spec.path(&["sha256"]).text();
    if !sha.is_empty() {
        if sha.len() != 64 {
            out.push(Problem::error(
                "spec.sha256",
                "sha256 field must be 64 characters long",
            ));
        } else if !sha.bytes().all(|b| matches!(b, b'a'..=b'f' | b'0'..=b'9')) {
            out.push(Problem::error(
                "spec.sha256",
                "sha256 field must match [a-f0-9]{64} pattern",
            ));
        }
    }
    let mut names = HashSet::new();
    for (i, env) in spec.path(&["vmConfig", "env"]).as_seq().iter().enumerate() {
        let f = format!("spec.vmConfig.env[{i}]");
        let name = env.path(&["name"]).text();
        if name.is_empty() {
            out.push(Problem::error(f, "spec.vmConfig.env invalid"));
            break;
        }
        if !names.insert(name) {
            out.push(Problem::error(format!("{f}.name"), "duplicate env"));
            break;
        }
        if !matches!(env.path(&["valueFrom"]).text(), "" | "INLINE")
            && !env.path(&["value"]).text().is_empty()
        {
            out.push(Problem::error(
                format!("{f}.value"),
                "value may only be set when valueFrom is INLINE",
            ));
            break;
        }
    }
    for (i, sel) in spec.path(&["match"]).as_seq().iter().enumerate() {
        for (j, port) in sel.path(&["ports"]).as_seq().iter().enumerate() {
            let n = port.path(&["number"]).as_i64().unwrap_or(0);
            if !(1..=65535).contains(&n) {
                out.push(Problem::error(
                    format!("spec.match[{i}].ports[{j}].number"),
                    format!("spec.Match[{i}].Ports[{j}] is out of range: {n}"),
                ));
            }
        }
    }
}

pub(super) fn telemetry(spec: &Node, out: &mut Vec<Problem>) {
    let tracing = spec.path(&["tracing"]).as_seq();
    if tracing.len() > 1 {
        out.push(Problem::warning(
            "spec.tracing",
            "multiple tracing is not currently supported",
        ));
    }
    for (i, t) in tracing.iter().enumerate() {
        if t.path(&["providers"]).as_seq().len() > 1 {
            out.push(Problem::warning(
                format!("spec.tracing[{i}].providers"),
                "multiple providers is not currently supported",
            ));
        }
    }
    for (i, m) in spec.path(&["metrics"]).as_seq().iter().enumerate() {
        for (j, o) in m.path(&["overrides"]).as_seq().iter().enumerate() {
            for t in o.path(&["tagOverrides"]).as_map() {
                if t.key.is_empty() {
                    out.push(Problem::warning(
                        format!("spec.metrics[{i}].overrides[{j}].tagOverrides"),
                        "tagOverrides.name may not be empty",
                    ));
                }
            }
        }
    }
}

const HCM: &str = "envoy.filters.network.http_connection_manager";

pub(super) fn envoy_filter(spec: &Node, out: &mut Vec<Problem>) {
    out.push(Problem::warning(
        "spec",
        "EnvoyFilter exposes internal implementation details that may change at any time. Prefer other APIs if possible, and exercise extreme caution, especially around upgrades.",
    ));
    workload_selector(
        spec.path(&["workloadSelector"]),
        "spec.workloadSelector",
        "labels",
        "Envoy filter",
        out,
    );
    for (i, cp) in spec.path(&["configPatches"]).as_seq().iter().enumerate() {
        let f = format!("spec.configPatches[{i}]");
        let mut err = |field: String, msg: &str| {
            out.push(Problem::error(field, format!("Envoy filter: {msg}")))
        };
        if cp.is_null() {
            err(f, "null config patch");
            continue;
        }
        let m = cp.path(&["match"]);
        // Waypoint patches are not validated by Istio yet.
        if m.path(&["context"]).text() == "WAYPOINT" {
            continue;
        }
        let apply_to = cp.path(&["applyTo"]).text();
        let patch = cp.path(&["patch"]);
        let operation = patch.path(&["operation"]).text();
        if matches!(apply_to, "" | "INVALID") {
            err(f, "missing applyTo");
            continue;
        }
        if patch.is_null() {
            err(f, "missing patch");
            continue;
        }
        if matches!(operation, "" | "INVALID") {
            err(format!("{f}.patch"), "missing patch operation");
            continue;
        }
        if operation != "REMOVE" && patch.path(&["value"]).is_null() {
            err(
                format!("{f}.patch"),
                "missing patch value for non-remove operation",
            );
            continue;
        }
        let version = m.path(&["proxy", "proxyVersion"]).text();
        if !version.is_empty()
            && let Some(e) = rules::check_regex(version, "proxyVersion")
        {
            err(
                format!("{f}.match.proxy.proxyVersion"),
                &format!("invalid regex for proxy version, [{e}]"),
            );
            continue;
        }
        let object_types = ["listener", "routeConfiguration", "cluster"];
        let set = |k: &str| m.get(k).is_some_and(|v| !v.is_null());
        let has_object_type = object_types.iter().any(|k| set(k));
        match apply_to {
            "LISTENER" | "FILTER_CHAIN" | "NETWORK_FILTER" | "HTTP_FILTER" if has_object_type => {
                if !set("listener") {
                    err(
                        format!("{f}.match"),
                        "applyTo for listener class objects cannot have non listener match",
                    );
                    continue;
                }
                let filter = m.path(&["listener", "filterChain", "filter"]);
                if filter.is_null() {
                    continue;
                }
                let ff = format!("{f}.match.listener.filterChain.filter");
                if matches!(apply_to, "LISTENER" | "FILTER_CHAIN") {
                    out.push(Problem::warning(
                        ff.clone(),
                        format!(
                            "Envoy filter: filter match has no effect when used with {apply_to}"
                        ),
                    ));
                }
                let mut err = |field: String, msg: &str| {
                    out.push(Problem::error(field, format!("Envoy filter: {msg}")))
                };
                let name = filter.path(&["name"]).text();
                let sub = filter.path(&["subFilter"]);
                if name.is_empty() {
                    err(ff, "filter match has no name to match on");
                } else if !sub.is_null() {
                    if apply_to != "HTTP_FILTER" {
                        err(
                            format!("{ff}.subFilter"),
                            "subfilter match can be used with applyTo HTTP_FILTER only",
                        );
                    } else if name != HCM && name != "envoy.http_connection_manager" {
                        err(
                            format!("{ff}.name"),
                            &format!("subfilter match requires filter match with {HCM}"),
                        );
                    } else if sub.path(&["name"]).text().is_empty() {
                        err(
                            format!("{ff}.subFilter"),
                            "subfilter match has no name to match on",
                        );
                    }
                }
            }
            "ROUTE_CONFIGURATION" | "VIRTUAL_HOST" | "HTTP_ROUTE"
                if has_object_type && !set("routeConfiguration") =>
            {
                err(
                    format!("{f}.match"),
                    "applyTo for http route class objects cannot have non route configuration match",
                );
            }
            "CLUSTER" if has_object_type && !set("cluster") => {
                err(
                    format!("{f}.match"),
                    "applyTo for cluster class objects cannot have non cluster match",
                );
            }
            _ => {}
        }
    }
}
