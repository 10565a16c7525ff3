//! Host names as Istio's analyzers resolve them: short names, FQDNs, wildcards and `exportTo`
//! visibility, and the registry of Services and ServiceEntries a destination host resolves to.
//!
//! Everything here is built once per `analyze()` call and answers each query from a hash map or
//! a sorted index, so analyzers stay linear in the size of their input.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use crate::resource::views;
use crate::resource::{Kind, Resource, Selector, Snapshot};

/// The DNS suffix of Kubernetes Services (`svc.` + the cluster domain).
pub const SERVICE_DOMAIN_SUFFIX: &str = "svc.cluster.local";

/// The `exportTo` value that means "every namespace".
pub const EXPORT_TO_ALL: &str = "*";

/// The `exportTo` value that means "the resource's own namespace".
pub const EXPORT_TO_LOCAL: &str = ".";

/// The `gateways` value that binds a VirtualService to sidecars.
pub const MESH_GATEWAY: &str = "mesh";

/// A short name (`reviews`) becomes `reviews.<namespace>.svc.cluster.local`; wildcards and names
/// with a dot are already fully qualified and stay as they are.
pub fn to_fqdn<'a>(namespace: &str, host: &'a str) -> Cow<'a, str> {
    if is_short_name(host) {
        Cow::Owned(format!("{host}.{namespace}.{SERVICE_DOMAIN_SUFFIX}"))
    } else {
        Cow::Borrowed(host)
    }
}

/// True for a host that is neither a wildcard nor dotted.
pub fn is_short_name(host: &str) -> bool {
    !host.starts_with('*') && !host.contains('.')
}

/// Splits `name.namespace.svc.cluster.local` into `(namespace, name)`. The name takes as much as
/// it can, so `a.b.c.svc.cluster.local` is `c`/`a.b`, as Istio's pattern reads it.
pub fn split_service_fqdn(host: &str) -> Option<(&str, &str)> {
    let rest = host
        .strip_suffix(SERVICE_DOMAIN_SUFFIX)?
        .strip_suffix('.')?;
    // The rightmost dot that leaves both sides non-empty.
    rest.char_indices()
        .rev()
        .filter(|&(i, c)| c == '.' && i > 0 && i + 1 < rest.len())
        .map(|(i, _)| (&rest[i + 1..], &rest[..i]))
        .next()
}

/// `(namespace, name)` a host refers to: the parts of a Service FQDN, or the host itself in
/// `default_namespace` for anything else (short names, external names).
pub fn resource_name_from_host<'a>(
    default_namespace: &'a str,
    host: &'a str,
) -> (&'a str, &'a str) {
    split_service_fqdn(host).unwrap_or((default_namespace, host))
}

/// The namespace whose Services `host`, written in a resource of `source_namespace`, names: the
/// resource's own for a short name, the one of a `name.ns.svc.cluster.local` FQDN. `None` for an
/// empty host, a wildcard and any other FQDN (`api.example.com`, `reviews.default`), which only a
/// ServiceEntry makes resolvable.
pub fn service_namespace<'a>(source_namespace: &'a str, host: &'a str) -> Option<&'a str> {
    if host.is_empty() || is_wildcard(host) {
        None
    } else if is_short_name(host) {
        Some(source_namespace)
    } else {
        split_service_fqdn(host).map(|(ns, _)| ns)
    }
}

/// `ns/name`, or `name` without a namespace (how Istio prints a full name).
pub fn full_name(namespace: &str, name: &str) -> String {
    if namespace.is_empty() {
        name.to_string()
    } else {
        format!("{namespace}/{name}")
    }
}

/// True when the host starts with `*`.
pub fn is_wildcard(host: &str) -> bool {
    host.starts_with('*')
}

/// Whether two (possibly wildcarded) host names overlap: equal names, or a wildcard whose suffix
/// covers the other name (`*.com` and `foo.com`), or two wildcards of which one covers the other.
/// The relation is symmetric.
pub fn hosts_match(a: &str, b: &str) -> bool {
    match (is_wildcard(a), is_wildcard(b)) {
        (true, true) => {
            let (shorter, longer) = if a.len() < b.len() { (a, b) } else { (b, a) };
            longer[1..].ends_with(&shorter[1..])
        }
        (true, false) => b.ends_with(&a[1..]),
        (false, true) => a.ends_with(&b[1..]),
        (false, false) => a == b,
    }
}

/// True when an `exportTo` list makes a resource visible everywhere: empty, or containing `*`.
pub fn exports_to_all(export_to: &[String]) -> bool {
    export_to.is_empty() || export_to.iter().any(|e| e == EXPORT_TO_ALL)
}

// ---------------------------------------------------------------------------------------------
// A wildcard-aware index of host names

/// Host names with a value each, answering "which entries overlap this host" (in the sense of
/// [`hosts_match`]) without scanning every entry: exact names by hash, wildcard suffixes by
/// enumerating the suffixes of the query, and "ends with" questions by a sorted index of
/// reversed names.
#[derive(Debug)]
pub struct HostIndex<T> {
    values: Vec<T>,
    /// Non-wildcard names.
    exact: HashMap<String, Vec<usize>>,
    /// Wildcard names by the text after the `*`.
    wild: HashMap<String, Vec<usize>>,
    /// Reversed bytes of non-wildcard names, sorted.
    exact_rev: Vec<(Vec<u8>, usize)>,
    /// Reversed bytes of wildcard suffixes, sorted.
    wild_rev: Vec<(Vec<u8>, usize)>,
}

impl<T> HostIndex<T> {
    /// Indexes `(host, value)` pairs.
    pub fn new<'h>(entries: impl IntoIterator<Item = (&'h str, T)>) -> HostIndex<T> {
        let mut index = HostIndex {
            values: Vec::new(),
            exact: HashMap::new(),
            wild: HashMap::new(),
            exact_rev: Vec::new(),
            wild_rev: Vec::new(),
        };
        for (host, value) in entries {
            let idx = index.values.len();
            index.values.push(value);
            if let Some(suffix) = host.strip_prefix('*') {
                index.wild.entry(suffix.to_string()).or_default().push(idx);
                index.wild_rev.push((suffix.bytes().rev().collect(), idx));
            } else {
                index.exact.entry(host.to_string()).or_default().push(idx);
                index.exact_rev.push((host.bytes().rev().collect(), idx));
            }
        }
        index.exact_rev.sort();
        index.wild_rev.sort();
        index
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Wildcard entries `*x` for every `x` that `s` ends with.
    fn covering_wildcards(&self, s: &str, out: &mut Vec<usize>) {
        for i in (0..=s.len()).filter(|&i| s.is_char_boundary(i)) {
            if let Some(v) = self.wild.get(&s[i..]) {
                out.extend_from_slice(v);
            }
        }
    }

    /// Indexes of the entries overlapping `host`, in insertion order, each once.
    fn matching_indexes(&self, host: &str) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        match host.strip_prefix('*') {
            None => {
                if let Some(v) = self.exact.get(host) {
                    out.extend_from_slice(v);
                }
                self.covering_wildcards(host, &mut out);
            }
            Some(t) => {
                let rev_t: Vec<u8> = t.bytes().rev().collect();
                // Names ending with `t`.
                out.extend(ends_with(&self.exact_rev, &rev_t).map(|(_, i)| *i));
                // Wildcards whose suffix is longer than `t` and ends with it ...
                out.extend(
                    ends_with(&self.wild_rev, &rev_t)
                        .filter(|(r, _)| r.len() > rev_t.len())
                        .map(|(_, i)| *i),
                );
                // ... or no longer than `t`, with `t` ending with it.
                self.covering_wildcards(t, &mut out);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The values of the entries overlapping `host`, in insertion order.
    pub fn matching(&self, host: &str) -> Vec<&T> {
        self.matching_indexes(host)
            .into_iter()
            .map(|i| &self.values[i])
            .collect()
    }

    /// True when some entry overlaps `host`.
    pub fn any_match(&self, host: &str) -> bool {
        !self.matching_indexes(host).is_empty()
    }
}

/// The entries of a sorted reversed-name index whose reversed name starts with `prefix`.
fn ends_with<'a>(
    sorted: &'a [(Vec<u8>, usize)],
    prefix: &'a [u8],
) -> impl Iterator<Item = &'a (Vec<u8>, usize)> {
    let start = sorted.partition_point(|(r, _)| r.as_slice() < prefix);
    sorted[start..]
        .iter()
        .take_while(move |(r, _)| r.starts_with(prefix))
}

// ---------------------------------------------------------------------------------------------
// Services and ServiceEntries by scoped host

/// Something a destination host can resolve to: a ServiceEntry, or a Service seen as one.
#[derive(Debug)]
pub struct HostTarget<'a> {
    pub resource: &'a Resource,
    /// Port numbers in declaration order (ServiceEntry `number`, Service `port`; 0 when absent).
    pub ports: Vec<i64>,
    /// A ServiceEntry's `workloadSelector.labels`; empty for Services.
    pub workload_selector: Selector,
}

/// Every ServiceEntry host and Service FQDN, keyed by the namespace that can see it (`*` for
/// all), as Istio's analyzers index them. A later entry for the same key replaces an earlier one,
/// and Services are indexed after ServiceEntries.
#[derive(Debug, Default)]
pub struct ServiceRegistry<'a> {
    targets: Vec<HostTarget<'a>>,
    /// `(scope, fqdn)` → target.
    exact: HashMap<(String, String), usize>,
    /// Wildcard hosts: `(scope, text after '*')` → target.
    wildcard: HashMap<(String, String), usize>,
    /// The namespaces the input holds Services of: those of its Services, and those whose
    /// `svc.cluster.local` domain a ServiceEntry host lies in.
    service_namespaces: HashSet<String>,
}

impl<'a> ServiceRegistry<'a> {
    pub fn build(snapshot: &'a Snapshot) -> ServiceRegistry<'a> {
        let mut reg = ServiceRegistry::default();
        for se in snapshot
            .of_kind(Kind::ServiceEntry)
            .filter_map(views::ServiceEntry::of)
        {
            let ns = se.namespace.as_str();
            let export_to = se.export_to();
            let target = reg.push(HostTarget {
                resource: se.resource(),
                ports: se.ports().map(|p| p.number().unwrap_or(0)).collect(),
                workload_selector: se.workload_selector(),
            });
            // Once `*` has been seen, later hosts are only indexed for all namespaces.
            let mut to_all = false;
            for host in se.hosts() {
                let fqdn = to_fqdn(ns, host);
                if let Some((host_ns, _)) = split_service_fqdn(&fqdn) {
                    reg.service_namespaces.insert(host_ns.to_string());
                }
                if export_to.is_empty() || to_all {
                    reg.index(EXPORT_TO_ALL, &fqdn, target);
                    continue;
                }
                for e in &export_to {
                    match e.as_str() {
                        EXPORT_TO_ALL => {
                            reg.index(EXPORT_TO_ALL, &fqdn, target);
                            to_all = true;
                            break;
                        }
                        EXPORT_TO_LOCAL => reg.index(ns, &fqdn, target),
                        other => reg.index(other, &fqdn, target),
                    }
                }
            }
        }
        for svc in snapshot
            .of_kind(Kind::Service)
            .filter_map(views::Service::of)
        {
            let ns = svc.namespace.as_str();
            reg.service_namespaces.insert(ns.to_string());
            let target = reg.push(HostTarget {
                resource: svc.resource(),
                ports: svc.ports().map(|p| p.port().unwrap_or(0)).collect(),
                workload_selector: Selector::default(),
            });
            let fqdn = to_fqdn(ns, &svc.name).into_owned();
            let export_to = svc.export_to();
            if export_to.is_empty() {
                reg.index(EXPORT_TO_ALL, &fqdn, target);
            }
            for e in &export_to {
                let scope = if e == EXPORT_TO_LOCAL { ns } else { e.as_str() };
                reg.index(scope, &fqdn, target);
            }
        }
        reg
    }

    /// Whether the input holds some Service of `namespace` (see [`service_namespace`]): a
    /// Service of it, or a ServiceEntry host in its `svc.cluster.local` domain, whatever their
    /// `exportTo`.
    pub fn holds_services_of(&self, namespace: &str) -> bool {
        self.service_namespaces.contains(namespace)
    }

    fn push(&mut self, t: HostTarget<'a>) -> usize {
        self.targets.push(t);
        self.targets.len() - 1
    }

    fn index(&mut self, scope: &str, fqdn: &str, target: usize) {
        if let Some(suffix) = fqdn.strip_prefix('*') {
            self.wildcard
                .insert((scope.to_string(), suffix.to_string()), target);
        }
        self.exact
            .insert((scope.to_string(), fqdn.to_string()), target);
    }

    fn exact_lookup(&self, scope: &str, fqdn: &str) -> Option<&HostTarget<'a>> {
        self.exact
            .get(&(scope.to_string(), fqdn.to_string()))
            .map(|&i| &self.targets[i])
    }

    /// What `host`, written in a resource of `source_ns` with `export_to`, resolves to:
    /// a host visible to all namespaces; else one scoped to the source namespace (or, when the
    /// resource has an `exportTo`, to one of its entries); else a wildcard host visible to all or
    /// to the source namespace whose suffix the host ends with (the longest such suffix wins).
    pub fn resolve(
        &self,
        source_ns: &str,
        export_to: &[String],
        host: &str,
    ) -> Option<&HostTarget<'a>> {
        let fqdn = to_fqdn(source_ns, host);
        if let Some(t) = self.exact_lookup(EXPORT_TO_ALL, &fqdn) {
            return Some(t);
        }
        let scopes: Vec<&str> = if export_to.is_empty() {
            vec![source_ns]
        } else {
            export_to
                .iter()
                .map(|e| {
                    if e == EXPORT_TO_LOCAL {
                        source_ns
                    } else {
                        e.as_str()
                    }
                })
                .collect()
        };
        if let Some(t) = scopes
            .into_iter()
            .find_map(|scope| self.exact_lookup(scope, &fqdn))
        {
            return Some(t);
        }
        if self.wildcard.is_empty() {
            return None;
        }
        let bare = host.strip_prefix('*').unwrap_or(host);
        for i in (0..=bare.len()).filter(|&i| bare.is_char_boundary(i)) {
            let suffix = &bare[i..];
            for scope in [EXPORT_TO_ALL, source_ns] {
                if let Some(&t) = self.wildcard.get(&(scope.to_string(), suffix.to_string())) {
                    return Some(&self.targets[t]);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::{LoadOptions, SourceText, parse_source};

    #[test]
    fn short_names_become_service_fqdns() {
        assert_eq!(
            to_fqdn("default", "reviews"),
            "reviews.default.svc.cluster.local"
        );
        assert_eq!(to_fqdn("default", "reviews.other"), "reviews.other");
        assert_eq!(to_fqdn("default", "*"), "*");
        assert_eq!(to_fqdn("", "x"), "x..svc.cluster.local");
    }

    #[test]
    fn service_fqdns_split_greedily() {
        assert_eq!(
            split_service_fqdn("reviews.default.svc.cluster.local"),
            Some(("default", "reviews"))
        );
        assert_eq!(
            split_service_fqdn("a.b.c.svc.cluster.local"),
            Some(("c", "a.b"))
        );
        assert_eq!(
            split_service_fqdn("a.b..svc.cluster.local"),
            Some(("b.", "a"))
        );
        assert_eq!(split_service_fqdn("reviews.svc.cluster.local"), None);
        assert_eq!(split_service_fqdn("example.com"), None);
        assert_eq!(
            resource_name_from_host("ns", "example.com"),
            ("ns", "example.com")
        );
        assert_eq!(
            resource_name_from_host("ns", "r.x.svc.cluster.local"),
            ("x", "r")
        );
    }

    #[test]
    fn hosts_name_the_namespace_of_their_service() {
        assert_eq!(service_namespace("shop", "web"), Some("shop"));
        assert_eq!(
            service_namespace("shop", "web.front.svc.cluster.local"),
            Some("front")
        );
        for host in [
            "",
            "*",
            "*.shop.svc.cluster.local",
            "api.example.com",
            "web.front",
        ] {
            assert_eq!(service_namespace("shop", host), None, "{host:?}");
        }
    }

    #[test]
    fn wildcard_matching_is_symmetric() {
        let cases = [
            ("foo.com", "foo.com", true),
            ("foo.com", "bar.com", false),
            ("*.com", "foo.com", true),
            ("bar.com", "*.com", true),
            ("*.foo.com", "foo.com", false),
            ("*", "foo.com", true),
            ("*", "*.com", true),
            ("*.a.com", "*.com", true),
            ("*.a.com", "*.b.com", false),
        ];
        for (a, b, want) in cases {
            assert_eq!(hosts_match(a, b), want, "{a} vs {b}");
            assert_eq!(hosts_match(b, a), want, "{b} vs {a}");
        }
    }

    #[test]
    fn host_index_agrees_with_pairwise_matching() {
        let hosts = [
            "foo.com",
            "a.foo.com",
            "*.foo.com",
            "*.com",
            "*",
            "bar.org",
            "*.b.bar.org",
            "*oo.com",
            "",
        ];
        let queries = [
            "foo.com",
            "x.a.foo.com",
            "*.foo.com",
            "*.a.foo.com",
            "*",
            "*.org",
            "bar.org",
            "*.com",
            "zzz",
            "",
            "*oo.com",
            "*o.com",
        ];
        let index = HostIndex::new(hosts.iter().enumerate().map(|(i, h)| (*h, i)));
        for q in queries {
            let got: Vec<usize> = index.matching(q).into_iter().copied().collect();
            let want: Vec<usize> = (0..hosts.len())
                .filter(|&i| hosts_match(hosts[i], q))
                .collect();
            assert_eq!(got, want, "query {q:?}");
        }
    }

    const REGISTRY: &str = "\
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext, namespace: a}
spec:
  hosts: [ext.example.com]
  ports: [{number: 443, name: https}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: local, namespace: b}
spec:
  exportTo: ['.', c]
  hosts: [local.example.com, '*.wild.example.com']
---
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: a
  annotations: {networking.istio.io/exportTo: 'x, .'}
spec:
  ports: [{port: 80}, {port: 9080}]
---
apiVersion: v1
kind: Service
metadata: {name: ratings, namespace: a}
spec:
  ports: [{port: 80}]
";

    #[test]
    fn registry_resolves_with_export_scopes() {
        let (res, _) = parse_source(
            &SourceText::new("t.yaml", REGISTRY),
            &LoadOptions::default(),
        );
        let snap = Snapshot::new(res, false);
        let reg = ServiceRegistry::build(&snap);
        let name = |ns: &str, exp: &[&str], host: &str| {
            let exp: Vec<String> = exp.iter().map(|s| s.to_string()).collect();
            reg.resolve(ns, &exp, host).map(|t| t.resource.name.clone())
        };
        assert_eq!(name("z", &[], "ext.example.com").as_deref(), Some("ext"));
        assert_eq!(
            reg.resolve("z", &[], "ext.example.com").unwrap().ports,
            vec![443]
        );
        assert_eq!(
            name("b", &[], "local.example.com").as_deref(),
            Some("local")
        );
        assert_eq!(
            name("c", &[], "local.example.com").as_deref(),
            Some("local")
        );
        assert_eq!(name("z", &[], "local.example.com"), None);
        // A resource's own exportTo decides which scopes it looks in.
        assert_eq!(
            name("z", &["c"], "local.example.com").as_deref(),
            Some("local")
        );
        assert_eq!(name("b", &["z"], "local.example.com"), None);
        // Wildcard hosts by the source namespace (or `*`) only, not by the resource's exportTo.
        assert_eq!(
            name("b", &[], "x.wild.example.com").as_deref(),
            Some("local")
        );
        assert_eq!(
            name("c", &[], "x.wild.example.com").as_deref(),
            Some("local")
        );
        assert_eq!(name("z", &["c"], "x.wild.example.com"), None);
        // Services: short names in their namespace, FQDNs anywhere they are exported.
        assert_eq!(name("a", &[], "reviews").as_deref(), Some("reviews"));
        assert_eq!(
            name("x", &[], "reviews.a.svc.cluster.local").as_deref(),
            Some("reviews")
        );
        assert_eq!(name("y", &[], "reviews.a.svc.cluster.local"), None);
        assert_eq!(
            name("y", &[], "ratings.a.svc.cluster.local").as_deref(),
            Some("ratings")
        );
        assert_eq!(name("y", &[], "ratings"), None);
        // Services of `a`; ServiceEntry hosts of no Service domain name no namespace.
        assert!(reg.holds_services_of("a"));
        assert!(!reg.holds_services_of("b") && !reg.holds_services_of("x"));
    }
}
