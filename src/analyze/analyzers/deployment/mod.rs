//! Analyzers of the `deployment` area.

mod multi_service;

pub use multi_service::MultiServiceAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&MultiServiceAnalyzer];
