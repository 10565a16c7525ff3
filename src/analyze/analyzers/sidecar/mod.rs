//! Checks of Sidecar resources against the workloads and namespaces they apply to.

mod selector;

pub use selector::SelectorAnalyzer;
pub(crate) use selector::{PolicySelection, names as policy_names};

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&SelectorAnalyzer];
