//! `newsframe._newsframe`: the native half of the Python package (the Python half,
//! `python/newsframe/__init__.py`, normalises inputs and documents the calls).
//!
//! Tables cross the boundary through the Arrow C data interface (polars-arrow's `ffi`
//! on this side, pyarrow's `_export_to_c` / `_import_from_c` on the other): columns are
//! moved, not serialised. The GIL is released while the pipeline runs.

use std::path::PathBuf;

use newsframe::analyze::{self as nf_analyze, AnalyzeOptions};
use newsframe::ingest::{ReadLimits, Shard};
use newsframe::pipeline::{self as nf_pipeline, RunError, RunOptions};
use polars::prelude::*;
use polars_arrow::array::new_empty_array;
use polars_arrow::ffi;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;

create_exception!(
    _newsframe,
    NewsframeError,
    PyException,
    "A run could not complete (the CLI's exit code 1): e.g. another run holds the output folder."
);
create_exception!(
    _newsframe,
    UsageError,
    NewsframeError,
    "Bad arguments (the CLI's exit code 2): a missing input, an invalid lexicon folder or model, an unknown extractor."
);

fn run_error(e: RunError) -> PyErr {
    match e {
        RunError::Usage(msg) => UsageError::new_err(msg),
        RunError::Failed(e) => NewsframeError::new_err(format!("{e:#}")),
    }
}

fn polars_error(e: PolarsError) -> PyErr {
    NewsframeError::new_err(format!("arrow: {e}"))
}

/// Imports one pyarrow array (a chunk of a column) through the C data interface.
fn import_array(array: &Bound<'_, PyAny>) -> PyResult<ArrayRef> {
    let mut c_array = Box::new(ffi::ArrowArray::empty());
    let mut c_schema = Box::new(ffi::ArrowSchema::empty());
    let array_ptr = &mut *c_array as *mut ffi::ArrowArray as usize;
    let schema_ptr = &mut *c_schema as *mut ffi::ArrowSchema as usize;
    array.call_method1("_export_to_c", (array_ptr, schema_ptr))?;
    // SAFETY: pyarrow has just filled both structs following the C data interface;
    // the array is moved into polars-arrow, which calls its release callback on drop.
    unsafe {
        let field = ffi::import_field_from_c(&c_schema).map_err(polars_error)?;
        ffi::import_array_from_c(*c_array, field.dtype).map_err(polars_error)
    }
}

/// A data frame from `[(name, [pyarrow.Array, ...]), ...]`, one entry per column.
fn import_frame(columns: &Bound<'_, PyAny>) -> PyResult<DataFrame> {
    let mut out = Vec::new();
    let mut height = 0;
    for item in columns.try_iter()? {
        let (name, chunks): (String, Vec<Bound<'_, PyAny>>) = item?.extract()?;
        let arrays = chunks
            .iter()
            .map(import_array)
            .collect::<PyResult<Vec<_>>>()?;
        let series = Series::from_arrow_chunks(name.into(), arrays).map_err(polars_error)?;
        height = series.len();
        out.push(series.into_column());
    }
    DataFrame::new(height, out).map_err(polars_error)
}

/// A pyarrow.Table with the frame's columns and the Parquet tables' Arrow types.
fn export_frame<'py>(
    pyarrow: &Bound<'py, PyModule>,
    frame: DataFrame,
) -> PyResult<Bound<'py, PyAny>> {
    let array_class = pyarrow.getattr("Array")?;
    let mut arrays = Vec::new();
    let mut names = Vec::new();
    for column in frame.columns() {
        let series = column.as_materialized_series().rechunk();
        let field = series.field().to_arrow(CompatLevel::newest());
        let array = match series.chunks().first() {
            Some(_) => series.to_arrow(0, CompatLevel::newest()),
            None => new_empty_array(field.dtype.clone()),
        };
        let mut c_array = Box::new(ffi::export_array_to_c(array));
        let mut c_schema = Box::new(ffi::export_field_to_c(&field));
        let array_ptr = &mut *c_array as *mut ffi::ArrowArray as usize;
        let schema_ptr = &mut *c_schema as *mut ffi::ArrowSchema as usize;
        // pyarrow moves both structs (their release callbacks become null), so dropping
        // the boxes afterwards frees only the boxes.
        arrays.push(array_class.call_method1("_import_from_c", (array_ptr, schema_ptr))?);
        names.push(series.name().to_string());
    }
    pyarrow
        .getattr("Table")?
        .call_method1("from_arrays", (arrays, names))
}

/// The five tables as a dict of pyarrow.Tables.
fn export_tables<'py>(py: Python<'py>, tables: nf_analyze::Tables) -> PyResult<Bound<'py, PyDict>> {
    let pyarrow = PyModule::import(py, "pyarrow")?;
    let out = PyDict::new(py);
    for (name, frame) in tables.into_named() {
        out.set_item(name, export_frame(&pyarrow, frame)?)?;
    }
    Ok(out)
}

/// analyze(columns, lexicons, models, extract, threads) -> dict of pyarrow.Table
#[pyfunction]
#[pyo3(signature = (columns, lexicons=None, models=None, extract=None, threads=None))]
fn analyze<'py>(
    py: Python<'py>,
    columns: &Bound<'py, PyAny>,
    lexicons: Option<PathBuf>,
    models: Option<PathBuf>,
    extract: Option<Vec<String>>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let input = import_frame(columns)?;
    let opts = analyze_options(lexicons, models, extract, threads);
    let tables = py
        .detach(|| nf_analyze::analyze(&input, &opts))
        .map_err(run_error)?;
    export_tables(py, tables)
}

/// The options of `analyze` and `analyze_files` (0 threads: all cores).
fn analyze_options(
    lexicons: Option<PathBuf>,
    models: Option<PathBuf>,
    extract: Option<Vec<String>>,
    threads: Option<usize>,
) -> AnalyzeOptions {
    AnalyzeOptions {
        lexicons,
        models,
        extract,
        threads: threads.unwrap_or(0),
    }
}

/// analyze_files([(name, bytes)], lexicons, models, extract, threads) -> dict of pyarrow.Table
#[pyfunction]
#[pyo3(signature = (files, lexicons=None, models=None, extract=None, threads=None))]
fn analyze_files<'py>(
    py: Python<'py>,
    files: Vec<(String, Vec<u8>)>,
    lexicons: Option<PathBuf>,
    models: Option<PathBuf>,
    extract: Option<Vec<String>>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = analyze_options(lexicons, models, extract, threads);
    let tables = py
        .detach(|| nf_analyze::analyze_files(&files, &opts))
        .map_err(run_error)?;
    export_tables(py, tables)
}

/// run(...) -> manifest JSON, exactly as `newsframe run` with the same options.
#[pyfunction]
#[pyo3(signature = (inputs, out, threads=None, lexicons=None, models=None, run_id=None,
    extract=None, overwrite=false, shard=None, partition_by=None, max_record_bytes=None))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    inputs: Vec<String>,
    out: PathBuf,
    threads: Option<usize>,
    lexicons: Option<PathBuf>,
    models: Option<PathBuf>,
    run_id: Option<String>,
    extract: Option<Vec<String>>,
    overwrite: bool,
    shard: Option<String>,
    partition_by: Option<String>,
    max_record_bytes: Option<usize>,
) -> PyResult<String> {
    if inputs.is_empty() {
        return Err(UsageError::new_err(
            "the following required arguments were not provided: <INPUTS>...",
        ));
    }
    if let Some(names) = &extract {
        nf_analyze::check_extract(names).map_err(run_error)?;
    }
    let shard = shard
        .map(|s| s.parse::<Shard>())
        .transpose()
        .map_err(UsageError::new_err)?;
    let partition_by_day = match partition_by.as_deref() {
        None => false,
        Some("published:day") => true,
        Some(other) => {
            return Err(UsageError::new_err(format!(
                "invalid value '{other}' for '--partition-by <KEY>': possible values: published:day"
            )))
        }
    };
    // The manifest records the equivalent command line.
    let mut arguments = vec!["newsframe".to_string(), "run".to_string()];
    arguments.extend(inputs.iter().cloned());
    arguments.extend(["--out".to_string(), out.display().to_string()]);
    let mut flag = |name: &str, value: Option<String>| {
        if let Some(v) = value {
            arguments.extend([format!("--{name}"), v]);
        }
    };
    flag("threads", threads.map(|t| t.to_string()));
    flag(
        "lexicons",
        lexicons.as_ref().map(|p| p.display().to_string()),
    );
    flag("models", models.as_ref().map(|p| p.display().to_string()));
    flag("run-id", run_id.clone());
    flag("extract", extract.as_ref().map(|e| e.join(",")));
    flag("shard", shard.map(|s| s.to_string()));
    flag("partition-by", partition_by.clone());
    flag("max-record-bytes", max_record_bytes.map(|b| b.to_string()));
    if overwrite {
        arguments.push("--overwrite".to_string());
    }
    arguments.push("--no-progress".to_string());
    let opts = RunOptions {
        inputs,
        out,
        threads: threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        lexicons,
        models,
        progress: false,
        run_id,
        limits: ReadLimits {
            max_record_bytes: max_record_bytes.unwrap_or(ReadLimits::default().max_record_bytes),
        },
        extract,
        arguments,
        overwrite,
        shard,
        partition_by_day,
    };
    let manifest = py.detach(|| nf_pipeline::run(&opts)).map_err(run_error)?;
    Ok(serde_json::to_string(&manifest).expect("manifest serialises"))
}

/// compare(out, by, report) -> [(table, rows)], as `newsframe compare`.
#[pyfunction]
#[pyo3(signature = (out, by="lang", report=false))]
fn compare(py: Python<'_>, out: PathBuf, by: &str, report: bool) -> PyResult<Vec<(String, usize)>> {
    let grouping = by
        .parse::<newsframe::compare::Grouping>()
        .map_err(|e| UsageError::new_err(format!("invalid value '{by}' for '--by <BY>': {e}")))?;
    let written = py
        .detach(|| newsframe::cli::compare_and_report(&out, &grouping, report))
        .map_err(|e| NewsframeError::new_err(format!("{e:#}")))?;
    Ok(written
        .into_iter()
        .map(|(t, n)| (t.to_string(), n))
        .collect())
}

#[pymodule]
fn _newsframe(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_files, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add("NewsframeError", m.py().get_type::<NewsframeError>())?;
    m.add("UsageError", m.py().get_type::<UsageError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
