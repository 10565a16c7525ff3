//! Every sample manifest of the Istio release (`samples/addons`, `samples/bookinfo` and each of
//! its subdirectories), analyzed in the combinations the samples' README and Istio's task pages
//! apply them in: the files of one directory are alternatives to each other, so the whole tree
//! at once means nothing. For each combination the test states the Error-level messages it
//! yields, each with why it is correct (a reader of the sample would agree), and a snapshot
//! lists every message (level, code, object, place) so that any change is reviewed.
//!
//! Errors the samples rightly yield come from `destination-rule-all.yaml` (and its mTLS twin):
//! it declares a subset for every version any Bookinfo task deploys (`ratings` v2, v2-mysql,
//! v2-mysql-vm; `details` v2), while `bookinfo.yaml` deploys only `details-v1` and
//! `ratings-v1`. The tasks apply the rule first and the extra Deployments later, and route to a
//! subset only once its pods exist; analyzing the rule without them is analyzing a state in
//! which a route to those subsets fails with 503 UH, which is what the messages say:
//! - IST0173 (istioctl's own): the subset's labels select no pod at all (`version: v2-mysql`).
//! - MDK0004 (meshdeck's): the labels (`version: v2`) select pods, but only other Services'
//!   (`reviews-v2`), never the host's. istioctl matches against every pod and says nothing.
//!
//! Adding the Deployment of that version (as the ratings-db and details-v2 tasks do) makes the
//! message about it go away, which the combinations below show.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::common::{meshdeck, shared_dir};

fn samples() -> PathBuf {
    shared_dir().join("istio-release/1.30.3/samples")
}

const APP: &str = "bookinfo/platform/kube/bookinfo.yaml";
const GATEWAY: &str = "bookinfo/networking/bookinfo-gateway.yaml";
const DR_ALL: &str = "bookinfo/networking/destination-rule-all.yaml";
const VS_ALL_V1: &str = "bookinfo/networking/virtual-service-all-v1.yaml";

/// `destination-rule-all.yaml` with only `bookinfo.yaml`'s Deployments: the four subsets whose
/// version is not deployed (see the module comment).
const DR_ALL_UNDEPLOYED: &[(&str, &str)] = &[
    ("IST0173", "DestinationRule default/ratings"), // v2-mysql
    ("IST0173", "DestinationRule default/ratings"), // v2-mysql-vm
    ("MDK0004", "DestinationRule default/details"), // v2: only reviews-v2 carries version=v2
    ("MDK0004", "DestinationRule default/ratings"), // v2: idem
];

struct Combination {
    /// What the README or the task page does with these files.
    name: &'static str,
    files: &'static [&'static str],
    /// The Error-level messages, as (code, object), in any order.
    errors: &'static [(&'static str, &'static str)],
    exit: i32,
}

const fn clean(name: &'static str, files: &'static [&'static str]) -> Combination {
    Combination {
        name,
        files,
        errors: &[],
        exit: 0,
    }
}

const fn with_errors(
    name: &'static str,
    files: &'static [&'static str],
    errors: &'static [(&'static str, &'static str)],
) -> Combination {
    Combination {
        name,
        files,
        errors,
        exit: 79,
    }
}

const COMBINATIONS: &[Combination] = &[
    // Getting started: the application and its ingress Gateway. The Gateway's selector checks
    // are skipped with a note (the ingress gateway lives in the cluster).
    clean("getting started", &[APP, GATEWAY]),
    // Request routing, step 1: the destination rules before the extra versions exist.
    with_errors(
        "request routing: destination rules",
        &[APP, GATEWAY, DR_ALL],
        DR_ALL_UNDEPLOYED,
    ),
    with_errors(
        "request routing: destination rules with mutual TLS",
        &[
            APP,
            GATEWAY,
            "bookinfo/networking/destination-rule-all-mtls.yaml",
        ],
        DR_ALL_UNDEPLOYED,
    ),
    // Step 2: every service to v1. Also a Warning that is right: the Gateway's VirtualService
    // routes to productpage without a subset, so productpage's own v1 split (a mesh-only
    // VirtualService) does not apply to ingress traffic (IST0140).
    with_errors(
        "request routing: all to v1",
        &[APP, GATEWAY, DR_ALL, VS_ALL_V1],
        DR_ALL_UNDEPLOYED,
    ),
    // Step 3 replaces the reviews VirtualService with kubectl apply; given together, the same
    // object twice is a Warning (MDK0003) naming both places, and the copy analyzed is the
    // step's (the later file by name, which is also what the cluster holds after the step).
    with_errors(
        "request routing: jason to reviews v2",
        &[
            APP,
            DR_ALL,
            VS_ALL_V1,
            "bookinfo/networking/virtual-service-reviews-test-v2.yaml",
        ],
        DR_ALL_UNDEPLOYED,
    ),
    with_errors(
        "fault injection: delay",
        &[
            APP,
            DR_ALL,
            VS_ALL_V1,
            "bookinfo/networking/virtual-service-reviews-test-v2.yaml",
            "bookinfo/networking/virtual-service-ratings-test-delay.yaml",
        ],
        DR_ALL_UNDEPLOYED,
    ),
    with_errors(
        "fault injection: abort",
        &[
            APP,
            DR_ALL,
            VS_ALL_V1,
            "bookinfo/networking/virtual-service-reviews-test-v2.yaml",
            "bookinfo/networking/virtual-service-ratings-test-abort.yaml",
        ],
        DR_ALL_UNDEPLOYED,
    ),
    // The details fault sample carries its own DestinationRule for details (MDK0003 with the
    // one of destination-rule-all.yaml), and a first rule without match followed by another,
    // which Envoy never reaches (IST0130, a Warning, as istioctl says). Its rule is the copy
    // analyzed (the later file, as the task applies it after destination-rule-all.yaml, so the
    // cluster holds it): it defines only details' v1, so details' MDK0004 for v2 goes.
    with_errors(
        "fault injection: details",
        &[
            APP,
            DR_ALL,
            "bookinfo/networking/fault-injection-details-v1.yaml",
        ],
        &[
            ("IST0173", "DestinationRule default/ratings"), // v2-mysql
            ("IST0173", "DestinationRule default/ratings"), // v2-mysql-vm
            ("MDK0004", "DestinationRule default/ratings"), // v2: only reviews-v2 carries it
        ],
    ),
    // Traffic shifting (each VirtualService applied in turn over the destination rules).
    with_errors(
        "traffic shifting: 50/50 v1/v3",
        &[
            APP,
            DR_ALL,
            "bookinfo/networking/virtual-service-reviews-50-v3.yaml",
        ],
        DR_ALL_UNDEPLOYED,
    ),
    with_errors(
        "traffic shifting: v3",
        &[
            APP,
            DR_ALL,
            "bookinfo/networking/virtual-service-reviews-v3.yaml",
        ],
        DR_ALL_UNDEPLOYED,
    ),
    with_errors(
        "traffic shifting: 80/20",
        &[
            APP,
            DR_ALL,
            "bookinfo/networking/virtual-service-reviews-80-20.yaml",
        ],
        DR_ALL_UNDEPLOYED,
    ),
    with_errors(
        "traffic shifting: 90/10",
        &[
            APP,
            DR_ALL,
            "bookinfo/networking/virtual-service-reviews-90-10.yaml",
        ],
        DR_ALL_UNDEPLOYED,
    ),
    with_errors(
        "traffic shifting: v2/v3",
        &[
            APP,
            DR_ALL,
            "bookinfo/networking/virtual-service-reviews-v2-v3.yaml",
        ],
        DR_ALL_UNDEPLOYED,
    ),
    with_errors(
        "traffic shifting: jason to v2, others v3",
        &[
            APP,
            DR_ALL,
            "bookinfo/networking/virtual-service-reviews-jason-v2-v3.yaml",
        ],
        DR_ALL_UNDEPLOYED,
    ),
    // Only the reviews rule, whose three subsets all have pods.
    clean(
        "destination rule for reviews alone",
        &[APP, "bookinfo/networking/destination-rule-reviews.yaml"],
    ),
    // details v2 deployed: its MDK0004 goes; ratings' three are still right.
    with_errors(
        "details v2",
        &[
            APP,
            "bookinfo/platform/kube/bookinfo-details-v2.yaml",
            DR_ALL,
            "bookinfo/networking/virtual-service-details-v2.yaml",
        ],
        &[
            ("IST0173", "DestinationRule default/ratings"),
            ("IST0173", "DestinationRule default/ratings"),
            ("MDK0004", "DestinationRule default/ratings"),
        ],
    ),
    // ratings v2 with MongoDB: ratings' v2 now has pods; details v2 and the MySQL subsets not.
    with_errors(
        "ratings v2 with MongoDB",
        &[
            APP,
            "bookinfo/platform/kube/bookinfo-ratings-v2.yaml",
            "bookinfo/platform/kube/bookinfo-db.yaml",
            DR_ALL,
            "bookinfo/networking/virtual-service-ratings-db.yaml",
        ],
        &[
            ("IST0173", "DestinationRule default/ratings"),
            ("IST0173", "DestinationRule default/ratings"),
            ("MDK0004", "DestinationRule default/details"),
        ],
    ),
    // ratings v2-mysql deployed: v2 and v2-mysql-vm stay without pods of ratings. The v2
    // subset (version=v2) is matched by reviews-v2 only, hence MDK0004 rather than IST0173.
    with_errors(
        "ratings v2 with MySQL",
        &[
            APP,
            "bookinfo/platform/kube/bookinfo-ratings-v2-mysql.yaml",
            "bookinfo/platform/kube/bookinfo-mysql.yaml",
            DR_ALL,
            "bookinfo/networking/virtual-service-ratings-mysql.yaml",
        ],
        &[
            ("MDK0004", "DestinationRule default/ratings"),
            ("IST0173", "DestinationRule default/ratings"),
            ("MDK0004", "DestinationRule default/details"),
        ],
    ),
    with_errors(
        "ratings v2 with MySQL on a VM",
        &[
            APP,
            "bookinfo/platform/kube/bookinfo-ratings-v2-mysql-vm.yaml",
            DR_ALL,
            "bookinfo/networking/virtual-service-ratings-mysql-vm.yaml",
        ],
        &[
            ("MDK0004", "DestinationRule default/ratings"),
            ("IST0173", "DestinationRule default/ratings"),
            ("MDK0004", "DestinationRule default/details"),
        ],
    ),
    // Egress TLS origination: a Warning that is right (IST0129: SIMPLE TLS without
    // caCertificates does not verify the server).
    clean(
        "egress to Google APIs",
        &[APP, "bookinfo/networking/egress-rule-google-apis.yaml"],
    ),
    // cert-manager's HTTP-01 Gateway routes to a Service `cert-manager-resolver` in
    // istio-system that no file of the release defines: cert-manager creates it in the
    // cluster. istioctl reports IST0101 on the files; in file mode the input holds no Service
    // of istio-system, so the check is skipped with a note (`--use-kube` checks it against the
    // cluster), alone or over the application (whose Services are all in `default`).
    clean(
        "cert-manager Gateway",
        &[APP, "bookinfo/networking/certmanager-gateway.yaml"],
    ),
    clean(
        "cert-manager Gateway alone",
        &["bookinfo/networking/certmanager-gateway.yaml"],
    ),
    clean(
        "certificate and Gateway",
        &[
            APP,
            "bookinfo/platform/kube/bookinfo-certificate.yaml",
            GATEWAY,
        ],
    ),
    clean(
        "Kubernetes Ingress",
        &[APP, "bookinfo/platform/kube/bookinfo-ingress.yaml"],
    ),
    // The NodePort Service replaces productpage's: the same object twice, a Warning.
    clean(
        "productpage as NodePort",
        &[APP, "bookinfo/platform/kube/productpage-nodeport.yaml"],
    ),
    clean(
        "dual stack",
        &["bookinfo/platform/kube/bookinfo-dualstack.yaml", GATEWAY],
    ),
    clean(
        "pod security admission",
        &["bookinfo/platform/kube/bookinfo-psa.yaml", GATEWAY],
    ),
    // The single-service files are applied on their own (or over bookinfo.yaml).
    clean("details", &["bookinfo/platform/kube/bookinfo-details.yaml"]),
    clean(
        "details, dual stack",
        &["bookinfo/platform/kube/bookinfo-details-dualstack.yaml"],
    ),
    clean("ratings", &["bookinfo/platform/kube/bookinfo-ratings.yaml"]),
    clean(
        "ratings, dual stack",
        &["bookinfo/platform/kube/bookinfo-ratings-dualstack.yaml"],
    ),
    // A Service without its Deployment: its selector check is skipped with a note.
    clean(
        "ratings discovery",
        &["bookinfo/platform/kube/bookinfo-ratings-discovery.yaml"],
    ),
    clean(
        "ratings discovery, dual stack",
        &["bookinfo/platform/kube/bookinfo-ratings-discovery-dualstack.yaml"],
    ),
    clean(
        "reviews v2 redeployed",
        &[APP, "bookinfo/platform/kube/bookinfo-reviews-v2.yaml"],
    ),
    // Gateway API: the Gateway alone, then the per-version Services and each HTTPRoute.
    clean(
        "Gateway API: gateway",
        &[APP, "bookinfo/gateway-api/bookinfo-gateway.yaml"],
    ),
    clean(
        "Gateway API: reviews v1",
        &[
            APP,
            "bookinfo/platform/kube/bookinfo-versions.yaml",
            "bookinfo/gateway-api/bookinfo-gateway.yaml",
            "bookinfo/gateway-api/route-reviews-v1.yaml",
        ],
    ),
    clean(
        "Gateway API: all v1",
        &[
            APP,
            "bookinfo/platform/kube/bookinfo-versions.yaml",
            "bookinfo/gateway-api/bookinfo-gateway.yaml",
            "bookinfo/gateway-api/route-all-v1.yaml",
        ],
    ),
    clean(
        "Gateway API: reviews 90/10",
        &[
            APP,
            "bookinfo/platform/kube/bookinfo-versions.yaml",
            "bookinfo/gateway-api/bookinfo-gateway.yaml",
            "bookinfo/gateway-api/route-reviews-90-10.yaml",
        ],
    ),
    clean(
        "Gateway API: reviews 50/50 v1/v3",
        &[
            APP,
            "bookinfo/platform/kube/bookinfo-versions.yaml",
            "bookinfo/gateway-api/bookinfo-gateway.yaml",
            "bookinfo/gateway-api/route-reviews-50-v3.yaml",
        ],
    ),
    clean(
        "Gateway API: reviews v3",
        &[
            APP,
            "bookinfo/platform/kube/bookinfo-versions.yaml",
            "bookinfo/gateway-api/bookinfo-gateway.yaml",
            "bookinfo/gateway-api/route-reviews-v3.yaml",
        ],
    ),
    // Rate limiting: EnvoyFilters get istioctl's IST0133 Warning, and IST0151 for a relative
    // patch without priority (both Warnings that istioctl gives too).
    clean(
        "rate limit policy",
        &[APP, "bookinfo/policy/productpage_envoy_ratelimit.yaml"],
    ),
    // An IstioOperator: a kind no analyzer reads, counted in the closing line.
    clean(
        "demo profile without gateways",
        &["bookinfo/demo-profile-no-gateways.yaml"],
    ),
    // Addons, each applied on its own. grafana and jaeger get Info IST0118 for port names
    // without a protocol prefix (true, and only Info).
    clean("addon grafana", &["addons/grafana.yaml"]),
    clean("addon jaeger", &["addons/jaeger.yaml"]),
    clean("addon kiali", &["addons/kiali.yaml"]),
    clean("addon loki", &["addons/loki.yaml"]),
    clean("addon prometheus", &["addons/prometheus.yaml"]),
    clean(
        "addon prometheus operator",
        &["addons/extras/prometheus-operator.yaml"],
    ),
    clean("addon skywalking", &["addons/extras/skywalking.yaml"]),
    clean("addon zipkin", &["addons/extras/zipkin.yaml"]),
    // Not a Kubernetes manifest (the Bookinfo API's OpenAPI document): an input error (exit
    // 65), reported in the JSON as an object with `code: "input"`.
    Combination {
        name: "swagger (not a manifest)",
        files: &["bookinfo/swagger.yaml"],
        errors: &[("input", "")],
        exit: 65,
    },
];

/// Runs `meshdeck analyze -o json` in the samples directory (paths stay relative).
fn analyze(files: &[&str]) -> (i32, serde_json::Value, String) {
    let out = Command::new(meshdeck())
        .arg("analyze")
        .args(["-o", "json", "--no-config"])
        .args(files)
        .current_dir(samples())
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"));
    (out.status.code().unwrap_or(-1), json, stderr)
}

fn field<'a>(m: &'a serde_json::Value, key: &str) -> &'a str {
    m[key].as_str().unwrap_or("")
}

#[test]
fn every_sample_in_the_combinations_its_readme_uses() {
    let mut snapshot = String::new();
    let mut failures = Vec::new();
    for c in COMBINATIONS {
        let (code, json, stderr) = analyze(c.files);
        let messages = json.as_array().cloned().unwrap_or_default();
        let mut errors: Vec<(String, String)> = messages
            .iter()
            .filter(|m| field(m, "level") == "Error")
            .map(|m| (field(m, "code").to_string(), field(m, "origin").to_string()))
            .collect();
        let mut expected: Vec<(String, String)> = c
            .errors
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        errors.sort();
        expected.sort();
        if errors != expected || code != c.exit {
            failures.push(format!(
                "{}: exit {code} (expected {}), errors {errors:?} (expected {expected:?})\n{stderr}",
                c.name, c.exit
            ));
        }
        snapshot.push_str(&format!(
            "{} (exit {code}): {}\n",
            c.name,
            c.files.join(" ")
        ));
        for m in &messages {
            snapshot.push_str(&format!(
                "  {} {} {} {}:{}\n",
                field(m, "level"),
                field(m, "code"),
                field(m, "origin"),
                field(m, "file"),
                m["line"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!("samples-combinations", snapshot));
}

#[test]
fn the_combinations_cover_every_sample_manifest() {
    let used: BTreeSet<&str> = COMBINATIONS
        .iter()
        .flat_map(|c| c.files.iter().copied())
        .collect();
    let mut missing = Vec::new();
    for dir in ["addons", "bookinfo"] {
        let mut stack = vec![samples().join(dir)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let path = e.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                    let rel = path.strip_prefix(samples()).unwrap().display().to_string();
                    if !used.contains(rel.as_str()) {
                        missing.push(rel);
                    }
                }
            }
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "sample manifests no combination analyzes: {missing:?}"
    );
}
