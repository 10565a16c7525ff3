//! Analyzers of the `annotations` area.

mod alpha;
mod k8s;

pub use alpha::AlphaAnalyzer;
pub use k8s::K8sAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&K8sAnalyzer];

/// Analyzers Istio keeps out of its default set (its tests run them): `find` knows them, the
/// default run and `--analyzer` do not.
pub static TEST_ONLY: &[&dyn Analyzer] = &[&AlphaAnalyzer];
