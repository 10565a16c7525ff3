//! Every analyzer, one per file, grouped by area as in istioctl. `all()` is the registry that
//! `--analyzer`, `-L` and the default run read.

pub mod annotations;
pub mod auth;
pub mod authn;
pub mod conditions;
pub mod deployment;
pub mod deprecation;
pub mod destinationrule;
pub mod envoyfilter;
pub mod externalcontrolplane;
pub mod gateway;
pub mod hosts;
pub mod injection;
pub mod k8sgateway;
pub mod kubernetes;
pub mod meshnetworks;
pub mod multicluster;
pub mod schema;
pub mod service;
pub mod serviceentry;
pub mod sidecar;
pub mod telemetry;
pub mod virtualservice;
pub mod webhook;

use super::Analyzer;

/// Every registered analyzer, sorted by name.
pub fn all() -> Vec<&'static dyn Analyzer> {
    let mut v: Vec<&'static dyn Analyzer> = Vec::new();
    for area in [
        annotations::ANALYZERS,
        auth::ANALYZERS,
        authn::ANALYZERS,
        conditions::ANALYZERS,
        deployment::ANALYZERS,
        deprecation::ANALYZERS,
        destinationrule::ANALYZERS,
        envoyfilter::ANALYZERS,
        externalcontrolplane::ANALYZERS,
        gateway::ANALYZERS,
        injection::ANALYZERS,
        k8sgateway::ANALYZERS,
        kubernetes::ANALYZERS,
        meshnetworks::ANALYZERS,
        multicluster::ANALYZERS,
        schema::ANALYZERS,
        service::ANALYZERS,
        serviceentry::ANALYZERS,
        sidecar::ANALYZERS,
        telemetry::ANALYZERS,
        virtualservice::ANALYZERS,
        webhook::ANALYZERS,
    ] {
        v.extend_from_slice(area);
    }
    v.sort_by_key(|a| a.metadata().name);
    v
}

/// Looks an analyzer up by its exact name, among the registered ones and those Istio keeps out of
/// its default set (`annotations.AlphaAnalyzer`), which only tests use.
pub fn find(name: &str) -> Option<&'static dyn Analyzer> {
    all()
        .into_iter()
        .chain(annotations::TEST_ONLY.iter().copied())
        .find(|a| a.metadata().name == name)
}
