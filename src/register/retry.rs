//! Which RegisterCluster answers are worth waiting for, and how long to wait between attempts.

use std::time::Duration;

use crate::aws::AwsError;

/// Why an answer is retried, in words for the wait line; `None` for a final answer.
pub fn retry_reason(e: &AwsError) -> Option<String> {
    if let AwsError::Transport { .. } = e {
        return Some("no answer from EKS".into());
    }
    let api = e.api()?;
    let message = api.message.as_str();
    if api.code == "ResourcePropagationDelayException" || api.status == 428 {
        Some("AWS is still propagating the service-linked role".into())
    } else if message.contains("Nonexistent role") || message.contains("Not existing role") {
        Some("IAM is still propagating the agent role".into())
    } else if message.contains("AWSServiceRoleFor") && message.contains("is not available") {
        Some("the service-linked role is not available yet".into())
    } else if api.is_throttling() {
        Some(format!("EKS is throttling requests ({})", api.code))
    } else if api.is_transient() {
        Some(format!("EKS answered HTTP {} ({})", api.status, api.code))
    } else {
        None
    }
}

/// Exponential backoff with jitter: attempt `n` waits between half and all of
/// `min(base * 2^n, cap)`.
#[derive(Clone, Debug)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    attempt: u32,
}

impl Backoff {
    pub fn new(base: Duration, cap: Duration) -> Backoff {
        Backoff {
            base,
            cap,
            attempt: 0,
        }
    }

    /// The wait before the next attempt.
    pub fn next_delay(&mut self) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(1u32 << self.attempt.min(20))
            .min(self.cap);
        self.attempt += 1;
        let half = ceiling / 2;
        let jitter = fastrand::u64(0..=half.as_millis() as u64);
        half + Duration::from_millis(jitter)
    }
}

impl Default for Backoff {
    /// 0.5 s doubling up to 20 s (the SDKs' cap).
    fn default() -> Backoff {
        Backoff::new(Duration::from_millis(500), Duration::from_secs(20))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::{ApiError, Service};

    fn api(status: u16, code: &str, message: &str) -> AwsError {
        AwsError::Api(ApiError {
            service: Service::Eks,
            operation: "RegisterCluster",
            status,
            code: code.into(),
            message: message.into(),
            request_id: None,
        })
    }

    #[test]
    fn propagation_roles_throttling_and_5xx_are_retried() {
        assert!(retry_reason(&api(428, "ResourcePropagationDelayException", "")).is_some());
        assert!(
            retry_reason(&api(
                400,
                "InvalidRequestException",
                "Nonexistent role or missing ssm service principal in trust policy"
            ))
            .is_some()
        );
        assert!(retry_reason(&api(400, "ThrottlingException", "Rate exceeded")).is_some());
        assert!(retry_reason(&api(503, "ServiceUnavailableException", "")).is_some());
    }

    #[test]
    fn other_answers_are_final() {
        assert!(retry_reason(&api(403, "AccessDeniedException", "no")).is_none());
        assert!(retry_reason(&api(409, "ResourceInUseException", "taken")).is_none());
        assert!(retry_reason(&api(400, "InvalidParameterException", "bad")).is_none());
    }

    #[test]
    fn backoff_grows_with_jitter_up_to_the_cap() {
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_millis(800));
        let waits: Vec<Duration> = (0..6).map(|_| b.next_delay()).collect();
        for (n, w) in waits.iter().enumerate() {
            let ceiling = Duration::from_millis((100u64 << n).min(800));
            assert!(*w >= ceiling / 2 && *w <= ceiling, "attempt {n}: {w:?}");
        }
    }
}
