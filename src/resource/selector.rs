//! Kubernetes equality label selectors.

use std::fmt;

use super::{Labels, Node};

/// An AND of `key=value` pairs, kept sorted by key. An empty selector matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Selector {
    pairs: Vec<(String, String)>,
}

impl Selector {
    /// From a mapping node such as `spec.selector` or `matchLabels`; a missing node is empty.
    pub fn from_node(node: &Node) -> Selector {
        Selector::from_pairs(node.string_map())
    }

    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Selector {
        let mut pairs: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        pairs.sort();
        pairs.dedup_by(|a, b| a.0 == b.0);
        Selector { pairs }
    }

    pub fn from_labels(labels: &Labels) -> Selector {
        Selector::from_pairs(labels.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    pub fn matches(&self, labels: &Labels) -> bool {
        self.pairs
            .iter()
            .all(|(k, v)| labels.get(k).is_some_and(|l| l == v))
    }

    /// The alphabetically first key: istioctl points messages about a selector at it.
    pub fn first_key(&self) -> Option<&str> {
        self.pairs.first().map(|(k, _)| k.as_str())
    }

    /// True when every pair of `self` is also in `other`.
    pub fn is_subset_of(&self, other: &Selector) -> bool {
        self.pairs.iter().all(|p| other.pairs.contains(p))
    }
}

impl fmt::Display for Selector {
    /// `k1=v1,k2=v2`, keys sorted; empty for the empty selector.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (k, v)) in self.pairs.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{k}={v}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_and_rendering() {
        let sel = Selector::from_pairs([("istio", "ingressgateway"), ("app", "gw")]);
        assert_eq!(sel.to_string(), "app=gw,istio=ingressgateway");
        assert_eq!(sel.first_key(), Some("app"));
        let mut labels = Labels::new();
        labels.insert("istio".into(), "ingressgateway".into());
        assert!(!sel.matches(&labels));
        labels.insert("app".into(), "gw".into());
        assert!(sel.matches(&labels));
        assert!(Selector::default().matches(&Labels::new()));
    }
}
