//! The output folder as an incremental dataset, and everything that writes to it
//! outside the table encoders: one writer at a time ([`lock`]), a committed state at
//! every moment ([`recover`] before a run, [`Dataset::commit`] after it; the protocol
//! is described in [`commit`]), the run manifests ([`manifest`]), atomic file
//! replacement ([`atomic`]), and the history that lets a rerun skip what is already
//! done ([`history`]).
//!
//! A run goes: [`Dataset::open`] (lock, recover, read the history) →
//! [`Dataset::run_id`] and [`Dataset::select`] → the tables write pending parts →
//! [`Dataset::commit`] → (refresh of `compare/`, then [`Dataset::write_manifest`]
//! again) → drop, which releases the lock.
//!
//! This module depends only on [`crate::ingest`] (what an input is): [`crate::tables`]
//! (and [`crate::compare`] through it), [`crate::report`] and [`crate::pipeline`] use it,
//! never the other way round.

pub mod atomic;
pub mod commit;
pub mod duplicates;
pub mod history;
pub mod lock;
pub mod manifest;
pub mod recover;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::ingest::{Input, Shard};

pub use commit::{crash_point, discard, part_paths, CommitError, PendingPart};
pub use history::{fingerprint, Fingerprint};
pub use lock::{DatasetLock, LockError, LOCK_FILE};
pub use manifest::Manifest;
pub use recover::{committed_runs, part_run_id};

/// An output folder opened for one run: locked, recovered, with its history loaded.
pub struct Dataset {
    pub lock: DatasetLock,
    /// The output folder.
    pub out: PathBuf,
    /// Run ids with a run manifest.
    pub committed: BTreeSet<String>,
    /// Inputs committed runs processed, and the committed runs' `--partition-by`.
    pub processed: history::Processed,
    /// `content_hash` → `article_id` of the articles already in the dataset.
    pub seen: duplicates::DuplicateIndex,
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Locked(#[from] LockError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl Dataset {
    /// Creates and locks `out`, then either wipes it (`overwrite`) or repairs an
    /// interrupted run, then reads what committed runs did.
    pub fn open(out: &Path, overwrite: bool) -> Result<Dataset, OpenError> {
        std::fs::create_dir_all(out)
            .with_context(|| format!("cannot create output folder {}", out.display()))?;
        let lock = DatasetLock::acquire(out)?;
        if let Some(stale) = &lock.stale {
            log::warn!(
                "stale lock {} from a run that is no longer running ({stale}); taking it over",
                lock.path().display()
            );
        }
        let load = || -> anyhow::Result<Dataset> {
            if overwrite {
                let n = recover::wipe(out)?;
                log::info!("--overwrite: removed {n} table folders and the manifests");
            } else {
                repair(out)?;
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
                committed: committed_runs(out).context("cannot list manifests")?,
                lock,
                out: out.to_path_buf(),
                processed,
                seen,
            })
        };
        load()
            .context("cannot read the output folder")
            .map_err(OpenError::Other)
    }

    /// Refuses a run whose `--partition-by` differs from the committed runs'.
    pub fn check_layout(&self, partition_by: &Option<String>) -> Result<(), String> {
        match &self.processed.partition_by {
            Some(layout) if layout != partition_by => {
                let name = |p: &Option<String>| {
                    p.clone().map_or("no partitioning".to_string(), |p| {
                        format!("--partition-by {p}")
                    })
                };
                Err(format!(
                    "{} was written with {}; a run into it must use the same (or --overwrite)",
                    self.out.display(),
                    name(layout)
                ))
            }
            _ => Ok(()),
        }
    }

    /// The id of a new run: `requested` if no committed run has it, else a UTC
    /// timestamp that sorts by time and is not yet used (with a shard suffix).
    pub fn run_id(&self, requested: Option<&str>, shard: Option<Shard>) -> Result<String, String> {
        match requested {
            Some(id) if self.committed.contains(id) => Err(format!(
                "run id {id} is already committed in {}; choose another --run-id",
                self.out.display()
            )),
            Some(id) => Ok(id.to_string()),
            None => {
                let id = new_run_id(&self.out);
                Ok(match shard {
                    Some(s) => format!("{id}-shard{}of{}", s.index, s.count),
                    None => id,
                })
            }
        }
    }
}

/// Brings `out` back to its last committed state (see [`recover`]), with a warning
/// when there was anything to undo.
fn repair(out: &Path) -> std::io::Result<()> {
    let r = recover::recover(out)?;
    if recover::repair_latest_manifest(out)? {
        log::warn!("manifest.json restored from the latest run manifest (a run was killed while committing)");
    }
    if r.temporary_files > 0 || !r.uncommitted_parts.is_empty() {
        log::warn!(
            "recovered from an interrupted run: removed {} temporary files and {} uncommitted parts; their inputs will be processed again",
            r.temporary_files,
            r.uncommitted_parts.len()
        );
    }
    Ok(())
}

/// A run id that sorts by time and is not yet used in `out`.
fn new_run_id(out: &Path) -> String {
    let base = chrono::Utc::now().format("%Y%m%dT%H%M%S%3fZ").to_string();
    let taken = |id: &str| {
        out.join("articles")
            .join(format!("part-{id}.parquet"))
            .exists()
            || out.join("manifests").join(format!("{id}.json")).exists()
    };
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .expect("unbounded")
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
