//! `gateway.ConflictingGatewayAnalyzer`: two Gateways that drive the same gateway workload must
//! not both claim one host on one port (IST0145); a Gateway whose selector no other Gateway with
//! servers shares is reported as a selector without target (IST0101).
//!
//! Istio groups servers under `selector~port` keys. A Gateway "hits" the key of another selector
//! when the selector strings are equal, or when one string contains the other and some workload
//! matches both selectors. A server conflicts with another Gateway in a hit key of its port when
//! that Gateway declares one of the server's hosts (exact string) with the same `bind`; of a
//! Gateway with several servers on one port only the last one counts, as in istioctl.
//!
//! istioctl's host check also records the hosts of a non-conflicting server into the other
//! Gateway's host table, so its results depend on map iteration order; meshdeck compares against
//! the declared hosts only, which is what the check means and gives stable output.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::ingress_gateway_port::SELECTOR_CHECK;
use crate::analyze::catalogue::{IST0101, IST0145};
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::{Kind, Selector, Snapshot, views};

pub struct ConflictingGatewayAnalyzer;

static METADATA: Metadata = Metadata {
    name: "gateway.ConflictingGatewayAnalyzer",
    description: "Checks a gateway's selector, port number and hosts",
    inputs: &[Kind::Gateway, Kind::Pod],
    codes: &[&IST0101, &IST0145],
};

/// `port.number`; a server without one counts as port 0, as in istioctl.
fn port_number(server: &views::GatewayServer<'_>) -> i64 {
    server.port_number().unwrap_or(0)
}

/// A distinct gateway selector (Gateways with equal selector strings share one).
struct SelectorEntry {
    selector: Selector,
    /// `k1=v1,k2=v2`, the form Istio compares.
    text: String,
    /// Some Gateway with this selector has servers, so `text~port` keys exist for it.
    has_servers: bool,
}

/// The distinct selectors of all Gateways, and which selector keys each one hits.
struct SelectorTable<'s> {
    snap: &'s Snapshot,
    entries: Vec<SelectorEntry>,
    /// Selectors with servers, each indexed under its least common pair, so the selectors that
    /// match a workload are found from the workload's labels.
    by_rare_pair: HashMap<(String, String), Vec<usize>>,
    /// The empty selector, when it has servers: it matches every workload.
    empty_with_servers: Option<usize>,
    hits: HashMap<usize, HashSet<usize>>,
}

impl<'s> SelectorTable<'s> {
    fn new(snap: &'s Snapshot, entries: Vec<SelectorEntry>) -> SelectorTable<'s> {
        let mut pair_counts: HashMap<&(String, String), usize> = HashMap::new();
        for e in entries.iter().filter(|e| e.has_servers) {
            for pair in e.selector.pairs() {
                *pair_counts.entry(pair).or_default() += 1;
            }
        }
        let mut by_rare_pair: HashMap<(String, String), Vec<usize>> = HashMap::new();
        let mut empty_with_servers = None;
        for (i, e) in entries.iter().enumerate().filter(|(_, e)| e.has_servers) {
            match e.selector.pairs().iter().min_by_key(|p| pair_counts[p]) {
                Some(pair) => by_rare_pair.entry(pair.clone()).or_default().push(i),
                None => empty_with_servers = Some(i),
            }
        }
        SelectorTable {
            snap,
            entries,
            by_rare_pair,
            empty_with_servers,
            hits: HashMap::new(),
        }
    }

    /// The selectors (with servers) whose keys selector `s` hits: its own, and those whose
    /// string contains or is contained in its string and that share a workload with it.
    fn hits(&mut self, s: usize) -> &HashSet<usize> {
        let SelectorTable {
            snap,
            entries,
            by_rare_pair,
            empty_with_servers,
            hits,
        } = self;
        hits.entry(s).or_insert_with(|| {
            let own = &entries[s];
            let mut found: HashSet<usize> = HashSet::new();
            if own.has_servers {
                found.insert(s);
            }
            let related = |x: usize| {
                let other = &entries[x].text;
                other.contains(own.text.as_str()) || own.text.contains(other.as_str())
            };
            let mut unrelated: HashSet<usize> = HashSet::new();
            for w in snap.workloads_matching(&own.selector, None, false) {
                let candidates = w
                    .labels
                    .iter()
                    .filter_map(|(k, v)| by_rare_pair.get(&(k.clone(), v.clone())))
                    .flatten()
                    .copied()
                    .chain(*empty_with_servers);
                for x in candidates {
                    if found.contains(&x) || unrelated.contains(&x) {
                        continue;
                    }
                    if !related(x) {
                        unrelated.insert(x);
                    } else if entries[x].selector.matches(&w.labels) {
                        found.insert(x);
                    }
                }
            }
            found
        })
    }
}

/// One server's hosts as another Gateway sees them: `(port, host, bind)` -> selector ->
/// Gateways. Of a Gateway with several servers on a port, only the last counts (as istioctl's
/// table keeps only the last).
type HostTable<'a> = HashMap<(i64, &'a str, &'a str), HashMap<usize, Vec<usize>>>;

impl Analyzer for ConflictingGatewayAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let gateways: Vec<views::Gateway<'_>> = snap
            .of_kind(Kind::Gateway)
            .filter_map(views::Gateway::of)
            .collect();
        let full_names: Vec<String> = gateways.iter().map(|gw| gw.full_name()).collect();
        let mut entries: Vec<SelectorEntry> = Vec::new();
        let mut entry_of_text: HashMap<String, usize> = HashMap::new();
        let mut selector_of: Vec<usize> = Vec::with_capacity(gateways.len());
        let mut by_host: HostTable<'_> = HashMap::new();
        for (g, gw) in gateways.iter().enumerate() {
            let selector = gw.selector();
            let text = selector.to_string();
            let s = *entry_of_text.entry(text.clone()).or_insert_with(|| {
                entries.push(SelectorEntry {
                    selector,
                    text,
                    has_servers: false,
                });
                entries.len() - 1
            });
            selector_of.push(s);
            let mut last_on_port: HashMap<i64, views::GatewayServer<'_>> = HashMap::new();
            for server in gw.servers() {
                entries[s].has_servers = true;
                last_on_port.insert(port_number(&server), server);
            }
            for (port, server) in last_on_port {
                for host in server.hosts() {
                    let list = by_host
                        .entry((port, host, server.bind()))
                        .or_default()
                        .entry(s)
                        .or_default();
                    if list.last() != Some(&g) {
                        list.push(g);
                    }
                }
            }
        }
        let mut table = SelectorTable::new(snap, entries);

        for (g, gw) in gateways.iter().enumerate() {
            let s = selector_of[g];
            let servers: Vec<_> = gw.servers().collect();
            if servers.is_empty() {
                if !table.entries[s].text.is_empty()
                    && ctx.can_look_up(gw.resource(), &table.entries[s].selector, &[SELECTOR_CHECK])
                    && table.hits(s).is_empty()
                {
                    let text = table.entries[s].text.clone();
                    ctx.report(
                        &IST0101,
                        gw.resource(),
                        gw.selector_field(),
                        vec!["selector".into(), text.into()],
                    );
                }
                continue;
            }
            for server in servers {
                let port = port_number(&server);
                let hits = table.hits(s);
                let mut others: BTreeSet<&str> = BTreeSet::new();
                let mut add = |list: &Vec<usize>| {
                    others.extend(
                        list.iter()
                            .filter(|&&o| o != g)
                            .map(|&o| full_names[o].as_str()),
                    );
                };
                for host in server.hosts() {
                    let Some(group) = by_host.get(&(port, host, server.bind())) else {
                        continue;
                    };
                    // Walk whichever side is smaller.
                    if group.len() <= hits.len() {
                        group
                            .iter()
                            .filter(|(x, _)| hits.contains(x))
                            .for_each(|(_, l)| add(l));
                    } else {
                        hits.iter().filter_map(|x| group.get(x)).for_each(&mut add);
                    }
                }
                if others.is_empty() {
                    continue;
                }
                let names: Vec<&str> = others.into_iter().collect();
                let hosts: Vec<&str> = server.hosts().collect();
                let selector_text = table.entries[s].text.clone();
                ctx.report(
                    &IST0145,
                    gw.resource(),
                    None,
                    vec![
                        names.join(",").into(),
                        selector_text.into(),
                        port.to_string().into(),
                        hosts.join(",").into(),
                    ],
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::testing::{self, Mode};

    fn run(text: &str) -> Vec<String> {
        let mut got: Vec<String> = testing::run(&ConflictingGatewayAnalyzer, text, Mode::Harness)
            .iter()
            .map(|f| f.log_line())
            .collect();
        got.sort();
        got
    }

    fn gateway(name: &str, selector: &str, servers: &str) -> String {
        format!(
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {{name: {name}, namespace: ns}}\n\
             spec:\n  selector: {selector}\n  servers: {servers}\n---\n"
        )
    }

    #[test]
    fn same_host_and_bind_conflict_different_bind_does_not() {
        let text = [
            gateway(
                "a",
                "{istio: in}",
                "[{port: {number: 80}, hosts: [x.com, y.com]}]",
            ),
            gateway("b", "{istio: in}", "[{port: {number: 80}, hosts: [y.com]}]"),
            gateway(
                "c",
                "{istio: in}",
                "[{port: {number: 80}, hosts: [y.com], bind: 10.0.0.1}]",
            ),
            gateway("d", "{istio: in}", "[{port: {number: 81}, hosts: [x.com]}]"),
        ]
        .concat();
        let got = run(&text);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert!(got[0].contains("(Gateway ns/a") && got[0].contains("Conflict with gateways ns/b (workload selector istio=in, port 80, hosts x.com,y.com)."));
        assert!(got[1].contains("(Gateway ns/b") && got[1].contains("gateways ns/a "));
    }

    #[test]
    fn overlapping_selectors_need_a_shared_workload() {
        let text = [
            gateway("a", "{istio: in}", "[{port: {number: 80}, hosts: [x.com]}]"),
            gateway(
                "b",
                "{istio: in, tier: edge}",
                "[{port: {number: 80}, hosts: [x.com]}]",
            ),
        ]
        .concat();
        assert_eq!(run(&text), Vec::<String>::new());
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns, labels: {istio: in, tier: edge}}\n";
        assert_eq!(run(&(text + pod)).len(), 2);
    }

    #[test]
    fn serverless_gateway_needs_a_sibling_with_its_selector() {
        let text = [
            gateway("lonely", "{istio: nobody}", "[]"),
            gateway("quiet", "{istio: in}", "[]"),
            gateway(
                "busy",
                "{istio: in}",
                "[{port: {number: 80}, hosts: [x.com]}]",
            ),
        ]
        .concat();
        let got = run(&text);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert!(
            got[0].contains("Gateway ns/lonely")
                && got[0].contains(r#"Referenced selector not found: "istio=nobody""#)
        );
    }

    #[test]
    fn only_the_last_server_on_a_port_counts_for_the_other_side() {
        let text = [
            gateway(
                "a",
                "{istio: in}",
                "[{port: {number: 80}, hosts: [x.com]}, {port: {number: 80}, hosts: [z.com]}]",
            ),
            gateway("b", "{istio: in}", "[{port: {number: 80}, hosts: [x.com]}]"),
        ]
        .concat();
        let got = run(&text);
        // a's first server conflicts with b; b does not see a's x.com, which istioctl overwrote.
        assert_eq!(got.len(), 1, "{got:#?}");
        assert!(got[0].contains("(Gateway ns/a"));
    }

    #[test]
    fn selectors_are_compared_as_strings_before_workloads() {
        // Both select the pod, but "app=a,tier=x" is not a substring of "app=a,env=p,tier=x":
        // istioctl does not relate them. An empty selector relates to every selector that
        // selects a workload.
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns, labels: {app: a, env: p, tier: x}}\n---\n";
        let text = [
            pod.to_string(),
            gateway(
                "narrow",
                "{app: a, tier: x}",
                "[{port: {number: 80}, hosts: [x.com]}]",
            ),
            gateway(
                "wide",
                "{app: a, env: p, tier: x}",
                "[{port: {number: 80}, hosts: [x.com]}]",
            ),
        ]
        .concat();
        assert_eq!(run(&text), Vec::<String>::new());
        let text = text + &gateway("all", "{}", "[{port: {number: 80}, hosts: [x.com]}]");
        let got = run(&text);
        assert_eq!(got.len(), 3, "{got:#?}");
        assert!(got.iter().any(|l| l.contains("(Gateway ns/all") && l.contains("gateways ns/narrow,ns/wide ")));
    }
}
