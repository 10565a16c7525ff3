//! What `meshdeck install` does to the rendered objects before it applies them, pure: the
//! ownership labels prune and uninstall select by, the order components go in, and the changes a
//! server that cannot hold what the release renders needs (each one said out loud).

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::render::{ComponentManifests, Rendered};

/// Set on every object meshdeck installs; prune and uninstall touch nothing without it.
pub const OWNER_LABEL: &str = "install.meshdeck.io/owned-by";
/// The value of [`OWNER_LABEL`].
pub const OWNER: &str = "meshdeck";
/// The revision that installed the object (`default` for none).
pub const REVISION_LABEL: &str = "install.meshdeck.io/revision";
/// The component the object belongs to (`Base`, `Pilot`, `IngressGateways`, ...).
pub const COMPONENT_LABEL: &str = "install.meshdeck.io/component";

/// The revision of a render, `default` when it has none.
pub fn revision(rendered: &Rendered) -> String {
    let rev = super::iop::get_string(&rendered.merged, "spec.values.revision");
    let rev = if rev.is_empty() {
        super::iop::get_string(&rendered.merged, "spec.revision")
    } else {
        rev
    };
    if rev.is_empty() {
        "default".into()
    } else {
        rev
    }
}

/// The label selector of everything meshdeck installed for `revision` (every revision: `None`).
/// Both require the revision label, so the addons and samples meshdeck applies (which carry
/// none) are never Istio's to prune or uninstall.
pub fn owned_selector(revision: Option<&str>) -> String {
    match revision {
        Some(r) => format!("{OWNER_LABEL}={OWNER},{REVISION_LABEL}={r}"),
        None => format!("{OWNER_LABEL}={OWNER},{REVISION_LABEL}"),
    }
}

/// Adds meshdeck's ownership labels to one object.
pub fn label(obj: &mut Json, revision: &str, component: &str) {
    let Some(meta) = obj.get_mut("metadata").and_then(Json::as_object_mut) else {
        return;
    };
    let labels = meta
        .entry("labels")
        .or_insert_with(|| Json::Object(Default::default()));
    if !labels.is_object() {
        *labels = Json::Object(Default::default());
    }
    let labels = labels.as_object_mut().expect("made an object above");
    labels.insert(OWNER_LABEL.into(), OWNER.into());
    labels.insert(REVISION_LABEL.into(), revision.into());
    labels.insert(COMPONENT_LABEL.into(), component.into());
}

/// The components in the order they may be applied: each stage waits for the one before, the
/// components of one stage go in parallel. Base first; then Istiod and CNI; then the gateways
/// (which need Istiod) and ztunnel (which needs CNI).
pub fn stages(rendered: &Rendered) -> Vec<Vec<&ComponentManifests>> {
    let stage_of = |name: &str| match name {
        "Base" => 0,
        "Pilot" | "Cni" => 1,
        _ => 2,
    };
    let mut out: Vec<Vec<&ComponentManifests>> = vec![Vec::new(), Vec::new(), Vec::new()];
    for c in &rendered.components {
        out[stage_of(c.component.name)].push(c);
    }
    out.retain(|s| !s.is_empty());
    out
}

/// What the server can hold, where Istio's release assumes a newer one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerCaps {
    /// CRD schemas may carry CEL rules (`x-kubernetes-validations`, Kubernetes 1.25+).
    pub cel: bool,
    /// `autoscaling/v2` is served (else `autoscaling/v2beta2` is used).
    pub hpa_v2: bool,
    /// `policy/v1` is served (else `policy/v1beta1` is used).
    pub pdb_v1: bool,
    /// Server-side apply accepts list entries without their key field where the API defaults
    /// it (`protocol` of ports; older servers reject them).
    pub defaulted_keys: bool,
    /// DaemonSets take `rollingUpdate.maxSurge` (Kubernetes 1.22+).
    pub daemonset_surge: bool,
}

impl ServerCaps {
    /// A server that holds everything the release renders.
    pub const CURRENT: ServerCaps = ServerCaps {
        cel: true,
        hpa_v2: true,
        pdb_v1: true,
        defaulted_keys: true,
        daemonset_surge: true,
    };

    /// From the server's minor version and whether it serves the two API versions.
    pub fn new(minor: u32, hpa_v2: bool, pdb_v1: bool) -> ServerCaps {
        ServerCaps {
            cel: minor >= 25,
            hpa_v2,
            pdb_v1,
            defaulted_keys: minor >= 21,
            daemonset_surge: minor >= 22,
        }
    }
}

/// One kind of change made for the server, with how many objects it touched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Adaptations(BTreeMap<&'static str, Vec<String>>);

impl Adaptations {
    fn add(&mut self, what: &'static str, object: String) {
        let list = self.0.entry(what).or_default();
        if !list.contains(&object) {
            list.push(object);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// One line per kind of change: what, and on which objects.
    pub fn lines(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|(what, objects)| {
                let shown: Vec<&str> = objects.iter().take(3).map(String::as_str).collect();
                let more = objects.len().saturating_sub(3);
                let tail = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                format!("{what}: {}{tail}", shown.join(", "))
            })
            .collect()
    }
}

/// `Kind name` or `Kind ns/name`.
pub fn describe(obj: &Json) -> String {
    let kind = obj["kind"].as_str().unwrap_or("?");
    let name = obj["metadata"]["name"].as_str().unwrap_or("?");
    match obj["metadata"]["namespace"].as_str() {
        Some(ns) if !ns.is_empty() => format!("{kind} {ns}/{name}"),
        _ => format!("{kind} {name}"),
    }
}

fn strip_key(v: &mut Json, key: &str) -> bool {
    match v {
        Json::Object(map) => {
            let mut found = map.remove(key).is_some();
            for x in map.values_mut() {
                found |= strip_key(x, key);
            }
            found
        }
        Json::Array(items) => items
            .iter_mut()
            .fold(false, |found, x| strip_key(x, key) | found),
        _ => false,
    }
}

fn default_port_protocols(v: &mut Json) -> bool {
    let mut changed = false;
    match v {
        Json::Object(map) => {
            if let Some(Json::Array(ports)) = map.get_mut("ports") {
                for p in ports.iter_mut().filter_map(Json::as_object_mut) {
                    if (p.contains_key("port") || p.contains_key("containerPort"))
                        && !p.contains_key("protocol")
                    {
                        p.insert("protocol".into(), "TCP".into());
                        changed = true;
                    }
                }
            }
            for x in map.values_mut() {
                changed |= default_port_protocols(x);
            }
        }
        Json::Array(items) => {
            for x in items {
                changed |= default_port_protocols(x);
            }
        }
        _ => {}
    }
    changed
}

/// Changes one object so that `caps` can hold it, recording each change in `log`.
pub fn adapt(obj: &mut Json, caps: &ServerCaps, log: &mut Adaptations) {
    let what = describe(obj);
    let kind = obj["kind"].as_str().unwrap_or("").to_string();
    let api_version = obj["apiVersion"].as_str().unwrap_or("").to_string();
    if kind == "CustomResourceDefinition" && !caps.cel && strip_key(obj, "x-kubernetes-validations")
    {
        log.add(
            "CEL validation rules removed from CRDs (the server does not support them)",
            what.clone(),
        );
    }
    if kind == "HorizontalPodAutoscaler" && api_version == "autoscaling/v2" && !caps.hpa_v2 {
        obj["apiVersion"] = "autoscaling/v2beta2".into();
        log.add(
            "applied as autoscaling/v2beta2 (the server does not serve autoscaling/v2)",
            what.clone(),
        );
    }
    if kind == "PodDisruptionBudget" && api_version == "policy/v1" && !caps.pdb_v1 {
        obj["apiVersion"] = "policy/v1beta1".into();
        if let Some(spec) = obj.get_mut("spec").and_then(Json::as_object_mut) {
            // Not in policy/v1beta1.
            spec.remove("unhealthyPodEvictionPolicy");
        }
        log.add(
            "applied as policy/v1beta1 (the server does not serve policy/v1)",
            what.clone(),
        );
    }
    if kind == "DaemonSet" && !caps.daemonset_surge {
        let removed = obj
            .pointer_mut("/spec/updateStrategy/rollingUpdate")
            .and_then(Json::as_object_mut)
            .and_then(|r| r.remove("maxSurge"))
            .is_some();
        if removed {
            log.add(
                "rollingUpdate.maxSurge removed from DaemonSets (the server predates it)",
                what.clone(),
            );
        }
    }
    if !caps.defaulted_keys && default_port_protocols(obj) {
        log.add(
            "protocol: TCP written out on ports (this server's server-side apply needs the key the API defaults)",
            what,
        );
    }
}

/// Identifies an object across renders and the cluster: group, kind, namespace, name. The
/// version is left out, so an adapted object still matches its rendered one.
pub fn identity(api_version: &str, kind: &str, namespace: Option<&str>, name: &str) -> String {
    let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    format!(
        "{group}/{kind}/{}/{name}",
        namespace.filter(|n| !n.is_empty()).unwrap_or("")
    )
}

/// Kinds Istio's charts render, where prune and uninstall look for owned objects (at the first
/// API version the server serves of each).
pub const OWNED_KINDS: &[(&str, &str)] = &[
    ("apps/v1", "Deployment"),
    ("apps/v1", "DaemonSet"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("policy/v1", "PodDisruptionBudget"),
    ("v1", "Service"),
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("v1", "ServiceAccount"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("rbac.authorization.k8s.io/v1", "Role"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("networking.k8s.io/v1", "NetworkPolicy"),
    ("networking.istio.io/v1alpha3", "EnvoyFilter"),
    (
        "admissionregistration.k8s.io/v1",
        "MutatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1",
        "ValidatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1",
        "ValidatingAdmissionPolicyBinding",
    ),
    (
        "admissionregistration.k8s.io/v1",
        "ValidatingAdmissionPolicy",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn labels_are_added_next_to_the_charts_own() {
        let mut o = json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "istio", "labels": {"app": "istiod"}}});
        label(&mut o, "canary", "Pilot");
        assert_eq!(o["metadata"]["labels"]["app"], "istiod");
        assert_eq!(o["metadata"]["labels"][OWNER_LABEL], "meshdeck");
        assert_eq!(o["metadata"]["labels"][REVISION_LABEL], "canary");
        assert_eq!(o["metadata"]["labels"][COMPONENT_LABEL], "Pilot");
        let mut bare = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}});
        label(&mut bare, "default", "Base");
        assert_eq!(
            owned_selector(Some("default")),
            "install.meshdeck.io/owned-by=meshdeck,install.meshdeck.io/revision=default"
        );
        assert_eq!(bare["metadata"]["labels"][REVISION_LABEL], "default");
    }

    #[test]
    fn an_old_server_gets_what_it_can_hold_and_each_change_is_named() {
        let caps = ServerCaps::new(20, false, false);
        let mut log = Adaptations::default();
        let mut crd = json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "gateways.networking.istio.io"},
            "spec": {"versions": [{"schema": {"openAPIV3Schema": {"properties": {"spec": {
                "x-kubernetes-validations": [{"rule": "self.a"}], "type": "object"}}}}}]}});
        adapt(&mut crd, &caps, &mut log);
        assert!(!crd.to_string().contains("x-kubernetes-validations"));
        let mut hpa = json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "istiod", "namespace": "istio-system"}});
        adapt(&mut hpa, &caps, &mut log);
        assert_eq!(hpa["apiVersion"], "autoscaling/v2beta2");
        let mut pdb = json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": "istiod", "namespace": "istio-system"},
            "spec": {"minAvailable": 1, "unhealthyPodEvictionPolicy": "AlwaysAllow"}});
        adapt(&mut pdb, &caps, &mut log);
        assert_eq!(pdb["apiVersion"], "policy/v1beta1");
        assert!(pdb["spec"].get("unhealthyPodEvictionPolicy").is_none());
        let mut svc = json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "istiod", "namespace": "istio-system"},
            "spec": {"ports": [{"port": 443, "name": "https"}, {"port": 53, "protocol": "UDP"}]}});
        adapt(&mut svc, &caps, &mut log);
        assert_eq!(svc["spec"]["ports"][0]["protocol"], "TCP");
        assert_eq!(svc["spec"]["ports"][1]["protocol"], "UDP");
        let lines = log.lines();
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("CEL validation rules removed")
                    && l.ends_with("CustomResourceDefinition gateways.networking.istio.io")),
            "{lines:?}"
        );

        let mut untouched = Adaptations::default();
        let mut hpa = json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "istiod"}});
        adapt(&mut hpa, &ServerCaps::CURRENT, &mut untouched);
        assert_eq!(hpa["apiVersion"], "autoscaling/v2");
        assert!(untouched.is_empty());
    }

    #[test]
    fn identity_ignores_the_version() {
        assert_eq!(
            identity(
                "autoscaling/v2",
                "HorizontalPodAutoscaler",
                Some("istio-system"),
                "istiod"
            ),
            identity(
                "autoscaling/v2beta2",
                "HorizontalPodAutoscaler",
                Some("istio-system"),
                "istiod"
            )
        );
        assert_eq!(identity("v1", "Namespace", None, "x"), "/Namespace//x");
    }
}
