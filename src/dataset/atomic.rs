//! Atomic file replacement, the one way anything in an output folder is written: the
//! bytes go to a hidden temporary file beside the target (`.<name>.tmp`), are synced,
//! and are renamed over the target. Readers see the old file or the new one, never a
//! partial one; a crash leaves only the temporary file, which [`super::recover`]
//! deletes under the next run's lock.

use std::fs::File;
use std::path::{Path, PathBuf};

/// The hidden temporary name for `path`: `dir/.<name>.tmp`.
pub fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp"))
}

/// Whether a file name is one of [`temporary_path`]'s.
pub fn is_temporary(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".tmp")
}

/// Replaces `path` with what `write` puts into a fresh temporary file (creating the
/// folder if needed). On error the temporary file is removed and `path` is untouched.
pub fn replace_with<E>(path: &Path, write: impl FnOnce(&File) -> Result<(), E>) -> Result<(), E>
where
    E: From<std::io::Error>,
{
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = temporary_path(path);
    let result = (|| {
        let file = File::create(&tmp)?;
        write(&file)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// [`replace_with`] for bytes already in memory.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace_with(path, |mut file| std::io::Write::write_all(&mut file, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/manifest.json");
        write(&path, b"one").unwrap();
        write(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert!(!temporary_path(&path).exists());
        assert!(is_temporary(".manifest.json.tmp") && !is_temporary("manifest.json"));
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.html");
        write(&path, b"old").unwrap();
        let failed = replace_with(&path, |_| {
            Err::<(), _>(std::io::Error::other("encoder failed"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert!(!temporary_path(&path).exists());
    }
}
