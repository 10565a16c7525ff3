//! A small AWS client for the calls meshdeck makes (EKS, IAM, STS): credentials and region
//! resolved exactly as the AWS CLI does (aws-config's chains), requests signed with SigV4
//! (aws-sigv4) and sent with reqwest on rustls + ring, endpoints overridable per service.

pub mod arn;
pub mod eks;
pub mod iam;
pub mod query;
pub mod sign;
pub mod sts;

use std::fmt;
use std::time::{Duration, SystemTime};

use aws_config::BehaviorVersion;
use aws_credential_types::Credentials;
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::provider::error::CredentialsError;
use miette::Diagnostic;

pub use sign::Scope;

/// Where the credentials, region and endpoints come from, as the AWS CLI's global options.
#[derive(Clone, Debug, Default)]
pub struct AwsOptions {
    /// `--profile` (else `AWS_PROFILE`, else `default`).
    pub profile: Option<String>,
    /// `--region` (else `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`).
    pub region: Option<String>,
    /// `--endpoint-url`: one endpoint for every service.
    pub endpoint_url: Option<String>,
}

/// The AWS services meshdeck calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    Eks,
    Iam,
    Sts,
}

impl Service {
    /// The signing name, also the endpoint prefix.
    pub fn signing_name(self) -> &'static str {
        match self {
            Service::Eks => "eks",
            Service::Iam => "iam",
            Service::Sts => "sts",
        }
    }

    /// `AWS_ENDPOINT_URL_<ID>`: the service id upper-cased, as the AWS CLI spells it.
    fn env_suffix(self) -> &'static str {
        match self {
            Service::Eks => "EKS",
            Service::Iam => "IAM",
            Service::Sts => "STS",
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Service::Eks => "EKS",
            Service::Iam => "IAM",
            Service::Sts => "STS",
        })
    }
}

/// An AWS partition, from the region's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Partition {
    Aws,
    China,
    GovCloud,
}

impl Partition {
    pub fn of_region(region: &str) -> Partition {
        if region.starts_with("cn-") {
            Partition::China
        } else if region.starts_with("us-gov-") {
            Partition::GovCloud
        } else {
            Partition::Aws
        }
    }

    /// The partition's name in ARNs.
    pub fn name(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::China => "aws-cn",
            Partition::GovCloud => "aws-us-gov",
        }
    }

    fn dns_suffix(self) -> &'static str {
        match self {
            Partition::China => "amazonaws.com.cn",
            _ => "amazonaws.com",
        }
    }
}

/// One service's endpoint and the region its requests are signed for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub url: reqwest::Url,
    pub signing_region: String,
    /// Where the URL came from (`--endpoint-url`, `AWS_ENDPOINT_URL_EKS`, `default`).
    pub origin: String,
}

/// The endpoint of `service` in `region`: `--endpoint-url`, else `AWS_ENDPOINT_URL_<SERVICE>`,
/// else `AWS_ENDPOINT_URL` (neither when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`), else AWS's
/// public endpoint. `env` looks up environment variables.
pub fn resolve_endpoint(
    service: Service,
    region: &str,
    flag: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Endpoint, AwsError> {
    let partition = Partition::of_region(region);
    let signing_region = match (service, partition) {
        (Service::Iam, Partition::Aws) => "us-east-1".to_string(),
        (Service::Iam, Partition::China) => "cn-north-1".to_string(),
        (Service::Iam, Partition::GovCloud) => "us-gov-west-1".to_string(),
        _ => region.to_string(),
    };
    let ignore_env =
        env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let specific = format!("AWS_ENDPOINT_URL_{}", service.env_suffix());
    let configured = flag
        .map(|u| (u.to_string(), "--endpoint-url".to_string()))
        .or_else(|| {
            if ignore_env {
                return None;
            }
            env(&specific)
                .filter(|v| !v.is_empty())
                .map(|u| (u, specific.clone()))
                .or_else(|| {
                    env("AWS_ENDPOINT_URL")
                        .filter(|v| !v.is_empty())
                        .map(|u| (u, "AWS_ENDPOINT_URL".to_string()))
                })
        });
    let (url, origin) = match configured {
        Some(found) => found,
        None => {
            let dns = partition.dns_suffix();
            let url = match (service, partition) {
                (Service::Iam, Partition::Aws) => "https://iam.amazonaws.com".to_string(),
                (Service::Iam, Partition::China) => {
                    "https://iam.cn-north-1.amazonaws.com.cn".to_string()
                }
                (Service::Iam, Partition::GovCloud) => {
                    "https://iam.us-gov.amazonaws.com".to_string()
                }
                (s, _) => format!("https://{}.{region}.{dns}", s.signing_name()),
            };
            (url, "default".to_string())
        }
    };
    let parsed = reqwest::Url::parse(&url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
    match parsed {
        Some(url) => Ok(Endpoint {
            url,
            signing_region,
            origin,
        }),
        None => Err(AwsError::BadEndpoint { url, origin }),
    }
}

/// An error answer from an AWS service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub service: Service,
    pub operation: &'static str,
    pub status: u16,
    /// `ResourcePropagationDelayException`, `NoSuchEntity`, ...
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
}

impl ApiError {
    /// Throttling, as the SDKs' standard retry mode recognises it.
    pub fn is_throttling(&self) -> bool {
        self.status == 429
            || matches!(
                self.code.as_str(),
                "Throttling"
                    | "ThrottlingException"
                    | "ThrottledException"
                    | "RequestThrottledException"
                    | "TooManyRequestsException"
                    | "RequestLimitExceeded"
                    | "SlowDown"
                    | "PriorRequestNotComplete"
                    | "LimitExceededException"
                    | "RequestTimeout"
                    | "RequestTimeoutException"
            )
    }

    /// A server-side failure worth another attempt.
    pub fn is_transient(&self) -> bool {
        matches!(self.status, 500 | 502 | 503 | 504) || self.is_throttling()
    }

    pub fn is_access_denied(&self) -> bool {
        self.status == 403 || self.code.starts_with("AccessDenied")
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} failed: {} (HTTP {})",
            self.service, self.operation, self.code, self.status
        )?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum AwsError {
    #[error("no AWS region is configured")]
    #[diagnostic(
        code(meshdeck::aws::no_region),
        help("pass --region, set AWS_REGION, or set `region` in the profile (~/.aws/config)")
    )]
    NoRegion,
    #[error("cannot load AWS credentials")]
    #[diagnostic(
        code(meshdeck::aws::credentials),
        help(
            "configure credentials as for the AWS CLI: `aws configure`, `aws sso login`, \
             --profile, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
        )
    )]
    Credentials(#[source] CredentialsError),
    #[error("invalid endpoint URL {url:?} (from {origin})")]
    #[diagnostic(
        code(meshdeck::aws::endpoint),
        help("an endpoint is an http:// or https:// URL such as http://127.0.0.1:5000")
    )]
    BadEndpoint { url: String, origin: String },
    #[error("{0}")]
    #[diagnostic(code(meshdeck::aws::api))]
    Api(ApiError),
    #[error("{service} {operation}: cannot reach {url}")]
    #[diagnostic(code(meshdeck::aws::transport))]
    Transport {
        service: Service,
        operation: &'static str,
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("{service} {operation}: unexpected answer: {why}")]
    #[diagnostic(code(meshdeck::aws::response))]
    Response {
        service: Service,
        operation: &'static str,
        why: String,
    },
    #[error(transparent)]
    #[diagnostic(code(meshdeck::aws::sign))]
    Sign(#[from] sign::SignError),
    #[error("cannot set up the HTTP client")]
    #[diagnostic(code(meshdeck::aws::http))]
    HttpClient(#[source] reqwest::Error),
}

impl AwsError {
    /// The service's error answer, if this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            AwsError::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Worth another attempt: throttling, 5xx, and requests that never got an answer.
    pub fn is_transient(&self) -> bool {
        match self {
            AwsError::Api(e) => e.is_transient(),
            AwsError::Transport { .. } => true,
            _ => false,
        }
    }
}

/// An answer from a service.
pub struct Response {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

/// Signed requests to EKS, IAM and STS for one region and one set of credentials.
pub struct Client {
    http: reqwest::Client,
    credentials: Credentials,
    region: String,
    eks: Endpoint,
    iam: Endpoint,
    sts: Endpoint,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the credentials.
        f.debug_struct("Client")
            .field("region", &self.region)
            .field("eks", &self.eks.url.as_str())
            .field("iam", &self.iam.url.as_str())
            .field("sts", &self.sts.url.as_str())
            .finish_non_exhaustive()
    }
}

/// How long one request may take before it counts as unanswered.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

impl Client {
    /// Resolves region and credentials as the AWS CLI does (aws-config's default chains; with
    /// `--profile`, that profile's credentials win over the environment's keys, as in the CLI)
    /// and the endpoints of the three services.
    pub async fn load(opts: &AwsOptions) -> Result<Client, AwsError> {
        crate::source::url::init_tls();
        let smithy_http = aws_smithy_http_client::Builder::new()
            .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https();
        let mut loader =
            aws_config::defaults(BehaviorVersion::latest()).http_client(smithy_http.clone());
        if let Some(profile) = &opts.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &opts.region {
            loader = loader.region(aws_config::Region::new(region.clone()));
        }
        let config = loader.load().await;
        let region = config
            .region()
            .map(|r| r.to_string())
            .ok_or(AwsError::NoRegion)?;
        // A bad endpoint is reported before credentials are looked for.
        let env = |k: &str| std::env::var(k).ok();
        for service in [Service::Sts, Service::Iam, Service::Eks] {
            resolve_endpoint(service, &region, opts.endpoint_url.as_deref(), &env)?;
        }
        let credentials = match &opts.profile {
            // The profile alone, so its credentials win over the environment's keys; its STS
            // calls (assume-role, web identity) are signed for the run's region.
            Some(profile) => {
                let provider_config = aws_config::provider_config::ProviderConfig::default()
                    .with_http_client(smithy_http.clone())
                    .with_region(Some(aws_config::Region::new(region.clone())));
                aws_config::profile::ProfileFileCredentialsProvider::builder()
                    .configure(&provider_config)
                    .profile_name(profile)
                    .build()
                    .provide_credentials()
                    .await
            }
            None => {
                let provider = config.credentials_provider().ok_or_else(|| {
                    AwsError::Credentials(CredentialsError::not_loaded("no credentials provider"))
                })?;
                provider.provide_credentials().await
            }
        }
        .map_err(AwsError::Credentials)?;
        Client::with_credentials(credentials, &region, opts.endpoint_url.as_deref())
    }

    /// A client with explicit credentials and region (endpoints as [`resolve_endpoint`] finds
    /// them, with `endpoint_url` as `--endpoint-url`).
    pub fn with_credentials(
        credentials: Credentials,
        region: &str,
        endpoint_url: Option<&str>,
    ) -> Result<Client, AwsError> {
        crate::source::url::init_tls();
        let env = |k: &str| std::env::var(k).ok();
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("meshdeck/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(AwsError::HttpClient)?;
        Ok(Client {
            eks: resolve_endpoint(Service::Eks, region, endpoint_url, &env)?,
            iam: resolve_endpoint(Service::Iam, region, endpoint_url, &env)?,
            sts: resolve_endpoint(Service::Sts, region, endpoint_url, &env)?,
            http,
            credentials,
            region: region.to_string(),
        })
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    pub fn partition(&self) -> Partition {
        Partition::of_region(&self.region)
    }

    pub fn endpoint(&self, service: Service) -> &Endpoint {
        match service {
            Service::Eks => &self.eks,
            Service::Iam => &self.iam,
            Service::Sts => &self.sts,
        }
    }

    /// Sends one signed request and returns the answer, whatever its status.
    pub async fn send(
        &self,
        service: Service,
        operation: &'static str,
        method: reqwest::Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Result<Response, AwsError> {
        let endpoint = self.endpoint(service);
        let mut url = endpoint.url.clone();
        // The endpoint may carry a base path; the operation's path goes after it.
        let base = url.path().trim_end_matches('/').to_string();
        let (p, q) = path.split_once('?').unwrap_or((path, ""));
        url.set_path(&format!("{base}{p}"));
        url.set_query((!q.is_empty()).then_some(q));
        let host = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        let mut to_sign = vec![("host", host.as_str())];
        if let Some(ct) = content_type {
            to_sign.push(("content-type", ct));
        }
        let signed = sign::signature_headers(
            &self.credentials,
            Scope {
                service: service.signing_name(),
                region: &endpoint.signing_region,
            },
            method.as_str(),
            url.as_str(),
            &to_sign,
            &body,
            SystemTime::now(),
        )?;
        let mut request = self.http.request(method, url.clone());
        if let Some(ct) = content_type {
            request = request.header(reqwest::header::CONTENT_TYPE, ct);
        }
        for (k, v) in signed {
            request = request.header(k, v);
        }
        let transport = |source| AwsError::Transport {
            service,
            operation,
            url: endpoint.url.to_string(),
            source,
        };
        let response = request.body(body).send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(transport)?.to_vec();
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

/// Runs `call` again after throttling, 5xx answers and unanswered requests, up to three attempts
/// with a short exponential backoff (the SDKs' standard retry mode).
pub(crate) async fn with_standard_retries<T, F, Fut>(mut call: F) -> Result<T, AwsError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, AwsError>>,
{
    let mut attempt = 0u32;
    loop {
        match call().await {
            Err(e) if e.is_transient() && attempt < 2 => {
                let ceiling = 200u64 << attempt;
                tokio::time::sleep(Duration::from_millis(fastrand::u64(ceiling / 2..=ceiling)))
                    .await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn default_endpoints_by_partition() {
        let none = env_of(&[]);
        let e = resolve_endpoint(Service::Eks, "eu-west-1", None, &none).unwrap();
        assert_eq!(e.url.as_str(), "https://eks.eu-west-1.amazonaws.com/");
        assert_eq!(e.signing_region, "eu-west-1");
        let i = resolve_endpoint(Service::Iam, "eu-west-1", None, &none).unwrap();
        assert_eq!(i.url.as_str(), "https://iam.amazonaws.com/");
        assert_eq!(i.signing_region, "us-east-1");
        let s = resolve_endpoint(Service::Sts, "cn-north-1", None, &none).unwrap();
        assert_eq!(s.url.as_str(), "https://sts.cn-north-1.amazonaws.com.cn/");
        let g = resolve_endpoint(Service::Iam, "us-gov-east-1", None, &none).unwrap();
        assert_eq!(g.url.as_str(), "https://iam.us-gov.amazonaws.com/");
        assert_eq!(g.signing_region, "us-gov-west-1");
    }

    #[test]
    fn flag_beats_service_variable_beats_global_variable() {
        let env = env_of(&[
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
            ("AWS_ENDPOINT_URL_EKS", "http://127.0.0.1:2"),
        ]);
        let eks = resolve_endpoint(Service::Eks, "us-west-2", None, &env).unwrap();
        assert_eq!(eks.url.as_str(), "http://127.0.0.1:2/");
        assert_eq!(eks.origin, "AWS_ENDPOINT_URL_EKS");
        let iam = resolve_endpoint(Service::Iam, "us-west-2", None, &env).unwrap();
        assert_eq!(iam.url.as_str(), "http://127.0.0.1:1/");
        let flag =
            resolve_endpoint(Service::Eks, "us-west-2", Some("http://localhost:3"), &env).unwrap();
        assert_eq!(flag.url.as_str(), "http://localhost:3/");
        let ignored = env_of(&[
            ("AWS_ENDPOINT_URL_EKS", "http://127.0.0.1:2"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ]);
        let eks = resolve_endpoint(Service::Eks, "us-west-2", None, &ignored).unwrap();
        assert_eq!(eks.origin, "default");
    }

    #[test]
    fn a_bad_endpoint_names_where_it_came_from() {
        let env = env_of(&[("AWS_ENDPOINT_URL_STS", "localhost:5000")]);
        let e = resolve_endpoint(Service::Sts, "us-east-1", None, &env).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid endpoint URL \"localhost:5000\" (from AWS_ENDPOINT_URL_STS)"
        );
    }

    #[test]
    fn throttling_and_5xx_are_transient_access_denied_is_not() {
        let e = |status, code: &str| ApiError {
            service: Service::Eks,
            operation: "RegisterCluster",
            status,
            code: code.into(),
            message: String::new(),
            request_id: None,
        };
        assert!(e(400, "ThrottlingException").is_transient());
        assert!(e(503, "ServiceUnavailableException").is_transient());
        assert!(!e(403, "AccessDeniedException").is_transient());
        assert!(e(403, "AccessDeniedException").is_access_denied());
        assert!(!e(409, "LimitExceeded").is_transient(), "IAM's quota error");
    }
}
