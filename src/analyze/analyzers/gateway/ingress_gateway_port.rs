//! `gateway.IngressGatewayPortAnalyzer`: a Gateway's server ports must be reachable through a
//! Service of the workloads its selector picks (IST0162), and the selector must pick some
//! workload at all (IST0101, the "mismatched selector label" trap).

use std::collections::HashSet;

use crate::analyze::catalogue::{IST0101, IST0162};
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::Kind;
use crate::resource::views::{self, TargetPort};

pub struct IngressGatewayPortAnalyzer;

static METADATA: Metadata = Metadata {
    name: "gateway.IngressGatewayPortAnalyzer",
    description: "Checks a gateway's ports against the gateway's Kubernetes service ports",
    inputs: &[Kind::Gateway, Kind::Pod, Kind::Service],
    codes: &[&IST0101, &IST0162],
};

impl Analyzer for IngressGatewayPortAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        for gw in snap.of_kind(Kind::Gateway).filter_map(views::Gateway::of) {
            let selector = gw.selector();
            // Ports a server may use: TCP service ports (or their numeric target ports) of every
            // Service that selects a workload the gateway selects, in that workload's namespace.
            let mut accepted: HashSet<i64> = HashSet::new();
            let mut mapped_service_ports: HashSet<i64> = HashSet::new();
            let mut matched = 0usize;
            let mut seen_services: HashSet<usize> = HashSet::new();
            for workload in snap.workloads_matching(&selector, None, false) {
                matched += 1;
                for svc in snap.in_namespace(Kind::Service, &workload.namespace) {
                    let svc = views::Service(svc);
                    if !svc.selector().matches(&workload.labels) || !seen_services.insert(svc.id) {
                        continue;
                    }
                    for port in svc.ports().filter(|p| p.protocol() == "TCP") {
                        let Some(number) = port.port() else { continue };
                        match port.target_port() {
                            TargetPort::Number(target) => {
                                accepted.insert(target);
                                mapped_service_ports.insert(number);
                            }
                            _ => {
                                accepted.insert(number);
                            }
                        }
                    }
                }
            }
            let field = gw.selector_field();
            if matched == 0 {
                ctx.report(
                    &IST0101,
                    gw.resource(),
                    field,
                    vec!["selector".into(), selector.to_string().into()],
                );
                continue;
            }
            for server in gw.servers().filter(|s| s.has_port()) {
                let number = server.port_number().unwrap_or(0);
                if !accepted.contains(&number) && !mapped_service_ports.contains(&number) {
                    ctx.report(
                        &IST0162,
                        gw.resource(),
                        field.clone(),
                        vec![number.into(), selector.to_string().into()],
                    );
                }
            }
        }
    }
}
