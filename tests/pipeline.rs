//! End-to-end tests of `newsframe run`: formats, rejects, invariants, determinism,
//! crash safety, language detection on the bundled corpora.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use common::*;

const EN: &str = "More than one hundred thousand people have fled the region since the offensive began, officials said on Sunday.";

#[test]
fn corpora_languages_are_detected_and_distractors_are_not_ours() {
    let out = &corpora_run().out;
    let articles = table(out, "articles");
    let ids = strings(&articles, "article_id");
    let langs = strings(&articles, "lang");
    let files = strings(&articles, "input_file");
    let scripts = strings(&articles, "script");
    let mut per_lang = BTreeMap::<String, usize>::new();
    for i in 0..articles.height() {
        let id = ids[i].clone().unwrap();
        let lang = langs[i].clone().unwrap();
        let file = files[i].clone().unwrap();
        // JSONL ids start with the language; txt articles live in an outlet folder
        // whose language the corpora README gives.
        let expected = if file.ends_with(".txt") {
            if file.contains("tsiatsan-lratu") {
                "hy"
            } else if file.contains("murovdag-ekspress") {
                "az"
            } else {
                "en"
            }
        } else {
            &id[..2]
        };
        assert_eq!(lang, expected, "{id} in {file}");
        if id == "az-006" {
            assert_eq!(scripts[i].as_deref(), Some("Cyrl"), "Cyrillic Azerbaijani");
        }
        *per_lang.entry(lang).or_default() += 1;
    }
    for lang in languages() {
        assert!(per_lang[lang] >= 8, "{lang}: {per_lang:?}");
    }
    assert_eq!(per_lang["tr"], 2);
    assert_eq!(per_lang["ru"], 2);

    let m = manifest(out);
    let c = &m["counts"];
    assert_eq!(
        c["records_read"],
        c["articles"].as_u64().unwrap() + c["rejects"].as_u64().unwrap()
    );
    assert_eq!(
        m["skipped_paths"][0]["path"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next(),
        Some("README.md")
    );
    assert_eq!(m["lexicons"]["origin"], "bundled");
}

#[test]
fn field_aliases_fill_source_and_published() {
    let out = tempfile::tempdir().unwrap();
    let hy = repo().join("corpora/hy.jsonl");
    let az = repo().join("corpora/az.jsonl");
    assert!(
        run(&[hy.to_str().unwrap(), az.to_str().unwrap()], out.path())
            .status
            .success()
    );
    let articles = table(out.path(), "articles");
    assert_eq!(articles.height(), 20);
    for column in ["source", "url", "title"] {
        assert!(
            strings(&articles, column).iter().all(Option::is_some),
            "{column} has nulls"
        );
    }
    assert_eq!(articles.column("published").unwrap().null_count(), 0);
}

#[test]
fn seed_shaped_article_is_one_english_article_without_the_comment_form() {
    let out = tempfile::tempdir().unwrap();
    let seed = repo().join("tests/fixtures/seed-shaped.txt");
    assert!(run(&[seed.to_str().unwrap()], out.path()).status.success());
    let articles = table(out.path(), "articles");
    assert_eq!(articles.height(), 1);
    assert_eq!(strings(&articles, "lang")[0].as_deref(), Some("en"));
    let text = strings(&articles, "text")[0].clone().unwrap();
    let title = strings(&articles, "title")[0].clone().unwrap();
    assert!(text.starts_with(&format!("{title}\n\n")));
    assert!(title.contains("Ethnic Cleansing"));
    assert!(
        !text.contains("Please enter"),
        "trailer left in: {}",
        &text[text.len() - 200..]
    );
    assert!(text.ends_with("propaganda."));
}

/// One input per reject reason, plus good records around them: every record is an
/// article or a reject, and the bad ones say why.
#[test]
fn every_reject_reason_and_records_read_equals_articles_plus_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let big = format!("{{\"text\":\"{}\"}}\n", "word ".repeat(30_000));
    let mut jsonl =
        format!("{{\"text\":\"{EN}\"}}\n{{oops\n[1,2]\n{{\"title\":\"no text\"}}\n{big}");
    jsonl.push_str("{\"text\":\"Please enter your comment!\"}\n");
    let mut bytes = jsonl.into_bytes();
    bytes.extend_from_slice(b"{\"text\":\"caf\xe9\"}\n");
    write_file(&d.join("mixed.jsonl"), &bytes);
    let mut long = String::new();
    for i in 0..3000 {
        long.push_str(&format!("{{\"text\":\"{EN} Number {i}.\"}}\n"));
    }
    let gz = gzip(long.as_bytes());
    write_file(&d.join("cut.jsonl.gz"), &gz[..gz.len() / 2]);
    write_file(&d.join("image.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let unknown = d.join("dump.dat");
    std::fs::write(&unknown, b"\xff\xfe\xfd not text at all \xc3\x28").unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = run(
        &[
            d.join("mixed.jsonl").to_str().unwrap(),
            d.join("cut.jsonl.gz").to_str().unwrap(),
            d.join("image.txt").to_str().unwrap(),
            unknown.to_str().unwrap(),
            "--max-record-bytes",
            "100000",
        ],
        out.path(),
    );
    assert!(
        output.status.success(),
        "rejects are not failures: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rejects = table(out.path(), "rejects");
    let reasons: std::collections::BTreeSet<String> =
        strings(&rejects, "reason").into_iter().flatten().collect();
    let expected: std::collections::BTreeSet<String> = [
        "invalid_json",
        "not_an_object",
        "empty_text",
        "too_large",
        "invalid_utf8",
        "truncated_input",
        "binary_input",
        "unsupported_format",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(reasons, expected);
    for prefix in strings(&rejects, "raw_prefix").into_iter().flatten() {
        assert!(prefix.len() <= 200 + 3 * 2, "raw_prefix is capped");
    }
    let m = manifest(out.path());
    let c = &m["counts"];
    let articles = table(out.path(), "articles").height() as u64;
    assert_eq!(c["articles"].as_u64().unwrap(), articles);
    assert_eq!(c["rejects"].as_u64().unwrap(), rejects.height() as u64);
    assert_eq!(
        c["records_read"].as_u64().unwrap(),
        articles + rejects.height() as u64
    );
    assert!(articles > 100, "records before the gzip cut are kept");
}

#[test]
fn json_arrays_zstd_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_file(
        &d.join("a.json"),
        format!("[{{\"id\":\"a1\",\"text\":\"{EN}\"}},{{\"id\":\"a2\",\"body\":\"{EN} Again.\"}}]")
            .as_bytes(),
    );
    let zst = zstd::encode_all(
        format!("{{\"id\":\"z1\",\"maintext\":\"{EN} Zstd.\"}}\n").as_bytes(),
        3,
    )
    .unwrap();
    write_file(&d.join("b.jsonl.zst"), &zst);
    let out = tempfile::tempdir().unwrap();
    assert!(run(&[d.to_str().unwrap()], out.path()).status.success());
    let ids = strings(&table(out.path(), "articles"), "article_id");
    assert_eq!(
        ids,
        vec![Some("a1".into()), Some("a2".into()), Some("z1".into())]
    );

    let out = tempfile::tempdir().unwrap();
    let stdin = gzip(format!("{{\"id\":\"s1\",\"text\":\"{EN}\"}}\n").as_bytes());
    let output = newsframe()
        .args(["run", "-", "--no-progress", "--out"])
        .arg(out.path())
        .write_stdin(stdin)
        .output()
        .unwrap();
    assert!(output.status.success());
    let articles = table(out.path(), "articles");
    assert_eq!(strings(&articles, "input_file")[0].as_deref(), Some("-"));
    assert_eq!(strings(&articles, "article_id")[0].as_deref(), Some("s1"));
}

#[test]
fn identical_texts_point_to_the_first_article() {
    let dir = tempfile::tempdir().unwrap();
    let line = |id: &str| format!("{{\"id\":\"{id}\",\"title\":\"T\",\"text\":\"{EN}\"}}\n");
    write_file(
        &dir.path().join("d.jsonl"),
        format!("{}{}{}", line("first"), line("second"), line("third")).as_bytes(),
    );
    let out = tempfile::tempdir().unwrap();
    assert!(
        run(&[dir.path().join("d.jsonl").to_str().unwrap()], out.path())
            .status
            .success()
    );
    let dup = strings(&table(out.path(), "articles"), "duplicate_of");
    assert_eq!(dup, vec![None, Some("first".into()), Some("first".into())]);
}

#[test]
fn missing_input_is_a_usage_error_before_any_work() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("never");
    let output = run(&["/no/such/dump.jsonl"], &target);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("input not found: /no/such/dump.jsonl")
    );
    assert!(!target.exists());
}

#[test]
fn output_is_byte_identical_for_one_and_four_threads() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bench.jsonl");
    bench_corpus(&input, 3);
    let mut parts = Vec::new();
    for threads in ["1", "4"] {
        let out = dir.path().join(format!("out{threads}"));
        let output = run(
            &[
                input.to_str().unwrap(),
                "--threads",
                threads,
                "--run-id",
                "fixed",
            ],
            &out,
        );
        assert!(output.status.success());
        parts.push(out);
    }
    for table in ["articles", "rejects", "frames", "entities", "figures"] {
        let part = |out: &Path| std::fs::read(out.join(table).join("part-fixed.parquet")).unwrap();
        let (one, four) = (part(&parts[0]), part(&parts[1]));
        assert!(one.len() > 100 || table == "rejects", "{table} is empty");
        assert!(one == four, "{table} differs between --threads 1 and 4");
    }
}

#[test]
fn a_killed_run_leaves_no_part_under_its_final_name() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bench.jsonl");
    bench_corpus(&input, 60);
    let out = dir.path().join("out");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("newsframe"))
        .args([
            "run",
            input.to_str().unwrap(),
            "--no-progress",
            "--threads",
            "1",
            "--out",
        ])
        .arg(&out)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the run is writing (its temporary part exists), then kill it.
    let deadline = Instant::now() + Duration::from_secs(60);
    let tmp_exists = || {
        std::fs::read_dir(out.join("articles"))
            .map(|d| {
                d.flatten()
                    .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            })
            .unwrap_or(false)
    };
    while !tmp_exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let finished_early = child.try_wait().unwrap().is_some();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !finished_early,
        "the run finished before it could be killed; use a bigger input"
    );
    for table in ["articles", "rejects", "frames", "entities", "figures"] {
        let finals: Vec<_> = std::fs::read_dir(out.join(table))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".parquet"))
            .collect();
        assert!(finals.is_empty(), "{table}: {finals:?}");
    }
    assert!(!out.join("manifest.json").exists());
}

#[test]
fn help_and_usage_errors() {
    let help = newsframe().args(["run", "--help"]).output().unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--threads"));
    let bad = newsframe().args(["run", "x.jsonl"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2), "missing --out");
}

#[test]
fn lexicon_check_reports_file_and_line() {
    let ok = newsframe().args(["lexicon", "check"]).output().unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let dir = tempfile::tempdir().unwrap();
    write_file(
        &dir.path().join("en/boilerplate.tsv"),
        b"kind\tpattern\nline\tShare this\nbanner\tAds\n",
    );
    let bad = newsframe()
        .args(["lexicon", "check"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("en/boilerplate.tsv:3:") && err.contains("banner"),
        "{err}"
    );
}
