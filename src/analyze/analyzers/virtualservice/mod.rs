//! Checks of VirtualServices against the gateways, services and destination rules they name.

mod conflicting_mesh_gateway_hosts;
mod destination_hosts;
mod destination_rules;
mod gateways;
mod jwt_claim_route;

pub use conflicting_mesh_gateway_hosts::ConflictingMeshGatewayHostsAnalyzer;
pub use destination_hosts::DestinationHostAnalyzer;
pub use destination_rules::DestinationRuleAnalyzer;
pub use gateways::GatewayAnalyzer;
pub use jwt_claim_route::JWTClaimRouteAnalyzer;

use crate::analyze::Analyzer;
use crate::resource::Node;
use crate::resource::views::{Destination, RouteKind, VirtualService};

pub static ANALYZERS: &[&dyn Analyzer] = &[
    &ConflictingMeshGatewayHostsAnalyzer,
    &DestinationHostAnalyzer,
    &DestinationRuleAnalyzer,
    &GatewayAnalyzer,
    &JWTClaimRouteAnalyzer,
];

/// Reads one destination; an absent `destination` reads as an empty one (host ""), because
/// Istio's analyzers check those too.
fn destination<'a>(
    d: &'a Node,
    mirror: bool,
    kind: RouteKind,
    rule: usize,
    host_field: String,
) -> Destination<'a> {
    Destination {
        host: d.path(&["host"]).text(),
        subset: d.path(&["subset"]).text(),
        // A `port` without a number still counts as a port selector (number 0).
        port: d
            .get("port")
            .filter(|p| !p.is_null())
            .map(|p| p.path(&["number"]).as_i64().unwrap_or(0)),
        mirror,
        route_kind: kind,
        rule,
        host_field,
    }
}

/// Route destinations of `tcp`, `tls` and `http` rules, in that order, empty ones included.
fn route_destinations<'a>(vs: &VirtualService<'a>) -> Vec<Destination<'a>> {
    let mut out = Vec::new();
    for kind in [RouteKind::Tcp, RouteKind::Tls, RouteKind::Http] {
        for (i, rule) in vs.rules(kind).iter().enumerate() {
            for (j, route) in rule.path(&["route"]).as_seq().iter().enumerate() {
                let field = format!("spec.{}[{i}].route[{j}].destination.host", kind.key());
                out.push(destination(
                    route.path(&["destination"]),
                    false,
                    kind,
                    i,
                    field,
                ));
            }
        }
    }
    out
}

/// `http[].mirror` and `http[].mirrors[].destination` targets.
fn mirror_destinations<'a>(vs: &VirtualService<'a>) -> Vec<Destination<'a>> {
    let mut out = Vec::new();
    for (i, rule) in vs.rules(RouteKind::Http).iter().enumerate() {
        if let Some(m) = rule.get("mirror").filter(|m| !m.is_null()) {
            out.push(destination(
                m,
                true,
                RouteKind::Http,
                i,
                format!("spec.http[{i}].mirror.host"),
            ));
        }
        for (j, m) in rule.path(&["mirrors"]).as_seq().iter().enumerate() {
            let field = format!("spec.http[{i}].mirrors[{j}].destination.host");
            out.push(destination(
                m.path(&["destination"]),
                true,
                RouteKind::Http,
                i,
                field,
            ));
        }
    }
    out
}
