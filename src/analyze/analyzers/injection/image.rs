//! `injection.ImageAnalyzer`: pods in injected namespaces should run the proxy image that the
//! injector would inject today (IST0158, one message per namespace listing its pods).
//!
//! - The expected image comes from the `values` of each `istio-sidecar-injector*` ConfigMap:
//!   `global.proxy.image` when it holds a `/`, else `<global.hub>/<global.proxy.image>:<global.tag>`.
//! - A namespace labelled `istio.io/rev=<r>` uses `istio-sidecar-injector-<r>` (`default` and an
//!   empty revision use `istio-sidecar-injector`); one labelled `istio-injection=enabled` uses the
//!   default. Pods whose ConfigMap is not in the input, or that set their own image with the
//!   `sidecar.istio.io/proxyImage` annotation, are not checked.
//! - An `istio-proxy` container (or native sidecar) matches when its image is the expected one, or
//!   the expected one with the `-<imageType>` suffix of the pod's effective image type: the mesh's
//!   `defaultConfig`, overridden by a ProxyConfig in the root namespace, then one for the pod's
//!   namespace, then one selecting the pod, then the pod's `proxy.istio.io/config` annotation
//!   (`default` means no suffix).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::analyze::catalogue::IST0158;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::{Kind, Node, Resource, Selector, views};

pub struct ImageAnalyzer;

static METADATA: Metadata = Metadata {
    name: "injection.ImageAnalyzer",
    description: "Checks the image of auto-injection configured with the running proxies on pods",
    inputs: &[
        Kind::Namespace,
        Kind::Pod,
        Kind::ConfigMap,
        Kind::MeshConfig,
        Kind::ProxyConfig,
    ],
    codes: &[&IST0158],
};

const INJECTOR_CONFIG_MAP: &str = "istio-sidecar-injector";
const INJECTION_LABEL: &str = "istio-injection";
const REVISION_LABEL: &str = "istio.io/rev";
const PROXY_IMAGE_ANNOTATION: &str = "sidecar.istio.io/proxyImage";
const PROXY_CONFIG_ANNOTATION: &str = "proxy.istio.io/config";

/// The injector ConfigMap a revision uses.
fn injector_config_map(revision: &str) -> String {
    match revision {
        "" | "default" => INJECTOR_CONFIG_MAP.to_string(),
        rev => format!("{INJECTOR_CONFIG_MAP}-{rev}"),
    }
}

/// The proxy image an injector ConfigMap injects; empty when its `values` do not read as the
/// injector's values.
fn injected_image(cm: views::ConfigMap<'_>) -> String {
    let Some(values) = cm
        .data("values")
        .and_then(|v| serde_json::from_str::<serde_json::Value>(v).ok())
    else {
        return String::new();
    };
    // Absent or null fields are empty; a field of another type makes the values unreadable.
    let field = |path: &[&str]| -> Option<String> {
        let mut v = &values;
        for key in path {
            match v {
                serde_json::Value::Object(m) => match m.get(*key) {
                    Some(next) => v = next,
                    None => return Some(String::new()),
                },
                serde_json::Value::Null => return Some(String::new()),
                _ => return None,
            }
        }
        match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Null => Some(String::new()),
            _ => None,
        }
    };
    let (Some(hub), Some(tag), Some(image)) = (
        field(&["global", "hub"]),
        field(&["global", "tag"]),
        field(&["global", "proxy", "image"]),
    ) else {
        return String::new();
    };
    if image.contains('/') {
        image
    } else {
        format!("{hub}/{image}:{tag}")
    }
}

/// `image.imageType` of a ProxyConfig spec (or of the mesh's `defaultConfig`).
fn image_type(node: &Node) -> &str {
    node.path(&["image", "imageType"]).text()
}

/// The image type each pod gets, from the mesh config and the ProxyConfigs.
struct ImageTypes<'a> {
    mesh: &'a str,
    root: &'a str,
    namespace: HashMap<&'a str, &'a str>,
    workload: HashMap<&'a str, Vec<(Selector, &'a str)>>,
}

impl<'a> ImageTypes<'a> {
    fn new(ctx: &Context<'a>) -> ImageTypes<'a> {
        let root_namespace = ctx.mesh.root_namespace();
        let mut types = ImageTypes {
            mesh: image_type(ctx.mesh.config.path(&["defaultConfig"])),
            root: "",
            namespace: HashMap::new(),
            workload: HashMap::new(),
        };
        // A later ProxyConfig of the same scope replaces an earlier one.
        for pc in ctx.snapshot.of_kind(Kind::ProxyConfig) {
            let spec = pc.spec();
            let ty = image_type(spec);
            if pc.namespace == root_namespace {
                types.root = ty;
            } else if let Some(selector) = spec.get("selector").filter(|s| !s.is_null()) {
                types
                    .workload
                    .entry(pc.namespace.as_str())
                    .or_default()
                    .push((Selector::from_node(selector.path(&["matchLabels"])), ty));
            } else {
                types.namespace.insert(pc.namespace.as_str(), ty);
            }
        }
        types
    }

    /// The effective image type of a pod; "" for the default image.
    fn of(&self, pod: &'a Resource) -> String {
        let mut ty = self.mesh;
        for candidate in [
            self.root,
            self.namespace
                .get(pod.namespace.as_str())
                .copied()
                .unwrap_or(""),
        ] {
            if !candidate.is_empty() {
                ty = candidate;
            }
        }
        for (selector, candidate) in self
            .workload
            .get(pod.namespace.as_str())
            .into_iter()
            .flatten()
        {
            if !candidate.is_empty() && selector.matches(&pod.labels) {
                ty = candidate;
            }
        }
        let annotated = pod
            .annotations
            .get(PROXY_CONFIG_ANNOTATION)
            .and_then(|text| crate::resource::node::parse_documents(text, 0).ok())
            .and_then(|docs| docs.into_iter().next())
            .map(|doc| image_type(&doc).to_string());
        let ty = match annotated {
            Some(a) if !a.is_empty() => a,
            _ => ty.to_string(),
        };
        if ty == "default" { String::new() } else { ty }
    }
}

impl Analyzer for ImageAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        // Injector ConfigMaps by name (in any namespace; a later one wins).
        let mut images: HashMap<&str, String> = HashMap::new();
        for cm in snap
            .of_kind(Kind::ConfigMap)
            .filter_map(views::ConfigMap::of)
        {
            if cm.name.starts_with(INJECTOR_CONFIG_MAP) {
                images.insert(cm.0.name.as_str(), injected_image(cm));
            }
        }
        if images.is_empty() {
            return;
        }

        // Injected namespaces: their resource, the label that says so, and the ConfigMap to use.
        let mut injected: HashMap<&str, (&Resource, &str, String)> = HashMap::new();
        for ns in snap.of_kind(Kind::Namespace) {
            let entry = if let Some(rev) = ns.labels.get(REVISION_LABEL) {
                (ns, REVISION_LABEL, injector_config_map(rev))
            } else if ns
                .labels
                .get(INJECTION_LABEL)
                .is_some_and(|v| v == "enabled")
            {
                (ns, INJECTION_LABEL, injector_config_map("default"))
            } else {
                continue;
            };
            injected.insert(ns.name.as_str(), entry);
        }

        let image_types = ImageTypes::new(ctx);
        let mut mismatched: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for pod in snap.of_kind(Kind::Pod).filter_map(views::Pod::of) {
            let Some((_, _, cm_name)) = injected.get(pod.namespace.as_str()) else {
                continue;
            };
            if pod
                .annotations
                .get(PROXY_IMAGE_ANNOTATION)
                .is_some_and(|v| !v.is_empty())
            {
                continue;
            }
            let Some(expected) = images.get(cm_name.as_str()) else {
                continue;
            };
            let variant = image_types.of(pod.resource());
            let with_variant = format!("{expected}-{variant}");
            let stale = pod
                .containers()
                .into_iter()
                .filter(|c| c.name() == "istio-proxy")
                .any(|c| c.image() != expected && c.image() != with_variant);
            if stale {
                mismatched
                    .entry(pod.0.namespace.as_str())
                    .or_default()
                    .insert(pod.0.name.as_str());
            }
        }

        for (ns, pods) in mismatched {
            let (resource, label, _) = injected[ns];
            ctx.report(
                &IST0158,
                resource,
                Some(format!("metadata.labels.{label}")),
                vec![
                    pods.into_iter()
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                        .into(),
                ],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ImageAnalyzer;
    use crate::analyze::testing::findings;

    const INJECTOR: &str = "\
apiVersion: v1
kind: ConfigMap
metadata: {name: istio-sidecar-injector, namespace: istio-system}
data:
  values: '{\"global\":{\"hub\":\"docker.io/istio\",\"tag\":\"1.30.3\",\"proxy\":{\"image\":\"proxyv2\"}}}'
---
apiVersion: v1
kind: ConfigMap
metadata: {name: istio-sidecar-injector-canary, namespace: istio-system}
data:
  values: '{\"global\":{\"proxy\":{\"image\":\"example.com/proxy:canary\"}}}'
---
";

    #[test]
    fn image_types_and_revisions() {
        let input = format!(
            "{INJECTOR}\
apiVersion: v1
kind: Namespace
metadata: {{name: apps, labels: {{istio-injection: enabled}}}}
---
apiVersion: v1
kind: Namespace
metadata: {{name: canary, labels: {{istio-injection: enabled, istio.io/rev: canary}}}}
---
apiVersion: v1
kind: Namespace
metadata: {{name: other, labels: {{istio.io/rev: other}}}}
---
apiVersion: networking.istio.io/v1beta1
kind: ProxyConfig
metadata: {{name: pc, namespace: apps}}
spec:
  selector: {{matchLabels: {{app: slim}}}}
  image: {{imageType: distroless}}
---
apiVersion: v1
kind: Pod
metadata: {{name: slim, namespace: apps, labels: {{app: slim}}}}
spec: {{containers: [{{name: istio-proxy, image: 'docker.io/istio/proxyv2:1.30.3-distroless'}}]}}
---
apiVersion: v1
kind: Pod
metadata: {{name: old-native, namespace: apps}}
spec:
  containers: [{{name: app, image: app}}]
  initContainers: [{{name: istio-proxy, image: 'docker.io/istio/proxyv2:1.29.0'}}]
---
apiVersion: v1
kind: Pod
metadata: {{name: distroless, namespace: apps}}
spec: {{containers: [{{name: istio-proxy, image: 'docker.io/istio/proxyv2:1.30.3-distroless'}}]}}
---
apiVersion: v1
kind: Pod
metadata:
  name: annotated
  namespace: apps
  annotations: {{proxy.istio.io/config: 'image: {{imageType: distroless}}'}}
spec: {{containers: [{{name: istio-proxy, image: 'docker.io/istio/proxyv2:1.30.3-distroless'}}]}}
---
apiVersion: v1
kind: Pod
metadata: {{name: c, namespace: canary}}
spec: {{containers: [{{name: istio-proxy, image: 'docker.io/istio/proxyv2:1.30.3'}}]}}
---
apiVersion: v1
kind: Pod
metadata: {{name: o, namespace: other}}
spec: {{containers: [{{name: istio-proxy, image: 'docker.io/istio/proxyv2:1.30.3'}}]}}
"
        );
        assert_eq!(
            findings(&ImageAnalyzer, &input),
            vec![
                "Warning [IST0158] (Namespace apps t.yaml:15:33) The Istio proxy images of the pods running in the \
                 namespace do not match the image defined in the injection configuration (pod names: [distroless \
                 old-native]). This often happens after upgrading the Istio control-plane and can be fixed by \
                 redeploying the pods.",
                "Warning [IST0158] (Namespace canary t.yaml:19:61) The Istio proxy images of the pods running in the \
                 namespace do not match the image defined in the injection configuration (pod names: [c]). This \
                 often happens after upgrading the Istio control-plane and can be fixed by redeploying the pods.",
            ]
        );
    }
}
