//! End-to-end tests of the entities table (gazetteer) on the corpora and the seed fixture.

mod common;

use std::collections::HashMap;

use common::*;

#[test]
fn corpora_entity_offsets_point_at_their_surface() {
    let out = tempfile::tempdir().unwrap();
    assert!(run(&[repo().join("corpora").to_str().unwrap()], out.path())
        .status
        .success());
    let articles = table(out.path(), "articles");
    let texts: HashMap<String, String> = strings(&articles, "article_id")
        .into_iter()
        .zip(strings(&articles, "text"))
        .map(|(id, t)| (id.unwrap(), t.unwrap()))
        .collect();
    let entities = table(out.path(), "entities");
    assert!(entities.height() > 300, "{} entities", entities.height());
    let starts: Vec<u32> = entities
        .column("start")
        .unwrap()
        .u32()
        .unwrap()
        .into_no_null_iter()
        .collect();
    let ends: Vec<u32> = entities
        .column("end")
        .unwrap()
        .u32()
        .unwrap()
        .into_no_null_iter()
        .collect();
    let ids = strings(&entities, "article_id");
    let surfaces = strings(&entities, "surface");
    for i in 0..entities.height() {
        let text = &texts[ids[i].as_ref().unwrap()];
        let slice: String = text
            .chars()
            .skip(starts[i] as usize)
            .take((ends[i] - starts[i]) as usize)
            .collect();
        assert_eq!(Some(slice), surfaces[i], "row {i}");
    }
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
