//! Any text as an HTML page: main-text extraction never panics, and what it extracts
//! goes through prepare and every extractor with the invariants kept.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use newsframe::ingest::{extract_html, RawArticle};
use newsframe::invariants::Checker;

static CHECKER: LazyLock<Checker> = LazyLock::new(|| Checker::bundled(None));

fuzz_target!(|html: &str| {
    let (title, text) = extract_html(html, Some("https://example.org/news/a"));
    let raw = RawArticle {
        title,
        text,
        ..RawArticle::default()
    };
    if let Err(broken) = CHECKER.check_article(raw) {
        panic!("{broken}");
    }
});
