//! The run: ingest → prepare → (extract) → tables, streamed with bounded memory.
//!
//! A reader thread cuts the input into chunks of records and sends them through a
//! bounded channel; a rayon pool prepares each chunk in parallel, keeping input order;
//! the calling thread writes the results. At most a few chunks are in flight, so
//! memory does not grow with the input, and the rows come out in input order whatever
//! the thread count.
//!
//! Around the stream, the output folder is handled as an incremental dataset (see
//! [`crate::dataset`]): locked, recovered, inputs already committed skipped, and the
//! run's parts committed together at the end.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use crossbeam_channel::bounded;
use rayon::prelude::*;

use crate::dataset::{self, Dataset, OpenError};
use crate::extract::ner::LoadError;
use crate::extract::{Extractors, Mentions};
use crate::ingest::{
    read_input, resolve_inputs, Input, Payload, ReadLimits, Record, Reject, RejectReason, Shard,
    SkippedPath,
};
use crate::lexicon::LexiconSet;
use crate::manifest::{self, Counts, Manifest};
use crate::prepare::{Document, Preparer};
use crate::progress::Progress;
use crate::tables::{
    ArticleRows, EntityRows, FigureRows, FrameRows, MentionRows, PartitionedWriter, RejectRows,
    TableRows, TableWriter,
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
    /// Folder of NER models (`<lang>.ner`) to use instead of the bundled ones.
    pub models: Option<PathBuf>,
    pub progress: bool,
    pub run_id: Option<String>,
    pub limits: ReadLimits,
    /// Extractors to run (`None`: all of them).
    pub extract: Option<Vec<String>>,
    /// The command line, recorded in the manifest.
    pub arguments: Vec<String>,
    /// Start the output folder afresh instead of adding to it.
    pub overwrite: bool,
    /// Process only this shard of the inputs.
    pub shard: Option<Shard>,
    /// Write article-linked tables in `published_day=YYYY-MM-DD/` folders.
    pub partition_by_day: bool,
}

/// Why a run did not complete; the CLI maps these to exit codes.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Usage(String),
    #[error("{0:#}")]
    Failed(#[from] anyhow::Error),
}

pub(crate) enum Outcome {
    Article(Box<Document>, Mentions),
    Reject {
        file: Arc<str>,
        record: u64,
        reject: Reject,
    },
    /// A WARC record that is not an article, counted by reason.
    Skipped(&'static str),
}

/// Runs the pipeline and returns the manifest it wrote.
pub fn run(opts: &RunOptions) -> Result<Manifest, RunError> {
    let started = chrono::Utc::now();
    let clock = Instant::now();
    let (inputs, skipped) =
        resolve_inputs(&opts.inputs).map_err(|e| RunError::Usage(e.to_string()))?;
    let (lexicons, preparer, extractors) = load_stages(
        opts.lexicons.as_deref(),
        opts.models.as_deref(),
        opts.extract.as_deref(),
    )?;
    if opts.shard.is_some() && inputs.iter().any(|i| i.path.is_none()) {
        return Err(RunError::Usage(
            "--shard needs files or folders; standard input cannot be split".to_string(),
        ));
    }
    std::fs::create_dir_all(&opts.out)
        .with_context(|| format!("cannot create output folder {}", opts.out.display()))?;
    // Held until this function returns: every write below happens under the lock.
    let mut dataset = Dataset::open(&opts.out, opts.overwrite).map_err(|e| match e {
        OpenError::Locked(e) => RunError::Failed(e.into()),
        OpenError::Other(e) => RunError::Failed(e.context("cannot read the output folder")),
    })?;
    let committed = dataset::committed_runs(&opts.out).context("cannot list manifests")?;
    let partition_by = opts.partition_by_day.then(|| "published:day".to_string());
    if let Some(layout) = &dataset.processed.partition_by {
        if *layout != partition_by {
            let name = |p: &Option<String>| {
                p.clone().map_or("no partitioning".to_string(), |p| {
                    format!("--partition-by {p}")
                })
            };
            return Err(RunError::Usage(format!(
                "{} was written with {}; a run into it must use the same (or --overwrite)",
                opts.out.display(),
                name(layout)
            )));
        }
    }
    let run_id = match &opts.run_id {
        Some(id) if committed.contains(id) => {
            return Err(RunError::Usage(format!(
                "run id {id} is already committed in {}; choose another --run-id",
                opts.out.display()
            )))
        }
        Some(id) => id.clone(),
        None => {
            let id = manifest::new_run_id(&opts.out);
            match opts.shard {
                Some(s) => format!("{id}-shard{}of{}", s.index, s.count),
                None => id,
            }
        }
    };
    let selection = dataset.select(inputs, opts.shard);
    let inputs: Vec<Input> = selection.todo.iter().map(|(i, _)| i.clone()).collect();
    log::info!(
        "run {run_id}: {} inputs to process, {} already processed, {} in other shards",
        inputs.len(),
        selection.skipped.len(),
        selection.other_shards
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .thread_name(|i| format!("newsframe-worker-{i}"))
        .build()
        .context("cannot start worker threads")?;

    let total_bytes = inputs.iter().map(|i| i.size).sum::<Option<u64>>();
    let progress = Progress::new(opts.progress, total_bytes);
    let bytes_read = Arc::new(AtomicU64::new(0));
    let mut writer = Writer::create(
        &opts.out,
        &run_id,
        &extractors,
        std::mem::take(&mut dataset.seen),
        opts.partition_by_day,
    )?;
    if inputs.is_empty() {
        // Nothing new: no empty parts, only the run manifest recording the skips.
        writer.disable();
    }

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

    let (counts, parts) = writer.finish()?;
    progress.finish();
    dataset::crash_point("before_publish");
    if let Err(e) = dataset::publish(&parts) {
        dataset::discard(&parts);
        return Err(RunError::Failed(
            anyhow::Error::from(e).context("cannot commit the run's parts"),
        ));
    }
    let tables = parts
        .iter()
        .map(|p| {
            let relative = p
                .final_path
                .strip_prefix(&opts.out)
                .unwrap_or(&p.final_path);
            let folder = relative.parent().unwrap_or(relative);
            (
                folder.to_string_lossy().replace('\\', "/"),
                manifest::TableInfo::new(relative, p.rows),
            )
        })
        .collect();
    let mut manifest = Manifest {
        newsframe_version: env!("CARGO_PKG_VERSION").to_string(),
        run_id,
        started_at: started.to_rfc3339(),
        finished_at: chrono::Utc::now().to_rfc3339(),
        elapsed_seconds: clock.elapsed().as_secs_f64(),
        arguments: opts.arguments.clone(),
        threads: opts.threads.max(1),
        tools: manifest::Tools::current(),
        lexicons: manifest::LexiconInfo {
            origin: lexicons.origin().to_string(),
            hash: lexicons.hash(),
        },
        models: extractors.model_hashes().into_iter().collect(),
        inputs: selection
            .todo
            .iter()
            .map(|(input, fp)| manifest::InputInfo {
                canonical: fp.as_ref().map(|f| f.canonical.clone()),
                xxh3: fp.as_ref().map(|f| f.xxh3.clone()),
                modified_ns: fp.as_ref().and_then(|f| f.modified_ns),
                ..manifest::InputInfo::from(input)
            })
            .collect(),
        skipped_paths: skipped
            .iter()
            .map(|s: &SkippedPath| manifest::SkippedInfo::from(s))
            .collect(),
        skipped_inputs: selection.skipped,
        shard: opts.shard.map(|s| s.to_string()),
        partition_by,
        inputs_in_other_shards: selection.other_shards,
        bytes_read: bytes_read.load(Ordering::Relaxed),
        counts,
        tables,
        peak_rss_bytes: manifest::peak_rss_bytes(),
        compare_refreshed: false,
    };
    dataset::crash_point("before_run_manifest");
    // The run manifest is the commit marker: written after the renames, so a run killed
    // in between leaves parts that the next run's recovery removes and redoes.
    manifest::write(&opts.out, &manifest).context("cannot write manifest.json")?;
    // The models, lexicons and worker threads are not needed any more: freed (and the
    // heap trimmed) before the refresh so that its peak does not add to theirs.
    drop((extractors, preparer, pool, selection.todo));
    release_free_memory();
    // The comparison is derived from every committed part; it is refreshed while the
    // lock is held, so no other run changes the tables meanwhile.
    let grouping = crate::compare::Grouping::default();
    let refresh_failed = "the run is committed, but refreshing compare/ and report.html failed";
    if crate::compare::has_articles(&opts.out).context(refresh_failed)? {
        let compared = crate::compare::compare(&opts.out, &grouping)
            .and_then(|_| crate::report::write(&opts.out))
            .context(refresh_failed)?;
        log::info!(
            "compare tables (by {grouping}) and {} refreshed",
            compared.display()
        );
        manifest.compare_refreshed = true;
    } else {
        // An empty first night is not a failure: nothing to compare yet.
        log::info!(
            "no articles in {} yet: compare/ and report.html not written",
            opts.out.display()
        );
    }
    // The refresh reads every committed part and is often the peak: the figure is taken
    // again at the very end so that it covers the whole command, and the committed
    // manifest is rewritten (atomically, still under the lock) with it and with the
    // refresh's outcome.
    manifest.peak_rss_bytes = manifest::peak_rss_bytes();
    manifest::write(&opts.out, &manifest).context("cannot write manifest.json")?;
    drop(dataset);
    Ok(manifest)
}

/// The lexicons, the prepare stage and the extractors a run uses; a bad lexicon folder
/// or model is a usage error. Shared with the in-memory entry point ([`crate::analyze`]).
pub(crate) fn load_stages(
    lexicons: Option<&std::path::Path>,
    models: Option<&std::path::Path>,
    extract: Option<&[String]>,
) -> Result<(LexiconSet, Preparer, Extractors), RunError> {
    let lexicons = match lexicons {
        Some(dir) => {
            LexiconSet::from_dir(dir).map_err(|e| RunError::Usage(format!("lexicons: {e}")))?
        }
        None => LexiconSet::bundled(),
    };
    let preparer =
        Preparer::new(&lexicons).map_err(|e| RunError::Usage(format!("lexicons: {e}")))?;
    let extractors = Extractors::load(&lexicons, extract, models).map_err(|e| match e {
        LoadError::Lexicon(e) => RunError::Usage(format!("lexicons: {e}")),
        other => RunError::Usage(format!("models: {other}")),
    })?;
    Ok((lexicons, preparer, extractors))
}

pub(crate) fn process(preparer: &Preparer, extractors: &Extractors, record: Record) -> Outcome {
    let prepared = match record.payload.resolve() {
        Payload::Article(raw) => {
            preparer.prepare(raw, Arc::clone(&record.input_file), record.input_record)
        }
        Payload::Reject(reject) => Err(reject),
        Payload::Skipped(reason) => return Outcome::Skipped(reason),
        Payload::Pending(_) => unreachable!("resolved above"),
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
    record.payload.bytes()
}

/// The writing end: table writers, duplicate detection and counts.
struct Writer {
    articles: PartitionedWriter<ArticleRows>,
    rejects: TableWriter<RejectRows>,
    frames: Option<PartitionedWriter<FrameRows>>,
    entities: Option<PartitionedWriter<EntityRows>>,
    figures: Option<PartitionedWriter<FigureRows>>,
    /// content hash → id of the first article with that text, seeded with the
    /// articles of earlier committed runs.
    seen: HashMap<u128, String>,
    counts: Counts,
    /// False when the run has nothing to read: its (empty) parts are not committed.
    keep_parts: bool,
}

impl Writer {
    fn create(
        out: &std::path::Path,
        run_id: &str,
        extractors: &Extractors,
        seen: HashMap<u128, String>,
        by_day: bool,
    ) -> anyhow::Result<Self> {
        let ctx = || format!("cannot create tables in {}", out.display());
        Ok(Writer {
            articles: PartitionedWriter::create(out, run_id, by_day).with_context(ctx)?,
            rejects: TableWriter::create(out, run_id).with_context(ctx)?,
            frames: optional_table(extractors.frames().is_some(), out, run_id, by_day)?,
            entities: optional_table(extractors.entities().is_some(), out, run_id, by_day)?,
            figures: optional_table(extractors.figures().is_some(), out, run_id, by_day)?,
            seen,
            counts: Counts::default(),
            keep_parts: true,
        })
    }

    fn disable(&mut self) {
        self.keep_parts = false;
    }

    fn write(&mut self, outcome: Outcome) -> anyhow::Result<()> {
        if let Outcome::Skipped(reason) = outcome {
            // Not a record in the `records_read = articles + rejects` sense.
            *self
                .counts
                .skipped_records
                .entry(reason.to_string())
                .or_default() += 1;
            return Ok(());
        }
        self.counts.records_read += 1;
        match outcome {
            Outcome::Skipped(_) => unreachable!("handled above"),
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
                let table = self
                    .articles
                    .writer(doc.published)
                    .context("writing articles")?;
                table.rows().push(*doc, duplicate_of);
                table.maybe_flush().context("writing articles")?;
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

    /// Closes every part (still under temporary names) and returns them with the counts.
    fn finish(self) -> anyhow::Result<(Counts, Vec<crate::tables::ClosedPart>)> {
        let mut results = vec![
            ("articles", self.articles.finish()),
            ("rejects", self.rejects.finish().map(|p| vec![p])),
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
        let mut parts = Vec::new();
        let mut failure = None;
        for (name, result) in results {
            match result {
                Ok(done) => parts.extend(done),
                Err(e) if failure.is_none() => {
                    failure = Some(
                        anyhow::Error::from(e).context(format!("cannot finish the {name} table")),
                    )
                }
                Err(_) => {}
            }
        }
        if let Some(e) = failure {
            dataset::discard(&parts);
            return Err(e);
        }
        if !self.keep_parts {
            dataset::discard(&parts);
            parts.clear();
        }
        Ok((self.counts, parts))
    }
}

/// A writer for a mention table whose extractor runs, else none.
fn optional_table<R: TableRows>(
    on: bool,
    out: &std::path::Path,
    run_id: &str,
    by_day: bool,
) -> anyhow::Result<Option<PartitionedWriter<R>>> {
    if !on {
        return Ok(None);
    }
    let table = PartitionedWriter::create(out, run_id, by_day)
        .with_context(|| format!("cannot create tables in {}", out.display()))?;
    Ok(Some(table))
}

/// Appends one document's mentions to a mention table, if that table is being written,
/// in the partition of the document.
fn append<R: MentionRows>(
    table: &mut Option<PartitionedWriter<R>>,
    counts: &mut Counts,
    doc: &Document,
    mentions: Vec<R::Mention>,
) -> anyhow::Result<()> {
    let Some(table) = table else {
        return Ok(());
    };
    *counts.mentions.entry(R::NAME.to_string()).or_default() += mentions.len() as u64;
    if mentions.is_empty() {
        return Ok(());
    }
    let table = table
        .writer(doc.published)
        .with_context(|| format!("writing {}", R::NAME))?;
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

/// Returns freed heap pages to the system (glibc keeps them in its arenas otherwise,
/// one per worker thread), so that the resident size reflects what is still in use.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}
