//! Property tests (stable Rust, part of `cargo test`): for generated inputs in every
//! format and generated article texts in the three languages, readers and prepare never
//! panic, offsets lie inside the text on character boundaries, and every figure is
//! finite. The same checks run unbounded in the fuzz targets under `fuzz/`.

use std::sync::LazyLock;

use newsframe::ingest::{RawArticle, ReadLimits};
use newsframe::invariants::Checker;
use proptest::prelude::*;

static CHECKER: LazyLock<Checker> = LazyLock::new(|| Checker::bundled(None));

/// Small, so that the oversized path is exercised too.
const LIMITS: ReadLimits = ReadLimits {
    max_record_bytes: 600,
};

/// Pieces that make generated text look like news in en/hy/az, with the characters and
/// numbers that have broken parsers before: huge digit runs, separators, combining marks.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Officials said ".to_string()),
        Just("Prime Minister Pashinyan met Aliyev in Brussels. ".to_string()),
        Just("Ermənistan və Azərbaycan sülh sazişi imzalayıb. ".to_string()),
        Just("Հայաստանի վարչապետը հայտարարել է, որ ".to_string()),
        Just("about 1,200 people fled; ".to_string()),
        Just("between 3 and 5 million ".to_string()),
        Just("«refugees» ".to_string()),
        Just("\"we will not\", he said. ".to_string()),
        Just("\n\n".to_string()),
        Just("9".repeat(320)),
        Just("1e308 ".to_string()),
        Just("0.000000000000000000000000000001 ".to_string()),
        Just("Dr. Mr. U.S. ".to_string()),
        Just("e\u{301}\u{200d}\u{feff}".to_string()),
        "[0-9.,%$€ ]{0,12}",
        "\\PC{0,16}",
    ]
}

fn article_text() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..24).prop_map(|parts| parts.concat())
}

/// JSON-like bytes: structure characters, strings, escapes, and article fields.
fn json_like() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("\n".to_string()),
        Just("\"text\":".to_string()),
        Just("\"title\":".to_string()),
        Just("\"published\":".to_string()),
        Just("\"2024-02-30T25:61:00Z\"".to_string()),
        Just("\"\\ud800\"".to_string()),
        Just("1e999".to_string()),
        article_text().prop_map(|t| serde_json::to_string(&t).unwrap()),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|p| p.concat().into_bytes())
}

/// WARC-like bytes: header lines, lengths (true and false), HTTP messages, HTML.
fn warc_like() -> impl Strategy<Value = Vec<u8>> {
    let record = (article_text(), 0usize..3, any::<bool>()).prop_map(|(text, lie, gzip)| {
        let html = format!(
            "<html lang=\"en\"><head><title>T</title></head><body><article><p>{text}</p>\
             </article></body></html>"
        );
        let encoding = if gzip {
            "Content-Encoding: gzip\r\n"
        } else {
            ""
        };
        let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n{encoding}\r\n{html}");
        let len = match lie {
            0 => block.len(),
            1 => block.len() / 2,
            _ => block.len() + 7,
        };
        format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/a\r\n\
             Content-Length: {len}\r\n\r\n{block}\r\n\r\n"
        )
    });
    prop::collection::vec(record, 0..4).prop_map(|r| r.concat().into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_in_any_format(
        bytes in prop::collection::vec(any::<u8>(), 0..2000),
        name in prop::sample::select(vec!["a.jsonl", "a.json", "a.txt", "a.warc", "a.dat"]),
    ) {
        CHECKER.check_file(name, &bytes, &LIMITS).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn json_like_input_as_json_and_jsonl(bytes in json_like()) {
        for name in ["a.json", "a.jsonl"] {
            CHECKER.check_file(name, &bytes, &LIMITS).map_err(TestCaseError::fail)?;
        }
    }

    #[test]
    fn warc_like_input(bytes in warc_like()) {
        CHECKER
            .check_file("a.warc", &bytes, &ReadLimits::default())
            .map_err(TestCaseError::fail)?;
    }

    #[test]
    fn articles_prepare_and_extract_with_valid_offsets_and_finite_figures(
        title in prop::option::of(article_text()),
        text in article_text(),
        hint in prop::option::of(prop::sample::select(vec!["en", "hy", "az", "ru"])),
    ) {
        let raw = RawArticle {
            title,
            text,
            language_hint: hint.map(str::to_string),
            ..RawArticle::default()
        };
        CHECKER.check_article(raw).map_err(TestCaseError::fail)?;
    }
}

/// The checks are not vacuous: a real article yields figures that pass, and a mention
/// whose offsets miss its surface, or an infinite figure, is caught.
#[test]
fn the_checker_passes_a_real_article_and_catches_broken_mentions() {
    let raw = RawArticle {
        title: Some("Floods".to_string()),
        text: "Officials said about 1,200 people fled the floods on Monday.".to_string(),
        ..RawArticle::default()
    };
    CHECKER.check_article(raw.clone()).unwrap();
    let doc = CHECKER
        .preparer
        .prepare(raw, std::sync::Arc::from("t"), 0)
        .unwrap();
    let mut mentions = CHECKER.extractors.extract(&doc);
    assert!(!mentions.figures().is_empty(), "a figure is found");
    newsframe::invariants::check_mentions(&doc, &mentions).unwrap();
    fn figures(
        m: &mut newsframe::extract::Mentions,
    ) -> &mut Vec<newsframe::extract::figures::FigureMention> {
        m.of_mut().expect("figures ran")
    }
    figures(&mut mentions)[0].value = f64::INFINITY;
    assert!(newsframe::invariants::check_mentions(&doc, &mentions).is_err());
    figures(&mut mentions)[0].value = 1.0;
    figures(&mut mentions)[0].base.start += 1;
    assert!(newsframe::invariants::check_mentions(&doc, &mentions).is_err());
}

/// Inputs the fuzz targets once crashed on (`tests/fixtures/fuzz/<target>/`, copied from
/// `fuzz/artifacts/`), replayed the way the article targets read them: the first line is
/// the title. Each must now pass every check.
#[test]
fn inputs_that_once_crashed_a_fuzz_target_pass_the_checks() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut replayed = 0;
    for target in std::fs::read_dir(&root).unwrap() {
        let target = target.unwrap().path();
        let checker = Checker::bundled(Some(&[target.file_name().unwrap().to_str().unwrap()]));
        for input in std::fs::read_dir(&target).unwrap() {
            let input = input.unwrap().path();
            let bytes = std::fs::read(&input).unwrap();
            // As the `&str` targets receive it: the longest valid UTF-8 prefix.
            let text = match std::str::from_utf8(&bytes) {
                Ok(text) => text,
                Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap(),
            };
            if let Err(broken) = checker.check_text(text) {
                panic!("{}: {broken}", input.display());
            }
            replayed += 1;
        }
    }
    assert!(
        replayed > 0,
        "no fuzz regression inputs under {}",
        root.display()
    );
}

/// The example of the crate documentation (`src/lib.rs` shows this file) runs.
#[test]
fn the_crate_doc_example_runs() -> Result<(), Box<dyn std::error::Error>> {
    include!("common/crate_doc_example.rs")
}
