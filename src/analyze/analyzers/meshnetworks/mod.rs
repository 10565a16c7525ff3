//! Analyzers of the `meshnetworks` area.

mod mesh_networks;

pub use mesh_networks::MeshNetworksAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&MeshNetworksAnalyzer];
