//! Sidecars: egress and ingress listeners and the hosts they import.

use std::collections::HashSet;

use super::{namespaced_host, workload_selector};

use crate::analyze::analyzers::schema::validate::Problem;
use crate::resource::Node;

pub(super) fn sidecar(spec: &Node, out: &mut Vec<Problem>) {
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
