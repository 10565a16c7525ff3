//! Discovery: which API resource serves a kind (falling back to another served version when the
//! asked one is missing, as a 1.20 server serves CronJob only as batch/v1beta1), whether a CRD's
//! kind is installed, and the server version against a supported range.

use std::fmt;

use ::kube::discovery::{self, ApiCapabilities, ApiGroup, ApiResource, Discovery, Scope};

use super::error::KubeError;
use super::{Kube, ObjectRef};

/// A kind as the server serves it.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub resource: ApiResource,
    pub capabilities: ApiCapabilities,
    /// The version that was asked for when the server serves the kind only at another one.
    pub fallback_from: Option<String>,
}

impl Resolved {
    pub fn namespaced(&self) -> bool {
        self.capabilities.scope == Scope::Namespaced
    }

    /// The object `name` of this kind; `namespace` is dropped for cluster-scoped kinds.
    pub fn object(&self, namespace: Option<&str>, name: &str) -> ObjectRef {
        ObjectRef {
            resource: self.resource.clone(),
            namespace: self
                .namespaced()
                .then(|| namespace.unwrap_or("default").to_string()),
            name: name.to_string(),
        }
    }
}

/// `major.minor` of the API server, with its full version text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerVersion {
    pub major: u32,
    pub minor: u32,
    /// `v1.20.15`.
    pub git_version: String,
}

impl fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.git_version)
    }
}

/// The Kubernetes versions something supports, `major.minor` inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VersionRange {
    pub min: (u32, u32),
    /// `None`: no known upper bound.
    pub max: Option<(u32, u32)>,
}

impl fmt::Display for VersionRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max {
            Some(max) => write!(f, "{}.{} to {}.{}", self.min.0, self.min.1, max.0, max.1),
            None => write!(f, "{}.{} or newer", self.min.0, self.min.1),
        }
    }
}

impl VersionRange {
    pub fn contains(&self, v: &ServerVersion) -> bool {
        let v = (v.major, v.minor);
        v >= self.min && self.max.is_none_or(|max| v <= max)
    }
}

/// An API something needs that the server does not serve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingApi {
    pub api_version: String,
    pub kind: String,
    /// Versions of the kind the server does serve.
    pub served: Vec<String>,
}

impl fmt::Display for MissingApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.api_version, self.kind)?;
        match self.served.as_slice() {
            [] => write!(f, " (not served at all)"),
            served => write!(f, " (it serves {} only)", served.join(", ")),
        }
    }
}

/// A group's resources: the recommended version of each kind first, then every version the
/// server lists, in its order.
fn ordered(g: &ApiGroup) -> Vec<(ApiResource, ApiCapabilities)> {
    let mut all = g.recommended_resources();
    for version in g.versions() {
        all.extend(g.versioned_resources(version));
    }
    all
}

/// The kind at exactly `version`, or else at the first version that serves it.
fn pick(
    resources: &[(ApiResource, ApiCapabilities)],
    api_version: &str,
    version: &str,
    kind: &str,
) -> Option<Resolved> {
    let exact = resources
        .iter()
        .find(|(ar, _)| ar.kind == kind && ar.version == version);
    let (found, fallback) = match exact {
        Some(f) => (f, false),
        None => (resources.iter().find(|(ar, _)| ar.kind == kind)?, true),
    };
    Some(Resolved {
        resource: found.0.clone(),
        capabilities: found.1.clone(),
        fallback_from: fallback.then(|| api_version.to_string()),
    })
}

fn split_api_version(api_version: &str) -> (&str, &str) {
    api_version.rsplit_once('/').unwrap_or(("", api_version))
}

fn leading_number(s: &str) -> Option<u32> {
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

impl Kube {
    /// Every resource of an API group, most preferred version first (empty when the server does
    /// not serve the group), and whether it came from the cache. `refresh` asks again (a CRD
    /// just created).
    async fn group_resources(
        &self,
        group: &str,
        refresh: bool,
    ) -> Result<(Vec<(ApiResource, ApiCapabilities)>, bool), KubeError> {
        if !refresh && let Some(found) = self.0.resources.lock().unwrap().get(group) {
            return Ok((found.clone(), true));
        }
        let found = match discovery::group(&self.0.client, group).await {
            Ok(g) => ordered(&g),
            // The server does not serve the group at all, or no longer does (its CRD was
            // deleted between the listing of the groups and this request).
            Err(::kube::Error::Discovery(_)) => Vec::new(),
            Err(::kube::Error::Api(s)) if s.code == 404 => Vec::new(),
            Err(e) => return Err(self.error(&format!("discover API group {group:?}"), e)),
        };
        self.0
            .resources
            .lock()
            .unwrap()
            .insert(group.to_string(), found.clone());
        Ok((found, false))
    }

    /// Discovers several API groups at once (one listing of the server's groups), so that
    /// [`Kube::find_known`] answers from what was found.
    pub async fn discover(&self, groups: &[&str]) -> Result<(), KubeError> {
        let found = match Discovery::new(self.0.client.clone())
            .filter(groups)
            .run()
            .await
        {
            Ok(found) => found,
            // A group the server listed can be gone by the time its resources are asked for
            // (a CRD deleted meanwhile): then ask group by group, where a group that is gone
            // counts as not served, as kubectl's discovery goes on past a vanished group.
            Err(::kube::Error::Api(s)) if s.code == 404 => {
                for &group in groups {
                    self.group_resources(group, true).await?;
                }
                return Ok(());
            }
            Err(e) => return Err(self.error("discover the served APIs", e)),
        };
        let mut cache = self.0.resources.lock().unwrap();
        for &group in groups {
            cache.insert(
                group.to_string(),
                found.get(group).map(ordered).unwrap_or_default(),
            );
        }
        Ok(())
    }

    /// Like [`Kube::find`] from what discovery already found, without asking the server.
    pub fn find_known(&self, api_version: &str, kind: &str) -> Option<Resolved> {
        let (group, version) = split_api_version(api_version);
        let cache = self.0.resources.lock().unwrap();
        pick(cache.get(group)?, api_version, version, kind)
    }

    /// The resource serving `kind` at `api_version` (`apps/v1`, `v1`), or at the most preferred
    /// version the server has when it lacks that one (`fallback_from` says so). `None` when the
    /// server has no version of the kind.
    pub async fn find(&self, api_version: &str, kind: &str) -> Result<Option<Resolved>, KubeError> {
        let (group, version) = split_api_version(api_version);
        let (resources, cached) = self.group_resources(group, false).await?;
        if let Some(found) = pick(&resources, api_version, version, kind) {
            return Ok(Some(found));
        }
        if !cached {
            return Ok(None);
        }
        let (resources, _) = self.group_resources(group, true).await?;
        Ok(pick(&resources, api_version, version, kind))
    }

    /// Like [`Kube::find`], but a kind the server does not serve is an error naming it.
    pub async fn resolve(&self, api_version: &str, kind: &str) -> Result<Resolved, KubeError> {
        self.find(api_version, kind)
            .await?
            .ok_or_else(|| KubeError::NotServed {
                api_version: api_version.to_string(),
                kind: kind.to_string(),
                served: Vec::new(),
            })
    }

    /// The resource of a kind at exactly `api_version`, with no fallback; the error names the
    /// versions the server serves instead.
    pub async fn resolve_exact(
        &self,
        api_version: &str,
        kind: &str,
    ) -> Result<Resolved, KubeError> {
        match self.find(api_version, kind).await? {
            Some(r) if r.fallback_from.is_none() => Ok(r),
            _ => Err(KubeError::NotServed {
                api_version: api_version.to_string(),
                kind: kind.to_string(),
                served: self.served_versions(api_version, kind).await?,
            }),
        }
    }

    /// The object `name` of a kind the server serves at exactly `api_version` (`namespace` is
    /// dropped for cluster-scoped kinds, and defaults to the context's).
    pub async fn object(
        &self,
        api_version: &str,
        kind: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<ObjectRef, KubeError> {
        let resolved = self.resolve_exact(api_version, kind).await?;
        Ok(resolved.object(Some(namespace.unwrap_or(self.default_namespace())), name))
    }

    /// `group/version` of every version of the kind the server serves.
    async fn served_versions(
        &self,
        api_version: &str,
        kind: &str,
    ) -> Result<Vec<String>, KubeError> {
        let (group, _) = split_api_version(api_version);
        let mut served: Vec<String> = self
            .group_resources(group, false)
            .await?
            .0
            .iter()
            .filter(|(ar, _)| ar.kind == kind)
            .map(|(ar, _)| ar.api_version.clone())
            .collect();
        served.sort();
        served.dedup();
        Ok(served)
    }

    /// Whether the server serves `kind` in `group` at any version (is the CRD installed).
    pub async fn is_installed(&self, group: &str, kind: &str) -> Result<bool, KubeError> {
        // No version: any served version of the kind counts.
        Ok(self.find(&format!("{group}/"), kind).await?.is_some())
    }

    /// The server's version (`/version`).
    pub async fn server_version(&self) -> Result<ServerVersion, KubeError> {
        let info = self
            .0
            .client
            .apiserver_version()
            .await
            .map_err(|e| self.error("read the server version", e))?;
        let parse = |field: &str, text: &str| {
            leading_number(text).ok_or_else(|| KubeError::Api {
                action: "read the server version".into(),
                server: self.0.server.clone(),
                code: 200,
                message: format!("{field} {text:?} is not a number"),
            })
        };
        Ok(ServerVersion {
            major: parse("major", &info.major)?,
            minor: parse("minor", &info.minor)?,
            git_version: info.git_version,
        })
    }

    /// Which of `needed` (`(apiVersion, kind)`) the server does not serve at that exact version.
    pub async fn missing_apis(
        &self,
        needed: &[(&str, &str)],
    ) -> Result<Vec<MissingApi>, KubeError> {
        let mut missing = Vec::new();
        for &(api_version, kind) in needed {
            match self.find(api_version, kind).await? {
                Some(r) if r.fallback_from.is_none() => {}
                _ => missing.push(MissingApi {
                    api_version: api_version.to_string(),
                    kind: kind.to_string(),
                    served: self.served_versions(api_version, kind).await?,
                }),
            }
        }
        Ok(missing)
    }

    /// Checks the server against a supported version range and the APIs a task needs, and says
    /// plainly what it lacks.
    pub async fn check_server(
        &self,
        range: &VersionRange,
        needed: &[(&str, &str)],
    ) -> Result<ServerVersion, KubeError> {
        let version = self.server_version().await?;
        let missing: Vec<String> = self
            .missing_apis(needed)
            .await?
            .iter()
            .map(ToString::to_string)
            .collect();
        if !range.contains(&version) {
            return Err(KubeError::UnsupportedServer {
                version: version.to_string(),
                range: range.to_string(),
                missing,
            });
        }
        if !missing.is_empty() {
            return Err(KubeError::MissingApis {
                version: version.to_string(),
                missing,
            });
        }
        Ok(version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(minor: u32) -> ServerVersion {
        ServerVersion {
            major: 1,
            minor,
            git_version: format!("v1.{minor}.0"),
        }
    }

    #[test]
    fn ranges_are_inclusive() {
        let r = VersionRange {
            min: (1, 28),
            max: Some((1, 33)),
        };
        assert!(!r.contains(&v(27)));
        assert!(r.contains(&v(28)));
        assert!(r.contains(&v(33)));
        assert!(!r.contains(&v(34)));
        assert_eq!(r.to_string(), "1.28 to 1.33");
        let open = VersionRange {
            min: (1, 20),
            max: None,
        };
        assert!(open.contains(&v(40)));
        assert_eq!(open.to_string(), "1.20 or newer");
    }

    #[test]
    fn minor_versions_with_a_plus_parse() {
        assert_eq!(leading_number("20+"), Some(20));
        assert_eq!(leading_number("x"), None);
    }
}
