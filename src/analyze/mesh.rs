//! Mesh configuration (MeshConfig and MeshNetworks) as the analyzers see it: Istio's defaults,
//! with a user's file or the cluster's `istio` ConfigMap merged over them.

use crate::resource::node::{self, Entry, Node, Value};
use crate::resource::{Kind, Origin, Resource};

/// The parts of Istio's default MeshConfig that analyzers read.
const DEFAULT_MESH_CONFIG: &str = "\
ingressService: istio-ingressgateway
ingressControllerMode: STRICT
ingressClass: istio
rootNamespace: istio-system
enableAutoMtls: true
trustDomain: cluster.local
accessLogFile: ''
defaultProviders: {}
extensionProviders:
- name: prometheus
  prometheus: {}
- name: stackdriver
  stackdriver: {}
- name: envoy
  envoyFileAccessLog:
    path: /dev/stdout
defaultConfig:
  discoveryAddress: istiod.istio-system.svc:15012
  proxyMetadata: {}
";

#[derive(Clone, Debug)]
pub struct MeshConfig {
    /// The effective MeshConfig document.
    pub config: Node,
    /// The MeshNetworks document (`networks: {}` by default).
    pub networks: Node,
}

impl Default for MeshConfig {
    fn default() -> Self {
        MeshConfig {
            config: parse_one(DEFAULT_MESH_CONFIG).expect("built-in mesh config parses"),
            networks: parse_one("networks: {}\n").expect("built-in mesh networks parse"),
        }
    }
}

/// A mesh config file that could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}:{line}:{col}: {message}")]
pub struct MeshConfigError {
    pub source_name: String,
    pub line: u32,
    pub col: u32,
    pub message: String,
}

fn parse_one(text: &str) -> Result<Node, node::ParseError> {
    Ok(node::parse_documents(text, 0)?
        .into_iter()
        .next()
        .unwrap_or_else(|| Node::null(Default::default())))
}

fn parse_mapping(text: &str, source_name: &str) -> Result<Node, MeshConfigError> {
    let node = parse_one(text).map_err(|e| MeshConfigError {
        source_name: source_name.to_string(),
        line: e.pos.line,
        col: e.pos.col,
        message: format!("invalid YAML: {}", e.message),
    })?;
    if node.is_null() {
        return Ok(node);
    }
    if !node.is_map() {
        return Err(MeshConfigError {
            source_name: source_name.to_string(),
            line: node.pos.line,
            col: node.pos.col,
            message: "expected a mapping of mesh config fields".into(),
        });
    }
    Ok(node)
}

/// Merges `over` into `base`: mappings merge key by key, anything else replaces.
fn merge(base: &mut Node, over: Node) {
    match (&mut base.value, over.value) {
        (Value::Map(base_entries), Value::Map(over_entries)) => {
            for e in over_entries {
                match base_entries.iter_mut().find(|b| b.key == e.key) {
                    Some(b) => merge(&mut b.value, e.value),
                    None => base_entries.push(Entry { ..e }),
                }
            }
        }
        (_, value) => {
            base.value = value;
            base.pos = over.pos;
        }
    }
}

impl MeshConfig {
    /// Applies a MeshConfig YAML (plain MeshConfig fields) over the current config.
    pub fn apply_config(&mut self, text: &str, source_name: &str) -> Result<(), MeshConfigError> {
        let node = parse_mapping(text, source_name)?;
        if !node.is_null() {
            merge(&mut self.config, node);
        }
        Ok(())
    }

    /// Replaces the MeshNetworks document.
    pub fn apply_networks(&mut self, text: &str, source_name: &str) -> Result<(), MeshConfigError> {
        let node = parse_mapping(text, source_name)?;
        if !node.is_null() {
            merge(&mut self.networks, node);
        }
        Ok(())
    }

    pub fn root_namespace(&self) -> &str {
        match self.config.path(&["rootNamespace"]).text() {
            "" => "istio-system",
            ns => ns,
        }
    }

    /// The resources `istio-system/meshconfig` and `istio-system/meshnetworks` that analyzers
    /// reading MeshConfig or MeshNetworks report on.
    pub fn as_resources(&self, istio_namespace: &str) -> Vec<Resource> {
        [
            (Kind::MeshConfig, "meshconfig", &self.config),
            (Kind::MeshNetworks, "meshnetworks", &self.networks),
        ]
        .into_iter()
        .map(|(kind, name, spec)| {
            let mut r = Resource::from_node(
                kind,
                "v1",
                Node::null(Default::default()),
                Origin::Synthetic,
            );
            let mut doc = Node {
                value: Value::Map(Vec::new()),
                pos: Default::default(),
            };
            doc.set("spec", spec.clone());
            r.doc = doc;
            r.name = name.to_string();
            r.namespace = istio_namespace.to_string();
            r
        })
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_config_merges_over_defaults() {
        let mut m = MeshConfig::default();
        assert_eq!(m.root_namespace(), "istio-system");
        m.apply_config(
            "rootNamespace: mesh-root\ndefaultConfig:\n  proxyMetadata:\n    A: b\n",
            "m.yaml",
        )
        .unwrap();
        assert_eq!(m.root_namespace(), "mesh-root");
        assert_eq!(
            m.config
                .path(&["defaultConfig", "proxyMetadata", "A"])
                .text(),
            "b"
        );
        assert_eq!(
            m.config.path(&["defaultConfig", "discoveryAddress"]).text(),
            "istiod.istio-system.svc:15012"
        );
        let err = m.apply_config("a: [", "bad.yaml").unwrap_err();
        assert!(err.to_string().starts_with("bad.yaml:"));
    }
}
