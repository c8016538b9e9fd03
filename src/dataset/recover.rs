//! Bringing an output folder to a committed state before a run writes to it.
//!
//! A run's parts become visible by renames at its end, and its run manifest
//! (`manifests/<run>.json`) is written after the renames: that file is the commit
//! marker. A run killed before it leaves hidden `.tmp` files; one killed during the
//! renames leaves final parts with no run manifest. Both are deleted here, under the
//! lock, so the interrupted work is simply redone once by the next run.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What recovery removed, for the log.
#[derive(Debug, Default)]
pub struct Recovered {
    pub temporary_files: usize,
    pub uncommitted_parts: Vec<PathBuf>,
}

/// Run ids that have a run manifest.
pub fn committed_runs(out: &Path) -> std::io::Result<BTreeSet<String>> {
    let dir = out.join("manifests");
    let mut runs = BTreeSet::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(runs),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if let Some(run) = name
            .strip_suffix(".json")
            .filter(|_| !name.starts_with('.'))
        {
            runs.insert(run.to_string());
        }
    }
    Ok(runs)
}

/// The table folders: every visible subfolder except `manifests`.
pub fn table_dirs(out: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(out)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_dir() && !name.starts_with('.') && name != "manifests" {
            dirs.push(entry.path());
        }
    }
    dirs.sort();
    Ok(dirs)
}

/// Every file under `dir`, recursively (partitioned tables have subfolders), sorted.
pub fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                stack.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The run id of a part file name `part-<run>.parquet`.
pub fn part_run_id(path: &Path) -> Option<&str> {
    path.file_name()?
        .to_str()?
        .strip_prefix("part-")?
        .strip_suffix(".parquet")
}

/// Deletes temporary files and parts of runs that never committed.
pub fn recover(out: &Path) -> std::io::Result<Recovered> {
    let committed = committed_runs(out)?;
    let mut recovered = Recovered::default();
    let mut candidates = files_under_if_exists(&out.join("manifests"))?;
    candidates.extend(
        std::fs::read_dir(out)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file()),
    );
    for dir in table_dirs(out)? {
        candidates.extend(files_under(&dir)?);
    }
    for path in candidates {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if super::atomic::is_temporary(&name) {
            std::fs::remove_file(&path)?;
            recovered.temporary_files += 1;
        } else if part_run_id(&path).is_some_and(|run| !committed.contains(run)) {
            std::fs::remove_file(&path)?;
            recovered.uncommitted_parts.push(path);
        }
    }
    Ok(recovered)
}

/// Points `manifest.json` at the latest committed run again when a run was killed
/// between writing its run manifest and `manifest.json`. Returns whether it did.
pub fn repair_latest_manifest(out: &Path) -> std::io::Result<bool> {
    let field = |path: &Path, key: &str| -> Option<String> {
        let text = std::fs::read_to_string(path).ok()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        json.get(key)?.as_str().map(str::to_string)
    };
    let latest = committed_runs(out)?
        .into_iter()
        .map(|run| out.join("manifests").join(format!("{run}.json")))
        .filter_map(|path| Some((field(&path, "finished_at")?, path)))
        .max();
    let Some((_, latest)) = latest else {
        return Ok(false);
    };
    let current = out.join("manifest.json");
    if field(&current, "run_id") == field(&latest, "run_id") {
        return Ok(false);
    }
    super::atomic::write(&current, &std::fs::read(&latest)?)?;
    Ok(true)
}

fn files_under_if_exists(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    match files_under(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        other => other,
    }
}

/// `--overwrite`: removes the manifests and every table folder, leaving other files.
/// A folder counts as a table if it holds only Parquet parts and temporary files.
pub fn wipe(out: &Path) -> std::io::Result<usize> {
    let mut removed = 0;
    for dir in table_dirs(out)? {
        let files = files_under(&dir)?;
        let is_table = files.iter().all(|f| {
            let name = f.file_name().unwrap_or_default().to_string_lossy();
            name.ends_with(".parquet") || name.ends_with(".tmp")
        });
        if is_table {
            std::fs::remove_dir_all(&dir)?;
            removed += 1;
        }
    }
    match std::fs::remove_dir_all(out.join("manifests")) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    match std::fs::remove_file(out.join("manifest.json")) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"x").unwrap();
    }

    #[test]
    fn uncommitted_parts_and_temporary_files_go_committed_parts_stay() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        touch(&out.join("manifests/r1.json"));
        touch(&out.join("articles/part-r1.parquet"));
        touch(&out.join("articles/published_day=2023-09-28/part-r1.parquet"));
        touch(&out.join("articles/part-r2.parquet"));
        touch(&out.join("rejects/.part-r3.parquet.tmp"));
        touch(&out.join(".manifest.json.tmp"));
        touch(&out.join("notes.txt"));
        let r = recover(out).unwrap();
        assert!(
            !repair_latest_manifest(out).unwrap(),
            "r1.json is no manifest"
        );
        assert_eq!(r.temporary_files, 2);
        assert_eq!(
            r.uncommitted_parts,
            vec![out.join("articles/part-r2.parquet")]
        );
        assert!(out.join("articles/part-r1.parquet").exists());
        assert!(out
            .join("articles/published_day=2023-09-28/part-r1.parquet")
            .exists());
        assert!(out.join("notes.txt").exists());
    }

    #[test]
    fn manifest_json_follows_the_latest_committed_run() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let m = |run: &str, t: &str| format!(r#"{{"run_id":"{run}","finished_at":"{t}"}}"#);
        std::fs::create_dir_all(out.join("manifests")).unwrap();
        std::fs::write(out.join("manifests/a.json"), m("a", "2023-09-27T00:00:00Z")).unwrap();
        std::fs::write(out.join("manifests/b.json"), m("b", "2023-09-28T00:00:00Z")).unwrap();
        std::fs::write(out.join("manifest.json"), m("a", "2023-09-27T00:00:00Z")).unwrap();
        assert!(repair_latest_manifest(out).unwrap());
        let now = std::fs::read_to_string(out.join("manifest.json")).unwrap();
        assert!(now.contains(r#""run_id":"b""#));
        assert!(!repair_latest_manifest(out).unwrap());
    }

    #[test]
    fn wipe_removes_tables_and_manifests_but_not_other_folders() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        touch(&out.join("manifests/r1.json"));
        touch(&out.join("manifest.json"));
        touch(&out.join("articles/part-r1.parquet"));
        touch(&out.join("mine/notes.txt"));
        wipe(out).unwrap();
        assert!(!out.join("articles").exists() && !out.join("manifests").exists());
        assert!(!out.join("manifest.json").exists());
        assert!(out.join("mine/notes.txt").exists());
    }
}
