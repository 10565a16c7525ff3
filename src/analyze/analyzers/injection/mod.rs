//! Analyzers of the `injection` area.

mod analyzer;

pub use analyzer::InjectionAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&InjectionAnalyzer];
