//! The checks of `meshdeck analyze` on the inputs of issue 7: per-check skipping in file-only
//! runs, our own subset check (MDK0004), and where messages point. Each message is
//! snapshotted with its location.

use crate::cli::run;

fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

fn transcript(args: &[&str]) -> (i32, String, String, String) {
    let (code, stdout, stderr) = run(args, None);
    let text = format!(
        "$ meshdeck {}\nexit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}",
        args.join(" ")
    );
    (code, stdout, stderr, text)
}

#[test]
fn without_workloads_only_the_checks_that_look_them_up_are_skipped() {
    let (code, stdout, stderr, text) = transcript(&["analyze", "testdata/analyze/no-workloads"]);
    // The checks that need no workload run: a namespace that does not exist, two Sidecars
    // without a selector in one namespace.
    assert!(
        stdout.contains(
            "Error [IST0101] (AuthorizationPolicy shop/web testdata/analyze/no-workloads/policies.yaml:52:22) \
             Referenced namespace not found: \"shopp\""
        ),
        "{stdout}"
    );
    assert_eq!(
        stdout.matches("[IST0111] (Sidecar shop/default").count(),
        2,
        "{stdout}"
    );
    assert_eq!(code, 79, "{stdout}");
    // Those that look workloads up are named, each at its selector, saying how to run them.
    for (origin, check) in [
        (
            "Sidecar shop/web (testdata/analyze/no-workloads/policies.yaml:16:7)",
            "IST0101 (workload selector)",
        ),
        (
            "AuthorizationPolicy shop/web (testdata/analyze/no-workloads/policies.yaml:48:7)",
            "IST0127 (workload selector)",
        ),
        (
            "Telemetry shop/web (testdata/analyze/no-workloads/policies.yaml:62:7)",
            "IST0101 (selector)",
        ),
        (
            "Service shop/web (testdata/analyze/no-workloads/policies.yaml:73:5)",
            "MDK0001 (Service selector)",
        ),
        (
            "DestinationRule shop/web (testdata/analyze/no-workloads/policies.yaml:86:5)",
            "IST0173 (subset labels)",
        ),
    ] {
        let note = stderr
            .lines()
            .find(|l| l.starts_with(&format!("note: {origin}: not checked: {check}.")))
            .unwrap_or_else(|| panic!("no note for {origin} {check}:\n{stderr}"));
        assert!(
            note.contains("--use-kube")
                && note.contains("add the manifests of the workloads it selects"),
            "{note}"
        );
    }
    assert!(
        !stdout.contains("IST0127") && !stdout.contains("MDK0001"),
        "{stdout}"
    );
    snapshot("analyze-checks@no-workloads", &text);

    // Given workloads that carry the selectors' keys (but not their values), they are judged.
    let dir = tempfile::tempdir().unwrap();
    let workload = dir.path().join("workload.yaml");
    std::fs::write(
        &workload,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\n\
         spec:\n  template:\n    metadata: {labels: {app: api, version: v2}}\n",
    )
    .unwrap();
    let (_, stdout, stderr) = run(
        &[
            "analyze",
            "testdata/analyze/no-workloads",
            workload.to_str().unwrap(),
        ],
        None,
    );
    for judged in [
        "Error [IST0101] (Sidecar shop/web",
        "Warning [IST0127] (AuthorizationPolicy shop/web",
        "Error [IST0101] (Telemetry shop/web",
        "Warning [MDK0001] (Service shop/web",
        "Error [IST0173] (DestinationRule shop/web",
    ] {
        assert!(stdout.contains(judged), "{judged}:\n{stdout}");
    }
    assert!(!stderr.contains("not checked"), "{stderr}");
}

#[test]
fn a_subset_must_select_a_pod_of_its_host() {
    // The field notes' ratings v2 and details v2: only reviews-v2 carries `version: v2`.
    let (code, stdout, _, text) = transcript(&[
        "analyze",
        "testdata/bookinfo/bookinfo.yaml",
        "testdata/analyze/ratings-v2",
    ]);
    assert_eq!(code, 79, "{stdout}");
    assert!(
        stdout.contains(
            "Error [MDK0004] (DestinationRule default/ratings testdata/analyze/ratings-v2/destination-rules.yaml:16:7) \
             The Subset v2 (labels version=v2) selects no pod of its host, Service default/ratings"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("[MDK0004] (DestinationRule default/details testdata/analyze/ratings-v2/destination-rules.yaml:30:7)"),
        "{stdout}"
    );
    // The v1 subsets select their hosts' pods; reviews' v2 is reviews' own.
    assert_eq!(stdout.matches("MDK0004").count(), 2, "{stdout}");
    snapshot("analyze-checks@ratings-v2", &text);
    // Bookinfo's own DestinationRules are clean.
    let (code, stdout, _) = run(&["analyze", "testdata/bookinfo"], None);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn a_service_selector_message_points_at_the_key_that_matches_nothing() {
    let (code, stdout, _, text) = transcript(&["analyze", "testdata/analyze/service-typo"]);
    assert_eq!(code, 0, "a Warning does not fail the run: {stdout}");
    // `tier: fronted` (line 10), not `app: web` (line 9) which the Deployment carries.
    assert!(
        stdout.starts_with(
            "Warning [MDK0001] (Service shop/web testdata/analyze/service-typo/app.yaml:10:5)"
        ),
        "{stdout}"
    );
    snapshot("analyze-checks@service-typo", &text);
    let (_, stdout, _) = run(
        &["analyze", "-o", "json", "testdata/analyze/service-typo"],
        None,
    );
    assert!(
        stdout.contains("workloads in namespace \\\"shop\\\" carry tier: frontend"),
        "{stdout}"
    );
}

#[test]
fn a_kind_or_group_close_to_a_known_one_is_a_warning() {
    let (code, stdout, _, text) = transcript(&["analyze", "testdata/analyze/typo-kinds.yaml"]);
    assert_eq!(code, 0, "Warnings do not fail the run: {stdout}");
    assert!(
        stdout.contains(
            "Warning [MDK0005] (Gatway web testdata/analyze/typo-kinds.yaml:3:1) Gatway \
             (networking.istio.io/v1) is not a kind meshdeck reads, and close to Gateway \
             (networking.istio.io/v1): a typo?"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "Warning [MDK0005] (VirtualService web testdata/analyze/typo-kinds.yaml:10:1) \
             VirtualService (networking.istoi.io/v1) is not a kind meshdeck reads, and close to \
             VirtualService (networking.istio.io/v1)"
        ),
        "{stdout}"
    );
    snapshot("analyze-checks@typo-kinds", &text);
}

#[test]
fn a_missing_subset_is_reported_at_subset_with_the_subsets_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vs.yaml");
    std::fs::write(
        &file,
        "apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  gateways: [bookinfo-gateway]
  http:
  - route:
    - destination:
        host: reviews
        subset: v4
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: bookinfo-gateway, namespace: ingress}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ['*']}]
",
    )
    .unwrap();
    let (_, stdout, _) = run(
        &[
            "analyze",
            "-o",
            "json",
            "testdata/bookinfo",
            file.to_str().unwrap(),
        ],
        None,
    );
    let findings: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let subset = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["message"].as_str().unwrap().contains("host+subset"))
        .unwrap_or_else(|| panic!("{stdout}"));
    // At `subset:` (line 11), not `host:` (line 10).
    assert!(
        subset["reference"]
            .as_str()
            .unwrap()
            .ends_with("vs.yaml:11"),
        "{subset}"
    );
    assert_eq!(
        subset["hint"], "the DestinationRules of host reviews define the subsets v1, v2, v3",
        "{subset}"
    );
    let gateway = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["message"] == "Referenced gateway not found: \"bookinfo-gateway\"")
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        gateway["hint"]
            .as_str()
            .unwrap()
            .starts_with("a Gateway named bookinfo-gateway is in namespace ingress;"),
        "{gateway}"
    );
}
