//! End-to-end tests of nightly runs into one output folder: skipping inputs already
//! processed, `duplicate_of` across runs, `--overwrite`, the lock, crash safety with
//! real killed processes, `--summary-json` and exit codes, and `--shard`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use polars::prelude::*;

const A: &str = "More than one hundred thousand people have fled the region since the offensive began, officials said on Sunday.";
const B: &str = "The government announced new sanctions on Monday against three companies accused of supplying fuel.";
const C: &str = "Talks between the two delegations resumed in Brussels on Tuesday after a pause of several weeks.";

/// `run` with `--summary-json`, returning the exit code and the parsed summary.
fn run_summary(args: &[&str], out: &Path) -> (i32, serde_json::Value, String) {
    let mut all = args.to_vec();
    all.push("--summary-json");
    let output = run(&all, out);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let summary =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("summary: {e}: {stderr}"));
    (output.status.code().unwrap(), summary, stderr)
}

/// Final part files of a table (recursively), sorted; each must open with polars.
fn parts(out: &Path, table: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![out.join(table)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                found.push(p);
            }
        }
    }
    found.sort();
    found
}

fn read_part(path: &Path) -> DataFrame {
    ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

type Contents = (BTreeMap<String, usize>, Vec<(String, Option<String>)>);

/// What a dataset holds: per table row count, and sorted (article_id, duplicate_of).
fn contents(out: &Path) -> Contents {
    contents_of(out, false)
}

/// The run ids that have a run manifest (the commit marker).
fn committed(out: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(out.join("manifests")) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .filter_map(|n| n.strip_suffix(".json").map(str::to_string))
        .collect()
}

/// `contents`, of all final parts or only of committed runs' parts.
fn contents_of(out: &Path, committed_only: bool) -> Contents {
    let runs = committed(out);
    let mut rows = BTreeMap::new();
    let mut ids = Vec::new();
    for table in tables() {
        for part in parts(out, table) {
            let name = part.file_name().unwrap().to_string_lossy().into_owned();
            let run = name
                .strip_prefix("part-")
                .and_then(|n| n.strip_suffix(".parquet"))
                .unwrap();
            if committed_only && !runs.iter().any(|r| r == run) {
                continue;
            }
            let df = read_part(&part);
            *rows.entry(table.to_string()).or_default() += df.height();
            if table == "articles" {
                let id = strings(&df, "article_id");
                let dup = strings(&df, "duplicate_of");
                ids.extend(id.into_iter().map(Option::unwrap).zip(dup));
            }
        }
    }
    ids.sort();
    (rows, ids)
}

#[test]
fn second_run_adds_nothing_and_new_inputs_add_only_themselves_with_duplicates_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_file(
        &input.join("2023-09-27.jsonl"),
        &(jsonl_line("a1", A) + &jsonl_line("a2", B)),
    );
    let out = dir.path().join("out");
    let arg = input.to_str().unwrap();

    let (code, first, _) = run_summary(&[arg], &out);
    assert_eq!(code, 0);
    assert_eq!(first["articles"], 2);
    assert_eq!(first["inputs_processed"], 1);

    let (code, second, stderr) = run_summary(&[arg], &out);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(second["articles"], 0);
    assert_eq!(second["inputs_skipped"], 1);
    assert_eq!(second["skipped_inputs"][0]["reason"], "already_processed");
    assert_eq!(second["skipped_inputs"][0]["run_id"], first["run_id"]);
    assert_eq!(parts(&out, "articles").len(), 1, "no empty part added");
    assert_eq!(contents(&out).0["articles"], 2);

    // A new file next to the old one: only it is read; its copy of A points to a1.
    write_file(
        &input.join("2023-09-28.jsonl"),
        &(jsonl_line("b1", C) + &jsonl_line("b2", A)),
    );
    let (code, third, _) = run_summary(&[arg], &out);
    assert_eq!(code, 0);
    assert_eq!(
        (third["articles"].as_u64(), third["inputs_skipped"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(third["duplicates"], 1);
    let (rows, ids) = contents(&out);
    assert_eq!(rows["articles"], 4);
    assert_eq!(parts(&out, "articles").len(), 2);
    assert!(
        ids.contains(&("b2".to_string(), Some("a1".to_string()))),
        "{ids:?}"
    );
    let runs = std::fs::read_dir(out.join("manifests")).unwrap().count();
    assert_eq!(runs, 3, "every run leaves its manifest");

    // A changed file (same path, other content) is read again.
    write_file(
        &input.join("2023-09-27.jsonl"),
        jsonl_line(
            "a3",
            "Completely new text about a ceasefire that was announced late on Wednesday night.",
        ),
    );
    let (_, fourth, _) = run_summary(&[arg], &out);
    assert_eq!(fourth["inputs_processed"], 1);
    assert_eq!(fourth["articles"], 1);

    // Same size, other bytes: the hash differs, so it is read again (the recorded hash
    // is reused only while path, size and modification time all match).
    let path = input.join("2023-09-28.jsonl");
    let before = std::fs::read_to_string(&path).unwrap();
    let after = before.replace("Brussels", "Brussel!");
    assert_eq!(before.len(), after.len());
    write_file(&path, &after);
    let (_, same_size, _) = run_summary(&[arg], &out);
    assert_eq!(same_size["inputs_processed"], 1);
    let (_, unchanged, _) = run_summary(&[arg], &out);
    assert_eq!(unchanged["inputs_processed"], 0);

    // --overwrite starts afresh.
    let (code, fresh, _) = run_summary(&[arg, "--overwrite"], &out);
    assert_eq!(code, 0);
    assert_eq!(fresh["inputs_processed"], 2);
    assert_eq!(contents(&out).0["articles"], 3);
    assert_eq!(std::fs::read_dir(out.join("manifests")).unwrap().count(), 1);
}

#[test]
fn exit_code_3_above_max_reject_rate_and_summary_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("d.jsonl");
    write_file(&input, &(jsonl_line("a1", A) + "not json\n"));
    let arg = input.to_str().unwrap();
    let (code, summary, _) =
        run_summary(&[arg, "--max-reject-rate", "0.2"], &dir.path().join("o1"));
    assert_eq!(code, 3);
    assert_eq!(summary["status"], "done_with_rejects_above_limit");
    assert_eq!(summary["rejects_by_reason"]["invalid_json"], 1);
    assert_eq!(summary["reject_rate"], 0.5);
    for key in [
        "elapsed_seconds",
        "megabytes_per_second",
        "articles_per_second",
        "skipped_inputs",
    ] {
        assert!(!summary[key].is_null(), "{key}");
    }
    let (code, _, _) = run_summary(&[arg, "--max-reject-rate", "0.5"], &dir.path().join("o2"));
    assert_eq!(code, 0);
    let (code, failed, _) = run_summary(&["/no/such.jsonl"], &dir.path().join("o3"));
    assert_eq!((code, failed["status"].as_str()), (2, Some("usage_error")));
    let bad = run(&[arg, "--shard", "2/2"], &dir.path().join("o4"));
    assert_eq!(bad.status.code(), Some(2));
    // Logs honour RUST_LOG: nothing below `error` with RUST_LOG=error.
    let quiet = newsframe()
        .env("RUST_LOG", "error")
        .args(["run", arg, "--no-progress", "--out"])
        .arg(dir.path().join("o5"))
        .output()
        .unwrap();
    assert!(quiet.status.success());
    assert!(
        quiet.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&quiet.stderr)
    );
}

/// A bench corpus of about `mb` MB split into `files` JSONL files under `dir`.
fn split_corpus(dir: &Path, mb: usize, files: usize) -> PathBuf {
    let whole = dir.join("whole.jsonl");
    bench_corpus(&whole, mb);
    let text = std::fs::read_to_string(&whole).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let input = dir.join("crawl");
    let per = lines.len().div_ceil(files);
    for (i, chunk) in lines.chunks(per).enumerate() {
        write_file(
            &input.join(format!("day-{i:02}.jsonl")),
            &(chunk.join("\n") + "\n"),
        );
    }
    std::fs::remove_file(whole).unwrap();
    input
}

fn spawn_run(input: &Path, out: &Path, crash_at: Option<&str>) -> Child {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("newsframe"));
    cmd.args([
        "run",
        "--no-progress",
        "--threads",
        "1",
        "--extract",
        "frames",
        "--out",
    ])
    .arg(out)
    .arg(input)
    .env_remove("RUST_LOG")
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    if let Some(point) = crash_at {
        cmd.env("NEWSFRAME_CRASH_AT", point);
    }
    cmd.spawn().unwrap()
}

fn finish(child: &mut Child) -> bool {
    child.wait().unwrap().success()
}

/// Every final part opens, and the dataset is one of the committed states.
fn assert_readable(out: &Path) {
    for table in tables() {
        for part in parts(out, table) {
            read_part(&part);
        }
    }
    if out.join("manifest.json").exists() {
        manifest(out);
    }
}

#[test]
fn runs_killed_at_any_point_leave_a_readable_dataset_and_the_rerun_equals_an_uninterrupted_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = split_corpus(dir.path(), 4, 4);
    // The reference: one uninterrupted run.
    let reference = dir.path().join("reference");
    assert!(finish(&mut spawn_run(&input, &reference, None)));
    let expected = contents(&reference);
    assert!(expected.0["articles"] > 500);

    // Crashes at each step of the commit, then SIGKILL after a few delays mid-stream.
    let points = [
        "before_publish",
        "mid_publish",
        "before_run_manifest",
        "before_manifest_json",
    ];
    let mut cases: Vec<(String, Option<&str>, Option<u64>)> = points
        .iter()
        .map(|p| (p.to_string(), Some(*p), None))
        .collect();
    for ms in [80, 300, 600] {
        cases.push((format!("sigkill after {ms} ms"), None, Some(ms)));
    }
    let mut killed_mid_run = 0;
    for (name, point, delay) in cases {
        let out = dir.path().join(format!("out-{}", name.replace(' ', "-")));
        let mut child = spawn_run(&input, &out, point);
        match delay {
            Some(ms) => {
                std::thread::sleep(Duration::from_millis(ms));
                let _ = child.kill(); // SIGKILL
                child.wait().unwrap();
            }
            None => assert!(
                !finish(&mut child),
                "{name}: the crash point was not reached"
            ),
        }
        assert_readable(&out);
        // Parts of a run without a run manifest are not part of the dataset (only the
        // `mid_publish` crash can leave such parts under final names; the next run
        // removes them).
        let before = contents_of(&out, true);
        if delay.is_some() && committed(&out).is_empty() {
            killed_mid_run += 1;
        }
        if committed(&out).is_empty() {
            assert!(
                before.1.is_empty(),
                "{name}: an uncommitted run is invisible"
            );
        } else {
            assert_eq!(before, expected, "{name}: a committed run is complete");
        }
        let mut rerun = spawn_run(&input, &out, None);
        assert!(finish(&mut rerun), "{name}: rerun failed");
        assert_eq!(
            contents(&out),
            expected,
            "{name}: rerun differs from the reference"
        );
        // Exactly once: the committed manifests list each input once.
        let mut seen_inputs = Vec::new();
        for e in std::fs::read_dir(out.join("manifests")).unwrap().flatten() {
            let m: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(e.path()).unwrap()).unwrap();
            for i in m["inputs"].as_array().unwrap() {
                seen_inputs.push(i["path"].as_str().unwrap().to_string());
            }
        }
        seen_inputs.sort();
        assert_eq!(seen_inputs.len(), 4, "{name}: {seen_inputs:?}");
        seen_inputs.dedup();
        assert_eq!(seen_inputs.len(), 4, "{name}");
    }
    assert!(
        killed_mid_run > 0,
        "every SIGKILL came after the commit; use a bigger input"
    );
}

#[test]
fn a_second_run_on_the_same_folder_is_refused_and_a_dead_holders_lock_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let input = split_corpus(dir.path(), 6, 1);
    let out = dir.path().join("out");
    let mut first = spawn_run(&input, &out, None);
    let lock = out.join(".newsframe.lock");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::fs::read_to_string(&lock).map_or(true, |s| s.is_empty()) {
        assert!(
            Instant::now() < deadline,
            "the first run never took the lock"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let small = dir.path().join("small.jsonl");
    write_file(&small, jsonl_line("s1", A));
    let (code, summary, stderr) = run_summary(&[small.to_str().unwrap()], &out);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("another newsframe run (pid {}", first.id())),
        "{stderr}"
    );
    assert_eq!(summary["status"], "failed");
    assert!(
        first.try_wait().unwrap().is_none(),
        "the first run must still be running"
    );
    first.kill().unwrap();
    first.wait().unwrap();
    let (code, _, stderr) = run_summary(&[small.to_str().unwrap()], &out);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("stale lock"), "{stderr}");
}

#[test]
fn shards_together_equal_one_unsharded_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("crawl");
    let texts = [A, B, C];
    for i in 0..12 {
        let text = format!("{} Report number {i} from the field.", texts[i % 3]);
        write_file(
            &input.join(format!("site-{}/day-{i:02}.jsonl", i % 2)),
            jsonl_line(&format!("n{i}"), &text),
        );
    }
    let arg = input.to_str().unwrap();
    let whole = dir.path().join("whole");
    assert!(run(&[arg], &whole).status.success());
    let merged = dir.path().join("merged");
    let mut counts = Vec::new();
    for k in 0..2 {
        let shard = format!("{k}/2");
        let (code, s, _) = run_summary(&[arg, "--shard", &shard], &merged);
        assert_eq!(code, 0);
        counts.push(s["inputs_processed"].as_u64().unwrap());
        assert_eq!(
            s["inputs_processed"].as_u64().unwrap() + s["inputs_in_other_shards"].as_u64().unwrap(),
            12
        );
    }
    assert!(counts.iter().all(|&n| n > 0), "{counts:?}");
    assert_eq!(contents(&merged), contents(&whole));

    // Shards on separate machines: separate folders, merged by copying as README says.
    let copied = dir.path().join("copied");
    for k in 0..2 {
        let own = dir.path().join(format!("shard-{k}"));
        let (code, _, _) = run_summary(&[arg, "--shard", &format!("{k}/2")], &own);
        assert_eq!(code, 0);
        copy_dataset(&own, &copied);
    }
    assert_eq!(contents(&copied), contents(&whole));
    let (code, after, _) = run_summary(&[arg], &copied);
    assert_eq!(code, 0);
    assert_eq!(
        (
            after["inputs_processed"].as_u64(),
            after["inputs_skipped"].as_u64()
        ),
        (Some(0), Some(12))
    );
    assert_eq!(manifest(&copied)["run_id"], after["run_id"]);
    // The same split whatever the folder is called (machines mount crawls differently).
    let moved = dir.path().join("elsewhere");
    std::fs::rename(&input, &moved).unwrap();
    let (_, again, _) = run_summary(
        &[moved.to_str().unwrap(), "--shard", "0/2"],
        &dir.path().join("o"),
    );
    assert_eq!(again["inputs_processed"].as_u64(), Some(counts[0]));
}

#[test]
fn partition_by_published_day_writes_hive_folders_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let by_day = ["--partition-by", "published:day"];
    let dated = |day: &str, id: &str, text: &str| {
        serde_json::json!({"id": id, "title": "Report", "text": text, "published": format!("{day}T10:00:00Z")})
            .to_string()
            + "\n"
    };
    let first = dir.path().join("a.jsonl");
    write_file(
        &first,
        &(dated("2023-09-27", "a1", A) + &dated("2023-09-28", "a2", B) + &jsonl_line("a3", C)),
    );
    let second = dir.path().join("b.jsonl");
    write_file(
        &second,
        dated("2023-09-28", "b1", &format!("{C} Later that day.")),
    );
    for input in [&first, &second] {
        let mut args = vec![input.to_str().unwrap()];
        args.extend(by_day);
        let (code, _, stderr) = run_summary(&args, &out);
        assert_eq!(code, 0, "{stderr}");
    }
    let mut folders: Vec<String> = std::fs::read_dir(out.join("articles"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(
        folders,
        [
            "published_day=2023-09-27",
            "published_day=2023-09-28",
            "published_day=__HIVE_DEFAULT_PARTITION__"
        ]
    );
    assert_eq!(parts(&out, "articles").len(), 4, "one part per run and day");
    for part in parts(&out, "articles") {
        let folder = part
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let df = read_part(&part);
        let published = df
            .column("published")
            .unwrap()
            .cast(&DataType::Int64)
            .unwrap();
        for ms in published.i64().unwrap().iter() {
            let day = match ms {
                Some(ms) => chrono::DateTime::from_timestamp_millis(ms)
                    .unwrap()
                    .format("%Y-%m-%d")
                    .to_string(),
                None => "__HIVE_DEFAULT_PARTITION__".to_string(),
            };
            assert_eq!(folder, format!("published_day={day}"));
        }
    }
    assert!(!parts(&out, "frames").is_empty() || !parts(&out, "entities").is_empty());
    assert!(
        parts(&out, "rejects")
            .iter()
            .all(|p| p.parent().unwrap() == out.join("rejects")),
        "rejects are not partitioned"
    );
    // A run with another layout would mix layouts in one folder: refused.
    let output = run(&[second.to_str().unwrap()], &out);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--partition-by published:day"));
}

/// An empty first night (a folder with no article files) commits its run and exits 0;
/// the next night with articles then writes compare/ and the report.
#[test]
fn a_night_without_articles_succeeds() {
    let tmp = tempfile::tempdir().unwrap();
    let night = tmp.path().join("crawl");
    std::fs::create_dir_all(&night).unwrap();
    std::fs::write(night.join("README"), "nothing crawled tonight\n").unwrap();
    let out = tmp.path().join("out");
    let first = run(&[night.to_str().unwrap()], &out);
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(out.join("manifest.json").exists());
    assert!(!out.join("report.html").exists());
    std::fs::write(
        night.join("a.jsonl"),
        "{\"id\": \"a\", \"text\": \"Officials in Yerevan said 100 people had arrived on Monday.\"}\n",
    )
    .unwrap();
    let second = run(&[night.to_str().unwrap()], &out);
    assert_eq!(second.status.code(), Some(0));
    assert!(out.join("report.html").exists());
}
