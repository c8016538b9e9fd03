//! The run: **open** the output folder as a dataset → **stream** the inputs through
//! ingest → prepare → extract → tables → **commit** the run's parts and manifest →
//! **refresh** `compare/` and `report.html`. [`run`] reads as those four steps; each is
//! a small function here, the stream itself is in `stream.rs` and the writing end
//! (table writers, duplicates, counts) in `writer.rs`.
//!
//! Everything about the output folder (lock, recovery, skipping inputs already
//! processed, the commit protocol, the manifests) is [`crate::dataset`]'s.

mod stream;
mod writer;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;

use crate::dataset::manifest::{self, InputInfo, LexiconInfo, Manifest, SkippedInfo};
use crate::dataset::{Dataset, OpenError, Selection};
use crate::extract::ner::LoadError;
use crate::extract::Extractors;
use crate::ingest::{resolve_inputs, Input, ReadLimits, RejectReason, Shard, SkippedPath};
use crate::lexicon::LexiconSet;
use crate::prepare::Preparer;

// For sibling modules that run the per-record stages themselves (in-memory input).
use stream::Streamed;
#[allow(unused_imports)]
pub(crate) use stream::{process, Outcome};
pub(crate) use writer::duplicate_of;
use writer::Writer;

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

/// Runs the pipeline and returns the manifest it wrote.
pub fn run(opts: &RunOptions) -> Result<Manifest, RunError> {
    let clock = (chrono::Utc::now(), Instant::now());
    let (inputs, skipped) =
        resolve_inputs(&opts.inputs).map_err(|e| RunError::Usage(e.to_string()))?;
    let stages = Stages::load(opts)?;
    if opts.shard.is_some() && inputs.iter().any(|i| i.path.is_none()) {
        return Err(RunError::Usage(
            "--shard needs files or folders; standard input cannot be split".to_string(),
        ));
    }
    // Held until this function returns: every write below happens under its lock.
    let (mut dataset, run_id) = open(opts)?;
    let selection = dataset.select(inputs, opts.shard);
    let streamed = write_tables(opts, &run_id, &stages, &mut dataset, &selection)?;
    let manifest = run_manifest(opts, run_id, clock, &stages, selection, &skipped, &streamed);
    let manifest = dataset
        .commit(&streamed.parts, manifest)
        .map_err(anyhow::Error::from)?;
    // The models, lexicons and worker threads are not needed any more: freed (and the
    // heap trimmed) before the refresh so that its peak does not add to theirs.
    drop(stages);
    release_free_memory();
    refresh(&dataset, manifest)
}

/// What the stream runs: the preparer, the extractors and the worker threads, loaded
/// once per run.
pub(crate) struct Stages {
    preparer: Preparer,
    extractors: Extractors,
    pool: rayon::ThreadPool,
    lexicons: LexiconInfo,
}

impl Stages {
    fn load(opts: &RunOptions) -> Result<Stages, RunError> {
        let (lexicons, preparer, extractors) = load_stages(
            opts.lexicons.as_deref(),
            opts.models.as_deref(),
            opts.extract.as_deref(),
        )?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(opts.threads.max(1))
            .thread_name(|i| format!("newsframe-worker-{i}"))
            .build()
            .context("cannot start worker threads")?;
        Ok(Stages {
            preparer,
            extractors,
            pool,
            lexicons: LexiconInfo {
                origin: lexicons.origin().to_string(),
                hash: lexicons.hash(),
            },
        })
    }
}

/// The lexicons, the prepare stage and the extractors a run uses; a bad lexicon folder
/// or model is a usage error. For any caller that runs [`process`] itself.
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

/// Opens (locks and recovers) the output folder and picks the run id, refusing a
/// layout or run id that clashes with the committed runs.
fn open(opts: &RunOptions) -> Result<(Dataset, String), RunError> {
    let dataset = Dataset::open(&opts.out, opts.overwrite).map_err(|e| match e {
        OpenError::Locked(e) => RunError::Failed(e.into()),
        OpenError::Other(e) => RunError::Failed(e),
    })?;
    dataset
        .check_layout(&partition_by(opts))
        .map_err(RunError::Usage)?;
    let run_id = dataset
        .run_id(opts.run_id.as_deref(), opts.shard)
        .map_err(RunError::Usage)?;
    Ok((dataset, run_id))
}

/// Streams the selected inputs into the run's (pending) parts.
fn write_tables(
    opts: &RunOptions,
    run_id: &str,
    stages: &Stages,
    dataset: &mut Dataset,
    selection: &Selection,
) -> anyhow::Result<Streamed> {
    let inputs: Vec<Input> = selection.todo.iter().map(|(i, _)| i.clone()).collect();
    log::info!(
        "run {run_id}: {} inputs to process, {} already processed, {} in other shards",
        inputs.len(),
        selection.skipped.len(),
        selection.other_shards
    );
    let seen = std::mem::take(&mut dataset.seen);
    let mut writer = Writer::create(
        &opts.out,
        run_id,
        &stages.extractors,
        seen,
        opts.partition_by_day,
    )?;
    if inputs.is_empty() {
        // Nothing new: no empty parts, only the run manifest recording the skips.
        writer.disable();
    }
    stream::stream(&inputs, opts.limits, opts.progress, stages, writer)
}

/// The run's manifest, before the commit fills in its tables.
fn run_manifest(
    opts: &RunOptions,
    run_id: String,
    (started, clock): (chrono::DateTime<chrono::Utc>, Instant),
    stages: &Stages,
    selection: Selection,
    skipped: &[SkippedPath],
    streamed: &Streamed,
) -> Manifest {
    let inputs = selection.todo.iter().map(|(input, fp)| InputInfo {
        canonical: fp.as_ref().map(|f| f.canonical.clone()),
        xxh3: fp.as_ref().map(|f| f.xxh3.clone()),
        modified_ns: fp.as_ref().and_then(|f| f.modified_ns),
        ..InputInfo::from(input)
    });
    Manifest {
        newsframe_version: env!("CARGO_PKG_VERSION").to_string(),
        run_id,
        started_at: started.to_rfc3339(),
        finished_at: chrono::Utc::now().to_rfc3339(),
        elapsed_seconds: clock.elapsed().as_secs_f64(),
        arguments: opts.arguments.clone(),
        threads: opts.threads.max(1),
        tools: manifest::Tools {
            language_detector: crate::prepare::language::DETECTOR.to_string(),
            html_extractor: crate::ingest::HTML_EXTRACTOR.to_string(),
        },
        lexicons: stages.lexicons.clone(),
        models: stages.extractors.model_hashes().into_iter().collect(),
        inputs: inputs.collect(),
        skipped_paths: skipped.iter().map(SkippedInfo::from).collect(),
        skipped_inputs: selection.skipped,
        shard: opts.shard.map(|s| s.to_string()),
        partition_by: partition_by(opts),
        inputs_in_other_shards: selection.other_shards,
        bytes_read: streamed.bytes_read,
        counts: streamed.counts.clone(),
        tables: Default::default(),
        peak_rss_bytes: manifest::peak_rss_bytes(),
        compare_refreshed: false,
    }
}

/// Refreshes `compare/` and `report.html` from every committed part (under the lock,
/// so no other run changes the tables meanwhile), then records the outcome and the
/// command's peak memory in the committed manifest.
fn refresh(dataset: &Dataset, mut manifest: Manifest) -> Result<Manifest, RunError> {
    let out = &dataset.out;
    let grouping = crate::compare::Grouping::default();
    let refresh_failed = "the run is committed, but refreshing compare/ and report.html failed";
    if crate::compare::has_articles(out).context(refresh_failed)? {
        let compared = crate::compare::compare(out, &grouping)
            .and_then(|_| crate::report::write(out))
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
            out.display()
        );
    }
    // The refresh reads every committed part and is often the peak: the figure is taken
    // again at the very end so that it covers the whole command.
    manifest.peak_rss_bytes = manifest::peak_rss_bytes();
    dataset
        .write_manifest(&manifest)
        .context("cannot write manifest.json")?;
    Ok(manifest)
}

/// The manifest's `partition_by` for this run's options.
fn partition_by(opts: &RunOptions) -> Option<String> {
    opts.partition_by_day.then(|| "published:day".to_string())
}

/// All reject reasons, for documentation and tests.
pub fn reject_reasons() -> Vec<&'static str> {
    RejectReason::ALL.iter().map(|r| r.as_str()).collect()
}

/// Returns freed heap pages to the system (glibc keeps them in its arenas otherwise,
/// one per worker thread), so that the resident size reflects what is still in use.
pub(super) fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}
