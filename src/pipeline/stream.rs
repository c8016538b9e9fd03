//! The stream: a reader thread cuts the input into chunks of records and sends them
//! through a bounded channel; a rayon pool prepares and extracts each chunk in
//! parallel, keeping input order; the calling thread writes the results. At most a few
//! chunks are in flight, so memory does not grow with the input, and the rows come out
//! in input order whatever the thread count.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crossbeam_channel::bounded;
use rayon::prelude::*;

use super::writer::Writer;
use super::Stages;
use crate::dataset::manifest::Counts;
use crate::dataset::PendingPart;
use crate::extract::{Extractors, Mentions};
use crate::ingest::{read_input, Input, Payload, ReadLimits, Record, Reject};
use crate::prepare::{Document, Preparer};
use crate::progress::Progress;

/// A chunk is cut at this many records or bytes of text, whichever comes first.
const CHUNK_RECORDS: usize = 128;
const CHUNK_BYTES: usize = 4 * 1024 * 1024;
/// Chunks waiting in each channel; with one being read, one prepared and one written,
/// this bounds the records in memory to about (2 + 2 + 3) chunks.
const CHANNEL_CHUNKS: usize = 2;
/// The writer returns the heap's free pages to the system every this many chunks (about
/// 4,000 records): the worker threads' arenas otherwise keep the high-water mark of
/// every chunk they have seen, and the resident size creeps up over a long run.
const TRIM_EVERY_CHUNKS: u64 = 32;

/// What became of one record: an article with its mentions, a reject row, or a
/// record that is no article (counted only).
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

/// What the stream produced: the run's parts (closed, not yet committed), its counts
/// and the bytes it read.
pub(super) struct Streamed {
    pub parts: Vec<PendingPart>,
    pub counts: Counts,
    pub bytes_read: u64,
}

/// Streams `inputs` through `stages` into `writer`, then closes the writer's parts.
pub(super) fn stream(
    inputs: &[Input],
    limits: ReadLimits,
    show_progress: bool,
    stages: &Stages,
    mut writer: Writer,
) -> anyhow::Result<Streamed> {
    let total_bytes = inputs.iter().map(|i| i.size).sum::<Option<u64>>();
    let progress = Progress::new(show_progress, total_bytes);
    let bytes_read = Arc::new(AtomicU64::new(0));
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let (chunk_tx, chunk_rx) = bounded::<Vec<Record>>(CHANNEL_CHUNKS);
        let (done_tx, done_rx) = bounded::<Vec<Outcome>>(CHANNEL_CHUNKS);
        let reader = scope.spawn({
            let bytes_read = Arc::clone(&bytes_read);
            move || read_all(inputs, &limits, &bytes_read, chunk_tx)
        });
        let (preparer, extractors, pool) = (&stages.preparer, &stages.extractors, &stages.pool);
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
            for (n, chunk) in (1u64..).zip(done_rx.iter()) {
                for outcome in chunk {
                    writer.write(outcome)?;
                }
                if n % TRIM_EVERY_CHUNKS == 0 {
                    super::release_free_memory();
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
    Ok(Streamed {
        parts,
        counts,
        bytes_read: bytes_read.load(Ordering::Relaxed),
    })
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
        Ok(mut doc) => {
            let mentions = extractors.extract(&doc);
            // The tokens weigh ten times the text and nothing after extraction reads
            // them: freed here, on the thread that made them, they do not wait in the
            // channel and the writer's queue.
            doc.tokens = Vec::new();
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
