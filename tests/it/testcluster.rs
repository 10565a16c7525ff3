//! The shared helper for tests against a real API server (`scripts/test-cluster` starts one and
//! sets `MESHDECK_TEST_KUBECONFIG`; any other cluster works the same way). Each test gets its own
//! namespace; Istio's CRDs are loaded once; Deployments and Pods can be marked ready through the
//! status subresource, since there is no kubelet or controller manager.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use kube::Client;
use kube::api::{Patch, PatchParams};
use meshdeck::kube::{ApplyOptions, ConnectOptions, Kube, ObjectRef, Propagation, Resolved};
use meshdeck::resource::{json, node};
use serde_json::Value as Json;
use tokio::runtime::Runtime;

use crate::common::shared_dir;

pub const IGNORE_REASON: &str =
    "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG";

/// The admin kubeconfig of the test cluster, if one is configured.
pub fn kubeconfig_path() -> Option<PathBuf> {
    std::env::var_os("MESHDECK_TEST_KUBECONFIG")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

pub struct TestCluster {
    pub kubeconfig: PathBuf,
    restricted_kubeconfig: Option<PathBuf>,
    rt: Runtime,
    kube: Kube,
}

/// Serializes tests that analyze the whole cluster, so one test's objects do not show in
/// another's results.
pub fn exclusive() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Connects to the test cluster. Panics (with the way to fix it) when none is configured: tests
/// that call this are `#[ignore]`d unless a cluster is there.
pub fn cluster() -> TestCluster {
    let kubeconfig = kubeconfig_path().unwrap_or_else(|| panic!("{IGNORE_REASON}"));
    let restricted_kubeconfig =
        std::env::var_os("MESHDECK_TEST_RESTRICTED_KUBECONFIG").map(PathBuf::from);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let kube = rt
        .block_on(meshdeck::kube::connect(&ConnectOptions {
            kubeconfig: Some(kubeconfig.clone()),
            ..Default::default()
        }))
        .unwrap_or_else(|e| panic!("a client for the test cluster: {e}"));
    TestCluster {
        kubeconfig,
        restricted_kubeconfig,
        rt,
        kube,
    }
}

/// Drops keys the 1.20 API server cannot hold (CEL validation rules), wherever they are.
fn strip_unsupported(v: &mut Json) {
    match v {
        Json::Object(map) => {
            map.remove("x-kubernetes-validations");
            map.values_mut().for_each(strip_unsupported);
        }
        Json::Array(items) => items.iter_mut().for_each(strip_unsupported),
        _ => {}
    }
}

/// Server-side apply on 1.20 rejects list entries that omit a key field even where the API
/// defaults it (kubernetes#103278-style): fill in `protocol: TCP` on ports, as the server would.
fn default_port_protocols(v: &mut Json) {
    match v {
        Json::Object(map) => {
            if let Some(Json::Array(ports)) = map.get_mut("ports") {
                for p in ports.iter_mut().filter_map(Json::as_object_mut) {
                    if (p.contains_key("port") || p.contains_key("containerPort"))
                        && !p.contains_key("protocol")
                    {
                        p.insert("protocol".into(), Json::String("TCP".into()));
                    }
                }
            }
            map.values_mut().for_each(default_port_protocols);
        }
        Json::Array(items) => items.iter_mut().for_each(default_port_protocols),
        _ => {}
    }
}

/// Parses a multi-document manifest into JSON objects.
pub fn documents(text: &str) -> Vec<Json> {
    node::parse_documents(text, 0)
        .expect("test manifests parse")
        .iter()
        .filter(|doc| doc.is_map())
        .map(json::to_json)
        .collect()
}

/// A namespace of one test (and a sibling for its ingress), with everything applied into it.
pub struct TestNamespace<'c> {
    cluster: &'c TestCluster,
    pub name: String,
    applied: Mutex<Vec<ObjectRef>>,
}

impl TestCluster {
    /// Waits (up to two minutes) while the CRD `name` exists, or with `until_absent` false
    /// only while it is terminating; whether the wait ended in time.
    fn wait_crd(&self, name: &str, until_absent: bool) -> bool {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        loop {
            let Ok(obj) = self.block_on(self.kube().object(
                "apiextensions.k8s.io/v1",
                "CustomResourceDefinition",
                None,
                name,
            )) else {
                return false;
            };
            let Ok(live) = self.block_on(self.kube().get(&obj)) else {
                return false;
            };
            let waiting = match live {
                None => false,
                Some(crd) => {
                    if crd.metadata.deletion_timestamp.is_some() {
                        self.release_custom_resources(&crd);
                    }
                    until_absent || crd.metadata.deletion_timestamp.is_some()
                }
            };
            if !waiting {
                return true;
            }
            if std::time::Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
    }

    /// A CRD being deleted waits until its custom resources are gone; those deleted with
    /// foreground propagation keep the `foregroundDeletion` finalizer forever here (no garbage
    /// collector runs), and so would the CRD. Clears the finalizers of what is left, as the
    /// garbage collector would once their dependents were gone. Best effort.
    fn release_custom_resources(&self, crd: &kube::api::DynamicObject) {
        use kube::api::{Api, DynamicObject, Patch, PatchParams};
        let spec = &crd.data["spec"];
        let (Some(group), Some(kind), Some(plural)) = (
            spec["group"].as_str(),
            spec["names"]["kind"].as_str(),
            spec["names"]["plural"].as_str(),
        ) else {
            return;
        };
        let Some(version) = spec["versions"]
            .as_array()
            .and_then(|v| v.iter().find(|v| v["served"] == true))
            .and_then(|v| v["name"].as_str())
        else {
            return;
        };
        let resource = kube::discovery::ApiResource {
            group: group.to_string(),
            version: version.to_string(),
            api_version: format!("{group}/{version}"),
            kind: kind.to_string(),
            plural: plural.to_string(),
        };
        let all: Api<DynamicObject> = Api::all_with(self.client(), &resource);
        let Ok(left) = self.block_on(all.list(&Default::default())) else {
            return;
        };
        let clear = serde_json::json!({"metadata": {"finalizers": null}});
        for obj in left.items {
            let (Some(name), ns) = (obj.metadata.name.clone(), obj.metadata.namespace.clone())
            else {
                continue;
            };
            if obj
                .metadata
                .finalizers
                .as_ref()
                .is_none_or(|f| f.is_empty())
            {
                continue;
            }
            let api: Api<DynamicObject> = match &ns {
                Some(ns) => Api::namespaced_with(self.client(), ns, &resource),
                None => Api::all_with(self.client(), &resource),
            };
            let _ = self.block_on(api.patch(&name, &PatchParams::default(), &Patch::Merge(&clear)));
        }
    }

    /// Before loading a CRD another test may have just deleted: applying to one that is still
    /// terminating succeeds, and then its deletion takes the new objects with it.
    pub fn wait_crd_not_terminating(&self, name: &str) {
        assert!(
            self.wait_crd(name, false),
            "CRD {name} is still terminating after 2 minutes"
        );
    }

    /// After deleting a CRD, so that the next test loads a fresh one. Does not panic (it runs
    /// in `Drop`, also while a failed test unwinds); the next load waits again.
    pub fn wait_crd_gone(&self, name: &str) {
        let _ = self.wait_crd(name, true);
    }

    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    /// The kubeconfig of the user without grants (for RBAC tests).
    pub fn restricted(&self) -> PathBuf {
        self.restricted_kubeconfig
            .clone()
            .expect("MESHDECK_TEST_RESTRICTED_KUBECONFIG names the restricted user's kubeconfig")
    }

    pub fn client(&self) -> Client {
        self.kube.client().clone()
    }

    /// The kube layer's client for the admin user.
    pub fn kube(&self) -> &Kube {
        &self.kube
    }

    /// The served resource of a kind, waiting a moment for a CRD just created to be served.
    pub fn resource(&self, api_version: &str, kind: &str) -> Resolved {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match self.block_on(self.kube.find(api_version, kind)) {
                Ok(Some(found)) if found.fallback_from.is_none() => return found,
                other if Instant::now() >= deadline => {
                    panic!("the cluster does not serve {api_version} {kind}: {other:?}")
                }
                _ => {
                    std::thread::sleep(Duration::from_millis(250));
                    // A CRD just created can be served at one version before the others: ask
                    // the server again rather than answer from what the cache found then.
                    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
                    let _ = self.block_on(self.kube.discover(&[group]));
                }
            }
        }
    }

    /// Server-side applies one object (as field manager `meshdeck-tests`, forcing conflicts);
    /// returns what to delete it with.
    fn apply(&self, mut obj: Json) -> ObjectRef {
        strip_unsupported(&mut obj);
        default_port_protocols(&mut obj);
        let api_version = obj["apiVersion"].as_str().unwrap().to_string();
        let kind = obj["kind"].as_str().unwrap().to_string();
        // Wait until the kind is served (objects of a CRD applied just before).
        self.resource(&api_version, &kind);
        let opts = ApplyOptions {
            force: true,
            field_manager: "meshdeck-tests".into(),
            namespace: Some("default".into()),
            ..Default::default()
        };
        self.block_on(self.kube.apply(&obj, &opts))
            .unwrap_or_else(|e| panic!("apply {kind}: {e}"))
            .object
    }

    /// Loads Istio's CRDs (from ../shared/istio-release) once per test process.
    pub fn load_istio_crds(&self) {
        static LOADED: OnceLock<()> = OnceLock::new();
        static LOADING: Mutex<()> = Mutex::new(());
        let _guard = LOADING.lock().unwrap_or_else(|e| e.into_inner());
        if LOADED.get().is_some() {
            return;
        }
        let path =
            shared_dir().join("istio-release/1.30.3/manifests/charts/base/files/crd-all.gen.yaml");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let crds = documents(&text);
        assert!(
            crds.len() >= 14,
            "Istio ships at least 14 CRDs, found {}",
            crds.len()
        );
        for crd in crds {
            self.apply(crd);
        }
        // Wait until the kinds are served.
        self.resource("networking.istio.io/v1", "Gateway");
        self.resource("security.istio.io/v1", "AuthorizationPolicy");
        let _ = LOADED.set(());
    }

    /// A fresh namespace `mdk-<prefix>-<random>`.
    pub fn namespace(&self, prefix: &str) -> TestNamespace<'_> {
        let name = format!("mdk-{prefix}-{}", rand_suffix());
        let ns = TestNamespace {
            cluster: self,
            name: name.clone(),
            applied: Mutex::new(Vec::new()),
        };
        ns.create_namespace(&name);
        ns
    }
}

/// Read access to what analyzers read, Secrets excepted.
fn reader_rules() -> Json {
    serde_json::json!([
        {"apiGroups": [""], "resources": ["namespaces", "pods", "services", "configmaps", "nodes"], "verbs": ["get", "list", "watch"]},
        {"apiGroups": ["apps", "batch", "admissionregistration.k8s.io", "apiextensions.k8s.io"], "resources": ["*"], "verbs": ["get", "list", "watch"]},
        {"apiGroups": ["networking.istio.io", "security.istio.io", "telemetry.istio.io", "extensions.istio.io", "gateway.networking.k8s.io"], "resources": ["*"], "verbs": ["get", "list", "watch"]},
    ])
}

fn rand_suffix() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    (h.finish() % 1_000_000) as u32
}

impl TestNamespace<'_> {
    fn create_namespace(&self, name: &str) {
        // Labelled for injection, so that injection.Analyzer says nothing about the namespaces
        // tests make (file mode has no Namespace object for them).
        let applied = self.cluster.apply(serde_json::json!({
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": name, "labels": {"istio-injection": "enabled"}},
        }));
        self.applied.lock().unwrap().push(applied);
    }

    /// Applies an object and deletes it again when the test ends.
    pub fn apply_json(&self, obj: Json) {
        let applied = self.cluster.apply(obj);
        self.applied.lock().unwrap().push(applied);
    }

    /// Grants the restricted test user read access to everything but Secrets, cluster-wide, until
    /// the test ends.
    pub fn grant_restricted_reader_without_secrets(&self) {
        self.grant_restricted_reader(None);
    }

    /// Grants the restricted test user read access to everything but Secrets in this namespace
    /// only, until the test ends.
    pub fn grant_restricted_namespace_reader(&self) {
        self.grant_restricted_reader(Some(&self.name));
    }

    /// A (Cluster)Role with `reader_rules` bound to the user "restricted".
    fn grant_restricted_reader(&self, namespace: Option<&str>) {
        let (role, binding) = match namespace {
            Some(_) => ("Role", "RoleBinding"),
            None => ("ClusterRole", "ClusterRoleBinding"),
        };
        let name = format!("{}-reader-no-secrets", self.name);
        let mut metadata = serde_json::json!({"name": name});
        if let Some(ns) = namespace {
            metadata["namespace"] = ns.into();
        }
        self.apply_json(serde_json::json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": role,
            "metadata": metadata, "rules": reader_rules(),
        }));
        self.apply_json(serde_json::json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": binding,
            "metadata": metadata,
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role, "name": name},
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "restricted"}],
        }));
    }

    /// The namespace a manifest's namespace maps to: `default` (or none) is this test's
    /// namespace, any other `x` becomes `<this>-x`.
    pub fn map(&self, ns: &str) -> String {
        if ns.is_empty() || ns == "default" {
            self.name.clone()
        } else {
            format!("{}-{ns}", self.name)
        }
    }

    /// Applies every document of the files, moved into this test's namespaces.
    pub fn apply_files(&self, paths: &[PathBuf]) {
        for path in paths {
            let text =
                std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            for mut obj in documents(&text) {
                if obj["kind"] == "Namespace" {
                    let name = obj["metadata"]["name"].as_str().unwrap().to_string();
                    obj["metadata"]["name"] = Json::String(self.map(&name));
                } else {
                    let ns = obj["metadata"]["namespace"]
                        .as_str()
                        .unwrap_or("")
                        .to_string();
                    let mapped = self.map(&ns);
                    if mapped != self.name && !self.has_namespace(&mapped) {
                        self.create_namespace(&mapped);
                    }
                    obj["metadata"]["namespace"] = Json::String(mapped);
                }
                let applied = self.cluster.apply(obj);
                self.applied.lock().unwrap().push(applied);
            }
        }
    }

    fn has_namespace(&self, name: &str) -> bool {
        self.applied
            .lock()
            .unwrap()
            .iter()
            .any(|a| a.resource.kind == "Namespace" && a.name == name)
    }

    /// Undoes the namespace mapping in text meshdeck printed about this test's objects.
    pub fn unmap(&self, text: &str) -> String {
        let prefix = format!("{}-", self.name);
        text.replace(&prefix, "").replace(&self.name, "default")
    }

    /// Marks a Deployment available, a StatefulSet ready or a Pod ready through the status
    /// subresource.
    pub fn mark_ready(&self, kind: &str, namespace: &str, name: &str) {
        let (api_version, status) = match kind {
            "Deployment" => (
                "apps/v1",
                serde_json::json!({"status": {"observedGeneration": 1, "replicas": 1, "readyReplicas": 1,
                    "availableReplicas": 1, "updatedReplicas": 1,
                    "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"}]}}),
            ),
            "StatefulSet" => (
                "apps/v1",
                serde_json::json!({"status": {"observedGeneration": 1, "replicas": 1, "readyReplicas": 1,
                    "currentReplicas": 1, "updatedReplicas": 1, "availableReplicas": 1}}),
            ),
            "Pod" => (
                "v1",
                serde_json::json!({"status": {"phase": "Running",
                    "conditions": [{"type": "Ready", "status": "True"}, {"type": "ContainersReady", "status": "True"}]}}),
            ),
            other => panic!("mark_ready does not know {other}"),
        };
        let found = self.cluster.resource(api_version, kind);
        let api = self.cluster.kube.api(&found.resource, Some(namespace));
        self.cluster
            .block_on(api.patch_status(name, &PatchParams::default(), &Patch::Merge(&status)))
            .unwrap_or_else(|e| panic!("mark {kind} {namespace}/{name} ready: {e}"));
    }
}

impl Drop for TestNamespace<'_> {
    fn drop(&mut self) {
        // No controller manager runs, so a deleted namespace keeps its objects: delete them one by
        // one, namespaces last.
        let applied = std::mem::take(&mut *self.applied.lock().unwrap());
        for a in applied.iter().rev() {
            let _ = self
                .cluster
                .block_on(self.cluster.kube.delete(a, Propagation::Background));
        }
    }
}
