//! Compare: the comparative tables of an output folder. Articles are put in groups
//! (`--by`: language, source, publication day/week/month), and the mention tables
//! are summed per group into `OUT/compare/{overview,frames,entities,naming,figures,speakers}.parquet`,
//! each replaced atomically.
//!
//! Memory does not grow with the mention tables: each table is read one row group at
//! a time ([`crate::tables::batches`]), and the summaries keep one entry per group and key. What
//! grows with the dataset is one small entry per article (`articles.rs`).

mod articles;
mod grouping;
pub mod keyness;
mod summaries;

use std::path::Path;

use anyhow::Context;
use polars::prelude::*;

pub use grouping::Grouping;

use crate::tables::batches::{self, for_each_batch};
use articles::{ArticleRef, Articles};

/// The compare tables, in the order they are written.
pub const TABLES: [&str; 6] = [
    "overview", "frames", "entities", "naming", "figures", "speakers",
];

/// Whether `out` holds any committed articles part (a run over inputs with no
/// articles writes none, and there is nothing to compare yet).
pub fn has_articles(out: &Path) -> anyhow::Result<bool> {
    Ok(!batches::parts(&out.join("articles")).is_empty())
}

/// Feeds every row group of a mention table, with the article of each row, to `each`.
fn read_mentions(
    out: &Path,
    table: &str,
    columns: &[(&str, DataType)],
    articles: &Articles,
    mut each: impl FnMut(&DataFrame, &[Option<ArticleRef>]) -> PolarsResult<()>,
) -> anyhow::Result<()> {
    for_each_batch(out, table, columns, |batch| {
        let refs = articles.refs(batch)?;
        Ok(each(batch, &refs)?)
    })?;
    Ok(())
}

/// Writes the compare tables for `out` grouped by `grouping`; returns each table's
/// row count.
pub fn compare(out: &Path, grouping: &Grouping) -> anyhow::Result<Vec<(&'static str, usize)>> {
    let articles = Articles::read(out, grouping)?.with_context(|| {
        format!(
            "{} has no articles table; run `newsframe run` first",
            out.display()
        )
    })?;
    let mut frames = summaries::Frames::default();
    let mut entities = summaries::Entities::default();
    let mut naming = summaries::Naming::default();
    let mut figures = summaries::Figures::default();
    let mut speakers = summaries::Speakers::default();
    read_mentions(
        out,
        "frames",
        &summaries::FRAME_COLUMNS,
        &articles,
        |b, r| {
            frames.add(b, r)?;
            speakers.add_frames(b, r)
        },
    )?;
    read_mentions(
        out,
        "entities",
        &summaries::ENTITY_COLUMNS,
        &articles,
        |b, r| {
            entities.add(b, r)?;
            naming.add(b, r)
        },
    )?;
    read_mentions(
        out,
        "figures",
        &summaries::FIGURE_COLUMNS,
        &articles,
        |b, r| {
            figures.add(b, r)?;
            speakers.add_figures(b, r)
        },
    )?;
    let tables = [
        ("overview", summaries::overview(&articles)?),
        ("frames", frames.finish(&articles)?),
        ("entities", entities.finish(&articles)?),
        ("naming", naming.finish(&articles)?),
        ("figures", figures.finish(&articles)?),
        ("speakers", speakers.finish(&articles)?),
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

    /// Writes `frame` in row groups of two rows, so that summaries see many batches.
    fn write_small_groups(dir: &Path, table: &str, frame: DataFrame) {
        let path = dir.join(table).join("part-test.parquet");
        batches::write_in_row_groups(&path, &frame, 2);
    }

    fn str_list(df: &DataFrame, column: &str, i: usize) -> Vec<String> {
        let list = df.column(column).unwrap().list().unwrap().get_as_series(i);
        let list = list.unwrap();
        list.str()
            .unwrap()
            .iter()
            .flatten()
            .map(String::from)
            .collect()
    }

    #[test]
    fn entity_naming_figure_and_speaker_summaries_read_in_small_batches() {
        let dir = tempfile::tempdir().unwrap();
        tiny_output(dir.path());
        // Entities of a1, a2 (en) and b1 (hy); dup's mention must not count.
        let rows = [
            (
                "a1",
                Some("stepanakert"),
                "LOC",
                Some("Stepanakert"),
                "Stepanakert",
                "hy",
            ),
            (
                "a1",
                Some("stepanakert"),
                "LOC",
                Some("Stepanakert"),
                "Khankendi",
                "az",
            ),
            ("a1", None, "PER", None, "Edmon Marukyan", ""),
            ("a2", None, "PER", None, "EDMON MARUKYAN", ""),
            (
                "a2",
                Some("stepanakert"),
                "LOC",
                Some("Stepanakert"),
                "Stepanakert",
                "hy",
            ),
            ("a2", Some("un"), "ORG", Some("United Nations"), "UN", ""),
            (
                "b1",
                Some("stepanakert"),
                "LOC",
                Some("Stepanakert"),
                "Ստեփանակերտ",
                "hy",
            ),
            (
                "dup",
                Some("stepanakert"),
                "LOC",
                Some("Stepanakert"),
                "Khankendi",
                "az",
            ),
        ];
        let n = rows.len();
        let perspective = |p: &str| (!p.is_empty()).then(|| p.to_string());
        write_small_groups(
            dir.path(),
            "entities",
            DataFrame::new(
                n,
                vec![
                    Column::new("article_id".into(), rows.map(|r| r.0)),
                    Column::new("entity_id".into(), rows.map(|r| r.1)),
                    Column::new("label".into(), rows.map(|r| r.2)),
                    Column::new("canonical_name".into(), rows.map(|r| r.3)),
                    Column::new("surface".into(), rows.map(|r| r.4)),
                    Column::new("matched_form".into(), rows.map(|r| r.4)),
                    Column::new("perspective".into(), rows.map(|r| perspective(r.5))),
                ],
            )
            .unwrap(),
        );
        let figures = [
            ("a1", 100.0, Some("over"), "people", Some("Armenia")),
            ("a1", 200.0, None, "people", Some("UN")),
            ("a1", 2023.0, None, "date", Some("UN")),
            ("a2", 100.0, Some("exact"), "people", Some("UN")),
            ("a2", 400.0, None, "people", None),
            ("b1", 5.0, None, "money", None),
            ("dup", 1e9, None, "people", Some("Armenia")),
        ];
        let n = figures.len();
        write_small_groups(
            dir.path(),
            "figures",
            DataFrame::new(
                n,
                vec![
                    Column::new("article_id".into(), figures.map(|r| r.0)),
                    Column::new("value".into(), figures.map(|r| r.1)),
                    Column::new("qualifier".into(), figures.map(|r| r.2)),
                    Column::new("category".into(), figures.map(|r| r.3)),
                    Column::new("attributed_to".into(), figures.map(|r| r.4)),
                ],
            )
            .unwrap(),
        );
        compare(dir.path(), &Grouping::default()).unwrap();

        let entities = read(dir.path(), "entities");
        let keys = strings(&entities, "entity_key");
        let en_marukyan = keys
            .iter()
            .position(|k| k == "name:edmon marukyan")
            .unwrap();
        assert_eq!(
            value(&entities, "mentions", en_marukyan),
            2.0,
            "case folded"
        );
        assert_eq!(value(&entities, "articles_with", en_marukyan), 2.0);
        assert_eq!(
            strings(&entities, "name")[en_marukyan],
            "Edmon Marukyan",
            "first"
        );
        let en_step = keys.iter().position(|k| k == "stepanakert").unwrap();
        assert_eq!(value(&entities, "mentions", en_step), 3.0, "dup left out");
        assert_eq!(value(&entities, "articles_with", en_step), 2.0);
        assert_eq!(entities.height(), 4, "en: 3 keys, hy: 1");

        // Stepanakert is contested (hy and az names); the UN is not.
        let naming = read(dir.path(), "naming");
        assert_eq!(strings(&naming, "entity_id"), vec!["stepanakert"; 3]);
        assert_eq!(
            strings(&naming, "variant"),
            vec!["Khankendi", "Stepanakert", "Ստեփանակերտ"]
        );
        assert!((value(&naming, "share", 0) - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(value(&naming, "share", 2), 1.0);

        let figures = read(dir.path(), "figures");
        assert_eq!(strings(&figures, "category"), vec!["people", "money"]);
        assert_eq!(value(&figures, "figures", 0), 4.0, "dates and dup left out");
        assert_eq!(value(&figures, "articles", 0), 2.0);
        assert_eq!(value(&figures, "min_value", 0), 100.0);
        assert_eq!(value(&figures, "median_value", 0), 150.0, "100 100 200 400");
        assert_eq!(value(&figures, "max_value", 0), 400.0);
        assert_eq!(value(&figures, "most_frequent_value", 0), 100.0);
        assert_eq!(
            value(&figures, "share_hedged", 0),
            0.25,
            "`exact` is not hedged"
        );
        assert_eq!(str_list(&figures, "sources", 0), vec!["UN", "Armenia"]);
        assert!(figures.column("sources").unwrap().get(1).unwrap().is_null());

        let speakers = read(dir.path(), "speakers");
        assert_eq!(strings(&speakers, "kind"), vec!["figure", "figure"]);
        assert_eq!(strings(&speakers, "speaker"), vec!["Armenia", "UN"]);
        assert_eq!(value(&speakers, "mentions", 1), 2.0);
        assert_eq!(value(&speakers, "articles", 1), 2.0);
    }

    #[test]
    fn a_median_and_a_mode_as_polars_computes_them() {
        let dir = tempfile::tempdir().unwrap();
        tiny_output(dir.path());
        // Values 1..=5 and 7, 7: an odd count, a tie broken by the smaller value.
        let values = [3.0, 1.0, 7.0, 2.0, 7.0, 5.0, 4.0, 1.0];
        let n = values.len();
        write_small_groups(
            dir.path(),
            "figures",
            DataFrame::new(
                n,
                vec![
                    Column::new("article_id".into(), vec!["a1"; n]),
                    Column::new("value".into(), values),
                    Column::new("qualifier".into(), vec![None::<&str>; n]),
                    Column::new("category".into(), vec!["people"; n]),
                    Column::new("attributed_to".into(), vec![None::<&str>; n]),
                ],
            )
            .unwrap(),
        );
        compare(dir.path(), &Grouping::default()).unwrap();
        let figures = read(dir.path(), "figures");
        let expected = Series::new("v".into(), values).median().unwrap();
        assert_eq!(value(&figures, "median_value", 0), expected);
        assert_eq!(value(&figures, "median_value", 0), 3.5);
        assert_eq!(value(&figures, "most_frequent_value", 0), 1.0);
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
