//! The seed article exactly as scraped (tests/fixtures/seed-article.txt): each of
//! its numeric claims comes out with its value, bounds and category. Who makes each
//! claim (`attributed_to`) is the speakers stage's concern and not asserted here.

mod common;

use common::*;
use polars::prelude::*;

fn floats(df: &DataFrame, column: &str) -> Vec<Option<f64>> {
    df.column(column).unwrap().f64().unwrap().iter().collect()
}

#[test]
fn seed_article_as_written_gives_each_claim() {
    let out = tempfile::tempdir().unwrap();
    let seed = repo().join("tests/fixtures/seed-article.txt");
    assert!(run(&[seed.to_str().unwrap()], out.path()).status.success());
    let figures = assert_offsets(out.path(), "figures");
    let surfaces = strings(&figures, "surface");
    let contexts = strings(&figures, "context");
    let categories = strings(&figures, "category");
    let qualifiers = strings(&figures, "qualifier");
    let (value, lower, upper) = (
        floats(&figures, "value"),
        floats(&figures, "lower"),
        floats(&figures, "upper"),
    );
    let listing: Vec<String> = (0..figures.height())
        .map(|i| {
            format!(
                "{:?} {:?} {:?}..{:?} {:?}",
                surfaces[i], categories[i], lower[i], upper[i], qualifiers[i]
            )
        })
        .collect();
    // The row whose surface is `surface` in the sentence containing `sentence`.
    let row = |surface: &str, sentence: &str| -> usize {
        let rows: Vec<usize> = (0..figures.height())
            .filter(|&i| {
                surfaces[i].as_deref() == Some(surface)
                    && contexts[i].as_deref().is_some_and(|c| c.contains(sentence))
            })
            .collect();
        assert_eq!(rows.len(), 1, "`{surface}` in: {listing:#?}");
        rows[0]
    };
    let claim = |i: usize| {
        (
            value[i],
            lower[i],
            upper[i],
            qualifiers[i].as_deref(),
            categories[i].as_deref(),
        )
    };

    let fled = row("over 100,000", "individuals have fled");
    assert_eq!(
        claim(fled),
        (
            Some(100_000.0),
            Some(100_000.0),
            None,
            Some("lower_exclusive"),
            Some("people.displaced")
        )
    );
    // A count without a noun: "the number of refugees ... has eclipsed 100,000".
    let eclipsed = row("100,000", "has eclipsed");
    assert_eq!(
        claim(eclipsed),
        (
            Some(100_000.0),
            Some(100_000.0),
            Some(100_000.0),
            None,
            Some("people.displaced")
        )
    );
    let sought = row("100,000", "have sought refuge");
    assert_eq!(categories[sought].as_deref(), Some("people.displaced"));
    // Casualty phrasing: "the tragic loss of at least 200 ethnic Armenians".
    let lost = row("at least 200", "tragic loss");
    assert_eq!(
        claim(lost),
        (
            Some(200.0),
            Some(200.0),
            None,
            Some("lower"),
            Some("people.killed")
        )
    );
    // A modifier between qualifier and vague quantity: "only a sparse few hundred".
    let remained = row("only a sparse few hundred", "remained");
    assert_eq!(
        claim(remained),
        (
            Some(200.0),
            Some(200.0),
            Some(999.0),
            Some("exact"),
            Some("people.remaining")
        )
    );
    let depot = row("at least 170", "fuel depot");
    assert_eq!(
        claim(depot),
        (
            Some(170.0),
            Some(170.0),
            None,
            Some("lower"),
            Some("people.killed")
        )
    );
}
