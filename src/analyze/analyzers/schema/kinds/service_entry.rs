//! ServiceEntries and the workloads they and WorkloadEntries/WorkloadGroups describe.

use std::collections::HashSet;

use super::{is_protocol, workload_selector};
use crate::analyze::analyzers::schema::rules;
use crate::analyze::analyzers::schema::validate::Problem;
use crate::resource::Node;

pub(super) fn service_entry(spec: &Node, out: &mut Vec<Problem>) {
    workload_selector(
        spec.path(&["workloadSelector"]),
        "spec.workloadSelector",
        "labels",
        "service entry",
        out,
    );
    let hosts = spec.path(&["hosts"]).as_seq();
    if hosts.is_empty() {
        out.push(Problem::error(
            "spec",
            "service entry must have at least one host",
        ));
    }
    let resolution = spec.path(&["resolution"]).text();
    for (i, h) in hosts.iter().enumerate() {
        let h = h.text();
        // `*` alone is the schema's finding ("hostname cannot be wildcard").
        if h != "*"
            && let Some(e) = rules::check_wildcard_domain(h)
        {
            out.push(Problem::error(format!("spec.hosts[{i}]"), e));
        }
    }
    let mut cidr = false;
    for (i, a) in spec.path(&["addresses"]).as_seq().iter().enumerate() {
        cidr |= a.text().contains('/');
        if let Some(e) = rules::check_ip_subnet(a.text()) {
            out.push(Problem::error(format!("spec.addresses[{i}]"), e));
        }
    }
    if cidr && !matches!(resolution, "" | "NONE" | "STATIC") {
        out.push(Problem::error(
            "spec.resolution",
            "CIDR addresses are allowed only for NONE/STATIC resolution types",
        ));
    }
    let mut names = HashSet::new();
    let mut numbers = HashSet::new();
    for (i, p) in spec.path(&["ports"]).as_seq().iter().enumerate() {
        let f = format!("spec.ports[{i}]");
        let name = p.path(&["name"]).text();
        if !names.insert(name) {
            out.push(Problem::error(
                format!("{f}.name"),
                format!("service entry port name {name:?} already defined"),
            ));
        }
        let number = p.path(&["number"]).as_i64().unwrap_or(0);
        if !numbers.insert(number) {
            out.push(Problem::error(
                format!("{f}.number"),
                format!("service entry port {number} already defined"),
            ));
        }
        let proto = p.path(&["protocol"]).text();
        if !proto.is_empty() && !is_protocol(proto) {
            out.push(Problem::error(
                format!("{f}.protocol"),
                format!("unrecognized protocol name: {proto}"),
            ));
        }
        // The port range is the schema's finding.
    }
    let endpoints = spec.path(&["endpoints"]).as_seq();
    match resolution {
        "" | "NONE" => {
            if !endpoints.is_empty() {
                out.push(Problem::error(
                    "spec.endpoints",
                    "no endpoints should be provided for resolution type none",
                ));
            }
            if spec.get("workloadSelector").is_some_and(|n| !n.is_null()) {
                out.push(Problem::warning(
                    "spec.workloadSelector",
                    "workloadSelector should not be set when resolution mode is NONE",
                ));
            }
        }
        "DNS" | "DNS_ROUND_ROBIN" => {
            if endpoints.is_empty()
                && let Some((i, e)) = hosts
                    .iter()
                    .enumerate()
                    .find_map(|(i, h)| rules::check_fqdn(h.text()).map(|e| (i, e)))
            {
                out.push(Problem::error(
                    format!("spec.hosts[{i}]"),
                    format!("hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode {resolution}, {e}"),
                ));
            }
            if resolution == "DNS_ROUND_ROBIN" && endpoints.len() > 1 {
                out.push(Problem::error(
                    "spec.endpoints",
                    format!("there must only be 0 or 1 endpoint for resolution mode {resolution}"),
                ));
            }
        }
        _ => {}
    }
    // STATIC endpoints are addresses; DNS ones may also be names (both checked the same way).
    if matches!(resolution, "STATIC" | "DNS" | "DNS_ROUND_ROBIN") {
        for (i, e) in endpoints.iter().enumerate() {
            let f = format!("spec.endpoints[{i}]");
            workload_entry(e, &f, Some(&names), resolution != "STATIC", out);
        }
    }
}

/// A WorkloadEntry, or a ServiceEntry endpoint (`service_ports` then names the entry's ports;
/// STATIC endpoints must be IP addresses, `allow_fqdn` false).
pub(super) fn workload_entry(
    spec: &Node,
    f: &str,
    service_ports: Option<&HashSet<&str>>,
    allow_fqdn: bool,
    out: &mut Vec<Problem>,
) {
    let address = spec.path(&["address"]).text();
    let network = spec.path(&["network"]).text();
    if address.is_empty() {
        if network.is_empty() {
            out.push(Problem::error(f, "address is required"));
            return;
        }
        out.push(Problem::warning(
            format!("{f}.network"),
            format!("address is unset with network {network:?}"),
        ));
    }
    let ports = spec.path(&["ports"]).as_map();
    if let Some(path) = address.strip_prefix("unix://") {
        if !path.starts_with('/') && !path.starts_with('@') {
            out.push(Problem::error(
                format!("{f}.address"),
                format!("{path} is not an absolute path"),
            ));
        }
        if !ports.is_empty() {
            out.push(Problem::error(
                format!("{f}.ports"),
                format!("unix endpoint {address} must not include ports"),
            ));
        }
    } else if !address.is_empty() && !rules::is_ip(address) {
        if !allow_fqdn {
            out.push(Problem::error(
                format!("{f}.address"),
                format!("endpoint address {address:?} is not a valid IP address"),
            ));
        } else if rules::check_fqdn(address).is_some() {
            out.push(Problem::error(
                format!("{f}.address"),
                format!("endpoint address {address:?} is not a valid FQDN or an IP address"),
            ));
        }
    }
    // Port numbers are the schema's finding; a ServiceEntry's endpoints use its named ports.
    for e in ports {
        if let Some(defined) = service_ports
            && !defined.contains(e.key.as_str())
        {
            out.push(Problem::error(
                format!("{f}.ports.{}", e.key),
                format!(
                    "endpoint port {} is not defined by the service entry",
                    e.value.text()
                ),
            ));
        }
    }
}

pub(super) fn workload_group(spec: &Node, out: &mut Vec<Problem>) {
    if spec.get("template").is_none_or(Node::is_null) {
        out.push(Problem::error("spec", "template is required"));
    }
    let probe = spec.path(&["probe"]);
    if probe.is_map() {
        let set = |k: &str| probe.get(k).is_some_and(|v| !v.is_null());
        let kinds: Vec<&str> = ["httpGet", "tcpSocket", "exec", "grpc"]
            .into_iter()
            .filter(|k| set(k))
            .collect();
        if kinds.is_empty() {
            out.push(Problem::error("spec.probe", "must define a health check"));
        }
    }
}
