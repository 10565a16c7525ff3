//! Istio's own rules for VirtualServices beyond the schema: hosts and wildcards, route
//! destinations and weights, conflicting route actions, and the analysis of matches that can
//! never be reached (IST0130) or never take effect (IST0131).

use std::collections::{BTreeMap, HashMap};

use super::Finding;
use super::headers;
use super::rules;
use super::validate::Problem;
use crate::resource::Node;
use crate::resource::node::{ScalarKind, Value};

const KINDS: [&str; 3] = ["http", "tcp", "tls"];

pub fn check(spec: &Node, out: &mut Vec<Finding>) {
    let hosts: Vec<&Node> = spec.path(&["hosts"]).as_seq().iter().collect();
    let gateways: Vec<&str> = spec.path(&["gateways"]).string_list().collect();
    let routes = |k: &str| spec.path(&[k]).as_seq();
    let mut err =
        |field: String, msg: String| out.push(Finding::Problem(Problem::error(field, msg)));

    if hosts.is_empty() {
        // Without hosts this is a delegate: it is only reachable through an HTTP root route.
        if !gateways.is_empty() {
            err(
                "spec.gateways".into(),
                "delegate virtual service must have no gateways specified".into(),
            );
        }
        for k in ["tls", "tcp"] {
            if !routes(k).is_empty() {
                err(
                    format!("spec.{k}"),
                    format!("delegate virtual service must have no {k} route specified"),
                );
            }
        }
    }
    gateway_names(&gateways, out);
    let mut err =
        |field: String, msg: String| out.push(Finding::Problem(Problem::error(field, msg)));
    let applies_to_gateway = !gateways.is_empty() && !gateways.contains(&"mesh");
    let applies_to_mesh = !applies_to_gateway;

    let mut all_hosts_valid = true;
    for (i, h) in hosts.iter().enumerate() {
        let host = h.text();
        if let Some(e) = rules::check_wildcard_domain(host) {
            let sni_generated = applies_to_gateway && host.starts_with("outbound_");
            if !rules::is_ip(host) && !sni_generated {
                err(format!("spec.hosts[{i}]"), e);
                all_hosts_valid = false;
            }
        } else if applies_to_mesh && host == "*" {
            err(
                format!("spec.hosts[{i}]"),
                "wildcard host * is not allowed for virtual services bound to the mesh gateway"
                    .into(),
            );
            all_hosts_valid = false;
        }
    }
    if all_hosts_valid {
        for i in 0..hosts.len() {
            for j in i + 1..hosts.len() {
                let (a, b) = (hosts[i].text(), hosts[j].text());
                if rules::hosts_overlap(a, b) {
                    err(
                        format!("spec.hosts[{j}]"),
                        format!("duplicate hosts in virtual service: {a} & {b}"),
                    );
                }
            }
        }
    }
    if KINDS.iter().all(|k| routes(k).is_empty()) {
        err(
            "spec".into(),
            "http, tcp or tls must be provided in virtual service".into(),
        );
    }

    for (i, http) in routes("http").iter().enumerate() {
        http_route(http, i, hosts.is_empty(), out);
    }
    for (i, tcp) in routes("tcp").iter().enumerate() {
        for (j, m) in tcp.path(&["match"]).as_seq().iter().enumerate() {
            let mf = format!("spec.tcp[{i}].match[{j}]");
            for (k, subnet) in m.path(&["destinationSubnets"]).as_seq().iter().enumerate() {
                if let Some(e) = rules::check_ip_subnet(subnet.text()) {
                    out.push(Finding::Problem(Problem::error(
                        format!("{mf}.destinationSubnets[{k}]"),
                        e,
                    )));
                }
            }
            if let Some(port) = m.path(&["port"]).as_i64()
                && port != 0
                && let Some(e) = rules::check_port(port)
            {
                out.push(Finding::Problem(Problem::error(format!("{mf}.port"), e)));
            }
        }
        destinations(tcp.path(&["route"]), &format!("spec.tcp[{i}].route"), out);
    }
    for (i, tls) in routes("tls").iter().enumerate() {
        let f = format!("spec.tls[{i}]");
        if tls.path(&["match"]).as_seq().is_empty() {
            out.push(Finding::Problem(Problem::error(
                f.clone(),
                "TLS route must have at least one match condition",
            )));
        }
        for (j, m) in tls.path(&["match"]).as_seq().iter().enumerate() {
            for (k, sni) in m.path(&["sniHosts"]).as_seq().iter().enumerate() {
                if rules::is_ip(sni.text()) {
                    out.push(Finding::Problem(Problem::warning(
                        format!("{f}.match[{j}].sniHosts[{k}]"),
                        format!(
                            "using an IP address ({:?}) goes against SNI spec and most clients do not support this",
                            sni.text()
                        ),
                    )));
                }
            }
            if m.path(&["sniHosts"]).as_seq().is_empty() {
                out.push(Finding::Problem(Problem::error(
                    format!("{f}.match[{j}]"),
                    "TLS match must have at least one SNI host",
                )));
            }
        }
        destinations(tls.path(&["route"]), &format!("{f}.route"), out);
    }
    for k in KINDS {
        unreachable_rules(routes(k), k, out);
    }
}

/// `spec.gateways`: `namespace/name`, or a bare name (a legacy `name.namespace` gets a warning).
fn gateway_names(gateways: &[&str], out: &mut Vec<Finding>) {
    for (i, g) in gateways.iter().enumerate() {
        let f = format!("spec.gateways[{i}]");
        match g.split_once('/') {
            None => {
                if let Some((name, rest)) = g.split_once('.') {
                    let ns = rest.split('.').next().unwrap_or(rest);
                    out.push(Finding::Problem(Problem::warning(
                        f.clone(),
                        format!(
                            "using legacy gatewayName format {g:?}; prefer the <namespace>/<name> format: \"{ns}/{name}\""
                        ),
                    )));
                }
                if let Some(e) = rules::check_fqdn(g) {
                    out.push(Finding::Problem(Problem::error(f, e)));
                }
            }
            Some((ns, name)) => {
                let e = if ns.is_empty() || name.is_empty() {
                    Some("config namespace and gateway name cannot be empty".to_string())
                } else if !rules::is_dns1123_label(ns) {
                    Some(format!("invalid value for namespace: {ns:?}"))
                } else if !rules::is_dns1123_label(name) {
                    Some(format!("invalid value for gateway name: {name:?}"))
                } else {
                    None
                };
                if let Some(e) = e {
                    out.push(Finding::Problem(Problem::error(f, e)));
                }
            }
        }
    }
}

/// The string matches of one HTTP match: a prefix may not be empty, a regex must be RE2.
fn string_matches_valid(m: &Node, f: &str, out: &mut Vec<Finding>) {
    for key in ["headers", "withoutHeaders"] {
        for e in m.path(&[key]).as_map() {
            if let Some(err) = headers::check_match_name(&e.key) {
                out.push(Finding::Problem(Problem::error(
                    format!("{f}.{key}.{}", e.key),
                    err,
                )));
            }
        }
    }
    let mut check = |sm: &Node, field: String, place: &str, regex_only: bool| {
        let e = if let Some(re) = sm.get("regex").and_then(Node::scalar_text) {
            if re.is_empty() {
                Some(format!("{place:?}: regex string match should not be empty"))
            } else {
                rules::check_regex(re, place)
            }
        } else if !regex_only && sm.get("prefix").and_then(Node::scalar_text) == Some("") {
            Some(format!(
                "{place:?}: prefix string match should not be empty"
            ))
        } else {
            None
        };
        if let Some(e) = e {
            out.push(Finding::Problem(Problem::error(field, e)));
        }
    };
    check(m.path(&["uri"]), format!("{f}.uri"), "uri", true);
    for key in ["scheme", "method", "authority"] {
        check(m.path(&[key]), format!("{f}.{key}"), key, false);
    }
    for e in m.path(&["headers"]).as_map() {
        check(&e.value, format!("{f}.headers.{}", e.key), "headers", false);
    }
    for e in m.path(&["withoutHeaders"]).as_map() {
        // `regex: "*"` is how a header's absence is written.
        if e.value.path(&["regex"]).text() != "*" {
            check(
                &e.value,
                format!("{f}.withoutHeaders.{}", e.key),
                "withoutHeaders",
                false,
            );
        }
    }
    for e in m.path(&["queryParams"]).as_map() {
        check(
            &e.value,
            format!("{f}.queryParams.{}", e.key),
            "queryParams",
            false,
        );
    }
}

/// The retry conditions Envoy knows (`x-envoy-retry-on` and `x-envoy-retry-grpc-on`).
const RETRY_ON: &[&str] = &[
    "5xx",
    "gateway-error",
    "reset",
    "reset-before-request",
    "connect-failure",
    "retriable-4xx",
    "refused-stream",
    "retriable-status-codes",
    "retriable-headers",
    "envoy-ratelimited",
    "http3-post-connect-failure",
    "cancelled",
    "deadline-exceeded",
    "internal",
    "resource-exhausted",
    "unavailable",
];

/// The HTTP status codes with a registered name (Go's `http.StatusText`).
fn is_http_status(code: u16) -> bool {
    matches!(
        code,
        100..=103
            | 200..=208
            | 226
            | 300..=305
            | 307
            | 308
            | 400..=418
            | 421..=426
            | 428
            | 429
            | 431
            | 451
            | 500..=508
            | 510
            | 511
    )
}

fn present(n: &Node, key: &str) -> bool {
    n.get(key).is_some_and(|v| !v.is_null())
}

fn http_route(http: &Node, i: usize, delegate: bool, out: &mut Vec<Finding>) {
    let f = format!("spec.http[{i}]");
    let mut err =
        |field: String, msg: String| out.push(Finding::Problem(Problem::error(field, msg)));
    let name = http.path(&["name"]).text();
    let has_route = !http.path(&["route"]).as_seq().is_empty();
    if present(http, "delegate") && !delegate {
        for k in ["redirect", "route"] {
            if present(http, k) {
                err(
                    format!("{f}.{k}"),
                    format!("root HTTP route {name} must not specify {k}"),
                );
            }
        }
    } else {
        if delegate && present(http, "delegate") {
            err(
                format!("{f}.delegate"),
                "delegate HTTP route cannot contain delegate".into(),
            );
        }
        let action = ["redirect", "directResponse"]
            .into_iter()
            .find(|k| present(http, k));
        match action {
            Some(action) => {
                let what = if action == "redirect" {
                    "redirect"
                } else {
                    "direct_response"
                };
                if has_route {
                    err(
                        format!("{f}.route"),
                        format!("HTTP route cannot contain both route and {what}"),
                    );
                }
                // Istio words the two differently ("route" and "route rule").
                for (k, noun) in [("fault", "HTTP route"), ("rewrite", "HTTP route rule")] {
                    if present(http, k) {
                        err(
                            format!("{f}.{k}"),
                            format!("{noun} cannot contain both {k} and {what}"),
                        );
                    }
                }
                if action == "redirect" && present(http, "directResponse") {
                    err(
                        format!("{f}.directResponse"),
                        "HTTP route rule cannot contain both direct_response and redirect".into(),
                    );
                }
            }
            None if !has_route => err(
                f.clone(),
                "HTTP route, redirect or direct_response is required".into(),
            ),
            None => {}
        }
    }
    if present(http, "mirror") && !http.path(&["mirrors"]).as_seq().is_empty() {
        err(
            format!("{f}.mirrors"),
            "HTTP route cannot contain both mirror and mirrors".into(),
        );
    }
    if let Some(v) = http.path(&["mirrorPercent"]).as_i64() {
        if v > 100 {
            err(
                format!("{f}.mirrorPercent"),
                format!("mirror_percent must have a max value of 100 (it has {v})"),
            );
        }
        out.push(Finding::Problem(Problem::warning(
            format!("{f}.mirrorPercent"),
            "using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead",
        )));
    }
    let mut err =
        |field: String, msg: String| out.push(Finding::Problem(Problem::error(field, msg)));
    if let Some(v) = http.path(&["mirrorPercentage", "value"]).as_f64()
        && !(0.0..=100.0).contains(&v)
    {
        err(
            format!("{f}.mirrorPercentage.value"),
            format!("mirror_percentage must be in the range 0..100 (it has {v})"),
        );
    }
    if let Some(m) = http.get("mirror").filter(|m| !m.is_null()) {
        destination(m, &format!("{f}.mirror"), out);
    }
    for (j, m) in http.path(&["mirrors"]).as_seq().iter().enumerate() {
        destination(
            m.path(&["destination"]),
            &format!("{f}.mirrors[{j}].destination"),
            out,
        );
    }
    for (j, m) in http.path(&["match"]).as_seq().iter().enumerate() {
        string_matches_valid(m, &format!("{f}.match[{j}]"), out);
    }
    let mut err =
        |field: String, msg: String| out.push(Finding::Problem(Problem::error(field, msg)));
    for (j, m) in http.path(&["match"]).as_seq().iter().enumerate() {
        if let Some(port) = m.path(&["port"]).as_i64()
            && port != 0
            && let Some(e) = rules::check_port(port)
        {
            err(format!("{f}.match[{j}].port"), e);
        }
        let ns = m.path(&["sourceNamespace"]).text();
        if !ns.is_empty() && !rules::is_dns1123_label(ns) {
            err(
                format!("{f}.match[{j}].sourceNamespace"),
                format!("sourceNamespace match {ns} is invalid"),
            );
        }
    }
    let retries = http.path(&["retries"]);
    if retries.is_map() {
        let attempts = retries.path(&["attempts"]).as_i64().unwrap_or(0);
        if attempts < 0 {
            err(
                format!("{f}.retries.attempts"),
                "attempts cannot be negative".into(),
            );
        }
        let configured = ["perTryTimeout", "retryOn", "retryRemoteLocalities"]
            .iter()
            .any(|k| present(retries, k) && retries.path(&[k]).text() != "");
        if attempts == 0 && configured {
            err(
                format!("{f}.retries"),
                "http retry policy configured when attempts are set to 0 (disabled)".into(),
            );
        }
        let retry_on = retries.path(&["retryOn"]).text();
        if !retry_on.is_empty() {
            for policy in retry_on.split(',') {
                let status = policy.parse::<u16>().is_ok_and(is_http_status);
                if !status && !RETRY_ON.contains(&policy) {
                    err(
                        format!("{f}.retries.retryOn"),
                        format!("{policy:?} is not a valid retryOn policy"),
                    );
                }
            }
        }
    }
    let redirect = http.path(&["redirect"]);
    if redirect.is_map() {
        let rf = format!("{f}.redirect");
        let text = |k: &str| redirect.path(&[k]).text();
        let e = if text("uri").is_empty()
            && text("authority").is_empty()
            && text("scheme").is_empty()
            && !present(redirect, "port")
            && !present(redirect, "derivePort")
        {
            Some("redirect must specify URI, authority, scheme, or port".to_string())
        } else if let Some(code) = redirect.path(&["redirectCode"]).as_i64()
            && code != 0
            && !(300..=399).contains(&code)
        {
            Some(format!("{code} is not a valid redirect code, must be 3xx"))
        } else if !matches!(text("scheme"), "" | "http" | "https") {
            Some("invalid redirect scheme, must be \"http\" or \"https\"".to_string())
        } else {
            redirect
                .path(&["port"])
                .as_i64()
                .filter(|p| *p > 0)
                .and_then(rules::check_port)
        };
        if let Some(e) = e {
            err(rf, e);
        }
    }
    let direct = http.path(&["directResponse"]);
    if direct.is_map() {
        // A missing status is the schema's finding (it is required there).
        if let Some(status) = direct.path(&["status"]).as_i64()
            && !(200..=600).contains(&status)
        {
            err(
                format!("{f}.directResponse.status"),
                format!("HTTP status {status} is not in range 200-599"),
            );
        }
        let body = direct.path(&["body"]);
        let size = body
            .path(&["string"])
            .text()
            .len()
            .max(body.path(&["bytes"]).text().len() * 3 / 4);
        if size > 1024 * 1024 {
            err(
                format!("{f}.directResponse.body"),
                "large direct_responses may impact control plane performance, must be less than 1MB".into(),
            );
        } else if size > 100 * 1024 {
            out.push(Finding::Problem(Problem::warning(
                format!("{f}.directResponse.body"),
                "large direct_responses may impact control plane performance",
            )));
        }
    }
    let mut err =
        |field: String, msg: String| out.push(Finding::Problem(Problem::error(field, msg)));
    for (j, m) in http.path(&["mirrors"]).as_seq().iter().enumerate() {
        if let Some(v) = m.path(&["percentage", "value"]).as_f64()
            && !(0.0..=100.0).contains(&v)
        {
            err(
                format!("{f}.mirrors[{j}].percentage.value"),
                format!("mirror percentage must be in the range 0..100 (it has {v})"),
            );
        }
    }
    let rewrite = http.path(&["rewrite"]);
    if rewrite.is_map() {
        let uri = rewrite.path(&["uri"]).text();
        let regex = rewrite.path(&["uriRegexRewrite"]);
        let rf = format!("{f}.rewrite");
        if !uri.is_empty() && regex.is_map() {
            err(
                rf,
                "rewrite may only contain one of URI or UriRegexRewrite".into(),
            );
        } else if uri.is_empty()
            && !regex.is_map()
            && rewrite.path(&["authority"]).text().is_empty()
        {
            err(
                rf,
                "rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified".into(),
            );
        } else if regex.is_map() {
            let (m, r) = (
                regex.path(&["match"]).text(),
                regex.path(&["rewrite"]).text(),
            );
            if m.is_empty() || r.is_empty() {
                err(
                    format!("{rf}.uriRegexRewrite"),
                    "UriRegexRewrite requires both Rewrite and Match fields to be specified".into(),
                );
            } else if let Some(e) = rules::check_regex(m, "HTTPRewrite.UriRegexRewrite.Match") {
                err(format!("{rf}.uriRegexRewrite.match"), e);
            }
        }
    }
    if present(http.path(&["fault", "delay"]), "exponentialDelay") {
        err(
            format!("{f}.fault.delay.exponentialDelay"),
            "exponentialDelay not supported yet".into(),
        );
    }
    for kind in ["abort", "delay"] {
        if let Some(p) = http.path(&["fault", kind, "percentage", "value"]).as_f64()
            && !(0.0..=100.0).contains(&p)
        {
            err(
                format!("{f}.fault.{kind}.percentage.value"),
                format!("percentage {p} is not in range 0..100"),
            );
        }
    }
    let abort = http.path(&["fault", "abort"]);
    if let Some(s) = abort.path(&["httpStatus"]).as_i64()
        && !(200..=600).contains(&s)
    {
        err(
            format!("{f}.fault.abort.httpStatus"),
            format!("HTTP status {s} is not in range 200-599"),
        );
    }
    if abort.is_map()
        && !["httpStatus", "grpcStatus", "http2Error"]
            .iter()
            .any(|k| present(abort, k))
    {
        out.push(Finding::Problem(Problem::warning(
            format!("{f}.fault.abort"),
            "abort configured, but error type not set",
        )));
    }
    header_operations(http.path(&["headers"]), &format!("{f}.headers"), out);
    cors(http.path(&["corsPolicy"]), &format!("{f}.corsPolicy"), out);
    destinations(http.path(&["route"]), &format!("{f}.route"), out);
}

/// `headers.request` / `headers.response`: names that may be set, added or removed, and values.
fn header_operations(h: &Node, f: &str, out: &mut Vec<Finding>) {
    let mut err = |field: String, e: Option<String>| {
        if let Some(e) = e {
            out.push(Finding::Problem(Problem::error(field, e)));
        }
    };
    for side in ["request", "response"] {
        for op in ["set", "add"] {
            for e in h.path(&[side, op]).as_map() {
                let field = format!("{f}.{side}.{op}.{}", e.key);
                let name_check = if side == "request" {
                    headers::check_request_set_name(&e.key)
                } else {
                    headers::check_operation_name(&e.key)
                };
                err(field.clone(), name_check);
                err(field, headers::check_value(e.value.text()));
            }
        }
        for (i, name) in h.path(&[side, "remove"]).as_seq().iter().enumerate() {
            err(
                format!("{f}.{side}.remove[{i}]"),
                headers::check_operation_name(name.text()),
            );
        }
    }
}

const CORS_METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE", "*",
];

fn cors(policy: &Node, f: &str, out: &mut Vec<Finding>) {
    if !policy.is_map() {
        return;
    }
    let mut err = |field: String, e: Option<String>| {
        if let Some(e) = e {
            out.push(Finding::Problem(Problem::error(field, e)));
        }
    };
    for (i, origin) in policy.path(&["allowOrigins"]).as_seq().iter().enumerate() {
        let field = format!("{f}.allowOrigins[{i}]");
        let value = ["exact", "prefix", "regex"]
            .iter()
            .find_map(|k| origin.get(k).and_then(Node::scalar_text))
            .unwrap_or("");
        if value.is_empty() {
            err(
                field,
                Some(format!(
                    "'{value}' is not a valid match type for CORS allow origins"
                )),
            );
        } else if let Some(re) = origin.get("regex").and_then(Node::scalar_text) {
            err(field, rules::check_regex(re, "corsPolicy.allowOrigins"));
        }
    }
    for (i, m) in policy.path(&["allowMethods"]).as_seq().iter().enumerate() {
        let m = m.text();
        err(
            format!("{f}.allowMethods[{i}]"),
            (!CORS_METHODS.contains(&m)).then(|| format!("{m:?} is not a supported HTTP method")),
        );
    }
    for key in ["allowHeaders", "exposeHeaders"] {
        for (i, h) in policy.path(&[key]).as_seq().iter().enumerate() {
            err(
                format!("{f}.{key}[{i}]"),
                headers::check_cors_name(h.text()),
            );
        }
    }
    let max_age = policy.path(&["maxAge"]).text();
    if let Some(ns) = rules::parse_duration(max_age)
        && ns % 1_000_000_000 != 0
    {
        err(
            format!("{f}.maxAge"),
            Some("max_age duration is accurate only to seconds precision".into()),
        );
    }
}

fn destination(d: &Node, field: &str, out: &mut Vec<Finding>) {
    if d.is_null() {
        return;
    }
    let host = d.path(&["host"]).text();
    let e = if host == "*" {
        Some(format!("invalid destination host {host}"))
    } else {
        rules::check_wildcard_domain(host)
    };
    if let Some(e) = e {
        out.push(Finding::Problem(Problem::error(format!("{field}.host"), e)));
    }
    if let Some(subset) = d.get("subset").and_then(Node::scalar_text)
        && !rules::is_dns1123_label(subset)
    {
        let msg = if subset.is_empty() {
            "subset name cannot be empty".to_string()
        } else {
            format!("subset name is invalid: {subset}")
        };
        out.push(Finding::Problem(Problem::error(
            format!("{field}.subset"),
            msg,
        )));
    }
    if let Some(p) = d.path(&["port", "number"]).as_i64()
        && let Some(e) = rules::check_port(p)
    {
        out.push(Finding::Problem(Problem::error(
            format!("{field}.port.number"),
            e,
        )));
    }
}

/// The destinations of one route list and their weights, as Istio checks them: no negative
/// weight, and several destinations may not all weigh 0. Weights are relative, so a total
/// other than 100 is valid; meshdeck says what split it gives (MDK0002).
fn destinations(route: &Node, field: &str, out: &mut Vec<Finding>) {
    let items = route.as_seq();
    let mut weights = Vec::new();
    // Weights that are negative, out of int32 range or not integers are errors of their own
    // (here or in the schema check); the split is only stated for valid ones.
    let mut valid = true;
    for (j, d) in items.iter().enumerate() {
        let f = format!("{field}[{j}]");
        // A missing destination is the schema's finding (it is required there).
        destination(d.path(&["destination"]), &format!("{f}.destination"), out);
        header_operations(d.path(&["headers"]), &format!("{f}.headers"), out);
        let w = d.path(&["weight"]);
        match w.as_i64() {
            Some(v) if v < 0 => {
                out.push(Finding::Problem(Problem::error(
                    format!("{f}.weight"),
                    format!("weight {v} < 0"),
                )));
                valid = false;
            }
            Some(v) if v > i64::from(i32::MAX) => valid = false,
            Some(v) => weights.push(v),
            None if !w.is_null() => valid = false,
            None => weights.push(0),
        }
    }
    if !valid {
        return;
    }
    let total: i64 = weights.iter().sum();
    if items.len() > 1 && total == 0 {
        out.push(Finding::Problem(Problem::error(
            field,
            "total destination weight = 0",
        )));
    } else if items.len() > 1 && total != 100 {
        out.push(Finding::WeightSplit {
            field: field.to_string(),
            weights: weights
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join("/"),
            total,
            split: split(&weights, total),
        });
    }
}

/// Relative weights as whole percentages that add up to 100 (largest remainders get the rest).
fn split(weights: &[i64], total: i64) -> String {
    let mut shares: Vec<(i64, i64, usize)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| (w * 100 / total, w * 100 % total, i))
        .collect();
    let missing = 100 - shares.iter().map(|s| s.0).sum::<i64>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by_key(|&i| (-shares[i].1, i));
    for &i in order.iter().take(missing.max(0) as usize) {
        shares[i].0 += 1;
    }
    shares.sort_by_key(|s| s.2);
    shares
        .iter()
        .map(|s| format!("{}%", s.0))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// A match as a comparable text: the routing content only (no `name`), with unset values
/// (empty, zero, false) dropped, as Istio compares matches by their protobuf encoding.
fn canonical(n: &Node, drop_name: bool) -> String {
    fn write(n: &Node, out: &mut String) -> bool {
        match &n.value {
            Value::Null | Value::Scalar(_, ScalarKind::Null) => false,
            Value::Scalar(s, k) => {
                let unset = match k {
                    ScalarKind::Str => s.is_empty(),
                    ScalarKind::Bool => n.as_bool() == Some(false),
                    ScalarKind::Int => n.as_i64() == Some(0),
                    ScalarKind::Float => n.as_f64() == Some(0.0),
                    ScalarKind::Null => true,
                };
                if !unset {
                    out.push_str(&format!(
                        "{:?}",
                        n.as_i64()
                            .map(|i| i.to_string())
                            .unwrap_or_else(|| s.to_string())
                    ));
                }
                !unset
            }
            Value::Seq(items) => {
                let mut inner = String::new();
                for item in items {
                    write(item, &mut inner);
                    inner.push(',');
                }
                if items.is_empty() {
                    return false;
                }
                out.push('[');
                out.push_str(&inner);
                out.push(']');
                true
            }
            Value::Map(entries) => {
                let mut sorted: BTreeMap<&str, String> = BTreeMap::new();
                for e in entries {
                    let mut v = String::new();
                    if write(&e.value, &mut v) {
                        sorted.insert(&e.key, v);
                    }
                }
                if sorted.is_empty() {
                    return false;
                }
                out.push('{');
                for (k, v) in sorted {
                    out.push_str(&format!("{k:?}:{v},"));
                }
                out.push('}');
                true
            }
        }
    }
    let mut out = String::new();
    match (&n.value, drop_name) {
        (Value::Map(entries), true) => {
            let rest: Vec<_> = entries
                .iter()
                .filter(|e| e.key != "name")
                .cloned()
                .collect();
            write(
                &Node {
                    value: Value::Map(rest),
                    pos: n.pos,
                },
                &mut out,
            );
        }
        _ => {
            write(n, &mut out);
        }
    }
    out
}

/// Istio's name of a rule (`"name"` or `#2`) and of a match.
fn display_name(n: &Node, index: usize, named: bool) -> String {
    match n.path(&["name"]).as_str() {
        Some(name) if named && !name.is_empty() => format!("{name:?}"),
        _ => format!("#{index}"),
    }
}

/// What the prefix-overlap check compares of an HTTP match with a `uri.prefix`.
struct PrefixMatch {
    rule: String,
    rule_index: usize,
    match_index: usize,
    name: String,
    prefix: String,
    port: i64,
    method: String,
    authority: String,
    headers: HashMap<String, String>,
    query: HashMap<String, String>,
    without_headers: HashMap<String, String>,
}

fn exact_or_prefix(n: &Node) -> String {
    let exact = n.path(&["exact"]).text();
    let prefix = n.path(&["prefix"]).text();
    if !exact.is_empty() {
        format!("exact:{exact}")
    } else if !prefix.is_empty() {
        format!("prefix:{prefix}")
    } else {
        String::new()
    }
}

fn string_matches(n: &Node) -> HashMap<String, String> {
    n.as_map()
        .iter()
        .map(|e| (e.key.to_string(), exact_or_prefix(&e.value)))
        .collect()
}

fn prefix_match(rule: &Node, i: usize, m: &Node, j: usize) -> Option<PrefixMatch> {
    let prefix = m.path(&["uri", "prefix"]).text();
    if prefix.is_empty() {
        return None;
    }
    let mut method = exact_or_prefix(m.path(&["method"]));
    if method.is_empty() {
        method = "exact:GET".into();
    }
    Some(PrefixMatch {
        rule: display_name(rule, i, true),
        rule_index: i,
        match_index: j,
        name: display_name(m, j, true),
        prefix: prefix.to_string(),
        port: m.path(&["port"]).as_i64().unwrap_or(0),
        method,
        authority: exact_or_prefix(m.path(&["authority"])),
        headers: string_matches(m.path(&["headers"])),
        query: string_matches(m.path(&["queryParams"])),
        without_headers: string_matches(m.path(&["withoutHeaders"])),
    })
}

/// Whether the earlier match `a` takes all traffic of the later match `b`.
fn covers(a: &PrefixMatch, b: &PrefixMatch) -> bool {
    let same_or_prefix = |x: &str, y: &str| x == y || x.starts_with(y);
    let maps = |x: &HashMap<String, String>, y: &HashMap<String, String>| {
        x.len() == y.len()
            && x.iter()
                .all(|(k, v)| y.get(k).is_some_and(|w| same_or_prefix(v, w)))
    };
    b.prefix.starts_with(&a.prefix)
        && a.port == b.port
        && same_or_prefix(&a.method, &b.method)
        && same_or_prefix(&a.authority, &b.authority)
        && maps(&a.headers, &b.headers)
        && maps(&a.query, &b.query)
        && maps(&a.without_headers, &b.without_headers)
}

fn unreachable_rules(rules: &[Node], kind: &str, out: &mut Vec<Finding>) {
    let http = kind == "http";
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut catch_all: Option<usize> = None;
    let mut prefixes: Vec<PrefixMatch> = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        if rule.is_null() {
            continue;
        }
        let name = display_name(rule, i, http);
        let field = format!("spec.{kind}[{i}]");
        let matches = rule.path(&["match"]).as_seq();
        if matches.is_empty() {
            if catch_all.is_some() {
                out.push(Finding::Unreachable {
                    field,
                    rule: name,
                    reason: "only the last rule can have no matches".into(),
                });
            }
            catch_all = Some(i);
            continue;
        }
        let mut duplicates = 0;
        for (j, m) in matches.iter().enumerate() {
            if catch_all.is_some() {
                out.push(Finding::Unreachable {
                    field: field.clone(),
                    rule: name.clone(),
                    reason: "route without matches defined before".into(),
                });
                continue;
            }
            let key = canonical(m, http);
            if let Some(&dup) = seen.get(&key) {
                out.push(Finding::Ineffective {
                    field: format!("{field}.match[{j}]"),
                    rule: name.clone(),
                    matchno: display_name(m, j, http),
                    dupno: display_name(&rules[dup], dup, http),
                });
                duplicates += 1;
                continue;
            }
            seen.insert(key, i);
            if http && let Some(p) = prefix_match(rule, i, m, j) {
                prefixes.push(p);
            }
        }
        if duplicates == matches.len() {
            out.push(Finding::Unreachable {
                field,
                rule: name,
                reason: "all matches used by prior rules".into(),
            });
        }
    }
    for (a_index, a) in prefixes.iter().enumerate() {
        for b in &prefixes[a_index + 1..] {
            if b.prefix != a.prefix && covers(a, b) {
                out.push(Finding::Ineffective {
                    field: format!("spec.http[{}].match[{}]", b.rule_index, b.match_index),
                    rule: b.rule.clone(),
                    matchno: format!("{} of prefix {}", b.name, b.prefix),
                    dupno: format!("{} of prefix {} on {}", a.name, a.prefix, a.rule),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn relative_weights_as_percentages() {
        assert_eq!(split(&[80, 30], 110), "73% / 27%");
        assert_eq!(split(&[1, 1, 1], 3), "34% / 33% / 33%");
        assert_eq!(split(&[50, 0], 50), "100% / 0%");
    }
}
