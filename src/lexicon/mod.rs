//! Lexicon folders: reading, validating and hashing the language data in `lexicons/`.
//!
//! A [`LexiconSet`] is the raw text of every file in a lexicon folder, either the copy
//! embedded in the binary at build time or a folder given with `--lexicons`. Stages parse
//! the files they need through [`LexiconSet::tsv`] and [`LexiconSet::list`], which report
//! problems as `file:line: message` so a researcher can fix the file they edited.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use xxhash_rust::xxh3::Xxh3;

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/lexicons");

/// A problem in a lexicon file, located by file and line (1-based; 0 = whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl std::error::Error for LexiconError {}

/// One data row of a TSV file, with its line number for error messages.
#[derive(Debug, Clone)]
pub struct TsvRow<'a> {
    pub file: &'a str,
    pub line: usize,
    pub fields: Vec<&'a str>,
}

impl<'a> TsvRow<'a> {
    /// The field at `index`; the loader guarantees it exists.
    pub fn get(&self, index: usize) -> &'a str {
        self.fields[index]
    }

    /// An error located at this row.
    pub fn error(&self, message: impl Into<String>) -> LexiconError {
        LexiconError {
            file: self.file.to_string(),
            line: self.line,
            message: message.into(),
        }
    }
}

/// All files of one lexicon folder, keyed by their path relative to the folder
/// (always with `/` separators).
#[derive(Debug, Clone)]
pub struct LexiconSet {
    origin: String,
    files: BTreeMap<String, String>,
}

impl LexiconSet {
    /// The lexicons compiled into this binary.
    pub fn bundled() -> Self {
        let mut files = BTreeMap::new();
        collect_embedded(&BUNDLED, &mut files);
        LexiconSet {
            origin: "bundled".to_string(),
            files,
        }
    }

    /// Reads every `.tsv` and `.txt` file below `dir`.
    pub fn from_dir(dir: &Path) -> Result<Self, LexiconError> {
        let mut files = BTreeMap::new();
        let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
        let unreadable = |path: &Path, e: std::io::Error| LexiconError {
            file: path.display().to_string(),
            line: 0,
            message: format!("cannot read: {e}"),
        };
        while let Some(current) = stack.pop() {
            let entries = std::fs::read_dir(&current).map_err(|e| unreadable(&current, e))?;
            for entry in entries {
                let path = entry.map_err(|e| unreadable(&current, e))?.path();
                if path.is_dir() {
                    stack.push(path);
                } else if is_lexicon_file(&path) {
                    let text = std::fs::read_to_string(&path).map_err(|e| unreadable(&path, e))?;
                    let rel = path
                        .strip_prefix(dir)
                        .unwrap_or(&path)
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/");
                    files.insert(rel, text);
                }
            }
        }
        if files.is_empty() {
            return Err(LexiconError {
                file: dir.display().to_string(),
                line: 0,
                message: "no .tsv or .txt lexicon files found".to_string(),
            });
        }
        Ok(LexiconSet {
            origin: dir.display().to_string(),
            files,
        })
    }

    /// Where this set came from: `bundled` or the folder path.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// A stable hash of every file's path and content, recorded in the manifest so a
    /// dataset says which language data produced it.
    pub fn hash(&self) -> String {
        let mut hasher = Xxh3::new();
        for (path, text) in &self.files {
            hasher.update(path.as_bytes());
            hasher.update(&[0]);
            hasher.update(text.as_bytes());
            hasher.update(&[0]);
        }
        format!("{:032x}", hasher.digest128())
    }

    /// Language folders present (`en`, `hy`, `az`, ...), sorted.
    pub fn languages(&self) -> Vec<&str> {
        let mut langs: Vec<&str> = self
            .files
            .keys()
            .filter_map(|p| p.split_once('/').map(|(dir, _)| dir))
            .collect();
        langs.dedup();
        langs
    }

    pub fn contains(&self, file: &str) -> bool {
        self.files.contains_key(file)
    }

    pub fn file_names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Non-comment, non-blank lines of a one-entry-per-line file, trimmed.
    /// A missing file is an empty list: languages need not have every file.
    pub fn list(&self, file: &str) -> Vec<(usize, &str)> {
        self.files
            .get(file)
            .map(|text| data_lines(text).collect())
            .unwrap_or_default()
    }

    /// Rows of a TSV file whose header must name exactly `columns`. A missing file
    /// yields no rows. Optional trailing columns may be left out of a row when
    /// `required` is smaller than `columns.len()`; they are then empty strings.
    pub fn tsv<'a>(
        &'a self,
        file: &'a str,
        columns: &[&str],
        required: usize,
    ) -> Result<Vec<TsvRow<'a>>, LexiconError> {
        let Some(text) = self.files.get(file) else {
            return Ok(Vec::new());
        };
        let err = |line, message: String| LexiconError {
            file: file.to_string(),
            line,
            message,
        };
        let mut lines = data_lines_untrimmed(text);
        let Some((header_line, header)) = lines.next() else {
            return Ok(Vec::new());
        };
        let header: Vec<&str> = header.split('\t').map(str::trim).collect();
        if header != columns {
            return Err(err(
                header_line,
                format!(
                    "header is `{}`, expected `{}` (tab-separated)",
                    header.join(" | "),
                    columns.join(" | ")
                ),
            ));
        }
        let mut rows = Vec::new();
        for (line, raw) in lines {
            let mut fields: Vec<&str> = raw.split('\t').map(str::trim).collect();
            if fields.len() > columns.len() {
                return Err(err(
                    line,
                    format!(
                        "{} fields, expected at most {} ({}); check for stray tabs",
                        fields.len(),
                        columns.len(),
                        columns.join(", ")
                    ),
                ));
            }
            if fields.len() < required {
                return Err(err(
                    line,
                    format!(
                        "{} field(s), expected {} ({}) separated by tabs",
                        fields.len(),
                        required,
                        columns[..required].join(", ")
                    ),
                ));
            }
            fields.resize(columns.len(), "");
            if let Some(i) = (0..required).find(|&i| fields[i].is_empty()) {
                return Err(err(line, format!("column `{}` is empty", columns[i])));
            }
            rows.push(TsvRow { file, line, fields });
        }
        Ok(rows)
    }
}

fn is_lexicon_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("tsv") | Some("txt")
    )
}

fn collect_embedded(dir: &Dir<'static>, files: &mut BTreeMap<String, String>) {
    for file in dir.files() {
        if !is_lexicon_file(file.path()) {
            continue;
        }
        if let Some(text) = file.contents_utf8() {
            let rel = file.path().to_string_lossy().replace('\\', "/");
            files.insert(rel, text.to_string());
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, files);
    }
}

fn data_lines_untrimmed(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
}

fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    data_lines_untrimmed(text).map(|(i, l)| (i, l.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(files: &[(&str, &str)]) -> LexiconSet {
        LexiconSet {
            origin: "test".into(),
            files: files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
        }
    }

    #[test]
    fn tsv_reports_file_and_line_of_bad_rows() {
        let s = set(&[(
            "en/frames.tsv",
            "# comment\nframe_id\tform\nx\tethnic cleansing\ny\n",
        )]);
        let err = s
            .tsv("en/frames.tsv", &["frame_id", "form"], 2)
            .unwrap_err();
        assert_eq!(err.file, "en/frames.tsv");
        assert_eq!(err.line, 4);
        assert!(err.message.contains("expected 2"), "{}", err.message);
    }

    #[test]
    fn tsv_rejects_wrong_header() {
        let s = set(&[("frames.tsv", "id\tcat\n")]);
        let err = s
            .tsv("frames.tsv", &["frame_id", "category"], 2)
            .unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.to_string().starts_with("frames.tsv:1: header"));
    }

    #[test]
    fn optional_trailing_columns_default_to_empty() {
        let s = set(&[(
            "hy/entities.tsv",
            "entity_id\tform\tperspective\narmenia\tՀայաստան\n",
        )]);
        let rows = s
            .tsv("hy/entities.tsv", &["entity_id", "form", "perspective"], 2)
            .unwrap();
        assert_eq!(rows[0].fields, vec!["armenia", "Հայաստան", ""]);
    }

    #[test]
    fn hash_changes_with_content() {
        let a = set(&[("en/x.txt", "Mr.\n")]);
        let b = set(&[("en/x.txt", "Mrs.\n")]);
        assert_ne!(a.hash(), b.hash());
        assert_eq!(a.hash(), a.clone().hash());
    }

    #[test]
    fn bundled_set_has_the_three_languages() {
        let s = LexiconSet::bundled();
        for lang in ["az", "en", "hy"] {
            assert!(s.languages().contains(&lang), "missing {lang}");
        }
    }
}
