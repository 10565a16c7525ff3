//! Analyzers of the `annotations` area.

mod k8s;

pub use k8s::K8sAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&K8sAnalyzer];
