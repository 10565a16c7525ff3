//! DestinationRules: host, subsets and traffic policies (outlier detection, connection pools,
//! load balancers, client TLS) as Istio checks them.

use std::collections::HashSet;

use super::workload_selector;
use crate::analyze::analyzers::schema::rules;
use crate::analyze::analyzers::schema::validate::Problem;
use crate::resource::Node;

pub(super) fn destination_rule(spec: &Node, out: &mut Vec<Problem>) {
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
