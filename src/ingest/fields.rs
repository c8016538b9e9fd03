//! Field-name aliases: the names used by common scrapers and dumps (news-please,
//! trafilatura, newspaper, GDELT-style exports) mapped onto one article shape.

use serde_json::{Map, Value};

use super::{Reject, RejectReason};

/// An article as read, before any cleaning. Only `text` is required.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawArticle {
    pub id: Option<String>,
    pub title: Option<String>,
    pub text: String,
    pub url: Option<String>,
    pub source: Option<String>,
    /// The date as written; the prepare stage parses it.
    pub published: Option<String>,
    /// A language code claimed by the input; used only when detection is unsure.
    pub language_hint: Option<String>,
}

const ID: &[&str] = &["id", "article_id", "_id", "uuid"];
const TITLE: &[&str] = &["title", "headline"];
const TEXT: &[&str] = &["text", "body", "content", "maintext", "article_text"];
const URL: &[&str] = &["url", "link", "canonical_url"];
const SOURCE: &[&str] = &["source", "source_domain", "hostname", "sitename", "outlet"];
const PUBLISHED: &[&str] = &[
    "published",
    "date",
    "date_publish",
    "published_at",
    "pubdate",
];
const LANGUAGE: &[&str] = &["language", "lang"];

/// The first alias present with a usable value. Numbers become strings (numeric ids
/// are common); objects with a `name` (`"source": {"name": ...}`) give that name.
fn pick(map: &Map<String, Value>, aliases: &[&str]) -> Option<String> {
    aliases.iter().find_map(|key| match map.get(*key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(inner) => match inner.get("name") {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => None,
        },
        _ => None,
    })
}

/// The body; an array of strings (paragraph lists) is joined with blank lines.
fn pick_text(map: &Map<String, Value>) -> Option<String> {
    TEXT.iter().find_map(|key| match map.get(*key)? {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => {
            let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            (!parts.is_empty()).then(|| parts.join("\n\n"))
        }
        _ => None,
    })
}

impl RawArticle {
    /// Maps one JSON value onto an article, or says why it cannot be one.
    pub fn from_json(value: Value, raw: &[u8]) -> Result<RawArticle, Reject> {
        let Value::Object(map) = value else {
            return Err(Reject::new(
                RejectReason::NotAnObject,
                "expected a JSON object with a text field",
                raw,
            ));
        };
        let Some(text) = pick_text(&map) else {
            return Err(Reject::new(
                RejectReason::EmptyText,
                format!("no text field (one of: {})", TEXT.join(", ")),
                raw,
            ));
        };
        let url = pick(&map, URL);
        let source = pick(&map, SOURCE).or_else(|| url.as_deref().and_then(host_of));
        Ok(RawArticle {
            id: pick(&map, ID),
            title: pick(&map, TITLE),
            text,
            url,
            source,
            published: pick(&map, PUBLISHED),
            language_hint: pick(&map, LANGUAGE),
        })
    }
}

/// The host part of an absolute URL, without `www.`; the fallback source name.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn article(v: Value) -> RawArticle {
        RawArticle::from_json(v, b"").unwrap()
    }

    #[test]
    fn news_please_fields_map_onto_the_article() {
        let a = article(json!({
            "title": "T", "maintext": "Body", "url": "https://www.example.am/a/1",
            "source_domain": "example.am", "date_publish": "2023-09-28 10:00:00",
            "language": "hy", "authors": ["x"]
        }));
        assert_eq!(a.title.as_deref(), Some("T"));
        assert_eq!(a.text, "Body");
        assert_eq!(a.source.as_deref(), Some("example.am"));
        assert_eq!(a.published.as_deref(), Some("2023-09-28 10:00:00"));
        assert_eq!(a.language_hint.as_deref(), Some("hy"));
    }

    #[test]
    fn aliases_headline_body_hostname_published_at() {
        let a = article(
            json!({"id": 17, "headline": "H", "body": "B", "hostname": "h.az",
                               "published_at": "2023-09-20"}),
        );
        assert_eq!(a.id.as_deref(), Some("17"));
        assert_eq!(a.title.as_deref(), Some("H"));
        assert_eq!(a.text, "B");
        assert_eq!(a.source.as_deref(), Some("h.az"));
        assert_eq!(a.published.as_deref(), Some("2023-09-20"));
    }

    #[test]
    fn content_sitename_date_and_paragraph_arrays() {
        let a = article(json!({"content": ["P1", "P2"], "sitename": "S", "date": "2023-10-01"}));
        assert_eq!(a.text, "P1\n\nP2");
        assert_eq!(a.source.as_deref(), Some("S"));
    }

    #[test]
    fn source_falls_back_to_url_host() {
        let a =
            article(json!({"text": "x", "url": "https://www.Caspian-Ledger.example:443/p?q=1"}));
        assert_eq!(a.source.as_deref(), Some("caspian-ledger.example"));
    }

    #[test]
    fn missing_text_and_non_objects_are_rejected_with_reasons() {
        let e =
            RawArticle::from_json(json!({"title": "only"}), b"{\"title\":\"only\"}").unwrap_err();
        assert_eq!(e.reason, RejectReason::EmptyText);
        assert_eq!(e.raw_prefix, "{\"title\":\"only\"}");
        let e = RawArticle::from_json(json!([1, 2]), b"[1,2]").unwrap_err();
        assert_eq!(e.reason, RejectReason::NotAnObject);
    }
}
