//! Format readers: JSONL, JSON (array or concatenated objects), plain text and WARC
//! (see `web_archive`), each
//! pushing one [`Record`] per input record into a sink, with bounded memory.

use std::io::{BufRead, Read};
use std::path::Path;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use serde_json::Value;

use super::json_scan;
use super::open::open;
use super::{Input, Payload, RawArticle, Record, Reject, RejectReason};

/// Limits that keep one bad record from exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    pub max_record_bytes: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_record_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Receives records; returns `false` to stop reading (the run is being aborted).
pub type Sink<'a> = dyn FnMut(Record) -> bool + 'a;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Jsonl,
    Json,
    Text,
}

/// How many leading bytes are checked for NUL to recognise binary files.
const SNIFF_BYTES: usize = 8192;

/// Reads every record of `input` into `sink`. Problems with the input's content become
/// reject records; only a stop requested by the sink ends it early.
pub fn read_input(input: &Input, limits: &ReadLimits, counter: &Arc<AtomicU64>, sink: &mut Sink) {
    let name: Arc<str> = Arc::from(input.display.as_str());
    let reject = |record: u64, reason, detail: String, raw: &[u8]| Record {
        input_file: Arc::clone(&name),
        input_record: record,
        payload: Payload::Reject(Reject::new(reason, detail, raw)),
    };
    if let Some(cause) = &input.unreadable {
        sink(reject(
            0,
            RejectReason::UnreadableInput,
            format!("cannot read: {cause}"),
            b"",
        ));
        return;
    }
    let stream = match open(input, counter) {
        Ok((stream, _)) => stream,
        Err(e) => {
            sink(reject(
                0,
                RejectReason::UnreadableInput,
                format!("cannot open: {e}"),
                b"",
            ));
            return;
        }
    };
    read_stream(input, stream, limits, sink);
}

/// Reads `bytes` as if they were the (uncompressed) content of a file named `name`: for
/// property tests and fuzz targets, which exercise every format without touching disk.
pub fn read_bytes(name: &str, bytes: &[u8], limits: &ReadLimits, sink: &mut Sink) {
    let input = Input {
        path: Some(std::path::PathBuf::from(name)),
        display: name.to_string(),
        name: name.to_string(),
        size: Some(bytes.len() as u64),
        unreadable: None,
    };
    read_stream(
        &input,
        Box::new(std::io::Cursor::new(bytes.to_vec())),
        limits,
        sink,
    );
}

/// Everything after opening: format detection and the format's reader.
fn read_stream(
    input: &Input,
    mut stream: Box<dyn BufRead + Send>,
    limits: &ReadLimits,
    sink: &mut Sink,
) {
    let name: Arc<str> = Arc::from(input.display.as_str());
    let reject = |record: u64, reason, detail: String, raw: &[u8]| Record {
        input_file: Arc::clone(&name),
        input_record: record,
        payload: Payload::Reject(Reject::new(reason, detail, raw)),
    };
    let head = match stream.fill_buf() {
        Ok(head) => head,
        Err(e) => {
            sink(reject(
                0,
                RejectReason::TruncatedInput,
                format!("cannot read: {e}"),
                b"",
            ));
            return;
        }
    };
    // Before the binary check: WARC files carry images and other binary payloads.
    if is_warc(input.path.as_deref(), head) {
        let name = &name;
        super::web_archive::read_warc(stream, limits.max_record_bytes, &mut |index, payload| {
            sink(Record {
                input_file: Arc::clone(name),
                input_record: index,
                payload,
            })
        });
        return;
    }
    if head[..head.len().min(SNIFF_BYTES)].contains(&0) {
        let detail = "binary content (NUL bytes); expected JSONL, JSON or text".to_string();
        sink(reject(0, RejectReason::BinaryInput, detail, head));
        return;
    }
    let format = match format_of(input.path.as_deref(), head) {
        Some(format) => format,
        None => {
            let detail = "not JSONL, JSON or UTF-8 text".to_string();
            sink(reject(0, RejectReason::UnsupportedFormat, detail, head));
            return;
        }
    };
    let ctx = Ctx {
        name: &name,
        limits,
        input,
    };
    match format {
        Format::Jsonl => read_jsonl(&ctx, stream, sink),
        Format::Json => read_json(&ctx, stream, sink),
        Format::Text => read_text(&ctx, stream, sink),
    }
}

struct Ctx<'a> {
    name: &'a Arc<str>,
    limits: &'a ReadLimits,
    input: &'a Input,
}

impl Ctx<'_> {
    fn record(&self, index: u64, payload: Payload) -> Record {
        Record {
            input_file: Arc::clone(self.name),
            input_record: index,
            payload,
        }
    }

    fn reject(&self, index: u64, reason: RejectReason, detail: String, raw: &[u8]) -> Record {
        self.record(index, Payload::Reject(Reject::new(reason, detail, raw)))
    }
}

/// `.warc` (ignoring `.gz`/`.zst`), or content starting with a WARC version line.
fn is_warc(path: Option<&Path>, head: &[u8]) -> bool {
    let name = path
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".warc")
        || name.ends_with(".warc.gz")
        || name.ends_with(".warc.zst")
        || head.starts_with(b"WARC/")
}

/// The format from the extension (ignoring `.gz`/`.zst`), else from the first bytes.
fn format_of(path: Option<&Path>, head: &[u8]) -> Option<Format> {
    let name = path
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zst"))
        .unwrap_or(&name);
    if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        return Some(Format::Jsonl);
    }
    if name.ends_with(".json") {
        return Some(Format::Json);
    }
    if name.ends_with(".txt") {
        return Some(Format::Text);
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    match head.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Some(Format::Jsonl),
        Some(b'[') => Some(Format::Json),
        // Only the valid prefix counts: the buffer may end inside a character.
        _ if std::str::from_utf8(head)
            .map(|_| true)
            .unwrap_or_else(|e| e.valid_up_to() + 4 > head.len()) =>
        {
            Some(Format::Text)
        }
        _ => None,
    }
}

/// Reads one line into `buf`, keeping at most `max` bytes but consuming all of it.
/// Returns the line's full length, or `None` at end of input.
fn read_line_bounded(
    stream: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<Option<usize>> {
    buf.clear();
    let mut total = 0usize;
    let mut any = false;
    loop {
        let available = stream.fill_buf()?;
        if available.is_empty() {
            return Ok(any.then_some(total));
        }
        any = true;
        let (take, done) = match memchr(b'\n', available) {
            Some(pos) => (pos + 1, true),
            None => (available.len(), false),
        };
        let keep = take.min((max + 1).saturating_sub(buf.len()));
        buf.extend_from_slice(&available[..keep]);
        total += take;
        stream.consume(take);
        if done {
            return Ok(Some(total));
        }
    }
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

fn read_jsonl(ctx: &Ctx, mut stream: Box<dyn BufRead + Send>, sink: &mut Sink) {
    let max = ctx.limits.max_record_bytes;
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    loop {
        let len = match read_line_bounded(&mut *stream, &mut buf, max) {
            Ok(Some(len)) => len,
            Ok(None) => return,
            Err(e) => {
                let detail = format!("stream ended early after line {line_no}: {e}");
                sink(ctx.reject(line_no + 1, RejectReason::TruncatedInput, detail, &buf));
                return;
            }
        };
        line_no += 1;
        let mut line: &[u8] = &buf;
        if line_no == 1 {
            line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        }
        let record = if len > max {
            let detail = format!(
                "line of {len} bytes exceeds the limit of {max} bytes (--max-record-bytes)"
            );
            ctx.reject(line_no, RejectReason::TooLarge, detail, line)
        } else {
            let trimmed = line.trim_ascii();
            if trimmed.is_empty() {
                continue;
            }
            ctx.record(line_no, parse_json_record(trimmed))
        };
        if !sink(record) {
            return;
        }
    }
}

/// One JSON text as an article or a reject.
fn parse_json_record(raw: &[u8]) -> Payload {
    if let Err(e) = std::str::from_utf8(raw) {
        let detail = format!("invalid UTF-8 at byte {}", e.valid_up_to());
        return Payload::Reject(Reject::new(RejectReason::InvalidUtf8, detail, raw));
    }
    match serde_json::from_slice::<Value>(raw) {
        Ok(value) => match RawArticle::from_json(value, raw) {
            Ok(article) => Payload::Article(article),
            Err(reject) => Payload::Reject(reject),
        },
        Err(e) => Payload::Reject(Reject::new(RejectReason::InvalidJson, e.to_string(), raw)),
    }
}

/// A `.json` file: an array of articles streamed element by element, or one or more
/// objects one after another (pretty-printed single articles, concatenated JSON). Each
/// element is delimited by [`json_scan`] before it is parsed, so an element above the
/// limit is skipped with a fixed-size buffer and a malformed element costs one row.
fn read_json(ctx: &Ctx, mut stream: Box<dyn BufRead + Send>, sink: &mut Sink) {
    let max = ctx.limits.max_record_bytes;
    let mut kept = Vec::new();
    let mut index = 0u64;
    // The rest of the file is skipped after a structural error: one row says why.
    let fail = |index: u64, reason, what: String| {
        let detail = format!("element {index}: {what}; the rest of the file is skipped");
        ctx.reject(index, reason, detail, b"")
    };
    let io_fail = |index: u64, e: std::io::Error| {
        fail(
            index,
            RejectReason::TruncatedInput,
            format!("cannot read: {e}"),
        )
    };
    let array = match json_scan::peek_non_space(&mut *stream) {
        Ok(Some(b'[')) => {
            stream.consume(1);
            true
        }
        Ok(_) => false,
        Err(e) => {
            sink(io_fail(0, e));
            return;
        }
    };
    loop {
        let next = match json_scan::peek_non_space(&mut *stream) {
            Ok(next) => next,
            Err(e) => {
                sink(io_fail(index, e));
                return;
            }
        };
        match next {
            None if array => {
                let what = "the array ends before its closing `]`".to_string();
                sink(fail(index, RejectReason::TruncatedInput, what));
                return;
            }
            None => return,
            Some(b']') if array && index == 0 => return,
            Some(b @ (b']' | b'}' | b',')) => {
                let what = format!("unexpected `{}` where a value should start", b as char);
                sink(fail(index, RejectReason::InvalidJson, what));
                return;
            }
            Some(_) => {}
        }
        let len = match json_scan::scan_value(&mut *stream, &mut kept, max) {
            Ok(len) => len,
            Err(json_scan::ScanError::Eof) => {
                let what = "the input ends inside the element".to_string();
                sink(fail(index, RejectReason::TruncatedInput, what));
                return;
            }
            Err(json_scan::ScanError::Io(e)) => {
                sink(io_fail(index, e));
                return;
            }
        };
        let payload = if len > max as u64 {
            let detail = format!(
                "element of {len} bytes exceeds the limit of {max} bytes (--max-record-bytes)"
            );
            Payload::Reject(Reject::new(RejectReason::TooLarge, detail, &kept))
        } else {
            parse_json_record(&kept)
        };
        // Outside an array, values are only separated by white space: after one that
        // does not parse, the next boundary is a guess (a text file named `.json` would
        // give a row per word), so the rest of the file is skipped.
        let give_up = !array
            && matches!(&payload, Payload::Reject(r) if r.reason == RejectReason::InvalidJson);
        let payload = match payload {
            Payload::Reject(mut r) if give_up => {
                r.detail.push_str("; the rest of the file is skipped");
                Payload::Reject(r)
            }
            other => other,
        };
        if !sink(ctx.record(index, payload)) || give_up {
            return;
        }
        index += 1;
        if array {
            match json_scan::peek_non_space(&mut *stream) {
                Ok(Some(b',')) => stream.consume(1),
                // Whatever follows the closing bracket is not read, as before.
                Ok(Some(b']')) => return,
                Ok(None) => {
                    let what = "the array ends before its closing `]`".to_string();
                    sink(fail(index, RejectReason::TruncatedInput, what));
                    return;
                }
                Ok(Some(b)) => {
                    let what = format!("expected `,` or `]`, found `{}`", b as char);
                    sink(fail(index, RejectReason::InvalidJson, what));
                    return;
                }
                Err(e) => {
                    sink(io_fail(index, e));
                    return;
                }
            }
        }
    }
}

/// A text file is one article: first non-empty line the title, the rest the body,
/// source the name of the folder holding it.
fn read_text(ctx: &Ctx, stream: Box<dyn BufRead + Send>, sink: &mut Sink) {
    let max = ctx.limits.max_record_bytes;
    let mut bytes = Vec::new();
    let read = stream.take(max as u64 + 1).read_to_end(&mut bytes);
    let record = match read {
        Err(e) => ctx.reject(
            0,
            RejectReason::TruncatedInput,
            format!("stream ended early: {e}"),
            &bytes,
        ),
        Ok(_) if bytes.len() > max => {
            let detail = format!("file exceeds the limit of {max} bytes (--max-record-bytes)");
            ctx.reject(0, RejectReason::TooLarge, detail, &bytes)
        }
        Ok(_) => match String::from_utf8(bytes) {
            Err(e) => {
                let detail = format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to());
                ctx.reject(0, RejectReason::InvalidUtf8, detail, e.as_bytes())
            }
            Ok(text) => ctx.record(0, Payload::Article(text_article(ctx.input, &text))),
        },
    };
    sink(record);
}

fn text_article(input: &Input, text: &str) -> RawArticle {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines();
    let title = lines
        .by_ref()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string);
    let body: Vec<&str> = lines.collect();
    let source = input
        .path
        .as_deref()
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned());
    RawArticle {
        title,
        text: body.join("\n"),
        source,
        ..RawArticle::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read_all(path: &Path, limits: ReadLimits) -> Vec<Record> {
        let input = Input {
            path: Some(path.to_path_buf()),
            display: path.display().to_string(),
            name: String::new(),
            size: None,
            unreadable: None,
        };
        let mut out = Vec::new();
        read_input(&input, &limits, &Arc::new(AtomicU64::new(0)), &mut |r| {
            out.push(r);
            true
        });
        out
    }

    fn reasons(records: &[Record]) -> Vec<Option<&'static str>> {
        records
            .iter()
            .map(|r| match &r.payload {
                Payload::Article(_) | Payload::Skipped(_) | Payload::Pending(_) => None,
                Payload::Reject(j) => Some(j.reason.as_str()),
            })
            .collect()
    }

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    #[test]
    fn jsonl_lines_become_articles_or_rejects_with_line_numbers() {
        let d = tempfile::tempdir().unwrap();
        let p = write(
            d.path(),
            "a.jsonl",
            b"{\"text\":\"one\"}\n\n{broken\n\xff\xfe\n[1]\n{\"title\":\"no body\"}\n{\"body\":\"six\"}",
        );
        let recs = read_all(&p, ReadLimits::default());
        assert_eq!(
            reasons(&recs),
            vec![
                None,
                Some("invalid_json"),
                Some("invalid_utf8"),
                Some("not_an_object"),
                Some("empty_text"),
                None
            ]
        );
        let lines: Vec<u64> = recs.iter().map(|r| r.input_record).collect();
        assert_eq!(lines, vec![1, 3, 4, 5, 6, 7]);
    }

    #[test]
    fn oversized_line_is_rejected_without_buffering_it_and_reading_continues() {
        let d = tempfile::tempdir().unwrap();
        let big = format!(
            "{{\"text\":\"{}\"}}\n{{\"text\":\"after\"}}\n",
            "x".repeat(100_000)
        );
        let p = write(d.path(), "big.jsonl", big.as_bytes());
        let recs = read_all(
            &p,
            ReadLimits {
                max_record_bytes: 1000,
            },
        );
        assert_eq!(reasons(&recs), vec![Some("too_large"), None]);
        let Payload::Reject(r) = &recs[0].payload else {
            unreachable!()
        };
        assert_eq!(r.raw_prefix.len(), Reject::PREFIX_BYTES);
        assert!(r.detail.contains("100012 bytes"), "{}", r.detail);
    }

    #[test]
    fn gzip_and_zstd_jsonl_read_like_plain() {
        let d = tempfile::tempdir().unwrap();
        let plain = b"{\"text\":\"a\"}\n{\"text\":\"b\"}\n";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(plain).unwrap();
        let gz = write(d.path(), "x.jsonl.gz", &gz.finish().unwrap());
        let zst = write(
            d.path(),
            "x.jsonl.zst",
            &zstd::encode_all(&plain[..], 3).unwrap(),
        );
        assert_eq!(
            reasons(&read_all(&gz, ReadLimits::default())),
            vec![None, None]
        );
        assert_eq!(
            reasons(&read_all(&zst, ReadLimits::default())),
            vec![None, None]
        );
    }

    #[test]
    fn truncated_gzip_keeps_the_records_before_the_cut() {
        let d = tempfile::tempdir().unwrap();
        let mut plain = String::new();
        for i in 0..2000 {
            plain.push_str(&format!(
                "{{\"text\":\"article number {i} with some words\"}}\n"
            ));
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(plain.as_bytes()).unwrap();
        let bytes = gz.finish().unwrap();
        let p = write(d.path(), "cut.jsonl.gz", &bytes[..bytes.len() / 2]);
        let recs = read_all(&p, ReadLimits::default());
        let r = reasons(&recs);
        assert_eq!(r.last().unwrap(), &Some("truncated_input"));
        assert!(r[..r.len() - 1].iter().all(Option::is_none));
        assert!(recs.len() > 10);
    }

    #[test]
    fn json_array_streams_elements_and_reports_a_broken_tail() {
        let d = tempfile::tempdir().unwrap();
        let p = write(
            d.path(),
            "a.json",
            b" [{\"text\":\"a\"}, 7, {\"content\":\"c\"}, {\"text\": ",
        );
        let recs = read_all(&p, ReadLimits::default());
        assert_eq!(
            reasons(&recs),
            vec![None, Some("not_an_object"), None, Some("truncated_input")]
        );
        assert_eq!(recs[2].input_record, 2);
    }

    #[test]
    fn a_malformed_json_element_costs_one_row_and_a_structural_break_ends_the_file() {
        let d = tempfile::tempdir().unwrap();
        let p = write(
            d.path(),
            "a.json",
            b"[{\"text\":\"a\"}, {\"text\" \"b\"}, {\"text\":\"c\"} {\"text\":\"d\"}]",
        );
        let recs = read_all(&p, ReadLimits::default());
        assert_eq!(
            reasons(&recs),
            vec![None, Some("invalid_json"), None, Some("invalid_json")]
        );
        let Payload::Reject(r) = &recs[3].payload else {
            unreachable!()
        };
        assert!(r.detail.contains("expected `,` or `]`"), "{}", r.detail);
        assert_eq!(recs[3].input_record, 3);
    }

    #[test]
    fn an_oversized_json_element_is_measured_and_skipped() {
        let d = tempfile::tempdir().unwrap();
        let big = format!(
            "[{{\"text\":\"{}\"}}, {{\"text\":\"after\"}}]",
            "\\\"x".repeat(50_000)
        );
        let p = write(d.path(), "big.json", big.as_bytes());
        let recs = read_all(
            &p,
            ReadLimits {
                max_record_bytes: 1000,
            },
        );
        assert_eq!(reasons(&recs), vec![Some("too_large"), None]);
        let Payload::Reject(r) = &recs[0].payload else {
            unreachable!()
        };
        assert!(r.detail.contains("150011 bytes"), "{}", r.detail);
        assert_eq!(recs[1].input_record, 1);
    }

    #[test]
    fn text_in_a_json_file_is_one_invalid_json_row() {
        let d = tempfile::tempdir().unwrap();
        let p = write(
            d.path(),
            "notes.json",
            b"{\"text\":\"a\"}\nthese are many words, not JSON at all\n{\"text\":\"b\"}",
        );
        let recs = read_all(&p, ReadLimits::default());
        assert_eq!(reasons(&recs), vec![None, Some("invalid_json")]);
    }

    #[test]
    fn json_file_with_a_single_pretty_object() {
        let d = tempfile::tempdir().unwrap();
        let p = write(
            d.path(),
            "one.json",
            b"{\n  \"title\": \"T\",\n  \"text\": \"body\"\n}\n",
        );
        assert_eq!(reasons(&read_all(&p, ReadLimits::default())), vec![None]);
    }

    #[test]
    fn text_file_title_body_and_folder_source() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("meridian-daily")).unwrap();
        let p = write(
            &d.path().join("meridian-daily"),
            "a.txt",
            "\u{feff}\n\nThe Title\n\n\nFirst para.\n\nSecond.".as_bytes(),
        );
        let recs = read_all(&p, ReadLimits::default());
        let Payload::Article(a) = &recs[0].payload else {
            panic!()
        };
        assert_eq!(a.title.as_deref(), Some("The Title"));
        assert_eq!(a.text.trim(), "First para.\n\nSecond.");
        assert_eq!(a.source.as_deref(), Some("meridian-daily"));
    }

    #[test]
    fn binary_and_unknown_files_are_rejected_once() {
        let d = tempfile::tempdir().unwrap();
        let bin = write(d.path(), "x.txt", b"\x89PNG\r\n\x1a\n\0\0\0IHDR");
        assert_eq!(
            reasons(&read_all(&bin, ReadLimits::default())),
            vec![Some("binary_input")]
        );
        let latin1 = write(
            d.path(),
            "x.dat",
            b"caf\xe9 caf\xe9 caf\xe9 and more text here",
        );
        assert_eq!(
            reasons(&read_all(&latin1, ReadLimits::default())),
            vec![Some("unsupported_format")]
        );
    }
}
