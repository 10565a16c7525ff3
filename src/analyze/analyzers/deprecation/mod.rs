//! Checks for Istio fields and kinds that are deprecated or removed.

mod fields;

pub use fields::DeprecationAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&DeprecationAnalyzer];
