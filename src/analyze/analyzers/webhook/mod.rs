//! Analyzers of the `webhook` area, and the Kubernetes label selectors (`matchLabels` plus
//! `matchExpressions`) that admission webhooks select namespaces and objects with.

mod injector;

pub use injector::WebhookAnalyzer;

use crate::analyze::Analyzer;
use crate::resource::{Labels, Node};

pub static ANALYZERS: &[&dyn Analyzer] = &[&WebhookAnalyzer];

/// A `metav1.LabelSelector`: all `matchLabels` pairs and all `matchExpressions` must hold.
#[derive(Clone, Debug, Default)]
pub struct LabelSelector {
    requirements: Vec<Requirement>,
    /// A selector Kubernetes would reject (unknown operator, wrong number of values) selects
    /// nothing.
    invalid: bool,
}

#[derive(Clone, Debug)]
enum Requirement {
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

impl LabelSelector {
    /// Reads a selector. A missing (or null) selector is `None`: webhooks treat it as "select
    /// everything", like an empty one.
    pub fn from_node(node: Option<&Node>) -> Option<LabelSelector> {
        let node = node.filter(|n| !n.is_null())?;
        let mut selector = LabelSelector::default();
        for (key, value) in node.path(&["matchLabels"]).string_map() {
            selector
                .requirements
                .push(Requirement::In(key.to_string(), vec![value.to_string()]));
        }
        for expr in node.path(&["matchExpressions"]).as_seq() {
            let key = expr.path(&["key"]).text().to_string();
            let values: Vec<String> = expr
                .path(&["values"])
                .string_list()
                .map(str::to_string)
                .collect();
            let requirement = match expr.path(&["operator"]).text() {
                "In" if !values.is_empty() => Requirement::In(key, values),
                "NotIn" if !values.is_empty() => Requirement::NotIn(key, values),
                "Exists" if values.is_empty() => Requirement::Exists(key),
                "DoesNotExist" if values.is_empty() => Requirement::DoesNotExist(key),
                _ => {
                    selector.invalid = true;
                    continue;
                }
            };
            selector.requirements.push(requirement);
        }
        Some(selector)
    }

    pub fn matches(&self, labels: &Labels) -> bool {
        !self.invalid
            && self.requirements.iter().all(|r| match r {
                Requirement::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
                Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
                Requirement::Exists(k) => labels.contains_key(k),
                Requirement::DoesNotExist(k) => !labels.contains_key(k),
            })
    }
}

/// Whether an optional selector matches: a missing one matches everything.
pub fn selector_matches(selector: Option<&LabelSelector>, labels: &Labels) -> bool {
    selector.is_none_or(|s| s.matches(labels))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::node::parse_documents;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn selector(yaml: &str) -> Option<LabelSelector> {
        let doc = parse_documents(yaml, 0).unwrap().remove(0);
        LabelSelector::from_node(doc.get("s"))
    }

    #[test]
    fn match_labels_and_expressions() {
        let s = selector(
            "s:\n  matchLabels: {a: '1'}\n  matchExpressions:\n  - {key: b, operator: NotIn, values: [x]}\n  \
             - {key: c, operator: Exists}\n  - {key: d, operator: DoesNotExist}\n  - {key: e, operator: In, values: [y, z]}\n",
        )
        .unwrap();
        assert!(s.matches(&labels(&[("a", "1"), ("c", ""), ("e", "z")])));
        assert!(!s.matches(&labels(&[("a", "1"), ("b", "x"), ("c", ""), ("e", "z")])));
        assert!(!s.matches(&labels(&[("a", "1"), ("c", ""), ("d", ""), ("e", "z")])));
        assert!(!s.matches(&labels(&[("a", "1"), ("c", ""), ("e", "q")])));
        assert!(selector("s: null\n").is_none());
        assert!(selector("s: {}\n").unwrap().matches(&Labels::new()));
        let bad = selector("s:\n  matchExpressions: [{key: a, operator: In}]\n").unwrap();
        assert!(!bad.matches(&labels(&[("a", "")])));
        assert!(selector_matches(None, &Labels::new()));
    }
}
