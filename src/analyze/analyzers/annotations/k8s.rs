//! `annotations.K8sAnalyzer`: Istio annotations on Namespaces, Services, Pods and Deployments
//! must be ones Istio knows (IST0108), not deprecated (IST0135), on a kind they apply to
//! (IST0107), and hold a value the sidecar injector accepts (IST0125).
//!
//! An annotation is Istio's when the part of its key before the first `/` ends in `istio.io`, or
//! when it is `kubernetes.io/ingress.class` (which Istio documents). Annotations Istio writes
//! itself (`sidecar.istio.io/status`, `gateway.istio.io/controller-version`, `istio.io/rev`) are
//! not checked. Only a resource's own annotations are read, not those of a pod template.
//!
//! The table of known annotations mirrors the registry Istio publishes with its API
//! (`istio.io/api`, `annotation/annotations.yaml`): names, whether deprecated, and the kinds each
//! applies to.

use crate::analyze::catalogue::{IST0107, IST0108, IST0125, IST0135};
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::{Kind, Resource};

pub struct K8sAnalyzer;

static METADATA: Metadata = Metadata {
    name: "annotations.K8sAnalyzer",
    description: "Checks for misplaced and invalid Istio annotations in Kubernetes resources",
    inputs: &[Kind::Namespace, Kind::Service, Kind::Pod, Kind::Deployment],
    codes: &[&IST0108, &IST0135, &IST0107, &IST0125],
};

/// Where an annotation may be set. `Any` means every kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Any,
    AuthorizationPolicy,
    Gateway,
    GatewayClass,
    Ingress,
    Namespace,
    Pod,
    Service,
    ServiceEntry,
    WorkloadEntry,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Any => "Any",
            Target::AuthorizationPolicy => "AuthorizationPolicy",
            Target::Gateway => "Gateway",
            Target::GatewayClass => "GatewayClass",
            Target::Ingress => "Ingress",
            Target::Namespace => "Namespace",
            Target::Pod => "Pod",
            Target::Service => "Service",
            Target::ServiceEntry => "ServiceEntry",
            Target::WorkloadEntry => "WorkloadEntry",
        }
    }
}

/// A known annotation: its key, whether it is deprecated, and the kinds it applies to.
struct Known {
    name: &'static str,
    deprecated: bool,
    targets: &'static [Target],
}

const fn known(name: &'static str, deprecated: bool, targets: &'static [Target]) -> Known {
    Known {
        name,
        deprecated,
        targets,
    }
}

use Target as T;

const POD: &[Target] = &[T::Pod];
const SERVICE: &[Target] = &[T::Service];
const ANY: &[Target] = &[T::Any];
const GATEWAY: &[Target] = &[T::Gateway];
const WORKLOAD_ENTRY: &[Target] = &[T::WorkloadEntry];

static KNOWN: &[Known] = &[
    known("alpha.istio.io/canonical-serviceaccounts", true, SERVICE),
    known("alpha.istio.io/kubernetes-serviceaccounts", true, SERVICE),
    known("ambient.istio.io/bypass-inbound-capture", false, POD),
    known("ambient.istio.io/redirection", false, POD),
    known(
        "ambient.istio.io/waypoint-inbound-binding",
        false,
        &[T::GatewayClass, T::Gateway],
    ),
    known("galley.istio.io/analyze-suppress", false, ANY),
    known("gateway.istio.io/controller-version", false, ANY),
    known("gateway.istio.io/name-override", false, GATEWAY),
    known("gateway.istio.io/service-account", false, GATEWAY),
    known("inject.istio.io/templates", false, POD),
    known("istio.io/autoRegistrationGroup", false, WORKLOAD_ENTRY),
    known("istio.io/connectedAt", false, WORKLOAD_ENTRY),
    known("istio.io/disconnectedAt", false, WORKLOAD_ENTRY),
    known("istio.io/dry-run", false, &[T::AuthorizationPolicy]),
    known("istio.io/rev", false, POD),
    known("istio.io/workloadController", false, WORKLOAD_ENTRY),
    known("kubernetes.io/ingress.class", false, &[T::Ingress]),
    known("networking.istio.io/exportTo", false, SERVICE),
    known("networking.istio.io/service-type", false, GATEWAY),
    known(
        "networking.istio.io/traffic-distribution",
        false,
        &[T::Service, T::ServiceEntry],
    ),
    known("prometheus.istio.io/merge-metrics", false, POD),
    known("proxy.istio.io/config", false, POD),
    known("proxy.istio.io/overrides", false, POD),
    known(
        "readiness.status.sidecar.istio.io/applicationPorts",
        false,
        POD,
    ),
    known(
        "readiness.status.sidecar.istio.io/failureThreshold",
        false,
        POD,
    ),
    known(
        "readiness.status.sidecar.istio.io/initialDelaySeconds",
        false,
        POD,
    ),
    known(
        "readiness.status.sidecar.istio.io/periodSeconds",
        false,
        POD,
    ),
    known("sidecar.istio.io/agentLogLevel", false, POD),
    known("sidecar.istio.io/bootstrapOverride", false, POD),
    known("sidecar.istio.io/componentLogLevel", false, POD),
    known("sidecar.istio.io/discoveryAddress", true, POD),
    known("sidecar.istio.io/enableCoreDump", false, POD),
    known("sidecar.istio.io/extraStatTags", true, POD),
    known("sidecar.istio.io/inject", true, POD),
    known("sidecar.istio.io/interceptionMode", false, POD),
    known("sidecar.istio.io/logLevel", false, POD),
    known("sidecar.istio.io/nativeSidecar", false, POD),
    known("sidecar.istio.io/proxyCPU", false, POD),
    known("sidecar.istio.io/proxyCPULimit", false, POD),
    known("sidecar.istio.io/proxyImage", false, POD),
    known("sidecar.istio.io/proxyImageType", false, POD),
    known("sidecar.istio.io/proxyMemory", false, POD),
    known("sidecar.istio.io/proxyMemoryLimit", false, POD),
    known("sidecar.istio.io/rewriteAppHTTPProbers", false, POD),
    known("sidecar.istio.io/statsHistogramBuckets", false, POD),
    known("sidecar.istio.io/statsInclusionPrefixes", true, POD),
    known("sidecar.istio.io/statsInclusionRegexps", true, POD),
    known("sidecar.istio.io/statsInclusionSuffixes", true, POD),
    known("sidecar.istio.io/status", false, POD),
    known("sidecar.istio.io/userVolume", false, POD),
    known("sidecar.istio.io/userVolumeMount", false, POD),
    known("status.sidecar.istio.io/port", false, POD),
    known(
        "topology.istio.io/controlPlaneClusters",
        false,
        &[T::Namespace],
    ),
    known("traffic.istio.io/nodeSelector", false, SERVICE),
    known("traffic.sidecar.istio.io/excludeInboundPorts", false, POD),
    known("traffic.sidecar.istio.io/excludeInterfaces", false, POD),
    known(
        "traffic.sidecar.istio.io/excludeOutboundIPRanges",
        false,
        POD,
    ),
    known("traffic.sidecar.istio.io/excludeOutboundPorts", false, POD),
    known("traffic.sidecar.istio.io/includeInboundPorts", false, POD),
    known(
        "traffic.sidecar.istio.io/includeOutboundIPRanges",
        false,
        POD,
    ),
    known("traffic.sidecar.istio.io/includeOutboundPorts", false, POD),
    known("traffic.sidecar.istio.io/kubevirtInterfaces", false, POD),
];

/// Annotations Istio sets itself: users are not told about them.
const WRITTEN_BY_ISTIO: &[&str] = &[
    "sidecar.istio.io/status",
    "gateway.istio.io/controller-version",
    "istio.io/rev",
];

const SIDECAR_INJECT: &str = "sidecar.istio.io/inject";

fn is_istio_annotation(key: &str) -> bool {
    key == "kubernetes.io/ingress.class"
        || key
            .split('/')
            .next()
            .unwrap_or_default()
            .ends_with("istio.io")
}

/// The kind name an annotation's targets are compared with.
fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Namespace => "Namespace",
        Kind::Service => "Service",
        Kind::Pod => "Pod",
        _ => "Deployment",
    }
}

impl Analyzer for K8sAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        for &kind in METADATA.inputs {
            for r in snap.of_kind(kind) {
                check(ctx, r, kind_name(kind));
            }
        }
    }
}

fn check(ctx: &mut Context<'_>, r: &Resource, kind: &str) {
    for (key, value) in &r.annotations {
        if !is_istio_annotation(key) || WRITTEN_BY_ISTIO.contains(&key.as_str()) {
            continue;
        }
        let field = Some(format!("metadata.annotations.{key}"));
        let Some(def) = KNOWN.iter().find(|k| k.name == key) else {
            ctx.report(&IST0108, r, field, vec![key.into()]);
            continue;
        };
        // Having both the deprecated annotation and its replacement label is deliberate.
        if def.deprecated && !(key == SIDECAR_INJECT && r.labels.contains_key(SIDECAR_INJECT)) {
            let extra = if key == SIDECAR_INJECT {
                " in favor of the \"sidecar.istio.io/inject\" label"
            } else {
                ""
            };
            ctx.report(&IST0135, r, field.clone(), vec![key.into(), extra.into()]);
        }
        if def.targets.contains(&Target::Any) {
            continue;
        }
        if !def.targets.iter().any(|t| t.name() == kind) {
            let allowed: Vec<&str> = def.targets.iter().map(|t| t.name()).collect();
            ctx.report(
                &IST0107,
                r,
                field,
                vec![key.into(), allowed.join(", ").into()],
            );
            continue;
        }
        if let Some(Err(problem)) = validate(key, value) {
            ctx.report(&IST0125, r, field, vec![key.into(), problem.into()]);
        }
    }
}

/// The injector's check of an annotation's value; `None` when it does not check this one. Error
/// texts follow the injector's.
fn validate(key: &str, value: &str) -> Option<Result<(), String>> {
    Some(match key {
        "sidecar.istio.io/interceptionMode" => match value {
            "REDIRECT" | "TPROXY" | "NONE" => Ok(()),
            _ => Err(format!(
                "interceptionMode invalid, use REDIRECT,TPROXY,NONE: {value}"
            )),
        },
        "status.sidecar.istio.io/port" => parse_port(value)
            .map(|_| ())
            .map_err(|e| format!("excludeInboundPorts invalid: {e}")),
        "readiness.status.sidecar.istio.io/initialDelaySeconds"
        | "readiness.status.sidecar.istio.io/periodSeconds"
        | "readiness.status.sidecar.istio.io/failureThreshold" => {
            parse_uint(value, u32::MAX as u64).map(|_| ())
        }
        "traffic.sidecar.istio.io/includeOutboundIPRanges" => {
            if value == "*" {
                Ok(())
            } else {
                cidr_list(value).map_err(|e| format!("includeIPRanges invalid: {e}"))
            }
        }
        "traffic.sidecar.istio.io/excludeOutboundIPRanges" => {
            cidr_list(value).map_err(|e| format!("excludeIPRanges invalid: {e}"))
        }
        "traffic.sidecar.istio.io/includeInboundPorts" => {
            if value == "*" {
                Ok(())
            } else {
                port_list("includeInboundPorts", value)
            }
        }
        "traffic.sidecar.istio.io/excludeInboundPorts" => port_list("excludeInboundPorts", value),
        "traffic.sidecar.istio.io/excludeOutboundPorts" => port_list("excludeOutboundPorts", value),
        "prometheus.istio.io/merge-metrics" => match value {
            "1" | "t" | "T" | "TRUE" | "true" | "True" | "0" | "f" | "F" | "FALSE" | "false"
            | "False" => Ok(()),
            _ => Err(format!(
                "strconv.ParseBool: parsing {}: invalid syntax",
                go_quote(value)
            )),
        },
        "proxy.istio.io/config" => proxy_config(value),
        _ => return None,
    })
}

fn go_quote(s: &str) -> String {
    format!("{s:?}")
}

/// Go's `strconv.ParseUint(s, 10, bits)`.
fn parse_uint(s: &str, max: u64) -> Result<u64, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.ParseUint: parsing {}: invalid syntax",
            go_quote(s)
        ));
    }
    match s.parse::<u64>() {
        Ok(v) if v <= max => Ok(v),
        _ => Err(format!(
            "strconv.ParseUint: parsing {}: value out of range",
            go_quote(s)
        )),
    }
}

fn parse_port(s: &str) -> Result<u64, String> {
    parse_uint(s.trim(), u16::MAX as u64).map_err(|e| format!("failed parsing port '{s}': {e}"))
}

fn port_list(parameter: &str, ports: &str) -> Result<(), String> {
    let ports = ports.trim();
    if ports.is_empty() {
        return Ok(());
    }
    for port in ports.split(',') {
        if let Err(e) = parse_port(port) {
            return Err(format!(
                "{parameter} invalid: failed parsing port '{port}': {e}"
            ));
        }
    }
    Ok(())
}

fn cidr_list(cidrs: &str) -> Result<(), String> {
    if cidrs.is_empty() {
        return Ok(());
    }
    for cidr in cidrs.split(',') {
        if let Err(e) = parse_prefix(cidr) {
            return Err(format!(
                "failed parsing cidr '{cidr}': netip.ParsePrefix({}): {e}",
                go_quote(cidr)
            ));
        }
    }
    Ok(())
}

/// Go's `netip.ParsePrefix`: an address without a zone, `/`, and a prefix length in range
/// written without leading zeros.
fn parse_prefix(s: &str) -> Result<(), String> {
    let Some((addr, bits)) = s.rsplit_once('/') else {
        return Err("no '/'".into());
    };
    let max = match addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => 32,
        Ok(std::net::IpAddr::V6(_)) => 128,
        Err(_) => return Err(format!("ParseAddr({}): unable to parse IP", go_quote(addr))),
    };
    let well_formed = !bits.is_empty()
        && bits.bytes().all(|b| b.is_ascii_digit())
        && (bits.len() == 1 || !bits.starts_with('0'));
    match bits.parse::<u32>() {
        Ok(n) if well_formed && n <= max => Ok(()),
        Ok(_) if well_formed => Err("prefix length out of range".into()),
        _ => Err(format!("bad bits after slash: {}", go_quote(bits))),
    }
}

/// `proxy.istio.io/config` must be a YAML mapping of proxy settings.
fn proxy_config(value: &str) -> Result<(), String> {
    match crate::resource::node::parse_documents(value, 0) {
        Ok(docs) if docs.iter().all(|d| d.is_map() || d.is_null()) => Ok(()),
        Ok(_) => Err("failed to convert to apply proxy config: not a mapping".into()),
        Err(e) => Err(format!(
            "failed to convert to apply proxy config: {}",
            e.message
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::{K8sAnalyzer, validate};
    use crate::analyze::testing::findings;

    #[test]
    fn values_are_checked_like_the_injector() {
        let ok = |k: &str, v: &str| validate(k, v) == Some(Ok(()));
        assert!(ok("traffic.sidecar.istio.io/includeOutboundIPRanges", "*"));
        assert!(ok(
            "traffic.sidecar.istio.io/excludeOutboundIPRanges",
            "10.0.0.0/8,fd00::/8"
        ));
        assert!(!ok(
            "traffic.sidecar.istio.io/excludeOutboundIPRanges",
            "10.0.0.0"
        ));
        assert!(!ok(
            "traffic.sidecar.istio.io/excludeOutboundIPRanges",
            "10.0.0.0/33"
        ));
        assert!(!ok(
            "traffic.sidecar.istio.io/excludeOutboundIPRanges",
            "10.0.0.0/08"
        ));
        assert!(ok(
            "traffic.sidecar.istio.io/excludeInboundPorts",
            " 15020, 15021 "
        ));
        assert!(!ok("traffic.sidecar.istio.io/excludeInboundPorts", "*"));
        assert!(!ok(
            "traffic.sidecar.istio.io/excludeOutboundPorts",
            "70000"
        ));
        assert!(ok("readiness.status.sidecar.istio.io/periodSeconds", "10"));
        assert_eq!(
            validate(
                "readiness.status.sidecar.istio.io/initialDelaySeconds",
                "bar"
            ),
            Some(Err(
                "strconv.ParseUint: parsing \"bar\": invalid syntax".to_string()
            ))
        );
        assert!(ok("prometheus.istio.io/merge-metrics", "True"));
        assert!(!ok("sidecar.istio.io/interceptionMode", "redirect"));
        assert!(ok("proxy.istio.io/config", "{}"));
        assert!(!ok("proxy.istio.io/config", "[a]"));
        assert_eq!(validate("sidecar.istio.io/proxyCPU", "x"), None);
    }

    #[test]
    fn deprecated_and_misplaced() {
        let input = "\
apiVersion: v1
kind: Pod
metadata:
  name: both
  namespace: apps
  labels: {sidecar.istio.io/inject: 'false'}
  annotations: {sidecar.istio.io/inject: 'false', example.com/x: y}
---
apiVersion: v1
kind: Pod
metadata:
  name: annotation-only
  namespace: apps
  annotations: {sidecar.istio.io/inject: 'false', sidecar.istio.io/status: '{}'}
---
apiVersion: v1
kind: Service
metadata:
  name: s
  namespace: apps
  annotations: {galley.istio.io/analyze-suppress: IST0000, proxy.istio.io/config: 'x: ['}
";
        assert_eq!(
            findings(&K8sAnalyzer, input),
            vec![
                "Warning [IST0107] (Service apps/s t.yaml:21:60) Misplaced annotation: proxy.istio.io/config can \
                 only be applied to Pod",
                "Info [IST0135] (Pod apps/annotation-only t.yaml:14:17) Annotation \"sidecar.istio.io/inject\" has \
                 been deprecated in favor of the \"sidecar.istio.io/inject\" label and may not work in future \
                 Istio versions.",
            ]
        );
    }
}
