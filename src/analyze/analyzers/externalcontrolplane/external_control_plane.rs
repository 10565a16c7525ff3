//! `externalcontrolplane.ExternalControlPlaneAnalyzer`: the webhooks of a remote cluster must reach
//! the external control plane through a usable address.
//!
//! Istio's validating webhook configurations (`istiod-default-validator`, `istio-validator*`) and
//! injector configurations (`istio-sidecar-injector*`) are checked webhook by webhook:
//! - a `clientConfig.url` that does not parse as a URL is reported (IST0163), and one whose host is
//!   an IP address rather than a name is noted (IST0164);
//! - a webhook with neither a `url` nor a `service` has nowhere to send requests (IST0163).
//!
//! URLs are parsed with the rules of Go's `net/url`, which istioctl uses, so the same addresses
//! are rejected.

use std::collections::HashSet;
use std::net::IpAddr;

use crate::analyze::catalogue::{self, Arg, IST0163, IST0164, MessageType};
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::{Kind, Node, Resource};

pub struct ExternalControlPlaneAnalyzer;

static METADATA: Metadata = Metadata {
    name: "externalcontrolplane.ExternalControlPlaneAnalyzer",
    description: "Checks that the remote IstioOperator resources reference an external control plane",
    inputs: &[
        Kind::ValidatingWebhookConfiguration,
        Kind::MutatingWebhookConfiguration,
    ],
    codes: &[&IST0163, &IST0164],
};

const DEFAULT_VALIDATOR: &str = "istiod-default-validator";
const VALIDATOR_PREFIX: &str = "istio-validator";
const INJECTOR_PREFIX: &str = "istio-sidecar-injector";

fn is_istio_webhook_configuration(r: &Resource) -> bool {
    match r.kind {
        Kind::ValidatingWebhookConfiguration => {
            r.name == DEFAULT_VALIDATOR || r.name.starts_with(VALIDATOR_PREFIX)
        }
        Kind::MutatingWebhookConfiguration => r.name.starts_with(INJECTOR_PREFIX),
        _ => false,
    }
}

impl Analyzer for ExternalControlPlaneAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        let configurations = snap
            .of_kind(Kind::ValidatingWebhookConfiguration)
            .chain(snap.of_kind(Kind::MutatingWebhookConfiguration))
            .filter(|r| is_istio_webhook_configuration(r));
        for config in configurations {
            // istioctl shows a message once per resource and text; so do we.
            let mut seen: HashSet<String> = HashSet::new();
            for (i, hook) in config.doc.path(&["webhooks"]).as_seq().iter().enumerate() {
                let name = hook.path(&["name"]).text();
                let client = hook.path(&["clientConfig"]);
                let finding: Option<(&'static MessageType, Vec<Arg>, String)> =
                    match client.get("url").filter(|u| !u.is_null()) {
                        Some(url) => {
                            let url = url.text();
                            let field = format!("webhooks[{i}].clientConfig.url");
                            match url_hostname(url) {
                                None => Some((
                                    &IST0163,
                                    vec![
                                        url.into(),
                                        name.into(),
                                        "was provided in an invalid format".into(),
                                    ],
                                    field,
                                )),
                                Some(host) if host.parse::<IpAddr>().is_ok() => {
                                    Some((&IST0164, vec![url.into(), name.into()], field))
                                }
                                Some(_) => None,
                            }
                        }
                        None if client.get("service").is_none_or(Node::is_null) => {
                            let field = if client.is_null() {
                                format!("webhooks[{i}]")
                            } else {
                                format!("webhooks[{i}].clientConfig")
                            };
                            Some((
                                &IST0163,
                                vec!["".into(), name.into(), "is blank".into()],
                                field,
                            ))
                        }
                        None => None,
                    };
                if let Some((code, args, field)) = finding
                    && seen.insert(format!(
                        "{} {}",
                        code.code,
                        catalogue::render(code.template, &args)
                    ))
                {
                    ctx.report(code, config, Some(field), args);
                }
            }
        }
    }
}

/// The host name of a URL (without port or IPv6 brackets), or `None` when Go's `url.Parse`
/// would reject the URL. A URL without an authority has an empty host name.
fn url_hostname(raw: &str) -> Option<String> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return None;
    }
    let (rest, fragment) = match raw.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (raw, None),
    };
    if let Some(f) = fragment {
        unescape(f, Part::Other)?;
    }
    if rest == "*" {
        return Some(String::new());
    }
    let (scheme, rest) = split_scheme(rest)?;
    let rest = match rest.strip_suffix('?') {
        Some(r) if !r.contains('?') => r,
        _ => rest.split_once('?').map_or(rest, |(path, _query)| path),
    };
    if !rest.starts_with('/') {
        if !scheme.is_empty() {
            // An opaque URL (`mailto:x`): nothing more is checked.
            return Some(String::new());
        }
        let segment = rest.split('/').next().unwrap_or_default();
        if segment.contains(':') {
            return None;
        }
    }
    let mut host = String::new();
    let mut path = rest;
    if (!scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let after = &rest[2..];
        let (authority, p) = match after.find('/') {
            Some(i) => after.split_at(i),
            None => (after, ""),
        };
        host = parse_authority(authority)?;
        path = p;
    }
    unescape(path, Part::Other)?;
    Some(hostname(&host).to_string())
}

/// Splits `scheme:rest`; no scheme when the text does not start with one. `None` for a URL that
/// starts with `:`.
fn split_scheme(raw: &str) -> Option<(&str, &str)> {
    for (i, c) in raw.char_indices() {
        match c {
            'a'..='z' | 'A'..='Z' => {}
            '0'..='9' | '+' | '-' | '.' if i > 0 => {}
            ':' if i == 0 => return None,
            ':' => return Some((&raw[..i], &raw[i + 1..])),
            _ => return Some(("", raw)),
        }
    }
    Some(("", raw))
}

/// `userinfo@host:port` to the unescaped `host:port`.
fn parse_authority(authority: &str) -> Option<String> {
    let (userinfo, host) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    if let Some(userinfo) = userinfo {
        let valid = userinfo.chars().all(|c| {
            c.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(c) || !c.is_ascii()
        });
        if !valid {
            return None;
        }
        unescape(userinfo, Part::Other)?;
    }
    parse_host(host)
}

fn valid_optional_port(port: &str) -> bool {
    port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
}

fn parse_host(host: &str) -> Option<String> {
    if host.starts_with('[') {
        let close = host.rfind(']')?;
        if !valid_optional_port(&host[close + 1..]) {
            return None;
        }
        // A zone (`[fe80::1%25eth0]`) may use any escape.
        return match host[..close].find("%25") {
            Some(z) => {
                let addr = unescape(&host[..z], Part::Host)?;
                let zone = unescape(&host[z..close], Part::Zone)?;
                let port = unescape(&host[close..], Part::Host)?;
                Some(format!("{addr}{zone}{port}"))
            }
            None => unescape(host, Part::Host),
        };
    }
    if let Some(i) = host.rfind(':')
        && !valid_optional_port(&host[i..])
    {
        return None;
    }
    unescape(host, Part::Host)
}

/// Which part of a URL is being decoded: hosts and zones allow fewer characters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Other,
    Host,
    Zone,
}

/// Decodes `%XX` escapes; `None` for a malformed escape, or (in a host) a character that must
/// not appear there.
fn unescape(s: &str, part: Part) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            let hi = bytes.get(i + 1).copied().and_then(hex)?;
            let lo = bytes.get(i + 2).copied().and_then(hex)?;
            // In a host, only escapes of non-ASCII bytes (and `%25`) are allowed.
            if part == Part::Host && hi < 8 && &s[i..i + 3] != "%25" {
                return None;
            }
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        if part != Part::Other && b < 0x80 && !host_char(b) {
            return None;
        }
        out.push(b);
        i += 1;
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// ASCII characters a host may hold unescaped.
fn host_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!$&'()*+,;=:[]<>\"-_.~".contains(&b)
}

/// `host:port` or `[v6]:port` to the bare host name.
fn hostname(host: &str) -> &str {
    if let Some(inner) = host.strip_prefix('[') {
        return inner.find(']').map_or(inner, |i| &inner[..i]);
    }
    match host.rfind(':') {
        Some(i) if valid_optional_port(&host[i..]) => &host[..i],
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::{ExternalControlPlaneAnalyzer, url_hostname};
    use crate::analyze::testing::findings;

    #[test]
    fn urls_parse_like_go() {
        let host = |u: &str| url_hostname(u);
        assert_eq!(
            host("https://test.com:15017/validate").as_deref(),
            Some("test.com")
        );
        assert_eq!(
            host("https://1.1.1.1:5100/inject").as_deref(),
            Some("1.1.1.1")
        );
        assert_eq!(host("https://[::1]:443/x").as_deref(), Some("::1"));
        assert_eq!(
            host("https://u:p@h.example/x").as_deref(),
            Some("h.example")
        );
        assert_eq!(host("test.com:15017/validate").as_deref(), Some(""));
        assert_eq!(host("").as_deref(), Some(""));
        assert_eq!(host("://istiod"), None);
        assert_eq!(host("https://istiod:abc/x"), None);
        assert_eq!(host("https://ist iod/x"), None);
        assert_eq!(host("https://istiod/%zz"), None);
        assert_eq!(host("https://[::1/x"), None);
        assert_eq!(host("https://istiod/\tx"), None);
        assert_eq!(host("1.2.3.4:15017"), None);
    }

    #[test]
    fn reports_bad_ip_and_missing_addresses() {
        let input = "\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: istio-validator-remote}
webhooks:
- name: a.istio.io
  clientConfig: {url: 'https://10.0.0.1:15017/validate'}
- name: b.istio.io
  clientConfig: {url: 'https://istiod:port/validate'}
- name: c.istio.io
  clientConfig: {service: {name: istiod, namespace: istio-system}}
- name: d.istio.io
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: other-injector}
webhooks:
- name: e.istio.io
";
        assert_eq!(
            findings(&ExternalControlPlaneAnalyzer, input),
            vec![
                "Warning [IST0163] (ValidatingWebhookConfiguration istio-validator-remote t.yaml:11:3) The hostname \
                 () that was provided for the webhook (d.istio.io) to reach the ingress gateway on the external \
                 control plane cluster is blank. Traffic may not flow properly.",
                "Warning [IST0163] (ValidatingWebhookConfiguration istio-validator-remote t.yaml:8:18) The hostname \
                 (https://istiod:port/validate) that was provided for the webhook (b.istio.io) to reach the ingress \
                 gateway on the external control plane cluster was provided in an invalid format. Traffic may not \
                 flow properly.",
                "Info [IST0164] (ValidatingWebhookConfiguration istio-validator-remote t.yaml:6:18) The address \
                 (https://10.0.0.1:15017/validate) that was provided for the webhook (a.istio.io) to reach the \
                 ingress gateway on the external control plane cluster is an IP address. This is not recommended \
                 for a production environment.",
            ]
        );
    }
}
