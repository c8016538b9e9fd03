//! `OUT/manifest.json`: what a run read, with which lexicons, and what it wrote.
//! Each run also keeps its own copy in `OUT/manifests/<run_id>.json`, its commit
//! marker; both are written by [`super::Dataset::write_manifest`].

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::ingest::{Input, SkippedPath};

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Counts {
    pub records_read: u64,
    pub articles: u64,
    pub rejects: u64,
    /// Articles whose text repeats an earlier article's (they keep a row, with `duplicate_of`).
    pub duplicates: u64,
    pub by_language: BTreeMap<String, u64>,
    pub rejects_by_reason: BTreeMap<String, u64>,
    /// Rows written to each mention table.
    pub mentions: BTreeMap<String, u64>,
    /// WARC records that are not articles (requests, non-HTML, non-2xx, index pages),
    /// by reason; counted here instead of one reject row each.
    #[serde(default)]
    pub skipped_records: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LexiconInfo {
    pub origin: String,
    pub hash: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InputInfo {
    pub path: String,
    pub size_bytes: Option<u64>,
    /// Canonical absolute path and xxh3-128 of the bytes: with the size, the identity a
    /// later run uses to skip this input. Absent for stdin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xxh3: Option<String>,
    /// Modification time (ns since the epoch): a later run that finds the same path,
    /// size and time reuses `xxh3` instead of reading the file again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_ns: Option<u64>,
}

impl From<&Input> for InputInfo {
    fn from(input: &Input) -> Self {
        InputInfo {
            path: input.display.clone(),
            size_bytes: input.size,
            canonical: None,
            xxh3: None,
            modified_ns: None,
        }
    }
}

/// An input named on the command line that this run did not read.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SkippedInput {
    pub path: String,
    /// `already_processed` (same path, size and hash as in a committed run).
    pub reason: String,
    /// The committed run that processed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// As in `inputs`, so that the next run recognises the file without reading it even
    /// if only its modification time changed since the run that processed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xxh3: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_ns: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SkippedInfo {
    pub path: String,
    pub reason: String,
}

impl From<&SkippedPath> for SkippedInfo {
    fn from(s: &SkippedPath) -> Self {
        SkippedInfo {
            path: s.path.clone(),
            reason: s.reason.to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TableInfo {
    /// The part this run wrote, relative to the output folder. With `--partition-by`,
    /// `tables` has one entry per partition folder (`articles/published_day=...`).
    pub part: String,
    pub rows: u64,
}

impl TableInfo {
    pub fn new(path: &Path, rows: u64) -> Self {
        let mut parts: Vec<String> = path
            .components()
            .rev()
            .take(2)
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        parts.reverse();
        TableInfo {
            part: parts.join("/"),
            rows,
        }
    }
}

/// Which tools produced the `lang` and (for web pages) `text` columns.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Tools {
    pub language_detector: String,
    pub html_extractor: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub newsframe_version: String,
    pub run_id: String,
    pub started_at: String,
    pub finished_at: String,
    pub elapsed_seconds: f64,
    pub arguments: Vec<String>,
    pub threads: usize,
    /// The language detector and HTML extractor this run used, with crate versions.
    #[serde(default)]
    pub tools: Tools,
    pub lexicons: LexiconInfo,
    /// NER model per language: its xxh3-64 (hex), as `models/README.md` records it.
    #[serde(default)]
    pub models: BTreeMap<String, String>,
    pub inputs: Vec<InputInfo>,
    pub skipped_paths: Vec<SkippedInfo>,
    /// Inputs already processed by a committed run, not read again.
    #[serde(default)]
    pub skipped_inputs: Vec<SkippedInput>,
    /// `--shard K/N`, and how many inputs belonged to the other shards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    #[serde(default)]
    pub inputs_in_other_shards: u64,
    /// `published:day` when the article tables are in `published_day=` folders.
    #[serde(default)]
    pub partition_by: Option<String>,
    /// Bytes read from the inputs as stored (compressed bytes for compressed files).
    pub bytes_read: u64,
    pub counts: Counts,
    pub tables: BTreeMap<String, TableInfo>,
    /// Peak resident memory of the whole command, taken at its very end (after the
    /// compare/report refresh).
    pub peak_rss_bytes: Option<u64>,
    /// Whether compare/ and report.html were refreshed: false while the dataset has no
    /// articles at all (an empty first night), which is not a failure.
    #[serde(default)]
    pub compare_refreshed: bool,
}

impl Manifest {
    pub fn megabytes_per_second(&self) -> f64 {
        self.bytes_read as f64 / 1e6 / self.elapsed_seconds.max(1e-9)
    }
}

/// Peak resident memory of this process (Linux `VmHWM`), for the run summary.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
