//! The articles compare counts (duplicates left out), each with its group, and the
//! per-group sums of the overview table. Read one row group at a time; what is kept is
//! one small entry per article (to find a mention's group) and one per group.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use polars::prelude::*;

use super::grouping::Grouping;
use crate::tables::batches::{for_each_batch, strs};

/// Where a mention's article stands: its position in the articles table (to count
/// distinct articles) and its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleRef {
    pub serial: u32,
    pub group: u32,
}

/// One group's values of the grouping keys and its overview sums.
#[derive(Default)]
pub struct Group {
    pub values: Vec<String>,
    pub articles: u32,
    pub tokens: u64,
    sources: HashSet<String>,
    first_published: Option<i64>,
    last_published: Option<i64>,
    by_lang: HashMap<String, u32>,
    with_lang: u32,
}

pub struct Articles {
    pub columns: Vec<String>,
    pub groups: Vec<Group>,
    index: HashMap<String, ArticleRef>,
    group_ids: HashMap<Vec<String>, u32>,
    langs: BTreeSet<String>,
}

const PUBLISHED: DataType = DataType::Datetime(TimeUnit::Milliseconds, None);

impl Articles {
    /// The grouped articles of `out`, or `None` when it has no articles part.
    pub fn read(out: &Path, grouping: &Grouping) -> anyhow::Result<Option<Articles>> {
        let mut articles = Articles {
            columns: grouping.columns(),
            groups: Vec::new(),
            index: HashMap::new(),
            group_ids: HashMap::new(),
            langs: BTreeSet::new(),
        };
        let columns = [
            ("article_id", DataType::String),
            ("lang", DataType::String),
            ("n_tokens", DataType::UInt32),
            ("source", DataType::String),
            ("published", PUBLISHED),
            ("duplicate_of", DataType::String),
        ];
        let any = for_each_batch(out, "articles", &columns, |batch| {
            let grouped = batch
                .clone()
                .lazy()
                .filter(col("duplicate_of").is_null())
                .select([
                    col("article_id"),
                    col("lang").alias("article_lang"),
                    col("n_tokens").cast(DataType::UInt64),
                    col("source").alias("article_source"),
                    col("published"),
                ])
                .with_columns(grouping.exprs())
                .collect()?;
            articles.add(&grouped)?;
            Ok(())
        })?;
        Ok(any.then_some(articles))
    }

    fn add(&mut self, batch: &DataFrame) -> PolarsResult<()> {
        let ids = strs(batch, "article_id")?;
        let langs = strs(batch, "article_lang")?;
        let sources = strs(batch, "article_source")?;
        let tokens = batch.column("n_tokens")?.u64()?;
        let published = batch.column("published")?.cast(&DataType::Int64)?;
        let published = published.i64()?;
        let keys = self
            .columns
            .iter()
            .map(|c| strs(batch, c))
            .collect::<PolarsResult<Vec<_>>>()?;
        for i in 0..batch.height() {
            let values: Vec<String> = keys
                .iter()
                .map(|k| k.get(i).unwrap_or("unknown").to_string())
                .collect();
            let next = self.group_ids.len() as u32;
            let group = *self.group_ids.entry(values.clone()).or_insert(next);
            if group == next {
                self.groups.push(Group {
                    values,
                    ..Group::default()
                });
            }
            let serial = self.index.len() as u32;
            // An id seen twice keeps its first article (ids are unique within a run).
            if let Some(id) = ids.get(i) {
                self.index
                    .entry(id.to_string())
                    .or_insert(ArticleRef { serial, group });
            }
            let g = &mut self.groups[group as usize];
            g.articles += 1;
            g.tokens += tokens.get(i).unwrap_or(0);
            if let Some(source) = sources.get(i) {
                if !g.sources.contains(source) {
                    g.sources.insert(source.to_string());
                }
            }
            if let Some(t) = published.get(i) {
                g.first_published = Some(g.first_published.map_or(t, |f| f.min(t)));
                g.last_published = Some(g.last_published.map_or(t, |l| l.max(t)));
            }
            if let Some(lang) = langs.get(i) {
                g.with_lang += 1;
                *g.by_lang.entry(lang.to_string()).or_default() += 1;
                if !self.langs.contains(lang) {
                    self.langs.insert(lang.to_string());
                }
            }
        }
        Ok(())
    }

    /// The article of each row of a mention batch (`None` for a duplicate or an
    /// article that is not in the table).
    pub fn refs(&self, batch: &DataFrame) -> PolarsResult<Vec<Option<ArticleRef>>> {
        Ok(strs(batch, "article_id")?
            .iter()
            .map(|id| id.and_then(|id| self.index.get(id).copied()))
            .collect())
    }

    /// The group columns for `rows` (group indexes), one column per key.
    pub fn group_columns(&self, rows: &[u32]) -> Vec<Column> {
        self.columns
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let values: Vec<&str> = rows
                    .iter()
                    .map(|&g| self.groups[g as usize].values[k].as_str())
                    .collect();
                Column::new(name.as_str().into(), values)
            })
            .collect()
    }

    /// Per group: articles, tokens, sources, first and last publication time, and the
    /// share of each detected language (unsorted).
    pub fn overview(&self) -> PolarsResult<DataFrame> {
        let rows: Vec<u32> = (0..self.groups.len() as u32).collect();
        let mut columns = self.group_columns(&rows);
        let g = &self.groups;
        columns.push(Column::new(
            "articles".into(),
            g.iter().map(|g| g.articles).collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            "tokens".into(),
            g.iter().map(|g| g.tokens).collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            "sources".into(),
            g.iter().map(|g| g.sources.len() as u32).collect::<Vec<_>>(),
        ));
        for (name, times) in [
            (
                "first_published",
                g.iter().map(|g| g.first_published).collect::<Vec<_>>(),
            ),
            (
                "last_published",
                g.iter().map(|g| g.last_published).collect(),
            ),
        ] {
            columns.push(Column::new(name.into(), times).cast(&PUBLISHED)?);
        }
        for lang in &self.langs {
            let shares: Vec<Option<f64>> = g
                .iter()
                .map(|g| {
                    (g.with_lang > 0).then(|| {
                        f64::from(g.by_lang.get(lang).copied().unwrap_or(0))
                            / f64::from(g.with_lang)
                    })
                })
                .collect();
            columns.push(Column::new(format!("share_{lang}").into(), shares));
        }
        DataFrame::new(rows.len(), columns)
    }

    /// Articles and tokens of a group, as the denominators of shares and rates.
    pub fn totals(&self, group: u32) -> (f64, f64) {
        let g = &self.groups[group as usize];
        (f64::from(g.articles), g.tokens as f64)
    }
}

/// Counts the distinct articles of a key's mentions. A run writes an article's
/// mentions together, so they arrive one after another in a table's part and a
/// change of article is a new one.
#[derive(Debug, Default, Clone, Copy)]
pub struct DistinctArticles {
    last: Option<u32>,
    pub count: u32,
}

impl DistinctArticles {
    pub fn add(&mut self, serial: u32) {
        if self.last != Some(serial) {
            self.last = Some(serial);
            self.count += 1;
        }
    }
}
