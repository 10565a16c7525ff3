//! `injection.ImageAutoAnalyzer`: an `istio-proxy` container with `image: auto` is a placeholder
//! that only Istio's injector fills in.
//!
//! - A Pod that still has it was not injected and cannot start (IST0147).
//! - A Deployment with it must be selected by one of Istio's injection webhooks (those whose
//!   name ends in `istio.io`): the webhook's namespace selector must match the labels of the
//!   Deployment's Namespace (`default` when it has none; no labels when the Namespace is not in
//!   the input) and its object selector the pod template's labels (IST0146).
//!
//! Unlike istioctl, a Deployment is not checked when the input holds no
//! MutatingWebhookConfiguration at all: plain manifests never carry Istio's webhooks, so every
//! gateway Deployment would be reported just because the webhooks were not part of the input.

use crate::analyze::analyzers::webhook::{LabelSelector, selector_matches};
use crate::analyze::catalogue::{IST0146, IST0147};
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::{Kind, Labels, Resource, views};

pub struct ImageAutoAnalyzer;

static METADATA: Metadata = Metadata {
    name: "injection.ImageAutoAnalyzer",
    description: "Makes sure that Pods and Deployments with `image: auto` are going to be injected",
    inputs: &[
        Kind::Namespace,
        Kind::Pod,
        Kind::Deployment,
        Kind::MutatingWebhookConfiguration,
    ],
    codes: &[&IST0147, &IST0146],
};

/// The field of the first `istio-proxy` container (not init container) with `image: auto`.
fn auto_image_field(r: &Resource) -> Option<String> {
    let prefix = match r.kind {
        Kind::Pod => "spec",
        _ => "spec.template.spec",
    };
    views::pod_spec(r)
        .path(&["containers"])
        .as_seq()
        .iter()
        .position(|c| {
            c.path(&["name"]).text() == "istio-proxy" && c.path(&["image"]).text() == "auto"
        })
        .map(|i| format!("{prefix}.containers[{i}].image"))
}

impl Analyzer for ImageAutoAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        // (namespace selector, object selector) of every Istio injection webhook.
        let webhooks: Vec<(Option<LabelSelector>, Option<LabelSelector>)> = snap
            .of_kind(Kind::MutatingWebhookConfiguration)
            .flat_map(|c| c.doc.path(&["webhooks"]).as_seq())
            .filter(|h| h.path(&["name"]).text().ends_with("istio.io"))
            .map(|h| {
                (
                    LabelSelector::from_node(h.get("namespaceSelector")),
                    LabelSelector::from_node(h.get("objectSelector")),
                )
            })
            .collect();

        for pod in snap.of_kind(Kind::Pod) {
            if let Some(field) = auto_image_field(pod) {
                ctx.report(
                    &IST0147,
                    pod,
                    Some(field),
                    vec!["Pod".into(), pod.name.clone().into()],
                );
            }
        }

        if !snap.has_kind(Kind::MutatingWebhookConfiguration) {
            return;
        }
        let no_labels = Labels::new();
        for deployment in snap.of_kind(Kind::Deployment) {
            let Some(field) = auto_image_field(deployment) else {
                continue;
            };
            let namespace = match deployment.namespace.as_str() {
                "" => "default",
                ns => ns,
            };
            let namespace_labels = snap
                .get(Kind::Namespace, "", namespace)
                .map_or(&no_labels, |ns| &ns.labels);
            let pod_labels: Labels = deployment
                .doc
                .path(&["spec", "template", "metadata", "labels"])
                .string_map()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let injected = webhooks.iter().any(|(ns_sel, obj_sel)| {
                selector_matches(ns_sel.as_ref(), namespace_labels)
                    && selector_matches(obj_sel.as_ref(), &pod_labels)
            });
            if !injected {
                ctx.report(
                    &IST0146,
                    deployment,
                    Some(field),
                    vec!["Deployment".into(), deployment.name.clone().into()],
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ImageAutoAnalyzer;
    use crate::analyze::testing::findings;

    const WORKLOADS: &str = "\
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: apps}
spec: {containers: [{name: istio-proxy, image: auto}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: gw, namespace: apps}
spec:
  template:
    metadata: {labels: {istio: ingressgateway}}
    spec: {containers: [{name: istio-proxy, image: auto}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: opted-in, namespace: apps}
spec:
  template:
    metadata: {labels: {sidecar.istio.io/inject: 'true'}}
    spec: {containers: [{name: istio-proxy, image: auto}]}
";

    #[test]
    fn deployments_need_a_matching_webhook_when_webhooks_are_known() {
        // Without any webhook configuration in the input only the Pod is reported.
        assert_eq!(
            findings(&ImageAutoAnalyzer, WORKLOADS),
            vec![
                "Error [IST0147] (Pod apps/p t.yaml:4:41) Pod p contains `image: auto` but does not match any \
                 Istio injection webhook selectors."
            ]
        );
        let with_webhooks = format!(
            "{WORKLOADS}---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {{name: istio-sidecar-injector}}
webhooks:
- name: object.sidecar-injector.istio.io
  objectSelector:
    matchExpressions:
    - {{key: sidecar.istio.io/inject, operator: In, values: ['true']}}
"
        );
        assert_eq!(
            findings(&ImageAutoAnalyzer, &with_webhooks),
            vec![
                "Error [IST0147] (Pod apps/p t.yaml:4:41) Pod p contains `image: auto` but does not match any \
                 Istio injection webhook selectors.",
                "Warning [IST0146] (Deployment apps/gw t.yaml:12:45) Deployment gw contains `image: auto` but does \
                 not match any Istio injection webhook selectors.",
            ]
        );
    }
}
