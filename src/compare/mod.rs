//! Compare: the comparative tables of an output folder. Articles are put in groups
//! (`--by`: language, source, publication day/week/month), and the mention tables
//! are summed per group into `OUT/compare/{overview,frames,entities,naming,figures}.parquet`,
//! each replaced atomically. Tables are read with lazy scans that load only the
//! columns a summary needs; the per-group summaries themselves are small.

mod grouping;
pub mod keyness;
mod summaries;

use std::path::{Path, PathBuf};

use anyhow::Context;
use polars::prelude::*;

pub use grouping::Grouping;

/// The compare tables, in the order they are written.
pub const TABLES: [&str; 6] = [
    "overview", "frames", "entities", "naming", "figures", "speakers",
];

/// Parquet parts below `dir` (partition folders included), sorted; hidden and
/// temporary files are not parts.
fn parts(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if name.ends_with(".parquet") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// A lazy scan of every part of `table`, or `None` when the table has no part.
fn scan(out: &Path, table: &str) -> anyhow::Result<Option<LazyFrame>> {
    let dir = out.join(table);
    if parts(&dir).is_empty() {
        return Ok(None);
    }
    let pattern = dir.join("**").join("*.parquet");
    let path = PlRefPath::try_from_path(&pattern)?;
    let args = ScanArgsParquet {
        allow_missing_columns: true,
        ..ScanArgsParquet::default()
    };
    Ok(Some(LazyFrame::scan_parquet(path, args)?))
}

/// Whether `out` holds any committed articles part (a run over inputs with no
/// articles writes none, and there is nothing to compare yet).
pub fn has_articles(out: &Path) -> anyhow::Result<bool> {
    Ok(scan(out, "articles")?.is_some())
}

/// Writes the compare tables for `out` grouped by `grouping`; returns each table's
/// row count.
pub fn compare(out: &Path, grouping: &Grouping) -> anyhow::Result<Vec<(&'static str, usize)>> {
    let articles = scan(out, "articles")?.with_context(|| {
        format!(
            "{} has no articles table; run `newsframe run` first",
            out.display()
        )
    })?;
    let inputs = summaries::Inputs {
        groups: grouping.columns(),
        articles: summaries::grouped_articles(articles, grouping),
        frames: scan(out, "frames")?,
        entities: scan(out, "entities")?,
        figures: scan(out, "figures")?,
    };
    let tables = [
        ("overview", summaries::overview(&inputs)?),
        ("frames", summaries::frames(&inputs)?),
        ("entities", summaries::entities(&inputs)?),
        ("naming", summaries::naming(&inputs)?),
        ("figures", summaries::figures(&inputs)?),
        ("speakers", summaries::speakers(&inputs)?),
    ];
    let dir = out.join("compare");
    let mut written = Vec::new();
    for (name, frame) in tables {
        let mut frame = frame;
        let path = dir.join(format!("{name}.parquet"));
        anyhow::Context::with_context(
            crate::tables::write_frame_atomic(&mut frame, &path),
            || format!("cannot write {}", path.display()),
        )?;
        written.push((name, frame.height()));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use std::fs::File;

    use super::*;

    fn write(dir: &Path, table: &str, mut frame: DataFrame) {
        let path = dir.join(table).join("part-test.parquet");
        crate::tables::write_frame_atomic(&mut frame, &path).unwrap();
    }

    /// Two languages with mirrored frame counts, as in the keyness module's
    /// hand-computed example, plus a duplicate article that must not count.
    fn tiny_output(dir: &Path) {
        let ids = ["a1", "a2", "b1", "b2", "dup"];
        let articles = DataFrame::new(
            ids.len(),
            vec![
                Column::new("article_id".into(), ids),
                Column::new("lang".into(), ["en", "en", "hy", "hy", "en"]),
                Column::new("n_tokens".into(), [100u32, 100, 200, 200, 100]),
                Column::new("source".into(), ["s1", "s2", "s3", "s3", "s1"]),
                Column::new(
                    "published".into(),
                    [
                        1_695_600_000_000i64,
                        1_698_300_000_000,
                        1_695_600_000_000,
                        1_695_600_000_000,
                        0,
                    ],
                )
                .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
                .unwrap(),
                Column::new("duplicate_of".into(), [None, None, None, None, Some("a1")]),
            ],
        )
        .unwrap();
        write(dir, "articles", articles);
        let mentions = [
            ("a1", "x"),
            ("a1", "x"),
            ("a2", "x"),
            ("a2", "y"),
            ("b1", "x"),
            ("b1", "y"),
            ("b2", "y"),
            ("b2", "y"),
            ("dup", "x"),
        ];
        let n = mentions.len();
        let frames = DataFrame::new(
            n,
            vec![
                Column::new("article_id".into(), mentions.map(|m| m.0)),
                Column::new("frame_id".into(), mentions.map(|m| m.1)),
                Column::new("category".into(), vec!["c"; n]),
                Column::new("quoted".into(), vec![false; n]),
                Column::new("attributed_to".into(), vec![None::<&str>; n]),
                Column::new("negated".into(), vec![false; n]),
            ],
        )
        .unwrap();
        write(dir, "frames", frames);
    }

    fn read(dir: &Path, name: &str) -> DataFrame {
        let path = dir.join("compare").join(format!("{name}.parquet"));
        ParquetReader::new(File::open(path).unwrap())
            .finish()
            .unwrap()
    }

    fn strings(df: &DataFrame, column: &str) -> Vec<String> {
        let values = df.column(column).unwrap().str().unwrap().clone();
        values.iter().flatten().map(String::from).collect()
    }

    fn row(df: &DataFrame, lang: &str, frame: &str) -> usize {
        let langs = df.column("lang").unwrap().str().unwrap().clone();
        let ids = df.column("frame_id").unwrap().str().unwrap().clone();
        (0..df.height())
            .find(|&i| langs.get(i) == Some(lang) && ids.get(i) == Some(frame))
            .unwrap()
    }

    fn value(df: &DataFrame, column: &str, i: usize) -> f64 {
        let c = df.column(column).unwrap().cast(&DataType::Float64).unwrap();
        c.f64().unwrap().get(i).unwrap()
    }

    #[test]
    fn frames_keyness_matches_the_hand_computed_example() {
        let dir = tempfile::tempdir().unwrap();
        tiny_output(dir.path());
        compare(dir.path(), &Grouping::default()).unwrap();
        let frames = read(dir.path(), "frames");
        let ax = row(&frames, "en", "x");
        assert_eq!(
            value(&frames, "mentions", ax),
            3.0,
            "the duplicate is left out"
        );
        assert!((value(&frames, "log_odds", ax) - 0.672944473242426).abs() < 1e-9);
        assert!((value(&frames, "keyness_z", ax) - 1.149271480923292).abs() < 1e-9);
        let hy = row(&frames, "hy", "x");
        assert!((value(&frames, "keyness_z", hy) + 1.149271480923292).abs() < 1e-9);
        assert_eq!(value(&frames, "articles_with", ax), 2.0);
        assert_eq!(value(&frames, "share_of_articles", ax), 1.0);
        assert_eq!(value(&frames, "rate_per_10k_tokens", ax), 150.0);
        // Tables whose extractor did not run come out empty, with their columns.
        let figures = read(dir.path(), "figures");
        assert_eq!(figures.height(), 0);
        assert!(figures.column("median_value").is_ok());
    }

    #[test]
    fn groups_by_source_and_by_language_and_month() {
        let dir = tempfile::tempdir().unwrap();
        tiny_output(dir.path());
        compare(dir.path(), &"source".parse().unwrap()).unwrap();
        let overview = read(dir.path(), "overview");
        assert_eq!(strings(&overview, "source"), vec!["s1", "s2", "s3"]);
        compare(dir.path(), &"lang,published:month".parse().unwrap()).unwrap();
        let overview = read(dir.path(), "overview");
        assert_eq!(
            strings(&overview, "published_month"),
            vec!["2023-09", "2023-10", "2023-09"]
        );
        assert_eq!(
            read(dir.path(), "frames")
                .column("published_month")
                .unwrap()
                .len(),
            3 * 2
        );
    }
}
