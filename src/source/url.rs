//! Manifests fetched over HTTP(S).

use std::sync::Arc;
use std::time::Duration;

use super::{Deadline, root_cause};
use crate::resource::{LoadIssue, SourceText, limits};

pub fn is_url(input: &str) -> bool {
    input.starts_with("http://") || input.starts_with("https://")
}

pub use crate::tls::init as init_tls;

/// Fetches a URL; the whole exchange, body included, must end by `deadline` (a server that
/// trickles its answer is cut off too), and the body may hold at most
/// [`limits::MAX_SOURCE_BYTES`]. Non-success statuses and bodies that are not UTF-8 are errors
/// naming the URL.
pub async fn fetch(url: &str, deadline: Deadline) -> Result<Arc<SourceText>, LoadIssue> {
    match tokio::time::timeout_at(deadline.read_until(), fetch_body(url, deadline.timeout)).await {
        Ok(result) => result,
        Err(_) => Err(LoadIssue::error(
            url,
            None,
            format!(
                "cannot fetch: no complete answer within {}",
                deadline.describe()
            ),
        )),
    }
}

async fn fetch_body(url: &str, timeout: Duration) -> Result<Arc<SourceText>, LoadIssue> {
    init_tls();
    let client = reqwest::Client::builder()
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .user_agent(concat!("meshdeck/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| LoadIssue::error(url, None, format!("cannot set up an HTTP client: {e}")))?;
    let mut response = client.get(url).send().await.map_err(|e| {
        let why = if e.is_timeout() {
            format!("no answer within {}", humantime::format_duration(timeout))
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
    let too_large = || LoadIssue::error(url, None, limits::source_too_large());
    if response
        .content_length()
        .is_some_and(|n| n > limits::MAX_SOURCE_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| {
        LoadIssue::error(
            url,
            None,
            format!("cannot read the response: {}", root_cause(&e)),
        )
    })? {
        if bytes.len() + chunk.len() > limits::MAX_SOURCE_BYTES {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    super::files::decode(url, bytes)
}
