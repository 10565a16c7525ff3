//! Value formats Istio's validation checks: durations, DNS names and wildcards, ports, IP
//! addresses and CIDR blocks. Each returns Istio's wording of the problem, or `None`.

use std::net::IpAddr;

/// A Go-style duration (`1.5s`, `300ms`, `1h2m`), as the CRDs and Istio read them, in
/// nanoseconds.
pub fn parse_duration(s: &str) -> Option<i128> {
    let (neg, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, tail) = rest.split_at(num_end);
        if num.is_empty() || num == "." {
            return None;
        }
        let value: f64 = num.parse().ok()?;
        let unit_end = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_end);
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += value * scale;
        rest = tail;
    }
    let ns = total.round() as i128;
    Some(if neg { -ns } else { ns })
}

/// Istio's check of a duration field: at least 1ms, in whole milliseconds.
pub fn check_duration(s: &str) -> Option<String> {
    let Some(ns) = parse_duration(s) else {
        return Some(format!(
            "invalid duration {s:?} (use a number with a unit: 300ms, 1.5s, 5m, 1h)"
        ));
    };
    if ns < 1_000_000 {
        return Some(format!("duration {s:?} must be at least 1ms"));
    }
    if ns % 1_000_000 != 0 {
        return Some(format!(
            "duration {s:?}: only durations to ms precision are supported"
        ));
    }
    None
}

pub fn check_port(port: i64) -> Option<String> {
    (!(1..=65535).contains(&port))
        .then(|| format!("port number {port} must be in the range 1..65535"))
}

/// `[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?`, at most 63 characters.
pub fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

/// A first label that may carry a wildcard: `*`, `*foo`, `*-foo` or a plain label.
fn is_wildcard_label(s: &str) -> bool {
    if s == "*" {
        return true;
    }
    let rest = s
        .strip_prefix("*-")
        .or_else(|| s.strip_prefix('*'))
        .unwrap_or(s);
    s.len() <= 63 && is_dns1123_label(rest)
}

fn check_labels(domain: &str, labels: &str) -> Option<String> {
    let parts: Vec<&str> = labels.split('.').collect();
    let tld = parts[parts.len() - 1];
    if !tld.is_empty() && tld.bytes().all(|c| c.is_ascii_digit()) {
        return Some(format!(
            "domain name {domain:?} invalid (top level domain {tld:?} cannot be all-numeric)"
        ));
    }
    for (i, label) in parts.iter().enumerate() {
        // A trailing dot (`istio.io.`) is allowed.
        if i == parts.len() - 1 && label.is_empty() {
            return None;
        }
        if !is_dns1123_label(label) {
            return Some(format!(
                "domain name {domain:?} invalid (label {label:?} invalid)"
            ));
        }
    }
    None
}

fn preconditions(domain: &str) -> Option<String> {
    if domain.len() > 255 {
        return Some(format!("domain name {domain:?} too long (max 255)"));
    }
    if domain.is_empty() {
        return Some("empty domain name not allowed".into());
    }
    None
}

/// A host that may start with a wildcard label (`*.example.com`, `*`).
pub fn check_wildcard_domain(domain: &str) -> Option<String> {
    if let Some(e) = preconditions(domain) {
        return Some(e);
    }
    let (first, rest) = match domain.split_once('.') {
        Some((f, r)) => (f, Some(r)),
        None => (domain, None),
    };
    if !is_wildcard_label(first) {
        return Some(format!(
            "domain name {domain:?} invalid (label {first:?} invalid)"
        ));
    }
    rest.and_then(|r| check_labels(domain, r))
}

/// A fully qualified name without wildcards.
pub fn check_fqdn(domain: &str) -> Option<String> {
    preconditions(domain).or_else(|| check_labels(domain, domain))
}

pub fn is_ip(s: &str) -> bool {
    s.parse::<IpAddr>().is_ok()
}

/// An address or a CIDR block (`10.0.0.0/8`, `2001:db8::/32`, `10.1.2.3`).
pub fn check_ip_subnet(s: &str) -> Option<String> {
    match s.split_once('/') {
        Some((ip, bits)) => {
            let max = match ip.parse::<IpAddr>() {
                Ok(IpAddr::V4(_)) => 32,
                Ok(IpAddr::V6(_)) => 128,
                Err(_) => return Some(format!("{s} is not a valid CIDR block")),
            };
            match bits.parse::<u8>() {
                Ok(b) if b <= max && !bits.starts_with('+') => None,
                _ => Some(format!("{s} is not a valid CIDR block")),
            }
        }
        None if is_ip(s) => None,
        None => Some(format!("{s} is not a valid IP address")),
    }
}

/// A regular expression as Envoy takes it: RE2 syntax (which the `regex` crate follows), at most
/// 1024 characters. `place` names the field in the message (`uri`, `headers`).
pub fn check_regex(re: &str, place: &str) -> Option<String> {
    if re.len() > 1024 {
        return Some(format!(
            "{place:?}: regex is too large, max length allowed is 1024"
        ));
    }
    let err = regex::Regex::new(re).err()?;
    // The crate's message is several lines (pattern, caret, error); keep the error itself.
    let text = err.to_string();
    let reason = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .unwrap_or(text.lines().last().unwrap_or_default().trim());
    Some(format!(
        "{place:?}: invalid regex {re:?}: {reason}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)"
    ))
}

/// Whether host pattern `a` matches host `b` in Istio's sense (either side may be a wildcard;
/// `*.foo.com` covers `bar.foo.com` and `*.bar.foo.com`), used for duplicate-host checks.
pub fn hosts_overlap(a: &str, b: &str) -> bool {
    fn covers(pattern: &str, host: &str) -> bool {
        if pattern == host {
            return true;
        }
        match pattern.strip_prefix('*') {
            Some(suffix) => {
                host.ends_with(suffix) && host.len() > suffix.len() || suffix.is_empty()
            }
            None => false,
        }
    }
    covers(a, b) || covers(b, a)
}

/// The closest name in `candidates` to a misspelt `name`, when it is close enough to be a
/// likely typo (Levenshtein distance, ignoring case, at most a third of the length, and at most 3).
pub fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let name_lower = name.to_ascii_lowercase();
    let limit = (name.chars().count() / 3).clamp(1, 3);
    candidates
        .iter()
        .map(|c| {
            (
                strsim::levenshtein(&name_lower, &c.to_ascii_lowercase()),
                *c,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_go_reads_them() {
        assert_eq!(parse_duration("1.5s"), Some(1_500_000_000));
        assert_eq!(parse_duration("1h2m"), Some(3_720_000_000_000));
        assert_eq!(parse_duration("300ms"), Some(300_000_000));
        assert_eq!(parse_duration("10"), None);
        assert_eq!(parse_duration("abc"), None);
        assert_eq!(check_duration("5s"), None);
        assert!(check_duration("0.5ms").unwrap().contains("at least 1ms"));
        assert!(check_duration("1500us").unwrap().contains("ms precision"));
        assert!(check_duration("10").unwrap().contains("invalid duration"));
    }

    #[test]
    fn hosts_and_wildcards() {
        assert_eq!(check_wildcard_domain("*.example.com"), None);
        assert_eq!(check_wildcard_domain("*"), None);
        assert_eq!(check_wildcard_domain("reviews"), None);
        assert_eq!(check_wildcard_domain("istio.io."), None);
        assert_eq!(
            check_wildcard_domain("foo.*.com").unwrap(),
            "domain name \"foo.*.com\" invalid (label \"*\" invalid)"
        );
        assert!(
            check_wildcard_domain("foo.123")
                .unwrap()
                .contains("all-numeric")
        );
        assert_eq!(
            check_wildcard_domain("").unwrap(),
            "empty domain name not allowed"
        );
        assert!(hosts_overlap("*.foo.com", "bar.foo.com"));
        assert!(hosts_overlap("a.com", "a.com"));
        assert!(!hosts_overlap("a.com", "b.com"));
        assert!(hosts_overlap("*", "b.com"));
    }

    #[test]
    fn addresses() {
        assert_eq!(check_ip_subnet("10.0.0.0/8"), None);
        assert_eq!(check_ip_subnet("2001:db8::/32"), None);
        assert_eq!(check_ip_subnet("10.1.2.3"), None);
        assert!(check_ip_subnet("10.0.0.0/33").is_some());
        assert!(check_ip_subnet("nope").is_some());
        assert_eq!(
            check_port(0).unwrap(),
            "port number 0 must be in the range 1..65535"
        );
    }

    #[test]
    fn regexes_in_re2_syntax() {
        assert_eq!(check_regex("^/api/v[0-9]+", "uri"), None);
        assert_eq!(
            check_regex("/api/(v1", "uri").unwrap(),
            "\"uri\": invalid regex \"/api/(v1\": unclosed group; Istio uses RE2 style regex-based \
             match (https://github.com/google/re2/wiki/Syntax)"
        );
        assert!(
            check_regex(&"a".repeat(1025), "uri")
                .unwrap()
                .contains("too large")
        );
    }

    #[test]
    fn typo_suggestions() {
        let fields = ["destination", "weight", "headers"];
        assert_eq!(closest("destinaton", &fields), Some("destination"));
        assert_eq!(closest("wieght", &fields), Some("weight"));
        assert_eq!(closest("zzz", &fields), None);
    }
}
