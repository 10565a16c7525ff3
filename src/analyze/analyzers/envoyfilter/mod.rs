//! Analyzers of the `envoyfilter` area.

mod envoy_patch;

pub use envoy_patch::EnvoyPatchAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&EnvoyPatchAnalyzer];
