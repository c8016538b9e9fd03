//! Any text (first line the title) through prepare and the figures extractor: no panic, offsets inside the text on
//! char boundaries, finite numbers.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use newsframe::ingest::RawArticle;
use newsframe::invariants::Checker;

static CHECKER: LazyLock<Checker> = LazyLock::new(|| Checker::bundled(Some(&["figures"])));

fuzz_target!(|input: &str| {
    let (title, text) = input.split_once('\n').unwrap_or(("", input));
    let raw = RawArticle {
        title: Some(title.to_string()),
        text: text.to_string(),
        ..RawArticle::default()
    };
    if let Err(broken) = CHECKER.check_article(raw) {
        panic!("{broken}");
    }
});
