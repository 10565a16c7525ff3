//! `k8sgateway.CRDVersionAnalyzer`: Gateway API CRDs older than Istio needs are ignored by Istio,
//! so the routes they define are never programmed (IST0176).
//!
//! The installed version is the CRD's `gateway.networking.k8s.io/bundle-version` annotation,
//! read as a lenient semantic version (a leading `v` and missing minor or patch are fine); a
//! pre-release of the minimum counts as the minimum. CRDs without the annotation, or with one
//! that is not a version, are not judged.

use std::cmp::Ordering;

use crate::analyze::catalogue::IST0176;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::Kind;

pub struct CRDVersionAnalyzer;

static METADATA: Metadata = Metadata {
    name: "k8sgateway.CRDVersionAnalyzer",
    description: "Checks Gateway API CRDs are at the minimum version required by this Istio version",
    inputs: &[Kind::CustomResourceDefinition],
    codes: &[&IST0176],
};

const BUNDLE_VERSION: &str = "gateway.networking.k8s.io/bundle-version";

/// The minimum bundle version of each Gateway API CRD that Istio gates on.
const MINIMUM_VERSIONS: &[(&str, (u64, u64, u64))] = &[
    ("grpcroutes.gateway.networking.k8s.io", (1, 1, 0)),
    ("backendtlspolicies.gateway.networking.k8s.io", (1, 4, 0)),
    ("tlsroutes.gateway.networking.k8s.io", (1, 5, 0)),
    ("tcproutes.gateway.networking.k8s.io", (1, 6, 0)),
];

/// A version as `major.minor.patch[-pre][+build]`.
#[derive(Debug, PartialEq, Eq)]
struct Version {
    core: (u64, u64, u64),
    pre: String,
    build: String,
}

impl Version {
    /// Lenient parsing: `v1.4`, `1`, `1.4.1-rc.1+abc`.
    fn parse(text: &str) -> Option<Version> {
        let text = text.strip_prefix('v').unwrap_or(text);
        let (rest, build) = match text.split_once('+') {
            Some((r, b)) => (r, b),
            None => (text, ""),
        };
        let (core, pre) = match rest.split_once('-') {
            Some((c, p)) => (c, p),
            None => (rest, ""),
        };
        let identifiers_ok = |s: &str| {
            s.split('.').all(|id| {
                !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
        };
        if (text.contains('+') && !identifiers_ok(build))
            || (rest.contains('-') && !identifiers_ok(pre))
        {
            return None;
        }
        // Numeric pre-release identifiers must not have leading zeros.
        if !pre.is_empty()
            && pre.split('.').any(|id| {
                id.len() > 1 && id.starts_with('0') && id.bytes().all(|b| b.is_ascii_digit())
            })
        {
            return None;
        }
        let mut parts = core.split('.');
        let mut number = |required: bool| -> Option<u64> {
            match parts.next() {
                None if !required => Some(0),
                Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok(),
                _ => None,
            }
        };
        let major = number(true)?;
        let minor = number(false)?;
        let patch = number(false)?;
        if parts.next().is_some() {
            return None;
        }
        Some(Version {
            core: (major, minor, patch),
            pre: pre.to_string(),
            build: build.to_string(),
        })
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (a, b, c) = self.core;
        write!(f, "{a}.{b}.{c}")?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.build.is_empty() {
            write!(f, "+{}", self.build)?;
        }
        Ok(())
    }
}

impl Analyzer for CRDVersionAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        for crd in ctx.snapshot.of_kind(Kind::CustomResourceDefinition) {
            let Some(&(_, minimum)) = MINIMUM_VERSIONS.iter().find(|(name, _)| *name == crd.name)
            else {
                continue;
            };
            let Some(installed) = crd
                .annotations
                .get(BUNDLE_VERSION)
                .and_then(|v| Version::parse(v))
            else {
                continue;
            };
            if installed.core.cmp(&minimum) == Ordering::Less {
                let (a, b, c) = minimum;
                ctx.report(
                    &IST0176,
                    crd,
                    Some(format!("metadata.annotations.{BUNDLE_VERSION}")),
                    vec![
                        crd.name.clone().into(),
                        installed.to_string().into(),
                        format!("{a}.{b}.{c}").into(),
                    ],
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{CRDVersionAnalyzer, Version};
    use crate::analyze::testing::findings;

    #[test]
    fn lenient_versions() {
        let v = |s: &str| Version::parse(s).map(|v| v.to_string());
        assert_eq!(v("v1.4.1").as_deref(), Some("1.4.1"));
        assert_eq!(v("1.5").as_deref(), Some("1.5.0"));
        assert_eq!(v("v1.5.0-rc.1+x").as_deref(), Some("1.5.0-rc.1+x"));
        assert_eq!(v("1.5.0-rc.01"), None);
        assert_eq!(v("1.5.0.1"), None);
        assert_eq!(v("latest"), None);
        assert_eq!(v(""), None);
    }

    #[test]
    fn old_bundles_are_reported() {
        let input = "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: tcproutes.gateway.networking.k8s.io
  annotations: {gateway.networking.k8s.io/bundle-version: v1.6.0-rc.1}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: tlsroutes.gateway.networking.k8s.io
  annotations: {gateway.networking.k8s.io/bundle-version: v1.4.1-rc.2}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: httproutes.gateway.networking.k8s.io
  annotations: {gateway.networking.k8s.io/bundle-version: v0.1.0}
";
        assert_eq!(
            findings(&CRDVersionAnalyzer, input),
            vec![
                "Warning [IST0176] (CustomResourceDefinition tlsroutes.gateway.networking.k8s.io t.yaml:11:17) \
                 Gateway API CRD \"tlsroutes.gateway.networking.k8s.io\" is at version \"1.4.1-rc.2\" but Istio \
                 requires at least \"1.5.0\"; resources of this kind will not be processed. Upgrade the Gateway \
                 API CRDs to satisfy the minimum version."
            ]
        );
    }
}
