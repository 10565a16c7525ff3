//! The same object (kind, namespace, name) given twice: reported with both locations, and
//! analyzed the same whatever the argument order: the copy analyzed is the one `kubectl apply -f
//! DIR` leaves in the cluster (the later file in name order, then the later document).

use crate::cli::run;

// A Gateway whose selector matches nothing, after a Pod the other copy selects.
const GATEWAY_A: &str = "apiVersion: v1
kind: Pod
metadata: {name: ingress, namespace: istio-system, labels: {istio: ingressgateway}}
spec: {containers: [{name: istio-proxy, image: proxyv2}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  selector: {istio: ingress}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [\"*\"]
";

// The same Gateway, fixed: `kubectl apply -f DIR` applies it after a.yaml's, so it is the one
// the cluster ends up holding.
const GATEWAY_B: &str = "apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [\"*\"]
";

#[test]
fn an_object_given_twice_is_reported_and_analyzed_the_same_in_both_orders() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.yaml");
    let b = dir.path().join("b.yaml");
    std::fs::write(&a, GATEWAY_A).unwrap();
    std::fs::write(&b, GATEWAY_B).unwrap();
    let (a, b) = (a.display().to_string(), b.display().to_string());
    let forward = run(&["analyze", &a, &b], None);
    let backward = run(&["analyze", &b, &a], None);
    assert_eq!(forward.0, backward.0, "{forward:?}\n{backward:?}");
    assert_eq!(forward.1, backward.1, "same messages in both orders");
    let (code, stdout, stderr) = forward.clone();
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!(
            "Warning [MDK0003] (Gateway shop/web {b}:3:12) The same object is given twice, here and at {a}:6; the copy at {b}:1 is analyzed and the other is ignored."
        )),
        "{stdout}"
    );
    // The copy kept (b.yaml, the later file, selecting the Pod) is the one analyzed: no IST0101
    // from a.yaml's.
    assert!(!stdout.contains("IST0101"), "{stdout}");
    // The directory as `kubectl apply -f DIR` takes it: the same copy.
    let whole = run(&["analyze", &dir.path().display().to_string()], None);
    assert_eq!(whole.1, forward.1, "{whole:?}");
    let dir_name = dir.path().display().to_string();
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.add_filter(&regex_escape(&dir_name), "<tmp>");
    settings.bind(|| insta::assert_snapshot!("duplicates@two-files", stdout));
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '/' || c == '_' || c == '-' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}
