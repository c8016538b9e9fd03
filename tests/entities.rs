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

/// Headlines that open with a question word or a rubric ("Explainer: How
/// Nagorno-Karabakh emptied in a week"): the word is not part of a name, and the place
/// after it is the gazetteer's place, never a person. Own-written titles and bodies;
/// the bodies repeat the place and open a sentence with the same question word, so
/// the document-level evidence of the title is also in play.
#[test]
fn question_words_opening_a_headline_do_not_make_a_place_a_person() {
    let cases = [
        (
            "en",
            "Explainer: How Nagorno-Karabakh emptied in a week",
            "Nagorno-Karabakh",
            "Buses left the region for days. How many people stayed in Nagorno-Karabakh \
             is unclear.",
        ),
        (
            "en",
            "Why Stepanakert fell silent",
            "Stepanakert",
            "The streets of Stepanakert were empty by Friday. Why so many left at once \
             is the question aid workers ask.",
        ),
        (
            "en",
            "Analysis: What Shusha means after the war",
            "Shusha",
            "Shusha sits above the road to the south. What happens to its churches \
             is not yet known.",
        ),
        (
            "en",
            "When Kalbajar changed hands",
            "Kalbajar",
            "Residents of Kalbajar burned their houses before leaving. When the \
             convoys came, the roads were closed.",
        ),
        (
            "hy",
            "Ինչու Ստեփանակերտը դատարկվեց",
            "Ստեփանակերտը",
            "Ստեփանակերտի փողոցները դատարկ էին ուրբաթ օրը։ Ինչու այդքան շատ մարդ \
             հեռացավ, դեռ պարզ չէ։",
        ),
        (
            "az",
            "Necə Şuşa dəyişdi",
            "Şuşa",
            "Şuşa şəhərində yeni yollar çəkilir. Necə dəyişdiyini sakinlər danışır.",
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("titles.jsonl");
    let lines: String = cases
        .iter()
        .enumerate()
        .map(|(i, (lang, title, _, text))| {
            serde_json::json!({"id": format!("t{i}"), "title": title, "text": text,
                               "language": lang})
            .to_string()
                + "\n"
        })
        .collect();
    write_file(&input, lines);
    let out = tmp.path().join("out");
    let status = run(&[input.to_str().unwrap(), "--extract", "entities"], &out);
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let entities = table(&out, "entities");
    let articles = strings(&entities, "article_id");
    let surfaces = strings(&entities, "surface");
    let labels = strings(&entities, "label");
    let in_title = bools(&entities, "in_title");
    for (i, (lang, title, place, _)) in cases.iter().enumerate() {
        let id = format!("t{i}");
        let rows: Vec<(String, String, bool)> = (0..entities.height())
            .filter(|&r| articles[r].as_deref() == Some(id.as_str()))
            .map(|r| {
                (
                    surfaces[r].clone().unwrap(),
                    labels[r].clone().unwrap(),
                    in_title[r] == Some(true),
                )
            })
            .collect();
        assert!(
            rows.iter().any(|(s, l, t)| *t && s == place && l == "GPE"),
            "{lang} «{title}»: {place} as GPE in the title, got {rows:?}"
        );
        assert!(
            rows.iter().all(|(_, l, _)| l != "PER"),
            "{lang} «{title}»: no person in these articles, got {rows:?}"
        );
    }
}
