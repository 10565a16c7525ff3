//! A local EKS endpoint for the register tests: the REST-JSON DescribeCluster, RegisterCluster
//! and DeregisterCluster that moto lacks, with faults to inject. It answers as EKS does
//! (`X-Amzn-ErrorType`, `x-amzn-RequestId`, `{"message"}` bodies, epoch-second timestamps) and
//! refuses requests without a SigV4 `Authorization` header for the `eks` service.

use std::collections::{BTreeMap, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use serde_json::{Value, json};

/// An answer RegisterCluster gives instead of registering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// 428 ResourcePropagationDelayException.
    Propagation,
    /// 400 InvalidRequestException "Nonexistent role ...".
    NonexistentRole,
    /// 403 AccessDeniedException.
    AccessDenied,
    /// 400 ThrottlingException.
    Throttle,
    /// 503 ServiceUnavailableException.
    Unavailable,
    /// 409 ResourceInUseException (the name is taken, or still being deleted).
    InUse,
}

/// One RegisterCluster request as received.
#[derive(Clone, Debug)]
pub struct RegisterCall {
    pub token: String,
    pub role_arn: String,
    pub provider: String,
    pub tags: Value,
}

/// A request as it arrived, for checking its signature.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// Path and query.
    pub uri: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

#[derive(Default)]
pub struct State {
    /// Every request received, EKS's and the IAM/STS ones passed on to `upstream`.
    pub requests: Vec<Recorded>,
    /// Where IAM and STS requests are passed on to (moto), when the fake stands in front of it.
    pub upstream: Option<String>,
    /// IAM/STS actions answered with an error instead of being passed on:
    /// action -> (status, code, message), in the query protocol's XML.
    pub query_faults: BTreeMap<String, (u16, String, String)>,
    pub clusters: BTreeMap<String, Value>,
    /// Answers for the next RegisterCluster calls, in order.
    pub faults: VecDeque<Fault>,
    /// Given to every RegisterCluster call once `faults` is empty.
    pub always: Option<Fault>,
    pub register_calls: Vec<RegisterCall>,
    /// Activation codes handed out, by cluster name.
    pub codes: BTreeMap<String, String>,
    /// The connector connects: a PENDING cluster turns ACTIVE once DescribeCluster has shown it
    /// PENDING this many more times (counted over all clusters).
    pub activate_after: Option<u32>,
    /// The IAM Identity Center portal's GetRoleCredentials, when a test signs in through SSO.
    pub sso: Option<SsoPortal>,
    /// GetRoleCredentials calls as received: (account_id, role_name, bearer token).
    pub sso_calls: Vec<(String, String, String)>,
    tokens: BTreeMap<String, String>,
}

/// What the SSO portal hands out: credentials for one account and role, to the holder of one
/// access token (the one `aws sso login` would have cached).
#[derive(Clone, Debug)]
pub struct SsoPortal {
    pub access_token: String,
    pub account_id: String,
    pub role_name: String,
    pub key: String,
    pub secret: String,
    pub session_token: Option<String>,
}

pub struct FakeEks {
    pub url: String,
    pub state: Arc<Mutex<State>>,
}

impl FakeEks {
    pub fn start() -> FakeEks {
        let state = Arc::new(Mutex::new(State::default()));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let shared = state.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    let state = shared.clone();
                    tokio::spawn(async move {
                        let service = hyper::service::service_fn(move |req| {
                            let state = state.clone();
                            async move { Ok::<_, Infallible>(handle(req, &state).await) }
                        });
                        let _ = hyper::server::conn::http1::Builder::new()
                            .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                            .await;
                    });
                }
            });
        });
        FakeEks { url, state }
    }

    pub fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    /// A registration made outside the test run, as DescribeCluster shows it.
    pub fn insert(&self, name: &str, status: &str, role_arn: &str, expiry: f64) {
        let cluster = cluster_json(name, role_arn, "OTHER", "pre-existing-code", expiry, status);
        self.lock().clusters.insert(name.to_string(), cluster);
    }
}

/// Sends an IAM or STS request on to moto and returns its answer unchanged.
async fn pass_on(
    upstream: &str,
    method: &hyper::Method,
    uri: &str,
    headers: &[(String, String)],
    body: Bytes,
) -> Response<Full<Bytes>> {
    meshdeck::source::url::init_tls();
    let client = reqwest::Client::new();
    let method = reqwest::Method::from_bytes(method.as_str().as_bytes()).unwrap();
    let mut req = client
        .request(method, format!("{upstream}{uri}"))
        .body(body);
    for (k, v) in headers {
        if k != "host" && k != "content-length" {
            req = req.header(k, v);
        }
    }
    let answer = req.send().await.expect("moto answers");
    let mut r = Response::builder().status(answer.status().as_u16());
    for (k, v) in answer.headers() {
        if k != "content-length" && k != "transfer-encoding" && k != "connection" {
            r = r.header(k.as_str(), v.as_bytes());
        }
    }
    let bytes = answer.bytes().await.unwrap_or_default();
    r.body(Full::new(bytes)).unwrap()
}

fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

fn cluster_json(
    name: &str,
    role_arn: &str,
    provider: &str,
    code: &str,
    expiry: f64,
    status: &str,
) -> Value {
    json!({
        "name": name,
        "arn": format!("arn:aws:eks:eu-west-1:123456789012:cluster/{name}"),
        "createdAt": now(),
        "status": status,
        "tags": {},
        "connectorConfig": {
            "activationId": uuid::Uuid::new_v4().to_string(),
            "activationCode": code,
            "activationExpiry": expiry,
            "provider": provider,
            "roleArn": role_arn,
        }
    })
}

fn answer(status: u16, body: Value, error_type: Option<&str>) -> Response<Full<Bytes>> {
    let mut r = Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-amzn-RequestId", uuid::Uuid::new_v4().to_string());
    if let Some(t) = error_type {
        r = r.header(
            "X-Amzn-ErrorType",
            format!("{t}:http://internal.amazon.com/coral/"),
        );
    }
    r.body(Full::new(Bytes::from(body.to_string()))).unwrap()
}

fn error(status: u16, code: &str, message: &str) -> Response<Full<Bytes>> {
    answer(status, json!({ "message": message }), Some(code))
}

/// GetRoleCredentials as the portal answers it: epoch-millisecond expiration, 401
/// UnauthorizedException for a token it does not know, 403 ForbiddenException for an account or
/// role it does not grant.
fn sso_credentials(
    state: &Mutex<State>,
    uri: &str,
    headers: &[(String, String)],
) -> Response<Full<Bytes>> {
    let query = uri.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let param = |name: &str| {
        form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let (account, role) = (param("account_id"), param("role_name"));
    let bearer = headers
        .iter()
        .find(|(k, _)| k == "x-amz-sso_bearer_token")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let mut st = state.lock().unwrap();
    st.sso_calls
        .push((account.clone(), role.clone(), bearer.clone()));
    let Some(portal) = st.sso.clone() else {
        return error(404, "ResourceNotFoundException", "no SSO portal here");
    };
    if bearer != portal.access_token {
        return error(
            401,
            "UnauthorizedException",
            "Session token not found or invalid",
        );
    }
    if account != portal.account_id || role != portal.role_name {
        return error(403, "ForbiddenException", "No access");
    }
    let expiration = ((now() + 3600.0) * 1000.0) as u64;
    answer(
        200,
        json!({ "roleCredentials": {
            "accessKeyId": portal.key,
            "secretAccessKey": portal.secret,
            "sessionToken": portal.session_token,
            "expiration": expiration,
        }}),
        None,
    )
}

fn without_code(mut cluster: Value) -> Value {
    if let Some(cc) = cluster
        .get_mut("connectorConfig")
        .and_then(Value::as_object_mut)
    {
        cc.remove("activationCode");
    }
    cluster
}

async fn handle(req: Request<Incoming>, state: &Mutex<State>) -> Response<Full<Bytes>> {
    let signed = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("AWS4-HMAC-SHA256 ") && v.contains("/eks/aws4_request"));
    let scope_of = |service: &str| {
        req.headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains(&format!("/{service}/aws4_request")))
    };
    let to_upstream = scope_of("iam") || scope_of("sts");
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let uri = req
        .uri()
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_else(|| path.clone());
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                v.to_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let upstream = {
        let mut st = state.lock().unwrap();
        st.requests.push(Recorded {
            method: method.to_string(),
            uri: uri.clone(),
            headers: headers.clone(),
            body: body.to_vec(),
        });
        st.upstream.clone()
    };
    if let (true, Some(upstream)) = (to_upstream, upstream) {
        let action = form_urlencoded::parse(&body)
            .find(|(k, _)| k == "Action")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        let fault = state.lock().unwrap().query_faults.get(&action).cloned();
        if let Some((status, code, message)) = fault {
            let xml = format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>\
                 <Message>{message}</Message></Error><RequestId>fake</RequestId></ErrorResponse>"
            );
            return Response::builder()
                .status(status)
                .header("content-type", "text/xml")
                .body(Full::new(Bytes::from(xml)))
                .unwrap();
        }
        return pass_on(&upstream, &method, &uri, &headers, body).await;
    }
    // The SSO portal (portal.sso.<region>.amazonaws.com) is not SigV4-signed: the caller
    // presents the cached access token in `x-amz-sso_bearer_token`.
    if method == hyper::Method::GET && path == "/federation/credentials" {
        return sso_credentials(state, &uri, &headers);
    }
    if !signed {
        return error(
            403,
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        );
    }
    let mut st = state.lock().unwrap();
    let name_of = |prefix: &str| path.strip_prefix(prefix).map(str::to_string);
    match (method.as_str(), path.as_str()) {
        ("POST", "/cluster-registrations") => {
            let Ok(input) = serde_json::from_slice::<Value>(&body) else {
                return error(400, "InvalidParameterException", "the body is not JSON");
            };
            let name = input["name"].as_str().unwrap_or_default().to_string();
            let role_arn = input["connectorConfig"]["roleArn"]
                .as_str()
                .unwrap_or_default();
            let provider = input["connectorConfig"]["provider"]
                .as_str()
                .unwrap_or_default();
            let token = input["clientRequestToken"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            st.register_calls.push(RegisterCall {
                token: token.clone(),
                role_arn: role_arn.to_string(),
                provider: provider.to_string(),
                tags: input["tags"].clone(),
            });
            let fault = st.faults.pop_front().or(st.always);
            match fault {
                Some(Fault::Propagation) => {
                    return error(
                        428,
                        "ResourcePropagationDelayException",
                        "Service linked role arn:aws:iam::123456789012:role/aws-service-role/eks-connector.amazonaws.com/AWSServiceRoleForAmazonEKSConnector is propagating, please retry later",
                    );
                }
                Some(Fault::NonexistentRole) => {
                    return error(
                        400,
                        "InvalidRequestException",
                        "Nonexistent role or missing ssm service principal in trust policy",
                    );
                }
                Some(Fault::AccessDenied) => {
                    return error(
                        403,
                        "AccessDeniedException",
                        "User is not authorized to perform: eks:RegisterCluster",
                    );
                }
                Some(Fault::Throttle) => return error(400, "ThrottlingException", "Rate exceeded"),
                Some(Fault::Unavailable) => {
                    return error(503, "ServiceUnavailableException", "Service unavailable");
                }
                Some(Fault::InUse) => {
                    return error(
                        409,
                        "ResourceInUseException",
                        &format!("Cluster already exists with name: {name}"),
                    );
                }
                None => {}
            }
            if !role_arn.starts_with("arn:aws:iam::") || provider.is_empty() || name.is_empty() {
                return error(
                    400,
                    "InvalidParameterException",
                    "name, connectorConfig.roleArn and provider are required",
                );
            }
            if let Some(existing) = st.clusters.get(&name) {
                // The same token again is the same request: EKS answers it once more.
                if st.tokens.get(&name) == Some(&token) {
                    return answer(200, json!({ "cluster": existing }), None);
                }
                return error(
                    409,
                    "ResourceInUseException",
                    &format!("Cluster already exists with name: {name}"),
                );
            }
            let code = format!("code-{}", uuid::Uuid::new_v4().simple());
            let cluster = cluster_json(
                &name,
                role_arn,
                provider,
                &code,
                now() + 3.0 * 86400.0,
                "PENDING",
            );
            st.codes.insert(name.clone(), code);
            st.tokens.insert(name.clone(), token);
            st.clusters.insert(name, cluster.clone());
            answer(200, json!({ "cluster": cluster }), None)
        }
        ("GET", _) if path.starts_with("/clusters/") => {
            let name = name_of("/clusters/").unwrap();
            let pending = st
                .clusters
                .get(&name)
                .is_some_and(|c| c["status"] == "PENDING");
            if let (true, Some(n)) = (pending, st.activate_after) {
                if n == 0 {
                    st.clusters.get_mut(&name).unwrap()["status"] = json!("ACTIVE");
                } else {
                    st.activate_after = Some(n - 1);
                }
            }
            match st.clusters.get(&name) {
                Some(c) => answer(200, json!({ "cluster": without_code(c.clone()) }), None),
                None => answer(
                    404,
                    json!({ "clusterName": null, "message": format!("No cluster found for name: {name}.") }),
                    Some("ResourceNotFoundException"),
                ),
            }
        }
        ("DELETE", _) if path.starts_with("/cluster-registrations/") => {
            let name = name_of("/cluster-registrations/").unwrap();
            match st.clusters.remove(&name) {
                Some(mut c) => {
                    c["status"] = json!("DELETING");
                    answer(200, json!({ "cluster": without_code(c) }), None)
                }
                None => answer(
                    404,
                    json!({ "message": format!("No cluster found for name: {name}.") }),
                    Some("ResourceNotFoundException"),
                ),
            }
        }
        _ => error(
            404,
            "UnknownOperationException",
            &format!("{method} {path}"),
        ),
    }
}
