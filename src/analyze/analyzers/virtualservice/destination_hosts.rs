//! `virtualservice.DestinationHostAnalyzer`: every route and mirror destination must name a
//! Service or ServiceEntry the VirtualService can see (IST0101), with a port it exposes, or with
//! a port at all when it exposes several (IST0112). Also warns when a gateway-bound
//! VirtualService routes, without a subset, to a host whose own VirtualService splits traffic
//! by subset: that split does not apply to gateway traffic (IST0140).
//!
//! In a file-only run a host that resolves to nothing is reported only when the input holds
//! Services of the namespace it names; otherwise its Service is taken to live in the cluster and
//! the check is named in a note ([`Context::can_resolve_host`]).

use std::collections::HashMap;

use super::{mirror_destinations, route_destinations};
use crate::analyze::analyzer::HostLookUp;
use crate::analyze::analyzers::hosts::{HostTarget, ServiceRegistry};
use crate::analyze::catalogue::{IST0101, IST0112, IST0140};
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::Kind;
use crate::resource::views::{self, Destination, RouteKind};

pub struct DestinationHostAnalyzer;

static METADATA: Metadata = Metadata {
    name: "virtualservice.DestinationHostAnalyzer",
    description: "Checks the destination hosts associated with each virtual service",
    inputs: &[Kind::ServiceEntry, Kind::VirtualService, Kind::Service],
    codes: &[&IST0101, &IST0112, &IST0140],
};

/// The check a file-only run skips for a host whose namespace has no Service in the input.
pub const HOST_CHECK: &str = "IST0101 (destination host)";

impl Analyzer for DestinationHostAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let registry = ServiceRegistry::build(snap);
        let subset_routes = subset_routed_hosts(
            snap.of_kind(Kind::VirtualService)
                .filter_map(views::VirtualService::of),
        );

        for vs in snap
            .of_kind(Kind::VirtualService)
            .filter_map(views::VirtualService::of)
        {
            let export_to = vs.export_to();
            for d in route_destinations(&vs)
                .into_iter()
                .chain(mirror_destinations(&vs))
            {
                match registry.resolve(&vs.namespace, &export_to, d.host) {
                    None => {
                        let lookup = HostLookUp {
                            host: d.host,
                            namespace: &vs.namespace,
                            field: Some(d.host_field.clone()),
                        };
                        if !ctx.can_resolve_host(vs.resource(), &registry, lookup, &[HOST_CHECK]) {
                            continue;
                        }
                        let kind = if d.mirror { "mirror host" } else { "host" };
                        ctx.report(
                            &IST0101,
                            vs.resource(),
                            Some(d.host_field.clone()),
                            vec![kind.into(), d.host.into()],
                        );
                    }
                    Some(target) => check_port(ctx, &vs, &d, target),
                }
            }
            if vs.has_gateways() {
                check_subset_bypass(ctx, &vs, &subset_routes);
            }
        }
    }
}

/// IST0112 when no port is given but the target exposes several; IST0101 when the given port is
/// not one the target exposes.
fn check_port(
    ctx: &mut Context<'_>,
    vs: &views::VirtualService<'_>,
    d: &Destination<'_>,
    target: &HostTarget<'_>,
) {
    let field = Some(d.host_field.clone());
    match d.port {
        None if target.ports.len() > 1 => {
            ctx.report(
                &IST0112,
                vs.resource(),
                field,
                vec![d.host.into(), target.ports.clone().into()],
            );
        }
        None => {}
        Some(port) if !target.ports.contains(&port) => {
            ctx.report(
                &IST0101,
                vs.resource(),
                field,
                vec!["host:port".into(), format!("{}:{port}", d.host).into()],
            );
        }
        Some(_) => {}
    }
}

/// Hosts that some VirtualService routes to by subset while also declaring them in its own
/// `hosts`, with the full names of those VirtualServices (each once per host, in input order).
fn subset_routed_hosts<'a>(
    all: impl Iterator<Item = views::VirtualService<'a>>,
) -> HashMap<&'a str, Vec<String>> {
    let mut out: HashMap<&'a str, Vec<String>> = HashMap::new();
    for vs in all {
        let own_hosts: Vec<&str> = vs.hosts().collect();
        for d in route_destinations(&vs) {
            if d.route_kind != RouteKind::Http
                || d.subset.is_empty()
                || !own_hosts.contains(&d.host)
            {
                continue;
            }
            let names = out.entry(d.host).or_default();
            let name = vs.full_name();
            if names.last() != Some(&name) {
                names.push(name);
            }
        }
    }
    out
}

/// IST0140 for each subset-less HTTP route destination of a gateway-bound VirtualService whose
/// host another VirtualService splits by subset.
fn check_subset_bypass(
    ctx: &mut Context<'_>,
    vs: &views::VirtualService<'_>,
    subset_routes: &HashMap<&str, Vec<String>>,
) {
    for d in route_destinations(vs) {
        if d.route_kind != RouteKind::Http || !d.subset.is_empty() {
            continue;
        }
        for other in subset_routes.get(d.host).into_iter().flatten() {
            ctx.report(
                &IST0140,
                vs.resource(),
                Some(d.host_field.clone()),
                vec![other.into(), vs.full_name().into()],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{DestinationHostAnalyzer, HOST_CHECK};
    use crate::analyze::testing::{file_only, findings};

    const INPUT: &str = "\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  ports: [{port: 80}, {port: 443}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext, namespace: shop}
spec:
  hosts: ['*.example.com']
  ports: [{number: 443, name: https, protocol: TLS}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  hosts: [web]
  http:
  - route:
    - destination: {host: web, subset: v1, port: {number: 80}}
    mirrors:
    - destination: {host: nowhere}
  tls:
  - route:
    - destination: {host: api.example.com, port: {number: 8443}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ingress, namespace: shop}
spec:
  hosts: [shop.example.org]
  gateways: [istio-system/ingress]
  http:
  - route:
    - destination: {host: web}
";

    #[test]
    fn reports_unknown_hosts_ports_and_bypassed_subsets() {
        assert_eq!(
            findings(&DestinationHostAnalyzer, INPUT),
            vec![
                "Error [IST0101] (VirtualService shop/web t.yaml:23:21) Referenced mirror host not found: \"nowhere\"",
                "Error [IST0101] (VirtualService shop/web t.yaml:26:21) Referenced host:port not found: \
                 \"api.example.com:8443\"",
                "Error [IST0112] (VirtualService shop/ingress t.yaml:36:21) This VirtualService routes to a service \
                 \"web\" that exposes multiple ports [80 443]. Specifying a port in the destination is required to \
                 disambiguate.",
                "Warning [IST0140] (VirtualService shop/ingress t.yaml:36:21) Subset in virtual service shop/web has \
                 no effect on ingress gateway shop/ingress requests",
            ]
        );
    }

    /// A VirtualService of `shop` routing to `destinations`, after `services`.
    fn routing(services: &str, destinations: &[&str]) -> String {
        let mut yaml = services.to_string();
        yaml.push_str(
            "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\n\
             metadata: {name: front, namespace: shop}\nspec:\n  hosts: [front]\n  http:\n",
        );
        for d in destinations {
            yaml.push_str(&format!("  - route:\n    - destination: {{host: {d}}}\n"));
        }
        yaml
    }

    const OTHER_SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata: {name: cart, namespace: shop}\nspec:\n  ports: [{port: 80}]\n";

    #[test]
    fn file_only_skips_a_host_whose_namespace_has_no_service_in_the_input() {
        // An application repository: the Services come from the application's chart.
        let (got, skipped) = file_only(
            &DestinationHostAnalyzer,
            &routing("", &["web", "web.shop.svc.cluster.local"]),
        );
        assert_eq!(got, Vec::<String>::new());
        let at = |i: usize| Some(format!("spec.http[{i}].route[0].destination.host"));
        let origin = "VirtualService shop/front".to_string();
        assert_eq!(
            skipped,
            vec![
                (origin.clone(), HOST_CHECK, at(0)),
                (origin, HOST_CHECK, at(1))
            ]
        );
        // A cluster run judges the same input: the host is reported.
        assert_eq!(
            findings(&DestinationHostAnalyzer, &routing("", &["web"])).len(),
            1
        );
    }

    #[test]
    fn file_only_still_reports_a_mistyped_host_of_a_namespace_the_input_holds() {
        // The input holds Services of `shop`: a host missing there is a typo, not the cluster.
        let (got, skipped) = file_only(
            &DestinationHostAnalyzer,
            &routing(OTHER_SERVICE, &["cart", "crat"]),
        );
        assert_eq!(
            got,
            vec![
                "Error [IST0101] (VirtualService shop/front t.yaml:16:21) Referenced host not found: \"crat\""
            ]
        );
        assert!(skipped.is_empty(), "{skipped:?}");
    }

    #[test]
    fn file_only_namespace_typos_external_hosts_and_service_entries() {
        // A mistyped namespace names a namespace the input holds no Service of: skipped (the
        // note names the namesake shop/cart; --use-kube reports it).
        let (got, skipped) = file_only(
            &DestinationHostAnalyzer,
            &routing(OTHER_SERVICE, &["cart.shopp.svc.cluster.local"]),
        );
        assert!(got.is_empty(), "{got:?}");
        assert_eq!(skipped.len(), 1);
        // Hosts outside the Service domain resolve only through a ServiceEntry, which is
        // mesh configuration kept with the routes: judged as in a cluster run.
        let (got, skipped) = file_only(
            &DestinationHostAnalyzer,
            &routing(
                "",
                &["api.example.com", "reviews.default", "'*.example.org'"],
            ),
        );
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(skipped.is_empty(), "{skipped:?}");
        // A ServiceEntry host in shop's Service domain says the input models shop's Services.
        let entry = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n\
                     metadata: {name: vm, namespace: mesh}\nspec:\n  hosts: [vm.shop.svc.cluster.local]\n";
        let (got, skipped) = file_only(&DestinationHostAnalyzer, &routing(entry, &["vm", "wbe"]));
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("\"wbe\""), "{got:?}");
        assert!(skipped.is_empty(), "{skipped:?}");
    }
}
