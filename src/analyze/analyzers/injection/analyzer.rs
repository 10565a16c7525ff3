//! `injection.Analyzer`: how namespaces say whether their pods join the mesh, and whether the
//! pods of injected namespaces actually carry the proxy.
//!
//! - A namespace with more than one kind of injection label (`istio-injection`, `istio.io/rev`,
//!   `istio.io/dataplane-mode`) is ambiguous (IST0123). The latter two only count when
//!   `istio-injection` is absent or `enabled`, since `disabled` wins anyway.
//! - Ambient namespaces stop there. A namespace without `istio-injection` (or with it empty) and
//!   without `istio.io/rev` is reported as not injected (IST0102), or as injected by default when
//!   the injector ConfigMap says `enableNamespacesByDefault` (IST0148).
//! - Pods of `istio-injection=enabled` namespaces that do not opt out and do not run on the host
//!   network must have an `istio-proxy` container with an image (IST0103). Only real Pods are
//!   checked: a pod template has not been through the injector yet.
//!
//! `istio-system` itself is never checked, whatever `--istioNamespace` says, as in istioctl.

use std::collections::HashSet;

use crate::analyze::catalogue::{IST0102, IST0103, IST0123, IST0148};
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::{Kind, Snapshot, views};

pub struct InjectionAnalyzer;

static METADATA: Metadata = Metadata {
    name: "injection.Analyzer",
    description: "Checks conditions related to Istio sidecar injection",
    inputs: &[Kind::Namespace, Kind::Pod, Kind::ConfigMap],
    codes: &[&IST0123, &IST0148, &IST0102, &IST0103],
};

const INJECTION_LABEL: &str = "istio-injection";
const REVISION_LABEL: &str = "istio.io/rev";
const DATAPLANE_MODE_LABEL: &str = "istio.io/dataplane-mode";
const SIDECAR_INJECT: &str = "sidecar.istio.io/inject";
const INJECTOR_CONFIG_MAP: &str = "istio-sidecar-injector";

/// `sidecarInjectorWebhook.enableNamespacesByDefault` of the default injector's ConfigMap (the
/// first one named `istio-sidecar-injector`, in any namespace). Only namespaces without any
/// injection label consult it, and those have no revision, so the revisioned ConfigMaps never
/// decide.
fn namespaces_injected_by_default(snap: &Snapshot) -> bool {
    let Some(cm) = snap
        .of_kind(Kind::ConfigMap)
        .find(|cm| cm.name == INJECTOR_CONFIG_MAP)
        .and_then(views::ConfigMap::of)
    else {
        return false;
    };
    let Some(values) = cm.data("values") else {
        return false;
    };
    serde_json::from_str::<serde_json::Value>(values)
        .ok()
        .and_then(|v| v["sidecarInjectorWebhook"]["enableNamespacesByDefault"].as_bool())
        .unwrap_or(false)
}

impl Analyzer for InjectionAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let mut by_default: Option<bool> = None;
        let mut injected: HashSet<&str> = HashSet::new();
        for ns in snap.of_kind(Kind::Namespace) {
            if ns.name == "istio-system" {
                continue;
            }
            let injection = ns.labels.get(INJECTION_LABEL).map(String::as_str);
            let mut labels: Vec<String> = Vec::new();
            if let Some(v) = injection {
                labels.push(format!("{INJECTION_LABEL}={v}"));
            }
            if injection.is_none_or(|v| v == "enabled") {
                for key in [REVISION_LABEL, DATAPLANE_MODE_LABEL] {
                    if let Some(v) = ns.labels.get(key) {
                        labels.push(format!("{key}={v}"));
                    }
                }
            }
            if labels.len() > 1 {
                ctx.report(&IST0123, ns, None, vec![labels.into()]);
            }
            if ns
                .labels
                .get(DATAPLANE_MODE_LABEL)
                .is_some_and(|m| m == "ambient")
            {
                continue;
            }
            if injection.unwrap_or("").is_empty() && !ns.labels.contains_key(REVISION_LABEL) {
                if *by_default.get_or_insert_with(|| namespaces_injected_by_default(snap)) {
                    ctx.report(&IST0148, ns, None, vec![]);
                } else {
                    ctx.report(
                        &IST0102,
                        ns,
                        Some("metadata.name".into()),
                        vec![ns.name.clone().into(), ns.name.clone().into()],
                    );
                }
                continue;
            }
            if injection == Some("enabled") {
                injected.insert(ns.name.as_str());
            }
        }

        for pod in snap.of_kind(Kind::Pod).filter_map(views::Pod::of) {
            if !injected.contains(pod.namespace.as_str()) {
                continue;
            }
            // The label wins over the annotation.
            let opt = pod
                .labels
                .get(SIDECAR_INJECT)
                .or_else(|| pod.annotations.get(SIDECAR_INJECT));
            if opt.is_some_and(|v| v.eq_ignore_ascii_case("false")) || pod.host_network() {
                continue;
            }
            let proxy_image = pod
                .containers()
                .into_iter()
                .find(|c| c.name() == "istio-proxy")
                .map_or("", |c| c.image());
            if proxy_image.is_empty() {
                ctx.report(&IST0103, pod.resource(), None, vec![pod.full_name().into()]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::{self, MeshConfig};
    use crate::resource::{LoadOptions, SourceText, parse_source};

    fn run(text: &str) -> Vec<(String, String)> {
        let opts = LoadOptions {
            default_namespace: None,
            apply_defaults: false,
        };
        let (resources, issues) = parse_source(&SourceText::new("t.yaml", text), &opts);
        assert!(issues.is_empty(), "{issues:?}");
        // Derivation on: pod templates must still not be checked for a proxy.
        let snap = Snapshot::new(resources, true);
        let outcome = analyze::run(
            &snap,
            &MeshConfig::default(),
            "istio-system",
            &[&InjectionAnalyzer],
            false,
        );
        let mut got: Vec<_> = outcome
            .findings
            .into_iter()
            .map(|f| (f.code().to_string(), f.origin.unwrap_or_default()))
            .collect();
        got.sort();
        got
    }

    const NS: &str = "apiVersion: v1\nkind: Namespace\nmetadata: {name: apps, labels: {istio-injection: enabled}}\n---\n";

    #[test]
    fn pod_templates_are_not_checked_for_a_proxy() {
        let text = format!(
            "{NS}apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d, namespace: apps}}\nspec:\n  template:\n    \
             metadata: {{labels: {{app: d}}}}\n    spec: {{containers: [{{name: app, image: app}}]}}\n---\n\
             apiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: apps}}\nspec: {{containers: [{{name: app, image: app}}]}}\n"
        );
        assert_eq!(run(&text), vec![("IST0103".into(), "Pod apps/p".into())]);
    }

    #[test]
    fn proxy_as_native_sidecar_init_container_counts() {
        let text = format!(
            "{NS}apiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: apps}}\nspec:\n  containers: [{{name: app, image: app}}]\n  \
             initContainers: [{{name: istio-proxy, image: proxyv2, restartPolicy: Always}}]\n---\n\
             apiVersion: v1\nkind: Pod\nmetadata: {{name: q, namespace: apps}}\nspec:\n  containers: [{{name: app, image: app}}, {{name: istio-proxy}}]\n"
        );
        assert_eq!(run(&text), vec![("IST0103".into(), "Pod apps/q".into())]);
    }

    #[test]
    fn empty_injection_label_counts_as_none_and_revision_namespaces_are_not_checked() {
        let text = "apiVersion: v1\nkind: Namespace\nmetadata: {name: blank, labels: {istio-injection: ''}}\n---\n\
                    apiVersion: v1\nkind: Namespace\nmetadata: {name: rev, labels: {istio.io/rev: canary}}\n---\n\
                    apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: rev}\nspec: {containers: [{name: app, image: app}]}\n";
        assert_eq!(
            run(text),
            vec![("IST0102".into(), "Namespace blank".into())]
        );
    }
}
