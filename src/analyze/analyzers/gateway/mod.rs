//! Checks of Istio Gateways against the workloads and Services behind them.

mod ingress_gateway_port;

pub use ingress_gateway_port::IngressGatewayPortAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&IngressGatewayPortAnalyzer];
