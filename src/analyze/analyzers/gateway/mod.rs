//! Checks of Istio Gateways against the workloads and Services behind them.

mod certificate;
mod conflicting_gateway;
mod ingress_gateway_port;
mod secret;

pub use certificate::CertificateAnalyzer;
pub use conflicting_gateway::ConflictingGatewayAnalyzer;
pub use ingress_gateway_port::IngressGatewayPortAnalyzer;
pub use secret::SecretAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[
    &IngressGatewayPortAnalyzer,
    &SecretAnalyzer,
    &ConflictingGatewayAnalyzer,
    &CertificateAnalyzer,
];
