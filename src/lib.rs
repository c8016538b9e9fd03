//! newsframe: multilingual news dumps in, Parquet mention and comparison tables out.
//!
//! Data flows one way through the stages, each a module:
//! [`ingest`] (records from files and stdin) → [`prepare`] (clean, language, segment)
//! → tables written by [`pipeline`] via [`tables`]. Language knowledge lives in
//! `lexicons/` and is read through [`lexicon`].

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
