//! Analyzers of the `externalcontrolplane` area.

mod external_control_plane;

pub use external_control_plane::ExternalControlPlaneAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&ExternalControlPlaneAnalyzer];
