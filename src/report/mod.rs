//! Report: `OUT/report.html`, one self-contained page (inline SVG and CSS, nothing
//! fetched) that shows the compare tables at a glance: an overview table, frame
//! shares and keyness per group, naming perspectives per group, and figure ranges.

mod charts;
mod table;

use std::fmt::Write;
use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::Context;
use polars::prelude::*;

use table::{escape, group_labels};

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans Armenian',sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse;font-size:.9em;margin:1em 0}th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left}
th{background:#f4f4f4}p.note{color:#555;font-size:.9em}svg{display:block;margin:1em 0;max-width:100%;height:auto}";

fn read(dir: &Path, name: &str) -> anyhow::Result<DataFrame> {
    let path = dir.join("compare").join(format!("{name}.parquet"));
    let file = File::open(&path).with_context(|| {
        format!(
            "cannot open {}; run `newsframe compare` first",
            path.display()
        )
    })?;
    Ok(ParquetReader::new(file).finish()?)
}

/// The group columns of a compare table: those before its first non-group column.
fn group_columns(overview: &DataFrame) -> Vec<String> {
    overview
        .get_column_names()
        .iter()
        .take_while(|c| c.as_str() != "articles")
        .map(|c| c.to_string())
        .collect()
}

/// Groups worth a chart: those with at least one frame, naming or figure row (a
/// language newsframe does not extract from has none).
fn charted_groups(
    overview: &DataFrame,
    groups: &[String],
    tables: [&DataFrame; 3],
) -> anyhow::Result<Vec<String>> {
    let mut with_data = std::collections::HashSet::new();
    for table in tables {
        let labels = group_labels(table, groups)?;
        let mentions = match table.column("mentions") {
            Ok(_) => table::f64s(table, "mentions")?,
            Err(_) => vec![Some(1.0); labels.len()],
        };
        for (label, n) in labels.into_iter().zip(mentions) {
            if n.unwrap_or(0.0) > 0.0 {
                with_data.insert(label);
            }
        }
    }
    Ok(group_labels(overview, groups)?
        .into_iter()
        .filter(|g| with_data.contains(g))
        .collect())
}

/// Per group: its three most distinctive frames (highest keyness z above zero) and up
/// to five speakers of each, most mentions first.
fn top_speakers(
    frames: &DataFrame,
    speakers: &DataFrame,
    groups: &[String],
) -> anyhow::Result<DataFrame> {
    let keys: Vec<Expr> = groups.iter().map(|g| col(g.as_str())).collect();
    let distinctive = frames
        .clone()
        .lazy()
        .filter(col("keyness_z").gt(lit(0.0)))
        .sort_by_exprs(
            [keys.clone(), vec![col("keyness_z"), col("frame_id")]].concat(),
            SortMultipleOptions::default()
                .with_order_descending_multi(
                    [vec![false; groups.len()], vec![true, false]].concat(),
                )
                .with_maintain_order(true),
        )
        .group_by_stable(keys.clone())
        .agg([col("frame_id").head(Some(3))])
        .explode(
            by_name(["frame_id"], true, false),
            ExplodeOptions {
                empty_as_null: false,
                keep_nulls: false,
            },
        );
    let mut join_keys = keys.clone();
    join_keys.push(col("frame_id"));
    let top = speakers
        .clone()
        .lazy()
        .filter(col("kind").eq(lit("frame")))
        .rename(["item"], ["frame_id"], true)
        .join(
            distinctive,
            join_keys.clone(),
            join_keys.clone(),
            JoinArgs::new(JoinType::Inner),
        )
        .sort_by_exprs(
            [join_keys.clone(), vec![col("mentions"), col("speaker")]].concat(),
            SortMultipleOptions::default()
                .with_order_descending_multi(
                    [vec![false; join_keys.len()], vec![true, false]].concat(),
                )
                .with_maintain_order(true),
        )
        .group_by_stable(join_keys)
        .agg([
            col("speaker").head(Some(5)),
            col("mentions").head(Some(5)),
            col("articles").head(Some(5)),
        ])
        .explode(
            by_name(["speaker", "mentions", "articles"], true, false),
            ExplodeOptions {
                empty_as_null: false,
                keep_nulls: false,
            },
        )
        .collect()?;
    Ok(top)
}

/// Writes `dir/report.html` from `dir/compare/*.parquet`; returns its path.
pub fn write(dir: &Path) -> anyhow::Result<PathBuf> {
    let overview = read(dir, "overview")?;
    let frames = read(dir, "frames")?;
    let naming = read(dir, "naming")?;
    let figures = read(dir, "figures")?;
    let groups = group_columns(&overview);
    let group_names = charted_groups(&overview, &groups, [&frames, &naming, &figures])?;

    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>newsframe report</title><style>{STYLE}</style></head><body>"
    );
    let _ = write!(
        html,
        "<h1>newsframe report</h1><p class=\"note\">{} grouped by {}. Built from <code>compare/*.parquet</code>; every number here is in those tables.</p>",
        escape(&dir.display().to_string()),
        escape(&groups.join(", "))
    );

    html.push_str("<h2>Overview</h2>");
    let mut columns: Vec<&str> = groups.iter().map(String::as_str).collect();
    let names = overview.get_column_names_owned();
    columns.extend(
        names
            .iter()
            .map(|c| c.as_str())
            .filter(|c| !groups.iter().any(|g| g == c)),
    );
    html.push_str(&table::html(&overview, &columns)?);

    html.push_str("<h2>Frames</h2><p class=\"note\">Keyness is the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi &amp; Quinn 2008): z above 1.96 means a group uses the frame markedly more than the others.</p>");
    html.push_str(&charts::frame_shares(&frames, &groups, &group_names)?);
    for group in &group_names {
        html.push_str(&charts::frame_keyness(&frames, &groups, group)?);
    }

    if dir.join("compare/speakers.parquet").exists() {
        let speakers = read(dir, "speakers")?;
        html.push_str("<h2>Top speakers of the most distinctive frames</h2><p class=\"note\">Per group, its three frames with the highest keyness z and the speakers credited with them most often (<code>compare/speakers.parquet</code>; unattributed mentions left out).</p>");
        let top = top_speakers(&frames, &speakers, &groups)?;
        let mut columns: Vec<&str> = groups.iter().map(String::as_str).collect();
        columns.extend(["frame_id", "speaker", "mentions", "articles"]);
        html.push_str(&table::html(&top, &columns)?);
    }

    html.push_str("<h2>Naming</h2><p class=\"note\">Which name each group's coverage uses for places with competing names: <em>hy</em> naming (Stepanakert, Artsakh), <em>az</em> naming (Khankendi, Qarabağ), or a neutral one.</p>");
    let entity_names = table::strs(&naming, "canonical_name")?;
    let entity_ids = table::strs(&naming, "entity_id")?;
    for entity in charts::top_entities(&naming, 6)? {
        let title = entity_ids
            .iter()
            .position(|id| id.as_deref() == Some(entity.as_str()))
            .and_then(|i| entity_names[i].clone())
            .unwrap_or_else(|| entity.clone());
        html.push_str(&charts::naming(
            &naming,
            &groups,
            &group_names,
            &entity,
            &title,
        )?);
        let rows = naming
            .clone()
            .lazy()
            .filter(col("entity_id").eq(lit(entity.as_str())))
            .collect()?;
        let mut variant_columns: Vec<&str> = groups.iter().map(String::as_str).collect();
        variant_columns.extend(["variant", "perspective", "mentions", "share"]);
        html.push_str(&table::html(&rows, &variant_columns)?);
    }

    html.push_str("<h2>Figures</h2><p class=\"note\">The spread of the numbers each group reports per category (dates left out). Hedged figures carry a qualifier such as “over” or “about”.</p>");
    for category in charts::top_categories(&figures)? {
        html.push_str(&charts::figure_range(
            &figures,
            &groups,
            &group_names,
            &category,
        )?);
    }
    let mut figure_columns: Vec<&str> = groups.iter().map(String::as_str).collect();
    figure_columns.extend([
        "category",
        "figures",
        "min_value",
        "median_value",
        "max_value",
        "most_frequent_value",
        "share_hedged",
    ]);
    html.push_str(&table::html(&figures, &figure_columns)?);
    html.push_str("</body></html>\n");

    let path = dir.join("report.html");
    crate::dataset::atomic::write(&path, html.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}
