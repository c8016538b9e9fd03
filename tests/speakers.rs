//! Speakers and stance on the unedited seed article (tests/fixtures/seed-article.txt),
//! end to end through `newsframe run`: every case of issue 17.

mod common;

use common::*;
use polars::prelude::DataFrame;

struct Rows {
    surface: Vec<Option<String>>,
    speaker: Vec<Option<String>>,
    speaker_entity_id: Vec<Option<String>>,
    negated: Vec<Option<bool>>,
    distanced: Vec<Option<bool>>,
    in_title: Vec<Option<bool>>,
}

impl Rows {
    fn of(df: &DataFrame) -> Self {
        Rows {
            surface: strings(df, "surface"),
            speaker: strings(df, "attributed_to"),
            speaker_entity_id: strings(df, "speaker_entity_id"),
            negated: bools(df, "negated"),
            distanced: bools(df, "distanced"),
            in_title: bools(df, "in_title"),
        }
    }

    /// Rows whose surface is `surface` (body only unless `title`).
    fn find(&self, surface: &str, title: bool) -> Vec<usize> {
        (0..self.surface.len())
            .filter(|&i| {
                self.surface[i].as_deref() == Some(surface) && self.in_title[i] == Some(title)
            })
            .collect()
    }

    fn one(&self, surface: &str, title: bool) -> usize {
        let rows = self.find(surface, title);
        assert!(!rows.is_empty(), "no row {surface:?} (title {title})");
        rows[rows.len() - 1]
    }

    fn check(&self, i: usize, speaker: Option<&str>, negated: bool, distanced: bool) {
        assert_eq!(
            (
                self.speaker[i].as_deref(),
                self.negated[i],
                self.distanced[i]
            ),
            (speaker, Some(negated), Some(distanced)),
            "row {:?}",
            self.surface[i]
        );
    }
}

fn seed_tables() -> (Rows, Rows) {
    let out = tempfile::tempdir().unwrap();
    let seed = repo().join("tests/fixtures/seed-article.txt");
    let output = run(&[seed.to_str().unwrap()], out.path());
    assert!(output.status.success(), "{output:?}");
    (
        Rows::of(&table(out.path(), "frames")),
        Rows::of(&table(out.path(), "figures")),
    )
}

#[test]
fn seed_article_frames_have_their_speakers_and_stance() {
    let (frames, _) = seed_tables();
    // "He affirms … characterizing their plight as an ethnic cleansing of their
    // historic homeland": He is Edmon Marukyan, named in the sentence before.
    let i = frames.one("ethnic cleansing", false);
    frames.check(i, Some("Edmon Marukyan"), false, false);
    let i = frames.one("historic homeland", false);
    frames.check(i, Some("Edmon Marukyan"), false, false);
    // "rejected Azerbaijan's proclamations as unfounded, claiming no one will remain in
    // Nagorno-Karabakh and alleging them to be … propaganda": asserted, not negated.
    let i = frames.one("propaganda", false);
    frames.check(i, Some("Marukyan"), false, false);
    let last_nk = frames.one("Nagorno-Karabakh", false);
    frames.check(last_nk, Some("Marukyan"), false, false);
    // "dismissed these promises as mere fabrications": the spokespersons assert it.
    let i = frames.one("fabrications", false);
    frames.check(i, Some("Armenian spokespersons"), false, false);
    // The title's frames are nobody's quote.
    for surface in ["Exodus", "Ethnic Cleansing"] {
        let i = frames.one(surface, true);
        frames.check(i, None, false, false);
    }
    // The speaker of a known entity carries its id.
    let i = frames.one("ethnic cleansing", false);
    assert_eq!(
        frames.speaker_entity_id[i].as_deref(),
        Some("edmon_marukyan")
    );
    // "the mountainous region of Nagorno-Karabakh, acknowledged as Azerbaijani
    // territory": a passive participle; no term is its own speaker.
    for i in 0..frames.surface.len() {
        assert_ne!(frames.speaker[i], frames.surface[i], "row {i}");
    }
}

#[test]
fn seed_article_figures_are_credited_to_their_speakers() {
    let (_, figures) = seed_tables();
    // "with Armenia stating that over 100,000 individuals have fled".
    let i = figures.one("over 100,000", false);
    figures.check(i, Some("Armenia"), false, false);
    assert_eq!(figures.speaker_entity_id[i].as_deref(), Some("armenia"));
    // "a fuel depot in Nagorno-Karabakh which claimed at least 170 lives": a place in a
    // relative clause is never a speaker.
    let i = figures.one("at least 170", false);
    assert_ne!(
        figures.speaker[i].as_deref(),
        Some("Nagorno-Karabakh which")
    );
    figures.check(i, None, false, false);
    // "Nazeli Baghdasaryan, … confirmed that the number of refugees … has eclipsed
    // 100,000": credited when the figures extractor finds the row.
    for i in figures.find("100,000", false) {
        let speaker = figures.speaker[i].as_deref();
        assert!(
            matches!(speaker, Some("Nazeli Baghdasaryan") | Some("UNHCR")),
            "{speaker:?}"
        );
    }
}

#[test]
fn compare_speakers_table_and_report_section() {
    let out = tempfile::tempdir().unwrap();
    let seed = repo().join("tests/fixtures/seed-article.txt");
    assert!(run(&[seed.to_str().unwrap()], out.path()).status.success());
    let path = out.path().join("compare/speakers.parquet");
    let file = std::fs::File::open(&path).unwrap();
    use polars::prelude::{ParquetReader, SerReader};
    let df = ParquetReader::new(file).finish().unwrap();
    let (kind, item, speaker) = (
        strings(&df, "kind"),
        strings(&df, "item"),
        strings(&df, "speaker"),
    );
    let has = |k: &str, i: &str, s: &str| {
        (0..df.height()).any(|r| {
            kind[r].as_deref() == Some(k)
                && item[r].as_deref() == Some(i)
                && speaker[r].as_deref() == Some(s)
        })
    };
    assert!(has("frame", "ethnic_cleansing", "Edmon Marukyan"), "{df}");
    assert!(has("figure", "people.displaced", "Armenia"), "{df}");
    let report = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(report.contains("Top speakers of the most distinctive frames"));
}
