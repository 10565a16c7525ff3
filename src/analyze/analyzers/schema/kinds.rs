//! Istio's rules in code for the kinds other than VirtualService: hosts, ports, addresses and
//! the combinations of fields the schema cannot express.

use std::collections::HashSet;

use super::Finding;
use super::rules;
use super::validate::Problem;
use crate::resource::{Kind, Node, Resource};

pub fn check(kind: Kind, resource: &Resource, out: &mut Vec<Finding>) {
    let spec = resource.spec();
    let mut problems = Vec::new();
    match kind {
        Kind::Gateway => gateway(spec, &mut problems),
        Kind::DestinationRule => destination_rule(spec, &mut problems),
        Kind::ServiceEntry => service_entry(spec, &mut problems),
        Kind::Sidecar => sidecar(spec, &mut problems),
        Kind::AuthorizationPolicy => authorization_policy(spec, &mut problems),
        Kind::PeerAuthentication => peer_authentication(spec, &mut problems),
        Kind::WorkloadEntry => workload_entry(spec, "spec", &mut problems),
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

fn gateway(spec: &Node, out: &mut Vec<Problem>) {
    let servers = spec.path(&["servers"]).as_seq();
    if servers.is_empty() {
        out.push(Problem::error(
            "spec",
            "gateway must have at least one server",
        ));
    }
    let mut port_names = HashSet::new();
    for (i, s) in servers.iter().enumerate() {
        let f = format!("spec.servers[{i}]");
        let hosts = s.path(&["hosts"]).as_seq();
        if hosts.is_empty() {
            out.push(Problem::error(
                f.clone(),
                "server config must contain at least one host",
            ));
        }
        for (j, h) in hosts.iter().enumerate() {
            let h = h.text();
            let field = format!("{f}.hosts[{j}]");
            if h.contains('/') {
                namespaced_host(h, &field, out);
            } else if h != "*"
                && let Some(e) = rules::check_wildcard_domain(h)
                && !rules::is_ip(h)
            {
                out.push(Problem::error(field, e));
            }
        }
        let port = s.path(&["port"]);
        // A missing port is the schema's finding (it is required there).
        if !port.is_null() {
            let pf = format!("{f}.port");
            let proto = port.path(&["protocol"]).text();
            if !is_protocol(proto) {
                out.push(Problem::error(
                    format!("{pf}.protocol"),
                    format!("invalid protocol {proto:?}, supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP"),
                ));
            }
            let number = port.path(&["number"]).as_i64().unwrap_or(0);
            if (number > 0 || !s.path(&["bind"]).text().starts_with("unix://"))
                && let Some(e) = rules::check_port(number)
            {
                out.push(Problem::error(format!("{pf}.number"), e));
            }
            if port.path(&["targetPort"]).as_i64().unwrap_or(0) > 0 {
                out.push(Problem::error(
                    format!("{pf}.targetPort"),
                    "targetPort has no impact on Gateways",
                ));
            }
            let name = port.path(&["name"]).text();
            if name.is_empty() {
                out.push(Problem::error(pf.clone(), "port name must be set"));
            }
            if !port_names.insert(name) {
                out.push(Problem::error(
                    format!("{pf}.name"),
                    format!("port names in servers must be unique: duplicate name {name}"),
                ));
            }
        }
        server_tls(s.path(&["tls"]), &format!("{f}.tls"), out);
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

fn server_tls(tls: &Node, f: &str, out: &mut Vec<Problem>) {
    if tls.is_null() {
        return;
    }
    let text = |k: &str| tls.path(&[k]).text();
    let list = |k: &str| tls.path(&[k]).as_seq();
    let sources = [
        !text("credentialName").is_empty(),
        !list("credentialNames").is_empty(),
        !text("serverCertificate").is_empty() || !text("privateKey").is_empty(),
        !list("tlsCertificates").is_empty(),
    ];
    if sources.iter().filter(|s| **s).count() > 1 {
        out.push(Problem::error(
            f,
            "only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified",
        ));
    }
    let mode = text("mode");
    if !matches!(mode, "SIMPLE" | "MUTUAL" | "OPTIONAL_MUTUAL") || sources[0] || sources[1] {
        return;
    }
    let prefix = if mode == "SIMPLE" {
        "SIMPLE TLS"
    } else {
        "MUTUAL TLS"
    };
    if mode != "SIMPLE" && text("caCertificates").is_empty() {
        out.push(Problem::error(
            f,
            format!("{prefix} requires a client CA bundle"),
        ));
    }
    let certs: Vec<(&str, &str)> = if list("tlsCertificates").is_empty() {
        vec![(text("serverCertificate"), text("privateKey"))]
    } else {
        list("tlsCertificates")
            .iter()
            .map(|c| {
                (
                    c.path(&["serverCertificate"]).text(),
                    c.path(&["privateKey"]).text(),
                )
            })
            .collect()
    };
    for (cert, key) in certs {
        if cert.is_empty() {
            out.push(Problem::error(
                f,
                format!("{prefix} requires a server certificate"),
            ));
        }
        if key.is_empty() {
            out.push(Problem::error(
                f,
                format!("{prefix} requires a private key"),
            ));
        }
    }
}

fn destination_rule(spec: &Node, out: &mut Vec<Problem>) {
    let host = spec.path(&["host"]).text();
    if let Some(e) = rules::check_wildcard_domain(host) {
        out.push(Problem::error("spec.host", e));
    }
    let mut names = HashSet::new();
    for (i, s) in spec.path(&["subsets"]).as_seq().iter().enumerate() {
        let name = s.path(&["name"]).text();
        let f = format!("spec.subsets[{i}].name");
        if name.is_empty() {
            out.push(Problem::error(f, "subset name cannot be empty"));
        } else if !rules::is_dns1123_label(name) {
            out.push(Problem::error(f, format!("subset name is invalid: {name}")));
        } else if !names.insert(name) {
            out.push(Problem::error(f, format!("duplicate subset names: {name}")));
        }
    }
}

fn service_entry(spec: &Node, out: &mut Vec<Problem>) {
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
        if let Some(e) = rules::check_port(number) {
            out.push(Problem::error(format!("{f}.number"), e));
        }
    }
    let endpoints = spec.path(&["endpoints"]).as_seq();
    match resolution {
        "" | "NONE" if !endpoints.is_empty() => out.push(Problem::error(
            "spec.endpoints",
            "no endpoints should be provided for resolution type none",
        )),
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
    for (i, e) in endpoints.iter().enumerate() {
        workload_entry(e, &format!("spec.endpoints[{i}]"), out);
    }
}

fn workload_entry(spec: &Node, f: &str, out: &mut Vec<Problem>) {
    let address = spec.path(&["address"]).text();
    for (port_name, port) in spec
        .path(&["ports"])
        .as_map()
        .iter()
        .map(|e| (&e.key, &e.value))
    {
        if let Some(n) = port.as_i64()
            && let Some(e) = rules::check_port(n)
        {
            out.push(Problem::error(format!("{f}.ports.{port_name}"), e));
        }
    }
    if address.starts_with("unix://") && !spec.path(&["ports"]).as_map().is_empty() {
        out.push(Problem::error(
            format!("{f}.ports"),
            "UDS may not include ports",
        ));
    }
}

fn sidecar(spec: &Node, out: &mut Vec<Problem>) {
    for (i, e) in spec.path(&["egress"]).as_seq().iter().enumerate() {
        let hosts = e.path(&["hosts"]).as_seq();
        if hosts.is_empty() {
            out.push(Problem::error(
                format!("spec.egress[{i}]"),
                "egress listener must contain at least one host",
            ));
        }
        for (j, h) in hosts.iter().enumerate() {
            namespaced_host(h.text(), &format!("spec.egress[{i}].hosts[{j}]"), out);
        }
    }
}

fn authorization_policy(spec: &Node, out: &mut Vec<Problem>) {
    let action = spec.path(&["action"]).text();
    if action == "CUSTOM" && spec.path(&["provider", "name"]).text().is_empty() {
        out.push(Problem::error(
            "spec.action",
            "a CUSTOM action requires a provider (spec.provider.name)",
        ));
    }
    if action != "CUSTOM" && spec.get("provider").is_some_and(|p| !p.is_null()) {
        out.push(Problem::error(
            "spec.provider",
            "provider may only be set with the CUSTOM action",
        ));
    }
    for (i, rule) in spec.path(&["rules"]).as_seq().iter().enumerate() {
        for (j, from) in rule.path(&["from"]).as_seq().iter().enumerate() {
            for key in [
                "ipBlocks",
                "notIpBlocks",
                "remoteIpBlocks",
                "notRemoteIpBlocks",
            ] {
                for (k, b) in from.path(&["source", key]).as_seq().iter().enumerate() {
                    if let Some(e) = rules::check_ip_subnet(b.text()) {
                        out.push(Problem::error(
                            format!("spec.rules[{i}].from[{j}].source.{key}[{k}]"),
                            e,
                        ));
                    }
                }
            }
        }
        for (j, to) in rule.path(&["to"]).as_seq().iter().enumerate() {
            for key in ["ports", "notPorts"] {
                for (k, p) in to.path(&["operation", key]).as_seq().iter().enumerate() {
                    let bad = p.text().parse::<i64>().ok().and_then(rules::check_port);
                    if let Some(e) = bad.or_else(|| {
                        p.text()
                            .parse::<i64>()
                            .is_err()
                            .then(|| format!("invalid port {:?}", p.text()))
                    }) {
                        out.push(Problem::error(
                            format!("spec.rules[{i}].to[{j}].operation.{key}[{k}]"),
                            e,
                        ));
                    }
                }
            }
        }
    }
}

fn peer_authentication(spec: &Node, out: &mut Vec<Problem>) {
    let has_selector = !spec.path(&["selector", "matchLabels"]).as_map().is_empty();
    if !spec.path(&["portLevelMtls"]).as_map().is_empty() && !has_selector {
        out.push(Problem::error(
            "spec.portLevelMtls",
            "portLevelMtls requires a workload selector",
        ));
    }
}
