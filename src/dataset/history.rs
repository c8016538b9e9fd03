//! What earlier committed runs of an output folder did: the inputs they processed
//! (so a nightly rerun skips them) and the texts they wrote (so `duplicate_of` spans
//! runs).

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use polars::prelude::*;
use serde::Deserialize;

use super::recover::{committed_runs, part_run_id};
use crate::ingest::Input;

/// The identity of an input file's content: where it is, its size and its hash; and
/// its modification time, which lets a later run reuse the hash instead of reading an
/// unchanged file again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub canonical: String,
    pub size: u64,
    pub xxh3: String,
    pub modified_ns: Option<u64>,
}

/// Canonical path, size and hash: what "already processed" compares.
pub type ContentKey = (String, u64, String);
/// Canonical path, size and modification time: when these match a committed input, its
/// recorded hash is reused (as `git status` trusts an unchanged stat).
pub type StatKey = (String, u64, u64);

impl Fingerprint {
    pub fn key(&self) -> ContentKey {
        (self.canonical.clone(), self.size, self.xxh3.clone())
    }
}

/// The part of a run manifest this module needs; other fields are ignored, so older
/// and newer manifests read alike.
#[derive(Deserialize)]
struct CommittedRun {
    run_id: String,
    #[serde(default)]
    partition_by: Option<String>,
    #[serde(default)]
    inputs: Vec<CommittedInput>,
    #[serde(default)]
    skipped_inputs: Vec<CommittedInput>,
}

#[derive(Deserialize)]
struct CommittedInput {
    canonical: Option<String>,
    size_bytes: Option<u64>,
    xxh3: Option<String>,
    #[serde(default)]
    modified_ns: Option<u64>,
}

/// What committed runs did.
#[derive(Default)]
pub struct Processed {
    /// Inputs they processed, with the run that did.
    pub inputs: HashMap<ContentKey, String>,
    /// Hashes of those inputs by path, size and modification time.
    pub hashes: HashMap<StatKey, String>,
    /// Their `partition_by` (the last run's; `None` with no runs).
    pub partition_by: Option<Option<String>>,
}

pub fn processed_inputs(out: &Path) -> anyhow::Result<Processed> {
    let mut done = Processed::default();
    for run in committed_runs(out)? {
        let path = out.join("manifests").join(format!("{run}.json"));
        let text = std::fs::read_to_string(&path)?;
        let parsed: CommittedRun =
            serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        done.partition_by = Some(parsed.partition_by.clone());
        // Inputs a run skipped only refresh the hash cache: they were processed by
        // the run their entry names.
        for input in &parsed.skipped_inputs {
            if let (Some(canonical), Some(size), Some(xxh3), Some(modified)) = (
                &input.canonical,
                input.size_bytes,
                &input.xxh3,
                input.modified_ns,
            ) {
                done.hashes
                    .insert((canonical.clone(), size, modified), xxh3.clone());
            }
        }
        for input in parsed.inputs {
            if let (Some(canonical), Some(size), Some(xxh3)) =
                (input.canonical, input.size_bytes, input.xxh3)
            {
                if let Some(modified) = input.modified_ns {
                    done.hashes
                        .insert((canonical.clone(), size, modified), xxh3.clone());
                }
                done.inputs
                    .entry((canonical, size, xxh3))
                    .or_insert_with(|| parsed.run_id.clone());
            }
        }
    }
    Ok(done)
}

/// Identifies a file input by its bytes as stored (xxh3-128), reading it only when
/// `known` has no hash for its path, size and modification time; `None` for stdin,
/// which is never skipped.
pub fn fingerprint(
    input: &Input,
    known: &HashMap<StatKey, String>,
) -> std::io::Result<Option<Fingerprint>> {
    let Some(path) = &input.path else {
        return Ok(None);
    };
    let canonical = std::fs::canonicalize(path)?.display().to_string();
    let meta = std::fs::metadata(path)?;
    let modified_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| u64::try_from(d.as_nanos()).ok());
    if let Some(modified) = modified_ns {
        if let Some(xxh3) = known.get(&(canonical.clone(), meta.len(), modified)) {
            return Ok(Some(Fingerprint {
                canonical,
                size: meta.len(),
                xxh3: xxh3.clone(),
                modified_ns,
            }));
        }
    }
    let mut file = File::open(path)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok(Some(Fingerprint {
        canonical,
        size,
        xxh3: format!("{:032x}", hasher.digest128()),
        modified_ns,
    }))
}

/// `content_hash` → `article_id` of every original (non-duplicate) article in the
/// committed `articles` parts. Each text has one original, so part order is irrelevant.
pub fn seen_articles(out: &Path) -> anyhow::Result<super::duplicates::DuplicateIndex> {
    let mut seen = super::duplicates::DuplicateIndex::default();
    let dir = out.join("articles");
    if !dir.exists() {
        return Ok(seen);
    }
    let committed = committed_runs(out)?;
    let columns = [
        ("article_id", DataType::String),
        ("content_hash", DataType::String),
        ("duplicate_of", DataType::String),
    ];
    let is_committed = |part: &Path| part_run_id(part).is_some_and(|run| committed.contains(run));
    crate::tables::batches::for_each_batch_of(out, "articles", &columns, is_committed, |frame| {
        let ids = frame.column("article_id")?.str()?;
        let hashes = frame.column("content_hash")?.str()?;
        let dups = frame.column("duplicate_of")?.str()?;
        for ((id, hash), dup) in ids.iter().zip(hashes.iter()).zip(dups.iter()) {
            let (Some(id), Some(hash), None) = (id, hash, dup) else {
                continue;
            };
            if let Ok(hash) = u128::from_str_radix(hash, 16) {
                seen.first_or_insert(hash, id);
            }
        }
        Ok(())
    })?;
    Ok(seen)
}
