//! An indexed, read-only set of resources. Analyzers ask it for resources by kind, namespace,
//! name and label selector; every query is answered from an index, so no analyzer has to scan
//! the whole input for each resource it checks.

use std::collections::BTreeSet;

use foldhash::HashMap;

use super::{Kind, Labels, Resource, Selector};

/// A workload instance: a Pod, or the pod template of a controller (Deployment, StatefulSet,
/// DaemonSet, ReplicaSet, Job, CronJob) standing in for the pods it would create.
#[derive(Debug)]
pub struct Workload {
    /// Index of the Pod or controller in the snapshot.
    pub resource: usize,
    pub namespace: String,
    pub labels: Labels,
    /// True for a real Pod object; false for an instance derived from a pod template.
    pub is_pod: bool,
    /// `spec.nodeName` of a Pod.
    pub node_name: Option<String>,
}

/// Services of one namespace keyed by the first `key=value` pair of their selector.
type ServicesByPair = HashMap<(String, String), Vec<(usize, Selector)>>;

#[derive(Default)]
pub struct Snapshot {
    resources: Vec<Resource>,
    by_kind: HashMap<Kind, Vec<usize>>,
    by_kind_ns: HashMap<(Kind, String), Vec<usize>>,
    by_name: HashMap<(Kind, String, String), usize>,
    workloads: Vec<Workload>,
    workloads_by_ns: HashMap<String, Vec<usize>>,
    workloads_by_label: HashMap<(String, String), Vec<usize>>,
    /// The namespaces of the workloads that carry a label key, by key.
    workload_label_keys: HashMap<String, BTreeSet<String>>,
    /// Services by namespace, then by the first pair of their selector (with the parsed selector).
    services_by_first_pair: HashMap<String, ServicesByPair>,
    /// Services without a selector, by namespace: they match every workload there.
    services_without_selector: HashMap<String, Vec<usize>>,
}

/// Snapshots of at least this many resources are freed on a thread of their own (or, in a
/// process about to end, not at all: [`leave_large_snapshots_to_exit`]).
const FREE_APART_FROM: usize = 10_000;

static LEAVE_TO_EXIT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// For a command that ends the process once it is done (`meshdeck analyze`): from then on a
/// large snapshot is not freed when dropped; the system takes its memory back at exit, at once,
/// instead of millions of nodes being freed one by one. A caller that lives on (a library user,
/// the tests, `install`'s own analysis) never calls it, and nothing but memory is held: a
/// snapshot owns no files, locks or buffered output.
pub fn leave_large_snapshots_to_exit() {
    LEAVE_TO_EXIT.store(true, std::sync::atomic::Ordering::Relaxed);
}

impl Drop for Snapshot {
    /// Freeing the trees of a large input is a sizeable share of a run (every scalar and key
    /// is an allocation of its own), and at the end of a command nothing waits for it. So a
    /// large snapshot is freed on a thread of its own while the command goes on to print its
    /// report; a process that ends first leaves the memory to the system, as it would anyway.
    fn drop(&mut self) {
        if self.resources.len() < FREE_APART_FROM {
            return;
        }
        if LEAVE_TO_EXIT.load(std::sync::atomic::Ordering::Relaxed) {
            std::mem::forget(std::mem::take(self));
            return;
        }
        let parts = (
            std::mem::take(&mut self.resources),
            std::mem::take(&mut self.by_kind_ns),
            std::mem::take(&mut self.by_name),
            std::mem::take(&mut self.workloads),
            std::mem::take(&mut self.workloads_by_label),
            std::mem::take(&mut self.services_by_first_pair),
        );
        // Should the thread not start, the closure (and with it `parts`) is dropped here.
        let _ = std::thread::Builder::new()
            .name("meshdeck-free".into())
            .spawn(move || drop(parts));
    }
}

impl Snapshot {
    /// Indexes `resources`. With `derive_workloads`, controllers' pod templates count as
    /// workload instances next to Pods, so selector checks work on plain manifests.
    /// Of two resources with the same kind, namespace and name the first one wins.
    pub fn new(resources: Vec<Resource>, derive_workloads: bool) -> Snapshot {
        let mut snap = Snapshot::default();
        // At its size from the start: growing it would copy every resource and, at the peak,
        // hold the input's list, the old list and the new one at once.
        snap.resources.reserve_exact(resources.len());
        for mut r in resources {
            let key = (r.kind, r.namespace.clone(), r.name.clone());
            if snap.by_name.contains_key(&key) {
                continue;
            }
            let idx = snap.resources.len();
            r.id = idx;
            snap.by_name.insert(key, idx);
            snap.by_kind.entry(r.kind).or_default().push(idx);
            snap.by_kind_ns
                .entry((r.kind, r.namespace.clone()))
                .or_default()
                .push(idx);
            if r.kind == Kind::Pod || (derive_workloads && r.kind.is_workload()) {
                snap.add_workload(idx, &r);
            }
            if r.kind == Kind::Service {
                snap.add_service(idx, &r);
            }
            snap.resources.push(r);
        }
        snap
    }

    fn add_workload(&mut self, idx: usize, r: &Resource) {
        let (labels, node_name) = match r.kind {
            Kind::Pod => (
                r.labels.clone(),
                r.spec()
                    .path(&["nodeName"])
                    .scalar_text()
                    .map(str::to_string),
            ),
            _ => {
                let template = pod_template(r);
                let labels = template
                    .path(&["metadata", "labels"])
                    .string_map()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                (labels, None)
            }
        };
        let w = self.workloads.len();
        self.workloads_by_ns
            .entry(r.namespace.clone())
            .or_default()
            .push(w);
        for k in labels.keys() {
            let namespaces = match self.workload_label_keys.get_mut(k) {
                Some(namespaces) => namespaces,
                None => self.workload_label_keys.entry(k.clone()).or_default(),
            };
            if !namespaces.contains(&r.namespace) {
                namespaces.insert(r.namespace.clone());
            }
        }
        for (k, v) in &labels {
            self.workloads_by_label
                .entry((k.clone(), v.clone()))
                .or_default()
                .push(w);
        }
        self.workloads.push(Workload {
            resource: idx,
            namespace: r.namespace.clone(),
            labels,
            is_pod: r.kind == Kind::Pod,
            node_name,
        });
    }

    fn add_service(&mut self, idx: usize, r: &Resource) {
        let selector = Selector::from_node(r.spec().path(&["selector"]));
        match selector.pairs().first().cloned() {
            None => self
                .services_without_selector
                .entry(r.namespace.clone())
                .or_default()
                .push(idx),
            Some(first) => self
                .services_by_first_pair
                .entry(r.namespace.clone())
                .or_default()
                .entry(first)
                .or_default()
                .push((idx, selector)),
        }
    }

    /// Services in `namespace` whose selector matches `labels` (a Service without a selector
    /// matches every workload, as istioctl counts it). Answered from an index: each label of the
    /// workload leads to the Services whose selector starts with it.
    pub fn services_selecting<'a>(
        &'a self,
        namespace: &str,
        labels: &'a Labels,
    ) -> impl Iterator<Item = &'a Resource> + 'a {
        let without = self
            .services_without_selector
            .get(namespace)
            .map(|v| v.as_slice())
            .unwrap_or(&[]);
        let by_pair = self.services_by_first_pair.get(namespace);
        let with = labels.iter().flat_map(move |(k, v)| {
            by_pair
                .and_then(|m| m.get(&(k.clone(), v.clone())))
                .map(|v| v.as_slice())
                .unwrap_or(&[])
                .iter()
                .filter(|(_, sel)| sel.matches(labels))
                .map(|(i, _)| *i)
        });
        without
            .iter()
            .copied()
            .chain(with)
            .map(|i| &self.resources[i])
    }

    pub fn len(&self) -> usize {
        self.resources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    pub fn resource(&self, idx: usize) -> &Resource {
        &self.resources[idx]
    }

    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    /// Every resource of a kind, in input order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Resource> {
        self.by_kind
            .get(&kind)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
            .iter()
            .map(|&i| &self.resources[i])
    }

    /// Resources of a kind in one namespace.
    pub fn in_namespace(&self, kind: Kind, namespace: &str) -> impl Iterator<Item = &Resource> {
        self.by_kind_ns
            .get(&(kind, namespace.to_string()))
            .map(|v| v.as_slice())
            .unwrap_or(&[])
            .iter()
            .map(|&i| &self.resources[i])
    }

    pub fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Resource> {
        self.by_name
            .get(&(kind, namespace.to_string(), name.to_string()))
            .map(|&i| &self.resources[i])
    }

    pub fn has_kind(&self, kind: Kind) -> bool {
        self.by_kind.contains_key(&kind)
    }

    /// All workload instances (Pods, and derived ones when enabled).
    pub fn workloads(&self) -> &[Workload] {
        &self.workloads
    }

    /// Workload instances whose labels match `selector`, optionally in one namespace.
    /// An empty selector matches every instance. With `pods_only`, derived instances are left out.
    pub fn workloads_matching<'a>(
        &'a self,
        selector: &'a Selector,
        namespace: Option<&'a str>,
        pods_only: bool,
    ) -> impl Iterator<Item = &'a Workload> + 'a {
        let candidates: &[usize] = if let Some((k, v)) = self.rarest_pair(selector) {
            self.workloads_by_label
                .get(&(k.to_string(), v.to_string()))
                .map(|v| v.as_slice())
                .unwrap_or(&[])
        } else if let Some(ns) = namespace {
            self.workloads_by_ns
                .get(ns)
                .map(|v| v.as_slice())
                .unwrap_or(&[])
        } else {
            &[]
        };
        let everything = selector.is_empty() && namespace.is_none();
        let all = 0..if everything { self.workloads.len() } else { 0 };
        candidates
            .iter()
            .copied()
            .chain(all)
            .map(|i| &self.workloads[i])
            .filter(move |w| {
                (!pods_only || w.is_pod)
                    && namespace.is_none_or(|ns| w.namespace == ns)
                    && selector.matches(&w.labels)
            })
    }

    /// The selector pair with the shortest posting list: candidates come from it alone.
    fn rarest_pair<'s>(&self, selector: &'s Selector) -> Option<(&'s str, &'s str)> {
        selector
            .pairs()
            .iter()
            .min_by_key(|(k, v)| {
                self.workloads_by_label
                    .get(&(k.clone(), v.clone()))
                    .map_or(0, |p| p.len())
            })
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// True when the input holds no workload instance at all.
    /// Whether some workload (in `namespace`, when given) carries one of the label `keys`;
    /// with no keys, whether there is any workload (there). Answered from an index.
    pub fn has_workload_with_label_key<'k>(
        &self,
        namespace: Option<&str>,
        mut keys: impl Iterator<Item = &'k str>,
    ) -> bool {
        let mut any_key = false;
        let found = keys.any(|k| {
            any_key = true;
            self.workload_label_keys
                .get(k)
                .is_some_and(|namespaces| namespace.is_none_or(|ns| namespaces.contains(ns)))
        });
        if any_key {
            return found;
        }
        match namespace {
            None => !self.workloads.is_empty(),
            Some(ns) => self.workloads_by_ns.get(ns).is_some_and(|w| !w.is_empty()),
        }
    }

    pub fn has_workloads(&self) -> bool {
        !self.workloads.is_empty()
    }

    /// Every namespace that a resource lives in (Namespace objects count with their own name).
    pub fn namespaces(&self) -> BTreeSet<&str> {
        let mut set: BTreeSet<&str> = self
            .by_kind_ns
            .keys()
            .map(|(_, ns)| ns.as_str())
            .filter(|ns| !ns.is_empty())
            .collect();
        set.extend(self.of_kind(Kind::Namespace).map(|n| n.name.as_str()));
        set
    }
}

/// The pod template of a workload controller (a Pod is its own template).
pub fn pod_template(r: &Resource) -> &super::Node {
    match r.kind {
        Kind::Pod => &r.doc,
        Kind::CronJob => r.doc.path(&["spec", "jobTemplate", "spec", "template"]),
        _ => r.doc.path(&["spec", "template"]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::{LoadOptions, SourceText, parse_source};

    fn snap(text: &str, derive: bool) -> Snapshot {
        let (res, _) = parse_source(&SourceText::new("t.yaml", text), &LoadOptions::default());
        Snapshot::new(res, derive)
    }

    const INPUT: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p1, namespace: a, labels: {app: x, v: '1'}}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: b}\nspec:\n  template:\n    metadata:\n      labels: {app: x, v: '2'}\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c, namespace: b}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          labels: {app: cron}\n";

    #[test]
    fn label_key_look_ups_agree_with_a_scan() {
        let s = snap(INPUT, true);
        let scan = |ns: Option<&str>, keys: &[&str]| {
            s.workloads().iter().any(|w| {
                ns.is_none_or(|n| w.namespace == n)
                    && (keys.is_empty() || keys.iter().any(|k| w.labels.contains_key(*k)))
            })
        };
        for ns in [None, Some("a"), Some("b"), Some("c")] {
            for keys in [&[][..], &["app"], &["v"], &["istio"], &["istio", "v"]] {
                assert_eq!(
                    s.has_workload_with_label_key(ns, keys.iter().copied()),
                    scan(ns, keys),
                    "{ns:?} {keys:?}"
                );
            }
        }
        assert!(!snap(INPUT, false).has_workload_with_label_key(Some("b"), ["app"].into_iter()));
    }

    #[test]
    fn selector_queries_use_indexes() {
        let s = snap(INPUT, true);
        let app_x = Selector::from_pairs([("app", "x")]);
        assert_eq!(s.workloads_matching(&app_x, None, false).count(), 2);
        assert_eq!(s.workloads_matching(&app_x, Some("b"), false).count(), 1);
        assert_eq!(s.workloads_matching(&app_x, None, true).count(), 1);
        let both = Selector::from_pairs([("app", "x"), ("v", "2")]);
        assert_eq!(s.workloads_matching(&both, None, false).count(), 1);
        let cron = Selector::from_pairs([("app", "cron")]);
        assert_eq!(s.workloads_matching(&cron, Some("b"), false).count(), 1);
        assert_eq!(
            s.workloads_matching(&Selector::default(), None, false)
                .count(),
            3
        );
        assert_eq!(
            s.workloads_matching(&Selector::default(), Some("b"), false)
                .count(),
            2
        );
        assert!(s.get(Kind::Deployment, "b", "d").is_some());
        let svc = "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: b}\nspec:\n  selector: {app: x}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: all, namespace: b}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: other, namespace: b}\nspec:\n  selector: {app: x, v: '1'}\n";
        let s2 = snap(&format!("{INPUT}---\n{svc}"), true);
        let d = s2
            .workloads()
            .iter()
            .find(|w| w.namespace == "b" && w.labels.get("app").is_some_and(|a| a == "x"))
            .unwrap();
        let mut names: Vec<&str> = s2
            .services_selecting("b", &d.labels)
            .map(|r| r.name.as_str())
            .collect();
        names.sort();
        assert_eq!(names, vec!["all", "s"]);
        assert_eq!(
            s.namespaces().into_iter().collect::<Vec<_>>(),
            vec!["a", "b"]
        );
    }

    #[test]
    fn without_derivation_only_pods_are_workloads() {
        let s = snap(INPUT, false);
        assert_eq!(s.workloads().len(), 1);
    }
}
