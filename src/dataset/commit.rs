//! The commit protocol, carried out by [`Dataset::commit`]:
//!
//! 1. While the run streams, every table part is written under its hidden temporary
//!    name ([`atomic::temporary_path`]: `.part-<run>.parquet.tmp`) and, once complete,
//!    synced and handed over as a [`PendingPart`].
//! 2. At the end of the run all parts are renamed to `part-<run>.parquet`, and their
//!    folders are synced so that the renames are durable.
//! 3. `manifests/<run>.json` is written (atomically): this file is the commit marker.
//! 4. `manifest.json` is written (atomically) as a copy of it.
//!
//! A run killed before step 3 has not happened: the next run's recovery
//! ([`super::recover`]) deletes its temporary files and renamed parts and redoes its
//! inputs. A run killed between 3 and 4 is committed; recovery points `manifest.json`
//! at it. Everything happens under the dataset lock.

use std::path::{Path, PathBuf};

use super::manifest::{Manifest, TableInfo};
use super::{atomic, Dataset};

/// A complete part, synced under its temporary name, waiting for the run's commit.
#[derive(Debug, Clone)]
pub struct PendingPart {
    pub table: &'static str,
    pub tmp_path: PathBuf,
    pub final_path: PathBuf,
    pub rows: u64,
}

/// The final path of a run's part in `dir` (a table or partition folder) and the
/// temporary name it is written under until the commit.
pub fn part_paths(dir: &Path, run_id: &str) -> (PathBuf, PathBuf) {
    let final_path = dir.join(format!("part-{run_id}.parquet"));
    (atomic::temporary_path(&final_path), final_path)
}

/// Why a commit failed: the run's parts were discarded, or the manifest not written.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    #[error("cannot commit the run's parts: {0}")]
    Publish(std::io::Error),
    #[error("cannot write manifest.json: {0}")]
    Manifest(std::io::Error),
}

impl Dataset {
    /// Commits a run: publishes `parts` (steps 1-2 above), records them in
    /// `manifest.tables`, then writes the run manifest and `manifest.json` (3-4).
    /// When publishing fails, the parts' temporary files are deleted.
    pub fn commit(
        &self,
        parts: &[PendingPart],
        mut manifest: Manifest,
    ) -> Result<Manifest, CommitError> {
        crash_point("before_publish");
        if let Err(e) = publish(parts) {
            discard(parts);
            return Err(CommitError::Publish(e));
        }
        manifest.tables = parts
            .iter()
            .map(|p| {
                let relative = p
                    .final_path
                    .strip_prefix(&self.out)
                    .unwrap_or(&p.final_path);
                let folder = relative.parent().unwrap_or(relative);
                (
                    folder.to_string_lossy().replace('\\', "/"),
                    TableInfo::new(relative, p.rows),
                )
            })
            .collect();
        crash_point("before_run_manifest");
        self.write_manifest(&manifest)
            .map_err(CommitError::Manifest)?;
        Ok(manifest)
    }

    /// Writes `manifest` atomically as `manifests/<run_id>.json` and then as
    /// `manifest.json`. Also used after the commit to record the refresh's outcome
    /// in the committed run's manifest (still under the lock).
    pub fn write_manifest(&self, manifest: &Manifest) -> std::io::Result<()> {
        let json = serde_json::to_string_pretty(manifest)?;
        let history = self.out.join("manifests");
        atomic::write(
            &history.join(format!("{}.json", manifest.run_id)),
            json.as_bytes(),
        )?;
        crash_point("before_manifest_json");
        atomic::write(&self.out.join("manifest.json"), json.as_bytes())
    }
}

/// Makes the parts visible: renames each, then syncs the folders so the renames are
/// durable before the run manifest marks them committed.
fn publish(parts: &[PendingPart]) -> std::io::Result<()> {
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

/// Deletes the temporary files of parts that will not be committed (a failed run, or
/// one with nothing to read).
pub fn discard(parts: &[PendingPart]) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(run_id: &str) -> Manifest {
        serde_json::from_value(serde_json::json!({
            "newsframe_version": "0", "run_id": run_id, "started_at": "s",
            "finished_at": "f", "elapsed_seconds": 1.0, "arguments": [], "threads": 1,
            "lexicons": {"origin": "bundled", "hash": "h"}, "inputs": [],
            "skipped_paths": [], "bytes_read": 0, "counts": {"records_read": 0,
            "articles": 0, "rejects": 0, "duplicates": 0, "by_language": {},
            "rejects_by_reason": {}, "mentions": {}}, "tables": {}, "peak_rss_bytes": null
        }))
        .unwrap()
    }

    /// A part closed under its temporary name, as the table writers leave it.
    fn pending(dir: &Path, run_id: &str) -> PendingPart {
        let (tmp_path, final_path) = part_paths(dir, run_id);
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(&tmp_path, b"parquet").unwrap();
        PendingPart {
            table: "articles",
            tmp_path,
            final_path,
            rows: 2,
        }
    }

    #[test]
    fn commit_renames_the_parts_then_writes_both_manifests() {
        let dir = tempfile::tempdir().unwrap();
        let dataset = Dataset::open(dir.path(), false).unwrap();
        let articles = dir.path().join("articles");
        let parts = [
            pending(&articles, "r1"),
            pending(&articles.join("published_day=2023-09-28"), "r1"),
        ];
        let committed = dataset.commit(&parts, manifest("r1")).unwrap();
        for part in &parts {
            assert!(part.final_path.exists() && !part.tmp_path.exists());
        }
        let tables: Vec<_> = committed.tables.keys().cloned().collect();
        assert_eq!(tables, ["articles", "articles/published_day=2023-09-28"]);
        assert_eq!(
            committed.tables["articles"].part,
            "articles/part-r1.parquet"
        );
        let run = std::fs::read(dir.path().join("manifests/r1.json")).unwrap();
        assert_eq!(
            run,
            std::fs::read(dir.path().join("manifest.json")).unwrap()
        );
        assert!(super::super::committed_runs(dir.path())
            .unwrap()
            .contains("r1"));
    }

    #[test]
    fn a_failed_publish_discards_the_parts_and_commits_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let dataset = Dataset::open(dir.path(), false).unwrap();
        let articles = dir.path().join("articles");
        let kept = pending(&articles, "r1");
        let mut missing = pending(&dir.path().join("rejects"), "r1");
        std::fs::remove_file(&missing.tmp_path).unwrap();
        missing.table = "rejects";
        let err = dataset
            .commit(&[missing, kept.clone()], manifest("r1"))
            .unwrap_err();
        assert!(matches!(err, CommitError::Publish(_)), "{err}");
        assert!(!kept.tmp_path.exists() && !kept.final_path.exists());
        assert!(!dir.path().join("manifests/r1.json").exists());
        assert!(!dir.path().join("manifest.json").exists());
    }
}
