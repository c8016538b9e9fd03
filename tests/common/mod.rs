//! Shared helpers for the end-to-end tests: run the real binary (once on the corpora
//! per test binary, see [`corpora_run`]), write and compress inputs, read its tables.
//! Lists of languages and tables come from the library, not from the tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use assert_cmd::Command;
use polars::prelude::*;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn newsframe() -> Command {
    let mut cmd = Command::cargo_bin("newsframe").unwrap();
    cmd.env_remove("RUST_LOG");
    cmd
}

/// Runs `newsframe run ARGS --out OUT --no-progress` and returns the output.
pub fn run(args: &[&str], out: &Path) -> Output {
    newsframe()
        .arg("run")
        .args(args)
        .arg("--out")
        .arg(out)
        .arg("--no-progress")
        .output()
        .unwrap()
}

/// One `newsframe run corpora` per test binary, for the tests that only read its
/// output (tests that change the folder work on a [`copy_dir`] of it). Its folder is
/// under `target/tmp`, named after the test binary, and redone by each test process.
pub fn corpora_run() -> &'static CorporaRun {
    static RUN: OnceLock<CorporaRun> = OnceLock::new();
    RUN.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("corpora-run-{}", env!("CARGO_CRATE_NAME")));
        let _ = std::fs::remove_dir_all(&out);
        let output = run(&[repo().join("corpora").to_str().unwrap()], &out);
        assert!(
            output.status.success(),
            "newsframe run corpora: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        CorporaRun { out, output }
    })
}

/// The shared run on the corpora: its output folder and the process output.
pub struct CorporaRun {
    pub out: PathBuf,
    pub output: Output,
}

/// The languages newsframe extracts from (the language registry,
/// `src/prepare/languages`), sorted by code.
pub fn languages() -> Vec<&'static str> {
    let lexicons = newsframe::lexicon::LexiconSet::bundled();
    let mut codes: Vec<&'static str> = newsframe::prepare::languages::all(&lexicons)
        .unwrap()
        .iter()
        .map(|l| l.code())
        .collect();
    codes.sort_unstable();
    codes
}

/// Every table a run writes with all extractors on: articles, rejects, then one per
/// registered extractor.
pub fn tables() -> Vec<&'static str> {
    use newsframe::tables::*;
    let mut tables = vec![ArticleRows::NAME, RejectRows::NAME];
    tables.extend(newsframe::extract::registry::names());
    tables
}

/// Writes `bytes` to `path`, creating its folder.
pub fn write_file(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// One JSONL input line.
pub fn jsonl_line(id: &str, text: &str) -> String {
    serde_json::json!({"id": id, "title": "Report", "text": text}).to_string() + "\n"
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// `newsframe bench-corpus --mb MB --out PATH` from the bundled corpora.
pub fn bench_corpus(path: &Path, mb: usize) {
    let output = newsframe()
        .args(["bench-corpus", "--mb", &mb.to_string(), "--out"])
        .arg(path)
        .arg("--corpora")
        .arg(repo().join("corpora"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `rsync -a --exclude .newsframe.lock --exclude manifest.json FROM/ TO/`.
pub fn copy_dataset(from: &Path, to: &Path) {
    copy_dir_except(from, to, &[".newsframe.lock", "manifest.json"]);
}

/// A copy of a whole folder.
pub fn copy_dir(from: &Path, to: &Path) {
    copy_dir_except(from, to, &[]);
}

fn copy_dir_except(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let target = to.join(&name);
        if entry.path().is_dir() {
            copy_dir_except(&entry.path(), &target, skip);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// All parts of one table folder, concatenated in part order.
pub fn table(out: &Path, name: &str) -> DataFrame {
    let mut parts: Vec<PathBuf> = std::fs::read_dir(out.join(name))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .collect();
    parts.sort();
    assert!(!parts.is_empty(), "no parts in {name}");
    let mut frames = parts.iter().map(|p| {
        ParquetReader::new(std::fs::File::open(p).unwrap())
            .finish()
            .unwrap()
    });
    let mut df = frames.next().unwrap();
    for f in frames {
        df.vstack_mut(&f).unwrap();
    }
    df
}

pub fn strings(df: &DataFrame, column: &str) -> Vec<Option<String>> {
    df.column(column)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.map(str::to_string))
        .collect()
}

pub fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

/// `article_id` → `text` of a run's articles.
pub fn article_texts(out: &Path) -> std::collections::HashMap<String, String> {
    let articles = table(out, "articles");
    strings(&articles, "article_id")
        .into_iter()
        .zip(strings(&articles, "text"))
        .map(|(id, t)| (id.unwrap(), t.unwrap()))
        .collect()
}

/// Checks `text[start:end] == surface` (in characters) for every row of a mention
/// table and returns the table.
pub fn assert_offsets(out: &Path, name: &str) -> DataFrame {
    let texts = article_texts(out);
    let mentions = table(out, name);
    let column = |c: &str| -> Vec<usize> {
        mentions
            .column(c)
            .unwrap()
            .u32()
            .unwrap()
            .into_no_null_iter()
            .map(|v| v as usize)
            .collect()
    };
    let (starts, ends) = (column("start"), column("end"));
    let ids = strings(&mentions, "article_id");
    let surfaces = strings(&mentions, "surface");
    for i in 0..mentions.height() {
        let text = &texts[ids[i].as_ref().unwrap()];
        let slice: String = text
            .chars()
            .skip(starts[i])
            .take(ends[i] - starts[i])
            .collect();
        assert_eq!(Some(slice), surfaces[i], "{name} row {i}");
    }
    mentions
}

pub fn bools(df: &DataFrame, column: &str) -> Vec<Option<bool>> {
    df.column(column).unwrap().bool().unwrap().iter().collect()
}

/// One WARC record of `kind` for `uri` whose block is an HTTP message, serialised on
/// its own (as crawlers write one gzip member per record).
pub fn warc_record(kind: warc::RecordType, uri: &str, block: Vec<u8>) -> Vec<u8> {
    use warc::{RecordBuilder, WarcHeader, WarcWriter};
    let record = RecordBuilder::default()
        .warc_type(kind)
        .header(WarcHeader::TargetURI, uri)
        .header(
            WarcHeader::ContentType,
            "application/http; msgtype=response",
        )
        .body(block)
        .build()
        .unwrap();
    let mut bytes = Vec::new();
    WarcWriter::new(&mut bytes).write(&record).unwrap();
    bytes
}
