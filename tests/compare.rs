//! End-to-end tests of `compare` and `report` on the bundled corpora.

mod common;

use common::*;
use polars::prelude::SerReader;

fn columns(out: &std::path::Path, table: &str) -> Vec<String> {
    let path = out.join("compare").join(format!("{table}.parquet"));
    let df = polars::prelude::ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap();
    df.get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect()
}

#[test]
fn run_leaves_compare_tables_and_a_self_contained_report() {
    let out = &corpora_run().out;
    for table in ["overview", "frames", "entities", "naming", "figures"] {
        assert!(
            out.join("compare")
                .join(format!("{table}.parquet"))
                .exists(),
            "{table}"
        );
    }
    assert_eq!(&columns(out, "frames")[..2], ["lang", "frame_id"]);
    assert!(columns(out, "frames").contains(&"keyness_z".to_string()));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.matches("<svg").count() >= 8, "charts are inline SVG");
    for network in [
        "src=\"http",
        "href=\"http",
        "url(http",
        "@import",
        "<script",
    ] {
        assert!(!html.contains(network), "report fetches nothing: {network}");
    }
    for heading in [
        "Overview",
        "Frames",
        "Naming",
        "Figures",
        "Stepanakert / Khankendi",
    ] {
        assert!(html.contains(heading), "{heading}");
    }
}

#[test]
fn compare_groups_by_source_and_by_language_and_month() {
    // `compare` rewrites compare/: on a copy of the shared run.
    let out = tempfile::tempdir().unwrap();
    copy_dir(&corpora_run().out, out.path());
    let compare = |by: &str| {
        newsframe()
            .args(["compare", out.path().to_str().unwrap(), "--by", by])
            .output()
            .unwrap()
    };
    assert!(compare("source").status.success());
    assert_eq!(columns(out.path(), "overview")[0], "source");
    assert!(compare("lang,published:month").status.success());
    assert_eq!(
        &columns(out.path(), "figures")[..3],
        ["lang", "published_month", "category"]
    );
    let bad = compare("outlet");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("outlet"));
    let missing = newsframe()
        .args(["compare", out.path().join("nothing").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no articles table"));
}

#[test]
fn each_run_refreshes_compare_over_all_committed_parts() {
    let out = tempfile::tempdir().unwrap();
    let corpora = repo().join("corpora");
    let first = run(&[corpora.join("en.jsonl").to_str().unwrap()], out.path());
    assert!(first.status.success());
    let articles = |out: &std::path::Path| -> Vec<(String, u32)> {
        let path = out.join("compare/overview.parquet");
        let df = polars::prelude::ParquetReader::new(std::fs::File::open(path).unwrap())
            .finish()
            .unwrap();
        let langs = strings(&df, "lang");
        let counts: Vec<u32> = df
            .column("articles")
            .unwrap()
            .u32()
            .unwrap()
            .iter()
            .flatten()
            .collect();
        langs.into_iter().flatten().zip(counts).collect()
    };
    assert_eq!(articles(out.path()), vec![("en".to_string(), 10)]);
    // The second run adds the other inputs (en.jsonl is skipped as processed); the
    // comparison covers both runs' parts.
    assert!(run(&[corpora.to_str().unwrap()], out.path())
        .status
        .success());
    let after: Vec<(String, u32)> = articles(out.path());
    assert_eq!(after.iter().map(|(_, n)| n).sum::<u32>(), 38, "{after:?}");
    assert!(after.contains(&("en".to_string(), 12)), "{after:?}");
}
