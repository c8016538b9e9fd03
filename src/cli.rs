//! The command line: `run`, `lexicon check`, and helpers. Exit codes: 0 done (rejects
//! are not failures), 1 the run could not complete, 2 usage error (bad arguments,
//! missing input, invalid lexicon).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::ingest::ReadLimits;
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
    /// Score the entity stage on a CoNLL file (IOB or IOB2): precision, recall and F1
    /// per label and overall, exact spans.
    EvalNer(EvalNerArgs),
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
    #[arg(long, value_delimiter = ',', value_parser = clap::builder::PossibleValuesParser::new(crate::extract::COMPONENTS))]
    extract: Option<Vec<String>>,
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
    /// How many records to show.
    #[arg(long, default_value_t = 1)]
    limit: usize,
}

#[derive(Args, Debug)]
struct EvalNerArgs {
    /// CoNLL files: token and tag per line, blank line between sentences.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Language of the files (default: detected).
    #[arg(long)]
    lang: Option<String>,
    /// Lexicon folder to use instead of the bundled one.
    #[arg(long)]
    lexicons: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
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

pub fn main() -> ExitCode {
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
        Command::Inspect(args) => match crate::inspect::run(&args.input, args.lexicons, args.limit)
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("newsframe: {e:#}");
                ExitCode::from(1)
            }
        },
        Command::EvalNer(args) => eval_ner(args),
        Command::Compare(args) => finish(compare_and_report(&args.dir, &args.by, args.report)),
        Command::Report(args) => finish(compare_and_report(&args.dir, &args.by, true)),
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

/// Refreshes DIR/compare and, when asked, DIR/report.html.
fn compare_and_report(
    dir: &std::path::Path,
    grouping: &crate::compare::Grouping,
    report: bool,
) -> anyhow::Result<()> {
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
    Ok(())
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
        progress: !args.no_progress,
        run_id: args.run_id,
        limits: ReadLimits {
            max_record_bytes: args.max_record_bytes,
        },
        arguments: std::env::args().collect(),
        extract: args.extract,
    };
    match pipeline::run(&opts) {
        Ok(m) => {
            let langs: Vec<String> = m
                .counts
                .by_language
                .iter()
                .map(|(l, n)| format!("{l} {n}"))
                .collect();
            eprintln!(
                "newsframe: {} articles, {} rejects ({}) in {:.2} s, {:.1} MB/s, peak RSS {} MB -> {}",
                m.counts.articles,
                m.counts.rejects,
                langs.join(", "),
                m.elapsed_seconds,
                m.megabytes_per_second(),
                m.peak_rss_bytes.map_or("?".to_string(), |b| (b / 1_000_000).to_string()),
                opts.out.display()
            );
            // The tables are complete; the comparison is derived from all their parts.
            match compare_and_report(&opts.out, &crate::compare::Grouping::default(), true) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("newsframe: the run's tables are written, but compare failed: {e:#}");
                    ExitCode::from(1)
                }
            }
        }
        Err(RunError::Usage(msg)) => {
            eprintln!("newsframe: {msg}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("newsframe: run failed: {e}");
            ExitCode::from(1)
        }
    }
}

fn eval_ner(args: EvalNerArgs) -> ExitCode {
    let lexicons = match &args.lexicons {
        Some(dir) => match LexiconSet::from_dir(dir) {
            Ok(set) => set,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        },
        None => LexiconSet::bundled(),
    };
    for file in &args.files {
        match crate::eval_ner::evaluate(file, args.lang.as_deref(), &lexicons) {
            Ok(report) if args.json => {
                println!("{}", serde_json::to_string(&report).expect("serialisable"))
            }
            Ok(report) => println!("{}", report.render()),
            Err(e) => {
                eprintln!("newsframe: {e:#}");
                return ExitCode::from(1);
            }
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
) -> Result<(Preparer, crate::extract::Extractors), crate::lexicon::LexiconError> {
    Ok((
        Preparer::new(set)?,
        crate::extract::Extractors::load(set, None)?,
    ))
}
