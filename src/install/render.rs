//! `manifest generate` as istioctl does it: merge the inputs into one IstioOperator, work
//! out the enabled components, render each one's chart with its view of the values, apply
//! the k8s settings and overlays, and order the objects.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::helm::{self, Chart, RenderContext, Value};
use super::iop::{self, FieldError};
use super::patch;
use crate::resource::node::parse_documents;

/// One IstioOperator component (istioctl's operator/pkg/component).
#[derive(Debug, Clone, Copy)]
pub struct Component {
    /// `Base`, `Pilot`, `IngressGateways`, ...
    pub name: &'static str,
    /// Its key under `spec.components`.
    pub spec_name: &'static str,
    /// Shown to people: `Istio core`, `Istiod`, ...
    pub title: &'static str,
    default: bool,
    multi: bool,
    resource_type: &'static str,
    resource_name: &'static str,
    container: &'static str,
    pub chart: &'static str,
    values_root: &'static str,
    flatten: bool,
    alt_enablement: Option<&'static str>,
}

pub const COMPONENTS: &[Component] = &[
    Component {
        name: "Base",
        spec_name: "base",
        title: "Istio core",
        default: true,
        multi: false,
        resource_type: "",
        resource_name: "",
        container: "",
        chart: "base",
        values_root: "global",
        flatten: false,
        alt_enablement: None,
    },
    Component {
        name: "Pilot",
        spec_name: "pilot",
        title: "Istiod",
        default: true,
        multi: false,
        resource_type: "Deployment",
        resource_name: "istiod",
        container: "discovery",
        chart: "istio-control/istio-discovery",
        values_root: "pilot",
        flatten: false,
        alt_enablement: None,
    },
    Component {
        name: "IngressGateways",
        spec_name: "ingressGateways",
        title: "Ingress gateways",
        default: true,
        multi: true,
        resource_type: "Deployment",
        resource_name: "istio-ingressgateway",
        container: "istio-proxy",
        chart: "gateways/istio-ingress",
        values_root: "gateways.istio-ingressgateway",
        flatten: false,
        alt_enablement: Some("spec.values.gateways.istio-ingressgateway.enabled"),
    },
    Component {
        name: "EgressGateways",
        spec_name: "egressGateways",
        title: "Egress gateways",
        default: false,
        multi: true,
        resource_type: "Deployment",
        resource_name: "istio-egressgateway",
        container: "istio-proxy",
        chart: "gateways/istio-egress",
        values_root: "gateways.istio-egressgateway",
        flatten: false,
        alt_enablement: Some("spec.values.gateways.istio-egressgateway.enabled"),
    },
    Component {
        name: "Cni",
        spec_name: "cni",
        title: "CNI",
        default: false,
        multi: false,
        resource_type: "DaemonSet",
        resource_name: "istio-cni-node",
        container: "install-cni",
        chart: "istio-cni",
        values_root: "cni",
        flatten: false,
        alt_enablement: None,
    },
    Component {
        name: "Ztunnel",
        spec_name: "ztunnel",
        title: "Ztunnel",
        default: false,
        multi: false,
        resource_type: "DaemonSet",
        resource_name: "ztunnel",
        container: "istio-proxy",
        chart: "ztunnel",
        values_root: "ztunnel",
        flatten: true,
        alt_enablement: None,
    },
];

/// Finds a component by its IstioOperator name (`pilot`) or its istioctl name (`Pilot`).
pub fn find_component(name: &str) -> Option<&'static Component> {
    COMPONENTS
        .iter()
        .find(|c| c.spec_name.eq_ignore_ascii_case(name) || c.name.eq_ignore_ascii_case(name))
}

/// An `-f` file as read by the caller.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// The name shown in errors (the path as given, `-` for stdin).
    pub name: String,
    pub text: String,
}

/// Everything a render needs; reading files and the network is the caller's job.
#[derive(Debug, Clone)]
pub struct RenderRequest {
    /// The release's `manifests/` directory (charts and profiles).
    pub manifests: PathBuf,
    pub files: Vec<InputFile>,
    /// `--set` flags, `path=value`, applied under `spec.`.
    pub set: Vec<String>,
    /// The hub and tag an istioctl build puts under the profile (its compiled-in ones).
    pub hub_tag: Option<(String, String)>,
    /// `.Capabilities.KubeVersion`, e.g. `v1.32.0`.
    pub kube_version: String,
}

/// The objects of one component.
#[derive(Debug, Clone)]
pub struct ComponentManifests {
    pub component: &'static Component,
    pub objects: Vec<Value>,
}

#[derive(Debug)]
pub struct Rendered {
    /// The merged IstioOperator (profile, files, flags, translated into values).
    pub merged: Value,
    pub components: Vec<ComponentManifests>,
}

impl Rendered {
    /// Every object, in istioctl's order.
    pub fn ordered(&self) -> Vec<Value> {
        let mut all: Vec<Value> = self
            .components
            .iter()
            .flat_map(|c| c.objects.iter().cloned())
            .collect();
        sort_objects(&mut all);
        all
    }

    /// The profile name the merged configuration uses.
    pub fn profile(&self) -> String {
        let p = iop::get_string(&self.merged, "spec.profile");
        if p.is_empty() { "default".into() } else { p }
    }
}

/// Why a render failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("bad --set {flag:?}: {message}")]
    BadSet { flag: String, message: String },
    #[error("{file}: {}", .error.message)]
    BadFile { file: String, error: FieldError },
    #[error("{file}:{line}:{col}: {message}")]
    FileSyntax {
        file: String,
        line: u32,
        col: u32,
        message: String,
    },
    #[error("{file} holds {count} IstioOperator documents; only one per file is supported")]
    MultipleIops { file: String, count: usize },
    #[error("{}", .0.message)]
    Invalid(FieldError),
    #[error("profile {profile:?} not found in {dir}; available: {available}")]
    UnknownProfile {
        profile: String,
        dir: PathBuf,
        available: String,
    },
    #[error("{dir} is not an Istio manifests directory: {why}")]
    NotManifests { dir: PathBuf, why: String },
    #[error("rendering the {component} chart ({chart})")]
    Chart {
        component: &'static str,
        chart: PathBuf,
        #[source]
        source: helm::ChartError,
    },
    #[error("applying k8s settings to {component}")]
    Patch {
        component: &'static str,
        #[source]
        source: patch::OverlayError,
    },
}

/// Checks that `dir` looks like a release's `manifests/` (a `charts/` and a `profiles/`).
pub fn check_manifests_dir(dir: &Path) -> Result<(), RenderError> {
    for sub in ["charts", "profiles"] {
        if !dir.join(sub).is_dir() {
            return Err(RenderError::NotManifests {
                dir: dir.to_path_buf(),
                why: format!("it has no {sub}/ directory"),
            });
        }
    }
    Ok(())
}

/// The profiles a manifests directory offers, sorted.
pub fn list_profiles(dir: &Path) -> Result<Vec<String>, RenderError> {
    check_manifests_dir(dir)?;
    let mut names: Vec<String> = std::fs::read_dir(dir.join("profiles"))
        .map_err(|e| RenderError::NotManifests {
            dir: dir.to_path_buf(),
            why: e.to_string(),
        })?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.strip_suffix(".yaml").map(str::to_string)
        })
        .collect();
    names.sort();
    Ok(names)
}

fn read_profile(dir: &Path, profile: &str) -> Result<Value, RenderError> {
    let path = dir.join("profiles").join(format!("{profile}.yaml"));
    let text = std::fs::read_to_string(&path).map_err(|_| RenderError::UnknownProfile {
        profile: profile.to_string(),
        dir: dir.join("profiles"),
        available: list_profiles(dir).map(|l| l.join(", ")).unwrap_or_default(),
    })?;
    let docs = parse_documents(&text, 0).map_err(|e| RenderError::FileSyntax {
        file: path.display().to_string(),
        line: e.pos.line,
        col: e.pos.col,
        message: e.message,
    })?;
    Ok(docs
        .first()
        .map(Value::from_node)
        .unwrap_or_else(Value::new_map))
}

/// The profile with `default` under it, as istioctl reads it.
pub fn profile_base(dir: &Path, profile: &str) -> Result<Value, RenderError> {
    let profile = if profile.is_empty() {
        "default"
    } else {
        profile
    };
    let base = read_profile(dir, "default")?;
    if profile != "default" {
        let top = read_profile(dir, profile)?;
        iop::merge_from(&base, &top);
    }
    Ok(base)
}

fn user_config(req: &RenderRequest) -> Result<Value, RenderError> {
    let base = Value::new_map();
    if let Value::Map(m) = &base {
        let mut b = m.borrow_mut();
        b.insert("apiVersion".into(), Value::str("install.istio.io/v1alpha1"));
        b.insert("kind".into(), Value::str("IstioOperator"));
        b.insert("metadata".into(), Value::new_map());
        b.insert("spec".into(), Value::new_map());
    }
    for f in &req.files {
        let docs = parse_documents(&f.text, 0).map_err(|e| RenderError::FileSyntax {
            file: f.name.clone(),
            line: e.pos.line,
            col: e.pos.col,
            message: e.message,
        })?;
        let docs: Vec<_> = docs.into_iter().filter(|d| !iop::is_empty_doc(d)).collect();
        if docs.len() > 1 {
            return Err(RenderError::MultipleIops {
                file: f.name.clone(),
                count: docs.len(),
            });
        }
        let Some(doc) = docs.first() else { continue };
        let v = iop::check_document(doc).map_err(|error| RenderError::BadFile {
            file: f.name.clone(),
            error,
        })?;
        if v.get("spec").is_nil()
            && let Value::Map(m) = &v
        {
            m.borrow_mut().remove("spec");
        }
        iop::merge_from(&base, &v);
    }
    for flag in &req.set {
        iop::set_spec_flag(&base, flag).map_err(|message| RenderError::BadSet {
            flag: flag.clone(),
            message,
        })?;
    }
    // Flags are checked against the fields istioctl knows, after they are all applied.
    let flagged = Value::new_map();
    for flag in &req.set {
        let _ = iop::set_spec_flag(&flagged, flag);
    }
    iop::check_merged(&flagged).map_err(|e| RenderError::BadSet {
        flag: flag_naming(&req.set, &e.path)
            .or_else(|| {
                req.set.iter().find(|f| {
                    let p = f.split('=').next().unwrap_or_default();
                    e.path.starts_with(&format!(
                        "spec.{}",
                        p.split(['.', '[']).next().unwrap_or_default()
                    ))
                })
            })
            .cloned()
            .unwrap_or_default(),
        message: if e.message.contains(&e.path) {
            e.message.clone()
        } else {
            format!("{}: {}", e.path, e.message)
        },
    })?;
    iop::check_merged(&base).map_err(RenderError::Invalid)?;
    Ok(base)
}

/// The last `--set` whose path is, or leads to, or lies below `spec_path` (the one that wrote
/// the field at fault, when several set fields under the same part of spec).
fn flag_naming<'a>(flags: &'a [String], spec_path: &str) -> Option<&'a String> {
    flags.iter().rfind(|f| {
        let p = format!("spec.{}", f.split('=').next().unwrap_or_default().trim());
        spec_path == p
            || spec_path.starts_with(&format!("{p}."))
            || p.starts_with(&format!("{spec_path}."))
    })
}

/// istioctl's MergeInputs: profile < compiled-in hub/tag < files < flags, then translated into
/// Helm values, with the user's values applied last.
pub fn merge_inputs(req: &RenderRequest) -> Result<Value, RenderError> {
    let user = user_config(req)?;
    let mut manifests = req.manifests.clone();
    let ipp = iop::get_string(&user, "spec.installPackagePath");
    if !ipp.is_empty() {
        manifests = PathBuf::from(ipp);
    }
    check_manifests_dir(&manifests)?;
    let profile = iop::get_string(&user, "spec.profile");
    let user_values = iop::get_path(&user, "spec.values").filter(|v| matches!(v, Value::Map(_)));
    let base = profile_base(&manifests, &profile)?;
    if let Some((hub, tag)) = &req.hub_tag {
        for flag in [format!("hub={hub}"), format!("tag={tag}")] {
            iop::set_spec_flag(&base, &flag)
                .map_err(|message| RenderError::BadSet { flag, message })?;
        }
    }
    iop::merge_from(&base, &user);
    translate(&base)?;
    if let Some(uv) = user_values {
        let wrap = Value::new_map();
        let spec = Value::new_map();
        if let (Value::Map(w), Value::Map(s)) = (&wrap, &spec) {
            s.borrow_mut().insert("values".into(), uv);
            w.borrow_mut().insert("spec".into(), spec.clone());
        }
        iop::merge_from(&base, &wrap);
    }
    // The directory rendering uses, for the components.
    iop::set_path(
        &base,
        &iop::split_path("spec.installPackagePath").expect("static path"),
        Value::str(manifests.to_string_lossy().as_ref()),
    )
    .map_err(|message| RenderError::BadSet {
        flag: "installPackagePath".into(),
        message,
    })?;
    Ok(base)
}

fn translate(base: &Value) -> Result<(), RenderError> {
    let bad = |flag: String| {
        move |message: String| RenderError::BadSet {
            flag: flag.clone(),
            message,
        }
    };
    for (from, to) in [
        ("spec.compatibilityVersion", "compatibilityVersion"),
        ("spec.hub", "global.hub"),
        ("spec.meshConfig", "meshConfig"),
        ("spec.revision", "revision"),
        ("spec.tag", "global.tag"),
    ] {
        let Some(v) = iop::get_path(base, from) else {
            continue;
        };
        if let Value::Map(_) = v {
            let wrap = Value::new_map();
            iop::set_path(
                &wrap,
                &iop::split_path("spec.values.meshConfig").expect("static path"),
                v,
            )
            .map_err(bad(from.into()))?;
            iop::merge_from(base, &wrap);
        } else {
            // istioctl formats the value with %v and parses it again, as a --set flag.
            let text = match &v {
                Value::Nil => "<nil>".to_string(),
                other => helm::funcs::strval(other),
            };
            let flag = format!("values.{to}={text}");
            iop::set_spec_flag(base, &flag).map_err(bad(flag.clone()))?;
        }
    }
    let pilot = iop::get_bool(base, "spec.components.pilot.enabled");
    let cni = iop::get_bool(base, "spec.components.cni.enabled");
    for (path, v) in [
        ("spec.values.pilot.enabled", pilot),
        ("spec.values.pilot.cni.enabled", cni),
    ] {
        iop::set_path(
            base,
            &iop::split_path(path).expect("static path"),
            Value::Bool(v),
        )
        .map_err(bad(path.into()))?;
    }
    let ns = iop::get_string(base, "spec.values.global.istioNamespace");
    if !ns.is_empty() {
        iop::set_path(
            base,
            &iop::split_path("metadata.namespace").expect("static path"),
            Value::str(ns),
        )
        .map_err(bad("metadata.namespace".into()))?;
    }
    Ok(())
}

/// One enabled instance of a component (gateways may have several).
#[derive(Debug, Clone)]
struct ComponentSpec {
    namespace: String,
    name: String,
    label: Value,
    hub: String,
    tag: Option<Value>,
    raw: Value,
}

fn component_specs(c: &Component, merged: &Value) -> Vec<ComponentSpec> {
    let default_ns = iop::get_string(merged, "metadata.namespace");
    let alt = c.alt_enablement.is_some_and(|p| iop::get_bool(merged, p));
    let def = c.default || alt;
    let build = |m: &Value| {
        let mut ns = iop::get_string(m, "namespace");
        if ns.is_empty() {
            ns = default_ns.clone();
        }
        if ns.is_empty() {
            ns = "istio-system".into();
        }
        let label = match m.get("label") {
            l @ Value::Map(_) => l,
            _ => Value::new_map(),
        };
        let tag = match m.get("tag") {
            Value::Nil => None,
            t => Some(t),
        };
        ComponentSpec {
            namespace: ns,
            name: iop::get_string(m, "name"),
            label,
            hub: iop::get_string(m, "hub"),
            tag,
            raw: m.clone(),
        }
    };
    let enabled = |m: &Value| !matches!(m.get("enabled"), Value::Bool(false)) || alt;
    let default_response = || {
        if def {
            vec![ComponentSpec {
                namespace: if default_ns.is_empty() {
                    "istio-system".into()
                } else {
                    default_ns.clone()
                },
                name: String::new(),
                label: Value::new_map(),
                hub: String::new(),
                tag: None,
                raw: Value::new_map(),
            }]
        } else {
            Vec::new()
        }
    };
    let path = format!("spec.components.{}", c.spec_name);
    match iop::get_path(merged, &path) {
        None | Some(Value::Nil) => default_response(),
        Some(Value::List(items)) if c.multi => items
            .iter()
            .map(|i| match i {
                Value::Map(_) => i.clone(),
                _ => Value::new_map(),
            })
            .filter(enabled)
            .map(|i| build(&i))
            .collect(),
        Some(m @ Value::Map(_)) if !c.multi => {
            if enabled(&m) {
                vec![build(&m)]
            } else {
                Vec::new()
            }
        }
        Some(_) => default_response(),
    }
}

fn set(root: &Value, path: &str, v: Value) {
    if let Ok(segs) = iop::split_path(path) {
        let _ = iop::set_path(root, &segs, v);
    }
}

/// The values one component's chart sees (istioctl's applyComponentValuesToHelmValues).
fn component_values(c: &Component, spec: &ComponentSpec, merged: &Value) -> Value {
    let merged = merged.deep_clone();
    let root = c.values_root;
    if c.multi {
        set(
            &merged,
            &format!("spec.values.{root}.name"),
            Value::str(spec.name.as_str()),
        );
        set(
            &merged,
            &format!("spec.values.{root}.labels"),
            spec.label.deep_clone(),
        );
        if let Value::List(ports) = spec.raw.path(&["k8s", "service", "ports"])
            && !ports.is_empty()
        {
            set(
                &merged,
                &format!("spec.values.{root}.ports"),
                Value::List(ports.clone()).deep_clone(),
            );
        }
    }
    if !spec.hub.is_empty() {
        let _ = iop::set_spec_flag(&merged, &format!("values.{root}.hub={}", spec.hub));
    }
    if let Some(tag) = &spec.tag {
        let _ = iop::set_spec_flag(
            &merged,
            &format!("values.{root}.tag={}", helm::funcs::strval(tag)),
        );
    }
    if c.flatten
        && let Some(Value::Map(cv)) = iop::get_path(&merged, &format!("spec.values.{root}"))
        && let Some(Value::Map(vals)) = iop::get_path(&merged, "spec.values")
    {
        let mut nv = BTreeMap::new();
        nv.insert(
            "global".to_string(),
            vals.borrow().get("global").cloned().unwrap_or(Value::Nil),
        );
        for (k, v) in vals.borrow().iter() {
            if !matches!(v, Value::Map(_)) {
                nv.insert(k.clone(), v.clone());
            }
        }
        for (k, v) in cv.borrow().iter() {
            nv.insert(k.clone(), v.clone());
        }
        set(&merged, "spec.values", Value::from_map(nv));
    }
    merged
}

/// The `k8s` settings istioctl turns into strategic merge patches: field, kind, and the patch
/// shape with `{}` where the setting goes.
fn k8s_patch(
    field: &str,
    value: &Value,
    c: &Component,
    rt: &str,
    container: &str,
) -> Option<(String, Value)> {
    let wrap = |keys: &[&str], v: Value| -> Value {
        let mut cur = v;
        for k in keys.iter().rev() {
            let mut m = BTreeMap::new();
            m.insert(k.to_string(), cur);
            cur = Value::from_map(m);
        }
        cur
    };
    let in_container = |key: &str| {
        let mut m = BTreeMap::new();
        m.insert("name".to_string(), Value::str(container));
        m.insert(key.to_string(), value.clone());
        wrap(
            &["spec", "template", "spec", "containers"],
            Value::list(vec![Value::from_map(m)]),
        )
    };
    let _ = c;
    Some(match field {
        "affinity" => (
            rt.into(),
            wrap(&["spec", "template", "spec", "affinity"], value.clone()),
        ),
        "env" => (rt.into(), in_container("env")),
        "hpaSpec" => (
            "HorizontalPodAutoscaler".into(),
            wrap(&["spec"], value.clone()),
        ),
        "imagePullPolicy" => (rt.into(), in_container("imagePullPolicy")),
        "nodeSelector" => (
            rt.into(),
            wrap(&["spec", "template", "spec", "nodeSelector"], value.clone()),
        ),
        "podDisruptionBudget" => ("PodDisruptionBudget".into(), wrap(&["spec"], value.clone())),
        "podAnnotations" => (
            rt.into(),
            wrap(
                &["spec", "template", "metadata", "annotations"],
                value.clone(),
            ),
        ),
        "priorityClassName" => (
            rt.into(),
            wrap(
                &["spec", "template", "spec", "priorityClassName"],
                value.clone(),
            ),
        ),
        "readinessProbe" => (rt.into(), in_container("readinessProbe")),
        "replicaCount" => (rt.into(), wrap(&["spec", "replicas"], value.clone())),
        "resources" => (rt.into(), in_container("resources")),
        "strategy" => (rt.into(), wrap(&["spec", "strategy"], value.clone())),
        "tolerations" => (
            rt.into(),
            wrap(&["spec", "template", "spec", "tolerations"], value.clone()),
        ),
        "serviceAnnotations" => (
            "Service".into(),
            wrap(&["metadata", "annotations"], value.clone()),
        ),
        "service" => ("Service".into(), wrap(&["spec"], value.clone())),
        "securityContext" => (
            rt.into(),
            wrap(
                &["spec", "template", "spec", "securityContext"],
                value.clone(),
            ),
        ),
        _ => return None,
    })
}

/// The k8s settings and overlays, applied after Helm (istioctl's postProcess).
fn post_process(
    c: &'static Component,
    spec: &ComponentSpec,
    objects: &mut [Value],
    merged: &Value,
) -> Result<(), RenderError> {
    let k8s = spec.raw.get("k8s");
    let Value::Map(k8s_map) = &k8s else {
        return Ok(());
    };
    let mut rn = c.resource_name.to_string();
    if !spec.name.is_empty() {
        rn = spec.name.clone();
    }
    if c.name == "Pilot" {
        let rev = iop::get_string(merged, "spec.values.revision");
        if !rev.is_empty() && rev != "default" {
            rn = format!("{rn}-{rev}");
        }
    }
    let fields: Vec<(String, Value)> = k8s_map
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    // istioctl walks its patch table, a Go map: the order is not defined. Patches touch
    // different fields, so apply them in name order.
    for (field, value) in fields {
        let value = if field == "service" && c.multi {
            // Service ports of gateways are already values; istioctl drops them from the patch.
            let v = value.deep_clone();
            if let Value::Map(m) = &v {
                m.borrow_mut()
                    .insert("ports".into(), Value::list(Vec::new()));
            }
            v
        } else {
            value
        };
        let Some((kind, p)) = k8s_patch(&field, &value, c, c.resource_type, c.container) else {
            continue;
        };
        for obj in objects.iter() {
            if obj.get("kind").as_str() == Some(kind.as_str())
                && obj.path(&["metadata", "name"]).as_str() == Some(rn.as_str())
            {
                patch::strategic_merge(obj, &p);
                if field == "podDisruptionBudget" {
                    let spec = obj.get("spec");
                    if let Value::Map(m) = &spec
                        && m.borrow().contains_key("maxUnavailable")
                        && m.borrow().contains_key("minAvailable")
                    {
                        m.borrow_mut().remove("minAvailable");
                    }
                }
            }
        }
    }
    if let Value::List(overlays) = k8s.get("overlays") {
        for o in overlays.iter() {
            let kind = helm::funcs::strval(&o.get("kind"));
            let name = helm::funcs::strval(&o.get("name"));
            for obj in objects.iter() {
                if obj.get("kind").as_str() != Some(kind.as_str())
                    || obj.path(&["metadata", "name"]).as_str() != Some(name.as_str())
                {
                    continue;
                }
                if let Value::List(patches) = o.get("patches") {
                    for p in patches.iter() {
                        let path = helm::funcs::strval(&p.get("path"));
                        let value = match &p {
                            Value::Map(m) => {
                                m.borrow().get("value").cloned().filter(|v| !v.is_nil())
                            }
                            _ => None,
                        };
                        patch::apply_overlay(obj, &path, value.as_ref()).map_err(|source| {
                            RenderError::Patch {
                                component: c.name,
                                source,
                            }
                        })?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Renders every enabled component.
pub fn render(req: &RenderRequest) -> Result<Rendered, RenderError> {
    let merged = merge_inputs(req)?;
    let manifests = PathBuf::from(iop::get_string(&merged, "spec.installPackagePath"));
    let mut out = Vec::new();
    for c in COMPONENTS {
        let specs = component_specs(c, &merged);
        if specs.is_empty() {
            continue;
        }
        let chart_dir = manifests.join("charts").join(c.chart);
        let chart_err = |source| RenderError::Chart {
            component: c.name,
            chart: chart_dir.clone(),
            source,
        };
        let chart = Chart::load(&chart_dir).map_err(chart_err)?;
        let mut objects = Vec::new();
        for spec in &specs {
            let vals = component_values(c, spec, &merged);
            let helm_vals = vals.path(&["spec", "values"]);
            let helm_vals = if matches!(helm_vals, Value::Map(_)) {
                helm_vals
            } else {
                Value::new_map()
            };
            let ctx = RenderContext {
                release_name: "istio".into(),
                namespace: spec.namespace.clone(),
                kube_version: req.kube_version.clone(),
            };
            let files = chart.render(&helm_vals, &ctx).map_err(chart_err)?;
            let mut objs = Vec::new();
            for (template, text) in files {
                let docs = parse_documents(&text, 0).map_err(|e| {
                    chart_err(helm::ChartError::Output {
                        template: template.clone(),
                        line: e.pos.line,
                        message: e.message,
                    })
                })?;
                for d in docs {
                    let v = Value::from_node(&d);
                    if matches!(&v, Value::Map(m) if !m.borrow().is_empty()) {
                        objs.push(v);
                    }
                }
            }
            post_process(c, spec, &mut objs, &vals)?;
            objects.extend(objs);
        }
        out.push(ComponentManifests {
            component: c,
            objects,
        });
    }
    Ok(Rendered {
        merged,
        components: out,
    })
}

fn kind_rank(kind: &str) -> i32 {
    match kind {
        "CustomResourceDefinition" => -1000,
        "ServiceAccount" | "ClusterRole" => 1,
        "ClusterRoleBinding" => 2,
        "ValidatingWebhookConfiguration" => 3,
        "ConfigMap" | "Secret" => 100,
        "HorizontalPodAutoscaler" => 1001,
        "Service" => 10000,
        _ => 1000,
    }
}

/// istioctl's object order: by kind rank, then group, kind, name (and namespace).
pub fn sort_objects(objs: &mut [Value]) {
    let key = |o: &Value| {
        let kind = helm::funcs::strval(&o.get("kind"));
        let api = helm::funcs::strval(&o.get("apiVersion"));
        let group = api
            .rsplit_once('/')
            .map(|(g, _)| g.to_string())
            .unwrap_or_default();
        let name = helm::funcs::strval(&o.path(&["metadata", "name"]));
        let ns = match o.path(&["metadata", "namespace"]) {
            Value::Nil => String::new(),
            v => helm::funcs::strval(&v),
        };
        (kind_rank(&kind), group, kind, name, ns)
    };
    objs.sort_by_key(key);
}

/// The objects as one YAML stream, documents separated by `---`.
pub fn to_yaml_stream(objs: &[Value]) -> String {
    let docs: Vec<String> = objs.iter().map(helm::yaml::to_yaml).collect();
    docs.join("---\n")
}
