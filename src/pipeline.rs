//! The run: ingest → prepare → (extract) → tables, streamed with bounded memory.
//!
//! A reader thread cuts the input into chunks of records and sends them through a
//! bounded channel; a rayon pool prepares each chunk in parallel, keeping input order;
//! the calling thread writes the results. At most a few chunks are in flight, so
//! memory does not grow with the input, and the rows come out in input order whatever
//! the thread count.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use crossbeam_channel::bounded;
use rayon::prelude::*;

use crate::extract::{Extractors, Mentions};
use crate::ingest::{
    read_input, resolve_inputs, Input, Payload, ReadLimits, Record, Reject, RejectReason,
    SkippedPath,
};
use crate::lexicon::LexiconSet;
use crate::manifest::{self, Counts, Manifest};
use crate::prepare::{Document, Preparer};
use crate::progress::Progress;
use crate::tables::{
    ArticleRows, EntityRows, FigureRows, FrameRows, MentionRows, RejectRows, TableRows, TableWriter,
};

/// A chunk is cut at this many records or bytes of text, whichever comes first.
const CHUNK_RECORDS: usize = 256;
const CHUNK_BYTES: usize = 4 * 1024 * 1024;
/// Chunks waiting in each channel; with one being read, one prepared and one written,
/// this bounds the records in memory to about (2 + 2 + 3) chunks.
const CHANNEL_CHUNKS: usize = 2;

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub inputs: Vec<String>,
    pub out: PathBuf,
    pub threads: usize,
    pub lexicons: Option<PathBuf>,
    pub progress: bool,
    pub run_id: Option<String>,
    pub limits: ReadLimits,
    /// Extractors to run (`None`: all of them).
    pub extract: Option<Vec<String>>,
    /// The command line, recorded in the manifest.
    pub arguments: Vec<String>,
}

/// Why a run did not complete; the CLI maps these to exit codes.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Usage(String),
    #[error("{0:#}")]
    Failed(#[from] anyhow::Error),
}

enum Outcome {
    Article(Box<Document>, Mentions),
    Reject {
        file: Arc<str>,
        record: u64,
        reject: Reject,
    },
}

/// Runs the pipeline and returns the manifest it wrote.
pub fn run(opts: &RunOptions) -> Result<Manifest, RunError> {
    let started = chrono::Utc::now();
    let clock = Instant::now();
    let (inputs, skipped) =
        resolve_inputs(&opts.inputs).map_err(|e| RunError::Usage(e.to_string()))?;
    let lexicons = match &opts.lexicons {
        Some(dir) => {
            LexiconSet::from_dir(dir).map_err(|e| RunError::Usage(format!("lexicons: {e}")))?
        }
        None => LexiconSet::bundled(),
    };
    let preparer =
        Preparer::new(&lexicons).map_err(|e| RunError::Usage(format!("lexicons: {e}")))?;
    let extractors = Extractors::load(&lexicons, opts.extract.as_deref())
        .map_err(|e| RunError::Usage(format!("lexicons: {e}")))?;
    std::fs::create_dir_all(&opts.out)
        .with_context(|| format!("cannot create output folder {}", opts.out.display()))?;
    let run_id = opts
        .run_id
        .clone()
        .unwrap_or_else(|| manifest::new_run_id(&opts.out));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .thread_name(|i| format!("newsframe-worker-{i}"))
        .build()
        .context("cannot start worker threads")?;

    let total_bytes = inputs.iter().map(|i| i.size).sum::<Option<u64>>();
    let progress = Progress::new(opts.progress, total_bytes);
    let bytes_read = Arc::new(AtomicU64::new(0));
    let mut writer = Writer::create(&opts.out, &run_id, &extractors)?;

    std::thread::scope(|scope| -> anyhow::Result<()> {
        let (chunk_tx, chunk_rx) = bounded::<Vec<Record>>(CHANNEL_CHUNKS);
        let (done_tx, done_rx) = bounded::<Vec<Outcome>>(CHANNEL_CHUNKS);
        let reader = scope.spawn({
            let bytes_read = Arc::clone(&bytes_read);
            let inputs = &inputs;
            let limits = opts.limits;
            move || read_all(inputs, &limits, &bytes_read, chunk_tx)
        });
        let (preparer, extractors) = (&preparer, &extractors);
        let pool = &pool;
        scope.spawn(move || {
            for chunk in chunk_rx {
                let done = pool.install(|| {
                    chunk
                        .into_par_iter()
                        .map(|r| process(preparer, extractors, r))
                        .collect()
                });
                if done_tx.send(done).is_err() {
                    break;
                }
            }
        });
        let result = (|| {
            for chunk in done_rx.iter() {
                for outcome in chunk {
                    writer.write(outcome)?;
                }
                progress.update(bytes_read.load(Ordering::Relaxed), &writer.counts);
            }
            anyhow::Ok(())
        })();
        // On error the receivers drop here, which stops the other threads.
        drop(done_rx);
        let _ = reader.join();
        result
    })?;

    let tables = writer.finish()?;
    progress.finish();
    let manifest = Manifest {
        newsframe_version: env!("CARGO_PKG_VERSION").to_string(),
        run_id,
        started_at: started.to_rfc3339(),
        finished_at: chrono::Utc::now().to_rfc3339(),
        elapsed_seconds: clock.elapsed().as_secs_f64(),
        arguments: opts.arguments.clone(),
        threads: opts.threads.max(1),
        lexicons: manifest::LexiconInfo {
            origin: lexicons.origin().to_string(),
            hash: lexicons.hash(),
        },
        inputs: inputs.iter().map(manifest::InputInfo::from).collect(),
        skipped_paths: skipped
            .iter()
            .map(|s: &SkippedPath| manifest::SkippedInfo::from(s))
            .collect(),
        bytes_read: bytes_read.load(Ordering::Relaxed),
        counts: tables.0,
        tables: tables.1,
        peak_rss_bytes: manifest::peak_rss_bytes(),
    };
    manifest::write(&opts.out, &manifest).context("cannot write manifest.json")?;
    Ok(manifest)
}

fn process(preparer: &Preparer, extractors: &Extractors, record: Record) -> Outcome {
    let prepared = match record.payload {
        Payload::Article(raw) => {
            preparer.prepare(raw, Arc::clone(&record.input_file), record.input_record)
        }
        Payload::Reject(reject) => Err(reject),
    };
    match prepared {
        Ok(doc) => {
            let mentions = extractors.extract(&doc);
            Outcome::Article(Box::new(doc), mentions)
        }
        Err(reject) => Outcome::Reject {
            file: record.input_file,
            record: record.input_record,
            reject,
        },
    }
}

/// Reads every input in order, cutting the records into chunks.
fn read_all(
    inputs: &[Input],
    limits: &ReadLimits,
    bytes_read: &Arc<AtomicU64>,
    tx: crossbeam_channel::Sender<Vec<Record>>,
) {
    let mut chunk = Vec::with_capacity(CHUNK_RECORDS);
    let mut chunk_bytes = 0usize;
    let mut open = true;
    for input in inputs {
        read_input(input, limits, bytes_read, &mut |record| {
            chunk_bytes += record_bytes(&record);
            chunk.push(record);
            if chunk.len() >= CHUNK_RECORDS || chunk_bytes >= CHUNK_BYTES {
                chunk_bytes = 0;
                open = tx.send(std::mem::take(&mut chunk)).is_ok();
            }
            open
        });
        if !open {
            return;
        }
    }
    if !chunk.is_empty() {
        let _ = tx.send(chunk);
    }
}

fn record_bytes(record: &Record) -> usize {
    match &record.payload {
        Payload::Article(a) => a.text.len() + a.title.as_ref().map_or(0, String::len),
        Payload::Reject(r) => r.raw_prefix.len() + r.detail.len(),
    }
}

/// The writing end: table writers, duplicate detection and counts.
struct Writer {
    articles: TableWriter<ArticleRows>,
    rejects: TableWriter<RejectRows>,
    frames: Option<TableWriter<FrameRows>>,
    entities: Option<TableWriter<EntityRows>>,
    figures: Option<TableWriter<FigureRows>>,
    /// content hash → id of the first article with that text.
    seen: HashMap<u128, String>,
    counts: Counts,
}

impl Writer {
    fn create(
        out: &std::path::Path,
        run_id: &str,
        extractors: &Extractors,
    ) -> anyhow::Result<Self> {
        let ctx = || format!("cannot create tables in {}", out.display());
        Ok(Writer {
            articles: TableWriter::create(out, run_id).with_context(ctx)?,
            rejects: TableWriter::create(out, run_id).with_context(ctx)?,
            frames: optional_table(extractors.frames().is_some(), out, run_id)?,
            entities: optional_table(extractors.entities().is_some(), out, run_id)?,
            figures: optional_table(extractors.figures().is_some(), out, run_id)?,
            seen: HashMap::new(),
            counts: Counts::default(),
        })
    }

    fn write(&mut self, outcome: Outcome) -> anyhow::Result<()> {
        self.counts.records_read += 1;
        match outcome {
            Outcome::Article(doc, mentions) => {
                self.counts.articles += 1;
                *self.counts.by_language.entry(doc.lang.clone()).or_default() += 1;
                append(&mut self.frames, &mut self.counts, &doc, mentions.frames)?;
                append(
                    &mut self.entities,
                    &mut self.counts,
                    &doc,
                    mentions.entities,
                )?;
                append(&mut self.figures, &mut self.counts, &doc, mentions.figures)?;
                let duplicate_of = match self.seen.get(&doc.content_hash) {
                    Some(first) => {
                        self.counts.duplicates += 1;
                        Some(first.clone())
                    }
                    None => {
                        self.seen.insert(doc.content_hash, doc.article_id.clone());
                        None
                    }
                };
                self.articles.rows().push(*doc, duplicate_of);
                self.articles.maybe_flush().context("writing articles")?;
            }
            Outcome::Reject {
                file,
                record,
                reject,
            } => {
                self.counts.rejects += 1;
                *self
                    .counts
                    .rejects_by_reason
                    .entry(reject.reason.as_str().to_string())
                    .or_default() += 1;
                self.rejects.rows().push(&file, record, reject);
                self.rejects.maybe_flush().context("writing rejects")?;
            }
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<(Counts, BTreeMap<String, manifest::TableInfo>)> {
        let mut tables = BTreeMap::new();
        let mut results = vec![
            ("articles", self.articles.finish()),
            ("rejects", self.rejects.finish()),
        ];
        if let Some(frames) = self.frames {
            results.push(("frames", frames.finish()));
        }
        if let Some(entities) = self.entities {
            results.push(("entities", entities.finish()));
        }
        if let Some(figures) = self.figures {
            results.push(("figures", figures.finish()));
        }
        for (name, result) in results {
            let (path, rows) = result.with_context(|| format!("cannot finish the {name} table"))?;
            tables.insert(name.to_string(), manifest::TableInfo::new(&path, rows));
        }
        Ok((self.counts, tables))
    }
}

/// A writer for a mention table whose extractor runs, else none.
fn optional_table<R: TableRows>(
    on: bool,
    out: &std::path::Path,
    run_id: &str,
) -> anyhow::Result<Option<TableWriter<R>>> {
    if !on {
        return Ok(None);
    }
    let table = TableWriter::create(out, run_id)
        .with_context(|| format!("cannot create tables in {}", out.display()))?;
    Ok(Some(table))
}

/// Appends one document's mentions to a mention table, if that table is being written.
fn append<R: MentionRows>(
    table: &mut Option<TableWriter<R>>,
    counts: &mut Counts,
    doc: &Document,
    mentions: Vec<R::Mention>,
) -> anyhow::Result<()> {
    let Some(table) = table else {
        return Ok(());
    };
    *counts.mentions.entry(R::NAME.to_string()).or_default() += mentions.len() as u64;
    for m in mentions {
        table.rows().push_mention(&doc.article_id, &doc.lang, m);
    }
    table
        .maybe_flush()
        .with_context(|| format!("writing {}", R::NAME))
}

/// All reject reasons, for documentation and tests.
pub fn reject_reasons() -> Vec<&'static str> {
    RejectReason::ALL.iter().map(|r| r.as_str()).collect()
}
