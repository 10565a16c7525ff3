//! Whether the UI answers: HTTP GETs of its health path through the tunnel (the local listener),
//! until one answers 2xx or 3xx or the deadline passes.

use std::time::{Duration, Instant};

/// What the last attempt got, when no attempt succeeded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unhealthy {
    pub got: String,
}

/// GETs `url` until it answers with a success or redirect (returns its status), or `timeout`
/// passes (returns what the last attempt got).
pub async fn check(url: &str, timeout: Duration) -> Result<u16, Unhealthy> {
    crate::kube::init_tls();
    let client = reqwest::Client::builder()
        // Only loopback is asked; a proxy from the environment must not see it.
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Unhealthy {
            got: format!("no HTTP client: {e}"),
        })?;
    let deadline = Instant::now() + timeout;
    let mut got = String::from("no answer yet");
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Unhealthy { got });
        }
        let per_try = left.min(Duration::from_secs(3));
        match client.get(url).timeout(per_try).send().await {
            Ok(resp) if resp.status().is_success() || resp.status().is_redirection() => {
                return Ok(resp.status().as_u16());
            }
            Ok(resp) => got = format!("HTTP {}", resp.status()),
            Err(e) if e.is_timeout() => {
                got = format!("no answer within {}", humantime::format_duration(per_try))
            }
            Err(e) => got = root_cause(&e),
        }
        let pause = deadline
            .saturating_duration_since(Instant::now())
            .min(Duration::from_millis(300));
        tokio::time::sleep(pause).await;
    }
}

/// The innermost cause: what the connection failure really was ("connection refused").
fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}
