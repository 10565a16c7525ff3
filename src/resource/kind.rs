//! The kinds meshdeck understands, with the API facts needed to recognise them in files and to
//! list them from a cluster.

use std::fmt;

macro_rules! kinds {
    ($( $variant:ident => ($group:expr, $kind:expr, $plural:expr, $namespaced:expr, $version:expr) ),* $(,)?) => {
        /// A kind of resource that at least one analyzer can read, or [`Kind::Other`]: any other
        /// kind, which a [`Resource`](super::Resource) carries whole with its own
        /// `apiVersion`/`kind` strings.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Kind {
            $($variant,)*
            /// Not a kind meshdeck reads. Never in [`Kind::ALL`], so nothing lists it from a
            /// cluster and no analyzer is handed it.
            Other,
        }

        impl Kind {
            /// The kinds meshdeck reads ([`Kind::Other`] is not one of them).
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            /// API facts of a kind we read. For [`Kind::Other`] the strings are empty: the
            /// resource's own `api_version`/`kind_name` say what it is.
            pub fn info(self) -> &'static KindInfo {
                match self {
                    $(Kind::$variant => &KindInfo {
                        group: $group,
                        kind: $kind,
                        plural: $plural,
                        namespaced: $namespaced,
                        preferred_version: $version,
                    },)*
                    Kind::Other => &KindInfo {
                        group: "",
                        kind: "",
                        plural: "",
                        // Unknown: the manifest's own metadata.namespace is kept as written.
                        namespaced: true,
                        preferred_version: "",
                    },
                }
            }
        }
    };
}

/// API facts about a kind.
#[derive(Debug)]
pub struct KindInfo {
    /// API group ("" for the core group).
    pub group: &'static str,
    /// The `kind` field as written in manifests (also the collection name shown in messages).
    pub kind: &'static str,
    /// Resource name used in API paths.
    pub plural: &'static str,
    pub namespaced: bool,
    /// The version to ask a cluster for when discovery does not say otherwise.
    pub preferred_version: &'static str,
}

const NET: &str = "networking.istio.io";
const SEC: &str = "security.istio.io";
const GW: &str = "gateway.networking.k8s.io";

kinds! {
    // Istio
    Gateway => (NET, "Gateway", "gateways", true, "v1"),
    VirtualService => (NET, "VirtualService", "virtualservices", true, "v1"),
    DestinationRule => (NET, "DestinationRule", "destinationrules", true, "v1"),
    ServiceEntry => (NET, "ServiceEntry", "serviceentries", true, "v1"),
    Sidecar => (NET, "Sidecar", "sidecars", true, "v1"),
    WorkloadEntry => (NET, "WorkloadEntry", "workloadentries", true, "v1"),
    WorkloadGroup => (NET, "WorkloadGroup", "workloadgroups", true, "v1"),
    EnvoyFilter => (NET, "EnvoyFilter", "envoyfilters", true, "v1alpha3"),
    ProxyConfig => (NET, "ProxyConfig", "proxyconfigs", true, "v1beta1"),
    PeerAuthentication => (SEC, "PeerAuthentication", "peerauthentications", true, "v1"),
    AuthorizationPolicy => (SEC, "AuthorizationPolicy", "authorizationpolicies", true, "v1"),
    RequestAuthentication => (SEC, "RequestAuthentication", "requestauthentications", true, "v1"),
    Telemetry => ("telemetry.istio.io", "Telemetry", "telemetries", true, "v1"),
    WasmPlugin => ("extensions.istio.io", "WasmPlugin", "wasmplugins", true, "v1alpha1"),
    // Kubernetes
    Namespace => ("", "Namespace", "namespaces", false, "v1"),
    Pod => ("", "Pod", "pods", true, "v1"),
    Service => ("", "Service", "services", true, "v1"),
    ConfigMap => ("", "ConfigMap", "configmaps", true, "v1"),
    Secret => ("", "Secret", "secrets", true, "v1"),
    Node => ("", "Node", "nodes", false, "v1"),
    Deployment => ("apps", "Deployment", "deployments", true, "v1"),
    StatefulSet => ("apps", "StatefulSet", "statefulsets", true, "v1"),
    DaemonSet => ("apps", "DaemonSet", "daemonsets", true, "v1"),
    ReplicaSet => ("apps", "ReplicaSet", "replicasets", true, "v1"),
    Job => ("batch", "Job", "jobs", true, "v1"),
    CronJob => ("batch", "CronJob", "cronjobs", true, "v1"),
    MutatingWebhookConfiguration => ("admissionregistration.k8s.io", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", false, "v1"),
    ValidatingWebhookConfiguration => ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", false, "v1"),
    CustomResourceDefinition => ("apiextensions.k8s.io", "CustomResourceDefinition", "customresourcedefinitions", false, "v1"),
    // Gateway API
    K8sGateway => (GW, "Gateway", "gateways", true, "v1"),
    HTTPRoute => (GW, "HTTPRoute", "httproutes", true, "v1"),
    GRPCRoute => (GW, "GRPCRoute", "grpcroutes", true, "v1"),
    // Synthesised from the mesh configuration, never read from a manifest.
    MeshConfig => ("meshdeck.internal", "MeshConfig", "meshconfigs", true, "v1"),
    MeshNetworks => ("meshdeck.internal", "MeshNetworks", "meshnetworks", true, "v1"),
}

impl Kind {
    /// Recognises a manifest's `apiVersion` and `kind`. Istio kinds are accepted under every
    /// version of their group; Kubernetes kinds under every version of theirs.
    pub fn from_api(api_version: &str, kind: &str) -> Option<Kind> {
        let group = match api_version.rsplit_once('/') {
            Some((g, _)) => g,
            None => "",
        };
        Kind::ALL.iter().copied().find(|k| {
            let info = k.info();
            info.kind == kind && info.group == group && !k.is_synthetic()
        })
    }

    /// Like [`Kind::from_api`], with [`Kind::Other`] for a kind we do not read.
    pub fn of(api_version: &str, kind: &str) -> Kind {
        Kind::from_api(api_version, kind).unwrap_or(Kind::Other)
    }

    /// Mesh config and networks exist only as resources meshdeck builds itself.
    pub fn is_synthetic(self) -> bool {
        matches!(self, Kind::MeshConfig | Kind::MeshNetworks)
    }

    pub fn is_istio(self) -> bool {
        self.info().group.ends_with("istio.io")
    }

    /// Kinds whose pod template (or pod spec) defines workload instances.
    pub fn is_workload(self) -> bool {
        matches!(
            self,
            Kind::Pod
                | Kind::Deployment
                | Kind::StatefulSet
                | Kind::DaemonSet
                | Kind::ReplicaSet
                | Kind::Job
                | Kind::CronJob
        )
    }

    /// `group/kind`, unambiguous where the bare kind is not (two kinds are called Gateway).
    pub fn qualified(self) -> String {
        let info = self.info();
        if info.group.is_empty() {
            info.kind.to_string()
        } else {
            format!("{}.{}", info.kind, info.group)
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.info().kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn istio_kinds_under_every_version() {
        for v in ["v1alpha3", "v1beta1", "v1"] {
            assert_eq!(
                Kind::from_api(&format!("networking.istio.io/{v}"), "Gateway"),
                Some(Kind::Gateway)
            );
        }
        assert_eq!(
            Kind::from_api("gateway.networking.k8s.io/v1", "Gateway"),
            Some(Kind::K8sGateway)
        );
        assert_eq!(Kind::from_api("v1", "Service"), Some(Kind::Service));
        assert_eq!(
            Kind::from_api("apps/v1", "Deployment"),
            Some(Kind::Deployment)
        );
        assert_eq!(Kind::from_api("example.com/v1", "Widget"), None);
        assert_eq!(Kind::from_api("v1", "MeshConfig"), None);
        assert_eq!(Kind::of("example.com/v1", "Widget"), Kind::Other);
        assert!(!Kind::ALL.contains(&Kind::Other));
    }
}
