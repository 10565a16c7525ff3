//! `webhook.Analyzer`: Istio's sidecar injector webhooks must not overlap, and must call a
//! Service that exists (IST0139).
//!
//! The webhooks considered are those of MutatingWebhookConfigurations that name a revision
//! (`istio.io/rev` as a label of the configuration, or in a webhook's namespace or object
//! selector) or that have a webhook whose name ends in `istio.io`. Every combination of the
//! namespace labels a user sets for injection (none, `istio-injection=enabled|disabled`, each also
//! with every revision seen) and the pod labels (none, `sidecar.istio.io/inject=true|false`, each
//! also with every revision) must be selected by at most one webhook; otherwise a pod could be
//! injected twice.

use std::collections::{BTreeMap, BTreeSet};

use super::{LabelSelector, selector_matches};
use crate::analyze::catalogue::IST0139;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::{Kind, Labels, Node, Resource};

pub struct WebhookAnalyzer;

static METADATA: Metadata = Metadata {
    name: "webhook.Analyzer",
    description: "Checks the validity of Istio webhooks",
    inputs: &[Kind::MutatingWebhookConfiguration, Kind::Service],
    codes: &[&IST0139],
};

const REVISION_LABEL: &str = "istio.io/rev";

/// One webhook of a configuration Istio owns.
struct Hook<'a> {
    /// `configuration/webhook`, as istioctl names it in messages.
    key: String,
    resource: &'a Resource,
    index: usize,
    node: &'a Node,
    namespace_selector: Option<LabelSelector>,
    object_selector: Option<LabelSelector>,
}

/// Revisions a configuration names: its own `istio.io/rev` label, and `istio.io/rev` in the
/// `matchLabels` or `matchExpressions` of its webhooks' selectors.
fn revisions(r: &Resource) -> BTreeSet<String> {
    let mut revs: BTreeSet<String> = r.labels.get(REVISION_LABEL).cloned().into_iter().collect();
    for hook in r.doc.path(&["webhooks"]).as_seq() {
        for key in ["namespaceSelector", "objectSelector"] {
            let selector = hook.path(&[key]);
            if let Some(v) = selector.path(&["matchLabels"]).get(REVISION_LABEL) {
                revs.insert(v.text().to_string());
            }
            for expr in selector.path(&["matchExpressions"]).as_seq() {
                if expr.path(&["key"]).text() == REVISION_LABEL {
                    revs.extend(expr.path(&["values"]).string_list().map(str::to_string));
                }
            }
        }
    }
    revs
}

/// The label sets to try: `base` alone and with each revision.
fn label_sets(key: &str, revisions: &BTreeSet<String>) -> Vec<Labels> {
    let base: Vec<Labels> = [None, Some("enabled"), Some("disabled")]
        .into_iter()
        .map(|v| {
            v.map(|v| (key.to_string(), v.to_string()))
                .into_iter()
                .collect()
        })
        .collect();
    let mut sets = base.clone();
    for rev in revisions {
        for b in &base {
            let mut with_rev = b.clone();
            with_rev.insert(REVISION_LABEL.to_string(), rev.clone());
            sets.push(with_rev);
        }
    }
    sets
}

impl Analyzer for WebhookAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let mut hooks: Vec<Hook<'_>> = Vec::new();
        let mut all_revisions: BTreeSet<String> = BTreeSet::new();
        for config in snap.of_kind(Kind::MutatingWebhookConfiguration) {
            let webhooks = config.doc.path(&["webhooks"]).as_seq();
            let revs = revisions(config);
            let istio_owned = webhooks
                .iter()
                .any(|h| h.path(&["name"]).text().ends_with("istio.io"));
            if revs.is_empty() && !istio_owned {
                continue;
            }
            all_revisions.extend(revs);
            for (index, node) in webhooks.iter().enumerate() {
                hooks.push(Hook {
                    key: format!("{}/{}", config.full_name(), node.path(&["name"]).text()),
                    resource: config,
                    index,
                    node,
                    namespace_selector: LabelSelector::from_node(node.get("namespaceSelector")),
                    object_selector: LabelSelector::from_node(node.get("objectSelector")),
                });
            }
        }
        if hooks.is_empty() {
            return;
        }

        // Which webhooks each overlapping webhook overlaps with, per combination of labels.
        let namespace_labels = label_sets("istio-injection", &all_revisions);
        let object_labels = label_sets("sidecar.istio.io/inject", &all_revisions);
        let mut overlaps: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for ns in &namespace_labels {
            let in_namespace: Vec<&Hook<'_>> = hooks
                .iter()
                .filter(|h| selector_matches(h.namespace_selector.as_ref(), ns))
                .collect();
            if in_namespace.len() < 2 {
                continue;
            }
            for obj in &object_labels {
                let matched: BTreeSet<&str> = in_namespace
                    .iter()
                    .filter(|h| selector_matches(h.object_selector.as_ref(), obj))
                    .map(|h| h.key.as_str())
                    .collect();
                if matched.len() < 2 {
                    continue;
                }
                for &key in &matched {
                    let others: Vec<&str> = matched.iter().copied().filter(|k| *k != key).collect();
                    overlaps.entry(key).or_default().insert(format!(
                        "Webhook overlaps with others: [{}]. This may cause injection to occur twice.",
                        others.join(" ")
                    ));
                }
            }
        }

        for hook in &hooks {
            // Webhooks of the same name in one configuration are one to istioctl: report once.
            if let Some(texts) = overlaps.remove(hook.key.as_str()) {
                for text in texts {
                    ctx.report(
                        &IST0139,
                        hook.resource,
                        Some(format!("webhooks[{}].name", hook.index)),
                        vec![text.into()],
                    );
                }
            }
        }

        for hook in &hooks {
            let Some(service) = hook
                .node
                .path(&["clientConfig"])
                .get("service")
                .filter(|s| !s.is_null())
            else {
                continue;
            };
            let namespace = service.path(&["namespace"]).text();
            let name = service.path(&["name"]).text();
            if snap.get(Kind::Service, namespace, name).is_some() {
                continue;
            }
            let full_name = if namespace.is_empty() {
                name.to_string()
            } else {
                format!("{namespace}/{name}")
            };
            ctx.report(
                &IST0139,
                hook.resource,
                Some(format!("webhooks[{}].clientConfig.service", hook.index)),
                vec![
                    format!(
                        "Injector refers to a control plane service that does not exist: {full_name}."
                    )
                    .into(),
                ],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::WebhookAnalyzer;
    use crate::analyze::testing::findings;

    #[test]
    fn revisions_separate_webhooks_and_services_must_exist() {
        let input = "\
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: istio-sidecar-injector}
webhooks:
- name: rev.namespace.sidecar-injector.istio.io
  clientConfig: {service: {name: istiod, namespace: istio-system}}
  namespaceSelector:
    matchExpressions:
    - {key: istio.io/rev, operator: In, values: [default]}
    - {key: istio-injection, operator: DoesNotExist}
- name: namespace.sidecar-injector.istio.io
  clientConfig: {service: {name: istiod, namespace: istio-system}}
  namespaceSelector:
    matchLabels: {istio-injection: enabled}
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: istio-sidecar-injector-canary
  labels: {istio.io/rev: canary}
webhooks:
- name: rev.namespace.sidecar-injector.istio.io
  clientConfig: {service: {name: istiod-canary, namespace: istio-system}}
  namespaceSelector:
    matchExpressions:
    - {key: istio.io/rev, operator: In, values: [canary]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: not-istio}
webhooks:
- name: other.example.com
  clientConfig: {service: {name: missing, namespace: x}}
---
apiVersion: v1
kind: Service
metadata: {name: istiod, namespace: istio-system}
";
        assert_eq!(
            findings(&WebhookAnalyzer, input),
            vec![
                "Error [IST0139] (MutatingWebhookConfiguration istio-sidecar-injector t.yaml:11:3) Webhook overlaps \
                 with others: [istio-sidecar-injector-canary/rev.namespace.sidecar-injector.istio.io]. This may \
                 cause injection to occur twice.",
                "Error [IST0139] (MutatingWebhookConfiguration istio-sidecar-injector-canary t.yaml:22:3) Webhook \
                 overlaps with others: [istio-sidecar-injector/namespace.sidecar-injector.istio.io]. This may \
                 cause injection to occur twice.",
                "Error [IST0139] (MutatingWebhookConfiguration istio-sidecar-injector-canary t.yaml:23:18) Injector \
                 refers to a control plane service that does not exist: istio-system/istiod-canary.",
            ]
        );
    }
}
