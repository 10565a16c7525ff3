//! `serviceentry.Analyzer`: a ServiceEntry port that carries plain TCP (or no protocol at all)
//! needs `addresses`, because nothing but the destination address tells such traffic apart
//! (IST0134).
//!
//! Addresses allocated by Istio count: those in `status.addresses`, and every address when the
//! mesh's proxies capture DNS (`ISTIO_META_DNS_CAPTURE`) with automatic allocation
//! (`ISTIO_META_DNS_AUTO_ALLOCATE` or `PILOT_ENABLE_IP_AUTOALLOCATE`) in
//! `defaultConfig.proxyMetadata`.

use crate::analyze::catalogue::IST0134;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::views;
use crate::resource::{Kind, Node};

pub struct ProtocolAddressesAnalyzer;

static METADATA: Metadata = Metadata {
    name: "serviceentry.Analyzer",
    description: "Checks the validity of ServiceEntry",
    inputs: &[Kind::ServiceEntry, Kind::MeshConfig],
    codes: &[&IST0134],
};

/// True when the mesh's proxies allocate addresses for ServiceEntries themselves.
fn mesh_allocates_addresses(mesh_config: &Node) -> bool {
    let metadata = mesh_config.path(&["defaultConfig", "proxyMetadata"]);
    let on = |key: &str| metadata.path(&[key]).text() == "true";
    on("ISTIO_META_DNS_CAPTURE")
        && (on("ISTIO_META_DNS_AUTO_ALLOCATE") || on("PILOT_ENABLE_IP_AUTOALLOCATE"))
}

impl Analyzer for ProtocolAddressesAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        if mesh_allocates_addresses(&ctx.mesh.config) {
            return;
        }
        for se in ctx
            .snapshot
            .of_kind(Kind::ServiceEntry)
            .filter_map(views::ServiceEntry::of)
        {
            let has_addresses = !se.spec().path(&["addresses"]).as_seq().is_empty();
            let allocated = !se.doc.path(&["status", "addresses"]).as_seq().is_empty();
            if has_addresses || allocated {
                continue;
            }
            for port in se.ports() {
                let protocol = port.protocol();
                if protocol.is_empty() || protocol.eq_ignore_ascii_case("TCP") {
                    ctx.report(
                        &IST0134,
                        se.resource(),
                        Some(format!("spec.ports[{}].name", port.index)),
                        vec![],
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::{self, MeshConfig};
    use crate::resource::{LoadOptions, Snapshot, SourceText, parse_source};

    const INPUT: &str = "\
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: pg, namespace: data}
spec:
  hosts: [pg.example.com]
  ports:
  - {number: 5432, name: tcp-pg}
  - {number: 443, name: https, protocol: HTTPS}
  - {number: 5433, name: tcp-pg2, protocol: tcp}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: addressed, namespace: data}
spec:
  hosts: [db.example.com]
  addresses: [10.1.1.1]
  ports: [{number: 5432, name: tcp, protocol: TCP}]
";

    fn run(mesh: &MeshConfig) -> Vec<String> {
        let (resources, _) =
            parse_source(&SourceText::new("t.yaml", INPUT), &LoadOptions::default());
        let snap = Snapshot::new(resources, true);
        let outcome = analyze::run(
            &snap,
            mesh,
            "istio-system",
            &[&ProtocolAddressesAnalyzer],
            false,
        );
        analyze::select(outcome.findings, None, &[])
            .iter()
            .map(|f| f.log_line())
            .collect()
    }

    #[test]
    fn tcp_ports_without_addresses_are_reported_each() {
        assert_eq!(
            run(&MeshConfig::default()),
            vec![
                "Warning [IST0134] (ServiceEntry data/pg t.yaml:7:20) ServiceEntry addresses are required for this protocol.",
                "Warning [IST0134] (ServiceEntry data/pg t.yaml:9:20) ServiceEntry addresses are required for this protocol.",
            ]
        );
    }

    #[test]
    fn dns_capture_with_auto_allocation_allocates_addresses() {
        let mut mesh = MeshConfig::default();
        mesh.apply_config(
            "defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: 'true'\n    PILOT_ENABLE_IP_AUTOALLOCATE: 'true'\n",
            "m.yaml",
        )
        .unwrap();
        assert_eq!(run(&mesh), Vec::<String>::new());
        let mut capture_only = MeshConfig::default();
        capture_only
            .apply_config(
                "defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: 'true'\n",
                "m.yaml",
            )
            .unwrap();
        assert_eq!(run(&capture_only).len(), 2);
    }
}
