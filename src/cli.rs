//! The command line: `run`, `lexicon check`, and helpers. Exit codes: 0 done (rejects
//! are not failures), 1 the run could not complete (including: another run holds the
//! output folder), 2 usage error (bad arguments, missing input, invalid lexicon), 3 done
//! but the reject rate is above `--max-reject-rate`. Logs go to stderr through `log`,
//! filtered by `RUST_LOG` (default `info`); `--summary-json` puts one JSON object on
//! stdout for schedulers.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::dataset::Manifest;
use crate::ingest::{ReadLimits, Shard};
use crate::lexicon::LexiconSet;
use crate::pipeline::{self, RunError, RunOptions};
use crate::prepare::Preparer;

#[derive(Parser, Debug)]
#[command(
    name = "newsframe",
    version,
    about = "Turn news dumps in English, Armenian and Azerbaijani into Parquet tables of articles, framing terms, entities and figures."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Process article dumps into Parquet tables under --out.
    Run(RunArgs),
    /// Work with lexicon folders.
    #[command(subcommand)]
    Lexicon(LexiconCommand),
    /// Show one article's language, sentences and matches (a text file, a JSONL file
    /// whose first line is shown, or `-` for stdin).
    Inspect(InspectArgs),
    /// Score the entity stage on annotated files the way `run` sees them: precision,
    /// recall and F1 per label and over PER/ORG/LOC, exact spans.
    EvalNer(EvalNerArgs),
    /// Score speakers and stance on the annotated dev set (tests/context/*.jsonl) the
    /// way `run` sees them: speaker accuracy, negated and distanced precision/recall.
    EvalContext(EvalContextArgs),
    /// Score the figures stage on doccano JSONL with numeric spans (MONEY, PERCENT,
    /// QUANTITY, CARDINAL; DATE, TIME, ORDINAL tolerated) the way `run` sees it:
    /// recall per type, precision of the rows, and values of matched digit spans.
    EvalFigures(EvalFiguresArgs),
    /// Train a named-entity model for one language from annotated files (CoNLL,
    /// WikiANN TSV, SENTENCES+TAGS pairs, doccano JSONL), printing dev scores per epoch.
    TrainNer(TrainNerArgs),
    /// Write the comparative tables of an output folder to DIR/compare/*.parquet
    /// (`run` does this at its end, grouped by language).
    Compare(CompareArgs),
    /// Write DIR/report.html: one self-contained page of charts over DIR/compare
    /// (`run` does this at its end).
    Report(ReportArgs),
    /// Write a synthetic corpus of about --mb megabytes (JSONL) built from the bundled
    /// corpora, for throughput measurements.
    BenchCorpus(BenchCorpusArgs),
}

#[derive(Args, Debug)]
struct RunArgs {
    /// Files or folders (walked recursively in sorted order), or `-` for stdin.
    /// Formats: .jsonl/.ndjson, .json, .txt, each optionally .gz or .zst.
    #[arg(required = true)]
    inputs: Vec<String>,
    /// Output folder; each table is a subfolder of Parquet parts.
    #[arg(long)]
    out: PathBuf,
    /// Worker threads (default: all cores). Output is identical for any value.
    #[arg(long)]
    threads: Option<usize>,
    /// Lexicon folder to use instead of the bundled one.
    #[arg(long)]
    lexicons: Option<PathBuf>,
    /// Folder of NER models (`<lang>.ner`) to use instead of the bundled ones.
    #[arg(long)]
    models: Option<PathBuf>,
    /// No progress bar (it is also hidden when stderr is not a terminal).
    #[arg(long)]
    no_progress: bool,
    /// Name of this run's parts (`part-<RUN_ID>.parquet`); default: the UTC start time.
    #[arg(long)]
    run_id: Option<String>,
    /// Records larger than this are rejected as `too_large` without being buffered.
    #[arg(long, default_value_t = ReadLimits::default().max_record_bytes)]
    max_record_bytes: usize,
    /// Extractors to run, comma-separated (default: all): frames, entities, figures.
    #[arg(long, value_delimiter = ',', value_parser = clap::builder::PossibleValuesParser::new(crate::extract::registry::names()))]
    extract: Option<Vec<String>>,
    /// Delete the tables and manifests in --out first, instead of adding a part.
    #[arg(long)]
    overwrite: bool,
    /// Process only shard K of N (0-based) of the inputs, chosen by path relative to
    /// the input folder, e.g. `--shard 0/4`.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Print a JSON summary of the run on stdout (counts, rejects by reason, skipped
    /// inputs, elapsed, throughput, exit code).
    #[arg(long)]
    summary_json: bool,
    /// Exit with code 3 when rejects / records read exceeds this fraction (0–1); the
    /// run is still committed. Default: no limit.
    #[arg(long, value_name = "FRACTION", value_parser = parse_rate)]
    max_reject_rate: Option<f64>,
    /// Write articles and mention tables in Hive-style `published_day=YYYY-MM-DD/`
    /// folders. Every run into one --out must use the same setting.
    #[arg(long, value_name = "KEY", value_parser = ["published:day"])]
    partition_by: Option<String>,
}

fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("expected a fraction between 0 and 1, got `{s}`")),
    }
}

#[derive(Args, Debug)]
struct CompareArgs {
    /// An output folder of `newsframe run`.
    dir: PathBuf,
    /// Group articles by these keys, comma-separated: lang, source, published:day,
    /// published:week, published:month (e.g. `lang,published:month`).
    #[arg(long, default_value = "lang")]
    by: crate::compare::Grouping,
    /// Also write DIR/report.html from the new tables.
    #[arg(long)]
    report: bool,
}

#[derive(Args, Debug)]
struct ReportArgs {
    /// An output folder of `newsframe run` (its compare tables are refreshed first).
    dir: PathBuf,
    /// Group articles by these keys (see `compare --by`).
    #[arg(long, default_value = "lang")]
    by: crate::compare::Grouping,
}

#[derive(Subcommand, Debug)]
enum LexiconCommand {
    /// Validate a lexicon folder (default: the bundled lexicons) and report problems
    /// as file:line: message.
    Check { dir: Option<PathBuf> },
}

#[derive(Args, Debug)]
struct InspectArgs {
    /// A file, or `-` for stdin.
    #[arg(default_value = "-")]
    input: String,
    /// Lexicon folder to use instead of the bundled one.
    #[arg(long)]
    lexicons: Option<PathBuf>,
    /// Folder of NER models (`<lang>.ner`) to use instead of the bundled ones.
    #[arg(long)]
    models: Option<PathBuf>,
    /// How many records to show.
    #[arg(long, default_value_t = 1)]
    limit: usize,
}

#[derive(Args, Debug)]
struct EvalNerArgs {
    /// Annotated files in any format `train-ner` reads (CoNLL, WikiANN TSV,
    /// SENTS+TAGS, doccano JSONL).
    #[arg(required = true)]
    files: Vec<String>,
    /// Language of the files, given to each article as its language hint.
    #[arg(long)]
    lang: Option<String>,
    /// Lexicon folder to use instead of the bundled one.
    #[arg(long)]
    lexicons: Option<PathBuf>,
    /// Folder of NER models (`<lang>.ner`) to use instead of the bundled ones.
    #[arg(long)]
    models: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Also print every missed and wrong name on stderr.
    #[arg(long)]
    errors: bool,
}

#[derive(Args, Debug)]
struct EvalContextArgs {
    /// JSONL files in the format of tests/context/README.md.
    #[arg(required = true)]
    files: Vec<String>,
    /// Language hint for every item (default: the file stem when it is a code, `en.jsonl`).
    #[arg(long)]
    lang: Option<String>,
    /// Lexicon folder to use instead of the bundled one.
    #[arg(long)]
    lexicons: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Also print every unmatched mention and wrong speaker or flag on stderr.
    #[arg(long)]
    errors: bool,
}

#[derive(Args, Debug)]
struct EvalFiguresArgs {
    /// doccano JSONL files: `{"text", "labels"|"label": [[start, end, TYPE], ...]}`
    /// with character offsets.
    #[arg(required = true)]
    files: Vec<String>,
    /// Language of the files, given to each article as its language hint.
    #[arg(long, default_value = "hy")]
    lang: String,
    /// Lexicon folder to use instead of the bundled one.
    #[arg(long)]
    lexicons: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Also print every missed span, wrong row and wrong value on stderr.
    #[arg(long)]
    errors: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum AlgorithmArg {
    Perceptron,
    Crf,
}

#[derive(Args, Debug)]
struct TrainNerArgs {
    /// Language code (en, hy, az): the model tags documents of this language.
    #[arg(long)]
    lang: String,
    /// Training files; a pair of sentence and tag files is `SENTS+TAGS`.
    #[arg(long, required = true, num_args = 1..)]
    train: Vec<String>,
    /// Files to score after each epoch (never trained on).
    #[arg(long, num_args = 1..)]
    dev: Vec<String>,
    /// Where to write the model.
    #[arg(long)]
    out: PathBuf,
    /// Passes over the training data.
    #[arg(long, default_value_t = 12)]
    epochs: usize,
    /// Seed of the shuffle; the same seed and files give the same model.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Training objective: `perceptron` (averaged structured perceptron) or `crf`
    /// (linear-chain CRF, L2-regularised log-likelihood by SGD); same features,
    /// same model file, same decoder.
    #[arg(long, value_enum, default_value_t = AlgorithmArg::Perceptron)]
    algorithm: AlgorithmArg,
    /// CRF only: L2 coefficient of the objective (loss + l2/2 · |w|²).
    #[arg(long, default_value_t = 1.0)]
    l2: f64,
    /// CRF only: initial SGD step size.
    #[arg(long, default_value_t = 0.1)]
    eta: f64,
    /// CRF only: features whose weights all stay below this are left out of the model.
    #[arg(long, default_value_t = 0.01)]
    min_weight: f64,
    /// Lexicon folder to use instead of the bundled one (gazetteer features).
    #[arg(long)]
    lexicons: Option<PathBuf>,
    /// Word clusters as features (`models/<lang>.clusters.tsv`); the model records
    /// the file's hash and is loaded with that file only.
    #[arg(long)]
    clusters: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    no_progress: bool,
}

#[derive(Args, Debug)]
struct BenchCorpusArgs {
    /// Approximate size in megabytes.
    #[arg(long, default_value_t = 200)]
    mb: usize,
    /// Output file (JSONL; `.gz`/`.zst` not applied).
    #[arg(long)]
    out: PathBuf,
    /// Corpus folder to draw sentences from.
    #[arg(long, default_value = "corpora")]
    corpora: PathBuf,
}

/// Log lines on stderr: time, level, message; `RUST_LOG` filters (default `info`).
fn init_logging() {
    use std::io::Write;
    let _ = env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
        .format(|buf, record| {
            writeln!(
                buf,
                "{} {} newsframe: {}",
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                record.level(),
                record.args()
            )
        })
        .try_init();
}

pub fn main() -> ExitCode {
    init_logging();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Run(args) => run(args),
        Command::Lexicon(LexiconCommand::Check { dir }) => lexicon_check(dir),
        Command::Inspect(args) => {
            match crate::inspect::run(&args.input, args.lexicons, args.models, args.limit) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("newsframe: {e:#}");
                    ExitCode::from(1)
                }
            }
        }
        Command::EvalNer(args) => eval_ner(args),
        Command::EvalContext(args) => eval_context(args),
        Command::EvalFigures(args) => eval_figures(args),
        Command::TrainNer(args) => crate::train_ner::run(crate::train_ner::TrainArgs {
            lang: args.lang,
            train: args.train,
            dev: args.dev,
            out: args.out,
            epochs: args.epochs,
            seed: args.seed,
            algorithm: match args.algorithm {
                AlgorithmArg::Perceptron => crate::extract::ner::train::Algorithm::Perceptron,
                AlgorithmArg::Crf => crate::extract::ner::train::Algorithm::Crf {
                    l2: args.l2,
                    eta: args.eta,
                    min_weight: args.min_weight,
                },
            },
            lexicons: args.lexicons,
            clusters: args.clusters,
            progress: !args.no_progress && std::io::IsTerminal::is_terminal(&std::io::stderr()),
        }),
        Command::Compare(args) => {
            finish(compare_and_report(&args.dir, &args.by, args.report).map(|_| ()))
        }
        Command::Report(args) => finish(compare_and_report(&args.dir, &args.by, true).map(|_| ())),
        Command::BenchCorpus(args) => {
            match crate::bench_corpus::write(&args.corpora, &args.out, args.mb) {
                Ok(bytes) => {
                    eprintln!(
                        "wrote {} ({:.1} MB)",
                        args.out.display(),
                        bytes as f64 / 1e6
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("newsframe: {e:#}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// Exit code 0, or 1 with the error on stderr.
fn finish(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("newsframe: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Refreshes DIR/compare and, when asked, DIR/report.html; returns each compare
/// table's row count (the Python module's `compare` reports them).
pub fn compare_and_report(
    dir: &std::path::Path,
    grouping: &crate::compare::Grouping,
    report: bool,
) -> anyhow::Result<Vec<(&'static str, usize)>> {
    // Under the dataset lock, so a run cannot commit parts while the tables are read.
    if !dir.join("articles").is_dir() {
        anyhow::bail!(
            "{} has no articles table; run `newsframe run` first",
            dir.display()
        );
    }
    let _lock = crate::dataset::DatasetLock::acquire(dir)?;
    let written = crate::compare::compare(dir, grouping)?;
    let rows: Vec<String> = written.iter().map(|(t, n)| format!("{t} {n}")).collect();
    eprintln!(
        "newsframe: compare by {grouping}: {} -> {}",
        rows.join(", "),
        dir.join("compare").display()
    );
    if report {
        let path = crate::report::write(dir)?;
        eprintln!("newsframe: report -> {}", path.display());
    }
    Ok(written)
}

fn run(args: RunArgs) -> ExitCode {
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let opts = RunOptions {
        inputs: args.inputs,
        out: args.out,
        threads,
        lexicons: args.lexicons,
        models: args.models,
        progress: !args.no_progress,
        run_id: args.run_id,
        limits: ReadLimits {
            max_record_bytes: args.max_record_bytes,
        },
        arguments: std::env::args().collect(),
        extract: args.extract,
        overwrite: args.overwrite,
        shard: args.shard,
        partition_by_day: args.partition_by.is_some(),
    };
    let (code, summary) = match pipeline::run(&opts) {
        Ok(m) => {
            let langs: Vec<String> = m
                .counts
                .by_language
                .iter()
                .map(|(l, n)| format!("{l} {n}"))
                .collect();
            log::info!(
                "{} articles, {} rejects ({}), {} inputs skipped as already processed, in {:.2} s, {:.1} MB/s, peak RSS {} MB -> {}",
                m.counts.articles,
                m.counts.rejects,
                langs.join(", "),
                m.skipped_inputs.len(),
                m.elapsed_seconds,
                m.megabytes_per_second(),
                m.peak_rss_bytes.map_or("?".to_string(), |b| (b / 1_000_000).to_string()),
                opts.out.display()
            );
            let rate = reject_rate(&m);
            let code = match args.max_reject_rate {
                Some(max) if rate > max => {
                    log::warn!(
                        "reject rate {rate:.4} is above --max-reject-rate {max}; exit code 3"
                    );
                    3
                }
                _ => 0,
            };
            (code, summary_done(&m, code, &opts))
        }
        Err(RunError::Usage(msg)) => {
            log::error!("{msg}");
            (2, summary_failed("usage_error", 2, &msg))
        }
        Err(e) => {
            log::error!("run failed: {e}");
            (1, summary_failed("failed", 1, &e.to_string()))
        }
    };
    if args.summary_json {
        println!("{summary}");
    }
    ExitCode::from(code)
}

fn reject_rate(m: &Manifest) -> f64 {
    m.counts.rejects as f64 / (m.counts.records_read.max(1)) as f64
}

/// The `--summary-json` object of a completed run.
fn summary_done(m: &Manifest, code: u8, opts: &RunOptions) -> serde_json::Value {
    let elapsed = m.elapsed_seconds.max(1e-9);
    // An empty night is a success; the note says what was (not) written, for a human.
    let note = match (m.counts.articles, m.compare_refreshed) {
        (0, false) => Some("no articles in this run nor in the output folder yet: compare/ and report.html not written"),
        (0, true) => Some("no new articles in this run: compare/ and report.html refreshed from earlier runs"),
        _ => None,
    };
    serde_json::json!({
        "status": if code == 0 { "done" } else { "done_with_rejects_above_limit" },
        "exit_code": code,
        "run_id": m.run_id,
        "out": opts.out.display().to_string(),
        "shard": m.shard,
        "inputs_processed": m.inputs.len(),
        "inputs_skipped": m.skipped_inputs.len(),
        "skipped_inputs": m.skipped_inputs,
        "inputs_in_other_shards": m.inputs_in_other_shards,
        "records_read": m.counts.records_read,
        "articles": m.counts.articles,
        "duplicates": m.counts.duplicates,
        "rejects": m.counts.rejects,
        "reject_rate": reject_rate(m),
        "rejects_by_reason": m.counts.rejects_by_reason,
        "skipped_records": m.counts.skipped_records,
        "by_language": m.counts.by_language,
        "mentions": m.counts.mentions,
        "bytes_read": m.bytes_read,
        "elapsed_seconds": m.elapsed_seconds,
        "megabytes_per_second": m.megabytes_per_second(),
        "articles_per_second": m.counts.articles as f64 / elapsed,
        "peak_rss_bytes": m.peak_rss_bytes,
        "no_articles": m.counts.articles == 0,
        "compare_refreshed": m.compare_refreshed,
        "note": note,
    })
}

fn summary_failed(status: &str, code: u8, error: &str) -> serde_json::Value {
    serde_json::json!({ "status": status, "exit_code": code, "error": error })
}

/// What every `eval-*` command loads: the lexicons (a folder or the bundled ones), the
/// preparer and the extractors it scores (all when `extract` is `None`). Errors are
/// printed with the command's name; the exit code is 2.
fn eval_setup(
    command: &str,
    lexicons: Option<&std::path::Path>,
    extract: Option<&[String]>,
    models: Option<&std::path::Path>,
) -> Result<(LexiconSet, Preparer, crate::extract::Extractors), ExitCode> {
    let lexicons = match lexicons {
        Some(dir) => LexiconSet::from_dir(dir).map_err(|e| {
            eprintln!("{e}");
            ExitCode::from(2)
        })?,
        None => LexiconSet::bundled(),
    };
    let loaded = Preparer::new(&lexicons)
        .map_err(crate::extract::ner::LoadError::from)
        .and_then(|p| crate::extract::Extractors::load(&lexicons, extract, models).map(|e| (p, e)));
    match loaded {
        Ok((preparer, extractors)) => Ok((lexicons, preparer, extractors)),
        Err(e) => {
            eprintln!("newsframe {command}: {e}");
            Err(ExitCode::from(2))
        }
    }
}

/// Prints each file's report (JSON or text) as an `eval-*` command scores it; the first
/// file that cannot be scored ends the command with exit code 2.
fn print_reports(
    command: &str,
    files: &[String],
    json: bool,
    evaluate: impl Fn(&str) -> anyhow::Result<(String, String)>,
) -> ExitCode {
    for file in files {
        match evaluate(file) {
            Ok((as_json, as_text)) => println!("{}", if json { as_json } else { as_text }),
            Err(e) => {
                eprintln!("newsframe {command}: {e:#}");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}

fn eval_ner(args: EvalNerArgs) -> ExitCode {
    let (_, preparer, extractors) = match eval_setup(
        "eval-ner",
        args.lexicons.as_deref(),
        Some(&["entities".to_string()]),
        args.models.as_deref(),
    ) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    print_reports("eval-ner", &args.files, args.json, |file| {
        crate::eval_ner::evaluate(
            file,
            args.lang.as_deref(),
            &preparer,
            &extractors,
            args.errors,
        )
        .map(|r| (serde_json::to_string(&r).expect("serialisable"), r.render()))
    })
}

fn eval_context(args: EvalContextArgs) -> ExitCode {
    let (_, preparer, extractors) =
        match eval_setup("eval-context", args.lexicons.as_deref(), None, None) {
            Ok(loaded) => loaded,
            Err(code) => return code,
        };
    print_reports("eval-context", &args.files, args.json, |file| {
        crate::eval_context::evaluate(
            file,
            args.lang.as_deref(),
            &preparer,
            &extractors,
            args.errors,
        )
        .map(|r| (serde_json::to_string(&r).expect("serialisable"), r.render()))
    })
}

fn eval_figures(args: EvalFiguresArgs) -> ExitCode {
    let (lexicons, preparer, extractors) = match eval_setup(
        "eval-figures",
        args.lexicons.as_deref(),
        Some(&["figures".to_string()]),
        None,
    ) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let mut reports = Vec::new();
    for file in &args.files {
        match crate::eval_figures::evaluate(
            file,
            &args.lang,
            &lexicons,
            &preparer,
            &extractors,
            args.errors,
        ) {
            Ok(report) => reports.push(report),
            Err(e) => {
                eprintln!("newsframe eval-figures: {e:#}");
                return ExitCode::from(2);
            }
        }
    }
    if reports.len() > 1 {
        let total = crate::eval_figures::total(&reports);
        reports.push(total);
    }
    for report in &reports {
        if args.json {
            println!("{}", serde_json::to_string(report).expect("serialisable"));
        } else {
            println!("{}\n", report.render());
        }
    }
    ExitCode::SUCCESS
}

fn lexicon_check(dir: Option<PathBuf>) -> ExitCode {
    let set = match dir {
        Some(dir) => match LexiconSet::from_dir(&dir) {
            Ok(set) => set,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        },
        None => LexiconSet::bundled(),
    };
    match load_all(&set) {
        Ok(_) => {
            println!(
                "{}: ok, {} files, hash {}",
                set.origin(),
                set.file_names().count(),
                set.hash()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// Loads every stage's data from `set`, so `lexicon check` finds what `run` would.
pub fn load_all(
    set: &LexiconSet,
) -> Result<(Preparer, crate::extract::Extractors), crate::extract::ner::LoadError> {
    Ok((
        Preparer::new(set)?,
        crate::extract::Extractors::load(set, None, None)?,
    ))
}
