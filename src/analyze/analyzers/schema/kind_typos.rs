//! MDK0005: an object whose `kind` or API group is close to one meshdeck reads (`kind: Gatway`,
//! `networking.istoi.io/v1`) is most likely a typo that `kubectl apply` would reject (or, for a
//! group with a CRD of that name, apply as something else). Such objects are not read by any
//! analyzer; instead of being only counted as unread, each gets a warning naming the nearest
//! known kind and group.

use std::sync::Arc;

use super::rules::closest;
use crate::analyze::catalogue::{self, MDK0005};
use crate::analyze::{Finding, Level};
use crate::resource::{Kind, Origin, Resource};

/// The known kinds and groups: every kind meshdeck reads (the synthetic ones aside).
fn known() -> impl Iterator<Item = (&'static str, &'static str)> {
    Kind::ALL
        .iter()
        .filter(|k| !k.is_synthetic())
        .map(|k| (k.info().group, k.info().kind))
}

/// The nearest known `group/kind` for an object of a kind no analyzer reads, when its group or
/// kind is a likely typo of a known one.
pub fn nearest(api_version: &str, kind: &str) -> Option<(String, &'static str)> {
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let mut groups: Vec<&'static str> = known().map(|(g, _)| g).collect();
    groups.sort_unstable();
    groups.dedup();
    let group_known = groups.contains(&group);
    let near_group = if group_known {
        group
    } else {
        closest(
            group,
            &groups
                .iter()
                .copied()
                .filter(|g| !g.is_empty())
                .collect::<Vec<_>>(),
        )?
    };
    let kinds: Vec<&'static str> = known()
        .filter(|(g, _)| *g == near_group)
        .map(|(_, k)| k)
        .collect();
    let near_kind = match kinds.iter().find(|k| **k == kind) {
        // A kind of the group, in a misspelt group.
        Some(k) if !group_known => *k,
        Some(_) => return None,
        None => closest(kind, &kinds)?,
    };
    let api = if near_group.is_empty() {
        version.to_string()
    } else {
        format!("{near_group}/{version}")
    };
    Some((api, near_kind))
}

/// MDK0005 for each object in `others` (the objects of kinds no analyzer reads) whose kind or
/// group is close to a known one, at its `kind:` (or `apiVersion:`, for a group typo).
pub fn misspelt_kinds(others: &[Resource]) -> Vec<Finding> {
    others
        .iter()
        .filter_map(|r| {
            let (api, kind) = nearest(&r.api_version, &r.kind_name)?;
            // The kind is right: the group is the typo.
            let key = if kind == r.kind_name {
                "apiVersion"
            } else {
                "kind"
            };
            let (file, source, line, column) = match &r.origin {
                Origin::File { source, line } => {
                    let pos = r.doc.entry(key).map(|e| e.key_pos);
                    (
                        Some(source.name.clone()),
                        Some(Arc::clone(source)),
                        Some(pos.map_or(*line, |p| p.line)),
                        Some(pos.map_or(1, |p| p.col)),
                    )
                }
                _ => (None, None, None, None),
            };
            let args = vec![
                r.kind_name.clone().into(),
                r.api_version.clone().into(),
                kind.into(),
                api.clone().into(),
            ];
            Some(Finding {
                message_type: &MDK0005,
                level: Level::Warning,
                message: catalogue::render(MDK0005.template, &args),
                origin: Some(r.friendly_name()),
                kind: r.kind_name.clone(),
                name: r.name.clone(),
                namespace: r.namespace.clone(),
                field: Some(key.into()),
                file,
                line,
                column,
                analyzer: "meshdeck.KindTypo",
                hint: Some(format!("apiVersion: {api}\nkind: {kind}")),
                source,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_kinds_and_groups() {
        assert_eq!(
            nearest("networking.istio.io/v1", "Gatway"),
            Some(("networking.istio.io/v1".into(), "Gateway"))
        );
        assert_eq!(
            nearest("networking.istoi.io/v1beta1", "VirtualService"),
            Some(("networking.istio.io/v1beta1".into(), "VirtualService"))
        );
        assert_eq!(
            nearest("apps/v1", "Deploymnet"),
            Some(("apps/v1".into(), "Deployment"))
        );
        // Kinds of other groups and far-off names are not typos.
        for (api, kind) in [
            ("v1", "ServiceAccount"),
            ("v1", "ConfigMapList"),
            ("rbac.authorization.k8s.io/v1", "ClusterRole"),
            ("networking.k8s.io/v1", "Ingress"),
            ("cert-manager.io/v1", "Certificate"),
            ("install.istio.io/v1alpha1", "IstioOperator"),
            ("gateway.networking.k8s.io/v1", "GatewayClass"),
            ("policy/v1", "PodDisruptionBudget"),
        ] {
            assert_eq!(nearest(api, kind), None, "{api} {kind}");
        }
    }
}
