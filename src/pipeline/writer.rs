//! The writing end of the stream: one table writer per table (partitioned by day
//! when asked), duplicate detection across runs, and the run's counts.

use anyhow::Context;

use super::Outcome;
use crate::dataset::duplicates::DuplicateIndex;
use crate::dataset::manifest::Counts;
use crate::dataset::{self, PendingPart};
use crate::extract::Extractors;
use crate::extract::Mentions;
use crate::prepare::Document;
use crate::tables::{
    mention_table, ArticleRows, MentionTable, PartitionedWriter, RejectRows, TableWriter,
};

/// The writing end: table writers, duplicate detection and counts.
pub(super) struct Writer {
    articles: PartitionedWriter<ArticleRows>,
    rejects: TableWriter<RejectRows>,
    /// One table per extractor that runs, in the registry's order.
    mentions: Vec<PartitionedWriter<Box<dyn MentionTable>>>,
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
        let mut mentions = Vec::new();
        for name in extractors.names() {
            let rows = mention_table(name)
                .with_context(|| format!("the {name} extractor has no table"))?;
            mentions.push(PartitionedWriter::create(out, run_id, by_day, rows).with_context(ctx)?);
        }
        Ok(Writer {
            articles: PartitionedWriter::create(out, run_id, by_day, ArticleRows::default())
                .with_context(ctx)?,
            rejects: TableWriter::create(out, run_id, RejectRows::default()).with_context(ctx)?,
            mentions,
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
                append(&mut self.mentions, &mut self.counts, &doc, mentions)?;
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
        for table in self.mentions {
            results.push((table.name(), table.finish()));
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

/// Appends one document's mentions to their tables, in the partition of the document,
/// and counts them (a table's count exists, at 0, once a document has been read).
fn append(
    tables: &mut [PartitionedWriter<Box<dyn MentionTable>>],
    counts: &mut Counts,
    doc: &Document,
    mentions: Mentions,
) -> anyhow::Result<()> {
    let mut lists = mentions.into_lists();
    for table in tables {
        let name = table.name();
        let list = lists
            .iter()
            .position(|(n, _)| *n == name)
            .map(|i| lists.swap_remove(i).1);
        let count = counts.mentions.entry(name.to_string()).or_default();
        let Some(list) = list.filter(|l| !l.is_empty()) else {
            continue;
        };
        *count += list.len() as u64;
        let writer = table
            .writer(doc.published)
            .with_context(|| format!("writing {name}"))?;
        writer
            .rows()
            .push_list(&doc.article_id, &doc.lang, list)
            .with_context(|| format!("writing {name}"))?;
        writer
            .maybe_flush()
            .with_context(|| format!("writing {name}"))?;
    }
    Ok(())
}
