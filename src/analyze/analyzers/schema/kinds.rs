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
        let http = ["http", "http2", "grpc", "grpc-web", "http_proxy"]
            .iter()
            .any(|p| p.eq_ignore_ascii_case(port.path(&["protocol"]).text()));
        if !port.is_null() && !http && s.path(&["tls", "httpsRedirect"]).as_bool() == Some(true) {
            out.push(Problem::warning(
                format!("{f}.tls.httpsRedirect"),
                "tls.httpsRedirect should only be used with http servers",
            ));
        }
        server_tls(s.path(&["tls"]), &format!("{f}.tls"), out);
    }
}

/// Cipher suites Envoy takes (BoringSSL names); `ALL` and expressions starting with an operator
/// (`-AES128-SHA`) are passed through, as Istio does.
fn is_cipher_suite(c: &str) -> bool {
    const SUITES: &[&str] = &[
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-CHACHA20-POLY1305",
        "ECDHE-ECDSA-AES128-SHA",
        "ECDHE-RSA-AES128-SHA",
        "ECDHE-ECDSA-AES256-SHA",
        "ECDHE-RSA-AES256-SHA",
        "AES128-GCM-SHA256",
        "AES256-GCM-SHA384",
        "AES128-SHA",
        "AES256-SHA",
        "DES-CBC3-SHA",
    ];
    c.is_empty()
        || c == "ALL"
        || !c.chars().next().is_some_and(char::is_alphanumeric)
        || SUITES.contains(&c)
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
    let ciphers: Vec<&str> = tls.path(&["cipherSuites"]).string_list().collect();
    if matches!(text("minProtocolVersion"), "TLSV1_0" | "TLSV1_1") && ciphers.is_empty() {
        out.push(Problem::warning(
            format!("{f}.minProtocolVersion"),
            "TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers.",
        ));
    }
    let mut invalid: Vec<&str> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut duplicate: Vec<&str> = Vec::new();
    for c in &ciphers {
        if !is_cipher_suite(c) {
            invalid.push(c);
        } else if seen.contains(c) {
            duplicate.push(c);
        } else {
            seen.push(c);
        }
    }
    for (what, mut names) in [("invalid", invalid), ("duplicate", duplicate)] {
        if !names.is_empty() {
            names.sort_unstable();
            names.dedup();
            out.push(Problem::warning(
                format!("{f}.cipherSuites"),
                format!("ignoring {what} cipher suites: [{}]", names.join(" ")),
            ));
        }
    }
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
    if matches!(mode, "PASSTHROUGH" | "AUTO_PASSTHROUGH")
        && (sources.iter().any(|s| *s)
            || !text("caCertificates").is_empty()
            || !text("caCrl").is_empty())
    {
        out.push(Problem::warning(
            f,
            format!("{mode} mode does not use certificates, they will be ignored"),
        ));
    }
    if mode == "ISTIO_MUTUAL" {
        for (set, what) in [
            (!text("serverCertificate").is_empty(), "server certificate"),
            (!text("privateKey").is_empty(), "private key"),
            (!text("caCertificates").is_empty(), "CA bundle"),
            (sources[3], "tlsCertificates"),
            (sources[0], "credentialName"),
            (sources[1], "credentialNames"),
        ] {
            if set {
                out.push(Problem::error(
                    f,
                    format!("ISTIO_MUTUAL TLS cannot have associated {what}"),
                ));
            }
        }
        return;
    }
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
    traffic_policy(spec.path(&["trafficPolicy"]), "spec.trafficPolicy", out);
    let mut names = HashSet::new();
    for (i, s) in spec.path(&["subsets"]).as_seq().iter().enumerate() {
        let name = s.path(&["name"]).text();
        let f = format!("spec.subsets[{i}]");
        if !names.insert(name) {
            out.push(Problem::error(
                format!("{f}.name"),
                format!("duplicate subset names: {name}"),
            ));
        }
        if name.is_empty() {
            out.push(Problem::error(
                format!("{f}.name"),
                "subset name cannot be empty",
            ));
        } else if !rules::is_dns1123_label(name) {
            out.push(Problem::error(
                format!("{f}.name"),
                format!("subset name is invalid: {name}"),
            ));
        }
        traffic_policy(
            s.path(&["trafficPolicy"]),
            &format!("{f}.trafficPolicy"),
            out,
        );
    }
    workload_selector(
        spec.path(&["workloadSelector"]),
        "spec.workloadSelector",
        "matchLabels",
        "",
        out,
    );
}

fn traffic_policy(policy: &Node, f: &str, out: &mut Vec<Problem>) {
    if policy.is_null() {
        return;
    }
    let set = |n: &Node, k: &str| n.get(k).is_some_and(|v| !v.is_null());
    const FIELDS: &[&str] = &[
        "outlierDetection",
        "connectionPool",
        "loadBalancer",
        "tls",
        "portLevelSettings",
        "tunnel",
        "proxyProtocol",
        "retryBudget",
    ];
    if !FIELDS.iter().any(|k| set(policy, k)) {
        out.push(Problem::error(
            f,
            "traffic policy must have at least one field",
        ));
        return;
    }
    if set(policy, "tunnel") && set(policy, "proxyProtocol") {
        out.push(Problem::error(
            f,
            "tunnel and proxyProtocol must not be set together",
        ));
        return;
    }
    policy_parts(policy, f, out);
    for (i, p) in policy
        .path(&["portLevelSettings"])
        .as_seq()
        .iter()
        .enumerate()
    {
        let pf = format!("{f}.portLevelSettings[{i}]");
        if !set(p, "port") {
            out.push(Problem::error(
                pf.clone(),
                "portTrafficPolicy must have valid port",
            ));
        }
        if !["outlierDetection", "connectionPool", "loadBalancer", "tls"]
            .iter()
            .any(|k| set(p, k))
        {
            out.push(Problem::error(
                pf,
                "port traffic policy must have at least one field",
            ));
        } else {
            policy_parts(p, &pf, out);
        }
    }
}

/// Outlier detection, connection pool, load balancer and client TLS of a (port) traffic policy.
fn policy_parts(policy: &Node, f: &str, out: &mut Vec<Problem>) {
    connection_pool(
        policy.path(&["connectionPool"]),
        &format!("{f}.connectionPool"),
        out,
    );
    load_balancer(
        policy.path(&["loadBalancer"]),
        &format!("{f}.loadBalancer"),
        out,
    );
    let od = policy.path(&["outlierDetection"]);
    for key in ["maxEjectionPercent", "minHealthPercent"] {
        if let Some(v) = od.path(&[key]).as_i64()
            && !(0..=100).contains(&v)
        {
            out.push(Problem::error(
                format!("{f}.outlierDetection.{key}"),
                format!("percentage {v} is not in range 0..100"),
            ));
        }
    }
    if od.path(&["consecutiveErrors"]).as_i64().unwrap_or(0) != 0 {
        out.push(Problem::warning(
            format!("{f}.outlierDetection.consecutiveErrors"),
            "outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead",
        ));
    }
    if od.path(&["splitExternalLocalOriginErrors"]).as_bool() != Some(true)
        && od
            .path(&["consecutiveLocalOriginFailures"])
            .as_i64()
            .unwrap_or(0)
            > 0
    {
        out.push(Problem::error(
            format!("{f}.outlierDetection.consecutiveLocalOriginFailures"),
            "outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false",
        ));
    }
    let ch = policy.path(&["loadBalancer", "consistentHash"]);
    if ch.path(&["minimumRingSize"]).as_i64().unwrap_or(0) != 0 {
        let field = format!("{f}.loadBalancer.consistentHash.minimumRingSize");
        out.push(Problem::warning(
            field.clone(),
            "consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead",
        ));
        if ["ringHash", "maglev"]
            .iter()
            .any(|k| ch.get(k).is_some_and(|v| !v.is_null()))
        {
            out.push(Problem::error(
                field,
                "only one of MinimumRingSize or Maglev/Ringhash can be specified",
            ));
        }
    }
    let tls = policy.path(&["tls"]);
    let tf = format!("{f}.tls");
    let text = |k: &str| tls.path(&[k]).text();
    let mode = text("mode");
    if tls.path(&["insecureSkipVerify"]).as_bool() == Some(true) {
        let sans = tls.get("subjectAltNames").is_some_and(|v| !v.is_null());
        if mode == "SIMPLE"
            && (!text("caCertificates").is_empty() || !text("credentialName").is_empty() || sans)
        {
            out.push(Problem::error(
                tf.clone(),
                "cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true",
            ));
        }
        if mode == "MUTUAL" && (!text("caCertificates").is_empty() || sans) {
            out.push(Problem::error(
                tf.clone(),
                "cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true",
            ));
        }
    }
    if matches!(mode, "SIMPLE" | "MUTUAL") && !text("credentialName").is_empty() {
        if ["clientCertificate", "caCertificates", "privateKey", "caCrl"]
            .iter()
            .any(|k| !text(k).is_empty())
        {
            out.push(Problem::error(
                tf,
                "cannot specify client certificates or CA certificate or CA CRL If credentialName is set",
            ));
        }
        return;
    }
    if mode == "MUTUAL" {
        if text("clientCertificate").is_empty() {
            out.push(Problem::error(
                tf.clone(),
                "client certificate required for mutual tls",
            ));
        }
        if text("privateKey").is_empty() {
            out.push(Problem::error(tf, "private key required for mutual tls"));
        }
    }
}

fn service_entry(spec: &Node, out: &mut Vec<Problem>) {
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
fn workload_entry(
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

fn workload_group(spec: &Node, out: &mut Vec<Problem>) {
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

fn proxy_config(spec: &Node, out: &mut Vec<Problem>) {
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

fn wasm_plugin(spec: &Node, out: &mut Vec<Problem>) {
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

fn sidecar(spec: &Node, out: &mut Vec<Problem>) {
    workload_selector(
        spec.path(&["workloadSelector"]),
        "spec.workloadSelector",
        "labels",
        "sidecar",
        out,
    );
    let set = |k: &str| spec.get(k).is_some_and(|v| !v.is_null());
    let egress = spec.path(&["egress"]).as_seq();
    if egress.is_empty()
        && spec.path(&["ingress"]).as_seq().is_empty()
        && !set("outboundTrafficPolicy")
        && !set("inboundConnectionPool")
    {
        out.push(Problem::error(
            "spec",
            "sidecar: empty configuration provided",
        ));
        return;
    }
    for (i, l) in spec.path(&["ingress"]).as_seq().iter().enumerate() {
        if l.get("port").is_none_or(Node::is_null) {
            out.push(Problem::error(
                format!("spec.ingress[{i}]"),
                "sidecar: port is required for ingress listeners",
            ));
        }
    }
    let mut ports = HashSet::new();
    let mut catch_all = false;
    for (i, e) in egress.iter().enumerate() {
        let f = format!("spec.egress[{i}]");
        match e.path(&["port"]).path(&["number"]).as_i64() {
            _ if e.get("port").is_none_or(Node::is_null) => {
                if catch_all {
                    out.push(Problem::error(
                        f.clone(),
                        "sidecar: egress can have only one listener with empty port",
                    ));
                    continue;
                }
                if i == egress.len() - 1 {
                    catch_all = true;
                } else {
                    out.push(Problem::error(
                        f.clone(),
                        "sidecar: the egress listener with empty port should be the last listener in the list",
                    ));
                }
            }
            Some(n) if n != 0 && !ports.insert(n) => {
                out.push(Problem::error(
                    format!("{f}.port.number"),
                    "sidecar: ports on IP bound listeners must be unique",
                ));
            }
            _ => {}
        }
        let hosts = e.path(&["hosts"]).as_seq();
        if hosts.is_empty() {
            out.push(Problem::error(
                f.clone(),
                "sidecar: egress listener must contain at least one host",
            ));
        }
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for (j, h) in hosts.iter().enumerate() {
            let h = h.text();
            let hf = format!("{f}.hosts[{j}]");
            if let Some((ns, svc)) = h.split_once('/') {
                let dup = if svc == "*" {
                    seen.iter().any(|(n, _)| *n == ns)
                } else {
                    seen.iter()
                        .any(|(n, s)| *n == ns && (*s == svc || *s == "*"))
                };
                if dup {
                    out.push(Problem::warning(
                        hf.clone(),
                        format!("duplicated egress host: {h}"),
                    ));
                }
                seen.push((ns, svc));
            }
            namespaced_host(h, &hf, out);
        }
        if seen.contains(&("*", "*")) && seen.iter().any(|(n, _)| *n != "*") {
            out.push(Problem::warning(
                format!("{f}.hosts"),
                "`*/*` host select all resources, no other hosts can be added",
            ));
        }
    }
}

fn authorization_policy(spec: &Node, out: &mut Vec<Problem>) {
    workload_selector(
        spec.path(&["selector"]),
        "spec.selector",
        "matchLabels",
        "",
        out,
    );
    let action = spec.path(&["action"]).text();
    let rules = spec.path(&["rules"]).as_seq();
    let has_provider = spec.get("provider").is_some_and(|p| !p.is_null());
    let meaningless = |a: &str| {
        format!(
            "{a} action without `rules` is meaningless as it will never be triggered, add an empty rule `{{}}` if you want it be triggered for every request"
        )
    };
    match action {
        "CUSTOM" if rules.is_empty() => {
            out.push(Problem::error("spec.action", meaningless("CUSTOM")))
        }
        "CUSTOM" if spec.path(&["provider", "name"]).text().is_empty() => out.push(Problem::error(
            "spec.provider",
            "`provider.name` must not be empty",
        )),
        "DENY" if rules.is_empty() => out.push(Problem::error("spec.action", meaningless("DENY"))),
        _ => {}
    }
    if has_provider && action != "CUSTOM" {
        let shown = if action.is_empty() { "ALLOW" } else { action };
        out.push(Problem::error(
            "spec.provider",
            format!("`provider` must not be with non CUSTOM action, found {shown}"),
        ));
    }
    const TCP_SOURCE: &[&str] = &[
        "principals",
        "notPrincipals",
        "ipBlocks",
        "notIpBlocks",
        "namespaces",
        "notNamespaces",
        "remoteIpBlocks",
        "notRemoteIpBlocks",
        "serviceAccounts",
        "notServiceAccounts",
    ];
    const SOURCE: &[&str] = &[
        "principals",
        "notPrincipals",
        "requestPrincipals",
        "notRequestPrincipals",
        "namespaces",
        "notNamespaces",
        "ipBlocks",
        "notIpBlocks",
        "remoteIpBlocks",
        "notRemoteIpBlocks",
        "serviceAccounts",
        "notServiceAccounts",
        "trustDomains",
        "notTrustDomains",
    ];
    const OPERATION: &[&str] = &[
        "ports",
        "notPorts",
        "methods",
        "notMethods",
        "paths",
        "notPaths",
        "hosts",
        "notHosts",
    ];
    let non_empty = |n: &Node, k: &str| !n.path(&[k]).as_seq().is_empty();
    for (i, rule) in rules.iter().enumerate() {
        let rf = format!("spec.rules[{i}]");
        let (mut from_exists, mut to_exists, mut tcp_from, mut tcp_to) =
            (false, false, false, false);
        for (j, from) in rule.path(&["from"]).as_seq().iter().enumerate() {
            let f = format!("{rf}.from[{j}]");
            let src = from.path(&["source"]);
            if src.is_null() {
                out.push(Problem::error(
                    f,
                    format!("`from.source` must not be nil, found at rule {i}"),
                ));
                continue;
            }
            from_exists = true;
            let f = format!("{f}.source");
            let any = |keys: &[&str]| keys.iter().any(|k| non_empty(src, k));
            if any(&["principals", "notPrincipals", "namespaces", "notNamespaces"])
                && any(&["serviceAccounts", "notServiceAccounts"])
            {
                out.push(Problem::error(
                    f.clone(),
                    format!("cannot set serviceAccounts with namespaces or principals, found at rule {i}"),
                ));
            }
            if !any(SOURCE) {
                out.push(Problem::error(
                    f.clone(),
                    format!("`from.source` must not be empty, found at rule {i}"),
                ));
            }
            for key in SOURCE {
                for (k, v) in src.path(&[key]).as_seq().iter().enumerate() {
                    let vf = format!("{f}.{key}[{k}]");
                    if v.text().is_empty() {
                        out.push(Problem::error(
                            vf,
                            format!("empty value not allowed, found in {}", upper_first(key)),
                        ));
                    } else if key.to_ascii_lowercase().ends_with("ipblocks")
                        && let Some(e) = rules::check_ip_subnet(v.text())
                    {
                        out.push(Problem::error(vf, e));
                    }
                }
            }
            tcp_from |= TCP_SOURCE
                .iter()
                .any(|k| src.get(k).is_some_and(|v| !v.is_null()));
        }
        for (j, to) in rule.path(&["to"]).as_seq().iter().enumerate() {
            let f = format!("{rf}.to[{j}]");
            let op = to.path(&["operation"]);
            if op.is_null() {
                out.push(Problem::error(
                    f,
                    format!("`to.operation` must not be nil, found at rule {i}"),
                ));
                continue;
            }
            to_exists = true;
            let f = format!("{f}.operation");
            if !OPERATION.iter().any(|k| non_empty(op, k)) {
                out.push(Problem::error(
                    f.clone(),
                    format!("`to.operation` must not be empty, found at rule {i}"),
                ));
            }
            for key in OPERATION {
                for (k, v) in op.path(&[key]).as_seq().iter().enumerate() {
                    let vf = format!("{f}.{key}[{k}]");
                    let text = v.text();
                    if text.is_empty() {
                        out.push(Problem::error(
                            vf,
                            format!("empty value not allowed, found in {}", upper_first(key)),
                        ));
                    } else if key.ends_with("orts")
                        && text
                            .parse::<i64>()
                            .ok()
                            .and_then(rules::check_port)
                            .or_else(|| {
                                text.parse::<i64>()
                                    .is_err()
                                    .then(|| format!("invalid port {text:?}"))
                            })
                            .is_some()
                    {
                        out.push(Problem::error(
                            vf,
                            format!("invalid port {text}: must be a number between 1 and 65535"),
                        ));
                    }
                }
            }
            tcp_to |= ["ports", "notPorts"]
                .iter()
                .any(|k| op.get(k).is_some_and(|v| !v.is_null()));
        }
        for (j, when) in rule.path(&["when"]).as_seq().iter().enumerate() {
            let f = format!("{rf}.when[{j}]");
            let key = when.path(&["key"]).text();
            if key.is_empty() {
                out.push(Problem::error(f, "`key` must not be empty"));
            } else if !non_empty(when, "values") && !non_empty(when, "notValues") {
                out.push(Problem::error(
                    f,
                    format!("at least one of `values` or `notValues` must be set for key {key}"),
                ));
            }
        }
        if action == "DENY" && ((from_exists && !to_exists && !tcp_from) || (to_exists && !tcp_to))
        {
            out.push(Problem::warning(
                rf,
                "configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port",
            ));
        }
    }
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

fn peer_authentication(spec: &Node, out: &mut Vec<Problem>) {
    let empty_selector = spec.path(&["selector", "matchLabels"]).as_map().is_empty();
    let port_level = spec.path(&["portLevelMtls"]);
    if empty_selector && !port_level.as_map().is_empty() {
        out.push(Problem::error(
            "spec.portLevelMtls",
            "mesh/namespace peer authentication cannot have port level mTLS",
        ));
    }
    if port_level.is_map() && port_level.as_map().is_empty() {
        out.push(Problem::error(
            "spec.portLevelMtls",
            "port level mTLS, if defined, must have at least one element",
        ));
    }
    workload_selector(
        spec.path(&["selector"]),
        "spec.selector",
        "matchLabels",
        "",
        out,
    );
}

fn request_authentication(spec: &Node, out: &mut Vec<Problem>) {
    workload_selector(
        spec.path(&["selector"]),
        "spec.selector",
        "matchLabels",
        "",
        out,
    );
    for (i, rule) in spec.path(&["jwtRules"]).as_seq().iter().enumerate() {
        let f = format!("spec.jwtRules[{i}]");
        let mut err = |field: String, msg: String| out.push(Problem::error(field, msg));
        for (j, a) in rule.path(&["audiences"]).as_seq().iter().enumerate() {
            if a.text().is_empty() {
                err(
                    format!("{f}.audiences[{j}]"),
                    "audience must be non-empty string".into(),
                );
            }
        }
        let uri = rule.path(&["jwksUri"]).text();
        if rule.path(&["issuer"]).text().is_empty() && uri.is_empty() {
            err(
                f.clone(),
                "issuer or jwksUri must be non-empty string".into(),
            );
        }
        if !uri.is_empty() {
            match uri.split_once("://") {
                Some(("http" | "https", rest)) if !rest.is_empty() => {}
                Some((scheme, _)) if !scheme.is_empty() => err(
                    format!("{f}.jwksUri"),
                    format!("URI scheme {scheme:?} is not supported"),
                ),
                _ => err(format!("{f}.jwksUri"), format!("invalid jwksUri {uri:?}")),
            }
        }
        let jwks = rule.path(&["jwks"]).text();
        if !jwks.is_empty()
            && let Err(e) = serde_json::from_str::<serde_json::Value>(jwks)
        {
            err(format!("{f}.jwks"), format!("jwks parse error: {e}"));
        }
        for (j, h) in rule.path(&["fromHeaders"]).as_seq().iter().enumerate() {
            if h.path(&["name"]).text().is_empty() {
                err(
                    format!("{f}.fromHeaders[{j}]"),
                    "location header name must be non-empty string".into(),
                );
            }
        }
        for (key, what) in [
            ("fromParams", "location query"),
            ("fromCookies", "cookie name"),
        ] {
            for (j, p) in rule.path(&[key]).as_seq().iter().enumerate() {
                if p.text().is_empty() {
                    err(
                        format!("{f}.{key}[{j}]"),
                        format!("{what} must be non-empty string"),
                    );
                }
            }
        }
        for (j, o) in rule
            .path(&["outputClaimToHeaders"])
            .as_seq()
            .iter()
            .enumerate()
        {
            if o.path(&["claim"]).text().is_empty() || o.path(&["header"]).text().is_empty() {
                err(
                    format!("{f}.outputClaimToHeaders[{j}]"),
                    "outputClaimToHeaders header and claim value must be non-empty string".into(),
                );
            }
        }
    }
}

fn telemetry(spec: &Node, out: &mut Vec<Problem>) {
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

fn envoy_filter(spec: &Node, out: &mut Vec<Problem>) {
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

fn connection_pool(pool: &Node, f: &str, out: &mut Vec<Problem>) {
    if !pool.is_map() {
        return;
    }
    let http = pool.path(&["http"]);
    let tcp = pool.path(&["tcp"]);
    if http.is_null() && tcp.is_null() {
        out.push(Problem::error(
            f,
            "connection pool must have at least one field",
        ));
        return;
    }
    let negative = |n: &Node, k: &str| n.path(&[k]).as_i64().is_some_and(|v| v < 0);
    for (key, what) in [
        ("http1MaxPendingRequests", "http1 max pending requests"),
        ("http2MaxRequests", "http2 max requests"),
        ("maxRequestsPerConnection", "max requests per connection"),
        ("maxRetries", "max retries"),
        ("maxConcurrentStreams", "max concurrent streams"),
    ] {
        if negative(http, key) {
            out.push(Problem::error(
                format!("{f}.http.{key}"),
                format!("{what} must be non-negative"),
            ));
        }
    }
    if http.path(&["h2UpgradePolicy"]).text() == "UPGRADE"
        && http.path(&["useClientProtocol"]).as_bool() == Some(true)
    {
        out.push(Problem::error(
            format!("{f}.http.useClientProtocol"),
            "use client protocol must not be true when H2UpgradePolicy is UPGRADE",
        ));
    }
    if negative(tcp, "maxConnections") {
        out.push(Problem::error(
            format!("{f}.tcp.maxConnections"),
            "max connections must be non-negative",
        ));
    }
    // `0s` turns the TCP idle timeout off; anything else is a duration of at least 1ms.
    let idle = tcp.path(&["idleTimeout"]).text();
    if !idle.is_empty()
        && rules::parse_duration(idle) != Some(0)
        && let Some(e) = rules::check_duration(idle)
    {
        out.push(Problem::error(format!("{f}.tcp.idleTimeout"), e));
    }
}

fn load_balancer(lb: &Node, f: &str, out: &mut Vec<Problem>) {
    if !lb.is_map() {
        return;
    }
    let ch = lb.path(&["consistentHash"]);
    let cookie = ch.path(&["httpCookie"]);
    if cookie.is_map() && cookie.path(&["name"]).text().is_empty() {
        out.push(Problem::error(
            format!("{f}.consistentHash.httpCookie"),
            "name required for HttpCookie",
        ));
    }
    let mut names = HashSet::new();
    for (i, a) in cookie.path(&["attributes"]).as_seq().iter().enumerate() {
        let name = a.path(&["name"]).text();
        let af = format!("{f}.consistentHash.httpCookie.attributes[{i}]");
        if name.is_empty() {
            out.push(Problem::error(af, "cookie attribute name cannot be empty"));
        } else if !names.insert(name) {
            out.push(Problem::error(
                af,
                format!("duplicate cookie attribute name: {name}"),
            ));
        }
    }
    let maglev = ch.path(&["maglev"]);
    if maglev.is_map() {
        let size = maglev.path(&["tableSize"]).as_i64().unwrap_or(0);
        let mf = format!("{f}.consistentHash.maglev.tableSize");
        if size == 0 {
            out.push(Problem::error(
                mf.clone(),
                "tableSize must be set for maglev",
            ));
        }
        if size >= 5_000_011 {
            out.push(Problem::error(
                mf.clone(),
                "tableSize must be less than 5000011 for maglev",
            ));
        }
        if !is_prime(size.max(0) as u64) {
            out.push(Problem::error(
                mf,
                "tableSize must be a prime number for maglev",
            ));
        }
    }
    let warmup = lb.path(&["warmup"]);
    if warmup.is_map() {
        let wf = format!("{f}.warmup");
        if warmup.path(&["duration"]).is_null() {
            out.push(Problem::error(wf.clone(), "duration is required"));
        }
        if warmup
            .path(&["minimumPercent"])
            .as_f64()
            .is_some_and(|v| v > 100.0)
        {
            out.push(Problem::error(
                format!("{wf}.minimumPercent"),
                "minimumPercent value should be less than or equal to 100",
            ));
        }
        if warmup
            .path(&["aggression"])
            .as_f64()
            .is_some_and(|v| v < 1.0)
        {
            out.push(Problem::error(
                format!("{wf}.aggression"),
                "aggression should be greater than or equal to 1",
            ));
        }
    }
}

/// Envoy's primality test for Maglev table sizes (0 is not prime, 1 to 3 are).
fn is_prime(x: u64) -> bool {
    if x != 0 && x < 4 {
        return true;
    }
    if x.is_multiple_of(2) {
        return false;
    }
    let mut factor = 3;
    while factor * factor <= x {
        if x.is_multiple_of(factor) {
            return false;
        }
        factor += 2;
    }
    true
}
