//! Checks of DestinationRules against the services and workloads they describe.

mod subset_select_pod;

pub use subset_select_pod::SubsetSelectPodAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&SubsetSelectPodAnalyzer];
