//! Ingest: turns input paths into a stream of [`Record`]s, one per input record.
//!
//! Every record becomes either a [`RawArticle`] or a [`Reject`] with a reason, so that
//! "records read = articles + rejects" holds by construction. Nothing here cleans or
//! interprets text; that is the prepare stage's job.

mod fields;
mod html;
mod inputs;
mod json_scan;
mod open;
mod readers;
mod shard;
mod web_archive;

use std::fmt;
use std::sync::Arc;

pub use fields::RawArticle;
pub use html::EXTRACTOR as HTML_EXTRACTOR;
pub use inputs::{resolve_inputs, Input, InputError, SkippedPath};
pub use readers::{read_bytes, read_input, ReadLimits};
pub use shard::Shard;
pub use web_archive::PendingRecord;

/// Why an input record did not become an article. The set is documented in README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RejectReason {
    /// A JSONL line or JSON array element that does not parse.
    InvalidJson,
    /// A JSON value that is not an object (a number, a string, an array).
    NotAnObject,
    /// Bytes that are not UTF-8.
    InvalidUtf8,
    /// No text field, or nothing left after cleaning.
    EmptyText,
    /// A record larger than `--max-record-bytes`.
    TooLarge,
    /// A file with NUL bytes or other binary content.
    BinaryInput,
    /// A compressed stream that ends early or a read that fails midway.
    TruncatedInput,
    /// A file given explicitly whose content is no supported format.
    UnsupportedFormat,
    /// A file that was listed but could not be opened when its turn came.
    UnreadableInput,
}

impl RejectReason {
    pub const ALL: [RejectReason; 9] = [
        RejectReason::InvalidJson,
        RejectReason::NotAnObject,
        RejectReason::InvalidUtf8,
        RejectReason::EmptyText,
        RejectReason::TooLarge,
        RejectReason::BinaryInput,
        RejectReason::TruncatedInput,
        RejectReason::UnsupportedFormat,
        RejectReason::UnreadableInput,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RejectReason::InvalidJson => "invalid_json",
            RejectReason::NotAnObject => "not_an_object",
            RejectReason::InvalidUtf8 => "invalid_utf8",
            RejectReason::EmptyText => "empty_text",
            RejectReason::TooLarge => "too_large",
            RejectReason::BinaryInput => "binary_input",
            RejectReason::TruncatedInput => "truncated_input",
            RejectReason::UnsupportedFormat => "unsupported_format",
            RejectReason::UnreadableInput => "unreadable_input",
        }
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An input record that could not be read as an article.
#[derive(Debug, Clone)]
pub struct Reject {
    pub reason: RejectReason,
    pub detail: String,
    /// The first bytes of the record, lossily decoded, for a human to recognise it.
    pub raw_prefix: String,
}

impl Reject {
    pub const PREFIX_BYTES: usize = 200;

    pub fn new(reason: RejectReason, detail: impl Into<String>, raw: &[u8]) -> Self {
        let cut = raw.len().min(Self::PREFIX_BYTES);
        Reject {
            reason,
            detail: detail.into(),
            raw_prefix: String::from_utf8_lossy(&raw[..cut]).into_owned(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Payload {
    Article(RawArticle),
    Reject(Reject),
    /// A WARC record that is not an article (a request, an image, a 404, a robots.txt,
    /// an index page): counted by reason in the manifest, not a reject row.
    Skipped(&'static str),
    /// A WARC record read but not yet interpreted: HTTP parsing, decoding and HTML
    /// extraction cost more than reading, so they run in the worker pool, through
    /// [`Payload::resolve`], instead of on the single reader thread.
    Pending(Box<web_archive::PendingRecord>),
}

impl Payload {
    /// Interprets a pending WARC record; any other payload is returned as it is.
    pub fn resolve(self) -> Payload {
        match self {
            Payload::Pending(record) => record.resolve(),
            other => other,
        }
    }

    /// Approximate bytes held, to cut chunks by size.
    pub fn bytes(&self) -> usize {
        match self {
            Payload::Article(a) => a.text.len() + a.title.as_ref().map_or(0, String::len),
            Payload::Reject(r) => r.raw_prefix.len() + r.detail.len(),
            Payload::Skipped(_) => 0,
            Payload::Pending(p) => p.block.len(),
        }
    }
}

/// One input record and where it came from.
#[derive(Debug, Clone)]
pub struct Record {
    /// The input's display name (path as given, or `-` for stdin).
    pub input_file: Arc<str>,
    /// 1-based line number for JSONL, 0-based element index for JSON arrays, 0 for
    /// one-article files.
    pub input_record: u64,
    pub payload: Payload,
}

/// Title and main text of an HTML page, as the WARC reader extracts them (for fuzzing).
pub fn extract_html(html: &str, url: Option<&str>) -> (Option<String>, String) {
    let page = html::extract(html, url);
    (page.title, page.text)
}

/// Every article under `path`, in input order, rejects dropped: for tools that work on
/// small corpora in memory (benchmarks, the synthetic corpus), not for runs.
pub fn read_articles(path: &std::path::Path) -> Result<Vec<RawArticle>, InputError> {
    let (inputs, _) = resolve_inputs(&[path.display().to_string()])?;
    let mut articles = Vec::new();
    let counter = Arc::new(std::sync::atomic::AtomicU64::new(0));
    for input in &inputs {
        read_input(input, &ReadLimits::default(), &counter, &mut |record| {
            if let Payload::Article(article) = record.payload.resolve() {
                articles.push(article);
            }
            true
        });
    }
    Ok(articles)
}
