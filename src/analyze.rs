//! The in-memory entry point: a table of articles in, the run's tables out, with no
//! files on either side (the Python module's `newsframe.analyze`).
//!
//! Each row becomes the same input record that the CLI makes of a JSONL line: the
//! row's columns are mapped through the same field aliases ([`RawArticle::from_json`]),
//! then prepared and extracted by the pipeline's own `process`, chunk by chunk in a
//! worker pool, in row order whatever the thread count. Duplicates are marked as a run
//! marks them, against the earlier rows of the same call.
//!
//! Provenance: an in-memory table is read like a JSON array, so `input_file` is
//! [`MEMORY_INPUT`] and `input_record` the 0-based row number, unless the table has
//! `input_file` / `input_record` columns, which are then used as they are (so that a
//! caller that read files itself, such as the Spark job, keeps the CLI's values).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use polars::prelude::*;
use rayon::prelude::*;
use serde_json::{Map, Number, Value};

use crate::dataset::duplicates::DuplicateIndex;
use crate::extract::{Extractors, Mentions, EXTRACTORS};
use crate::ingest::{read_bytes, Payload, RawArticle, ReadLimits, Record, Reject};
use crate::manifest::Counts;
use crate::pipeline::{duplicate_of, load_stages, process, Outcome, RunError};
use crate::prepare::Document;
use crate::tables::{mention_table, ArticleRows, MentionTable, RejectRows, TableRows};

/// `input_file` of rows that do not carry their own.
pub const MEMORY_INPUT: &str = "<memory>";
/// Columns that give a row's provenance instead of being article fields.
pub const INPUT_FILE_COLUMN: &str = "input_file";
pub const INPUT_RECORD_COLUMN: &str = "input_record";

/// Rows prepared per batch handed to the worker pool (the pipeline's chunk size).
const CHUNK_ROWS: usize = 256;

#[derive(Debug, Clone, Default)]
pub struct AnalyzeOptions {
    pub lexicons: Option<PathBuf>,
    pub models: Option<PathBuf>,
    /// Extractors to run (`None`: all of them); tables of the others come back empty.
    pub extract: Option<Vec<String>>,
    /// Worker threads; 0 means all cores.
    pub threads: usize,
}

/// The tables of one call, with the Parquet tables' columns and types.
pub struct Tables {
    pub articles: DataFrame,
    pub rejects: DataFrame,
    /// One table per registered extractor (empty for those not run), in registry order.
    pub mentions: Vec<(&'static str, DataFrame)>,
    pub counts: Counts,
}

impl Tables {
    /// `(name, table)` in the order of the data dictionary.
    pub fn into_named(self) -> Vec<(&'static str, DataFrame)> {
        let mut named = vec![("articles", self.articles), ("rejects", self.rejects)];
        named.extend(self.mentions);
        named
    }

    /// A mention table by its extractor's name.
    pub fn table(&self, name: &str) -> Option<&DataFrame> {
        self.mentions
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t)
    }
}

/// Checks extractor names as the CLI's `--extract` does.
pub fn check_extract(names: &[String]) -> Result<(), RunError> {
    let known = crate::extract::registry::names();
    match names.iter().find(|n| !known.contains(&n.as_str())) {
        Some(bad) => Err(RunError::Usage(format!(
            "invalid value '{bad}' for '--extract <EXTRACT>': possible values: {}",
            known.join(", ")
        ))),
        None => Ok(()),
    }
}

/// Analyses every row of `input` (one article per row, columns named as the CLI's
/// JSON fields, aliases included).
pub fn analyze(input: &DataFrame, opts: &AnalyzeOptions) -> Result<Tables, RunError> {
    let stages = Stages::load(opts)?;
    let rows = RowReader::new(input)?;
    let mut sink = Sink::new(&stages.loaded.extractors)?;
    let height = input.height();
    for start in (0..height).step_by(CHUNK_ROWS) {
        let end = (start + CHUNK_ROWS).min(height);
        let done: Vec<Outcome> = stages.pool.install(|| {
            (start..end)
                .into_par_iter()
                .map(|i| {
                    let loaded = &stages.loaded;
                    process(&loaded.preparer, &loaded.extractors, rows.record(i))
                })
                .collect()
        });
        done.into_iter().for_each(|o| sink.write(o));
    }
    sink.finish().map_err(|e| RunError::Failed(e.into()))
}

/// Analyses whole files held in memory, `(name, bytes)`, read by the CLI's own readers
/// (JSONL, JSON, text, WARC; detected from the name and content as for a file on
/// disk, uncompressed): the rows are those `newsframe run` gives for the same files,
/// with `name` as `input_file`. For engines that hand over files, such as Spark's
/// `binaryFile` source.
pub fn analyze_files(
    files: &[(String, Vec<u8>)],
    opts: &AnalyzeOptions,
) -> Result<Tables, RunError> {
    let stages = Stages::load(opts)?;
    let mut sink = Sink::new(&stages.loaded.extractors)?;
    let limits = ReadLimits::default();
    let mut chunk = Vec::with_capacity(CHUNK_ROWS);
    for (name, bytes) in files {
        read_bytes(name, bytes, &limits, &mut |record| {
            chunk.push(record);
            if chunk.len() >= CHUNK_ROWS {
                stages.process(std::mem::take(&mut chunk), &mut sink);
            }
            true
        });
    }
    stages.process(chunk, &mut sink);
    sink.finish().map_err(|e| RunError::Failed(e.into()))
}

/// The pipeline's stages, as loaded from lexicons and models.
struct Loaded {
    preparer: crate::prepare::Preparer,
    extractors: Extractors,
}

/// The stages of the bundled lexicons and models, with the extractors they were loaded
/// for. A process that calls `analyze` once per batch (a Spark worker, a notebook loop)
/// loads them once instead of per call (half a second each). Folders the caller names
/// are read on every call, since their files may change between calls.
static BUNDLED: Mutex<Option<BundledStages>> = Mutex::new(None);

/// The `--extract` names the stages were loaded for, and the stages.
type BundledStages = (Option<Vec<String>>, Arc<Loaded>);

impl Loaded {
    fn get(opts: &AnalyzeOptions) -> Result<Arc<Loaded>, RunError> {
        if opts.lexicons.is_some() || opts.models.is_some() {
            return Loaded::load(opts).map(Arc::new);
        }
        // A poisoned lock only means another call panicked; the cached value is whole.
        let mut cache = BUNDLED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((extract, loaded)) = cache.as_ref() {
            if *extract == opts.extract {
                return Ok(Arc::clone(loaded));
            }
        }
        let loaded = Arc::new(Loaded::load(opts)?);
        *cache = Some((opts.extract.clone(), Arc::clone(&loaded)));
        Ok(loaded)
    }

    fn load(opts: &AnalyzeOptions) -> Result<Self, RunError> {
        let (_lexicons, preparer, extractors) = load_stages(
            opts.lexicons.as_deref(),
            opts.models.as_deref(),
            opts.extract.as_deref(),
        )?;
        Ok(Loaded {
            preparer,
            extractors,
        })
    }
}

/// What a call uses: the loaded stages and its own worker pool.
struct Stages {
    loaded: Arc<Loaded>,
    pool: rayon::ThreadPool,
}

impl Stages {
    fn load(opts: &AnalyzeOptions) -> Result<Self, RunError> {
        if let Some(names) = &opts.extract {
            check_extract(names)?;
        }
        let loaded = Loaded::get(opts)?;
        let threads = match opts.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("newsframe-analyze-{i}"))
            .build()
            .map_err(|e| RunError::Failed(anyhow::anyhow!("cannot start worker threads: {e}")))?;
        Ok(Stages { loaded, pool })
    }

    /// Prepares and extracts a chunk in the pool, then writes it in input order.
    fn process(&self, records: Vec<Record>, sink: &mut Sink) {
        let done: Vec<Outcome> = self.pool.install(|| {
            records
                .into_par_iter()
                .map(|r| process(&self.loaded.preparer, &self.loaded.extractors, r))
                .collect()
        });
        done.into_iter().for_each(|o| sink.write(o));
    }
}

/// Reads one row at a time from the input's columns (rechunked, for random access).
struct RowReader {
    fields: Vec<(String, Column)>,
    input_file: Option<StringChunked>,
    input_record: Option<UInt64Chunked>,
}

impl RowReader {
    fn new(input: &DataFrame) -> Result<Self, RunError> {
        let usage = |e: PolarsError| RunError::Usage(format!("articles: {e}"));
        let mut fields = Vec::new();
        let (mut input_file, mut input_record) = (None, None);
        for column in input.columns() {
            let column = column.rechunk();
            match column.name().as_str() {
                INPUT_FILE_COLUMN => {
                    input_file = Some(
                        column
                            .cast(&DataType::String)
                            .map_err(usage)?
                            .str()
                            .map_err(usage)?
                            .clone(),
                    );
                }
                INPUT_RECORD_COLUMN => {
                    let cast = column.strict_cast(&DataType::UInt64).map_err(|e| {
                        RunError::Usage(format!(
                            "articles: column {INPUT_RECORD_COLUMN} must hold non-negative integers: {e}"
                        ))
                    })?;
                    input_record = Some(cast.u64().map_err(usage)?.clone());
                }
                name => fields.push((name.to_string(), column)),
            }
        }
        Ok(RowReader {
            fields,
            input_file,
            input_record,
        })
    }

    /// Row `i` as the record the CLI would read from a JSON object with these fields.
    fn record(&self, i: usize) -> Record {
        let mut map = Map::new();
        for (name, column) in &self.fields {
            if let Some(value) = column.get(i).ok().and_then(json_value) {
                map.insert(name.clone(), value);
            }
        }
        let input_file: Arc<str> = Arc::from(
            self.input_file
                .as_ref()
                .and_then(|c| c.get(i))
                .unwrap_or(MEMORY_INPUT),
        );
        let input_record = self
            .input_record
            .as_ref()
            .and_then(|c| c.get(i))
            .unwrap_or(i as u64);
        let value = Value::Object(map);
        let payload = match RawArticle::from_json(value.clone(), b"") {
            Ok(article) => Payload::Article(article),
            // The reject shows the row as JSON, as a JSONL reject shows its line.
            Err(reject) => Payload::Reject(Reject::new(
                reject.reason,
                reject.detail,
                value.to_string().as_bytes(),
            )),
        };
        Record {
            input_file,
            input_record,
            payload,
        }
    }
}

/// A cell as the JSON value a reader of the same record in JSONL would see; `None` for
/// nulls (an absent field) and types no article field can use.
fn json_value(cell: AnyValue<'_>) -> Option<Value> {
    Some(match cell {
        AnyValue::Null => return None,
        AnyValue::String(s) => Value::String(s.to_string()),
        AnyValue::StringOwned(s) => Value::String(s.to_string()),
        AnyValue::Boolean(b) => Value::Bool(b),
        AnyValue::Int8(n) => Value::from(n),
        AnyValue::Int16(n) => Value::from(n),
        AnyValue::Int32(n) => Value::from(n),
        AnyValue::Int64(n) => Value::from(n),
        AnyValue::UInt8(n) => Value::from(n),
        AnyValue::UInt16(n) => Value::from(n),
        AnyValue::UInt32(n) => Value::from(n),
        AnyValue::UInt64(n) => Value::from(n),
        AnyValue::Float32(x) => Value::Number(Number::from_f64(x as f64)?),
        AnyValue::Float64(x) => Value::Number(Number::from_f64(x)?),
        AnyValue::List(items) => Value::Array(items.iter().filter_map(json_value).collect()),
        _ => return None,
    })
}

/// The in-memory counterpart of the pipeline's writer: rows, duplicates and counts.
struct Sink {
    articles: ArticleRows,
    rejects: RejectRows,
    /// A table for every registered extractor; those that do not run stay empty.
    mentions: Vec<Box<dyn MentionTable>>,
    seen: DuplicateIndex,
    counts: Counts,
    /// The first error appending rows (an extractor whose mentions its table does not
    /// take), reported by `finish`.
    failure: Option<PolarsError>,
}

impl Sink {
    fn new(extractors: &Extractors) -> Result<Self, RunError> {
        let mut counts = Counts::default();
        // As in a run, a mention table's count is present when its extractor ran.
        for name in extractors.names() {
            counts.mentions.insert(name.to_string(), 0);
        }
        let mentions = EXTRACTORS
            .iter()
            .map(|r| {
                mention_table(r.name).ok_or_else(|| {
                    RunError::Failed(anyhow::anyhow!("the {} extractor has no table", r.name))
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Sink {
            articles: ArticleRows::default(),
            rejects: RejectRows::default(),
            mentions,
            seen: DuplicateIndex::default(),
            counts,
            failure: None,
        })
    }

    fn write(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Skipped(reason) => {
                *self
                    .counts
                    .skipped_records
                    .entry(reason.to_string())
                    .or_default() += 1;
            }
            Outcome::Article(doc, mentions) => {
                self.counts.records_read += 1;
                self.counts.articles += 1;
                *self.counts.by_language.entry(doc.lang.clone()).or_default() += 1;
                if let Err(e) = append(&mut self.mentions, &mut self.counts, &doc, mentions) {
                    self.failure.get_or_insert(e);
                }
                let duplicate_of = duplicate_of(&mut self.seen, &doc, &mut self.counts);
                self.articles.push(*doc, duplicate_of);
            }
            Outcome::Reject {
                file,
                record,
                reject,
            } => {
                self.counts.records_read += 1;
                self.counts.rejects += 1;
                *self
                    .counts
                    .rejects_by_reason
                    .entry(reject.reason.as_str().to_string())
                    .or_default() += 1;
                self.rejects.push(&file, record, reject);
            }
        }
    }

    fn finish(mut self) -> PolarsResult<Tables> {
        if let Some(e) = self.failure.take() {
            return Err(e);
        }
        Ok(Tables {
            articles: self.articles.take_frame()?,
            rejects: self.rejects.take_frame()?,
            mentions: self
                .mentions
                .iter_mut()
                .map(|t| Ok((t.name(), t.take_frame()?)))
                .collect::<PolarsResult<_>>()?,
            counts: self.counts,
        })
    }
}

fn append(
    tables: &mut [Box<dyn MentionTable>],
    counts: &mut Counts,
    doc: &Document,
    mentions: Mentions,
) -> PolarsResult<()> {
    for (name, list) in mentions.into_lists() {
        if let Some(n) = counts.mentions.get_mut(name) {
            *n += list.len() as u64;
        }
        if let Some(table) = tables.iter_mut().find(|t| t.name() == name) {
            table.push_list(&doc.article_id, &doc.lang, list)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> AnalyzeOptions {
        AnalyzeOptions {
            threads: 2,
            ..AnalyzeOptions::default()
        }
    }

    #[test]
    fn aliases_map_onto_articles_and_a_row_without_text_is_a_reject() {
        let input = df!(
            "headline" => [Some("Fuel depot blast"), Some("Only a title")],
            "body" => [Some("Residents fled the fuel depot after the blast on Monday. Officials said 68 people died."), None],
            "id" => [Some(7i64), Some(8)],
        )
        .unwrap();
        let t = analyze(&input, &options()).unwrap();
        assert_eq!(t.articles.height(), 1);
        let articles = &t.articles;
        assert_eq!(
            articles.column("article_id").unwrap().str().unwrap().get(0),
            Some("7")
        );
        assert_eq!(
            articles.column("title").unwrap().str().unwrap().get(0),
            Some("Fuel depot blast")
        );
        assert_eq!(
            articles.column("input_file").unwrap().str().unwrap().get(0),
            Some(MEMORY_INPUT)
        );
        assert_eq!(
            articles
                .column("input_record")
                .unwrap()
                .u64()
                .unwrap()
                .get(0),
            Some(0)
        );
        assert_eq!(t.rejects.height(), 1);
        let rejects = &t.rejects;
        assert_eq!(
            rejects.column("reason").unwrap().str().unwrap().get(0),
            Some("empty_text")
        );
        assert_eq!(
            rejects
                .column("input_record")
                .unwrap()
                .u64()
                .unwrap()
                .get(0),
            Some(1)
        );
        assert!(rejects
            .column("raw_prefix")
            .unwrap()
            .str()
            .unwrap()
            .get(0)
            .unwrap()
            .contains("Only a title"));
        assert_eq!(t.counts.records_read, 2);
        assert!(
            t.table("figures").unwrap().height() > 0,
            "68 people is a figure"
        );
    }

    #[test]
    fn provenance_columns_and_paragraph_lists_are_used() {
        let text = Series::new(
            "text".into(),
            [Series::new(
                "".into(),
                ["First paragraph here.", "Second one."],
            )],
        );
        let input = DataFrame::new(
            1,
            vec![
                text.into(),
                Column::new("input_file".into(), ["a.jsonl"]),
                Column::new("input_record".into(), [5i64]),
            ],
        )
        .unwrap();
        let t = analyze(&input, &options()).unwrap();
        let text = t
            .articles
            .column("text")
            .unwrap()
            .str()
            .unwrap()
            .get(0)
            .unwrap()
            .to_string();
        assert!(
            text.contains("First paragraph here.\n\nSecond one."),
            "{text}"
        );
        assert_eq!(
            t.articles
                .column("input_file")
                .unwrap()
                .str()
                .unwrap()
                .get(0),
            Some("a.jsonl")
        );
        assert_eq!(
            t.articles
                .column("input_record")
                .unwrap()
                .u64()
                .unwrap()
                .get(0),
            Some(5)
        );
    }

    #[test]
    fn same_rows_for_any_thread_count_and_duplicates_marked() {
        let texts: Vec<String> = (0..600)
            .map(|i| {
                format!(
                    "Report {} from Stepanakert: {} families left on Tuesday.",
                    i % 300,
                    i % 300
                )
            })
            .collect();
        let input = df!("text" => texts).unwrap();
        let one = analyze(
            &input,
            &AnalyzeOptions {
                threads: 1,
                ..options()
            },
        )
        .unwrap();
        let two = analyze(&input, &options()).unwrap();
        assert!(one.articles.equals_missing(&two.articles));
        assert!(one
            .table("figures")
            .unwrap()
            .equals_missing(two.table("figures").unwrap()));
        assert_eq!(one.counts.duplicates, 300);
    }

    #[test]
    fn files_are_read_by_the_cli_readers_with_their_rejects() {
        let jsonl =
            b"{\"text\": \"Two buses left Goris on Monday with 40 people.\"}\nnot json\n[1]\n"
                .to_vec();
        let text = b"A title line\nThe body of a plain text article about Lachin.\n".to_vec();
        let files = vec![
            ("in/a.jsonl".to_string(), jsonl),
            ("in/wire/b.txt".to_string(), text),
        ];
        let t = analyze_files(&files, &options()).unwrap();
        let files_col = t.articles.column("input_file").unwrap().str().unwrap();
        assert_eq!(files_col.get(0), Some("in/a.jsonl"));
        assert_eq!(files_col.get(1), Some("in/wire/b.txt"));
        assert_eq!(
            t.articles.column("source").unwrap().str().unwrap().get(1),
            Some("wire")
        );
        let rejects = &t.rejects;
        let reason = rejects.column("reason").unwrap().str().unwrap();
        let line = rejects.column("input_record").unwrap().u64().unwrap();
        let found: Vec<_> = (0..rejects.height())
            .map(|i| (reason.get(i).unwrap(), line.get(i).unwrap()))
            .collect();
        assert_eq!(found, [("invalid_json", 2), ("not_an_object", 3)]);
    }

    #[test]
    fn bundled_stages_are_loaded_once_per_process_and_named_folders_each_call() {
        let bundled = options();
        let first = Loaded::get(&bundled).unwrap();
        assert!(Arc::ptr_eq(&first, &Loaded::get(&bundled).unwrap()));
        let folder = AnalyzeOptions {
            lexicons: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("lexicons")),
            ..options()
        };
        let named = Loaded::get(&folder).unwrap();
        assert!(!Arc::ptr_eq(&named, &Loaded::get(&folder).unwrap()));
        assert!(!Arc::ptr_eq(&named, &first));
    }

    #[test]
    fn bad_lexicon_folder_and_unknown_extractor_are_usage_errors() {
        let input = df!("text" => ["x"]).unwrap();
        let bad = AnalyzeOptions {
            lexicons: Some(PathBuf::from("/nonexistent/lexicons")),
            ..options()
        };
        assert!(
            matches!(analyze(&input, &bad), Err(RunError::Usage(m)) if m.starts_with("lexicons:"))
        );
        let bad = AnalyzeOptions {
            extract: Some(vec!["nouns".to_string()]),
            ..options()
        };
        assert!(matches!(analyze(&input, &bad), Err(RunError::Usage(m)) if m.contains("nouns")));
    }
}
