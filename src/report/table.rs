//! Reading compare tables for the report: typed columns and HTML tables.

use std::fmt::Write;

use polars::prelude::*;

pub fn strs(df: &DataFrame, column: &str) -> PolarsResult<Vec<Option<String>>> {
    let c = df.column(column)?.cast(&DataType::String)?;
    Ok(c.str()?.iter().map(|v| v.map(String::from)).collect())
}

pub fn f64s(df: &DataFrame, column: &str) -> PolarsResult<Vec<Option<f64>>> {
    let c = df.column(column)?.cast(&DataType::Float64)?;
    Ok(c.f64()?.iter().collect())
}

/// Each row's group as one label: `hy`, or `hy · 2023-09` for several keys.
pub fn group_labels(df: &DataFrame, groups: &[String]) -> PolarsResult<Vec<String>> {
    let columns = groups
        .iter()
        .map(|g| strs(df, g))
        .collect::<PolarsResult<Vec<_>>>()?;
    Ok((0..df.height())
        .map(|i| {
            columns
                .iter()
                .map(|c| c[i].clone().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(" · ")
        })
        .collect())
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An HTML table of `columns` of `df`; numbers with at most two decimals.
pub fn html(df: &DataFrame, columns: &[&str]) -> PolarsResult<String> {
    let mut out = String::from("<table><thead><tr>");
    for c in columns {
        let _ = write!(out, "<th>{}</th>", escape(c));
    }
    out.push_str("</tr></thead><tbody>");
    let cells = columns
        .iter()
        .map(|c| {
            let column = df.column(c)?;
            Ok(match column.dtype() {
                DataType::Float32 | DataType::Float64 => f64s(df, c)?
                    .into_iter()
                    .map(|v| v.map(|v| format!("{v:.2}")))
                    .collect(),
                DataType::Datetime(..) => strs(df, c)?
                    .into_iter()
                    .map(|v| v.map(|t| t.trim_end_matches(".000").to_string()))
                    .collect(),
                _ => strs(df, c)?,
            })
        })
        .collect::<PolarsResult<Vec<Vec<Option<String>>>>>()?;
    for row in 0..df.height() {
        out.push_str("<tr>");
        for column in &cells {
            let _ = write!(
                out,
                "<td>{}</td>",
                escape(column[row].as_deref().unwrap_or("–"))
            );
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    Ok(out)
}
