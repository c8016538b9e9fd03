//! `newsframe inspect`: one article's language, sentences and matches, readable in a
//! terminal, so a researcher editing a lexicon sees at once what it finds.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use anyhow::{bail, Context};

use crate::extract::{Extractors, Mentions};
use crate::ingest::{read_input, resolve_inputs, Payload, ReadLimits};
use crate::lexicon::LexiconSet;
use crate::prepare::{Document, Preparer};

/// Reads `input` (a file or `-`) and renders its first `limit` articles.
pub fn inspect(
    input: &str,
    lexicons: Option<PathBuf>,
    models: Option<PathBuf>,
    limit: usize,
) -> anyhow::Result<String> {
    let lexicons = match lexicons {
        Some(dir) => LexiconSet::from_dir(&dir)?,
        None => LexiconSet::bundled(),
    };
    let preparer = Preparer::new(&lexicons)?;
    let extractors = Extractors::load(&lexicons, None, models.as_deref())?;
    let (inputs, _) = resolve_inputs(&[input.to_string()])?;
    let mut out = String::new();
    let mut shown = 0usize;
    for input in &inputs {
        read_input(
            input,
            &ReadLimits::default(),
            &Arc::new(AtomicU64::new(0)),
            &mut |record| {
                let where_ = format!("{}:{}", record.input_file, record.input_record);
                match record.payload.resolve() {
                    // Non-article WARC records are not shown and do not count.
                    Payload::Skipped(_) | Payload::Pending(_) => return true,
                    Payload::Article(raw) => {
                        match preparer.prepare(raw, record.input_file, record.input_record) {
                            Ok(doc) => {
                                let mentions = extractors.extract(&doc);
                                render(&mut out, &doc, &mentions);
                            }
                            Err(reject) => {
                                let _ = writeln!(
                                    out,
                                    "{where_}: rejected ({}): {}\n",
                                    reject.reason, reject.detail
                                );
                            }
                        }
                    }
                    Payload::Reject(reject) => {
                        let _ = writeln!(
                            out,
                            "{where_}: rejected ({}): {}\n",
                            reject.reason, reject.detail
                        );
                    }
                }
                shown += 1;
                shown < limit
            },
        );
        if shown >= limit {
            break;
        }
    }
    if shown == 0 {
        bail!("no record found in {input}");
    }
    Ok(out)
}

fn render(out: &mut String, doc: &Document, mentions: &Mentions) {
    let _ = writeln!(
        out,
        "article {}  lang {} ({:.2})  script {}  {} tokens  {} sentences  source {}",
        doc.article_id,
        doc.lang,
        doc.lang_confidence,
        doc.script,
        doc.n_tokens,
        doc.sentences.len(),
        doc.source.as_deref().unwrap_or("-")
    );
    for (i, s) in doc.sentences.iter().enumerate() {
        let _ = writeln!(out, "  [{i:>2}] {}", &doc.text[s.clone()]);
    }
    for (name, list) in mentions.iter() {
        let _ = writeln!(out, "\n{name} ({})", list.len());
        for line in list.describe() {
            let _ = writeln!(out, "  {line}");
        }
    }
    out.push('\n');
}

/// Renders to stdout; errors name the input.
pub fn run(
    input: &str,
    lexicons: Option<PathBuf>,
    models: Option<PathBuf>,
    limit: usize,
) -> anyhow::Result<()> {
    let text = inspect(input, lexicons, models, limit)
        .with_context(|| format!("cannot inspect {input}"))?;
    print!("{text}");
    Ok(())
}
