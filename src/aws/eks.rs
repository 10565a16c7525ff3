//! EKS (REST-JSON): Describe-, Register- and DeregisterCluster.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{ApiError, AwsError, Client, Response, Service, with_standard_retries};

/// The activation code of a registration: a secret that belongs in the connector's Secret only.
/// It has no `Display`, and `Debug` hides it.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct ActivationCode(String);

impl ActivationCode {
    pub fn new(code: impl Into<String>) -> ActivationCode {
        ActivationCode(code.into())
    }

    /// The code itself, for the one place it is written: the Secret.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ActivationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ActivationCode(<redacted>)")
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectorConfig {
    pub activation_id: Option<String>,
    pub activation_code: Option<ActivationCode>,
    /// Epoch seconds.
    pub activation_expiry: Option<f64>,
    pub provider: Option<String>,
    pub role_arn: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cluster {
    pub name: String,
    pub arn: Option<String>,
    pub status: Option<String>,
    /// Epoch seconds.
    pub created_at: Option<f64>,
    pub connector_config: Option<ConnectorConfig>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct ClusterAnswer {
    cluster: Cluster,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RegisterBody<'a> {
    name: &'a str,
    connector_config: ConnectorBody<'a>,
    client_request_token: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    tags: &'a BTreeMap<String, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConnectorBody<'a> {
    role_arn: &'a str,
    provider: &'a str,
}

/// What RegisterCluster needs. The token is the idempotency key: the same for every attempt.
#[derive(Clone, Debug)]
pub struct Registration<'a> {
    pub name: &'a str,
    pub provider: &'a str,
    pub role_arn: &'a str,
    pub client_request_token: &'a str,
    pub tags: &'a BTreeMap<String, String>,
}

/// The error of a REST-JSON answer: the code from `X-Amzn-ErrorType` (cut at `:`), else the
/// body's `code`/`Code`/`__type` (after `#`); the message from `message`/`Message`.
fn parse_error(operation: &'static str, r: &Response) -> ApiError {
    let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
    let header = r
        .headers
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(':').next().unwrap_or(v).to_string());
    let from_body = ["code", "Code", "__type"].iter().find_map(|k| {
        body.get(k)
            .and_then(|v| v.as_str())
            .map(|s| s.rsplit('#').next().unwrap_or(s).to_string())
    });
    let code = header
        .or(from_body)
        .unwrap_or_else(|| format!("HTTP{}", r.status));
    let message = ["message", "Message"]
        .iter()
        .find_map(|k| body.get(k).and_then(|v| v.as_str()))
        .unwrap_or_default()
        .to_string();
    let request_id = r
        .headers
        .get("x-amzn-requestid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    ApiError {
        service: Service::Eks,
        operation,
        status: r.status,
        code,
        message,
        request_id,
    }
}

fn cluster_from(operation: &'static str, r: Response) -> Result<Cluster, AwsError> {
    if !(200..300).contains(&r.status) {
        return Err(AwsError::Api(parse_error(operation, &r)));
    }
    serde_json::from_slice::<ClusterAnswer>(&r.body)
        .map(|a| a.cluster)
        .map_err(|e| AwsError::Response {
            service: Service::Eks,
            operation,
            why: e.to_string(),
        })
}

/// A path segment, percent-encoded (cluster names are `[0-9A-Za-z][A-Za-z0-9-_]*`, but the
/// name comes from the user).
fn segment(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

impl Client {
    /// `Ok(None)` when EKS knows no cluster of that name.
    pub async fn describe_cluster(&self, name: &str) -> Result<Option<Cluster>, AwsError> {
        let path = format!("/clusters/{}", segment(name));
        let r = with_standard_retries(|| {
            self.send(
                Service::Eks,
                "DescribeCluster",
                reqwest::Method::GET,
                &path,
                None,
                Vec::new(),
            )
        })
        .await?;
        if r.status == 404 {
            let e = parse_error("DescribeCluster", &r);
            if e.code == "ResourceNotFoundException" {
                return Ok(None);
            }
            return Err(AwsError::Api(e));
        }
        cluster_from("DescribeCluster", r).map(Some)
    }

    /// One RegisterCluster attempt (the caller decides about retries).
    pub async fn register_cluster(&self, reg: &Registration<'_>) -> Result<Cluster, AwsError> {
        let body = serde_json::to_vec(&RegisterBody {
            name: reg.name,
            connector_config: ConnectorBody {
                role_arn: reg.role_arn,
                provider: reg.provider,
            },
            client_request_token: reg.client_request_token,
            tags: reg.tags,
        })
        .expect("a registration serialises");
        let r = self
            .send(
                Service::Eks,
                "RegisterCluster",
                reqwest::Method::POST,
                "/cluster-registrations",
                Some("application/json"),
                body,
            )
            .await?;
        cluster_from("RegisterCluster", r)
    }

    pub async fn deregister_cluster(&self, name: &str) -> Result<Cluster, AwsError> {
        let path = format!("/cluster-registrations/{}", segment(name));
        let r = with_standard_retries(|| {
            self.send(
                Service::Eks,
                "DeregisterCluster",
                reqwest::Method::DELETE,
                &path,
                None,
                Vec::new(),
            )
        })
        .await?;
        cluster_from("DeregisterCluster", r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&'static str, &str)], body: &str) -> Response {
        let mut map = reqwest::header::HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, v.parse().unwrap());
        }
        Response {
            status,
            headers: map,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn error_code_from_the_header_cut_at_the_colon() {
        let r = response(
            428,
            &[
                (
                    "x-amzn-errortype",
                    "ResourcePropagationDelayException:http://internal/",
                ),
                ("x-amzn-requestid", "abc"),
            ],
            r#"{"message":"Required resources are still propagating. Retry later."}"#,
        );
        let e = parse_error("RegisterCluster", &r);
        assert_eq!(e.code, "ResourcePropagationDelayException");
        assert_eq!(e.status, 428);
        assert!(e.message.starts_with("Required resources"));
        assert_eq!(e.request_id.as_deref(), Some("abc"));
    }

    #[test]
    fn error_code_from_the_body_type() {
        let r = response(
            400,
            &[],
            r#"{"__type":"com.amazon#InvalidRequestException","Message":"Nonexistent role"}"#,
        );
        let e = parse_error("RegisterCluster", &r);
        assert_eq!(e.code, "InvalidRequestException");
        assert_eq!(e.message, "Nonexistent role");
    }

    #[test]
    fn the_activation_code_never_shows_in_debug() {
        let json = r#"{"cluster":{"name":"c","connectorConfig":{"activationId":"id","activationCode":"s3cr3t-code","activationExpiry":1627672543.0}}}"#;
        let a: ClusterAnswer = serde_json::from_str(json).unwrap();
        let debug = format!("{:?}", a.cluster);
        assert!(!debug.contains("s3cr3t-code"), "{debug}");
        let cc = a.cluster.connector_config.unwrap();
        assert_eq!(cc.activation_code.unwrap().expose(), "s3cr3t-code");
        assert_eq!(cc.activation_expiry, Some(1627672543.0));
    }
}
