//! `--partition-by published:day`: one table written as Hive-style folders,
//! `OUT/<table>/published_day=2023-09-28/part-<run>.parquet`, which polars, pandas
//! (pyarrow) and DuckDB read back with a `published_day` column. Articles without a
//! date go to `published_day=__HIVE_DEFAULT_PARTITION__`, the Hive name for null.
//! Without partitioning this is a single writer for `OUT/<table>/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::PolarsResult;

use super::{TableRows, TableWriter};
use crate::dataset::PendingPart;

pub const PARTITION_COLUMN: &str = "published_day";
pub const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

pub struct PartitionedWriter<R: TableRows> {
    dir: PathBuf,
    run_id: String,
    partitioned: bool,
    /// The table's empty row buffer, copied for each part.
    empty: R,
    /// Partition folder name (`""` when not partitioned) → its part's writer. Opened on
    /// first use, so a run writes parts only for the days it saw.
    writers: BTreeMap<String, TableWriter<R>>,
}

impl<R: TableRows> PartitionedWriter<R> {
    /// The writer of `rows`' table (given empty) under `out`.
    pub fn create(out: &Path, run_id: &str, partitioned: bool, rows: R) -> PolarsResult<Self> {
        let mut w = PartitionedWriter {
            dir: out.join(rows.name()),
            run_id: run_id.to_string(),
            partitioned,
            empty: rows,
            writers: BTreeMap::new(),
        };
        if !partitioned {
            // Unpartitioned tables always get a part, even an empty one.
            w.writer(None)?;
        }
        Ok(w)
    }

    /// The writer for rows of an article published at `published` (ms since epoch).
    pub fn writer(&mut self, published: Option<i64>) -> PolarsResult<&mut TableWriter<R>> {
        let key = if self.partitioned {
            format!("{PARTITION_COLUMN}={}", day(published))
        } else {
            String::new()
        };
        if !self.writers.contains_key(&key) {
            let dir = if key.is_empty() {
                self.dir.clone()
            } else {
                self.dir.join(&key)
            };
            let writer = TableWriter::create_in(&dir, &self.run_id, self.empty.fresh())?;
            self.writers.insert(key.clone(), writer);
        }
        Ok(self.writers.get_mut(&key).expect("inserted above"))
    }

    /// The table's name.
    pub fn name(&self) -> &'static str {
        self.empty.name()
    }

    pub fn finish(self) -> PolarsResult<Vec<PendingPart>> {
        let mut parts = Vec::new();
        for (_, writer) in self.writers {
            parts.push(writer.finish()?);
        }
        Ok(parts)
    }
}

/// `YYYY-MM-DD` in UTC, or the Hive null partition.
fn day(published: Option<i64>) -> String {
    published
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| NULL_PARTITION.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_in_utc_and_the_null_partition() {
        assert_eq!(day(Some(1_695_859_200_000)), "2023-09-28");
        assert_eq!(day(Some(1_695_859_200_000 - 1)), "2023-09-27");
        assert_eq!(day(None), NULL_PARTITION);
    }
}
