//! `newsframe train-ner`: the command around [`crate::extract::ner::train`].

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

use crate::extract::ner::corpus::Source;
use crate::extract::ner::train::{self, to_token_doc, TrainOptions};
use crate::extract::ner::Featurizer;
use crate::extract::LanguageData;
use crate::lexicon::LexiconSet;
use crate::prepare::Preparer;

pub struct TrainArgs {
    pub lang: String,
    pub train: Vec<String>,
    pub dev: Vec<String>,
    pub out: PathBuf,
    pub epochs: usize,
    pub seed: u64,
    pub algorithm: train::Algorithm,
    pub lexicons: Option<PathBuf>,
    /// Word clusters to use as features (`models/<lang>.clusters.tsv`).
    pub clusters: Option<PathBuf>,
    pub progress: bool,
}

fn file_hash(path: &Path) -> String {
    std::fs::read(path)
        .map(|b| format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&b)))
        .unwrap_or_default()
}

/// Runs the command; usage and input errors exit with 2, a failed write with 1.
pub fn run(args: TrainArgs) -> ExitCode {
    let usage = |message: String| {
        eprintln!("newsframe train-ner: {message}");
        ExitCode::from(2)
    };
    if let train::Algorithm::Crf {
        l2,
        eta,
        min_weight,
    } = args.algorithm
    {
        if !(l2 >= 0.0 && eta > 0.0 && min_weight >= 0.0 && (l2 + eta + min_weight).is_finite()) {
            return usage(format!(
                "--l2 and --min-weight must be at least 0 and --eta above 0 (got {l2}, {min_weight}, {eta})"
            ));
        }
    }
    let lexicons = match &args.lexicons {
        Some(dir) => match LexiconSet::from_dir(dir) {
            Ok(l) => l,
            Err(e) => return usage(e.to_string()),
        },
        None => LexiconSet::bundled(),
    };
    let data = match LanguageData::load_all(&lexicons) {
        Ok(d) => d,
        Err(e) => return usage(e.to_string()),
    };
    let Some(language) = data.iter().find(|d| d.language.code() == args.lang) else {
        let known: Vec<&str> = data.iter().map(|d| d.language.code()).collect();
        return usage(format!(
            "no language `{}` (known: {})",
            args.lang,
            known.join(", ")
        ));
    };
    let (featurizer, preparer) = match (
        Featurizer::new(&lexicons, language),
        Preparer::new(&lexicons),
    ) {
        (Ok(f), Ok(p)) => (f, p),
        (Err(e), _) | (_, Err(e)) => return usage(e.to_string()),
    };
    let (featurizer, clusters_used) = match &args.clusters {
        None => (featurizer, serde_json::Value::Null),
        Some(path) => {
            let read = std::fs::read(path)
                .map_err(|e| e.to_string())
                .and_then(|b| crate::extract::ner::clusters::Clusters::parse(&b));
            match read {
                Ok(c) => {
                    let used = serde_json::json!({"file": path.file_name()
                        .map(|n| n.to_string_lossy().into_owned()), "xxh3": c.hash, "words": c.len()});
                    (featurizer.with_clusters(c), used)
                }
                Err(e) => return usage(format!("{}: {e}", path.display())),
            }
        }
    };
    let parse =
        |files: &[String]| -> Vec<Source> { files.iter().map(|f| Source::parse(f)).collect() };
    let (train_sources, dev_sources) = (parse(&args.train), parse(&args.dev));
    let mut log = String::new();
    let (train_docs, dev_docs) = match (
        train::read_sources(&train_sources, &mut log),
        train::read_sources(&dev_sources, &mut log),
    ) {
        (Ok(t), Ok(d)) => (t, d),
        (Err(e), _) | (_, Err(e)) => return usage(e.to_string()),
    };
    eprint!("{log}");
    if train_docs.is_empty() {
        return usage("the training files hold no documents".into());
    }
    let project = |docs: Vec<_>| -> Vec<_> {
        docs.into_par_iter()
            .map(|d| to_token_doc(d, &preparer, &args.lang))
            .collect()
    };
    let (train_docs, dev_docs) = (project(train_docs), project(dev_docs));
    let describe = |sources: &[Source]| -> Vec<serde_json::Value> {
        sources
            .iter()
            .map(|s| {
                let name = |p: &Path| {
                    p.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                };
                serde_json::json!({"file": name(&s.path), "xxh3": file_hash(&s.path),
                    "tags": s.tags.as_deref().map(name)})
            })
            .collect()
    };
    let options = TrainOptions {
        lang: args.lang.clone(),
        algorithm: args.algorithm,
        epochs: args.epochs,
        seed: args.seed,
        progress: args.progress,
        provenance: serde_json::json!({"train": describe(&train_sources), "dev": describe(&dev_sources),
            "lexicons": lexicons.hash(), "clusters": clusters_used}),
    };
    let model = train::train(
        &train_docs,
        &dev_docs,
        &featurizer,
        &options,
        &mut |_, report| {
            eprint!("{report}");
        },
    );
    if let Err(e) = model.save(&args.out) {
        eprintln!("newsframe train-ner: {e}");
        return ExitCode::from(1);
    }
    let bytes = std::fs::read(&args.out).unwrap_or_default();
    eprintln!(
        "wrote {}: {} features, {} bytes, xxh3 {:016x}",
        args.out.display(),
        model.features(),
        bytes.len(),
        xxhash_rust::xxh3::xxh3_64(&bytes)
    );
    ExitCode::SUCCESS
}
