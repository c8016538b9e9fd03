//! Language identification through `newsframe run`: the English sentences the issue
//! found labelled `und`, Kazakh, Kyrgyz, Tatar and Bashkir Cyrillic against
//! Azerbaijani Cyrillic, short headlines in each language, and the detector named in
//! the manifest.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::*;

/// Runs one untitled article per text and returns `id` → (`lang`, `lang_confidence`).
fn langs(texts: &[(&str, &str)]) -> HashMap<String, (String, f32)> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let lines: Vec<String> = texts
        .iter()
        .map(|(id, text)| serde_json::json!({"id": id, "title": "", "text": text}).to_string())
        .collect();
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let out = dir.path().join("out");
    let output = run(&[input.to_str().unwrap(), "--extract", "frames"], &out);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    read_langs(&out)
}

fn read_langs(out: &Path) -> HashMap<String, (String, f32)> {
    let articles = table(out, "articles");
    let confidence: Vec<f32> = articles
        .column("lang_confidence")
        .unwrap()
        .f32()
        .unwrap()
        .into_no_null_iter()
        .collect();
    strings(&articles, "article_id")
        .into_iter()
        .zip(strings(&articles, "lang"))
        .zip(confidence)
        .map(|((id, lang), c)| (id.unwrap(), (lang.unwrap(), c)))
        .collect()
}

fn assert_langs(texts: &[(&str, &str)], expected: &[(&str, &str)]) {
    let got = langs(texts);
    for (id, lang) in expected {
        let (found, confidence) = &got[*id];
        assert_eq!(found, lang, "{id}: {found} ({confidence})");
        assert!(
            (0.0..=1.0).contains(confidence),
            "{id}: confidence {confidence}"
        );
    }
}

#[test]
fn plain_english_sentences_are_english() {
    let texts = [
        (
            "wto",
            "Clean Air Act regulations were deemed to violate WTO rules.",
        ),
        ("apps", "It's now time to send in your applications."),
    ];
    assert_langs(&texts, &[("wto", "en"), ("apps", "en")]);
}

#[test]
fn turkic_cyrillic_is_not_azerbaijani_unless_it_is() {
    let texts = [
        (
            "kk",
            "Қазақстан Республикасының Президенті бүгін Астанада Әзербайжан елшісімен кездесіп, екі ел арасындағы сауда мәселелерін талқылады.",
        ),
        (
            "ky",
            "Кыргызстандын борбору Бишкек шаарында жаңы мектеп ачылды, ага өкмөттүн өкүлдөрү катышты.",
        ),
        (
            "tt",
            "Татарстан Республикасы Президенты Рөстәм Миңнеханов Казанда киңәшмә үткәрде һәм яңа мәктәпләр төзү турында сөйләште.",
        ),
        (
            "ba",
            "Башҡортостан Республикаһы Башлығы Радий Хәбиров Өфөлә кәңәшмә үткәрҙе.",
        ),
        (
            "az",
            "Азәрбајҹан Республикасы Гарабағ игтисади рајонунда антитерор тәдбирләрини баша чатдырыб, дејә назирлик билдириб.",
        ),
        ("az-short", "Әлијев Бакыда сәфирләри гәбул етди"),
    ];
    let got = langs(&texts);
    for id in ["kk", "ky", "tt", "ba"] {
        assert_ne!(got[id].0, "az", "{id}: {:?}", got[id]);
    }
    assert_eq!(got["kk"].0, "kk");
    assert_eq!(got["az"].0, "az");
    assert_eq!(got["az-short"].0, "az");
}

#[test]
fn short_headlines_get_a_language() {
    let texts = [
        ("en1", "Ceasefire talks resume in Brussels"),
        ("en2", "Refugees reach Goris"),
        ("hy1", "Գորիսում բացվել են ժամանակավոր կացարաններ"),
        ("hy2", "Փախստականները հասան Գորիս"),
        ("az1", "Xankəndidə antiterror tədbirləri başa çatıb"),
        ("az2", "Prezident Ağdamda olub"),
        ("digits", "28.09.2023 12:30"),
    ];
    assert_langs(
        &texts,
        &[
            ("en1", "en"),
            ("en2", "en"),
            ("hy1", "hy"),
            ("hy2", "hy"),
            ("az1", "az"),
            ("az2", "az"),
            ("digits", "und"),
        ],
    );
}

#[test]
fn distractors_and_long_texts() {
    let long_en = "The ministry said on Tuesday that the convoy had reached the border crossing, \
and that aid workers were distributing food, blankets and medicine to the families who had \
been waiting there since the weekend. Officials expect more trucks to arrive by Friday.";
    let texts = [
        ("long-en", long_en),
        (
            "tr",
            "Dışişleri Bakanı, Bakü ziyaretinde iki ülke arasındaki enerji projelerini görüştü.",
        ),
        (
            "ru",
            "Премьер-министр провёл совещание по вопросам восстановления дорог.",
        ),
        (
            "de",
            "Die Regierung hat am Dienstag neue Hilfen für die Flüchtlinge angekündigt.",
        ),
        (
            "fr",
            "Le gouvernement a annoncé mardi de nouvelles aides pour les réfugiés.",
        ),
    ];
    let got = langs(&texts);
    assert_eq!(got["long-en"].0, "en");
    assert!(got["long-en"].1 >= 0.9, "{:?}", got["long-en"]);
    for id in ["tr", "ru", "de", "fr"] {
        assert_eq!(got[id].0, id, "{:?}", got[id]);
    }
}

#[test]
fn the_manifest_names_the_detector_and_extractor() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = run(
        &[
            repo().join("corpora/en.jsonl").to_str().unwrap(),
            "--extract",
            "frames",
        ],
        &out,
    );
    assert!(output.status.success());
    let tools = &manifest(&out)["tools"];
    let detector = tools["language_detector"].as_str().unwrap();
    assert!(detector.starts_with("lingua 1."), "{detector}");
    assert!(detector.contains("whatlang 0."), "{detector}");
    let extractor = tools["html_extractor"].as_str().unwrap();
    assert!(extractor.starts_with("dom_smoothie 0."), "{extractor}");
}
