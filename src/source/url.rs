//! Manifests fetched over HTTP(S).

use std::sync::Arc;
use std::time::Duration;

use super::root_cause;
use crate::resource::{LoadIssue, SourceText};

pub fn is_url(input: &str) -> bool {
    input.starts_with("http://") || input.starts_with("https://")
}

/// Installs the ring crypto provider for rustls once per process.
pub fn init_tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Fetches a URL, bounded by `timeout`. Non-success statuses and bodies that are not UTF-8 are
/// errors naming the URL.
pub async fn fetch(url: &str, timeout: Duration) -> Result<Arc<SourceText>, LoadIssue> {
    init_tls();
    let client = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .user_agent(concat!("meshdeck/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| LoadIssue::error(url, None, format!("cannot set up an HTTP client: {e}")))?;
    let response = client.get(url).send().await.map_err(|e| {
        let why = if e.is_timeout() {
            format!("no answer within {}s", timeout.as_secs_f32())
        } else if e.is_connect() {
            format!("cannot connect: {}", root_cause(&e))
        } else {
            root_cause(&e)
        };
        LoadIssue::error(url, None, format!("cannot fetch: {why}"))
    })?;
    let status = response.status();
    if !status.is_success() {
        return Err(LoadIssue::error(
            url,
            None,
            format!("cannot fetch: the server answered {status}"),
        ));
    }
    let bytes = response.bytes().await.map_err(|e| {
        LoadIssue::error(
            url,
            None,
            format!("cannot read the response: {}", root_cause(&e)),
        )
    })?;
    super::files::decode(url, bytes.to_vec())
}
