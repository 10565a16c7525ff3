//! Analyzers of the `service` area.

mod port_name;

pub use port_name::PortNameAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&PortNameAnalyzer];
