//! A Helm chart renderer: Go's `text/template` (ours, in [`parse`] and [`exec`]), the sprig
//! and Helm functions charts use ([`funcs`]), and Helm's engine rules: templates parsed and
//! rendered in Helm's order over one shared set of values (so a template may change what the
//! next one sees, as Istio's `zzz_profile.yaml` does), chart defaults coalesced under the
//! given values, and `<no value>` removed from the output.
//!
//! We do not use gtmpl-ng (DESIGN.md's starting point): its values are copied on every
//! function call, so `set`, `unset` and `mustMergeOverwrite` cannot change the map the chart
//! holds, and Istio's profile layering depends on exactly that.

pub mod exec;
pub mod funcs;
pub mod parse;
pub mod value;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

pub use exec::{ExecError, Templates};
pub use value::Value;

use crate::resource::node::parse_documents;

/// One chart read from disk.
#[derive(Debug, Clone)]
pub struct Chart {
    pub dir: PathBuf,
    /// `Chart.yaml` with Helm's field names (`Name`, `Version`, `AppVersion`, ...).
    pub metadata: BTreeMap<String, Value>,
    pub name: String,
    /// `templates/...` paths (relative to the chart) and their text.
    pub templates: Vec<(String, String)>,
    /// Every other file, for `.Files.Get`.
    pub files: BTreeMap<String, String>,
    /// `values.yaml`.
    pub values: Value,
    /// `crds/` files, appended after the templates.
    pub crds: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("cannot read the chart at {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{col}: {message}")]
    Yaml {
        path: PathBuf,
        line: u32,
        col: u32,
        message: String,
    },
    #[error("{0}")]
    Parse(#[from] parse::ParseError),
    #[error("{0}")]
    Exec(#[from] ExecError),
    #[error(
        "the chart's template {template} rendered YAML that does not parse: line {line}: {message}"
    )]
    Output {
        template: String,
        line: u32,
        message: String,
    },
}

/// Release and cluster facts the templates read (`.Release`, `.Capabilities`).
#[derive(Debug, Clone)]
pub struct RenderContext {
    pub release_name: String,
    pub namespace: String,
    /// e.g. `v1.32.0`.
    pub kube_version: String,
}

fn helm_field_name(key: &str) -> String {
    match key {
        "apiVersion" => "APIVersion".into(),
        k => {
            let mut c = k.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        }
    }
}

fn read(path: &Path) -> Result<String, ChartError> {
    std::fs::read_to_string(path).map_err(|source| ChartError::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn yaml_value(path: &Path, text: &str) -> Result<Value, ChartError> {
    let docs = parse_documents(text, 0).map_err(|e| ChartError::Yaml {
        path: path.to_path_buf(),
        line: e.pos.line,
        col: e.pos.col,
        message: e.message,
    })?;
    Ok(docs
        .first()
        .map(Value::from_node)
        .unwrap_or_else(Value::new_map))
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> Result<(), ChartError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ChartError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(root, &p, out)?;
        } else {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, p));
        }
    }
    Ok(())
}

impl Chart {
    /// Reads a chart directory (`Chart.yaml`, `values.yaml`, `templates/`, other files).
    pub fn load(dir: &Path) -> Result<Chart, ChartError> {
        let chart_yaml = dir.join("Chart.yaml");
        let meta = yaml_value(&chart_yaml, &read(&chart_yaml)?)?;
        let mut metadata = BTreeMap::new();
        if let Value::Map(m) = &meta {
            for (k, v) in m.borrow().iter() {
                metadata.insert(helm_field_name(k), v.clone());
            }
        }
        let name = metadata.get("Name").map(funcs::strval).unwrap_or_else(|| {
            dir.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        let values_path = dir.join("values.yaml");
        let values = if values_path.exists() {
            yaml_value(&values_path, &read(&values_path)?)?
        } else {
            Value::new_map()
        };
        let mut all = Vec::new();
        walk(dir, dir, &mut all)?;
        let mut templates = Vec::new();
        let mut files = BTreeMap::new();
        let mut crds = Vec::new();
        for (rel, path) in all {
            if rel == "Chart.yaml" || rel == "values.yaml" {
                continue;
            }
            // Binary files (none in Istio's charts) are skipped rather than failing the load.
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if rel.starts_with("templates/") {
                templates.push((rel, text));
            } else {
                if rel.starts_with("crds/") {
                    crds.push((rel.clone(), text.clone()));
                }
                files.insert(rel, text);
            }
        }
        Ok(Chart {
            dir: dir.to_path_buf(),
            metadata,
            name,
            templates,
            files,
            values,
            crds,
        })
    }

    /// Renders the chart with `values` over its defaults. Returns each template's output by
    /// its name (`<chart>/templates/<file>`), in name order, NOTES.txt left out, then the
    /// `crds/` files.
    pub fn render(
        &self,
        values: &Value,
        ctx: &RenderContext,
    ) -> Result<Vec<(String, String)>, ChartError> {
        let vals = values.deep_clone();
        let vals = match vals {
            Value::Map(_) => vals,
            _ => Value::new_map(),
        };
        coalesce(&vals, &self.values.deep_clone());

        let mut names: Vec<(String, &str)> = self
            .templates
            .iter()
            .map(|(rel, text)| (format!("{}/{rel}", self.name), text.as_str()))
            .collect();
        // Helm's order: deeper paths first, then names in reverse.
        names.sort_by(|(a, _), (b, _)| {
            let (ca, cb) = (a.matches('/').count(), b.matches('/').count());
            cb.cmp(&ca).then_with(|| b.cmp(a))
        });
        let set = Templates::new();
        for (name, text) in &names {
            set.add(name, text)?;
        }

        let mut release = BTreeMap::new();
        release.insert("Name".into(), Value::str(ctx.release_name.as_str()));
        release.insert("Namespace".into(), Value::str(ctx.namespace.as_str()));
        release.insert("Service".into(), Value::str("Helm"));
        release.insert("Revision".into(), Value::Int(1));
        release.insert("IsInstall".into(), Value::Bool(true));
        release.insert("IsUpgrade".into(), Value::Bool(false));
        let (major, minor) = kube_major_minor(&ctx.kube_version);
        let mut kube = BTreeMap::new();
        kube.insert("Version".into(), Value::str(ctx.kube_version.as_str()));
        kube.insert("GitVersion".into(), Value::str(ctx.kube_version.as_str()));
        kube.insert("Major".into(), Value::str(major));
        kube.insert("Minor".into(), Value::str(minor));
        let mut caps = BTreeMap::new();
        caps.insert("KubeVersion".into(), Value::from_map(kube));
        caps.insert("APIVersions".into(), Value::list(Vec::new()));
        let mut top = BTreeMap::new();
        top.insert("Values".into(), vals);
        top.insert("Release".into(), Value::from_map(release));
        top.insert("Chart".into(), Value::from_map(self.metadata.clone()));
        top.insert("Capabilities".into(), Value::from_map(caps));
        top.insert("Files".into(), Value::Files(Rc::new(self.files.clone())));
        let top = Value::from_map(top);

        let mut out = Vec::new();
        for (name, _) in &names {
            let base = name.rsplit('/').next().unwrap_or(name);
            if base.starts_with('_') {
                continue;
            }
            if let Value::Map(m) = &top {
                let mut t = BTreeMap::new();
                t.insert("Name".into(), Value::str(name.as_str()));
                t.insert(
                    "BasePath".into(),
                    Value::str(format!("{}/templates", self.name)),
                );
                m.borrow_mut().insert("Template".into(), Value::from_map(t));
            }
            let text = set.execute(name, &top)?;
            if name.ends_with(".txt") {
                continue;
            }
            out.push((name.clone(), text.replace("<no value>", "")));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        let mut crds = self.crds.clone();
        crds.sort();
        out.extend(crds);
        Ok(out)
    }
}

fn kube_major_minor(v: &str) -> (String, String) {
    let mut parts = v.trim_start_matches('v').split('.');
    (
        parts.next().unwrap_or("1").to_string(),
        parts.next().unwrap_or("0").to_string(),
    )
}

/// Helm's CoalesceValues: chart defaults fill in what the given values lack; a given null
/// removes a default.
pub fn coalesce(dst: &Value, defaults: &Value) {
    let (Value::Map(d), Value::Map(s)) = (dst, defaults) else {
        return;
    };
    let src = s.borrow().clone();
    for (k, sv) in src {
        let dv = d.borrow().get(&k).cloned();
        match dv {
            None => {
                d.borrow_mut().insert(k, sv);
            }
            Some(Value::Nil) => {
                d.borrow_mut().remove(&k);
            }
            Some(dm @ Value::Map(_)) => {
                if matches!(sv, Value::Map(_)) {
                    coalesce(&dm, &sv);
                }
            }
            Some(_) => {}
        }
    }
}

/// Renders one template string with `data` (for tests and `tpl`-like uses).
pub fn render_str(src: &str, data: &Value) -> Result<String, ChartError> {
    let set = Templates::new();
    set.add("t", src)?;
    Ok(set.execute("t", data)?)
}

#[cfg(test)]
mod tests;
