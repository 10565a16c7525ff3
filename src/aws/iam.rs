//! IAM: the roles of the EKS Connector.

use super::{AwsError, Client, Service};

/// A role as IAM describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    pub name: String,
    pub arn: String,
    pub path: String,
    pub tags: Vec<(String, String)>,
}

impl Role {
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// What CreateRole needs.
#[derive(Clone, Debug)]
pub struct NewRole<'a> {
    pub name: &'a str,
    pub assume_role_policy: &'a str,
    pub description: &'a str,
    pub tags: &'a [(String, String)],
}

fn role_from(
    a: &super::query::Answer,
    result: &str,
    operation: &'static str,
) -> Result<Role, AwsError> {
    let field = |f: &str| a.text(&[result, "Role", f]);
    match (field("RoleName"), field("Arn")) {
        (Some(name), Some(arn)) => Ok(Role {
            name,
            arn,
            path: field("Path").unwrap_or_else(|| "/".into()),
            tags: a.members(&[result, "Role", "Tags"]),
        }),
        _ => Err(AwsError::Response {
            service: Service::Iam,
            operation,
            why: "no RoleName or Arn in the answer".into(),
        }),
    }
}

impl Client {
    pub async fn create_role(&self, role: &NewRole<'_>) -> Result<Role, AwsError> {
        let mut params: Vec<(String, String)> = vec![
            ("RoleName".into(), role.name.into()),
            (
                "AssumeRolePolicyDocument".into(),
                role.assume_role_policy.into(),
            ),
            ("Description".into(), role.description.into()),
        ];
        for (i, (k, v)) in role.tags.iter().enumerate() {
            params.push((format!("Tags.member.{}.Key", i + 1), k.clone()));
            params.push((format!("Tags.member.{}.Value", i + 1), v.clone()));
        }
        let refs: Vec<(&str, &str)> = params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let a = self.query(Service::Iam, "CreateRole", &refs).await?;
        role_from(&a, "CreateRoleResult", "CreateRole")
    }

    pub async fn get_role(&self, name: &str) -> Result<Role, AwsError> {
        let a = self
            .query(Service::Iam, "GetRole", &[("RoleName", name)])
            .await?;
        role_from(&a, "GetRoleResult", "GetRole")
    }

    pub async fn put_role_policy(
        &self,
        role: &str,
        policy_name: &str,
        document: &str,
    ) -> Result<(), AwsError> {
        self.query(
            Service::Iam,
            "PutRolePolicy",
            &[
                ("RoleName", role),
                ("PolicyName", policy_name),
                ("PolicyDocument", document),
            ],
        )
        .await
        .map(drop)
    }

    pub async fn delete_role_policy(&self, role: &str, policy_name: &str) -> Result<(), AwsError> {
        self.query(
            Service::Iam,
            "DeleteRolePolicy",
            &[("RoleName", role), ("PolicyName", policy_name)],
        )
        .await
        .map(drop)
    }

    pub async fn delete_role(&self, role: &str) -> Result<(), AwsError> {
        self.query(Service::Iam, "DeleteRole", &[("RoleName", role)])
            .await
            .map(drop)
    }

    /// Creates the service-linked role of `service` (`eks-connector.amazonaws.com`).
    pub async fn create_service_linked_role(&self, service: &str) -> Result<Role, AwsError> {
        let a = self
            .query(
                Service::Iam,
                "CreateServiceLinkedRole",
                &[("AWSServiceName", service)],
            )
            .await?;
        role_from(
            &a,
            "CreateServiceLinkedRoleResult",
            "CreateServiceLinkedRole",
        )
    }
}
