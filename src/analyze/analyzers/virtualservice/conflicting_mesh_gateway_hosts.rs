//! `virtualservice.ConflictingMeshGatewayHostsAnalyzer`: two VirtualServices bound to the mesh
//! gateway that claim the same host for the same audience make routing undefined (IST0109).
//!
//! A VirtualService is bound to the mesh when it lists no gateways or lists `mesh`. Its hosts are
//! keyed by scope (`*` when exported everywhere, else each `exportTo` namespace, `.` meaning its
//! own) and FQDN (short names expanded in its namespace). A key held by more than one
//! VirtualService conflicts; a namespace-scoped key also conflicts with VirtualServices exported
//! everywhere whose host overlaps it, wildcards included. Each VirtualService is reported once.

use std::collections::{HashMap, HashSet};

use crate::analyze::analyzers::hosts::{
    EXPORT_TO_ALL, EXPORT_TO_LOCAL, HostIndex, MESH_GATEWAY, exports_to_all, to_fqdn,
};
use crate::analyze::catalogue::IST0109;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::Kind;
use crate::resource::views;

pub struct ConflictingMeshGatewayHostsAnalyzer;

static METADATA: Metadata = Metadata {
    name: "virtualservice.ConflictingMeshGatewayHostsAnalyzer",
    description: "Checks if multiple virtual services associated with the mesh gateway have conflicting hosts",
    inputs: &[Kind::VirtualService],
    codes: &[&IST0109],
};

/// The VirtualServices claiming one host for one scope, in input order (a VirtualService that
/// lists the host twice is there twice, and so conflicts with itself, as in istioctl).
struct ScopedHost {
    scope: String,
    fqdn: String,
    virtual_services: Vec<usize>,
}

impl Analyzer for ConflictingMeshGatewayHostsAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let mut keys: Vec<ScopedHost> = Vec::new();
        let mut key_index: HashMap<(String, String), usize> = HashMap::new();
        for vs in snap
            .of_kind(Kind::VirtualService)
            .filter_map(views::VirtualService::of)
        {
            let on_mesh = !vs.has_gateways() || vs.gateways().any(|(_, g)| g == MESH_GATEWAY);
            if !on_mesh {
                continue;
            }
            let ns = vs.namespace.as_str();
            let export_to = vs.export_to();
            let mut scopes: Vec<&str> = Vec::new();
            if exports_to_all(&export_to) {
                scopes.push(EXPORT_TO_ALL);
            } else {
                for e in &export_to {
                    let scope = if e == EXPORT_TO_LOCAL { ns } else { e.as_str() };
                    if !scopes.contains(&scope) {
                        scopes.push(scope);
                    }
                }
            }
            for scope in scopes {
                for host in vs.hosts() {
                    let fqdn = to_fqdn(ns, host).into_owned();
                    let idx = *key_index
                        .entry((scope.to_string(), fqdn.clone()))
                        .or_insert_with(|| {
                            keys.push(ScopedHost {
                                scope: scope.to_string(),
                                fqdn,
                                virtual_services: Vec::new(),
                            });
                            keys.len() - 1
                        });
                    keys[idx].virtual_services.push(vs.id);
                }
            }
        }

        let exported_everywhere = HostIndex::new(
            keys.iter()
                .enumerate()
                .filter(|(_, k)| k.scope == EXPORT_TO_ALL)
                .map(|(i, k)| (k.fqdn.as_str(), i)),
        );
        let mut reported: HashSet<usize> = HashSet::new();
        for key in &keys {
            let mut claimants = key.virtual_services.clone();
            if key.scope != EXPORT_TO_ALL {
                for &other in exported_everywhere.matching(&key.fqdn) {
                    claimants.extend_from_slice(&keys[other].virtual_services);
                }
            }
            if claimants.len() < 2 {
                continue;
            }
            let mut names: Vec<String> = claimants
                .iter()
                .map(|&id| snap.resource(id).full_name())
                .collect();
            names.sort();
            let names = names.join(",");
            let scoped_host = format!("{}/{}", key.scope, key.fqdn);
            for &id in &claimants {
                if reported.insert(id) {
                    ctx.report(
                        &IST0109,
                        snap.resource(id),
                        Some("metadata.name".into()),
                        vec![names.clone().into(), scoped_host.clone().into()],
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ConflictingMeshGatewayHostsAnalyzer;
    use crate::analyze::testing::findings;

    const INPUT: &str = "\
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: a, namespace: shop}
spec: {hosts: [web]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: b, namespace: front}
spec: {hosts: [web.shop.svc.cluster.local], gateways: [mesh, ingress]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: c, namespace: front}
spec: {hosts: [web.shop.svc.cluster.local], gateways: [ingress]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: d, namespace: team}
spec: {hosts: ['*.example.com'], exportTo: ['.']}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: e, namespace: other}
spec: {hosts: [api.example.com]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: f, namespace: team2}
spec: {hosts: ['*.example.com'], exportTo: ['.']}
";

    #[test]
    fn conflicts_by_scope_and_wildcard() {
        assert_eq!(
            findings(&ConflictingMeshGatewayHostsAnalyzer, INPUT),
            vec![
                "Error [IST0109] (VirtualService shop/a t.yaml:3:12) The VirtualServices front/b,shop/a associated \
                 with mesh gateway define the same host */web.shop.svc.cluster.local which can lead to undefined \
                 behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.",
                "Error [IST0109] (VirtualService front/b t.yaml:8:12) The VirtualServices front/b,shop/a associated \
                 with mesh gateway define the same host */web.shop.svc.cluster.local which can lead to undefined \
                 behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.",
                "Error [IST0109] (VirtualService team/d t.yaml:18:12) The VirtualServices other/e,team/d associated \
                 with mesh gateway define the same host team/*.example.com which can lead to undefined behavior. \
                 This can be fixed by merging the conflicting VirtualServices into a single resource.",
                "Error [IST0109] (VirtualService other/e t.yaml:23:12) The VirtualServices other/e,team/d associated \
                 with mesh gateway define the same host team/*.example.com which can lead to undefined behavior. \
                 This can be fixed by merging the conflicting VirtualServices into a single resource.",
                "Error [IST0109] (VirtualService team2/f t.yaml:28:12) The VirtualServices other/e,team2/f \
                 associated with mesh gateway define the same host team2/*.example.com which can lead to undefined \
                 behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.",
            ]
        );
    }
}
