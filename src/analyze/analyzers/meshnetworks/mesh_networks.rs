//! `meshnetworks.MeshNetworksAnalyzer`: every `fromRegistry` of a mesh network's endpoints must
//! name a service registry Istio knows (IST0126): `Kubernetes`, `External`, `Mock`, or a cluster
//! added by a remote secret (a key of a Secret labelled `istio/multiCluster=true`).
//!
//! Messages are reported on the mesh networks resource (`istio-system/meshnetworks`).

use std::collections::HashSet;

use crate::analyze::catalogue::IST0126;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::Kind;

pub struct MeshNetworksAnalyzer;

static METADATA: Metadata = Metadata {
    name: "meshnetworks.MeshNetworksAnalyzer",
    description: "Check the validity of MeshNetworks in the cluster",
    inputs: &[Kind::MeshNetworks, Kind::Secret],
    codes: &[&IST0126],
};

/// Registries every Istio control plane has (names are case-sensitive).
const BUILT_IN_REGISTRIES: &[&str] = &["Mock", "Kubernetes", "External"];
const MULTI_CLUSTER_LABEL: &str = "istio/multiCluster";

impl Analyzer for MeshNetworksAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let mut registries: HashSet<&str> = BUILT_IN_REGISTRIES.iter().copied().collect();
        for secret in snap.of_kind(Kind::Secret) {
            if secret
                .labels
                .get(MULTI_CLUSTER_LABEL)
                .is_some_and(|v| v == "true")
            {
                // The API server merges `stringData` into `data`; a file may still have either.
                for key in ["data", "stringData"] {
                    registries.extend(
                        secret
                            .doc
                            .path(&[key])
                            .as_map()
                            .iter()
                            .map(|e| e.key.as_str()),
                    );
                }
            }
        }
        for resource in snap.of_kind(Kind::MeshNetworks) {
            for network in resource.spec().path(&["networks"]).as_map() {
                for (j, endpoint) in network
                    .value
                    .path(&["endpoints"])
                    .as_seq()
                    .iter()
                    .enumerate()
                {
                    let Some(registry) = endpoint.get("fromRegistry").and_then(|r| r.scalar_text())
                    else {
                        continue;
                    };
                    if registries.contains(registry) {
                        continue;
                    }
                    ctx.report(
                        &IST0126,
                        resource,
                        Some(format!(
                            "spec.networks.{}.endpoints[{j}].fromRegistry",
                            network.key
                        )),
                        vec![registry.into(), network.key.as_str().into()],
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MeshNetworksAnalyzer;
    use crate::analyze::{self, MeshConfig};
    use crate::resource::{LoadOptions, Snapshot, SourceText, parse_source};

    #[test]
    fn registries_come_from_remote_secrets() {
        let text = "\
apiVersion: v1
kind: Secret
metadata: {name: remote, namespace: istio-system, labels: {istio/multiCluster: 'true'}}
data: {cluster-2: Zm9v}
---
apiVersion: v1
kind: Secret
metadata: {name: unlabelled, namespace: istio-system}
data: {cluster-3: Zm9v}
";
        let (mut resources, _) =
            parse_source(&SourceText::new("t.yaml", text), &LoadOptions::default());
        let mut mesh = MeshConfig::default();
        mesh.apply_networks(
            "networks:\n  n1:\n    endpoints:\n    - fromRegistry: Kubernetes\n    - fromRegistry: cluster-2\n    \
             - fromCidr: 10.0.0.0/8\n  n2:\n    endpoints:\n    - fromRegistry: cluster-3\n",
            "networks.yaml",
        )
        .unwrap();
        resources.extend(mesh.as_resources("istio-system"));
        let snapshot = Snapshot::new(resources, false);
        let outcome = analyze::run(
            &snapshot,
            &mesh,
            "istio-system",
            &[&MeshNetworksAnalyzer],
            false,
        );
        let lines: Vec<String> = outcome.findings.iter().map(|f| f.log_line()).collect();
        assert_eq!(
            lines,
            vec![
                "Error [IST0126] (MeshNetworks istio-system/meshnetworks) Unknown service registry cluster-3 in \
                 network n2"
            ]
        );
    }
}
