//! End-to-end tests of the frames table on the corpora and the seed-shaped fixture.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;

#[test]
fn corpora_frames_point_at_their_surface_and_cover_five_categories_per_language() {
    let out = &corpora_run().out;
    let frames = assert_offsets(out, "frames");
    assert!(frames.height() > 100, "{} frames", frames.height());
    let surfaces = strings(&frames, "surface");
    let contexts = strings(&frames, "context");
    let langs = strings(&frames, "lang");
    let categories = strings(&frames, "category");
    let mut per_lang: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for i in 0..frames.height() {
        let surface = surfaces[i].as_deref().unwrap();
        assert!(
            contexts[i].as_deref().unwrap().contains(surface),
            "context holds the surface"
        );
        per_lang
            .entry(langs[i].clone().unwrap())
            .or_default()
            .insert(categories[i].clone().unwrap());
    }
    for lang in languages() {
        assert!(per_lang[lang].len() >= 5, "{lang}: {:?}", per_lang[lang]);
    }
    assert_eq!(
        per_lang.keys().map(String::as_str).collect::<Vec<_>>(),
        languages(),
        "no frames for tr/ru"
    );
}

#[test]
fn seed_fixture_ethnic_cleansing_and_propaganda_attributed_to_marukyan() {
    let out = tempfile::tempdir().unwrap();
    let seed = repo().join("tests/fixtures/seed-shaped.txt");
    assert!(run(&[seed.to_str().unwrap()], out.path()).status.success());
    let frames = table(out.path(), "frames");
    let frame_ids = strings(&frames, "frame_id");
    let who = strings(&frames, "attributed_to");
    let flags = |column: &str| -> Vec<bool> {
        let values = frames.column(column).unwrap().bool().unwrap().clone();
        values.iter().map(|b| b.unwrap_or(false)).collect()
    };
    let (in_title, quoted) = (flags("in_title"), flags("quoted"));
    let rows = |frame: &str| -> Vec<usize> {
        (0..frames.height())
            .filter(|&i| frame_ids[i].as_deref() == Some(frame))
            .collect()
    };
    let cleansing: Vec<usize> = rows("ethnic_cleansing");
    assert!(cleansing.iter().any(|&i| in_title[i]), "in the title");
    assert!(
        cleansing.iter().any(|&i| !in_title[i]
            && (quoted[i] || who[i].as_deref().is_some_and(|w| w.contains("Marukyan")))),
        "in the body, quoted or attributed to Marukyan: {:?}",
        cleansing.iter().map(|&i| &who[i]).collect::<Vec<_>>()
    );
    let propaganda: Vec<usize> = rows("propaganda");
    assert!(!propaganda.is_empty());
    assert!(propaganda
        .iter()
        .all(|&i| who[i].as_deref().is_some_and(|w| w.contains("Marukyan"))));
}

#[test]
fn extract_option_turns_frames_off_and_inspect_shows_them() {
    let out = tempfile::tempdir().unwrap();
    let seed = repo().join("tests/fixtures/seed-shaped.txt");
    let output = newsframe()
        .args([
            "run",
            seed.to_str().unwrap(),
            "--no-progress",
            "--extract",
            "frames",
            "--out",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(out.path().join("frames").exists());
    let bad = newsframe()
        .args(["run", "x", "--out", "y", "--extract", "nonsense"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));

    let shown = newsframe().args(["inspect"]).arg(&seed).output().unwrap();
    assert!(shown.status.success());
    let text = String::from_utf8(shown.stdout).unwrap();
    assert!(text.contains("lang en"), "{text}");
    assert!(
        text.contains("ethnic_cleansing") && text.contains("by Marukyan"),
        "{text}"
    );
}
