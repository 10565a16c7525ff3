//! Every analyzer, one per file, grouped by area as in istioctl. `all()` is the registry that
//! `--analyzer`, `-L` and the default run read.

pub mod gateway;
pub mod kubernetes;

use super::Analyzer;

/// Every registered analyzer, sorted by name.
pub fn all() -> Vec<&'static dyn Analyzer> {
    let mut v: Vec<&'static dyn Analyzer> = Vec::new();
    v.extend_from_slice(gateway::ANALYZERS);
    v.extend_from_slice(kubernetes::ANALYZERS);
    v.sort_by_key(|a| a.metadata().name);
    v
}

/// Looks an analyzer up by its exact name.
pub fn find(name: &str) -> Option<&'static dyn Analyzer> {
    all().into_iter().find(|a| a.metadata().name == name)
}
