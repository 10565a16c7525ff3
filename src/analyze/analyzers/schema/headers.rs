//! HTTP header names and values as Istio checks them in VirtualServices: names are RFC 7230
//! tokens (or pseudo-headers, or `@request.auth.claims` routing keys), values may carry Envoy's
//! `%VARIABLE%` and `%VAR(args)%` substitutions, with a literal `%` written `%%`.

/// `tchar` of RFC 7230: the characters a header name (token) may use.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

const PSEUDO: &[&str] = &[":method", ":scheme", ":authority", ":path", ":status"];

/// `@request.auth.claims.<a>.<b>` or `@request.auth.claims[<a>][<b>]`.
pub fn is_claim_route(name: &str) -> bool {
    const PREFIX: &str = "@request.auth.claims";
    let Some(head) = name.get(..PREFIX.len()) else {
        return false;
    };
    if !head.eq_ignore_ascii_case(PREFIX) {
        return false;
    }
    let rest = &name[PREFIX.len()..];
    (rest.starts_with('.') && rest.len() > 1)
        || (rest.starts_with('[') && rest.ends_with(']') && rest.len() > 2)
}

/// A header a route matches on.
pub fn check_match_name(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("header name cannot be empty".into());
    }
    if is_claim_route(name) || PSEUDO.contains(&name) || is_token(name) {
        return None;
    }
    Some(format!("header name {name} is not a valid header name"))
}

fn internal(name: &str) -> bool {
    name.starts_with(':') || name.eq_ignore_ascii_case("host")
}

fn authority(name: &str) -> bool {
    name.eq_ignore_ascii_case(":authority") || name.eq_ignore_ascii_case("host")
}

/// A request header a route sets or adds (the authority may be set).
pub fn check_request_set_name(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("header name cannot be empty".into());
    }
    (internal(name) && !authority(name))
        .then(|| format!("invalid header {name:?}: header cannot have \":\" prefix"))
}

/// A header a route removes, or sets on the response.
pub fn check_operation_name(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("header name cannot be empty".into());
    }
    if name.eq_ignore_ascii_case("host") {
        return Some(format!("invalid header {name:?}: cannot set Host header"));
    }
    internal(name).then(|| format!("invalid header {name:?}: header cannot have \":\" prefix"))
}

/// A header name in a CORS policy (`*` allowed).
pub fn check_cors_name(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("header name cannot be empty".into());
    }
    (name != "*" && !is_token(name))
        .then(|| format!("header name {name} is not a valid header name"))
}

/// Where the reader of a header value is.
#[derive(Clone, Copy, PartialEq)]
enum State {
    Literal,
    VariableName,
    ExpectArray,
    ExpectString,
    InString,
    ExpectDelimiterOrEnd,
    ExpectArgsEnd,
    ExpectVariableEnd,
}

/// A header value: no control characters, and well-formed `%...%` substitutions.
pub fn check_value(value: &str) -> Option<String> {
    if value
        .chars()
        .any(|c| matches!(c, '\u{0}'..='\u{8}' | '\u{a}'..='\u{1f}' | '\u{7f}'))
    {
        return Some(format!("header value configuration {value} is invalid"));
    }
    let bad = |why: &str| {
        Some(format!(
            "header value configuration: invalid header configuration. {why}"
        ))
    };
    let bytes = value.as_bytes();
    let mut state = State::Literal;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let has_next = i + 1 < bytes.len();
        match state {
            State::Literal if c == b'%' => {
                if !has_next {
                    return bad("Un-escaped %");
                }
                if bytes[i + 1] == b'%' {
                    i += 1;
                } else {
                    state = State::VariableName;
                }
            }
            State::Literal => {}
            State::VariableName => match c {
                b'%' => state = State::Literal,
                b'(' => state = State::ExpectArray,
                _ => {}
            },
            State::ExpectArray => {
                if c == b'[' {
                    state = State::ExpectString;
                } else if c != b' ' {
                    state = State::InString;
                }
            }
            State::ExpectDelimiterOrEnd => match c {
                b',' => state = State::ExpectString,
                b']' => state = State::ExpectArgsEnd,
                b' ' => {}
                _ => return bad("Expecting ',', ']', or whitespace"),
            },
            State::ExpectString => match c {
                b'"' => state = State::InString,
                b' ' => {}
                _ => return bad("Expecting '\"'"),
            },
            State::InString => match c {
                b'\\' => {
                    if !has_next {
                        return bad("Un-terminated backslash in JSON string");
                    }
                    i += 1;
                }
                b')' => state = State::ExpectVariableEnd,
                b'"' => state = State::ExpectDelimiterOrEnd,
                _ => {}
            },
            State::ExpectArgsEnd => match c {
                b')' => state = State::ExpectVariableEnd,
                b' ' => {}
                _ => return bad("Expecting ')' or whitespace"),
            },
            State::ExpectVariableEnd => match c {
                b'%' => state = State::Literal,
                b' ' => {}
                _ => return bad("Expecting '%' or whitespace after"),
            },
        }
        i += 1;
    }
    (state != State::Literal).then(|| {
        format!(
            "header value configuration: invalid header configuration. Un-terminated variable expression '{value}'"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_with_substitutions() {
        for ok in [
            "foo",
            "%HOSTNAME%",
            "100%%",
            "prefix %HOSTNAME% suffix",
            "%REQ(x-foo)%",
            "%START_TIME(%s)%",
            "",
        ] {
            assert_eq!(check_value(ok), None, "{ok}");
        }
        assert!(
            check_value("abc%123")
                .unwrap()
                .contains("Un-terminated variable")
        );
        assert!(
            check_value("%START_TIME%%")
                .unwrap()
                .contains("Un-escaped %")
        );
        assert!(check_value("a\nb").unwrap().contains("is invalid"));
    }

    #[test]
    fn names() {
        assert_eq!(check_match_name("x-user"), None);
        assert_eq!(check_match_name(":authority"), None);
        assert_eq!(check_match_name("@request.auth.claims.group"), None);
        assert_eq!(check_match_name("@request.auth.claims[a][b]"), None);
        assert_eq!(
            check_match_name("x user").unwrap(),
            "header name x user is not a valid header name"
        );
        assert!(
            check_operation_name("Host")
                .unwrap()
                .contains("cannot set Host")
        );
        assert!(
            check_request_set_name(":path")
                .unwrap()
                .contains("\":\" prefix")
        );
        assert_eq!(check_request_set_name(":authority"), None);
        assert_eq!(check_cors_name("*"), None);
    }
}
