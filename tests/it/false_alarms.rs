//! No false alarms on an application repository: checks whose targets usually live in the
//! cluster (the ingress gateway's workloads, the Services that routes and DestinationRules
//! name) are skipped in file-only mode, with a note that names them, unless the input holds
//! workloads they could judge (for a destination host, a Service of its namespace).

use crate::cli::run;
use crate::common::shared_dir;

fn sample(path: &str) -> String {
    shared_dir()
        .join("istio-release/1.30.3/samples")
        .join(path)
        .display()
        .to_string()
}

fn snapshot(name: &str, text: &str) {
    let shared = shared_dir().display().to_string();
    let text = text.replace(&shared, "<shared>");
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn bookinfo_sample_is_clean_in_file_mode() {
    let app = sample("bookinfo/platform/kube/bookinfo.yaml");
    let gateway = sample("bookinfo/networking/bookinfo-gateway.yaml");
    for args in [[&app, &gateway], [&gateway, &app]] {
        let (code, stdout, stderr) = run(&["analyze", args[0], args[1]], None);
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert_eq!(stdout, "", "no message at all");
        assert!(
            stderr.contains("Gateway default/bookinfo-gateway")
                && stderr.contains("not checked: IST0101 (selector), IST0162 (server ports)")
                && stderr.contains("--use-kube")
                && stderr.contains("add the ingress gateway's manifests"),
            "{stderr}"
        );
        // Something was skipped, so no check mark.
        assert!(!stderr.contains("✔"), "{stderr}");
        assert!(
            stderr.contains("4 objects of kinds no analyzer reads were skipped"),
            "{stderr}"
        );
    }
    let (_, _, stderr) = run(&["analyze", &app, &gateway], None);
    snapshot("false-alarms@bookinfo-sample", &stderr);
}

#[test]
fn seed_trap_stays_an_error() {
    // The ingress manifests are in the input, labelled `istio: ingress`: the selector
    // `istio: ingressgateway` can be judged, and it matches nothing.
    let (code, stdout, stderr) = run(
        &[
            "analyze",
            "testdata/bookinfo",
            "testdata/ingress/helm-label-mismatch",
        ],
        None,
    );
    assert_eq!(code, 79, "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "Error [IST0101] (Gateway default/bookinfo-gateway testdata/ingress/helm-label-mismatch/bookinfo-gateway.yaml:10:5) Referenced selector not found: \"istio=ingressgateway\""
        ),
        "{stdout}"
    );
    assert!(!stderr.contains("not checked"), "{stderr}");
}

#[test]
fn credential_checks_are_skipped_without_the_ingress_workload() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.yaml");
    std::fs::write(
        &file,
        "apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [shop.example.com]
    tls: {mode: SIMPLE, credentialName: shop-cert}
",
    )
    .unwrap();
    let path = file.display().to_string();
    let (code, stdout, stderr) = run(&["analyze", &path], None);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(&format!(
            "Gateway shop/web ({path}:14:14): not checked: IST0101 (selector), IST0162 (server ports), IST0101/IST0161 (tls.credentialName)"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 resource was not checked against workloads that are not in the input"),
        "{stderr}"
    );

    // A workload carrying the selector's key makes the checks run: the mismatch is reported.
    let ingress = dir.path().join("ingress.yaml");
    std::fs::write(
        &ingress,
        "apiVersion: v1
kind: Pod
metadata: {name: ingress, namespace: istio-ingress, labels: {istio: ingress}}
spec: {containers: [{name: istio-proxy, image: proxyv2}]}
",
    )
    .unwrap();
    let (code, stdout, stderr) = run(&["analyze", &path, &ingress.display().to_string()], None);
    assert_eq!(code, 79, "{stdout}{stderr}");
    assert!(
        stdout.contains("Error [IST0101] (Gateway shop/web")
            && stdout.contains("Referenced selector not found: \"istio=ingressgateway\""),
        "{stdout}"
    );
    assert!(!stderr.contains("not checked"), "{stderr}");
}

#[test]
fn checks_that_need_no_workloads_run_on_an_input_without_any() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("svc.yaml");
    std::fs::write(
        &file,
        "apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    networking.istio.io/exportTo2: \".\"
spec:
  selector: {app: web}
  ports: [{port: 80, name: http}]
",
    )
    .unwrap();
    let (_, stdout, stderr) = run(&["analyze", &file.display().to_string()], None);
    assert!(
        stdout.contains("[IST0108] (Service default/web")
            && stdout.contains("networking.istio.io/exportTo2"),
        "{stdout}{stderr}"
    );
    assert!(!stderr.contains("annotations.K8sAnalyzer"), "{stderr}");
}

/// The routes of an application repository: a VirtualService and a DestinationRule of `shop`
/// for `web`, whose Service the application's chart deploys.
const ROUTES: &str = "apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: front, namespace: shop}
spec:
  hosts: [front.example.com]
  http:
  - route:
    - destination: {host: web, subset: v1}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: shop}
spec:
  host: web
  subsets: [{name: v1, labels: {version: v1}}]
";

#[test]
fn a_destination_host_whose_namespace_has_no_service_in_the_input_is_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("routes.yaml");
    std::fs::write(&file, ROUTES).unwrap();
    let path = file.display().to_string();
    let (code, stdout, stderr) = run(&["analyze", &path], None);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "", "no message at all");
    assert!(
        stderr.contains(&format!(
            "note: VirtualService shop/front ({path}:8:21): not checked: IST0101 (destination host) for host web. \
             The input holds no Service of namespace shop, so its Service lives in the cluster; run with \
             --use-kube to check against the cluster, or add the Services of namespace shop to the input"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "note: DestinationRule shop/web ({path}:14:3): not checked: IST0174 (host), IST0173 (subset labels), \
             MDK0004 (subset selects its host's pods) for host web."
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("2 resources were not checked against Services that are not in the input"),
        "{stderr}"
    );
    assert!(!stderr.contains("✔"), "{stderr}");
    snapshot(
        "false-alarms@hosts-not-in-input",
        &stderr.replace(&dir.path().display().to_string(), "<tmp>"),
    );
}

#[test]
fn a_mistyped_host_is_still_an_error_when_the_input_holds_services_of_its_namespace() {
    // The input holds a Service of `shop` (not `web`): it is taken to hold shop's Services, so
    // a host missing among them is a mistake, as it would be in the cluster.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("routes.yaml");
    std::fs::write(
        &file,
        format!(
            "apiVersion: v1
kind: Service
metadata: {{name: cart, namespace: shop}}
spec:
  selector: {{app: cart}}
  ports: [{{port: 80, name: http}}]
---
{ROUTES}"
        ),
    )
    .unwrap();
    let path = file.display().to_string();
    let (code, stdout, stderr) = run(&["analyze", &path], None);
    assert_eq!(code, 79, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!(
            "Error [IST0101] (VirtualService shop/front {path}:15:21) Referenced host not found: \"web\""
        )) && stdout.contains(&format!(
            "Warning [IST0174] (DestinationRule shop/web {path}:21:3) The host web defined in the DestinationRule \
             does not match any services in the mesh."
        )),
        "{stdout}"
    );
    assert!(!stderr.contains("IST0101 (destination host)"), "{stderr}");
}

#[test]
fn a_host_with_a_mistyped_namespace_is_skipped_with_a_note_naming_its_namesake() {
    // `cart.shopp` names namespace `shopp`, of which the input holds no Service: it may be a
    // namespace deployed elsewhere, so the check is skipped (--use-kube reports it), and the note
    // names the Service of the same name the input does hold.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("routes.yaml");
    std::fs::write(
        &file,
        "apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec:
  ports: [{port: 80, name: http}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: front, namespace: shop}
spec:
  hosts: [front.example.com]
  http:
  - route:
    - destination: {host: cart.shopp.svc.cluster.local}
",
    )
    .unwrap();
    let path = file.display().to_string();
    let (code, stdout, stderr) = run(&["analyze", &path], None);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(
            "for host cart.shopp.svc.cluster.local. The input holds no Service of namespace shopp"
        ) && stderr.contains(
            "The input holds a Service named cart in another namespace (shop/cart): if \
             cart.shopp.svc.cluster.local means it, its namespace is wrong"
        ),
        "{stderr}"
    );
}

#[test]
fn a_virtualservice_bound_to_the_platforms_gateway_is_skipped_with_a_note() {
    // An application repository: its Service and VirtualService, bound to the
    // ingress Gateway the platform team keeps in istio-system (not in this repository).
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.yaml");
    std::fs::write(
        &file,
        "apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, name: http}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  hosts: [shop.example.com]
  gateways: [istio-system/public-gateway]
  http:
  - route:
    - destination: {host: web}
",
    )
    .unwrap();
    let path = file.display().to_string();
    let (code, stdout, stderr) = run(&["analyze", &path], None);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "", "no message at all");
    assert!(
        stderr.contains(&format!(
            "note: VirtualService shop/web ({path}:13:14): not checked: IST0101 (gateway), IST0132 (hosts \
             the gateway accepts) for gateway istio-system/public-gateway. The input holds no Gateway of \
             namespace istio-system, so its Gateway lives in the cluster; run with --use-kube to check \
             against the cluster, or add the Gateways of namespace istio-system to the input"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 resource was not checked against Gateways that are not in the input"),
        "{stderr}"
    );

    // With the platform's Gateways in the input, a mistyped name is an Error again.
    let gateways = dir.path().join("platform.yaml");
    std::fs::write(
        &gateways,
        "apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public-gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ['*/shop.example.com']}]
",
    )
    .unwrap();
    let (code, stdout, stderr) = run(&["analyze", &path, &gateways.display().to_string()], None);
    assert_eq!(code, 79, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!(
            "Error [IST0101] (VirtualService shop/web {path}:13:14) Referenced gateway not found: \
             \"istio-system/public-gateway\""
        )),
        "{stdout}"
    );
    assert!(!stderr.contains("IST0101 (gateway)"), "{stderr}");
}

#[test]
fn cert_manager_gateway_alone_is_clean_in_file_mode() {
    // Its VirtualService routes to `cert-manager-resolver`, a Service cert-manager creates in
    // the cluster: not an Error on the file alone, and the note says how to check it.
    let file = sample("bookinfo/networking/certmanager-gateway.yaml");
    let (code, stdout, stderr) = run(&["analyze", &file], None);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(
            "VirtualService istio-system/cert-manager (<shared>/istio-release/1.30.3/samples/bookinfo/networking/certmanager-gateway.yaml:33:9): not checked: IST0101 (destination host) for host cert-manager-resolver"
                .replace("<shared>", &shared_dir().display().to_string())
                .as_str()
        ),
        "{stderr}"
    );
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn use_kube_checks_the_skipped_hosts_against_the_cluster() {
    use crate::testcluster::{cluster, exclusive};
    let c = cluster();
    c.load_istio_crds();
    let _only = exclusive();
    let ns = c.namespace("hosts");
    // The Service the application's chart deploys: in the cluster, not in the repository.
    ns.apply_json(serde_json::json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web", "namespace": ns.name},
        "spec": {"ports": [{"port": 80, "name": "http"}]},
    }));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("routes.yaml");
    std::fs::write(
        &file,
        format!(
            "apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: front, namespace: {ns}}}
spec:
  hosts: [front.example.com]
  http:
  - route:
    - destination: {{host: web}}
  - route:
    - destination: {{host: webb}}
",
            ns = ns.name
        ),
    )
    .unwrap();
    let path = file.display().to_string();
    // File mode: neither host can be judged, and the note says how to.
    let (code, stdout, stderr) = run(&["analyze", &path], None);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stderr.contains("for hosts web, webb.") && stderr.contains("--use-kube"),
        "{stderr}"
    );
    // As the note says: against the cluster, `web` resolves and the typo `webb` is an Error.
    let kubeconfig = c.kubeconfig.display().to_string();
    let (code, stdout, stderr) = run(
        &[
            "analyze",
            "--kubeconfig",
            &kubeconfig,
            "--use-kube",
            "-n",
            &ns.name,
            &path,
        ],
        None,
    );
    assert_eq!(code, 79, "{stdout}{stderr}");
    assert!(
        stdout.contains("Referenced host not found: \"webb\"")
            && !stdout.contains("Referenced host not found: \"web\""),
        "{stdout}"
    );
    assert!(!stderr.contains("not checked"), "{stderr}");
}
