//! Any text (first line the title) through prepare and the entities extractor: no panic, offsets inside the text on
//! char boundaries, finite numbers.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use newsframe::invariants::Checker;

static CHECKER: LazyLock<Checker> = LazyLock::new(|| Checker::bundled(Some(&["entities"])));

fuzz_target!(|input: &str| {
    if let Err(broken) = CHECKER.check_text(input) {
        panic!("{broken}");
    }
});
