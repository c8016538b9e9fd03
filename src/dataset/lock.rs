//! The writer lock on an output folder: one run at a time writes a dataset.
//!
//! An advisory lock (`flock` via `fs4`) on `OUT/.newsframe.lock`. The kernel drops the
//! lock when its holder dies, SIGKILL included, so a lock can never outlive its run.
//! The file's content (pid, host, start time) only serves the messages: a run that
//! ends cleanly empties it, so content found by a run that *got* the lock was left by a
//! run that died, and is reported as stale.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

pub const LOCK_FILE: &str = ".newsframe.lock";

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("another newsframe run ({holder}) is writing {out}; wait for it to finish or use another --out")]
    Busy { holder: String, out: String },
    #[error("cannot lock {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Held for the whole run; released (and emptied) on drop, or by the kernel on death.
#[derive(Debug)]
pub struct DatasetLock {
    file: File,
    path: PathBuf,
    /// What a dead earlier run left in the lock file, if anything.
    pub stale: Option<String>,
}

impl DatasetLock {
    pub fn acquire(out: &Path) -> Result<DatasetLock, LockError> {
        let path = out.join(LOCK_FILE);
        let io = |source| LockError::Io {
            path: path.display().to_string(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => {
                let holder = read_holder(&mut file);
                return Err(LockError::Busy {
                    holder: if holder.is_empty() {
                        "starting up".to_string()
                    } else {
                        holder
                    },
                    out: out.display().to_string(),
                });
            }
            Err(fs4::TryLockError::Error(e)) => return Err(io(e)),
        }
        let stale = Some(read_holder(&mut file)).filter(|h| !h.is_empty());
        let me = format!(
            "pid {} on {}, started {}",
            std::process::id(),
            hostname(),
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        file.write_all(me.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        Ok(DatasetLock { file, path, stale })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for DatasetLock {
    fn drop(&mut self) {
        // Emptied, not deleted: deleting would let a waiting run lock an orphaned inode
        // while a third run creates and locks a fresh file.
        let _ = self.file.set_len(0);
        let _ = fs4::FileExt::unlock(&self.file);
    }
}

fn read_holder(file: &mut File) -> String {
    let mut s = String::new();
    let _ = file.rewind();
    let _ = file.read_to_string(&mut s);
    s.trim().to_string()
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown host".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_is_refused_and_names_the_holder_then_freed_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let first = DatasetLock::acquire(dir.path()).unwrap();
        assert!(first.stale.is_none());
        let err = DatasetLock::acquire(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains(&format!("pid {}", std::process::id())),
            "{err}"
        );
        drop(first);
        let again = DatasetLock::acquire(dir.path()).unwrap();
        assert!(
            again.stale.is_none(),
            "a clean release leaves no stale note"
        );
    }

    #[test]
    fn content_left_by_a_dead_holder_is_reported_as_stale() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(LOCK_FILE), "pid 999999 on h, started t").unwrap();
        let lock = DatasetLock::acquire(dir.path()).unwrap();
        assert_eq!(lock.stale.as_deref(), Some("pid 999999 on h, started t"));
    }
}
