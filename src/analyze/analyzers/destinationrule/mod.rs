//! Checks of DestinationRules against the services and workloads they describe.

mod ca_certificate;
mod subset_select_pod;

pub use ca_certificate::CaCertificateAnalyzer;
pub use subset_select_pod::SubsetSelectPodAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&CaCertificateAnalyzer, &SubsetSelectPodAnalyzer];
