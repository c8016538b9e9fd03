//! The report's charts, drawn as SVG by `charts-rs` from the compare tables.

use charts_rs::{BarChart, HorizontalBarChart, Series};
use polars::prelude::*;

use super::table::{f64s, group_labels, strs};

const WIDTH: f32 = 960.0;

fn finish_horizontal(mut chart: HorizontalBarChart, title: &str, rows: usize) -> String {
    chart.title.text = title.to_string();
    chart.width = WIDTH;
    chart.height = 110.0 + 26.0 * rows as f32;
    chart
        .svg()
        .unwrap_or_else(|e| format!("<p>chart failed: {e}</p>"))
}

fn finish_bars(mut chart: BarChart, title: &str) -> String {
    chart.title.text = title.to_string();
    chart.width = WIDTH;
    chart.height = 340.0;
    chart
        .svg()
        .unwrap_or_else(|e| format!("<p>chart failed: {e}</p>"))
}

/// Terms of `column` ordered by their summed `weight`, largest first, at most `limit`.
fn top_terms(
    df: &DataFrame,
    column: &str,
    weight: &str,
    limit: usize,
) -> PolarsResult<Vec<String>> {
    let terms = strs(df, column)?;
    let weights = f64s(df, weight)?;
    let mut totals: Vec<(String, f64)> = Vec::new();
    for (term, w) in terms.into_iter().zip(weights) {
        let (Some(term), Some(w)) = (term, w) else {
            continue;
        };
        match totals.iter_mut().find(|(t, _)| *t == term) {
            Some((_, total)) => *total += w,
            None => totals.push((term, w)),
        }
    }
    totals.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(totals.into_iter().take(limit).map(|(t, _)| t).collect())
}

/// The value of `value` for each (group, term), or `None`.
fn lookup(
    df: &DataFrame,
    groups: &[String],
    term_column: &str,
    value: &str,
) -> PolarsResult<impl Fn(&str, &str) -> Option<f64>> {
    let labels = group_labels(df, groups)?;
    let terms = strs(df, term_column)?;
    let values = f64s(df, value)?;
    Ok(move |group: &str, term: &str| {
        (0..labels.len())
            .find(|&i| labels[i] == group && terms[i].as_deref() == Some(term))
            .and_then(|i| values[i])
    })
}

/// Share of each group's articles that mention each of the most used frames.
pub fn frame_shares(
    frames: &DataFrame,
    groups: &[String],
    group_names: &[String],
) -> PolarsResult<String> {
    let top = top_terms(frames, "frame_id", "mentions", 10)?;
    let share = lookup(frames, groups, "frame_id", "share_of_articles")?;
    let series: Vec<Series> = group_names
        .iter()
        .map(|g| {
            let data: Vec<f32> = top
                .iter()
                .map(|f| (share(g, f).unwrap_or(0.0) * 100.0) as f32)
                .collect();
            (g.as_str(), data).into()
        })
        .collect();
    let rows = top.len() * group_names.len().clamp(1, 4);
    let chart = HorizontalBarChart::new(series, top);
    Ok(finish_horizontal(
        chart,
        "Share of articles using each frame (%), most used frames",
        rows,
    ))
}

/// The most distinctive frames of one group: the highest keyness z-scores.
pub fn frame_keyness(frames: &DataFrame, groups: &[String], group: &str) -> PolarsResult<String> {
    let labels = group_labels(frames, groups)?;
    let ids = strs(frames, "frame_id")?;
    let z = f64s(frames, "keyness_z")?;
    let mut rows: Vec<(String, f64)> = (0..labels.len())
        .filter(|&i| labels[i] == group)
        .filter_map(|i| Some((ids[i].clone()?, z[i]?)))
        .filter(|(_, z)| *z > 0.0)
        .collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows.truncate(8);
    // Horizontal bars list their first label at the bottom; keep the strongest on top.
    rows.reverse();
    let (names, values): (Vec<String>, Vec<f32>) =
        rows.into_iter().map(|(n, z)| (n, z as f32)).unzip();
    let n = names.len();
    let chart = HorizontalBarChart::new(vec![("keyness z", values).into()], names);
    Ok(finish_horizontal(
        chart,
        &format!("Most distinctive frames: {group} (keyness z against the other groups)"),
        n.max(1),
    ))
}

/// For one entity with naming variants: each perspective's share of the entity's
/// mentions in each group.
pub fn naming(
    naming: &DataFrame,
    groups: &[String],
    group_names: &[String],
    entity: &str,
    title: &str,
) -> PolarsResult<String> {
    let labels = group_labels(naming, groups)?;
    let ids = strs(naming, "entity_id")?;
    let perspectives = strs(naming, "perspective")?;
    let shares = f64s(naming, "share")?;
    let series: Vec<Series> = ["hy", "neutral", "az"]
        .iter()
        .map(|p| {
            let data: Vec<f32> = group_names
                .iter()
                .map(|g| {
                    (0..labels.len())
                        .filter(|&i| {
                            labels[i] == *g
                                && ids[i].as_deref() == Some(entity)
                                && perspectives[i].as_deref().unwrap_or("neutral") == *p
                        })
                        .filter_map(|i| shares[i])
                        .sum::<f64>() as f32
                        * 100.0
                })
                .collect();
            (format!("{p} naming").as_str(), data).into()
        })
        .collect();
    let chart = BarChart::new(series, group_names.to_vec());
    Ok(finish_bars(
        chart,
        &format!("{title}: share of mentions by naming perspective (%)"),
    ))
}

/// The range of values one figure category takes in each group.
pub fn figure_range(
    figures: &DataFrame,
    groups: &[String],
    group_names: &[String],
    category: &str,
) -> PolarsResult<String> {
    let value = |column: &str| -> PolarsResult<Vec<f32>> {
        let get = lookup(figures, groups, "category", column)?;
        Ok(group_names
            .iter()
            .map(|g| get(g, category).unwrap_or(0.0) as f32)
            .collect())
    };
    let series: Vec<Series> = vec![
        ("min", value("min_value")?).into(),
        ("median", value("median_value")?).into(),
        ("max", value("max_value")?).into(),
    ];
    let chart = BarChart::new(series, group_names.to_vec());
    Ok(finish_bars(
        chart,
        &format!("Figures of {category}: min, median and max value"),
    ))
}

pub fn top_entities(naming: &DataFrame, limit: usize) -> PolarsResult<Vec<String>> {
    top_terms(naming, "entity_id", "mentions", limit)
}

/// The head-count categories present, most contested first.
pub fn top_categories(figures: &DataFrame) -> PolarsResult<Vec<String>> {
    const CHARTED: [&str; 6] = [
        "people.displaced",
        "people.killed",
        "people.injured",
        "people.remaining",
        "people.detained",
        "military.soldiers",
    ];
    let present = top_terms(figures, "category", "figures", usize::MAX)?;
    Ok(CHARTED
        .iter()
        .filter(|c| present.iter().any(|p| p == *c))
        .map(|c| c.to_string())
        .collect())
}
