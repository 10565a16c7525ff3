//! The AWS query protocol (IAM, STS): form-encoded `Action=...&Version=...` bodies, XML answers.

use super::{ApiError, AwsError, Client, Service, with_standard_retries};

const FORM: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// An XML answer, parsed.
pub struct Answer {
    text: String,
}

impl Answer {
    /// The text of the first element named `path[last]` under the chain of `path`, relative to
    /// the document's root (namespaces ignored).
    pub fn text(&self, path: &[&str]) -> Option<String> {
        let doc = roxmltree::Document::parse(&self.text).ok()?;
        let mut node = doc.root_element();
        for name in path {
            node = node
                .children()
                .find(|n| n.is_element() && n.tag_name().name() == *name)?;
        }
        Some(node.text().unwrap_or_default().to_string())
    }

    /// `(Key, Value)` of every `member` under the element at `path`.
    pub fn members(&self, path: &[&str]) -> Vec<(String, String)> {
        let Ok(doc) = roxmltree::Document::parse(&self.text) else {
            return Vec::new();
        };
        let mut node = doc.root_element();
        for name in path {
            match node
                .children()
                .find(|n| n.is_element() && n.tag_name().name() == *name)
            {
                Some(n) => node = n,
                None => return Vec::new(),
            }
        }
        node.children()
            .filter(|n| n.is_element() && n.tag_name().name() == "member")
            .map(|m| {
                let field = |f: &str| {
                    m.children()
                        .find(|n| n.is_element() && n.tag_name().name() == f)
                        .and_then(|n| n.text())
                        .unwrap_or_default()
                        .to_string()
                };
                (field("Key"), field("Value"))
            })
            .collect()
    }
}

/// The code, message and request id of an `<ErrorResponse>`.
fn parse_error(service: Service, operation: &'static str, status: u16, body: &str) -> ApiError {
    let answer = Answer {
        text: body.to_string(),
    };
    let code = answer
        .text(&["Error", "Code"])
        .unwrap_or_else(|| format!("HTTP{status}"));
    let message = answer.text(&["Error", "Message"]).unwrap_or_default();
    let request_id = answer.text(&["RequestId"]);
    ApiError {
        service,
        operation,
        status,
        code,
        message,
        request_id,
    }
}

impl Client {
    /// Calls `action` of IAM or STS with `params`, with the standard retries.
    pub async fn query(
        &self,
        service: Service,
        action: &'static str,
        params: &[(&str, &str)],
    ) -> Result<Answer, AwsError> {
        let version = match service {
            Service::Sts => "2011-06-15",
            _ => "2010-05-08",
        };
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("Action", action);
        form.append_pair("Version", version);
        for (k, v) in params {
            form.append_pair(k, v);
        }
        let body = form.finish().into_bytes();
        with_standard_retries(|| async {
            let r = self
                .send(
                    service,
                    action,
                    reqwest::Method::POST,
                    "/",
                    Some(FORM),
                    body.clone(),
                )
                .await?;
            let text = String::from_utf8_lossy(&r.body).into_owned();
            if (200..300).contains(&r.status) {
                Ok(Answer { text })
            } else {
                Err(AwsError::Api(parse_error(service, action, r.status, &text)))
            }
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_responses_give_code_message_and_request_id() {
        let body = r#"<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name x cannot be found.</Message></Error>
  <RequestId>4a7c</RequestId></ErrorResponse>"#;
        let e = parse_error(Service::Iam, "GetRole", 404, body);
        assert_eq!(e.code, "NoSuchEntity");
        assert_eq!(e.message, "The role with name x cannot be found.");
        assert_eq!(e.request_id.as_deref(), Some("4a7c"));
        let e = parse_error(Service::Iam, "GetRole", 502, "<html>bad gateway</html>");
        assert_eq!(e.code, "HTTP502");
    }

    #[test]
    fn members_are_read_as_key_value_pairs() {
        let a = Answer {
            text: r#"<GetRoleResponse><GetRoleResult><Role><Tags>
              <member><Key>a</Key><Value>1</Value></member>
              <member><Key>b</Key><Value></Value></member></Tags></Role></GetRoleResult></GetRoleResponse>"#
                .into(),
        };
        assert_eq!(
            a.members(&["GetRoleResult", "Role", "Tags"]),
            vec![("a".into(), "1".into()), ("b".into(), String::new())]
        );
        assert_eq!(a.text(&["GetRoleResult", "Role", "Missing"]), None);
    }
}
