//! Analyzers of the `conditions` area.

mod condition;

pub use condition::ConditionAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&ConditionAnalyzer];
