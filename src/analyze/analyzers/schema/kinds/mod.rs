//! Istio's rules in code for the kinds other than VirtualService (one file per area): hosts,
//! ports, addresses and the combinations of fields the schema cannot express. The helpers here
//! are shared by them.
use super::Finding;
use super::rules;
use super::validate::Problem;
use crate::resource::{Kind, Node, Resource};

mod destination_rule;
mod extensions;
mod gateway;
mod security;
mod service_entry;
mod sidecar;

use destination_rule::destination_rule;
use extensions::{envoy_filter, proxy_config, telemetry, wasm_plugin};
use gateway::gateway;
use security::{authorization_policy, peer_authentication, request_authentication};
use service_entry::{service_entry, workload_entry, workload_group};
use sidecar::sidecar;

pub fn check(kind: Kind, resource: &Resource, out: &mut Vec<Finding>) {
    let spec = resource.spec();
    let mut problems = Vec::new();
    match kind {
        Kind::DestinationRule | Kind::ServiceEntry => export_to(
            spec,
            &resource.namespace,
            kind == Kind::ServiceEntry,
            &mut problems,
        ),
        _ => {}
    }
    match kind {
        Kind::Gateway => gateway(spec, &mut problems),
        Kind::DestinationRule => destination_rule(spec, &mut problems),
        Kind::ServiceEntry => service_entry(spec, &mut problems),
        Kind::Sidecar => sidecar(spec, &mut problems),
        Kind::AuthorizationPolicy => authorization_policy(spec, &mut problems),
        Kind::PeerAuthentication => peer_authentication(spec, &mut problems),
        Kind::WorkloadEntry => workload_entry(spec, "spec", None, true, &mut problems),
        Kind::WorkloadGroup => workload_group(spec, &mut problems),
        Kind::ProxyConfig => proxy_config(spec, &mut problems),
        Kind::WasmPlugin => wasm_plugin(spec, &mut problems),
        Kind::RequestAuthentication => request_authentication(spec, &mut problems),
        Kind::Telemetry => telemetry(spec, &mut problems),
        Kind::EnvoyFilter => envoy_filter(spec, &mut problems),
        _ => {}
    }
    out.extend(problems.into_iter().map(Finding::Problem));
}

/// `namespace/host` as gateways and sidecars name hosts: the namespace is `.`, `*`, `~` or a
/// DNS label; the host may carry a wildcard.
fn namespaced_host(h: &str, field: &str, out: &mut Vec<Problem>) {
    let (ns, host) = match h.split_once('/') {
        Some(parts) => parts,
        None => {
            out.push(Problem::error(
                field,
                format!("host must be of form namespace/dnsName, got {h:?}"),
            ));
            return;
        }
    };
    if host.contains('/') {
        out.push(Problem::error(
            field,
            format!("host must be of form namespace/dnsName, got {h:?}"),
        ));
        return;
    }
    if !matches!(ns, "." | "*" | "~") && !rules::is_dns1123_label(ns) {
        out.push(Problem::error(
            field,
            format!("invalid namespace value {ns:?} in host {h:?}"),
        ));
    }
    if host != "*"
        && let Some(e) = rules::check_wildcard_domain(host)
        && !rules::is_ip(host)
    {
        out.push(Problem::error(field, e));
    }
}

/// Protocols Istio parses (case-insensitively); anything else is unsupported.
fn is_protocol(p: &str) -> bool {
    [
        "grpc",
        "grpc-web",
        "http",
        "http_proxy",
        "http2",
        "https",
        "tcp",
        "tls",
        "udp",
        "mongo",
        "redis",
        "mysql",
    ]
    .iter()
    .any(|k| k.eq_ignore_ascii_case(p))
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A workload selector: no empty keys, no wildcards, and a selector without labels (which
/// selects every workload of the namespace) is a warning. `scope` names the kind where Istio's
/// warning names it (`sidecar`, `service entry`).
fn workload_selector(sel: &Node, field: &str, key: &str, scope: &str, out: &mut Vec<Problem>) {
    if sel.is_null() {
        return;
    }
    let labels = sel.path(&[key]);
    for (k, v) in labels.string_map() {
        let f = format!("{field}.{key}.{k}");
        if k.is_empty() {
            out.push(Problem::error(
                f.clone(),
                format!("empty key is not supported in selector: \"{k}={v}\""),
            ));
        }
        if k.contains('*') || v.contains('*') {
            out.push(Problem::error(
                f,
                format!("wildcard is not supported in selector: \"{k}={v}\""),
            ));
        }
    }
    if labels.as_map().is_empty() {
        let msg = if scope.is_empty() {
            "workload selector specified without labels".to_string()
        } else {
            format!(
                "{scope}: workload selector specified without labels, will be applied to all services in namespace"
            )
        };
        out.push(Problem::warning(field, msg));
    }
}

/// `exportTo`: `.`, `*`, `~` (ServiceEntries only) or namespaces, without duplicates, and `*` or
/// `~` alone.
pub fn export_to(spec: &Node, namespace: &str, service_entry: bool, out: &mut Vec<Problem>) {
    let entries: Vec<&str> = spec.path(&["exportTo"]).string_list().collect();
    let mut seen: Vec<&str> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let f = format!("spec.exportTo[{i}]");
        let key = if *e == "." { namespace } else { e };
        if seen.contains(&key) {
            let msg = if key != *e {
                format!("duplicate entries in exportTo: . and current namespace {namespace}")
            } else {
                format!("duplicate entries in exportTo for entry {e}")
            };
            out.push(Problem::error(f, msg));
            continue;
        }
        let valid = matches!(key, "*" | ".")
            || (service_entry && key == "~")
            || rules::is_dns1123_label(key);
        if !valid {
            out.push(Problem::error(
                f,
                format!(
                    "only .,* or a valid DNS 1123 label is allowed as exportTo entry, got {e:?}"
                ),
            ));
            continue;
        }
        seen.push(key);
    }
    if entries.len() > 1 && seen.contains(&"*") {
        out.push(Problem::error(
            "spec.exportTo",
            "cannot have both public (*) and non-public exportTo values for a resource",
        ));
    }
    if entries.len() > 1 && seen.contains(&"~") {
        out.push(Problem::error(
            "spec.exportTo",
            "cannot export service entry to no one (~) and someone",
        ));
    }
}
