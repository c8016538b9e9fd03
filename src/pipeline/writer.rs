//! The writing end of the stream: one table writer per table (partitioned by day
//! when asked), duplicate detection across runs, and the run's counts.

use anyhow::Context;

use super::Outcome;
use crate::dataset::duplicates::DuplicateIndex;
use crate::dataset::manifest::Counts;
use crate::dataset::{self, PendingPart};
use crate::extract::Extractors;
use crate::prepare::Document;
use crate::tables::{
    ArticleRows, EntityRows, FigureRows, FrameRows, MentionRows, PartitionedWriter, RejectRows,
    TableRows, TableWriter,
};

/// The writing end: table writers, duplicate detection and counts.
pub(super) struct Writer {
    articles: PartitionedWriter<ArticleRows>,
    rejects: TableWriter<RejectRows>,
    frames: Option<PartitionedWriter<FrameRows>>,
    entities: Option<PartitionedWriter<EntityRows>>,
    figures: Option<PartitionedWriter<FigureRows>>,
    /// content hash → id of the first article with that text, seeded with the
    /// articles of earlier committed runs.
    seen: DuplicateIndex,
    pub(super) counts: Counts,
    /// False when the run has nothing to read: its (empty) parts are not committed.
    keep_parts: bool,
}

impl Writer {
    pub(super) fn create(
        out: &std::path::Path,
        run_id: &str,
        extractors: &Extractors,
        seen: DuplicateIndex,
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

    pub(super) fn disable(&mut self) {
        self.keep_parts = false;
    }

    pub(super) fn write(&mut self, outcome: Outcome) -> anyhow::Result<()> {
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
                let duplicate_of = duplicate_of(&mut self.seen, &doc, &mut self.counts);
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
    pub(super) fn finish(self) -> anyhow::Result<(Counts, Vec<PendingPart>)> {
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
/// The id of the first article with `doc`'s text (`seen` maps content hashes to it),
/// counted as a duplicate; `None` for a first occurrence, which `seen` then records.
pub(crate) fn duplicate_of(
    seen: &mut DuplicateIndex,
    doc: &Document,
    counts: &mut Counts,
) -> Option<String> {
    let first = seen.first_or_insert(doc.content_hash, &doc.article_id)?;
    counts.duplicates += 1;
    Some(first.to_string())
}

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
