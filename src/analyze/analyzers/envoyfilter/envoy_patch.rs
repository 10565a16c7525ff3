//! `envoyfilter.EnvoyPatchAnalyzer`: patch operations that Envoy ignores, or that depend on the
//! order in which EnvoyFilters are applied.
//!
//! - `ADD` and `REMOVE` do nothing on `ROUTE_CONFIGURATION` and `HTTP_ROUTE` (IST0153, IST0154).
//! - `REPLACE` only works on `NETWORK_FILTER`, `HTTP_FILTER` and `VIRTUAL_HOST` (IST0152).
//! - Other `REMOVE`s and `REPLACE`s, and `INSERT_BEFORE`/`INSERT_AFTER`, are relative to what
//!   other filters did before. Without a `priority` the order is not guaranteed (IST0151); when
//!   an earlier patch with a `proxyVersion` match touched the same filter, an upgrade can change
//!   the order too (IST0155).
//!
//! A patch is known by its filter: `patch.value.name`, else the listener filter its match names.
//! The filters of `proxyVersion` patches are remembered across EnvoyFilters, in input order.
//! Patches are read up to the first one without a `patch` section, as istioctl does.
//!
//! istioctl reports each of these on the EnvoyFilter's first line, so repeated findings of one
//! code on one EnvoyFilter collapse into one; we report each code once per EnvoyFilter, at the
//! first patch that has the problem.

use std::collections::HashSet;

use crate::analyze::catalogue::{IST0151, IST0152, IST0153, IST0154, IST0155, MessageType};
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::{Kind, Node};

pub struct EnvoyPatchAnalyzer;

static METADATA: Metadata = Metadata {
    name: "envoyfilter.EnvoyPatchAnalyzer",
    // Istio's description, trailing space included.
    description: "Checks an envoyFilters ",
    inputs: &[Kind::EnvoyFilter],
    codes: &[&IST0151, &IST0152, &IST0153, &IST0154, &IST0155],
};

/// `applyTo` values, in the order of their enum numbers (so a number reads the same).
const APPLY_TO: &[&str] = &[
    "INVALID",
    "LISTENER",
    "FILTER_CHAIN",
    "NETWORK_FILTER",
    "HTTP_FILTER",
    "ROUTE_CONFIGURATION",
    "VIRTUAL_HOST",
    "HTTP_ROUTE",
    "CLUSTER",
    "EXTENSION_CONFIG",
    "BOOTSTRAP",
    "LISTENER_FILTER",
];

/// `patch.operation` values, in the order of their enum numbers.
const OPERATIONS: &[&str] = &[
    "INVALID",
    "MERGE",
    "ADD",
    "REMOVE",
    "INSERT_BEFORE",
    "INSERT_AFTER",
    "INSERT_FIRST",
    "REPLACE",
];

/// An enum field as its name, whether written as the name or as its number.
fn enum_name<'a>(node: &'a Node, names: &[&'a str]) -> &'a str {
    match node.as_i64() {
        Some(i) => usize::try_from(i)
            .ok()
            .and_then(|i| names.get(i).copied())
            .unwrap_or(""),
        None => node.text(),
    }
}

/// The filter a patch is about: `patch.value.name` when the value has one, else the name of the
/// listener filter the patch matches. Only patches with a non-empty value have one at all.
fn instance_name(patch: &Node) -> String {
    let value = patch.path(&["patch", "value"]);
    if value.as_map().is_empty() {
        return String::new();
    }
    match value.get("name").filter(|n| !n.is_null()) {
        Some(name) => name.text().to_string(),
        None => patch
            .path(&["match", "listener", "filterChain", "filter", "name"])
            .text()
            .to_string(),
    }
}

impl Analyzer for EnvoyPatchAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        // Filters touched by earlier patches that match on a proxy version.
        let mut versioned: HashSet<String> = HashSet::new();
        for ef in snap.of_kind(Kind::EnvoyFilter) {
            let spec = ef.spec();
            let prioritized = spec.path(&["priority"]).as_i64().unwrap_or(0) != 0;
            let mut reported: Vec<&'static MessageType> = Vec::new();
            for (i, patch) in spec.path(&["configPatches"]).as_seq().iter().enumerate() {
                if patch.get("patch").is_none_or(Node::is_null) {
                    break;
                }
                let name = instance_name(patch);
                let apply_to = enum_name(patch.path(&["applyTo"]), APPLY_TO);
                let on_routes = matches!(apply_to, "ROUTE_CONFIGURATION" | "HTTP_ROUTE");
                let finding: Option<&'static MessageType> =
                    match enum_name(patch.path(&["patch", "operation"]), OPERATIONS) {
                        "ADD" if on_routes => Some(&IST0153),
                        "REMOVE" if on_routes => Some(&IST0154),
                        "REPLACE"
                            if !matches!(
                                apply_to,
                                "NETWORK_FILTER" | "HTTP_FILTER" | "VIRTUAL_HOST"
                            ) =>
                        {
                            Some(&IST0152)
                        }
                        "REMOVE" | "REPLACE" | "INSERT_BEFORE" | "INSERT_AFTER" if !prioritized => {
                            if versioned.contains(&name) {
                                Some(&IST0155)
                            } else {
                                Some(&IST0151)
                            }
                        }
                        _ => None,
                    };
                if let Some(code) = finding
                    && !reported.iter().any(|r| std::ptr::eq(*r, code))
                {
                    reported.push(code);
                    let field = if patch.path(&["patch", "value"]).is_null() {
                        format!("spec.configPatches[{i}].patch")
                    } else {
                        format!("spec.configPatches[{i}].patch.value")
                    };
                    ctx.report(code, ef, Some(field), vec![]);
                }
                if !patch
                    .path(&["match", "proxy", "proxyVersion"])
                    .text()
                    .is_empty()
                {
                    versioned.insert(name);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::EnvoyPatchAnalyzer;
    use crate::analyze::testing::findings;

    #[test]
    fn relative_operations_and_proxy_versions() {
        let input = "\
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: a, namespace: ns}
spec:
  configPatches:
  - applyTo: HTTP_FILTER
    match:
      proxy: {proxyVersion: '^1\\.2.*'}
      listener: {filterChain: {filter: {name: envoy.filters.network.http_connection_manager}}}
    patch:
      operation: INSERT_BEFORE
      value: {typed_config: {}}
  - applyTo: CLUSTER
    patch: {operation: ADD, value: {name: c}}
  - applyTo: HTTP_ROUTE
    patch: {operation: 2}
---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: b, namespace: ns}
spec:
  configPatches:
  - applyTo: NETWORK_FILTER
    match:
      listener: {filterChain: {filter: {name: envoy.filters.network.http_connection_manager}}}
    patch: {operation: REMOVE, value: {stat_prefix: x}}
  - applyTo: CLUSTER
  - applyTo: CLUSTER
    patch: {operation: REPLACE}
---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: c, namespace: ns}
spec:
  priority: -1
  configPatches:
  - applyTo: HTTP_FILTER
    patch: {operation: INSERT_AFTER, value: {name: f}}
  - applyTo: LISTENER
    patch: {operation: REPLACE, value: {name: l}}
";
        assert_eq!(
            findings(&EnvoyPatchAnalyzer, input),
            vec![
                "Error [IST0152] (EnvoyFilter ns/c t.yaml:40:33) The REPLACE operation is only valid for \
                 HTTP_FILTER and NETWORK_FILTER.",
                "Error [IST0153] (EnvoyFilter ns/a t.yaml:16:5) The ADD operation will be ignored when applyTo \
                 is set to ROUTE_CONFIGURATION, or HTTP_ROUTE.",
                "Warning [IST0151] (EnvoyFilter ns/a t.yaml:12:7) This EnvoyFilter does not have a priority and \
                 has a relative patch operation set which can cause the EnvoyFilter not to be applied. Using the \
                 INSERT_FIRST of ADD option or setting the priority may help in ensuring the EnvoyFilter is \
                 applied correctly.",
                "Warning [IST0155] (EnvoyFilter ns/b t.yaml:26:32) This EnvoyFilter does not have a priority and \
                 has a relative patch operation (NSTERT_BEFORE/AFTER, REPLACE, MERGE, DELETE) and proxyVersion \
                 set which can cause the EnvoyFilter not to be applied during an upgrade. Using the INSERT_FIRST \
                 or ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly.",
            ]
        );
    }
}
