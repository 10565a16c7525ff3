//! The EKS Connector: what registering a cluster creates (the agent role and its policies), how
//! RegisterCluster's answers are retried, and the manifests meshdeck carries and renders.
//! Pure code; the calls themselves are in `ops::register`.

pub mod manifests;
pub mod objects;
pub mod retry;

use std::fmt;

use crate::aws::Partition;

pub use manifests::{ConnectorImages, ConnectorManifests, ManifestInputs};

/// The tag meshdeck puts on the agent roles it creates: its value is the cluster's name.
/// `deregister` deletes a role only when it carries this tag with the cluster's name.
pub const OWNER_TAG: &str = "meshdeck.io/cluster-name";
/// The agent role's inline policy.
pub const AGENT_POLICY_NAME: &str = "eks-connector-agent";
/// The service of the EKS Connector's service-linked role.
pub const SLR_SERVICE: &str = "eks-connector.amazonaws.com";

/// The connector providers the EKS API defines (`ConnectorConfigProvider`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Provider {
    #[value(name = "EKS_ANYWHERE")]
    EksAnywhere,
    #[value(name = "ANTHOS")]
    Anthos,
    #[value(name = "GKE")]
    Gke,
    #[value(name = "AKS")]
    Aks,
    #[value(name = "OPENSHIFT")]
    Openshift,
    #[value(name = "TANZU")]
    Tanzu,
    #[value(name = "RANCHER")]
    Rancher,
    #[value(name = "EC2")]
    Ec2,
    #[value(name = "OTHER")]
    Other,
}

impl Provider {
    /// The API's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::EksAnywhere => "EKS_ANYWHERE",
            Provider::Anthos => "ANTHOS",
            Provider::Gke => "GKE",
            Provider::Aks => "AKS",
            Provider::Openshift => "OPENSHIFT",
            Provider::Tanzu => "TANZU",
            Provider::Rancher => "RANCHER",
            Provider::Ec2 => "EC2",
            Provider::Other => "OTHER",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether `name` is a valid EKS cluster name: 1-100 characters, `[0-9A-Za-z][A-Za-z0-9-_]*`.
pub fn valid_cluster_name(name: &str) -> bool {
    let mut chars = name.chars();
    (1..=100).contains(&name.len())
        && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The agent role's trust policy: the SSM service may assume it.
pub fn trust_policy() -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "SSMAccess",
            "Effect": "Allow",
            "Principal": {"Service": ["ssm.amazonaws.com"]},
            "Action": "sts:AssumeRole"
        }]
    })
    .to_string()
}

/// The agent role's permissions, as AWS documents them for `AmazonEKSConnectorAgentRole`:
/// the SSM control channel for EKS clusters, and the data channels.
pub fn agent_policy(partition: Partition) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "SsmControlChannel",
                "Effect": "Allow",
                "Action": ["ssmmessages:CreateControlChannel"],
                "Resource": format!("arn:{}:eks:*:*:cluster/*", partition.name())
            },
            {
                "Sid": "ssmDataplaneOperations",
                "Effect": "Allow",
                "Action": [
                    "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenDataChannel",
                    "ssmmessages:OpenControlChannel"
                ],
                "Resource": "*"
            }
        ]
    })
    .to_string()
}

/// A fresh agent role name: `meshdeck-connector-` + UTC `YYYYMMDDhhmmss` + 6 random digits
/// (so runs in the same second do not collide).
pub fn new_role_name(now: jiff::Timestamp) -> String {
    format!(
        "meshdeck-connector-{}{:06}",
        now.strftime("%Y%m%d%H%M%S"),
        fastrand::u32(0..1_000_000)
    )
}

/// Parses `k=v` tags; keys must be non-empty and given once.
pub fn parse_tags(items: &[String]) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for item in items {
        let Some((k, v)) = item.split_once('=') else {
            return Err(format!("tag {item:?} is not KEY=VALUE"));
        };
        let k = k.trim();
        if k.is_empty() {
            return Err(format!("tag {item:?} has an empty key"));
        }
        if k == OWNER_TAG {
            return Err(format!("tag {k:?} is meshdeck's own and cannot be set"));
        }
        if out.iter().any(|(have, _)| have == k) {
            return Err(format!("tag {k:?} is given twice"));
        }
        out.push((k.to_string(), v.trim().to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_names_follow_the_api_pattern() {
        assert!(valid_cluster_name("homelab"));
        assert!(valid_cluster_name("a-b_c9"));
        assert!(!valid_cluster_name("-x"));
        assert!(!valid_cluster_name(""));
        assert!(!valid_cluster_name("has space"));
        assert!(!valid_cluster_name(&"a".repeat(101)));
    }

    #[test]
    fn policies_name_the_partition_and_ssm() {
        let p: serde_json::Value = serde_json::from_str(&agent_policy(Partition::China)).unwrap();
        assert_eq!(
            p["Statement"][0]["Resource"],
            "arn:aws-cn:eks:*:*:cluster/*"
        );
        let t: serde_json::Value = serde_json::from_str(&trust_policy()).unwrap();
        assert_eq!(
            t["Statement"][0]["Principal"]["Service"][0],
            "ssm.amazonaws.com"
        );
    }

    #[test]
    fn role_names_fit_iam() {
        let name = new_role_name("2026-12-01T20:01:02Z".parse().unwrap());
        assert!(
            name.starts_with("meshdeck-connector-20261201200102"),
            "{name}"
        );
        assert_eq!(name.len(), "meshdeck-connector-".len() + 14 + 6);
        assert!(name.len() <= 64);
    }

    #[test]
    fn tags_are_key_value_pairs() {
        let tags = parse_tags(&["team=platform".into(), "env = lab".into()]).unwrap();
        assert_eq!(tags[1], ("env".into(), "lab".into()));
        assert!(parse_tags(&["novalue".into()]).is_err());
        assert!(parse_tags(&["a=1".into(), "a=2".into()]).is_err());
        assert!(parse_tags(&[format!("{OWNER_TAG}=x")]).is_err());
    }
}
