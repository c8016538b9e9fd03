//! End-to-end tests of the figures table on the corpora and the seed-shaped fixture.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use polars::prelude::*;

fn floats(df: &DataFrame, column: &str) -> Vec<Option<f64>> {
    df.column(column).unwrap().f64().unwrap().iter().collect()
}

#[test]
fn corpora_figures_point_at_their_surface_in_every_language() {
    let out = &corpora_run().out;
    let figures = assert_offsets(out, "figures");
    let langs = strings(&figures, "lang");
    let categories = strings(&figures, "category");
    let (lower, upper, value) = (
        floats(&figures, "lower"),
        floats(&figures, "upper"),
        floats(&figures, "value"),
    );
    let mut per_lang: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for i in 0..figures.height() {
        per_lang
            .entry(langs[i].clone().unwrap())
            .or_default()
            .insert(categories[i].clone().unwrap());
        let v = value[i].unwrap();
        assert!(lower[i].is_none_or(|l| l <= v) && upper[i].is_none_or(|u| u >= v));
    }
    assert_eq!(
        per_lang.keys().map(String::as_str).collect::<Vec<_>>(),
        languages(),
        "figures in every language we extract from, none for tr/ru"
    );
    for (lang, categories) in &per_lang {
        for wanted in ["people.displaced", "people.killed", "date"] {
            assert!(categories.contains(wanted), "{lang}: {categories:?}");
        }
    }
    assert_eq!(
        manifest(out)["counts"]["mentions"]["figures"],
        figures.height()
    );
}

#[test]
fn seed_fixture_figures_have_bounds_categories_and_sources() {
    let out = tempfile::tempdir().unwrap();
    let seed = repo().join("tests/fixtures/seed-shaped.txt");
    assert!(run(&[seed.to_str().unwrap()], out.path()).status.success());
    let figures = table(out.path(), "figures");
    let surfaces = strings(&figures, "surface");
    let categories = strings(&figures, "category");
    let qualifiers = strings(&figures, "qualifier");
    let who = strings(&figures, "attributed_to");
    let (lower, upper) = (floats(&figures, "lower"), floats(&figures, "upper"));
    let row = |surface: &str| -> usize {
        let rows: Vec<usize> = (0..figures.height())
            .filter(|&i| surfaces[i].as_deref() == Some(surface))
            .collect();
        assert_eq!(rows.len(), 1, "{surface} in {surfaces:?}");
        rows[0]
    };
    let fled = row("over 100,000");
    assert_eq!(
        (
            lower[fled],
            upper[fled],
            qualifiers[fled].as_deref(),
            categories[fled].as_deref(),
            who[fled].as_deref()
        ),
        (
            Some(100_000.0),
            None,
            Some("lower_exclusive"),
            Some("people.displaced"),
            Some("Armenia")
        )
    );
    let arrived = row("100,000");
    assert_eq!(categories[arrived].as_deref(), Some("people.displaced"));
    assert!(who[arrived].as_deref().is_some_and(|w| w.contains("UNHCR")));
    for killed in ["at least 200", "at least 170"] {
        let i = row(killed);
        assert_eq!(
            (qualifiers[i].as_deref(), categories[i].as_deref()),
            (Some("lower"), Some("people.killed"))
        );
    }
    // `only` is kept as the qualifier of the vague quantity (bounds unchanged).
    let few = row("only a few hundred");
    assert_eq!(categories[few].as_deref(), Some("people.remaining"));
    assert_eq!(qualifiers[few].as_deref(), Some("exact"));
    assert_eq!((lower[few], upper[few]), (Some(200.0), Some(999.0)));
    // November 2020 and three decades are only a date and a duration.
    assert_eq!(categories[row("three")].as_deref(), Some("duration"));
    let years: Vec<usize> = (0..figures.height())
        .filter(|&i| surfaces[i].as_deref() == Some("2020"))
        .collect();
    assert_eq!(years.len(), 2);
    assert!(years
        .iter()
        .all(|&i| categories[i].as_deref() == Some("date")));
}
