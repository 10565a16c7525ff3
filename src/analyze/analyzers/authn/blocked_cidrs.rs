//! `authn.BlockedCIDRsAnalyzer`: when RequestAuthentications exist, istiod fetches the JWKS URIs
//! they name; without `BLOCKED_CIDRS_IN_JWKS_URIS` it will fetch from any address, internal
//! ones included (IST0175, on each istiod Deployment, that is one labelled `app=istiod`).
//!
//! As in Istio, only a literal, non-empty `value` of the variable on one of the pod template's
//! containers counts (a `valueFrom` does not).

use crate::analyze::catalogue::IST0175;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::Kind;
use crate::resource::views::containers;

pub struct BlockedCIDRsAnalyzer;

static METADATA: Metadata = Metadata {
    name: "authn.BlockedCIDRsAnalyzer",
    description: "Checks that BLOCKED_CIDRS_IN_JWKS_URIS is configured on istiod when RequestAuthentication resources exist",
    inputs: &[Kind::RequestAuthentication, Kind::Deployment],
    codes: &[&IST0175],
};

const BLOCKED_CIDRS_ENV: &str = "BLOCKED_CIDRS_IN_JWKS_URIS";

/// How many RequestAuthentication names the message lists before "and N more".
const LISTED_NAMES: usize = 5;

impl Analyzer for BlockedCIDRsAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let mut names: Vec<String> = snap
            .of_kind(Kind::RequestAuthentication)
            .map(|r| r.full_name())
            .collect();
        if names.is_empty() {
            return;
        }
        names.sort();
        let count = names.len() as i64;
        let listed = if names.len() <= LISTED_NAMES {
            names.join(", ")
        } else {
            format!(
                "{}, and {} more",
                names[..LISTED_NAMES].join(", "),
                names.len() - LISTED_NAMES
            )
        };
        for deployment in snap.of_kind(Kind::Deployment) {
            if deployment.labels.get("app").map(String::as_str) != Some("istiod") {
                continue;
            }
            let configured = containers(deployment)
                .iter()
                .filter(|c| !c.init)
                .flat_map(|c| c.node.path(&["env"]).as_seq())
                .any(|e| {
                    e.path(&["name"]).text() == BLOCKED_CIDRS_ENV
                        && !e.path(&["value"]).text().is_empty()
                });
            if !configured {
                ctx.report(
                    &IST0175,
                    deployment,
                    None,
                    vec![count.into(), listed.clone().into()],
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BlockedCIDRsAnalyzer;
    use crate::analyze::testing::findings;

    fn istiod(env: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: istiod, namespace: istio-system, labels: {{app: istiod}}}}\n\
             spec:\n  template:\n    spec:\n      containers:\n      - name: discovery\n        env: {env}\n---\n"
        )
    }

    fn request_authentications(n: usize) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata: {{name: ra{i}, namespace: ns}}\nspec: {{}}\n---\n"
                )
            })
            .collect()
    }

    #[test]
    fn names_are_listed_up_to_five() {
        let input = istiod("[{name: OTHER, value: x}]") + &request_authentications(7);
        assert_eq!(
            findings(&BlockedCIDRsAnalyzer, &input),
            vec![
                "Warning [IST0175] (Deployment istio-system/istiod t.yaml:1:1) BLOCKED_CIDRS_IN_JWKS_URIS is not \
                 configured but 7 RequestAuthentication resource(s) exist (ns/ra0, ns/ra1, ns/ra2, ns/ra3, ns/ra4, \
                 and 2 more). Consider configuring it to restrict JWKS URI fetches to trusted networks."
            ]
        );
    }

    #[test]
    fn an_empty_value_is_not_configured() {
        let ra = request_authentications(1);
        let empty = istiod("[{name: BLOCKED_CIDRS_IN_JWKS_URIS, value: ''}]") + &ra;
        assert_eq!(findings(&BlockedCIDRsAnalyzer, &empty).len(), 1);
        let set = istiod("[{name: BLOCKED_CIDRS_IN_JWKS_URIS, value: 10.0.0.0/8}]") + &ra;
        assert_eq!(findings(&BlockedCIDRsAnalyzer, &set), Vec::<String>::new());
        assert_eq!(
            findings(&BlockedCIDRsAnalyzer, &istiod("[]")),
            Vec::<String>::new()
        );
    }
}
