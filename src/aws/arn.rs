//! ARNs: the IAM identity behind a caller, as eksctl (after aws-iam-authenticator) converts it.

/// Why an ARN has no IAM identity meshdeck can grant console access to.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "{arn:?} is not an IAM user, role, root or federated-user ARN, nor an STS assumed-role ARN"
)]
pub struct ArnError {
    pub arn: String,
}

/// The IAM ARN the EKS console impersonates for `arn`: an STS assumed-role session
/// (`arn:aws:sts::111:assumed-role/NAME/SESSION`) becomes its role
/// (`arn:aws:iam::111:role/NAME`), the session dropped (and any middle parts kept, as eksctl
/// joins them); IAM users, roles, root and federated users pass through unchanged.
pub fn canonical_iam_arn(arn: &str) -> Result<String, ArnError> {
    let err = || ArnError {
        arn: arn.to_string(),
    };
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, _region, account, resource] = parts[..] else {
        return Err(err());
    };
    if prefix != "arn" || partition.is_empty() || account.is_empty() {
        return Err(err());
    }
    match service {
        "iam"
            if resource == "root"
                || resource.starts_with("user/")
                || resource.starts_with("role/") =>
        {
            Ok(arn.to_string())
        }
        "sts" if resource.starts_with("federated-user/") => Ok(arn.to_string()),
        "sts" if resource.starts_with("assumed-role/") => {
            let pieces: Vec<&str> = resource.split('/').collect();
            // assumed-role/NAME/SESSION, or with middle parts assumed-role/A/B/SESSION.
            if pieces.len() < 3 || pieces.iter().any(|p| p.is_empty()) {
                return Err(err());
            }
            let role = pieces[1..pieces.len() - 1].join("/");
            Ok(format!("arn:{partition}:iam::{account}:role/{role}"))
        }
        _ => Err(err()),
    }
}

/// The name of a role from its ARN (`arn:aws:iam::1:role/path/NAME` gives `NAME`).
pub fn role_name(arn: &str) -> Option<&str> {
    let resource = arn.splitn(6, ':').nth(5)?;
    let rest = resource.strip_prefix("role/")?;
    rest.rsplit('/').next().filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assumed_role_sessions_become_their_role() {
        assert_eq!(
            canonical_iam_arn("arn:aws:sts::111122223333:assumed-role/Admin/alice").unwrap(),
            "arn:aws:iam::111122223333:role/Admin"
        );
        assert_eq!(
            canonical_iam_arn(
                "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com"
            )
            .unwrap(),
            "arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123"
        );
        assert_eq!(
            canonical_iam_arn("arn:aws-cn:sts::1:assumed-role/a/b/session").unwrap(),
            "arn:aws-cn:iam::1:role/a/b"
        );
    }

    #[test]
    fn iam_identities_pass_through() {
        for arn in [
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:role/ops/deployer",
            "arn:aws:iam::111122223333:root",
            "arn:aws:sts::111122223333:federated-user/bob",
        ] {
            assert_eq!(canonical_iam_arn(arn).unwrap(), arn);
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for arn in [
            "arn:aws:sts::123456789012:user/moto",
            "arn:aws:sts::1:assumed-role/OnlyRole",
            "arn:aws:s3:::bucket",
            "not an arn",
        ] {
            assert!(canonical_iam_arn(arn).is_err(), "{arn}");
        }
    }

    #[test]
    fn role_names_drop_the_path() {
        assert_eq!(
            role_name("arn:aws:iam::1:role/meshdeck-x"),
            Some("meshdeck-x")
        );
        assert_eq!(role_name("arn:aws:iam::1:role/team/a/r1"), Some("r1"));
        assert_eq!(role_name("arn:aws:iam::1:user/u"), None);
    }
}
