//! STS: who the credentials belong to.

use super::{AwsError, Client, Service};

/// The answer of GetCallerIdentity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallerIdentity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

impl Client {
    pub async fn get_caller_identity(&self) -> Result<CallerIdentity, AwsError> {
        let a = self.query(Service::Sts, "GetCallerIdentity", &[]).await?;
        let field = |f: &str| a.text(&["GetCallerIdentityResult", f]);
        match (field("Account"), field("Arn")) {
            (Some(account), Some(arn)) => Ok(CallerIdentity {
                account,
                arn,
                user_id: field("UserId").unwrap_or_default(),
            }),
            _ => Err(AwsError::Response {
                service: Service::Sts,
                operation: "GetCallerIdentity",
                why: "no Account or Arn in the answer".into(),
            }),
        }
    }
}
