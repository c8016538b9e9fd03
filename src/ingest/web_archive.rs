//! WARC input (`.warc`, `.warc.gz` with one gzip member per record): each HTML
//! `response` record becomes an article; every other record is skipped and counted by
//! reason (`not_response`, `status`, `not_html`, `not_article`) instead of being a
//! reject row. Records are read by the `warc` crate and HTTP messages by `httparse`;
//! charsets (from the HTTP header, else the page's `<meta>`) are decoded by
//! `encoding_rs`.

use std::io::{BufRead, Read};
use std::sync::LazyLock;

use encoding_rs::Encoding;
use regex::bytes::Regex;

use super::fields::host_of;
use super::html;
use super::{Payload, RawArticle, Reject, RejectReason};

/// Shorter main text than this (in characters) is an index page, a gallery, a stub.
pub const MIN_ARTICLE_CHARS: usize = 200;

/// URL path segments of listing pages rather than articles.
const LISTING_SEGMENTS: &[&str] = &[
    "tag",
    "tags",
    "category",
    "categories",
    "topic",
    "topics",
    "section",
    "archive",
    "archives",
    "search",
    "author",
    "page",
    "feed",
    "rss",
];

/// A WARC header block longer than this is not a WARC file.
const MAX_HEADER_BYTES: usize = 1024 * 1024;

/// Every record's outcome, with its 0-based index in the file. Records are read one at a
/// time: the header block, then the block of `Content-Length` bytes, which is held only
/// up to `max_record_bytes` and otherwise streamed past with a fixed-size buffer.
pub fn read_warc(
    mut stream: Box<dyn BufRead + Send>,
    max_record_bytes: usize,
    sink: &mut dyn FnMut(u64, Payload) -> bool,
) {
    let mut header = Vec::new();
    for index in 0u64.. {
        let fail = |reason, what: String| {
            // The reader cannot resynchronise after a broken record: one reject row
            // for the rest of the file, as for a broken JSON array.
            let detail = format!("WARC record {index}: {what}");
            Payload::Reject(Reject::new(reason, detail, b""))
        };
        let payload = match read_record(&mut *stream, &mut header, max_record_bytes) {
            Ok(None) => return,
            Ok(Some(Block::Held(block))) => {
                let get = |name: &str| {
                    header_value(&header, name)
                        .map(|v| String::from_utf8_lossy(v).trim().to_string())
                };
                Payload::Pending(Box::new(PendingRecord {
                    warc_type: get("WARC-Type"),
                    url: get("WARC-Target-URI"),
                    record_id: get("WARC-Record-ID"),
                    block,
                }))
            }
            Ok(Some(Block::TooLarge { len, prefix })) => Payload::Reject(Reject::new(
                RejectReason::TooLarge,
                format!("WARC record of {len} bytes exceeds the limit of {max_record_bytes} bytes"),
                &prefix,
            )),
            Err(RecordError::Format(what)) => {
                sink(index, fail(RejectReason::UnsupportedFormat, what));
                return;
            }
            Err(RecordError::Truncated(what)) => {
                sink(index, fail(RejectReason::TruncatedInput, what));
                return;
            }
        };
        if !sink(index, payload) {
            return;
        }
    }
}

/// A record's block: held, or measured and skipped.
enum Block {
    Held(Vec<u8>),
    TooLarge { len: u64, prefix: Vec<u8> },
}

enum RecordError {
    /// Not a WARC header block.
    Format(String),
    /// The input ends inside a record, or a read fails.
    Truncated(String),
}

/// Reads the next record: its header block into `header`, then its block. `None` at the
/// end of the input (only blank lines left).
fn read_record(
    stream: &mut dyn BufRead,
    header: &mut Vec<u8>,
    max: usize,
) -> Result<Option<Block>, RecordError> {
    let truncated = |e: std::io::Error| RecordError::Truncated(e.to_string());
    header.clear();
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = (&mut *stream)
            .take((MAX_HEADER_BYTES + 1 - header.len()) as u64)
            .read_until(b'\n', &mut line)
            .map_err(truncated)?;
        if n == 0 {
            return if header.is_empty() {
                Ok(None)
            } else {
                Err(RecordError::Truncated(
                    "the input ends inside a header".into(),
                ))
            };
        }
        // Blank lines between records (a writer that adds more than one) are skipped.
        if header.is_empty() && line.trim_ascii().is_empty() {
            continue;
        }
        header.extend_from_slice(&line);
        if line == b"\r\n" || line == b"\n" {
            break;
        }
        if header.len() > MAX_HEADER_BYTES {
            return Err(RecordError::Format(format!(
                "header block longer than {MAX_HEADER_BYTES} bytes"
            )));
        }
    }
    let len = match ::warc::parser::headers(header) {
        Ok((_, (_, _, len))) => len as u64,
        Err(_) => return Err(RecordError::Format("not a WARC header block".into())),
    };
    let block = if len > max as u64 {
        let mut prefix = Vec::new();
        let head = (&mut *stream)
            .take(Reject::PREFIX_BYTES as u64)
            .read_to_end(&mut prefix)
            .map_err(truncated)?;
        let rest = std::io::copy(
            &mut (&mut *stream).take(len - head as u64),
            &mut std::io::sink(),
        )
        .map_err(truncated)?;
        if head as u64 + rest < len {
            return Err(RecordError::Truncated(
                "the input ends inside a record's block".into(),
            ));
        }
        Block::TooLarge { len, prefix }
    } else {
        let mut block = Vec::with_capacity(len as usize);
        (&mut *stream)
            .take(len)
            .read_to_end(&mut block)
            .map_err(truncated)?;
        if (block.len() as u64) < len {
            return Err(RecordError::Truncated(
                "the input ends inside a record's block".into(),
            ));
        }
        Block::Held(block)
    };
    Ok(Some(block))
}

/// The value of the first header line named `name` (case-insensitive) in a header block.
fn header_value<'a>(header: &'a [u8], name: &str) -> Option<&'a [u8]> {
    header.split(|&b| b == b'\n').skip(1).find_map(|line| {
        let colon = line.iter().position(|&b| b == b':')?;
        line[..colon]
            .trim_ascii()
            .eq_ignore_ascii_case(name.as_bytes())
            .then(|| line[colon + 1..].trim_ascii())
    })
}

/// A WARC record as read: its headers of interest and its block (the HTTP message).
#[derive(Debug, Clone)]
pub struct PendingRecord {
    pub warc_type: Option<String>,
    pub url: Option<String>,
    pub record_id: Option<String>,
    pub block: Vec<u8>,
}

impl PendingRecord {
    pub fn resolve(self) -> Payload {
        record(
            self.warc_type.as_deref(),
            self.url,
            self.record_id,
            &self.block,
        )
    }
}

/// One record's payload: an article, a skip with its reason, or a reject.
pub fn record(
    warc_type: Option<&str>,
    url: Option<String>,
    record_id: Option<String>,
    block: &[u8],
) -> Payload {
    if !warc_type.is_some_and(|t| t.eq_ignore_ascii_case("response")) {
        return Payload::Skipped("not_response");
    }
    let mut headers = [httparse::EMPTY_HEADER; 96];
    let mut response = httparse::Response::new(&mut headers);
    let body_start = match response.parse(block) {
        Ok(httparse::Status::Complete(n)) => n,
        // A response record whose block is not an HTTP message (e.g. DNS, FTP).
        _ => return Payload::Skipped("not_html"),
    };
    if response.code != Some(200) {
        return Payload::Skipped("status");
    }
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
    };
    let content_type = header("content-type");
    let mut body = block[body_start..].to_vec();
    let is_html = match &content_type {
        Some(ct) => ct.starts_with("text/html") || ct.starts_with("application/xhtml"),
        None => looks_like_html(&body),
    };
    if !is_html {
        return Payload::Skipped("not_html");
    }
    if header("transfer-encoding").is_some_and(|te| te.contains("chunked")) {
        match dechunk(&body) {
            Some(b) => body = b,
            None => {
                return Payload::Reject(Reject::new(
                    RejectReason::TruncatedInput,
                    "broken chunked transfer encoding",
                    block,
                ))
            }
        }
    }
    match header("content-encoding").as_deref() {
        None | Some("identity") | Some("") => {}
        Some("gzip") | Some("x-gzip") => {
            let mut out = Vec::new();
            if flate2::read::MultiGzDecoder::new(&body[..])
                .read_to_end(&mut out)
                .is_err()
            {
                return Payload::Reject(Reject::new(
                    RejectReason::TruncatedInput,
                    "gzip content encoding does not decode",
                    block,
                ));
            }
            body = out;
        }
        Some(other) => {
            return Payload::Reject(Reject::new(
                RejectReason::UnsupportedFormat,
                format!("unsupported content encoding {other}"),
                block,
            ))
        }
    }
    let text = decode(&body, content_type.as_deref());
    let page = html::extract(&text, url.as_deref());
    if url.as_deref().is_some_and(is_listing_url) || page.text.chars().count() < MIN_ARTICLE_CHARS {
        return Payload::Skipped("not_article");
    }
    let id = record_id.map(|r| {
        r.trim_start_matches('<')
            .trim_end_matches('>')
            .trim_start_matches("urn:uuid:")
            .to_string()
    });
    Payload::Article(RawArticle {
        id,
        title: page.title,
        text: page.text,
        source: url.as_deref().and_then(host_of),
        url,
        published: page.published,
        language_hint: page.lang.map(|l| l.chars().take(2).collect()),
    })
}

fn looks_like_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(512)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    head.contains("<html") || head.contains("<!doctype html")
}

/// Decodes a chunked body with `httparse`'s chunk-size parser.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let (consumed, size) = match httparse::parse_chunk_size(body) {
            Ok(httparse::Status::Complete(c)) => c,
            _ => return None,
        };
        body = &body[consumed..];
        if size == 0 {
            return Some(out);
        }
        let size = usize::try_from(size).ok()?;
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size..)?;
        body = body.strip_prefix(b"\r\n").unwrap_or(body);
    }
}

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)"#).expect("valid regex")
});

/// The page as text: the charset from the HTTP header, else from a `<meta>` in the first
/// 2 KiB, else UTF-8; a byte-order mark wins over both (as browsers do).
pub fn decode(body: &[u8], content_type: Option<&str>) -> String {
    let from_header = content_type
        .and_then(|ct| {
            ct.split(';')
                .find_map(|p| p.trim().strip_prefix("charset="))
        })
        .map(|c| c.trim_matches(['"', '\'', ' ']).as_bytes().to_vec());
    let from_meta = || {
        META_CHARSET
            .captures(&body[..body.len().min(2048)])
            .map(|c| c[1].to_vec())
    };
    let encoding = from_header
        .or_else(from_meta)
        .and_then(|label| Encoding::for_label(&label))
        .unwrap_or(encoding_rs::UTF_8);
    let (text, _, _) = encoding.decode(body);
    text.into_owned()
}

/// Home pages, listings by tag, category, author, page number, feeds, robots.txt.
fn is_listing_url(url: &str) -> bool {
    let path = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
    let path = path.split(['?', '#']).next().unwrap_or("");
    if path.is_empty() || path == "/" {
        return true;
    }
    let lower = path.to_ascii_lowercase();
    if lower.ends_with("robots.txt") || lower.ends_with(".xml") || lower.ends_with(".rss") {
        return true;
    }
    // `/tag/war` and `/politics/page/2` list articles; `/section/politics/2023/09/28/x`
    // is an article under a section, so the listing word must be near the end.
    let segments: Vec<&str> = lower.split('/').filter(|s| !s.is_empty()).collect();
    segments
        .iter()
        .rev()
        .take(2)
        .any(|s| LISTING_SEGMENTS.contains(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_from_header_then_meta_then_utf8() {
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("Привет");
        assert_eq!(
            decode(&cp1251, Some("text/html; charset=windows-1251")),
            "Привет"
        );
        let mut page = b"<html><head><meta charset=\"koi8-r\"></head><body>".to_vec();
        page.extend_from_slice(&encoding_rs::KOI8_R.encode("Баку").0);
        assert!(decode(&page, Some("text/html")).ends_with("Баку"));
        let (latin5, _, _) = encoding_rs::WINDOWS_1254.encode("Bakı, Şuşa");
        let meta = [
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-9\">"
                .to_vec(),
            latin5.to_vec(),
        ]
        .concat();
        assert!(decode(&meta, None).ends_with("Bakı, Şuşa"));
        assert_eq!(decode("Երևան".as_bytes(), None), "Երևան");
    }

    #[test]
    fn listing_urls() {
        for url in [
            "https://news.example/",
            "https://news.example",
            "https://news.example/tag/war",
            "https://news.example/politics/page/2",
            "https://news.example/robots.txt",
            "https://news.example/feed.xml",
        ] {
            assert!(is_listing_url(url), "{url}");
        }
        assert!(!is_listing_url(
            "https://news.example/2023/09/28/depot-fire"
        ));
    }

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(
            dechunk(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").as_deref(),
            Some(&b"hello world"[..])
        );
        assert!(dechunk(b"zz\r\n").is_none());
    }

    #[test]
    fn non_responses_errors_and_images_are_skipped_with_reasons() {
        let skip = |p: Payload| match p {
            Payload::Skipped(r) => r,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            skip(record(
                Some("request"),
                None,
                None,
                b"GET / HTTP/1.1\r\n\r\n"
            )),
            "not_response"
        );
        assert_eq!(
            skip(record(
                Some("response"),
                None,
                None,
                b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html></html>"
            )),
            "status"
        );
        assert_eq!(
            skip(record(
                Some("response"),
                None,
                None,
                b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG"
            )),
            "not_html"
        );
        assert_eq!(
            skip(record(Some("response"), Some("https://a.example/".into()), None, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>Home</p></body></html>")),
            "not_article"
        );
    }
}
