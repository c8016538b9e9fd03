//! End-to-end tests of the entities table (gazetteer) on the corpora and the seed fixture.

mod common;

use common::*;

#[test]
fn corpora_entity_offsets_point_at_their_surface() {
    let out = &corpora_run().out;
    let entities = assert_offsets(out, "entities");
    assert!(entities.height() > 300, "{} entities", entities.height());
    // Each language names the same city with its own side's name.
    let langs = strings(&entities, "lang");
    let entity_ids = strings(&entities, "entity_id");
    let perspectives = strings(&entities, "perspective");
    let city = |lang: &str, perspective: &str| {
        (0..entities.height()).any(|i| {
            langs[i].as_deref() == Some(lang)
                && entity_ids[i].as_deref() == Some("stepanakert")
                && perspectives[i].as_deref() == Some(perspective)
        })
    };
    assert!(city("hy", "hy") && city("az", "az"));
}

#[test]
fn seed_fixture_names_with_labels_and_perspectives() {
    let out = tempfile::tempdir().unwrap();
    let seed = repo().join("tests/fixtures/seed-shaped.txt");
    assert!(run(&[seed.to_str().unwrap()], out.path()).status.success());
    let entities = table(out.path(), "entities");
    let surfaces = strings(&entities, "surface");
    let ids = strings(&entities, "entity_id");
    let labels = strings(&entities, "label");
    let perspectives = strings(&entities, "perspective");
    let find = |surface: &str| {
        (0..entities.height())
            .find(|&i| surfaces[i].as_deref() == Some(surface))
            .unwrap_or_else(|| panic!("{surface} not found in {surfaces:?}"))
    };
    for (surface, label) in [
        ("Armenia", "GPE"),
        ("Azerbaijan", "GPE"),
        ("Russia", "GPE"),
        ("Nagorno-Karabakh", "GPE"),
        ("UNHCR", "ORG"),
        ("UN", "ORG"),
        ("Nazeli Baghdasaryan", "PER"),
        ("Artak Beglaryan", "PER"),
        ("Edmon Marukyan", "PER"),
        ("Khankendi", "GPE"),
        ("Kalbajar", "GPE"),
    ] {
        assert_eq!(labels[find(surface)].as_deref(), Some(label), "{surface}");
    }
    let khankendi = find("Khankendi");
    assert_eq!(perspectives[khankendi].as_deref(), Some("az"));
    assert_eq!(ids[khankendi], ids[find("Stepanakert")]);
}

/// The real seed article, as scraped (title line, body, comment form): its people and
/// contested places, and no false names from its title-cased headline.
#[test]
fn seed_article_as_written_names_its_people_and_places() {
    let out = tempfile::tempdir().unwrap();
    let seed = repo().join("tests/fixtures/seed-article.txt");
    assert!(run(&[seed.to_str().unwrap()], out.path()).status.success());
    let entities = table(out.path(), "entities");
    let surfaces = strings(&entities, "surface");
    let labels = strings(&entities, "label");
    let perspectives = strings(&entities, "perspective");
    let methods = strings(&entities, "method");
    let in_title = bools(&entities, "in_title");
    let find = |surface: &str| {
        (0..entities.height())
            .find(|&i| surfaces[i].as_deref() == Some(surface))
            .unwrap_or_else(|| panic!("{surface} not found in {surfaces:?}"))
    };
    for (surface, label) in [
        ("Nazeli Baghdasaryan", "PER"),
        ("Artak Beglaryan", "PER"),
        ("Edmon Marukyan", "PER"),
        ("Marukyan", "PER"),
        ("UNHCR", "ORG"),
        ("Kalbajar", "GPE"),
        ("Khankendi", "GPE"),
        ("Nagorno-Karabakh", "GPE"),
    ] {
        let i = find(surface);
        assert_eq!(labels[i].as_deref(), Some(label), "{surface}");
        assert_eq!(methods[i].as_deref(), Some("model"), "{surface}");
    }
    assert_eq!(perspectives[find("Khankendi")].as_deref(), Some("az"));
    assert_eq!(
        perspectives[find("Nagorno-Karabakh")].as_deref(),
        Some("neutral")
    );
    let title: Vec<_> = (0..entities.height())
        .filter(|&i| in_title[i] == Some(true))
        .map(|i| surfaces[i].clone().unwrap())
        .collect();
    assert_eq!(title, ["Nagorno-Karabakh"]);
}
