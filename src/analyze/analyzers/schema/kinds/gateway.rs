//! Gateway servers: hosts, ports, protocols and TLS settings as Istio checks them.

use std::collections::HashSet;

use super::{is_protocol, namespaced_host};
use crate::analyze::analyzers::schema::rules;
use crate::analyze::analyzers::schema::validate::Problem;
use crate::resource::Node;

pub(super) fn gateway(spec: &Node, out: &mut Vec<Problem>) {
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
