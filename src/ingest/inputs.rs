//! Resolving the paths on the command line into an ordered list of inputs.

use std::path::{Path, PathBuf};

/// One input stream: a file, or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// `None` for standard input.
    pub path: Option<PathBuf>,
    /// The name recorded in `input_file` columns.
    pub display: String,
    /// The path relative to the folder it was found in (the file name for a file given
    /// directly): the same on every machine of a sharded crawl, so `--shard` uses it.
    pub name: String,
    /// Size on disk (compressed size for compressed files); unknown for stdin.
    pub size: Option<u64>,
    /// Why a path found in a folder cannot be read (a dangling link, a folder that
    /// cannot be listed): the reader turns it into an `unreadable_input` reject instead
    /// of failing the run.
    pub unreadable: Option<String>,
}

impl Input {
    pub fn stdin() -> Self {
        Input {
            path: None,
            display: "-".to_string(),
            name: "-".to_string(),
            size: None,
            unreadable: None,
        }
    }
}

/// A file found while walking a folder that is not an article format (a README, an
/// image); listed in the manifest rather than read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedPath {
    pub path: String,
    pub reason: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("input not found: {0}")]
    NotFound(String),
    #[error("`-` (standard input) may be given only once")]
    StdinTwice,
    #[error("no input given: name files or folders, or `-` for standard input")]
    NoInput,
}

/// File names the folder walk picks up; anything else in a folder is skipped.
const ARTICLE_EXTENSIONS: [&str; 5] = ["jsonl", "ndjson", "json", "txt", "warc"];
const COMPRESSION_EXTENSIONS: [&str; 2] = ["gz", "zst"];

/// Whether a file name has an article extension, optionally followed by `.gz`/`.zst`.
pub fn has_article_extension(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let mut parts = lower.rsplit('.');
    let Some(mut ext) = parts.next() else {
        return false;
    };
    if COMPRESSION_EXTENSIONS.contains(&ext) {
        match parts.next() {
            Some(inner) => ext = inner,
            None => return false,
        }
    }
    ARTICLE_EXTENSIONS.contains(&ext) && lower.contains('.')
}

/// Expands `args` into inputs: files as given, folders walked recursively in sorted
/// order, `-` as standard input. Every path named is checked before any work starts, so
/// a typo fails fast instead of after an hour of processing; what goes wrong inside a
/// folder (a dangling link, a symlink loop, a folder that cannot be listed) does not
/// stop the run.
pub fn resolve_inputs(args: &[String]) -> Result<(Vec<Input>, Vec<SkippedPath>), InputError> {
    if args.is_empty() {
        return Err(InputError::NoInput);
    }
    let mut inputs = Vec::new();
    let mut skipped = Vec::new();
    let mut saw_stdin = false;
    for arg in args {
        if arg == "-" {
            if saw_stdin {
                return Err(InputError::StdinTwice);
            }
            saw_stdin = true;
            inputs.push(Input::stdin());
            continue;
        }
        let path = Path::new(arg);
        let file_name = || {
            path.file_name()
                .map_or_else(|| arg.clone(), |n| n.to_string_lossy().into_owned())
        };
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(InputError::NotFound(arg.clone()))
            }
            // It exists but cannot be examined (a folder on the way without permission):
            // a reject row, like any input that cannot be opened.
            Err(e) => inputs.push(unreadable(path, arg.clone(), file_name(), &e)),
            Ok(meta) if meta.is_dir() => walk(path, &mut inputs, &mut skipped),
            Ok(meta) => inputs.push(Input {
                path: Some(path.to_path_buf()),
                display: arg.clone(),
                name: file_name(),
                size: Some(meta.len()),
                unreadable: None,
            }),
        }
    }
    Ok((inputs, skipped))
}

fn unreadable(path: &Path, display: String, name: String, e: &dyn std::fmt::Display) -> Input {
    Input {
        path: Some(path.to_path_buf()),
        display,
        name,
        size: None,
        unreadable: Some(e.to_string()),
    }
}

/// Walks `root` with `walkdir`, following links (a crawl folder of links to files is
/// common) with its loop detection, names sorted so that output order never depends on
/// the file system, hidden names skipped.
fn walk(root: &Path, inputs: &mut Vec<Input>, skipped: &mut Vec<SkippedPath>) {
    let relative = |path: &Path| {
        path.strip_prefix(root)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    };
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let Some(path) = e.path() else {
                    log::warn!("while walking {}: {e}", root.display());
                    continue;
                };
                let display = path.display().to_string();
                if let Some(ancestor) = e.loop_ancestor() {
                    log::warn!(
                        "{display} links back to {}: symbolic link loop, not followed",
                        ancestor.display()
                    );
                    skipped.push(SkippedPath {
                        path: display,
                        reason: "symbolic link loop, not followed",
                    });
                    continue;
                }
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink());
                if is_link && !has_article_extension(&name) {
                    // A dangling link to a README or an image is as irrelevant as one.
                    skipped.push(SkippedPath {
                        path: display,
                        reason: "unreadable link, not an article file extension",
                    });
                    continue;
                }
                let cause = e
                    .io_error()
                    .map_or_else(|| e.to_string(), |io| io.to_string());
                log::warn!("cannot read {display}: {cause}");
                inputs.push(unreadable(path, display, relative(path), &cause));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if has_article_extension(&name) {
            inputs.push(Input {
                display: path.display().to_string(),
                name: relative(path),
                path: Some(path.to_path_buf()),
                size: entry.metadata().ok().map(|m| m.len()),
                unreadable: None,
            });
        } else {
            skipped.push(SkippedPath {
                path: path.display().to_string(),
                reason: "not an article file extension",
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_extensions_include_compressed_variants() {
        for name in [
            "a.jsonl",
            "a.JSONL",
            "b.ndjson.gz",
            "c.json.zst",
            "d.txt",
            "e.jsonl.gz",
            "crawl-00001.warc.gz",
            "f.warc",
        ] {
            assert!(has_article_extension(name), "{name}");
        }
        for name in ["README.md", "x.gz", "jsonl", "photo.png", "notes.txt.bak"] {
            assert!(!has_article_extension(name), "{name}");
        }
    }

    #[test]
    fn folders_are_walked_in_sorted_order_and_other_files_skipped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("b")).unwrap();
        std::fs::write(dir.path().join("b/z.txt"), "T\n\nbody").unwrap();
        std::fs::write(dir.path().join("b/a.jsonl"), "{}").unwrap();
        std::fs::write(dir.path().join("a.json"), "[]").unwrap();
        std::fs::write(dir.path().join("README.md"), "#").unwrap();
        let arg = dir.path().display().to_string();
        let (inputs, skipped) = resolve_inputs(&[arg]).unwrap();
        let names: Vec<_> = inputs
            .iter()
            .map(|i| {
                i.path
                    .as_ref()
                    .unwrap()
                    .strip_prefix(dir.path())
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(
            names,
            vec![
                PathBuf::from("a.json"),
                "b/a.jsonl".into(),
                "b/z.txt".into()
            ]
        );
        assert_eq!(skipped.len(), 1);
        assert!(skipped[0].path.ends_with("README.md"));
    }

    #[test]
    fn a_symlink_loop_is_skipped_once_and_a_dangling_link_is_an_unreadable_input() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/a.jsonl"), "{}").unwrap();
        std::os::unix::fs::symlink(".", dir.path().join("sub/loop")).unwrap();
        std::os::unix::fs::symlink("nowhere.jsonl", dir.path().join("dangling.jsonl")).unwrap();
        std::os::unix::fs::symlink("nowhere.png", dir.path().join("photo.png")).unwrap();
        let (inputs, skipped) = resolve_inputs(&[dir.path().display().to_string()]).unwrap();
        let found: Vec<(&str, bool)> = inputs
            .iter()
            .map(|i| (i.name.as_str(), i.unreadable.is_some()))
            .collect();
        assert_eq!(found, [("dangling.jsonl", true), ("sub/a.jsonl", false)]);
        let cause = inputs[0].unreadable.as_deref().unwrap();
        assert!(cause.contains("No such file or directory"), "{cause}");
        let reasons: Vec<&str> = skipped.iter().map(|s| s.reason).collect();
        assert_eq!(
            reasons,
            [
                "unreadable link, not an article file extension",
                "symbolic link loop, not followed"
            ]
        );
        assert!(skipped[1].path.ends_with("sub/loop"));
    }

    #[test]
    fn missing_path_is_an_error_naming_it() {
        let err = resolve_inputs(&["/no/such/dump.jsonl".to_string()]).unwrap_err();
        assert_eq!(err.to_string(), "input not found: /no/such/dump.jsonl");
    }
}
