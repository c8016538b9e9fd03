//! Any bytes as a `.warc` file: readers, prepare and every extractor keep the invariants
//! of `newsframe::invariants` (no panic, offsets on char boundaries, finite figures).
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use newsframe::ingest::ReadLimits;
use newsframe::invariants::Checker;

static CHECKER: LazyLock<Checker> = LazyLock::new(|| Checker::bundled(None));

fuzz_target!(|data: &[u8]| {
    // A small limit, so that the oversized-record path is fuzzed too.
    let limits = ReadLimits {
        max_record_bytes: 4096,
    };
    if let Err(broken) = CHECKER.check_file("input.warc", data, &limits) {
        panic!("{broken}");
    }
});
