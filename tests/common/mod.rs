//! Shared helpers for the end-to-end tests: run the real binary, read its tables.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

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
