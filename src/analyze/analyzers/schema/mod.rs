//! `schema.ValidationAnalyzer.<Kind>`: Istio's configuration validation, one analyzer per Istio
//! kind. Each resource's `spec` is checked against the kind's schema from the release's CRDs
//! (the generated [`table`]: types, required fields, enums, ranges, formats, unknown fields),
//! then against the rules Istio's validation adds in code ([`virtualservice`] and [`kinds`]).
//! Errors are IST0106 and warnings IST0133; VirtualService rules that can never match are
//! IST0130 and matches that never take effect IST0131, and route weights that do not add up to
//! 100 get MDK0002 with the split they really give.

mod headers;
pub mod kind_typos;
mod kinds;
pub mod rules;
pub mod table;
pub mod validate;
mod virtualservice;

use crate::analyze::catalogue::{IST0106, IST0130, IST0131, IST0133, MDK0002};
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::{Kind, Resource};

pub use validate::{Problem, Severity};

/// What validating one resource finds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    Problem(Problem),
    /// IST0130: a rule that can never be selected.
    Unreachable {
        field: String,
        rule: String,
        reason: String,
    },
    /// IST0131: a match that an earlier rule already takes.
    Ineffective {
        field: String,
        rule: String,
        matchno: String,
        dupno: String,
    },
    /// MDK0002: several weighted destinations whose weights do not add up to 100.
    WeightSplit {
        field: String,
        weights: String,
        total: i64,
        split: String,
    },
}

/// Everything Istio's validation (and meshdeck's weight note) finds in one resource.
pub fn validate(resource: &Resource) -> Vec<Finding> {
    let info = resource.kind.info();
    let spec = resource.spec();
    let mut problems = Vec::new();
    if let Some(schema) = table::schema(info.kind, info.group) {
        validate::check(schema, spec, &mut problems);
    }
    let schema_problems = problems.len();
    let mut out: Vec<Finding> = problems.into_iter().map(Finding::Problem).collect();
    match resource.kind {
        Kind::VirtualService => {
            virtualservice::check(spec, &mut out);
            let mut problems = Vec::new();
            kinds::export_to(spec, &resource.namespace, false, &mut problems);
            out.extend(problems.into_iter().map(Finding::Problem));
        }
        kind => kinds::check(kind, resource, &mut out),
    }
    drop_restated_emptiness(&mut out, schema_problems);
    out
}

/// Where Istio's code says a field must not be empty, the schema's bare "at least 1 character" or
/// "is required" for the same field restates it: keep Istio's wording only.
fn drop_restated_emptiness(out: &mut Vec<Finding>, schema_problems: usize) {
    let code_fields: Vec<String> = out[schema_problems..]
        .iter()
        .filter_map(|f| match f {
            Finding::Problem(p) => Some(p.field.clone()),
            _ => None,
        })
        .collect();
    let mut index = 0;
    out.retain(|f| {
        index += 1;
        let Finding::Problem(p) = f else { return true };
        let emptiness = p.message.ends_with("must be at least 1 character(s) long")
            || p.message.ends_with(" is required");
        let restated = code_fields.iter().any(|c| {
            p.field == *c
                || p.field
                    .strip_prefix(c.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        });
        index > schema_problems || !(emptiness && restated)
    });
}

/// The validation analyzer of one kind.
pub struct ValidationAnalyzer {
    kind: Kind,
    metadata: &'static Metadata,
}

impl Analyzer for ValidationAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        self.metadata
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        for r in ctx.snapshot.of_kind(self.kind) {
            for f in validate(r) {
                match f {
                    Finding::Problem(p) => {
                        let code = match p.severity {
                            Severity::Error => &IST0106,
                            Severity::Warning => &IST0133,
                        };
                        ctx.report(code, r, Some(p.field), vec![p.message.into()]);
                        if let Some(h) = p.hint {
                            ctx.hint(h);
                        }
                    }
                    Finding::Unreachable {
                        field,
                        rule,
                        reason,
                    } => {
                        ctx.report(&IST0130, r, Some(field), vec![rule.into(), reason.into()]);
                    }
                    Finding::Ineffective {
                        field,
                        rule,
                        matchno,
                        dupno,
                    } => {
                        ctx.report(
                            &IST0131,
                            r,
                            Some(field),
                            vec![rule.into(), matchno.into(), dupno.into()],
                        );
                    }
                    Finding::WeightSplit {
                        field,
                        weights,
                        total,
                        split,
                    } => {
                        ctx.report(
                            &MDK0002,
                            r,
                            Some(field),
                            vec![weights.into(), total.into(), split.into()],
                        );
                    }
                }
            }
        }
    }
}

macro_rules! validation_analyzers {
    ($($name:ident: $kind:ident [$($code:ident),*]),* $(,)?) => {
        $(
            pub static $name: ValidationAnalyzer = ValidationAnalyzer {
                kind: Kind::$kind,
                metadata: &Metadata {
                    name: concat!("schema.ValidationAnalyzer.", stringify!($kind)),
                    description: concat!(
                        "Runs schema validation as an analyzer on '",
                        stringify!($kind),
                        "' resources"
                    ),
                    inputs: &[Kind::$kind],
                    codes: &[&IST0106, &IST0133 $(, &$code)*],
                },
            };
        )*
        pub static ANALYZERS: &[&dyn Analyzer] = &[$(&$name),*];
    };
}

validation_analyzers! {
    AUTHORIZATION_POLICY: AuthorizationPolicy [],
    DESTINATION_RULE: DestinationRule [],
    ENVOY_FILTER: EnvoyFilter [],
    GATEWAY: Gateway [],
    PEER_AUTHENTICATION: PeerAuthentication [],
    PROXY_CONFIG: ProxyConfig [],
    REQUEST_AUTHENTICATION: RequestAuthentication [],
    SERVICE_ENTRY: ServiceEntry [],
    SIDECAR: Sidecar [],
    TELEMETRY: Telemetry [],
    VIRTUAL_SERVICE: VirtualService [IST0130, IST0131, MDK0002],
    WASM_PLUGIN: WasmPlugin [],
    WORKLOAD_ENTRY: WorkloadEntry [],
    WORKLOAD_GROUP: WorkloadGroup [],
}

#[cfg(test)]
mod tests {
    use super::{
        AUTHORIZATION_POLICY, DESTINATION_RULE, ENVOY_FILTER, GATEWAY, PEER_AUTHENTICATION,
        REQUEST_AUTHENTICATION, SERVICE_ENTRY, SIDECAR, VIRTUAL_SERVICE, WASM_PLUGIN,
        WORKLOAD_ENTRY,
    };
    use crate::analyze::testing::{Mode, findings, run};

    fn vs(http: &str) -> String {
        format!(
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {{name: reviews, namespace: bookinfo}}\nspec:\n  hosts: [reviews]\n  http:\n{http}"
        )
    }

    #[test]
    fn a_misspelt_field_is_named_at_its_key() {
        let input = vs("  - route:\n    - destinaton: {host: reviews}\n");
        let got = run(&VIRTUAL_SERVICE, &input, Mode::Cli);
        let lines: Vec<String> = got.iter().map(|f| f.log_line()).collect();
        assert_eq!(
            lines,
            vec![
                "Error [IST0106] (VirtualService bookinfo/reviews t.yaml:8:7) Schema validation error: \
                 unknown field spec.http[0].route[0].destinaton",
            ]
        );
        let typo = got
            .iter()
            .find(|f| f.log_line().contains("unknown field"))
            .unwrap();
        assert_eq!(
            typo.field.as_deref(),
            Some("spec.http[0].route[0].destinaton")
        );
        assert_eq!(
            typo.hint.as_deref(),
            Some("did you mean \"destination\"? It is required here.")
        );
    }

    #[test]
    fn weights_that_do_not_add_up_to_100_state_the_split() {
        let input = vs(
            "  - route:\n    - destination: {host: reviews, subset: v1}\n      weight: 80\n    - destination: {host: reviews, subset: v3}\n      weight: 30\n",
        );
        assert_eq!(
            findings(&VIRTUAL_SERVICE, &input),
            vec![
                "Info [MDK0002] (VirtualService bookinfo/reviews t.yaml:7:5) Route weights 80/30 add up to 110, \
                 not 100; weights are relative, so they route 73% / 27%."
            ]
        );
        let exact = vs(
            "  - route:\n    - destination: {host: reviews, subset: v1}\n      weight: 75\n    - destination: {host: reviews, subset: v3}\n      weight: 25\n",
        );
        assert_eq!(findings(&VIRTUAL_SERVICE, &exact), Vec::<String>::new());
    }

    #[test]
    fn bad_weights_are_errors_at_the_weight() {
        let input = vs(
            "  - route:\n    - destination: {host: reviews, subset: v1}\n      weight: -10\n    - destination: {host: reviews, subset: v3}\n      weight: 110\n",
        );
        assert_eq!(
            findings(&VIRTUAL_SERVICE, &input),
            vec![
                "Error [IST0106] (VirtualService bookinfo/reviews t.yaml:9:7) Schema validation error: weight -10 < 0"
            ]
        );
        let not_integers = vs(
            "  - route:\n    - destination: {host: reviews, subset: v1}\n      weight: 50.5\n    - destination: {host: reviews, subset: v3}\n      weight: \"50\"\n",
        );
        assert_eq!(
            findings(&VIRTUAL_SERVICE, &not_integers),
            vec![
                "Error [IST0106] (VirtualService bookinfo/reviews t.yaml:11:7) Schema validation error: \
                 spec.http[0].route[1].weight must be an integer, not string \"50\"",
                "Error [IST0106] (VirtualService bookinfo/reviews t.yaml:9:7) Schema validation error: \
                 spec.http[0].route[0].weight must be an integer, not number 50.5",
            ]
        );
        let zero = vs(
            "  - route:\n    - destination: {host: reviews, subset: v1}\n      weight: 0\n    - destination: {host: reviews, subset: v3}\n",
        );
        assert_eq!(
            findings(&VIRTUAL_SERVICE, &zero),
            vec![
                "Error [IST0106] (VirtualService bookinfo/reviews t.yaml:7:5) Schema validation error: \
                 total destination weight = 0"
            ]
        );
    }

    #[test]
    fn enums_durations_and_hosts() {
        let input = "\
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: apps}
spec:
  hosts: ['*', 'bad_host']
  http:
  - timeout: 10
    retries: {attempts: 3, perTryTimeout: 0.5ms}
    route:
    - destination: {host: a}
";
        assert_eq!(
            findings(&VIRTUAL_SERVICE, input),
            vec![
                "Error [IST0106] (VirtualService apps/vs t.yaml:5:11) Schema validation error: wildcard host * \
                 is not allowed for virtual services bound to the mesh gateway",
                "Error [IST0106] (VirtualService apps/vs t.yaml:5:16) Schema validation error: domain name \
                 \"bad_host\" invalid (label \"bad_host\" invalid)",
                "Error [IST0106] (VirtualService apps/vs t.yaml:7:5) Schema validation error: \
                 spec.http[0].timeout must be a string, not integer 10",
                "Error [IST0106] (VirtualService apps/vs t.yaml:8:28) Schema validation error: \
                 spec.http[0].retries.perTryTimeout: duration \"0.5ms\" must be at least 1ms",
            ]
        );
        let dr = "\
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: dr, namespace: apps}
spec:
  host: reviews
  trafficPolicy:
    tls: {mode: SIMPEL}
  subsets:
  - name: v1
  - name: v1
";
        let got = run(&DESTINATION_RULE, dr, Mode::Cli);
        let mode = got
            .iter()
            .find(|f| f.log_line().contains("SIMPEL"))
            .unwrap();
        assert_eq!(mode.hint.as_deref(), Some("did you mean \"SIMPLE\"?"));
        assert_eq!(
            findings(&DESTINATION_RULE, dr),
            vec![
                "Error [IST0106] (DestinationRule apps/dr t.yaml:10:5) Schema validation error: duplicate subset names: v1",
                "Error [IST0106] (DestinationRule apps/dr t.yaml:7:11) Schema validation error: \
                 spec.trafficPolicy.tls.mode: \"SIMPEL\" is not one of DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL",
            ]
        );
    }

    #[test]
    fn gateways_and_service_entries() {
        let gw = "\
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: apps}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 70000, name: http, protocol: HTTP}
    hosts: ['apps/*.example.com', 'a/b/c']
";
        assert_eq!(
            findings(&GATEWAY, gw),
            vec![
                "Error [IST0106] (Gateway apps/gw t.yaml:7:12) Schema validation error: port number 70000 must \
                 be in the range 1..65535",
                "Error [IST0106] (Gateway apps/gw t.yaml:8:35) Schema validation error: host must be of form \
                 namespace/dnsName, got \"a/b/c\"",
            ]
        );
        let se = "\
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: se, namespace: apps}
spec:
  hosts: [api.example.com]
  addresses: [10.0.0.0/40]
  location: MESH_EXTERNAL
  resolution: DNS
  ports:
  - {number: 443, name: https, protocol: TLS}
";
        assert_eq!(
            findings(&SERVICE_ENTRY, se),
            vec![
                "Error [IST0106] (ServiceEntry apps/se t.yaml:6:15) Schema validation error: 10.0.0.0/40 is \
                 not a valid CIDR block",
                "Error [IST0106] (ServiceEntry apps/se t.yaml:8:3) Schema validation error: CIDR addresses are \
                 allowed only for NONE/STATIC resolution types",
            ]
        );
    }

    #[test]
    fn unreachable_and_ineffective_matches() {
        let input = vs(
            "  - name: catch-all\n    route:\n    - destination: {host: reviews}\n  - name: canary\n    match:\n    - headers: {end-user: {exact: jason}}\n    route:\n    - destination: {host: reviews, subset: v2}\n  - match:\n    - uri: {prefix: /api}\n      name: api\n    - uri: {prefix: /api}\n    route:\n    - destination: {host: reviews}\n",
        );
        assert_eq!(
            findings(&VIRTUAL_SERVICE, &input),
            vec![
                "Warning [IST0130] (VirtualService bookinfo/reviews t.yaml:10:5) VirtualService rule \"canary\" \
                 not used (route without matches defined before).",
                "Warning [IST0130] (VirtualService bookinfo/reviews t.yaml:15:5) VirtualService rule #2 not \
                 used (route without matches defined before).",
            ]
        );
        let dup = vs(
            "  - match:\n    - uri: {prefix: /api}\n    route:\n    - destination: {host: reviews}\n  - match:\n    - uri: {prefix: /api/v2}\n    - name: same\n      uri: {prefix: /api}\n    route:\n    - destination: {host: reviews}\n",
        );
        assert_eq!(
            findings(&VIRTUAL_SERVICE, &dup),
            vec![
                "Info [IST0131] (VirtualService bookinfo/reviews t.yaml:12:7) VirtualService rule #1 match #0 of \
                 prefix /api/v2 is not used (duplicate/overlapping match in rule #0 of prefix /api on #0).",
                "Info [IST0131] (VirtualService bookinfo/reviews t.yaml:13:7) VirtualService rule #1 match \
                 \"same\" is not used (duplicate/overlapping match in rule #0).",
            ]
        );
    }

    #[test]
    fn security_and_sidecar_rules() {
        let ap = "\
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny-admin, namespace: apps}
spec:
  action: DENY
  rules:
  - to:
    - operation: {paths: [/admin]}
    from:
    - source: {ipBlocks: [10.0.0.0/33]}
";
        assert_eq!(
            findings(&AUTHORIZATION_POLICY, ap),
            vec![
                "Error [IST0106] (AuthorizationPolicy apps/deny-admin t.yaml:10:27) Schema validation error: \
                 10.0.0.0/33 is not a valid CIDR block",
                "Warning [IST0133] (AuthorizationPolicy apps/deny-admin t.yaml:7:5) Schema validation warning: \
                 configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use \
                 of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port",
            ]
        );
        let sidecar = "\
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: apps}
spec:
  workloadSelector: {labels: {}}
  egress:
  - hosts: ['./*', './*', 'istio-system']
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ['*/*']
";
        assert_eq!(
            findings(&SIDECAR, sidecar),
            vec![
                "Error [IST0106] (Sidecar apps/default t.yaml:7:27) Schema validation error: host must be of \
                 form namespace/dnsName, got \"istio-system\"",
                "Error [IST0106] (Sidecar apps/default t.yaml:7:5) Schema validation error: sidecar: the egress \
                 listener with empty port should be the last listener in the list",
                "Warning [IST0133] (Sidecar apps/default t.yaml:5:3) Schema validation warning: sidecar: workload \
                 selector specified without labels, will be applied to all services in namespace",
                "Warning [IST0133] (Sidecar apps/default t.yaml:7:20) Schema validation warning: duplicated \
                 egress host: ./*",
            ]
        );
        let dr = "\
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: dr, namespace: apps}
spec:
  host: reviews
  exportTo: ['.', apps]
  trafficPolicy:
    tls: {mode: MUTUAL}
";
        assert_eq!(
            findings(&DESTINATION_RULE, dr),
            vec![
                "Error [IST0106] (DestinationRule apps/dr t.yaml:6:19) Schema validation error: duplicate entries \
                 in exportTo for entry apps",
                "Error [IST0106] (DestinationRule apps/dr t.yaml:8:5) Schema validation error: client certificate \
                 required for mutual tls",
                "Error [IST0106] (DestinationRule apps/dr t.yaml:8:5) Schema validation error: private key \
                 required for mutual tls",
            ]
        );
    }

    #[test]
    fn envoy_filters_and_regexes() {
        let ef = "\
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: ef, namespace: apps}
spec:
  configPatches:
  - applyTo: HTTP_FILTER
    match:
      proxy: {proxyVersion: '^1\\.2(.*'}
    patch: {operation: INSERT_BEFORE, value: {name: x}}
  - applyTo: CLUSTER
    match:
      listener: {portNumber: 80}
    patch: {operation: MERGE, value: {}}
  - applyTo: HTTP_ROUTE
    patch: {operation: MERGE}
";
        assert_eq!(
            findings(&ENVOY_FILTER, ef),
            vec![
                "Error [IST0106] (EnvoyFilter apps/ef t.yaml:11:5) Schema validation error: Envoy filter: applyTo \
                 for cluster class objects cannot have non cluster match",
                "Error [IST0106] (EnvoyFilter apps/ef t.yaml:15:5) Schema validation error: Envoy filter: missing \
                 patch value for non-remove operation",
                "Error [IST0106] (EnvoyFilter apps/ef t.yaml:8:15) Schema validation error: Envoy filter: invalid \
                 regex for proxy version, [\"proxyVersion\": invalid regex \"^1\\\\.2(.*\": unclosed group; Istio \
                 uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)]",
                "Warning [IST0133] (EnvoyFilter apps/ef t.yaml:4:1) Schema validation warning: EnvoyFilter exposes \
                 internal implementation details that may change at any time. Prefer other APIs if possible, and \
                 exercise extreme caution, especially around upgrades.",
            ]
        );
        let input = vs(
            "  - match:\n    - uri: {regex: '/api/(v1'}\n      headers: {x-user: {prefix: ''}}\n    route:\n    - destination: {host: reviews}\n",
        );
        assert_eq!(
            findings(&VIRTUAL_SERVICE, &input),
            vec![
                "Error [IST0106] (VirtualService bookinfo/reviews t.yaml:8:7) Schema validation error: \"uri\": \
                 invalid regex \"/api/(v1\": unclosed group; Istio uses RE2 style regex-based match \
                 (https://github.com/google/re2/wiki/Syntax)",
                "Error [IST0106] (VirtualService bookinfo/reviews t.yaml:9:17) Schema validation error: \
                 \"headers\": prefix string match should not be empty",
            ]
        );
    }

    #[test]
    fn workloads_plugins_and_peer_authentication() {
        let we = "\
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: vm, namespace: apps}
spec:
  address: not_a_host
  ports: {http: 0}
";
        assert_eq!(
            findings(&WORKLOAD_ENTRY, we),
            vec![
                "Error [IST0106] (WorkloadEntry apps/vm t.yaml:5:3) Schema validation error: endpoint address \
                 \"not_a_host\" is not a valid FQDN or an IP address",
                "Error [IST0106] (WorkloadEntry apps/vm t.yaml:6:11) Schema validation error: spec.ports.http: \
                 port number 0 must be in the range 1..65535",
            ]
        );
        let wasm = "\
apiVersion: extensions.istio.io/v1alpha1
kind: WasmPlugin
metadata: {name: auth, namespace: apps}
spec:
  url: ftp://example.com/plugin.wasm
  sha256: abc
";
        assert_eq!(
            findings(&WASM_PLUGIN, wasm),
            vec![
                "Error [IST0106] (WasmPlugin apps/auth t.yaml:5:3) Schema validation error: url contains \
                 unsupported scheme: ftp",
                "Error [IST0106] (WasmPlugin apps/auth t.yaml:6:3) Schema validation error: sha256 field must be \
                 64 characters long",
            ]
        );
        let pa = "\
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: apps}
spec:
  mtls: {mode: STRICT}
  portLevelMtls:
    8080: {mode: PERMISSIVE}
";
        assert_eq!(
            findings(&PEER_AUTHENTICATION, pa),
            vec![
                "Error [IST0106] (PeerAuthentication apps/default t.yaml:6:3) Schema validation error: \
                 mesh/namespace peer authentication cannot have port level mTLS"
            ]
        );
    }

    #[test]
    fn odd_shapes_are_errors_not_panics() {
        for spec in [
            "spec: [1, 2]",
            "spec: {hosts: a, http: {route: 1}}",
            "spec: {hosts: [a], http: [{route: [{destination: {host: a}, weight: 9223372036854775807}, {destination: {host: b}, weight: 9223372036854775807}]}]}",
            "spec: {hosts: [a], http: [null, {match: [null, {uri: null}], route: [null]}]}",
            "spec: {hosts: [a], http: [{route: [{destination: {host: a}}], timeout: 99999999999999999999h}]}",
            "spec:\n  hosts: ['*.a.b']\n  tcp: [{match: [{destinationSubnets: ['1.2.3.4/99']}], route: [{destination: {host: a}, weight: 1}, {destination: {host: b}, weight: -1}]}]",
        ] {
            let input = format!(
                "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {{name: vs, namespace: apps}}\n{spec}\n"
            );
            let got = findings(&VIRTUAL_SERVICE, &input);
            assert!(
                got.iter().any(|l| l.starts_with("Error [IST0106]")),
                "{spec}: {got:?}"
            );
        }
    }

    #[test]
    fn every_kind_survives_every_shape() {
        for analyzer in super::ANALYZERS {
            let kind = analyzer.metadata().inputs[0].info();
            for spec in [
                "spec: [1]",
                "spec: 7",
                "spec: {}",
                "spec: {selector: [], rules: {a: 1}, servers: [null, 1], configPatches: [{}], hosts: [''], ports: [{}]}",
            ] {
                let input = format!(
                    "apiVersion: {}/v1\nkind: {}\nmetadata: {{name: x, namespace: apps}}\n{spec}\n",
                    kind.group, kind.kind
                );
                // No panic; the shapes that are not a mapping are errors.
                let got = findings(*analyzer, &input);
                if !spec.contains('{') {
                    assert!(
                        got.iter().any(|l| l.contains("spec must be a mapping")),
                        "{}: {spec}: {got:?}",
                        kind.kind
                    );
                }
            }
        }
    }

    #[test]
    fn jwt_rules() {
        let ra = "\
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: apps}
spec:
  jwtRules:
  - jwksUri: ftp://keys.example.com/jwks.json
    audiences: ['']
  - issuer: https://issuer.example.com
    jwks: '{not json'
    fromHeaders: [{name: ''}]
";
        assert_eq!(
            findings(&REQUEST_AUTHENTICATION, ra),
            vec![
                "Error [IST0106] (RequestAuthentication apps/jwt t.yaml:10:19) Schema validation error: location \
                 header name must be non-empty string",
                "Error [IST0106] (RequestAuthentication apps/jwt t.yaml:6:5) Schema validation error: URI scheme \
                 \"ftp\" is not supported",
                "Error [IST0106] (RequestAuthentication apps/jwt t.yaml:7:17) Schema validation error: audience \
                 must be non-empty string",
                "Error [IST0106] (RequestAuthentication apps/jwt t.yaml:9:5) Schema validation error: jwks parse \
                 error: key must be a string at line 1 column 2",
            ]
        );
    }

    #[test]
    fn retries_redirects_and_rewrites() {
        let input = vs(
            "  - retries: {attempts: 0, retryOn: 'gateway-error,5xx,503,teapot'}\n    redirect: {redirectCode: 200, uri: /new}\n    rewrite: {uri: /a, uriRegexRewrite: {match: x, rewrite: y}}\n",
        );
        assert_eq!(
            findings(&VIRTUAL_SERVICE, &input),
            vec![
                "Error [IST0106] (VirtualService bookinfo/reviews t.yaml:7:28) Schema validation error: \
                 \"teapot\" is not a valid retryOn policy",
                "Error [IST0106] (VirtualService bookinfo/reviews t.yaml:7:5) Schema validation error: http retry \
                 policy configured when attempts are set to 0 (disabled)",
                "Error [IST0106] (VirtualService bookinfo/reviews t.yaml:8:5) Schema validation error: 200 is not \
                 a valid redirect code, must be 3xx",
                "Error [IST0106] (VirtualService bookinfo/reviews t.yaml:9:5) Schema validation error: HTTP route \
                 rule cannot contain both rewrite and redirect",
                "Error [IST0106] (VirtualService bookinfo/reviews t.yaml:9:5) Schema validation error: rewrite may \
                 only contain one of URI or UriRegexRewrite",
            ]
        );
    }

    #[test]
    fn the_catalogue_examples_give_their_messages() {
        use crate::analyze::catalogue::{IST0106, IST0130, IST0131, IST0133, MDK0002};
        let run_one = |analyzer: &'static dyn crate::analyze::Analyzer, example: &str| {
            findings(analyzer, example)
        };
        assert_eq!(
            run_one(&VIRTUAL_SERVICE, IST0106.example),
            vec![
                "Error [IST0106] (VirtualService default/reviews t.yaml:11:7) Schema validation error: unknown \
                 field spec.http[0].route[0].destinaton",
                "Error [IST0106] (VirtualService default/reviews t.yaml:13:7) Schema validation error: weight -10 < 0",
            ]
        );
        assert_eq!(
            run_one(&VIRTUAL_SERVICE, IST0130.example),
            vec![
                "Warning [IST0130] (VirtualService bookinfo/reviews t.yaml:14:5) VirtualService rule #1 not used \
                 (route without matches defined before)."
            ]
        );
        assert_eq!(
            run_one(&VIRTUAL_SERVICE, IST0131.example),
            vec![
                "Info [IST0131] (VirtualService web/storefront t.yaml:19:7) VirtualService rule #1 match #1 is not \
                 used (duplicate/overlapping match in rule #0)."
            ]
        );
        assert_eq!(
            run_one(&GATEWAY, IST0133.example),
            vec![
                "Warning [IST0133] (Gateway ingress/passthrough t.yaml:16:5) Schema validation warning: PASSTHROUGH \
                 mode does not use certificates, they will be ignored"
            ]
        );
        assert_eq!(
            run_one(&VIRTUAL_SERVICE, MDK0002.example),
            vec![
                "Info [MDK0002] (VirtualService bookinfo/reviews t.yaml:10:5) Route weights 80/30 add up to 110, \
                 not 100; weights are relative, so they route 73% / 27%."
            ]
        );
    }

    #[test]
    fn header_operations_and_cors() {
        let input = vs(
            "  - headers:\n      request:\n        set: {':path': /x, x-a: 'abc%123'}\n      response:\n        remove: [Host]\n    corsPolicy:\n      allowMethods: [GET, FETCH]\n      allowOrigins: [{exact: ''}]\n    route:\n    - destination: {host: reviews}\n",
        );
        assert_eq!(
            findings(&VIRTUAL_SERVICE, &input),
            vec![
                "Error [IST0106] (VirtualService bookinfo/reviews t.yaml:11:18) Schema validation error: invalid \
                 header \"Host\": cannot set Host header",
                "Error [IST0106] (VirtualService bookinfo/reviews t.yaml:13:27) Schema validation error: \
                 \"FETCH\" is not a supported HTTP method",
                "Error [IST0106] (VirtualService bookinfo/reviews t.yaml:14:22) Schema validation error: '' is not \
                 a valid match type for CORS allow origins",
                "Error [IST0106] (VirtualService bookinfo/reviews t.yaml:9:15) Schema validation error: invalid \
                 header \":path\": header cannot have \":\" prefix",
                "Error [IST0106] (VirtualService bookinfo/reviews t.yaml:9:28) Schema validation error: header \
                 value configuration: invalid header configuration. Un-terminated variable expression 'abc%123'",
            ]
        );
    }

    #[test]
    fn traffic_policies_and_server_tls() {
        let dr = "\
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: dr, namespace: apps}
spec:
  host: reviews
  trafficPolicy:
    connectionPool:
      tcp: {idleTimeout: 0s, maxConnections: -1}
    loadBalancer:
      consistentHash: {maglev: {tableSize: 1000}}
    outlierDetection: {maxEjectionPercent: 150}
";
        assert_eq!(
            findings(&DESTINATION_RULE, dr),
            vec![
                "Error [IST0106] (DestinationRule apps/dr t.yaml:10:33) Schema validation error: tableSize must be \
                 a prime number for maglev",
                "Error [IST0106] (DestinationRule apps/dr t.yaml:11:24) Schema validation error: percentage 150 is \
                 not in range 0..100",
                "Error [IST0106] (DestinationRule apps/dr t.yaml:8:30) Schema validation error: max connections \
                 must be non-negative",
            ]
        );
        let gw = "\
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: apps}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ['*']
    tls:
      mode: SIMPLE
      credentialName: cert
      minProtocolVersion: TLSV1_1
      cipherSuites: [ECDHE-RSA-AES128-SHA, ECDHE-RSA-AES128-SHA, RC4-MD5]
";
        assert_eq!(
            findings(&GATEWAY, gw),
            vec![
                "Warning [IST0133] (Gateway apps/gw t.yaml:13:7) Schema validation warning: ignoring duplicate \
                 cipher suites: [ECDHE-RSA-AES128-SHA]",
                "Warning [IST0133] (Gateway apps/gw t.yaml:13:7) Schema validation warning: ignoring invalid \
                 cipher suites: [RC4-MD5]",
            ]
        );
    }
}
