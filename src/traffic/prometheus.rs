//! Istio's request metrics from Prometheus: the observed split of a Service's requests per
//! version (as Kiali reads it: `rate(istio_requests_total[window])` reported by the destination
//! proxies, summed by `destination_version`), and the health of one version for the stepped
//! rollout's gate (the share of 5xx answers, and the 99th percentile of
//! `istio_request_duration_milliseconds`). The queries and the parsing of Prometheus' answers
//! are pure; [`Prometheus`] sends them over its HTTP API with timeouts.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value as Json;

/// How long one query may take, connection included.
pub const QUERY_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a query gave no answer to judge by.
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    #[error("--prometheus {url:?} is not an http(s) URL: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("cannot query Prometheus at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("Prometheus at {url} answered HTTP {status} to {query}: {message}")]
    Status {
        url: String,
        status: u16,
        query: String,
        message: String,
    },
    #[error("Prometheus at {url} answered something that is not a query result ({reason})")]
    BadAnswer { url: String, reason: String },
}

impl MetricsError {
    pub fn code(&self) -> &'static str {
        match self {
            MetricsError::BadUrl { .. } => "traffic::prometheus_url",
            MetricsError::Unreachable { .. } => "traffic::prometheus_unreachable",
            MetricsError::Status { .. } => "traffic::prometheus_status",
            MetricsError::BadAnswer { .. } => "traffic::prometheus_answer",
        }
    }

    pub fn hint(&self) -> String {
        match self {
            MetricsError::BadUrl { .. } => {
                "give the base URL of Prometheus, as http://127.0.0.1:9090".into()
            }
            MetricsError::Unreachable { .. } => "check --prometheus (a port-forward to it: meshdeck dashboard prometheus prints its URL)".into(),
            MetricsError::Status { .. } | MetricsError::BadAnswer { .. } => {
                "check that --prometheus points at Prometheus itself (its HTTP API answers /api/v1/query)".into()
            }
        }
    }

    pub fn is_bad_flag_value(&self) -> bool {
        matches!(self, MetricsError::BadUrl { .. })
    }
}

/// One series of an instant query's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub labels: BTreeMap<String, String>,
    pub value: f64,
}

/// The Service a query is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target<'a> {
    pub service: &'a str,
    pub namespace: &'a str,
}

/// A label value as PromQL writes it in double quotes.
fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A range as PromQL writes it: whole seconds, at least one.
pub fn range(window: Duration) -> String {
    format!("{}s", window.as_secs().max(1))
}

/// The selector of the Service's requests as its own proxies report them (Kiali's inbound
/// metrics: `reporter="destination"`), optionally of one version and more matchers.
fn selector(target: &Target<'_>, version: Option<&str>, extra: &str) -> String {
    let mut s = format!(
        "reporter=\"destination\",destination_service_name={},destination_service_namespace={}",
        quoted(target.service),
        quoted(target.namespace)
    );
    if let Some(v) = version {
        s.push_str(&format!(",destination_version={}", quoted(v)));
    }
    if !extra.is_empty() {
        s.push(',');
        s.push_str(extra);
    }
    s
}

/// Requests per second to each version of the Service over `window`.
pub fn split_query(target: &Target<'_>, window: Duration) -> String {
    format!(
        "sum by (destination_version) (rate(istio_requests_total{{{}}}[{}]))",
        selector(target, None, ""),
        range(window)
    )
}

/// Requests per second to one version over `window`.
pub fn requests_query(target: &Target<'_>, version: &str, window: Duration) -> String {
    format!(
        "sum(rate(istio_requests_total{{{}}}[{}]))",
        selector(target, Some(version), ""),
        range(window)
    )
}

/// 5xx answers per second of one version over `window` (divided by [`requests_query`] it is
/// the error rate; kept apart so that no traffic is told from no errors).
pub fn errors_query(target: &Target<'_>, version: &str, window: Duration) -> String {
    format!(
        "sum(rate(istio_requests_total{{{}}}[{}]))",
        selector(target, Some(version), "response_code=~\"5..\""),
        range(window)
    )
}

/// The 99th percentile of one version's request durations (milliseconds) over `window`.
pub fn p99_query(target: &Target<'_>, version: &str, window: Duration) -> String {
    format!(
        "histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{{{}}}[{}])))",
        selector(target, Some(version), ""),
        range(window)
    )
}

/// Reads the JSON answer of `/api/v1/query`: a vector (one sample per series) or a scalar.
/// NaN values (a quantile over no requests) are left out.
pub fn parse_answer(url: &str, body: &[u8]) -> Result<Vec<Sample>, MetricsError> {
    let bad = |reason: String| MetricsError::BadAnswer {
        url: url.to_string(),
        reason,
    };
    let json: Json = serde_json::from_slice(body).map_err(|e| bad(format!("not JSON: {e}")))?;
    if json["status"] != "success" {
        return Err(bad(format!(
            "status {}: {}",
            json["status"],
            json["error"].as_str().unwrap_or("no error text")
        )));
    }
    let data = &json["data"];
    let value_of = |pair: &Json| -> Result<f64, MetricsError> {
        let text = pair
            .get(1)
            .and_then(Json::as_str)
            .ok_or_else(|| bad(format!("a value is not [time, \"number\"]: {pair}")))?;
        match text {
            "NaN" => Ok(f64::NAN),
            "+Inf" => Ok(f64::INFINITY),
            "-Inf" => Ok(f64::NEG_INFINITY),
            t => t
                .parse()
                .map_err(|_| bad(format!("a value is not a number: {t:?}"))),
        }
    };
    let samples = match data["resultType"].as_str() {
        Some("vector") => data["result"]
            .as_array()
            .ok_or_else(|| bad("data.result is not a list".into()))?
            .iter()
            .map(|s| {
                Ok(Sample {
                    labels: s["metric"]
                        .as_object()
                        .map(|m| {
                            m.iter()
                                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                                .collect()
                        })
                        .unwrap_or_default(),
                    value: value_of(&s["value"])?,
                })
            })
            .collect::<Result<Vec<_>, MetricsError>>()?,
        Some("scalar") => vec![Sample {
            labels: BTreeMap::new(),
            value: value_of(&data["result"])?,
        }],
        other => {
            return Err(bad(format!(
                "resultType {} where an instant vector was expected",
                other.unwrap_or("missing")
            )));
        }
    };
    Ok(samples.into_iter().filter(|s| !s.value.is_nan()).collect())
}

/// A Prometheus server's HTTP API.
#[derive(Clone, Debug)]
pub struct Prometheus {
    base: reqwest::Url,
    http: reqwest::Client,
}

impl Prometheus {
    /// `url` is Prometheus' base URL (`http://127.0.0.1:9090`, or with a path prefix).
    pub fn new(url: &str) -> Result<Prometheus, MetricsError> {
        let bad = |reason: String| MetricsError::BadUrl {
            url: url.to_string(),
            reason,
        };
        let mut base = reqwest::Url::parse(url).map_err(|e| bad(e.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(bad(format!("the scheme is {}", base.scheme())));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        crate::kube::init_tls();
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(QUERY_TIMEOUT)
            .user_agent(concat!("meshdeck/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| bad(format!("cannot set up an HTTP client: {e}")))?;
        Ok(Prometheus { base, http })
    }

    /// The base URL, as given (without credentials).
    pub fn url(&self) -> String {
        let mut u = self.base.clone();
        let _ = u.set_password(None);
        let _ = u.set_username("");
        u.as_str().trim_end_matches('/').to_string()
    }

    /// Runs an instant query.
    pub async fn query(&self, promql: &str) -> Result<Vec<Sample>, MetricsError> {
        let url = self.url();
        let endpoint = self
            .base
            .join("api/v1/query")
            .map_err(|e| MetricsError::BadUrl {
                url: url.clone(),
                reason: e.to_string(),
            })?;
        let response = self
            .http
            .post(endpoint)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(
                form_urlencoded::Serializer::new(String::new())
                    .append_pair("query", promql)
                    .finish(),
            )
            .send()
            .await
            .map_err(|e| MetricsError::Unreachable {
                url: url.clone(),
                reason: if e.is_timeout() {
                    format!(
                        "no answer within {}",
                        humantime::format_duration(QUERY_TIMEOUT)
                    )
                } else {
                    root_cause(&e)
                },
            })?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| MetricsError::Unreachable {
                url: url.clone(),
                reason: root_cause(&e),
            })?;
        if status != 200 {
            // Prometheus explains a bad query in the JSON of a 400/422.
            let message = serde_json::from_slice::<Json>(&body)
                .ok()
                .and_then(|j| j["error"].as_str().map(str::to_string))
                .unwrap_or_else(|| String::from_utf8_lossy(&body).chars().take(200).collect());
            return Err(MetricsError::Status {
                url,
                status,
                query: promql.to_string(),
                message,
            });
        }
        parse_answer(&url, &body)
    }

    /// The observed requests per second to each version of the Service over `window`.
    pub async fn observed(
        &self,
        target: &Target<'_>,
        window: Duration,
    ) -> Result<ObservedSplit, MetricsError> {
        let samples = self.query(&split_query(target, window)).await?;
        Ok(ObservedSplit::from_samples(&samples, window, &self.url()))
    }

    /// One version's requests, error rate and p99 over `window`.
    pub async fn health(
        &self,
        target: &Target<'_>,
        version: &str,
        window: Duration,
    ) -> Result<Health, MetricsError> {
        let first = |s: Vec<Sample>| s.first().map(|s| s.value);
        let requests = first(self.query(&requests_query(target, version, window)).await?);
        let errors = first(self.query(&errors_query(target, version, window)).await?);
        let p99 = first(self.query(&p99_query(target, version, window)).await?);
        Ok(Health::from_rates(version, requests, errors, p99))
    }
}

fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// The share of requests each version got over a window.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ObservedSplit {
    /// `5m`.
    pub window: String,
    pub prometheus: String,
    /// Requests per second to the Service, all versions.
    pub requests_per_second: f64,
    /// Version -> percent of the requests (empty when there were none).
    pub percent: BTreeMap<String, f64>,
}

impl ObservedSplit {
    pub fn from_samples(samples: &[Sample], window: Duration, prometheus: &str) -> ObservedSplit {
        let mut rates: BTreeMap<String, f64> = BTreeMap::new();
        for s in samples {
            let v = s
                .labels
                .get("destination_version")
                .cloned()
                .unwrap_or_else(|| "unknown".into());
            *rates.entry(v).or_default() += s.value;
        }
        let total: f64 = rates.values().sum();
        let percent = if total > 0.0 {
            rates
                .into_iter()
                .map(|(v, r)| (v, r * 100.0 / total))
                .collect()
        } else {
            BTreeMap::new()
        };
        ObservedSplit {
            window: humantime::format_duration(window).to_string(),
            prometheus: prometheus.to_string(),
            requests_per_second: total,
            percent,
        }
    }

    pub fn has_traffic(&self) -> bool {
        !self.percent.is_empty()
    }
}

/// One version's health over a window.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Health {
    pub version: String,
    pub requests_per_second: f64,
    /// The share of 5xx answers (0..1); `None` without requests.
    pub error_rate: Option<f64>,
    /// Milliseconds; `None` without requests (or without the duration histogram).
    pub p99_ms: Option<f64>,
}

impl Health {
    pub fn from_rates(
        version: &str,
        requests: Option<f64>,
        errors: Option<f64>,
        p99: Option<f64>,
    ) -> Health {
        let requests = requests.unwrap_or(0.0);
        let has_traffic = requests > 0.0;
        Health {
            version: version.to_string(),
            requests_per_second: requests,
            error_rate: has_traffic.then(|| (errors.unwrap_or(0.0) / requests).clamp(0.0, 1.0)),
            p99_ms: if has_traffic {
                p99.filter(|p| p.is_finite())
            } else {
                None
            },
        }
    }

    pub fn has_traffic(&self) -> bool {
        self.requests_per_second > 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Target<'static> = Target {
        service: "reviews",
        namespace: "shop",
    };

    #[test]
    fn queries_select_the_service_as_its_proxies_report_it() {
        assert_eq!(
            split_query(&T, Duration::from_secs(300)),
            "sum by (destination_version) (rate(istio_requests_total{reporter=\"destination\",\
             destination_service_name=\"reviews\",destination_service_namespace=\"shop\"}[300s]))"
        );
        let errors = errors_query(&T, "v2", Duration::from_secs(60));
        assert!(
            errors.contains("destination_version=\"v2\",response_code=~\"5..\"}[60s]"),
            "{errors}"
        );
        let p99 = p99_query(&T, "v2", Duration::from_millis(1500));
        assert!(p99.starts_with("histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{"), "{p99}");
        assert!(p99.ends_with("[1s])))"), "{p99}");
        let odd = Target {
            service: "a\"b",
            namespace: "c\\d",
        };
        assert!(split_query(&odd, Duration::from_secs(5)).contains("\"a\\\"b\""));
    }

    #[test]
    fn answers_are_read_as_prometheus_writes_them() {
        let body = br#"{"status":"success","data":{"resultType":"vector","result":[
            {"metric":{"destination_version":"v1"},"value":[1700000000.1,"7"]},
            {"metric":{"destination_version":"v2"},"value":[1700000000.1,"3"]},
            {"metric":{"destination_version":"v3"},"value":[1700000000.1,"NaN"]}]}}"#;
        let samples = parse_answer("http://p", body).unwrap();
        assert_eq!(samples.len(), 2, "NaN is no value");
        let split = ObservedSplit::from_samples(&samples, Duration::from_secs(300), "http://p");
        assert_eq!(split.window, "5m");
        assert_eq!(split.percent["v1"], 70.0);
        assert_eq!(split.percent["v2"], 30.0);
        assert!(split.has_traffic());
        let none = ObservedSplit::from_samples(&[], Duration::from_secs(60), "http://p");
        assert!(!none.has_traffic());

        let scalar = br#"{"status":"success","data":{"resultType":"scalar","result":[1,"2.5"]}}"#;
        assert_eq!(parse_answer("http://p", scalar).unwrap()[0].value, 2.5);
        let err = parse_answer("http://p", br#"{"status":"error","error":"bad"}"#).unwrap_err();
        assert!(err.to_string().contains("bad"), "{err}");
        assert!(parse_answer("http://p", b"<html>").is_err());
        let matrix = br#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#;
        assert!(
            parse_answer("http://p", matrix)
                .unwrap_err()
                .to_string()
                .contains("matrix")
        );
    }

    #[test]
    fn health_tells_no_traffic_from_no_errors() {
        let h = Health::from_rates("v2", Some(10.0), Some(0.5), Some(120.0));
        assert_eq!(h.error_rate, Some(0.05));
        assert_eq!(h.p99_ms, Some(120.0));
        let quiet = Health::from_rates("v2", Some(0.0), None, Some(f64::NAN));
        assert!(!quiet.has_traffic());
        assert_eq!(quiet.error_rate, None);
        assert_eq!(quiet.p99_ms, None);
        let no_errors = Health::from_rates("v2", Some(4.0), None, None);
        assert_eq!(no_errors.error_rate, Some(0.0));
    }

    #[test]
    fn urls_must_be_http() {
        assert!(Prometheus::new("ftp://x").unwrap_err().is_bad_flag_value());
        assert!(Prometheus::new("not a url").is_err());
        let p = Prometheus::new("http://user:secret@127.0.0.1:9090/prom").unwrap();
        assert_eq!(
            p.url(),
            "http://127.0.0.1:9090/prom",
            "no credentials shown"
        );
    }
}
