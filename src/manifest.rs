//! `OUT/manifest.json`: what a run read, with which lexicons, and what it wrote.
//! Each run also keeps its own copy in `OUT/manifests/<run_id>.json`.

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
}

impl From<&Input> for InputInfo {
    fn from(input: &Input) -> Self {
        InputInfo {
            path: input.display.clone(),
            size_bytes: input.size,
        }
    }
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
    /// The part this run wrote, relative to the output folder.
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

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub newsframe_version: String,
    pub run_id: String,
    pub started_at: String,
    pub finished_at: String,
    pub elapsed_seconds: f64,
    pub arguments: Vec<String>,
    pub threads: usize,
    pub lexicons: LexiconInfo,
    pub inputs: Vec<InputInfo>,
    pub skipped_paths: Vec<SkippedInfo>,
    /// Bytes read from the inputs as stored (compressed bytes for compressed files).
    pub bytes_read: u64,
    pub counts: Counts,
    pub tables: BTreeMap<String, TableInfo>,
    pub peak_rss_bytes: Option<u64>,
}

impl Manifest {
    pub fn megabytes_per_second(&self) -> f64 {
        self.bytes_read as f64 / 1e6 / self.elapsed_seconds.max(1e-9)
    }
}

/// A run id that sorts by time and is not yet used in `out`.
pub fn new_run_id(out: &Path) -> String {
    let base = chrono::Utc::now().format("%Y%m%dT%H%M%S%3fZ").to_string();
    let taken = |id: &str| {
        out.join("articles")
            .join(format!("part-{id}.parquet"))
            .exists()
    };
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .expect("unbounded")
}

/// Writes the manifest atomically, as `manifest.json` and `manifests/<run_id>.json`.
pub fn write(out: &Path, manifest: &Manifest) -> std::io::Result<()> {
    let json = serde_json::to_string_pretty(manifest)?;
    let history = out.join("manifests");
    std::fs::create_dir_all(&history)?;
    write_atomic(
        &history.join(format!("{}.json", manifest.run_id)),
        json.as_bytes(),
    )?;
    write_atomic(&out.join("manifest.json"), json.as_bytes())
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes)?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// Peak resident memory of this process (Linux `VmHWM`), for the run summary.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
