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
}

impl Input {
    pub fn stdin() -> Self {
        Input {
            path: None,
            display: "-".to_string(),
            name: "-".to_string(),
            size: None,
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
    #[error("cannot read input {path}: {source}")]
    Unreadable {
        path: String,
        source: std::io::Error,
    },
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
/// order, `-` as standard input. Every path is checked before any work starts, so a
/// typo fails fast instead of after an hour of processing.
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
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => InputError::NotFound(arg.clone()),
            _ => InputError::Unreadable {
                path: arg.clone(),
                source: e,
            },
        })?;
        if meta.is_dir() {
            walk(path, path, &mut inputs, &mut skipped)?;
        } else {
            inputs.push(Input {
                path: Some(path.to_path_buf()),
                display: arg.clone(),
                name: path
                    .file_name()
                    .map_or_else(|| arg.clone(), |n| n.to_string_lossy().into_owned()),
                size: Some(meta.len()),
            });
        }
    }
    Ok((inputs, skipped))
}

fn walk(
    root: &Path,
    dir: &Path,
    inputs: &mut Vec<Input>,
    skipped: &mut Vec<SkippedPath>,
) -> Result<(), InputError> {
    let unreadable = |e| InputError::Unreadable {
        path: dir.display().to_string(),
        source: e,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(unreadable)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(unreadable)?;
    // Sorted by name so that output order never depends on the file system.
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        let meta = std::fs::metadata(&path).map_err(|e| InputError::Unreadable {
            path: path.display().to_string(),
            source: e,
        })?;
        if meta.is_dir() {
            walk(root, &path, inputs, skipped)?;
        } else if has_article_extension(&name) {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            inputs.push(Input {
                display: path.display().to_string(),
                name: relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
                path: Some(path),
                size: Some(meta.len()),
            });
        } else {
            skipped.push(SkippedPath {
                path: path.display().to_string(),
                reason: "not an article file extension",
            });
        }
    }
    Ok(())
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
    fn missing_path_is_an_error_naming_it() {
        let err = resolve_inputs(&["/no/such/dump.jsonl".to_string()]).unwrap_err();
        assert_eq!(err.to_string(), "input not found: /no/such/dump.jsonl");
    }
}
