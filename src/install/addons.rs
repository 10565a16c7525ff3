//! The release's telemetry addons (`samples/addons/<name>.yaml`: Kiali, Grafana, Prometheus,
//! Jaeger, Loki) made ready to apply, pure: parsed with positions for errors, moved into the
//! Istio namespace, adapted to the server, and labelled so that `uninstall addons` finds exactly
//! what meshdeck applied and Istio's own prune and uninstall never touch them.

use std::collections::BTreeSet;

use serde_json::Value as Json;

use super::apply::{self as plan, Adaptations, COMPONENT_LABEL, OWNER, OWNER_LABEL, ServerCaps};
use crate::resource::{json, node};

/// Names the addon an object belongs to (`kiali`). Addon objects carry no revision label, so
/// the selectors of Istio's prune and uninstall (which require one) never match them.
pub const ADDON_LABEL: &str = "install.meshdeck.io/addon";

/// What `meshdeck install addons` installs when no names are given.
pub const DEFAULT_ADDONS: &[&str] = &["kiali", "grafana", "prometheus", "jaeger"];

/// The namespace the release's addon manifests are written for.
pub const RELEASE_NAMESPACE: &str = "istio-system";

/// Kinds `uninstall addons` looks for (at the first API version the server serves of each).
/// A unit test checks that it covers every kind of the release's addons.
pub const ADDON_KINDS: &[(&str, &str)] = &[
    ("apps/v1", "Deployment"),
    ("apps/v1", "StatefulSet"),
    ("apps/v1", "DaemonSet"),
    ("v1", "Service"),
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("v1", "ServiceAccount"),
    ("v1", "PersistentVolumeClaim"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("rbac.authorization.k8s.io/v1", "Role"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("policy/v1", "PodDisruptionBudget"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("networking.k8s.io/v1", "NetworkPolicy"),
];

/// One addon manifest of the release, as read.
#[derive(Clone, Debug)]
pub struct AddonManifest {
    /// `kiali` (the file's stem).
    pub name: String,
    /// Where it was read from, for errors.
    pub file: String,
    pub text: String,
}

/// A manifest that does not parse: where, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{col}: {message}")]
pub struct ManifestError {
    pub file: String,
    pub line: u32,
    pub col: u32,
    pub message: String,
}

/// One addon, ready to apply.
#[derive(Clone, Debug)]
pub struct PreparedAddon {
    /// `kiali`.
    pub name: String,
    /// `Kiali`: the component label's value and the progress line's name.
    pub title: String,
    pub objects: Vec<Json>,
}

/// The addons, ready to apply, and what was changed for the server.
#[derive(Clone, Debug, Default)]
pub struct PreparedAddons {
    pub addons: Vec<PreparedAddon>,
    pub adaptations: Adaptations,
    /// Changes the shared adaptations do not cover (one line each).
    pub more_adaptations: Vec<String>,
}

impl PreparedAddons {
    pub fn object_count(&self) -> usize {
        self.addons.iter().map(|a| a.objects.len()).sum()
    }

    /// Every line saying what was adapted.
    pub fn adaptation_lines(&self) -> Vec<String> {
        let mut lines = self.adaptations.lines();
        lines.extend(self.more_adaptations.iter().cloned());
        lines
    }
}

/// `Kiali` for `kiali`: the component label value of an addon.
pub fn title(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The `meshdeck dashboard` command that opens an addon's UI, if meshdeck has a dashboard for it.
pub fn dashboard_command(name: &str, istio_namespace: &str) -> Option<String> {
    let d = crate::dashboard::find(name)?;
    if d.takes_pod {
        return None;
    }
    Some(if istio_namespace == RELEASE_NAMESPACE {
        format!("meshdeck dashboard {}", d.name)
    } else {
        format!("meshdeck dashboard {} -i {istio_namespace}", d.name)
    })
}

/// Checks `wanted` against the addons the release has; the names not there come back.
pub fn unknown<'a>(wanted: &'a [String], known: &[String]) -> Vec<&'a str> {
    wanted
        .iter()
        .map(String::as_str)
        .filter(|w| !known.iter().any(|k| k == w))
        .collect()
}

/// The objects of one manifest (documents that are not maps, and empty ones, are skipped).
pub fn parse(manifest: &AddonManifest) -> Result<Vec<Json>, ManifestError> {
    let docs = node::parse_documents(&manifest.text, 0).map_err(|e| ManifestError {
        file: manifest.file.clone(),
        line: e.pos.line,
        col: e.pos.col,
        message: e.message,
    })?;
    let mut out = Vec::new();
    for doc in docs.iter().filter(|d| d.is_map()) {
        let obj = json::to_json(doc);
        let missing = ["apiVersion", "kind"]
            .into_iter()
            .find(|k| obj[*k].as_str().is_none_or(str::is_empty))
            .or_else(|| {
                obj["metadata"]["name"]
                    .as_str()
                    .is_none_or(str::is_empty)
                    .then_some("metadata.name")
            });
        if let Some(field) = missing {
            return Err(ManifestError {
                file: manifest.file.clone(),
                line: doc.pos.line,
                col: doc.pos.col,
                message: format!("a document without {field}"),
            });
        }
        out.push(obj);
    }
    Ok(out)
}

/// Replaces `from` with `to` in every string of `v` (keys stay). The release's addons name the
/// Istio namespace in their metadata, their RBAC subjects and their configuration (Kiali's
/// `istio_namespace`, Loki's service addresses, Grafana's queries), always as `istio-system`.
fn rename_namespace(v: &mut Json, from: &str, to: &str) -> bool {
    match v {
        Json::String(s) if s.contains(from) => {
            *s = s.replace(from, to);
            true
        }
        Json::Array(items) => items
            .iter_mut()
            .fold(false, |changed, x| rename_namespace(x, from, to) | changed),
        Json::Object(map) => map
            .values_mut()
            .fold(false, |changed, x| rename_namespace(x, from, to) | changed),
        _ => false,
    }
}

/// Adds the addon's ownership labels (no revision: see [`ADDON_LABEL`]).
pub fn label(obj: &mut Json, name: &str, title: &str) {
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
    labels.insert(COMPONENT_LABEL.into(), title.into());
    labels.insert(ADDON_LABEL.into(), name.into());
}

/// The label selector of the addons meshdeck installed (`names` empty: all of them).
pub fn owned_selector(names: &[String]) -> String {
    if names.is_empty() {
        format!("{OWNER_LABEL}={OWNER},{ADDON_LABEL}")
    } else {
        format!(
            "{OWNER_LABEL}={OWNER},{ADDON_LABEL} in ({})",
            names.join(",")
        )
    }
}

/// Makes the addons ready to apply into `namespace` on a server with `caps` (its minor version
/// `minor`): each object moved out of `istio-system` when the Istio namespace is another,
/// adapted as `install` adapts Istio's objects, and labelled.
pub fn prepare(
    manifests: &[(AddonManifest, Vec<Json>)],
    namespace: &str,
    caps: &ServerCaps,
    minor: u32,
) -> PreparedAddons {
    let mut out = PreparedAddons::default();
    let mut moved = Vec::new();
    let mut retention = Vec::new();
    for (manifest, objects) in manifests {
        let title = title(&manifest.name);
        let mut prepared = Vec::new();
        for obj in objects {
            let mut obj = obj.clone();
            if namespace != RELEASE_NAMESPACE
                && rename_namespace(&mut obj, RELEASE_NAMESPACE, namespace)
            {
                moved.push(plan::describe(&obj));
            }
            plan::adapt(&mut obj, caps, &mut out.adaptations);
            // StatefulSets' PVC retention policy is in the schema from Kubernetes 1.23; older
            // servers' server-side apply rejects the field.
            if minor < 23
                && obj["kind"] == "StatefulSet"
                && obj
                    .get_mut("spec")
                    .and_then(Json::as_object_mut)
                    .and_then(|s| s.remove("persistentVolumeClaimRetentionPolicy"))
                    .is_some()
            {
                retention.push(plan::describe(&obj));
            }
            label(&mut obj, &manifest.name, &title);
            prepared.push(obj);
        }
        out.addons.push(PreparedAddon {
            name: manifest.name.clone(),
            title,
            objects: prepared,
        });
    }
    if !moved.is_empty() {
        out.more_adaptations.push(format!(
            "{RELEASE_NAMESPACE} replaced by {namespace} (the release's addons are written for {RELEASE_NAMESPACE}) in {} object(s)",
            moved.len()
        ));
    }
    if !retention.is_empty() {
        out.more_adaptations.push(format!(
            "persistentVolumeClaimRetentionPolicy removed from StatefulSets (the server predates Kubernetes 1.23): {}",
            retention.join(", ")
        ));
    }
    out
}

/// The kinds of a set of objects, as `(apiVersion, kind)`.
pub fn kinds(objects: &[Json]) -> BTreeSet<(String, String)> {
    objects
        .iter()
        .map(|o| {
            (
                o["apiVersion"].as_str().unwrap_or("").to_string(),
                o["kind"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn release_addons() -> Vec<(AddonManifest, Vec<Json>)> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/istio-release/1.30.3/samples/addons");
        let mut out = Vec::new();
        for name in ["kiali", "grafana", "prometheus", "jaeger", "loki"] {
            let file = dir.join(format!("{name}.yaml"));
            let Ok(text) = std::fs::read_to_string(&file) else {
                // The shared release data is not beside this checkout.
                return Vec::new();
            };
            let m = AddonManifest {
                name: name.into(),
                file: file.display().to_string(),
                text,
            };
            let objects = parse(&m).unwrap();
            out.push((m, objects));
        }
        out
    }

    #[test]
    fn every_kind_of_the_release_addons_is_one_uninstall_looks_for() {
        for (m, objects) in release_addons() {
            assert!(!objects.is_empty(), "{}", m.name);
            for (_, kind) in kinds(&objects) {
                assert!(
                    ADDON_KINDS.iter().any(|(_, k)| *k == kind),
                    "{kind} of {} is not in ADDON_KINDS",
                    m.name
                );
            }
        }
    }

    #[test]
    fn addons_move_to_the_istio_namespace_are_labelled_and_adapted() {
        let addons = release_addons();
        if addons.is_empty() {
            return;
        }
        let old = ServerCaps::new(20, false, false);
        let p = prepare(&addons, "mesh", &old, 20);
        let text = serde_json::to_string(&p.addons.iter().map(|a| &a.objects).collect::<Vec<_>>())
            .unwrap();
        assert!(!text.contains("istio-system"), "every istio-system renamed");
        let kiali = p.addons.iter().find(|a| a.name == "kiali").unwrap();
        assert_eq!(kiali.title, "Kiali");
        let crb = kiali
            .objects
            .iter()
            .find(|o| o["kind"] == "ClusterRoleBinding")
            .unwrap();
        assert_eq!(crb["subjects"][0]["namespace"], "mesh");
        for o in &kiali.objects {
            let l = &o["metadata"]["labels"];
            assert_eq!(l[OWNER_LABEL], "meshdeck");
            assert_eq!(l[COMPONENT_LABEL], "Kiali");
            assert_eq!(l[ADDON_LABEL], "kiali");
            assert!(l.get(plan::REVISION_LABEL).is_none());
        }
        let loki = p.addons.iter().find(|a| a.name == "loki").unwrap();
        let sts = loki
            .objects
            .iter()
            .find(|o| o["kind"] == "StatefulSet")
            .unwrap();
        assert!(
            sts["spec"]
                .get("persistentVolumeClaimRetentionPolicy")
                .is_none()
        );
        let lines = p.adaptation_lines();
        assert!(
            lines.iter().any(|l| l.contains("protocol: TCP")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("persistentVolumeClaimRetentionPolicy removed")),
            "{lines:?}"
        );

        // A current server in istio-system: nothing to adapt but the labels.
        let p = prepare(&addons, "istio-system", &ServerCaps::CURRENT, 33);
        assert!(
            p.adaptation_lines().is_empty(),
            "{:?}",
            p.adaptation_lines()
        );
    }

    #[test]
    fn addon_objects_are_outside_istios_prune_and_uninstall_selectors() {
        // Istio's selectors require a revision label, which addon objects never carry.
        for sel in [
            plan::owned_selector(None),
            plan::owned_selector(Some("default")),
        ] {
            assert!(
                sel.contains(plan::REVISION_LABEL),
                "{sel} must require the revision label"
            );
        }
        assert_eq!(
            owned_selector(&["kiali".into(), "loki".into()]),
            "install.meshdeck.io/owned-by=meshdeck,install.meshdeck.io/addon in (kiali,loki)"
        );
        assert_eq!(
            owned_selector(&[]),
            "install.meshdeck.io/owned-by=meshdeck,install.meshdeck.io/addon"
        );
    }

    #[test]
    fn a_broken_manifest_names_file_line_and_column() {
        let m = AddonManifest {
            name: "kiali".into(),
            file: "samples/addons/kiali.yaml".into(),
            text: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [x\n".into(),
        };
        let e = parse(&m).unwrap_err();
        assert_eq!(e.file, "samples/addons/kiali.yaml");
        assert!(e.line >= 4, "{e}");
        let m = AddonManifest {
            text: "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n".into(),
            ..m
        };
        let e = parse(&m).unwrap_err();
        assert_eq!(
            e.to_string(),
            "samples/addons/kiali.yaml:1:1: a document without metadata.name"
        );
    }

    #[test]
    fn dashboards_are_named_for_addons_that_have_one() {
        assert_eq!(
            dashboard_command("kiali", "istio-system").as_deref(),
            Some("meshdeck dashboard kiali")
        );
        assert_eq!(
            dashboard_command("grafana", "mesh").as_deref(),
            Some("meshdeck dashboard grafana -i mesh")
        );
        assert_eq!(dashboard_command("loki", "istio-system"), None);
        assert_eq!(title("prometheus"), "Prometheus");
        let known: Vec<String> = vec!["kiali".into(), "loki".into()];
        assert_eq!(
            unknown(&["kiali".into(), "kibana".into()], &known),
            vec!["kibana"]
        );
    }
}
