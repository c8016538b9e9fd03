//! newsframe: multilingual news dumps in, Parquet mention and comparison tables out.
//!
//! Data flows one way through the stages, each a module; language knowledge is data in
//! `lexicons/`, read through [`lexicon`], never written into the Rust code.
//!
//! ```text
//! ingest ──▶ prepare ──▶ extract ──▶ tables ──▶ dataset (commit) ──▶ compare ──▶ report
//! records    Document    Mentions    parts      manifests            compare/    report.html
//! ```
//!
//! # Module map
//!
//! **The stages**
//! - [`ingest`]: input paths → [`ingest::Record`]s (JSONL, JSON arrays, text files,
//!   WARC, compressed or not), each an article or a reject with its reason.
//! - [`prepare`]: a raw article → a [`prepare::Document`]: cleaned text, language and
//!   script ([`prepare::language`]), sentences and tokens ([`prepare::segment`]). One
//!   small module per language in [`prepare::languages`].
//! - [`extract`]: the extractors (`--extract`) over one document: [`extract::frames`],
//!   [`extract::entities`] (with the NER model in [`extract::ner`]) and
//!   [`extract::figures`], sharing the term matcher ([`extract::terms`]) and the
//!   mention context, i.e. quotes, speakers and negation ([`extract::context`]).
//! - [`tables`]: one columnar row buffer per table, written as Parquet row groups into
//!   a part under a temporary name.
//! - [`dataset`]: the output folder: lock, recovery, inputs already processed, the run
//!   manifests ([`dataset::manifest`]), atomic writes ([`dataset::atomic`]) and the
//!   commit protocol ([`dataset::commit`]).
//! - [`pipeline`]: `newsframe run` as open → stream → commit → refresh, with bounded
//!   memory and the same rows for any thread count.
//! - [`compare`]: the per-group summaries and keyness of `OUT/compare/`; [`report`]
//!   draws them as one HTML page.
//!
//! **The command line and tools**
//! - [`cli`]: every subcommand and its exit codes; [`progress`]: the progress bar.
//! - [`inspect`]: one article's language, sentences and matches in a terminal.
//! - [`eval_ner`], [`eval_figures`], [`eval_context`]: score entities, figures, and
//!   speakers and stance on annotated files; [`train_ner`]: train an NER model.
//! - [`bench_corpus`]: the synthetic corpus of the throughput benches.
//! - [`invariants`]: what must hold for any input, for the property tests and fuzzing.
//!
//! # Where to add
//!
//! - **A language**: a module in `src/prepare/languages/`, registered in
//!   [`prepare::languages::all`], and its folder `lexicons/<code>/`;
//!   `src/prepare/languages/dummy_example.rs` walks through it.
//! - **A lexicon file**: `lexicons/<lang>/<name>.tsv` (or a shared one in `lexicons/`),
//!   read with [`lexicon::LexiconSet::tsv`] by the component that uses it, which makes
//!   `newsframe lexicon check` validate it; document its columns in `lexicons/README.md`.
//! - **An extractor**: a module in `src/extract/` implementing [`extract::Extractor`]
//!   (and [`extract::Mention`] for its mention type), a line in
//!   [`extract::EXTRACTORS`], and its table's row buffer in `src/tables/`
//!   ([`tables::MentionRows`], named in [`tables::mention_table`]). The writer,
//!   `analyze`, `inspect`, the invariant checks and the manifest loop over the
//!   registry; [`extract::registry`] says how, and `tests/extractor_example.rs` is a
//!   complete small one.
//! - **A table** other than a mention table: a row buffer in `src/tables/`
//!   implementing [`tables::TableRows`], a writer in the pipeline's writing end
//!   (`src/pipeline/writer.rs`), its columns in README's data dictionary and in
//!   `tests/common`'s table list. [`dataset::Dataset::commit`] commits whatever parts
//!   the run hands it, so the dataset needs no change.
//!
//! # Example
//!
//! The stages without the output folder: prepare one article and find its frames and
//! figures, as each worker thread of a run does. (Not a doctest, which would link a
//! test binary on every `cargo test`: `tests/properties.rs` runs this very file.)
//!
//! ```ignore
#![doc = include_str!("../tests/common/crate_doc_example.rs")]
//! ```

pub mod analyze;
pub mod bench_corpus;
pub mod cli;
pub mod compare;
pub mod dataset;
pub mod eval_context;
pub mod eval_figures;
pub mod eval_ner;
pub mod extract;
pub mod ingest;
pub mod inspect;
pub mod invariants;
pub mod lexicon;
pub mod pipeline;
pub mod prepare;
pub mod progress;
pub mod report;
pub mod tables;
pub mod train_ner;

/// The run manifest types, at their old path (they live in [`dataset::manifest`]).
pub use dataset::manifest;
