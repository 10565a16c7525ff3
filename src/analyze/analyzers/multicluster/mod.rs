//! Checks across clusters (`--remote-contexts`).

mod service;

pub use service::MultiClusterServiceAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&MultiClusterServiceAnalyzer];
