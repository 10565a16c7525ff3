//! SigV4 (`AWS4-HMAC-SHA256`) request signing with the aws-sigv4 crate: the headers to add to a
//! request before it is sent.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

/// What a request is signed for: the service's signing name and the signing region.
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    pub service: &'a str,
    pub region: &'a str,
}

/// Why a request could not be signed (a URL or header aws-sigv4 does not accept).
#[derive(Debug, thiserror::Error)]
#[error("cannot sign the request: {0}")]
pub struct SignError(String);

/// The headers (`x-amz-date`, `authorization`, and `x-amz-security-token` for session
/// credentials) that sign `method url` with `headers` and exactly `body`, at `time`.
/// `headers` must hold every header sent that is to be signed (`host`, `content-type`).
pub fn signature_headers(
    credentials: &Credentials,
    scope: Scope<'_>,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    time: SystemTime,
) -> Result<Vec<(String, String)>, SignError> {
    let identity: Identity = credentials.clone().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(scope.region)
        .name(scope.service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| SignError(e.to_string()))?
        .into();
    let request = SignableRequest::new(
        method,
        url,
        headers.iter().copied(),
        SignableBody::Bytes(body),
    )
    .map_err(|e| SignError(e.to_string()))?;
    let (instructions, _signature) = sign(request, &params)
        .map_err(|e| SignError(e.to_string()))?
        .into_parts();
    Ok(instructions
        .headers()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect())
}

#[cfg(test)]
mod tests {
    //! The expected signatures are the ones AWS documents for its AKIDEXAMPLE examples (the
    //! SigV4 test suite's get-vanilla, post-vanilla and post-x-www-form-urlencoded cases and the
    //! IAM ListUsers example of the "Create a signed AWS API request" guide).
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    fn example_time() -> SystemTime {
        // 2015-08-30T12:36:00Z
        UNIX_EPOCH + Duration::from_secs(1_440_938_160)
    }

    fn creds(token: Option<&str>) -> Credentials {
        Credentials::new(
            "AKIDEXAMPLE",
            SECRET,
            token.map(str::to_string),
            None,
            "test",
        )
    }

    fn authorization(headers: &[(String, String)]) -> &str {
        headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .map(|(_, v)| v.as_str())
            .expect("an authorization header")
    }

    const SUITE: Scope<'static> = Scope {
        service: "service",
        region: "us-east-1",
    };

    #[test]
    fn get_vanilla() {
        let h = signature_headers(
            &creds(None),
            SUITE,
            "GET",
            "https://example.amazonaws.com/",
            &[("host", "example.amazonaws.com")],
            b"",
            example_time(),
        )
        .unwrap();
        assert_eq!(
            authorization(&h),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
        assert!(
            h.iter()
                .any(|(k, v)| k == "x-amz-date" && v == "20150830T123600Z")
        );
        assert!(!h.iter().any(|(k, _)| k == "x-amz-security-token"));
    }

    #[test]
    fn post_vanilla() {
        let h = signature_headers(
            &creds(None),
            SUITE,
            "POST",
            "https://example.amazonaws.com/",
            &[("host", "example.amazonaws.com")],
            b"",
            example_time(),
        )
        .unwrap();
        assert!(
            authorization(&h).ends_with(
                "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
            ),
            "{h:?}"
        );
    }

    #[test]
    fn iam_list_users_example() {
        let h = signature_headers(
            &creds(None),
            Scope {
                service: "iam",
                region: "us-east-1",
            },
            "GET",
            "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
            &[
                (
                    "content-type",
                    "application/x-www-form-urlencoded; charset=utf-8",
                ),
                ("host", "iam.amazonaws.com"),
            ],
            b"",
            example_time(),
        )
        .unwrap();
        assert_eq!(
            authorization(&h),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date, \
             Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        );
    }

    #[test]
    fn get_vanilla_with_session_token() {
        let token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
        let h = signature_headers(
            &creds(Some(token)),
            SUITE,
            "GET",
            "https://example.amazonaws.com/",
            &[("host", "example.amazonaws.com")],
            b"",
            example_time(),
        )
        .unwrap();
        assert!(
            h.iter()
                .any(|(k, v)| k == "x-amz-security-token" && v == token)
        );
        assert_eq!(
            authorization(&h),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date;x-amz-security-token, \
             Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"
        );
    }
}
