//! Analyzers of the `k8sgateway` area.

mod crd_version;
mod selector;

pub use crd_version::CRDVersionAnalyzer;
pub use selector::SelectorAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&CRDVersionAnalyzer, &SelectorAnalyzer];
