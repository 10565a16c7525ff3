//! Every analyzer, one per file, grouped by area as in istioctl. `all()` is the registry that
//! `--analyzer`, `-L` and the default run read.

pub mod deployment;
pub mod destinationrule;
pub mod gateway;
pub mod hosts;
pub mod injection;
pub mod kubernetes;
pub mod service;
pub mod virtualservice;

use super::Analyzer;

/// Every registered analyzer, sorted by name.
pub fn all() -> Vec<&'static dyn Analyzer> {
    let mut v: Vec<&'static dyn Analyzer> = Vec::new();
    for area in [
        deployment::ANALYZERS,
        destinationrule::ANALYZERS,
        gateway::ANALYZERS,
        injection::ANALYZERS,
        kubernetes::ANALYZERS,
        service::ANALYZERS,
        virtualservice::ANALYZERS,
    ] {
        v.extend_from_slice(area);
    }
    v.sort_by_key(|a| a.metadata().name);
    v
}

/// Looks an analyzer up by its exact name.
pub fn find(name: &str) -> Option<&'static dyn Analyzer> {
    all().into_iter().find(|a| a.metadata().name == name)
}
