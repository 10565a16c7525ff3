//! Analyzers of the `deployment` area.

mod application_uid;
mod multi_service;

pub use application_uid::ApplicationUIDAnalyzer;
pub use multi_service::MultiServiceAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&ApplicationUIDAnalyzer, &MultiServiceAnalyzer];
