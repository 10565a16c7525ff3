//! `annotations.AlphaAnalyzer`: Istio annotations whose feature is still in alpha (IST0136), on
//! Namespaces, Services, Pods and Deployments (their own annotations, not a pod template's).
//!
//! As upstream, this analyzer is test-only: it is not in the default set and `--analyzer` does
//! not offer it (see [`crate::analyze::analyzers::find`]). Annotations Istio writes itself are
//! skipped, and on a Pod without an `istio-init` container (istio-cni sets them) so are the four
//! traffic annotations the CNI plugin adds by default.

use crate::analyze::catalogue::IST0136;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::Kind;

pub struct AlphaAnalyzer;

static METADATA: Metadata = Metadata {
    name: "annotations.AlphaAnalyzer",
    description: "Checks for alpha Istio annotations in Kubernetes resources",
    inputs: &[Kind::Namespace, Kind::Service, Kind::Pod, Kind::Deployment],
    codes: &[&IST0136],
};

/// The annotations `istio.io/api` 1.30.3 marks as alpha (`FeatureStatus: Alpha` in its
/// generated registry; an entry without a status there defaults to alpha).
const ALPHA: &[&str] = &[
    "alpha.istio.io/canonical-serviceaccounts",
    "alpha.istio.io/kubernetes-serviceaccounts",
    "ambient.istio.io/bypass-inbound-capture",
    "ambient.istio.io/dns-capture",
    "ambient.istio.io/waypoint-inbound-binding",
    "galley.istio.io/analyze-suppress",
    "gateway.istio.io/controller-version",
    "gateway.istio.io/name-override",
    "gateway.istio.io/service-account",
    "inject.istio.io/templates",
    "istio.io/autoRegistrationGroup",
    "istio.io/connectedAt",
    "istio.io/disconnectedAt",
    "istio.io/dry-run",
    "istio.io/reroute-virtual-interfaces",
    "istio.io/rev",
    "istio.io/workloadController",
    "networking.istio.io/exportTo",
    "networking.istio.io/service-type",
    "networking.istio.io/traffic-distribution",
    "prometheus.istio.io/merge-metrics",
    "proxy.istio.io/overrides",
    "readiness.status.sidecar.istio.io/applicationPorts",
    "readiness.status.sidecar.istio.io/failureThreshold",
    "readiness.status.sidecar.istio.io/initialDelaySeconds",
    "readiness.status.sidecar.istio.io/periodSeconds",
    "sidecar.istio.io/agentLogLevel",
    "sidecar.istio.io/bootstrapOverride",
    "sidecar.istio.io/componentLogLevel",
    "sidecar.istio.io/discoveryAddress",
    "sidecar.istio.io/extraStatTags",
    "sidecar.istio.io/interceptionMode",
    "sidecar.istio.io/logLevel",
    "sidecar.istio.io/nativeSidecar",
    "sidecar.istio.io/proxyCPU",
    "sidecar.istio.io/proxyCPULimit",
    "sidecar.istio.io/proxyImage",
    "sidecar.istio.io/proxyImageType",
    "sidecar.istio.io/proxyMemory",
    "sidecar.istio.io/proxyMemoryLimit",
    "sidecar.istio.io/rewriteAppHTTPProbers",
    "sidecar.istio.io/statsCompression",
    "sidecar.istio.io/statsEvictionInterval",
    "sidecar.istio.io/statsFlushInterval",
    "sidecar.istio.io/statsHistogramBins",
    "sidecar.istio.io/statsHistogramBuckets",
    "sidecar.istio.io/statsInclusionPrefixes",
    "sidecar.istio.io/statsInclusionRegexps",
    "sidecar.istio.io/statsInclusionSuffixes",
    "sidecar.istio.io/status",
    "sidecar.istio.io/userVolume",
    "sidecar.istio.io/userVolumeMount",
    "status.sidecar.istio.io/port",
    "topology.istio.io/controlPlaneClusters",
    "traffic.sidecar.istio.io/excludeInboundPorts",
    "traffic.sidecar.istio.io/excludeInterfaces",
    "traffic.sidecar.istio.io/excludeOutboundIPRanges",
    "traffic.sidecar.istio.io/excludeOutboundPorts",
    "traffic.sidecar.istio.io/includeInboundPorts",
    "traffic.sidecar.istio.io/includeOutboundIPRanges",
    "traffic.sidecar.istio.io/includeOutboundPorts",
    "traffic.sidecar.istio.io/kubevirtInterfaces",
];

/// Written by Istio itself, never by users.
const ALWAYS_IGNORED: &[&str] = &[
    "sidecar.istio.io/status",
    "gateway.istio.io/controller-version",
    "istio.io/rev",
];

/// Set by istio-cni on every pod it handles.
const SET_BY_CNI: &[&str] = &[
    "sidecar.istio.io/interceptionMode",
    "traffic.sidecar.istio.io/includeInboundPorts",
    "traffic.sidecar.istio.io/excludeInboundPorts",
    "traffic.sidecar.istio.io/includeOutboundIPRanges",
];

impl Analyzer for AlphaAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        for kind in [Kind::Namespace, Kind::Service, Kind::Pod, Kind::Deployment] {
            for r in snap.of_kind(kind) {
                // Without the istio-init container the pod's traffic is set up by istio-cni.
                let cni = kind == Kind::Pod
                    && !r
                        .spec()
                        .path(&["initContainers"])
                        .as_seq()
                        .iter()
                        .any(|c| c.path(&["name"]).text() == "istio-init");
                for key in r.annotations.keys() {
                    let key = key.as_str();
                    if !ALPHA.contains(&key)
                        || ALWAYS_IGNORED.contains(&key)
                        || (cni && SET_BY_CNI.contains(&key))
                    {
                        continue;
                    }
                    ctx.report(
                        &IST0136,
                        r,
                        Some(format!("metadata.annotations.{key}")),
                        vec![key.into()],
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AlphaAnalyzer;
    use crate::analyze::testing::findings;

    #[test]
    fn alpha_annotations_are_named_at_their_key() {
        let input = "\
apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: apps
  annotations:
    sidecar.istio.io/interceptionMode: REDIRECT
    sidecar.istio.io/inject: 'true'
    istio.io/rev: canary
spec:
  initContainers: [{name: istio-init}]
  containers: [{name: app}]
---
apiVersion: v1
kind: Pod
metadata:
  name: cni
  namespace: apps
  annotations:
    sidecar.istio.io/interceptionMode: REDIRECT
spec:
  containers: [{name: app}]
";
        assert_eq!(
            findings(&AlphaAnalyzer, input),
            vec![
                "Info [IST0136] (Pod apps/p t.yaml:7:5) Annotation \"sidecar.istio.io/interceptionMode\" is part \
                 of an alpha-phase feature and may be incompletely supported."
            ]
        );
    }
}
