//! Tables: columnar row buffers written to Parquet folder datasets as the stream goes.
//!
//! Each table is a folder `OUT/<table>/` of parts `part-<run>.parquet`. A part is written
//! under a hidden temporary name, in zstd-compressed row groups flushed whenever the
//! buffer passes a size, and handed to [`crate::dataset`] as a [`PendingPart`] that
//! [`Dataset::commit`](crate::dataset::Dataset::commit) renames to its final name, so a
//! crash never leaves a partial file that readers would pick up.

mod articles;
pub mod batches;
mod entities;
mod figures;
mod frames;
mod mentions;
mod partitioned;
mod rejects;

use std::fs::File;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::dataset::{self, atomic, PendingPart};
use crate::extract::{Mention, MentionList};

pub use articles::ArticleRows;
pub use entities::EntityRows;
pub use figures::FigureRows;
pub use frames::FrameRows;
pub use partitioned::{PartitionedWriter, NULL_PARTITION, PARTITION_COLUMN};
pub use rejects::RejectRows;

/// A columnar buffer of one table's rows.
pub trait TableRows {
    /// Folder name of the table under the output directory.
    fn name(&self) -> &'static str;

    /// An empty buffer of the same table (for a new part).
    fn fresh(&self) -> Self
    where
        Self: Sized;

    fn len(&self) -> usize;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Approximate heap size of the buffered rows, to decide when to flush.
    fn buffered_bytes(&self) -> usize;

    /// Moves the buffered rows into a data frame, leaving the buffer empty.
    fn take_frame(&mut self) -> PolarsResult<DataFrame>;
}

/// A mention table: rows pushed one mention at a time.
pub trait MentionRows: TableRows {
    type Mention: Mention;
    fn push_mention(&mut self, article_id: &str, lang: &str, mention: Self::Mention);
}

/// A mention table with its row type erased: what the writers hold for each
/// extractor of [`crate::extract::EXTRACTORS`] (see [`mention_table`]).
pub trait MentionTable: Send {
    fn name(&self) -> &'static str;
    /// Appends one document's mentions; an extractor's list of another type than the
    /// table's rows is an error naming both (a registry mistake, not bad input).
    fn push_list(
        &mut self,
        article_id: &str,
        lang: &str,
        list: Box<dyn MentionList>,
    ) -> PolarsResult<usize>;
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn buffered_bytes(&self) -> usize;
    fn take_frame(&mut self) -> PolarsResult<DataFrame>;
    fn fresh_table(&self) -> Box<dyn MentionTable>;
}

impl<R: MentionRows + Send + 'static> MentionTable for R {
    fn name(&self) -> &'static str {
        TableRows::name(self)
    }

    fn push_list(
        &mut self,
        article_id: &str,
        lang: &str,
        list: Box<dyn MentionList>,
    ) -> PolarsResult<usize> {
        let given = list.mention_type();
        let mentions = list.into_any().downcast::<Vec<R::Mention>>().map_err(|_| {
            polars_err!(
                ComputeError: "the {} table takes {} rows, not {given}",
                TableRows::name(self),
                std::any::type_name::<R::Mention>()
            )
        })?;
        let n = mentions.len();
        for m in *mentions {
            self.push_mention(article_id, lang, m);
        }
        Ok(n)
    }

    fn len(&self) -> usize {
        TableRows::len(self)
    }

    fn buffered_bytes(&self) -> usize {
        TableRows::buffered_bytes(self)
    }

    fn take_frame(&mut self) -> PolarsResult<DataFrame> {
        TableRows::take_frame(self)
    }

    fn fresh_table(&self) -> Box<dyn MentionTable> {
        Box::new(self.fresh())
    }
}

impl TableRows for Box<dyn MentionTable> {
    fn name(&self) -> &'static str {
        (**self).name()
    }

    fn fresh(&self) -> Self {
        self.fresh_table()
    }

    fn len(&self) -> usize {
        (**self).len()
    }

    fn buffered_bytes(&self) -> usize {
        (**self).buffered_bytes()
    }

    fn take_frame(&mut self) -> PolarsResult<DataFrame> {
        (**self).take_frame()
    }
}

/// The row buffer of an extractor's table, by the extractor's name.
pub fn mention_table(extractor: &str) -> Option<Box<dyn MentionTable>> {
    let table: Box<dyn MentionTable> = match extractor {
        "frames" => Box::new(FrameRows::default()),
        "entities" => Box::new(EntityRows::default()),
        "figures" => Box::new(FigureRows::default()),
        _ => return None,
    };
    Some(table)
}

/// What one buffered `String` costs besides its text: its 24-byte header in the
/// column's `Vec`, and the allocator's chunk header and rounding. Counting it matters:
/// a mention row holds about ten short strings, so the headers weigh as much as the
/// text, and a buffer counted by text alone grew to twice the flush size.
pub(crate) const STRING_OVERHEAD: usize = 40;

/// Buffered bytes of a string column's value.
pub(crate) fn string_cost(s: &str) -> usize {
    s.len() + STRING_OVERHEAD
}

/// Buffered bytes of an optional string column's value.
pub(crate) fn opt_cost(s: Option<&str>) -> usize {
    s.map_or(24, string_cost)
}

/// Row groups are flushed at this buffered size (or row count), which bounds the
/// writer's memory whatever the input size.
const FLUSH_BYTES: usize = 8 * 1024 * 1024;
const FLUSH_ROWS: usize = 64 * 1024;

type ParquetSink = polars::io::parquet::write::BatchedWriter<File>;

pub struct TableWriter<R: TableRows> {
    rows: R,
    writer: ParquetSink,
    /// A second handle on the temporary file, to sync it before the rename.
    file: File,
    tmp_path: PathBuf,
    final_path: PathBuf,
    written: u64,
    finished: bool,
}

/// The final and temporary paths of a table's part for `run_id`.
pub fn part_paths(out_dir: &Path, table: &str, run_id: &str) -> (PathBuf, PathBuf) {
    let (tmp_path, final_path) = dataset::part_paths(&out_dir.join(table), run_id);
    (final_path, tmp_path)
}

impl<R: TableRows> TableWriter<R> {
    /// A writer of `rows`' table (given empty) in its folder under `out_dir`.
    pub fn create(out_dir: &Path, run_id: &str, rows: R) -> PolarsResult<Self> {
        Self::create_in(&out_dir.join(rows.name()), run_id, rows)
    }

    /// A writer for `part-<run_id>.parquet` in `dir` (a table or partition folder).
    pub fn create_in(dir: &Path, run_id: &str, rows: R) -> PolarsResult<Self> {
        let (tmp_path, final_path) = dataset::part_paths(dir, run_id);
        std::fs::create_dir_all(dir)?;
        let schema = rows.fresh().take_frame()?.schema().as_ref().clone();
        let file = File::create(&tmp_path)?;
        let writer = ParquetWriter::new(file.try_clone()?)
            .with_compression(ParquetCompression::Zstd(None))
            // Single-threaded encoding: the worker pool already uses every core.
            .set_parallel(false)
            .batched(&schema)?;
        Ok(TableWriter {
            rows,
            writer,
            file,
            tmp_path,
            final_path,
            written: 0,
            finished: false,
        })
    }

    pub fn rows(&mut self) -> &mut R {
        &mut self.rows
    }

    /// Writes a row group if enough rows are buffered.
    pub fn maybe_flush(&mut self) -> PolarsResult<()> {
        if self.rows.len() >= FLUSH_ROWS || self.rows.buffered_bytes() >= FLUSH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> PolarsResult<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let frame = self.rows.take_frame()?;
        self.written += frame.height() as u64;
        self.writer.write_batch(&frame)
    }

    /// Rows written so far, flushed or not.
    pub fn row_count(&self) -> u64 {
        self.written + self.rows.len() as u64
    }

    /// Writes what is left and closes and syncs the file, still under its temporary
    /// name: the run renames all its parts together when it commits
    /// ([`Dataset::commit`](crate::dataset::Dataset::commit)).
    pub fn finish(mut self) -> PolarsResult<PendingPart> {
        self.flush()?;
        self.writer.finish()?;
        self.file.sync_all()?;
        self.finished = true;
        Ok(PendingPart {
            table: self.rows.name(),
            tmp_path: self.tmp_path.clone(),
            final_path: self.final_path.clone(),
            rows: self.written,
        })
    }
}

impl<R: TableRows> Drop for TableWriter<R> {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_file(&self.tmp_path);
        }
    }
}

/// Writes a small, fully built frame to `path` atomically
/// ([`atomic::replace_with`]); for tables computed after the stream, such as
/// comparisons.
pub fn write_frame_atomic(frame: &mut DataFrame, path: &Path) -> PolarsResult<()> {
    atomic::replace_with(path, |file| {
        ParquetWriter::new(file)
            .with_compression(ParquetCompression::Zstd(None))
            .finish(frame)
            .map(drop)
    })
}

/// A string column from optional values.
pub(crate) fn opt_str_column(name: &str, values: Vec<Option<String>>) -> Column {
    Column::new(name.into(), values)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every registered extractor has a table of its own name whose rows take its
    /// mentions (an empty list of another type is refused).
    #[test]
    fn every_extractor_has_its_table() {
        let names = crate::extract::registry::names();
        for name in &names {
            let mut table = mention_table(name).unwrap_or_else(|| panic!("{name}: no table"));
            assert_eq!(table.name(), *name);
            let frame = table.take_frame().unwrap();
            assert_eq!(frame.height(), 0);
            assert_eq!(frame.get_column_names()[0].as_str(), "article_id");
        }
        let mut frames = mention_table("frames").unwrap();
        let figures: Box<dyn MentionList> =
            Box::new(Vec::<crate::extract::figures::FigureMention>::new());
        let err = frames
            .push_list("a", "en", figures)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("frames") && err.contains("FigureMention"),
            "{err}"
        );
        assert!(mention_table("no_such_extractor").is_none());
    }

    #[test]
    fn dropped_writer_leaves_no_part_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut w = TableWriter::create(dir.path(), "r1", RejectRows::default()).unwrap();
            w.rows().push_test_row();
        }
        let (final_path, tmp_path) = part_paths(dir.path(), "rejects", "r1");
        assert!(!final_path.exists() && !tmp_path.exists());
    }

    #[test]
    fn finished_writer_keeps_the_temporary_name_and_polars_reads_it_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = TableWriter::create(dir.path(), "r1", RejectRows::default()).unwrap();
        w.rows().push_test_row();
        let part = w.finish().unwrap();
        assert_eq!(part.rows, 1);
        assert!(!part.final_path.exists(), "renamed only at the commit");
        let df = ParquetReader::new(File::open(&part.tmp_path).unwrap())
            .finish()
            .unwrap();
        assert_eq!(df.height(), 1);
        assert_eq!(
            df.column("reason").unwrap().str().unwrap().get(0),
            Some("invalid_json")
        );
    }
}
