//! `virtualservice.DestinationRuleAnalyzer`: a route or mirror destination that names a subset
//! needs a DestinationRule for that host that defines the subset (IST0101).
//!
//! Hosts are compared as Istio's analyzer does: a `name.ns.svc.cluster.local` host names the
//! Service `ns/name`; any other host is taken as a name in the namespace of the resource that
//! wrote it (a DestinationRule's short host is first expanded in the rule's own namespace).
//!
//! The message points at the destination's `subset:`, and its hint lists the subsets the
//! host's DestinationRules do define (or says that none defines any).

use std::collections::{BTreeMap, BTreeSet};

use super::{mirror_destinations, route_destinations};
use crate::analyze::analyzers::hosts::{resource_name_from_host, to_fqdn};
use crate::analyze::catalogue::IST0101;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::Kind;
use crate::resource::views;

pub struct DestinationRuleAnalyzer;

static METADATA: Metadata = Metadata {
    name: "virtualservice.DestinationRuleAnalyzer",
    description: "Checks the destination rules associated with each virtual service",
    inputs: &[Kind::VirtualService, Kind::DestinationRule],
    codes: &[&IST0101],
};

impl Analyzer for DestinationRuleAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        // (namespace, name) of a host → the subsets DestinationRules define for it.
        let mut defined: BTreeMap<(String, String), BTreeSet<&str>> = BTreeMap::new();
        for dr in snap
            .of_kind(Kind::DestinationRule)
            .filter_map(views::DestinationRule::of)
        {
            let ns = dr.namespace.as_str();
            let fqdn = to_fqdn(ns, dr.host());
            let (host_ns, host_name) = resource_name_from_host(ns, &fqdn);
            let subsets = defined
                .entry((host_ns.to_string(), host_name.to_string()))
                .or_default();
            subsets.extend(dr.subsets().map(|s| s.name()));
        }

        for vs in snap
            .of_kind(Kind::VirtualService)
            .filter_map(views::VirtualService::of)
        {
            for d in route_destinations(&vs)
                .into_iter()
                .chain(mirror_destinations(&vs))
            {
                if d.subset.is_empty() {
                    continue;
                }
                let (ns, name) = resource_name_from_host(&vs.namespace, d.host);
                let subsets = defined.get(&(ns.to_string(), name.to_string()));
                if subsets.is_some_and(|s| s.contains(d.subset)) {
                    continue;
                }
                let what = if d.mirror {
                    "mirror+subset in destinationrule"
                } else {
                    "host+subset in destinationrule"
                };
                let field = match d.host_field.strip_suffix("host") {
                    Some(prefix) => format!("{prefix}subset"),
                    None => d.host_field.clone(),
                };
                ctx.report(
                    &IST0101,
                    vs.resource(),
                    Some(field),
                    vec![what.into(), format!("{}+{}", d.host, d.subset).into()],
                );
                ctx.hint(match subsets.filter(|s| !s.is_empty()) {
                    Some(s) => format!(
                        "the DestinationRules of host {} define the subsets {}",
                        d.host,
                        s.iter().copied().collect::<Vec<_>>().join(", ")
                    ),
                    None => format!("no DestinationRule defines subsets for host {}", d.host),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DestinationRuleAnalyzer;
    use crate::analyze::testing::findings;

    const INPUT: &str = "\
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: shop}
spec:
  host: web
  subsets: [{name: v1}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ext, namespace: other}
spec:
  host: api.example.com
  subsets: [{name: v1}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: front}
spec:
  hosts: [web]
  http:
  - route:
    - destination: {host: web.shop.svc.cluster.local, subset: v1}
    - destination: {host: web.shop.svc.cluster.local, subset: v2}
    - destination: {host: api.example.com, subset: v1}
    mirror: {host: web, subset: v1}
";

    #[test]
    fn subsets_need_a_rule_for_the_same_host() {
        assert_eq!(
            findings(&DestinationRuleAnalyzer, INPUT),
            vec![
                "Error [IST0101] (VirtualService front/web t.yaml:23:55) Referenced host+subset in destinationrule \
                 not found: \"web.shop.svc.cluster.local+v2\"",
                // A non-Service host is matched in the namespace of the rule that names it.
                "Error [IST0101] (VirtualService front/web t.yaml:24:44) Referenced host+subset in destinationrule \
                 not found: \"api.example.com+v1\"",
                "Error [IST0101] (VirtualService front/web t.yaml:25:25) Referenced mirror+subset in destinationrule \
                 not found: \"web+v1\"",
            ]
        );
        let hints: Vec<Option<String>> = crate::analyze::testing::run(
            &DestinationRuleAnalyzer,
            INPUT,
            crate::analyze::testing::Mode::Cli,
        )
        .into_iter()
        .map(|f| f.hint)
        .collect();
        assert_eq!(
            hints,
            vec![
                Some(
                    "the DestinationRules of host web.shop.svc.cluster.local define the subsets v1"
                        .into()
                ),
                Some("no DestinationRule defines subsets for host api.example.com".into()),
                Some("no DestinationRule defines subsets for host web".into()),
            ]
        );
    }
}
