//! Reading a table back one row group at a time, so that what reads a dataset (compare,
//! the duplicate index) holds a row group (bounded by the writer), not the table.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::Context;
use polars::prelude::*;

/// Parquet parts below `dir` (partition folders included), sorted; hidden and
/// temporary files (and anything in a hidden folder) are not parts. A table that
/// cannot be listed has none.
pub fn parts(dir: &Path) -> Vec<PathBuf> {
    let visible = |path: &PathBuf| {
        path.strip_prefix(dir).is_ok_and(|below| {
            below
                .components()
                .all(|c| !c.as_os_str().to_string_lossy().starts_with('.'))
        })
    };
    crate::dataset::recover::files_under(dir)
        .unwrap_or_default()
        .into_iter()
        .filter(|p| visible(p) && p.extension().is_some_and(|e| e == "parquet"))
        .collect()
}

/// Calls `each` with every row group of every part of `OUT/<table>`, in part order and
/// row order, holding `columns` only. A column missing from a part (written before the
/// column existed) comes as nulls of its type. Returns whether the table has a part.
pub fn for_each_batch(
    out: &Path,
    table: &str,
    columns: &[(&str, DataType)],
    each: impl FnMut(&DataFrame) -> anyhow::Result<()>,
) -> anyhow::Result<bool> {
    for_each_batch_of(out, table, columns, |_| true, each)
}

/// [`for_each_batch`] over the parts `keep` accepts.
pub fn for_each_batch_of(
    out: &Path,
    table: &str,
    columns: &[(&str, DataType)],
    keep: impl Fn(&Path) -> bool,
    mut each: impl FnMut(&DataFrame) -> anyhow::Result<()>,
) -> anyhow::Result<bool> {
    let parts: Vec<PathBuf> = parts(&out.join(table))
        .into_iter()
        .filter(|p| keep(p))
        .collect();
    for part in &parts {
        let context = || format!("cannot read {}", part.display());
        let open = || File::open(part).with_context(context);
        let mut reader = ParquetReader::new(open()?);
        let metadata = anyhow::Context::with_context(reader.get_metadata(), context)?.clone();
        let schema = anyhow::Context::with_context(reader.schema(), context)?;
        let present: Vec<String> = columns
            .iter()
            .filter(|(name, _)| schema.contains(name))
            .map(|(name, _)| name.to_string())
            .collect();
        let mut offset = 0;
        for group in &metadata.row_groups {
            let rows = group.num_rows();
            // The row-group strategy reads only the row groups the slice overlaps; the
            // others would decode (and page in) every row group for each slice.
            let mut reader = ParquetReader::new(open()?)
                .read_parallel(ParallelStrategy::RowGroups)
                .with_columns(Some(present.clone()))
                .with_slice(Some((offset, rows)));
            reader.set_metadata(metadata.clone());
            let mut batch = anyhow::Context::with_context(reader.finish(), context)?;
            offset += rows;
            for (name, dtype) in columns {
                if !schema.contains(name) {
                    let nulls = Column::full_null((*name).into(), batch.height(), dtype);
                    anyhow::Context::with_context(batch.with_column(nulls), context)?;
                }
            }
            each(&batch).with_context(context)?;
        }
    }
    Ok(!parts.is_empty())
}

/// The values of a string column, `None` for nulls.
pub fn strs<'a>(batch: &'a DataFrame, name: &str) -> PolarsResult<&'a StringChunked> {
    batch.column(name)?.str()
}

/// Writes `frame` to `path` in row groups of `rows` rows (for tests that need many).
#[cfg(test)]
pub fn write_in_row_groups(path: &Path, frame: &DataFrame, rows: usize) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut writer = ParquetWriter::new(File::create(path).unwrap())
        .batched(frame.schema())
        .unwrap();
    for offset in (0..frame.height()).step_by(rows) {
        writer
            .write_batch(&frame.slice(offset as i64, rows))
            .unwrap();
    }
    writer.finish().unwrap();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_the_visible_parquet_files_in_order() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "published_day=2023-09-28/part-b.parquet",
            "published_day=2023-09-27/part-a.parquet",
            "part-c.parquet",
            ".part-d.parquet.tmp",
            ".hidden/part-e.parquet",
            "published_day=2023-09-27/notes.txt",
        ] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, b"").unwrap();
        }
        let found: Vec<String> = parts(dir.path())
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(
            found,
            [
                "part-c.parquet",
                "published_day=2023-09-27/part-a.parquet",
                "published_day=2023-09-28/part-b.parquet"
            ]
        );
        assert!(parts(&dir.path().join("missing")).is_empty());
    }

    #[test]
    fn reads_every_row_group_of_every_part_and_fills_missing_columns() {
        let dir = tempfile::tempdir().unwrap();
        let table = dir.path().join("t");
        for (part, n) in [("part-a.parquet", 5usize), ("day=x/part-b.parquet", 3)] {
            let ids: Vec<String> = (0..n).map(|i| format!("{part}-{i}")).collect();
            let df = DataFrame::new(n, vec![Column::new("id".into(), ids)]).unwrap();
            write_in_row_groups(&table.join(part), &df, 2);
        }
        std::fs::write(table.join(".part-tmp.parquet"), b"not parquet").unwrap();
        let mut seen = Vec::new();
        let mut batches = 0;
        let columns = [("id", DataType::String), ("absent", DataType::Boolean)];
        let any = for_each_batch(dir.path(), "t", &columns, |batch| {
            batches += 1;
            assert_eq!(batch.column("absent")?.null_count(), batch.height());
            seen.extend(strs(batch, "id")?.iter().flatten().map(String::from));
            Ok(())
        })
        .unwrap();
        assert!(any);
        assert_eq!(batches, 2 + 3, "row groups of 2 rows: 2 + 3 of them");
        assert_eq!(seen.len(), 8);
        assert!(seen[0].starts_with("day=x/part-b"), "parts in path order");
        assert!(!for_each_batch(dir.path(), "none", &columns, |_| Ok(())).unwrap());
    }
}
