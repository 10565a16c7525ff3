//! What the user may do: SelfSubjectAccessReviews, asked concurrently, one per verb, resource
//! and namespace (as `kubectl auth can-i` asks them).

use ::kube::api::{Api, PostParams};
use futures::StreamExt as _;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};

use super::{Kube, KubeError};

/// One question: may the user `verb` `resource` (of `group`) in `namespace` (cluster-wide:
/// `None`)?
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Access {
    pub verb: String,
    /// The API group, `""` for the core group.
    pub group: String,
    /// The plural resource name (`deployments`).
    pub resource: String,
    pub namespace: Option<String>,
}

impl std::fmt::Display for Access {
    /// `create deployments.apps in namespace istio-system`, `list services (cluster-wide)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.verb, self.resource)?;
        if !self.group.is_empty() {
            write!(f, ".{}", self.group)?;
        }
        match &self.namespace {
            Some(ns) => write!(f, " in namespace {ns}"),
            None => f.write_str(" (cluster-wide)"),
        }
    }
}

/// How many reviews are in flight at once.
const CONCURRENT_REVIEWS: usize = 32;

impl Kube {
    /// Asks the server, for each entry, whether the user may do it. The answers come in the
    /// order of `checks`.
    pub async fn can_i(&self, checks: &[Access]) -> Result<Vec<bool>, KubeError> {
        let api: Api<SelfSubjectAccessReview> = Api::all(self.client().clone());
        let api = &api;
        let answers: Vec<Result<bool, KubeError>> = futures::stream::iter(checks)
            .map(|c| async move {
                let review = SelfSubjectAccessReview {
                    spec: SelfSubjectAccessReviewSpec {
                        resource_attributes: Some(ResourceAttributes {
                            verb: Some(c.verb.clone()),
                            group: Some(c.group.clone()),
                            resource: Some(c.resource.clone()),
                            namespace: c.namespace.clone(),
                            ..Default::default()
                        }),
                        ..Default::default()
                    },
                    ..Default::default()
                };
                let answer = api
                    .create(&PostParams::default(), &review)
                    .await
                    .map_err(|e| self.error("create SelfSubjectAccessReview", e))?;
                Ok(answer.status.is_some_and(|s| s.allowed))
            })
            .buffered(CONCURRENT_REVIEWS)
            .collect()
            .await;
        answers.into_iter().collect()
    }
}
