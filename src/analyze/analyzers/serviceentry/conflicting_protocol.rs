//! `serviceentry.ConflictingServiceEntryProtocolAnalyzer`: ServiceEntries that declare the same
//! host and port with different protocols, for an audience that sees them all, leave the proxy
//! to pick one protocol for the pair (IST0177).
//!
//! Entries are grouped by scope (`*` when exported everywhere, else each `exportTo` namespace,
//! `.` meaning the entry's own), host as written and port number. A namespace scope also sees
//! the entries exported everywhere. A group with two or more protocols (compared upper-cased;
//! none is a protocol of its own) is a conflict, and each ServiceEntry in it is reported once.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::analyze::analyzers::hosts::{EXPORT_TO_ALL, EXPORT_TO_LOCAL, exports_to_all};
use crate::analyze::catalogue::IST0177;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::Kind;
use crate::resource::views;

pub struct ConflictingServiceEntryProtocolAnalyzer;

static METADATA: Metadata = Metadata {
    name: "serviceentry.ConflictingServiceEntryProtocolAnalyzer",
    description: "Checks if multiple ServiceEntries define the same host and port with different protocols",
    inputs: &[Kind::ServiceEntry],
    codes: &[&IST0177],
};

/// The ServiceEntries declaring one host and port for one scope, in input order.
struct Group<'a> {
    scope: &'a str,
    host: &'a str,
    port: i64,
    /// (upper-cased protocol, ServiceEntry id)
    entries: Vec<(String, usize)>,
}

/// What the entries exported everywhere add to each namespace scope of their host and port.
struct Everywhere {
    protocols: BTreeSet<String>,
    names: Vec<String>,
    /// Set once all of its entries have been reported.
    done: bool,
}

impl Analyzer for ConflictingServiceEntryProtocolAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let mut groups: Vec<Group<'_>> = Vec::new();
        let mut index: HashMap<(&str, &str, i64), usize> = HashMap::new();
        for se in snap
            .of_kind(Kind::ServiceEntry)
            .filter_map(views::ServiceEntry::of)
        {
            let mut scopes: Vec<&str> = Vec::new();
            if exports_to_all(&se.export_to()) {
                scopes.push(EXPORT_TO_ALL);
            } else {
                for e in se.spec().path(&["exportTo"]).string_list() {
                    let scope = if e == EXPORT_TO_LOCAL {
                        se.resource().namespace.as_str()
                    } else {
                        e
                    };
                    if !scopes.contains(&scope) {
                        scopes.push(scope);
                    }
                }
            }
            for &scope in &scopes {
                for host in se.hosts() {
                    for port in se.ports() {
                        let number = port.number().unwrap_or(0);
                        let idx = *index.entry((scope, host, number)).or_insert_with(|| {
                            groups.push(Group {
                                scope,
                                host,
                                port: number,
                                entries: Vec::new(),
                            });
                            groups.len() - 1
                        });
                        groups[idx]
                            .entries
                            .push((port.protocol().to_ascii_uppercase(), se.id));
                    }
                }
            }
        }

        let mut everywhere: HashMap<(&str, i64), Everywhere> = HashMap::new();
        for g in groups.iter().filter(|g| g.scope == EXPORT_TO_ALL) {
            let mut names: Vec<String> = g
                .entries
                .iter()
                .map(|&(_, id)| snap.resource(id).full_name())
                .collect();
            names.sort();
            names.dedup();
            everywhere.insert(
                (g.host, g.port),
                Everywhere {
                    protocols: g.entries.iter().map(|(p, _)| p.clone()).collect(),
                    names,
                    done: false,
                },
            );
        }

        let mut reported: HashSet<usize> = HashSet::new();
        for g in &groups {
            let star_key = (g.host, g.port);
            let shared = if g.scope == EXPORT_TO_ALL {
                None
            } else {
                everywhere.get(&star_key)
            };
            let mut protocols: BTreeSet<&str> = g.entries.iter().map(|(p, _)| p.as_str()).collect();
            if let Some(s) = shared {
                protocols.extend(s.protocols.iter().map(String::as_str));
            }
            if protocols.len() < 2 {
                continue;
            }
            let uses_star = shared.is_some() || g.scope == EXPORT_TO_ALL;
            let star_pending = match shared {
                Some(s) => !s.done,
                None => g.scope == EXPORT_TO_ALL && !everywhere[&star_key].done,
            };
            let own_pending = g.entries.iter().any(|(_, id)| !reported.contains(id));
            if !own_pending && !star_pending {
                continue;
            }
            let mut names: Vec<String> = g
                .entries
                .iter()
                .map(|&(_, id)| snap.resource(id).full_name())
                .collect();
            if let Some(s) = shared {
                names.extend(s.names.iter().cloned());
            }
            names.sort();
            names.dedup();
            let names = names.join(", ");
            let protocols = protocols.into_iter().collect::<Vec<_>>().join(", ");
            let shared_ids: Vec<usize> = match shared {
                Some(_) if star_pending => groups[index[&(EXPORT_TO_ALL, g.host, g.port)]]
                    .entries
                    .iter()
                    .map(|&(_, id)| id)
                    .collect(),
                _ => Vec::new(),
            };
            for id in g.entries.iter().map(|&(_, id)| id).chain(shared_ids) {
                if reported.insert(id) {
                    ctx.report(
                        &IST0177,
                        snap.resource(id),
                        Some("metadata.name".into()),
                        vec![
                            names.clone().into(),
                            g.host.into(),
                            g.port.into(),
                            protocols.clone().into(),
                        ],
                    );
                }
            }
            if uses_star && let Some(s) = everywhere.get_mut(&star_key) {
                s.done = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ConflictingServiceEntryProtocolAnalyzer;
    use crate::analyze::testing::findings;

    fn entry(name: &str, ns: &str, export_to: &str, protocol: &str) -> String {
        format!(
            "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {{name: {name}, namespace: {ns}}}\n\
             spec:\n  hosts: [api.example.com]\n  exportTo: {export_to}\n  \
             ports: [{{number: 443, name: p, protocol: {protocol}}}]\n---\n"
        )
    }

    #[test]
    fn namespace_scopes_see_entries_exported_everywhere() {
        let input = [
            entry("local-https", "a", "['.']", "HTTPS"),
            entry("other-http", "b", "['.']", "HTTP"),
            entry("global-tls", "c", "[]", "tls"),
            entry("global-tls-2", "d", "['*']", "TLS"),
        ]
        .concat();
        let got = findings(&ConflictingServiceEntryProtocolAnalyzer, &input);
        assert_eq!(got.len(), 4, "{got:#?}");
        let line = |name: &str| {
            got.iter()
                .find(|l| l.contains(&format!("(ServiceEntry {name} ")))
                .unwrap_or_else(|| panic!("{name} not reported: {got:#?}"))
        };
        assert!(
            line("a/local-https").ends_with(
                "Multiple ServiceEntries (a/local-https, c/global-tls, d/global-tls-2) define the same \
                 host \"api.example.com\" and port 443 with conflicting protocols (HTTPS, TLS)."
            ),
            "{got:#?}"
        );
        assert!(line("a/local-https").contains("t.yaml:3:"), "{got:#?}");
        assert!(line("b/other-http").contains("(HTTP, TLS)"), "{got:#?}");
        assert!(line("c/global-tls").contains("(HTTPS, TLS)"), "{got:#?}");
    }

    #[test]
    fn equal_protocols_in_any_case_do_not_conflict() {
        let input = [
            entry("one", "a", "[]", "https"),
            entry("two", "b", "[]", "HTTPS"),
            entry("three", "c", "['.']", "HTTP"),
            entry("four", "d", "['.']", "TCP"),
        ]
        .concat();
        let got = findings(&ConflictingServiceEntryProtocolAnalyzer, &input);
        // c and d each conflict with the entries exported everywhere, not with each other.
        assert_eq!(got.len(), 4, "{got:#?}");
        assert!(
            got.iter().all(|l| !l.contains("c/three, d/four")),
            "{got:#?}"
        );
    }
}
