//! The named-entity models: training from a tiny fixture, clear errors for bad model
//! and training files, the shipped models against the hashes `models/README.md`
//! records, and the evaluation command.

mod common;

use std::path::Path;

use common::*;

fn train(dir: &Path, args: &[&str]) -> std::process::Output {
    std::fs::create_dir_all(dir).unwrap();
    newsframe()
        .args([
            "train-ner",
            "--no-progress",
            "--lang",
            "en",
            "--epochs",
            "8",
        ])
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_tiny_training_set_trains_in_seconds_and_tags_an_unseen_sentence() {
    let tmp = tempfile::tempdir().unwrap();
    let models = tmp.path().join("models");
    let fixture = repo().join("tests/fixtures/ner/tiny-train.conll");
    let started = std::time::Instant::now();
    let out = train(
        &models,
        &[
            "--train",
            fixture.to_str().unwrap(),
            "--dev",
            fixture.to_str().unwrap(),
            "--out",
            models.join("en.ner").to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(started.elapsed().as_secs() < 30);
    // The dev scores are printed per label after each epoch.
    let log = stderr(&out);
    for word in ["epoch 8", "PER", "ORG", "LOC", "overall"] {
        assert!(log.contains(word), "{word} missing in\n{log}");
    }

    tags_the_unseen_sentence(tmp.path(), &models);
}

/// Runs the pipeline with the model in `models` on a sentence of names the training
/// fixture does not hold, and checks that each is tagged by the model.
fn tags_the_unseen_sentence(tmp: &Path, models: &Path) {
    let input = tmp.join("unseen.jsonl");
    std::fs::write(
        &input,
        r#"{"id": "u1", "text": "mayor David Grigoryan of the Water Council said aid reached Sisian on Monday."}"#,
    )
    .unwrap();
    let out = run(
        &[
            input.to_str().unwrap(),
            "--models",
            models.to_str().unwrap(),
            "--extract",
            "entities",
        ],
        &tmp.join("out"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let entities = table(&tmp.join("out"), "entities");
    let rows: Vec<(String, String, String)> = strings(&entities, "surface")
        .into_iter()
        .zip(strings(&entities, "label"))
        .zip(strings(&entities, "method"))
        .map(|((s, l), m)| (s.unwrap(), l.unwrap(), m.unwrap()))
        .collect();
    // Sisian is also in the gazetteer, which gives it its entity id and label (GPE).
    for (surface, labels) in [
        ("David Grigoryan", &["PER"][..]),
        ("Water Council", &["ORG"]),
        ("Sisian", &["LOC", "GPE"]),
    ] {
        assert!(
            rows.iter()
                .any(|(s, l, m)| s == surface && labels.contains(&l.as_str()) && m == "model"),
            "{surface} {labels:?} not in {rows:?}"
        );
    }
}

/// `train-ner --algorithm crf` trains the CRF on the same features into the same model
/// file: it tags the unseen sentence, reports that its 16-bit weights score as the
/// unquantised ones, gives the same bytes for 1 and 4 threads, and refuses a negative
/// L2 strength with exit 2.
#[test]
fn a_crf_model_trains_on_the_same_features_and_tags_an_unseen_sentence() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = repo().join("tests/fixtures/ner/tiny-train.conll");
    let crf = |threads: &str, out: &Path, extra: &[&str]| {
        newsframe()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "train-ner",
                "--no-progress",
                "--lang",
                "en",
                "--algorithm",
                "crf",
            ])
            .args(["--train", fixture.to_str().unwrap()])
            .args(["--dev", fixture.to_str().unwrap()])
            .args(["--out", out.to_str().unwrap()])
            .args(extra)
            .output()
            .unwrap()
    };
    let models = tmp.path().join("models");
    std::fs::create_dir_all(&models).unwrap();
    let out = crf("4", &models.join("en.ner"), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let log = stderr(&out);
    for word in ["epoch 12", "training loss", "overall", "unquantised"] {
        assert!(log.contains(word), "{word} missing in\n{log}");
    }
    tags_the_unseen_sentence(tmp.path(), &models);

    let again = tmp.path().join("one-thread.ner");
    let out = crf("1", &again, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(models.join("en.ner")).unwrap()
    );

    let out = crf("1", &tmp.path().join("bad.ner"), &["--l2=-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--l2"), "{}", stderr(&out));
    assert!(!tmp.path().join("bad.ner").exists());
}

#[test]
fn the_same_seed_gives_the_same_model() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = repo().join("tests/fixtures/ner/tiny-train.conll");
    let mut files = Vec::new();
    for name in ["a.ner", "b.ner"] {
        let path = tmp.path().join(name);
        let out = train(
            tmp.path(),
            &[
                "--seed",
                "7",
                "--train",
                fixture.to_str().unwrap(),
                "--out",
                path.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        files.push(std::fs::read(path).unwrap());
    }
    assert_eq!(files[0], files[1]);
}

#[test]
fn bad_training_files_name_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.conll");
    std::fs::write(&bad, "Armenia B-LOC\nsaid\n").unwrap();
    let out = train(
        tmp.path(),
        &[
            "--train",
            bad.to_str().unwrap(),
            "--out",
            tmp.path().join("m.ner").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("bad.conll:2: expected a token and a tag"),
        "{}",
        stderr(&out)
    );
    assert!(!tmp.path().join("m.ner").exists());

    let tags = tmp.path().join("x-tags.txt");
    let sents = tmp.path().join("x-sents.txt");
    std::fs::write(&sents, "İlham Əliyev danışıb\nBakı\n").unwrap();
    std::fs::write(&tags, "B-PER I-PER O\nB-LOC O\n").unwrap();
    let out = train(
        tmp.path(),
        &[
            "--train",
            sents.to_str().unwrap(),
            "--out",
            tmp.path().join("m.ner").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("x-tags.txt:2: 2 tags for 1 tokens"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_model_files_are_clear_errors_not_panics() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("a.jsonl");
    std::fs::write(
        &input,
        r#"{"text": "Edmon Marukyan said on Tuesday that over 100,000 people had fled."}"#,
    )
    .unwrap();
    let shipped = std::fs::read(repo().join("models/en.ner")).unwrap();
    for (name, bytes, message) in [
        (
            "garbage",
            b"not a model at all".to_vec(),
            "not a newsframe NER model",
        ),
        (
            "truncated",
            shipped[..shipped.len() / 2].to_vec(),
            "corrupt data",
        ),
    ] {
        let models = tmp.path().join(name);
        std::fs::create_dir_all(&models).unwrap();
        std::fs::write(models.join("en.ner"), bytes).unwrap();
        let out = run(
            &[
                input.to_str().unwrap(),
                "--models",
                models.to_str().unwrap(),
            ],
            &tmp.path().join(format!("out-{name}")),
        );
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(message) && err.contains("en.ner"),
            "{name}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    let out = run(
        &[input.to_str().unwrap(), "--models", "no/such/models"],
        &tmp.path().join("out-missing"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no/such/models: no such folder of models"));
}

#[test]
fn shipped_models_load_and_match_the_hashes_in_models_readme() {
    let readme = std::fs::read_to_string(repo().join("models/README.md")).unwrap();
    for lang in languages() {
        let path = repo().join(format!("models/{lang}.ner"));
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() <= 25 << 20, "{lang}: {} bytes", bytes.len());
        let model = newsframe::extract::ner::Model::from_bytes(&bytes).unwrap();
        assert_eq!(model.header.lang, lang);
        let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `models/{lang}.ner`")))
            .unwrap_or_else(|| panic!("no row for {lang} in models/README.md"));
        assert!(row.contains(&hash), "{lang}: hash {hash} not in {row}");
    }
}

#[test]
fn eval_ner_prints_scores_per_label_for_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let doccano = tmp.path().join("d.jsonl");
    std::fs::write(
        &doccano,
        r#"{"id": 1, "text": "Foreign Minister Ararat Mirzoyan met Jeyhun Bayramov in Geneva on Monday.", "labels": [[17, 32, "PERSON"], [37, 52, "PERSON"], [56, 62, "GPE"]]}"#,
    )
    .unwrap();
    for file in [
        repo().join("tests/ner/en.conll"),
        repo().join("tests/fixtures/ner/tiny-train.conll"),
        doccano,
    ] {
        let out = newsframe()
            .args(["eval-ner", "--lang", "en"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        for word in ["PER", "overall", "precision", "recall", "F1"] {
            assert!(text.contains(word), "{word} missing in\n{text}");
        }
    }
}

/// `train-ner --clusters` records the cluster file's hash in the model; the model is
/// then loaded only next to that file: missing, corrupt or another file is exit 2 with
/// the file named, never a panic or a model used with other features. A bad cluster
/// file given to `train-ner` names its line.
#[test]
fn a_model_trained_with_word_clusters_needs_its_cluster_file() {
    let tmp = tempfile::tempdir().unwrap();
    let models = tmp.path().join("models");
    let fixture = repo().join("tests/fixtures/ner/tiny-train.conll");
    let clusters = tmp.path().join("en.clusters.tsv");
    // Towns, people and institution words in clusters of their own; `sisian` and
    // `grigoryan` never occur in the training file.
    let file = "# test clusters\nkapan\t0100\ngoris\t0101\nsisian\t0101\nmadrid\t0110\n\
                tigran\t1000\nsargsyan\t1001\ngrigoryan\t1001\ncouncil\t1100\nboard\t1101\n";
    std::fs::write(&clusters, file).unwrap();
    let train_with = |clusters: &Path, out: &Path| {
        train(
            &models,
            &[
                "--train",
                fixture.to_str().unwrap(),
                "--clusters",
                clusters.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        )
    };
    let out = train_with(&clusters, &models.join("en.ner"));
    assert!(out.status.success(), "{}", stderr(&out));
    let again = train_with(&clusters, &tmp.path().join("again.ner"));
    assert!(again.status.success());
    assert_eq!(
        std::fs::read(models.join("en.ner")).unwrap(),
        std::fs::read(tmp.path().join("again.ner")).unwrap(),
        "same seed, same clusters, same bytes"
    );

    let input = tmp.path().join("unseen.jsonl");
    std::fs::write(
        &input,
        r#"{"id": "u1", "text": "mayor Tigran Grigoryan of the Water Board said aid reached Sisian on Monday."}"#,
    )
    .unwrap();
    let run_with = |name: &str, cluster_file: Option<&[u8]>| {
        let dir = tmp.path().join(format!("models-{name}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(models.join("en.ner"), dir.join("en.ner")).unwrap();
        if let Some(bytes) = cluster_file {
            std::fs::write(dir.join("en.clusters.tsv"), bytes).unwrap();
        }
        run(
            &[
                input.to_str().unwrap(),
                "--models",
                dir.to_str().unwrap(),
                "--extract",
                "entities",
            ],
            &tmp.path().join(format!("out-{name}")),
        )
    };
    let ok = run_with("ok", Some(file.as_bytes()));
    assert!(ok.status.success(), "{}", stderr(&ok));
    let entities = table(&tmp.path().join("out-ok"), "entities");
    let surfaces: Vec<String> = strings(&entities, "surface")
        .into_iter()
        .flatten()
        .collect();
    assert!(
        surfaces.iter().any(|s| s == "Tigran Grigoryan"),
        "{surfaces:?}"
    );
    let other = file.replace("sisian\t0101", "sisian\t0110");
    for (name, bytes, message) in [
        ("missing", None, "en.clusters.tsv"),
        (
            "corrupt",
            Some(&b"kapan 0100\n"[..]),
            "not a word-cluster file of newsframe (line 1",
        ),
        (
            "other",
            Some(other.as_bytes()),
            "the model was trained with the clusters of xxh3",
        ),
    ] {
        let out = run_with(name, bytes);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains(message) && err.contains("en.clusters.tsv"),
            "{name}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }

    std::fs::write(&clusters, "kapan\t0100\ngoris\t01x1\n").unwrap();
    let out = train_with(&clusters, &tmp.path().join("bad.ner"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("en.clusters.tsv: line 2"),
        "{}",
        stderr(&out)
    );
}
