//! Computes the word clusters of one language for the NER features
//! (`src/extract/ner/clusters.rs`) from unannotated text, folded by the pipeline.
//!
//! ```sh
//! target/release/examples/ner_clusters --lang hy --out models/hy.clusters.tsv FILE...
//! ```
//! A `.txt` file is one text a line (the langid sentences); a `.jsonl` file is one JSON
//! object a line whose `headline`, `title`, `body` and `text` strings are read (the
//! corpora, doccano files: labels are ignored); anything else is read as `train-ner`
//! reads it (CoNLL, WikiANN TSV, `SENTS+TAGS`) and only its words are used.
//! The same files give the same bytes.

use std::process::ExitCode;

use newsframe::extract::ner::clusters::{compute, compute_bisect, to_file, ClusterOptions};
use newsframe::extract::ner::corpus::{ReadStats, Source};
use newsframe::lexicon::LexiconSet;
use newsframe::prepare::Preparer;

fn texts_of(arg: &str) -> Result<Vec<String>, String> {
    if arg.ends_with(".txt") {
        let text = std::fs::read_to_string(arg).map_err(|e| format!("{arg}: {e}"))?;
        return Ok(text.lines().map(String::from).collect());
    }
    if arg.ends_with(".jsonl") {
        let text = std::fs::read_to_string(arg).map_err(|e| format!("{arg}: {e}"))?;
        let mut out = Vec::new();
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let v: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format!("{arg}:{}: {e}", n + 1))?;
            for field in ["headline", "title", "body", "text"] {
                if let Some(s) = v.get(field).and_then(|s| s.as_str()) {
                    out.push(s.to_string());
                }
            }
        }
        return Ok(out);
    }
    let source = Source::parse(arg);
    let docs = source
        .read(&mut ReadStats::default())
        .map_err(|e| e.to_string())?;
    Ok(docs.into_iter().map(|d| d.text).collect())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut lang, mut out, mut files) = (None, None, Vec::new());
    let mut options = ClusterOptions::default();
    let mut bisect = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--lang" => lang = it.next().cloned(),
            "--out" => out = it.next().cloned(),
            "--min-count" => {
                options.min_count = it.next().and_then(|v| v.parse().ok()).unwrap_or(2)
            }
            "--classes" => options.classes = it.next().and_then(|v| v.parse().ok()).unwrap_or(256),
            "--bisect" => bisect = true,
            "--contexts" => {
                options.contexts = it.next().and_then(|v| v.parse().ok()).unwrap_or(1000)
            }
            _ => files.push(a.clone()),
        }
    }
    let (Some(lang), Some(out)) = (lang, out) else {
        eprintln!(
            "usage: ner_clusters --lang xx --out FILE [--min-count N] [--contexts N] FILE..."
        );
        return ExitCode::from(2);
    };
    let lexicons = LexiconSet::bundled();
    let preparer = match Preparer::new(&lexicons) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("ner_clusters: {e}");
            return ExitCode::from(2);
        }
    };
    let mut sentences: Vec<Vec<String>> = Vec::new();
    let mut names = Vec::new();
    for f in &files {
        let texts = match texts_of(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("ner_clusters: {e}");
                return ExitCode::from(2);
            }
        };
        let hash = std::fs::read(f.split('+').next().unwrap_or(f))
            .map(|b| format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&b)))
            .unwrap_or_default();
        let name = std::path::Path::new(f.split('+').next().unwrap_or(f))
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        names.push(format!("{name} {hash}"));
        for text in texts {
            let (_, tokens) = preparer.segment(&text, &lang);
            let mut current: Vec<String> = Vec::new();
            let mut sentence = usize::MAX;
            for t in tokens {
                if t.sentence != sentence && !current.is_empty() {
                    sentences.push(std::mem::take(&mut current));
                }
                sentence = t.sentence;
                current.push(t.key);
            }
            if !current.is_empty() {
                sentences.push(current);
            }
        }
    }
    let tokens: usize = sentences.iter().map(Vec::len).sum();
    let clusters = if bisect {
        compute_bisect(&sentences, &options)
    } else {
        compute(&sentences, &options)
    };
    let header = format!(
        "newsframe word clusters for `{lang}` (src/extract/ner/clusters.rs): key<TAB>bits\n\
         {tokens} tokens, {} words; min count {}, {}\n\
         from: {}",
        clusters.len(),
        options.min_count,
        if bisect {
            format!(
                "bisecting 2-means, {} context words, depth {}",
                options.contexts, options.depth
            )
        } else {
            format!(
                "exchange algorithm, {} classes, {} passes at most",
                options.classes, options.passes
            )
        },
        names.join(", ")
    );
    let text = to_file(&header, &clusters);
    if let Err(e) = std::fs::write(&out, &text) {
        eprintln!("ner_clusters: {out}: {e}");
        return ExitCode::from(1);
    }
    eprintln!(
        "wrote {out}: {} words from {tokens} tokens, {} bytes, xxh3 {:016x}",
        clusters.len(),
        text.len(),
        xxhash_rust::xxh3::xxh3_64(text.as_bytes())
    );
    ExitCode::SUCCESS
}
