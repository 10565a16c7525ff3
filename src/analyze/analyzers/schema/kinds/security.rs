//! AuthorizationPolicies, PeerAuthentications and RequestAuthentications.

use super::{upper_first, workload_selector};
use crate::analyze::analyzers::schema::rules;
use crate::analyze::analyzers::schema::validate::Problem;
use crate::resource::Node;

pub(super) fn authorization_policy(spec: &Node, out: &mut Vec<Problem>) {
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

pub(super) fn peer_authentication(spec: &Node, out: &mut Vec<Problem>) {
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

pub(super) fn request_authentication(spec: &Node, out: &mut Vec<Problem>) {
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
