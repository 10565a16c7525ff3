//! `kubernetes.ServiceSelectorAnalyzer` (MDK0001): a Service whose selector matches no workload
//! in its namespace has no endpoints. It is the Gateway "mismatched selector label" trap one
//! level down, and it is just as silent at apply time.
//!
//! The message points at the first selector key whose pair no workload of the namespace
//! carries (the typo), and a hint lists the values the namespace's workloads have for it. In a
//! file-only run a Service whose namespace holds no workload carrying a key of its selector is
//! not judged (its workloads live elsewhere) but named in a note.

use crate::analyze::analyzer::{LookUp, WORKLOAD_MANIFESTS};
use crate::analyze::catalogue::MDK0001;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::{Kind, Selector, Snapshot, views};

/// The check a file-only run skips when the input holds no workload the selector could pick.
pub const SELECTOR_CHECK: &str = "MDK0001 (Service selector)";

pub struct ServiceSelectorAnalyzer;

static METADATA: Metadata = Metadata {
    name: "kubernetes.ServiceSelectorAnalyzer",
    description: "Checks that each Service's selector matches at least one workload in its namespace",
    inputs: &[
        Kind::Service,
        Kind::Pod,
        Kind::Deployment,
        Kind::StatefulSet,
        Kind::DaemonSet,
        Kind::ReplicaSet,
        Kind::Job,
        Kind::CronJob,
    ],
    codes: &[&MDK0001],
};

impl Analyzer for ServiceSelectorAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        for svc in snap.of_kind(Kind::Service).map(views::Service) {
            let selector = svc.selector();
            if selector.is_empty() || svc.service_type() == "ExternalName" {
                continue;
            }
            if snap
                .workloads_matching(&selector, Some(&svc.namespace), false)
                .next()
                .is_some()
            {
                continue;
            }
            let (key, hint) = culprit(snap, &selector, &svc.namespace);
            let field = key.map(|k| format!("spec.selector.{k}"));
            let lookup = LookUp {
                selector: &selector,
                namespace: Some(&svc.namespace),
                field: field.clone(),
                targets: WORKLOAD_MANIFESTS,
            };
            if !ctx.can_look_up_workloads(svc.resource(), lookup, &[SELECTOR_CHECK]) {
                continue;
            }
            ctx.report(
                &MDK0001,
                svc.resource(),
                field,
                vec![selector.to_string().into(), svc.namespace.clone().into()],
            );
            if let Some(hint) = hint {
                ctx.hint(hint);
            }
        }
    }
}

/// The selector key to point at: the first whose pair no workload of `namespace` carries (else
/// the first key: each pair matches some workload, only not together), with a hint naming the
/// values the namespace's workloads have for that key.
fn culprit<'s>(
    snap: &Snapshot,
    selector: &'s Selector,
    namespace: &str,
) -> (Option<&'s str>, Option<String>) {
    let lone = selector.pairs().iter().find(|(k, v)| {
        let pair = Selector::from_pairs([(k.as_str(), v.as_str())]);
        snap.workloads_matching(&pair, Some(namespace), false)
            .next()
            .is_none()
    });
    let Some((key, _)) = lone else {
        return (selector.first_key(), None);
    };
    let everything = Selector::default();
    let mut values: Vec<&str> = snap
        .workloads_matching(&everything, Some(namespace), false)
        .filter_map(|w| w.labels.get(key).map(String::as_str))
        .collect();
    values.sort_unstable();
    values.dedup();
    let hint = match values.as_slice() {
        [] => None,
        values => Some(format!(
            "workloads in namespace {namespace:?} carry {key}: {}",
            values.join(", ")
        )),
    };
    (Some(key.as_str()), hint)
}

#[cfg(test)]
mod analyzer_tests {
    use super::ServiceSelectorAnalyzer;
    use crate::analyze::testing::findings;

    fn input(selector: &str, deployment_namespace: &str) -> String {
        format!(
            "\
apiVersion: v1
kind: Service
metadata: {{name: web, namespace: shop}}
spec:
  selector: {{{selector}}}
  ports: [{{port: 80}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web-v1, namespace: {deployment_namespace}}}
spec:
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata:
      labels: {{app: web, version: v1}}
"
        )
    }

    #[test]
    fn a_selector_matching_a_pod_template_is_clean() {
        assert_eq!(
            findings(&ServiceSelectorAnalyzer, &input("app: web", "shop")),
            Vec::<String>::new()
        );
        assert_eq!(
            findings(
                &ServiceSelectorAnalyzer,
                &input("app: web, version: v1", "shop")
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_selector_matching_nothing_is_mdk0001() {
        let found = findings(&ServiceSelectorAnalyzer, &input("app: webb", "shop"));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("[MDK0001] (Service shop/web t.yaml:"),
            "{found:?}"
        );
    }

    #[test]
    fn workloads_in_another_namespace_do_not_count() {
        let found = findings(&ServiceSelectorAnalyzer, &input("app: web", "other"));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("[MDK0001]"), "{found:?}");
    }

    #[test]
    fn a_service_without_selector_is_not_checked() {
        let text = input("app: web", "shop").replace("  selector: {app: web}\n  ports", "  ports");
        assert_eq!(
            findings(&ServiceSelectorAnalyzer, &text),
            Vec::<String>::new()
        );
    }
}
