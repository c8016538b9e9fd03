//! What earlier committed runs of an output folder did: the inputs they processed
//! (so a nightly rerun skips them) and the texts they wrote (so `duplicate_of` spans
//! runs).

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use polars::prelude::*;
use serde::Deserialize;

use super::recover::{committed_runs, files_under, part_run_id};
use crate::ingest::Input;

/// The identity of an input file's content: where it is, its size and its hash.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    pub canonical: String,
    pub size: u64,
    pub xxh3: String,
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
}

#[derive(Deserialize)]
struct CommittedInput {
    canonical: Option<String>,
    size_bytes: Option<u64>,
    xxh3: Option<String>,
}

/// What committed runs did: fingerprints of the inputs they processed, with the run
/// that did it, and their `partition_by` (the last run's; `None` with no runs).
pub type Processed = (HashMap<Fingerprint, String>, Option<Option<String>>);

pub fn processed_inputs(out: &Path) -> anyhow::Result<Processed> {
    let mut done = HashMap::new();
    let mut layout = None;
    for run in committed_runs(out)? {
        let path = out.join("manifests").join(format!("{run}.json"));
        let text = std::fs::read_to_string(&path)?;
        let parsed: CommittedRun =
            serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        layout = Some(parsed.partition_by.clone());
        for input in parsed.inputs {
            if let (Some(canonical), Some(size), Some(xxh3)) =
                (input.canonical, input.size_bytes, input.xxh3)
            {
                done.entry(Fingerprint {
                    canonical,
                    size,
                    xxh3,
                })
                .or_insert_with(|| parsed.run_id.clone());
            }
        }
    }
    Ok((done, layout))
}

/// Hashes a file input's bytes as stored (xxh3-128); `None` for stdin, which is never
/// skipped.
pub fn fingerprint(input: &Input) -> std::io::Result<Option<Fingerprint>> {
    let Some(path) = &input.path else {
        return Ok(None);
    };
    let canonical = std::fs::canonicalize(path)?;
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
        canonical: canonical.display().to_string(),
        size,
        xxh3: format!("{:032x}", hasher.digest128()),
    }))
}

/// `content_hash` → `article_id` of every original (non-duplicate) article in the
/// committed `articles` parts. Each text has one original, so part order is irrelevant.
pub fn seen_articles(out: &Path) -> anyhow::Result<HashMap<u128, String>> {
    let mut seen = HashMap::new();
    let dir = out.join("articles");
    if !dir.exists() {
        return Ok(seen);
    }
    let committed = committed_runs(out)?;
    for part in files_under(&dir)? {
        if !part_run_id(&part).is_some_and(|run| committed.contains(run)) {
            continue;
        }
        let frame = ParquetReader::new(File::open(&part)?)
            .with_columns(Some(vec![
                "article_id".into(),
                "content_hash".into(),
                "duplicate_of".into(),
            ]))
            .finish()
            .map_err(|e| anyhow::anyhow!("{}: {e}", part.display()))?;
        let ids = frame.column("article_id")?.str()?;
        let hashes = frame.column("content_hash")?.str()?;
        let dups = frame.column("duplicate_of")?.str()?;
        for ((id, hash), dup) in ids.iter().zip(hashes.iter()).zip(dups.iter()) {
            let (Some(id), Some(hash), None) = (id, hash, dup) else {
                continue;
            };
            if let Ok(hash) = u128::from_str_radix(hash, 16) {
                seen.entry(hash).or_insert_with(|| id.to_string());
            }
        }
    }
    Ok(seen)
}
