//! The output folder as an incremental dataset: one writer at a time (the lock),
//! a committed state at every moment (recovery, then commit by renames and the run
//! manifest), and the history that lets a rerun skip what is already done.
//!
//! Commit protocol, in order: every table part is written under a hidden `.tmp` name;
//! at the end of the run all parts are renamed to `part-<run>.parquet`; then
//! `manifests/<run>.json` is written (the commit marker); then `manifest.json`. A run
//! killed before the run manifest exists has not happened: the next run deletes its
//! files (see [`recover`]) and redoes its inputs.

mod history;
mod lock;
mod recover;

use std::collections::HashMap;
use std::path::Path;

use crate::ingest::{Input, Shard};
use crate::manifest;
use crate::tables::ClosedPart;

pub use history::{fingerprint, Fingerprint};
pub use lock::{DatasetLock, LockError, LOCK_FILE};
pub use recover::{committed_runs, part_run_id};

/// An output folder opened for one run: locked, recovered, with its history loaded.
pub struct Dataset {
    pub lock: DatasetLock,
    /// Inputs committed runs processed, and the committed runs' `--partition-by`.
    pub processed: history::Processed,
    /// `content_hash` → `article_id` of the articles already in the dataset.
    pub seen: HashMap<u128, String>,
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Locked(#[from] LockError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl Dataset {
    /// Locks `out`, then either wipes it (`overwrite`) or repairs an interrupted run,
    /// then reads what committed runs did.
    pub fn open(out: &Path, overwrite: bool) -> Result<Dataset, OpenError> {
        let lock = DatasetLock::acquire(out)?;
        if let Some(stale) = &lock.stale {
            log::warn!(
                "stale lock {} from a run that is no longer running ({stale}); taking it over",
                lock.path().display()
            );
        }
        if overwrite {
            let n = recover::wipe(out).map_err(anyhow::Error::from)?;
            log::info!("--overwrite: removed {n} table folders and the manifests");
        } else {
            let r = recover::recover(out).map_err(anyhow::Error::from)?;
            if recover::repair_latest_manifest(out).map_err(anyhow::Error::from)? {
                log::warn!("manifest.json restored from the latest run manifest (a run was killed while committing)");
            }
            if r.temporary_files > 0 || !r.uncommitted_parts.is_empty() {
                log::warn!(
                    "recovered from an interrupted run: removed {} temporary files and {} uncommitted parts; their inputs will be processed again",
                    r.temporary_files,
                    r.uncommitted_parts.len()
                );
            }
        }
        let processed = history::processed_inputs(out)?;
        let clock = std::time::Instant::now();
        let seen = history::seen_articles(out)?;
        if !seen.is_empty() {
            log::info!(
                "{} article texts from earlier runs loaded for duplicate detection in {:.2} s",
                seen.len(),
                clock.elapsed().as_secs_f64()
            );
        }
        Ok(Dataset {
            lock,
            processed,
            seen,
        })
    }
}

/// The inputs a run reads, each with its fingerprint, and those it leaves out.
pub struct Selection {
    pub todo: Vec<(Input, Option<Fingerprint>)>,
    pub skipped: Vec<manifest::SkippedInput>,
    pub other_shards: u64,
}

/// Drops inputs of other shards and inputs a committed run already processed (same
/// canonical path, size and content hash). Standard input is always read.
impl Dataset {
    pub fn select(&self, inputs: Vec<Input>, shard: Option<Shard>) -> Selection {
        let mut selection = Selection {
            todo: Vec::new(),
            skipped: Vec::new(),
            other_shards: 0,
        };
        for input in inputs {
            if shard.is_some_and(|s| !s.contains(&input)) {
                selection.other_shards += 1;
                continue;
            }
            // An input that cannot be hashed now is read anyway: the reader turns the
            // failure into an `unreadable_input` reject row, as for any other run.
            let fp = match input.unreadable {
                // Already reported by the folder walk.
                Some(_) => None,
                None => fingerprint(&input, &self.processed.hashes).unwrap_or_else(|e| {
                    log::warn!("cannot hash {}: {e}", input.display);
                    None
                }),
            };
            if let Some(run) = fp
                .as_ref()
                .and_then(|f| self.processed.inputs.get(&f.key()))
            {
                log::info!("skipping {}: already processed by run {run}", input.display);
                selection.skipped.push(manifest::SkippedInput {
                    path: input.display.clone(),
                    reason: "already_processed".to_string(),
                    run_id: Some(run.clone()),
                    canonical: fp.as_ref().map(|f| f.canonical.clone()),
                    size_bytes: fp.as_ref().map(|f| f.size),
                    xxh3: fp.as_ref().map(|f| f.xxh3.clone()),
                    modified_ns: fp.as_ref().and_then(|f| f.modified_ns),
                });
                continue;
            }
            selection.todo.push((input, fp));
        }
        selection
    }
}

/// Makes the parts visible: renames each, then syncs the folders so the renames are
/// durable before the run manifest (written next by the caller) marks them committed.
pub fn publish(parts: &[ClosedPart]) -> std::io::Result<()> {
    for (i, part) in parts.iter().enumerate() {
        std::fs::rename(&part.tmp_path, &part.final_path)?;
        if i == 0 {
            crash_point("mid_publish");
        }
    }
    let mut dirs: Vec<&Path> = parts.iter().filter_map(|p| p.final_path.parent()).collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// Deletes the temporary files of parts that will not be committed (a failed run).
pub fn discard(parts: &[ClosedPart]) {
    for part in parts {
        let _ = std::fs::remove_file(&part.tmp_path);
    }
}

/// Crash injection for the crash-safety tests: when `NEWSFRAME_CRASH_AT` names this
/// point, the process aborts here (no destructors, no cleanup, like a SIGKILL). Points:
/// `before_publish`, `mid_publish`, `before_run_manifest`, `before_manifest_json`.
pub fn crash_point(name: &str) {
    if std::env::var_os("NEWSFRAME_CRASH_AT").is_some_and(|v| v == name) {
        std::process::abort();
    }
}
