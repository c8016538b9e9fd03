//! The compare tables after the overview. Each summary is fed the row groups of one
//! mention table (with the article of each row, duplicates left out) and keeps one
//! entry per group × key, so memory follows the number of distinct keys, not the
//! number of mentions. `finish` builds the small table, sorted by group and key so
//! the output is the same on every run.

use std::collections::HashMap;

use polars::prelude::*;

use super::articles::{ArticleRef, Articles, DistinctArticles};
use super::keyness::fightin_words;
use crate::tables::batches::strs;

/// Columns each mention table is read with; missing ones come as nulls.
pub const FRAME_COLUMNS: [(&str, DataType); 6] = [
    ("article_id", DataType::String),
    ("frame_id", DataType::String),
    ("category", DataType::String),
    ("quoted", DataType::Boolean),
    ("attributed_to", DataType::String),
    ("negated", DataType::Boolean),
];
pub const ENTITY_COLUMNS: [(&str, DataType); 7] = [
    ("article_id", DataType::String),
    ("entity_id", DataType::String),
    ("label", DataType::String),
    ("canonical_name", DataType::String),
    ("surface", DataType::String),
    ("matched_form", DataType::String),
    ("perspective", DataType::String),
];
pub const FIGURE_COLUMNS: [(&str, DataType); 5] = [
    ("article_id", DataType::String),
    ("value", DataType::Float64),
    ("qualifier", DataType::String),
    ("category", DataType::String),
    ("attributed_to", DataType::String),
];

/// Interns strings as dense ids, so per-key entries hold integers.
#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(name.to_string(), id);
        self.names.push(name.to_string());
        id
    }

    fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

/// A boolean's mean as polars computes it: nulls left out, `None` when all are null.
#[derive(Default, Clone, Copy)]
struct Share {
    trues: u32,
    known: u32,
}

impl Share {
    fn add(&mut self, value: Option<bool>) {
        if let Some(v) = value {
            self.known += 1;
            self.trues += u32::from(v);
        }
    }

    fn get(self) -> Option<f64> {
        (self.known > 0).then(|| f64::from(self.trues) / f64::from(self.known))
    }
}

fn share_of_articles(articles_with: u32, group_articles: f64) -> f64 {
    f64::from(articles_with) / group_articles
}

fn rate_per_10k_tokens(mentions: u32, group_tokens: f64) -> f64 {
    f64::from(mentions) * 1e4 / group_tokens
}

fn sort(df: DataFrame, keys: Vec<PlSmallStr>) -> PolarsResult<DataFrame> {
    df.lazy()
        .sort(
            keys,
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .collect()
}

fn key_names(articles: &Articles, extra: &[&str]) -> Vec<PlSmallStr> {
    articles
        .columns
        .iter()
        .map(String::as_str)
        .chain(extra.iter().copied())
        .map(PlSmallStr::from)
        .collect()
}

/// The group columns of `rows` followed by `columns`, as one frame.
fn frame(articles: &Articles, groups: &[u32], columns: Vec<Column>) -> PolarsResult<DataFrame> {
    let mut all = articles.group_columns(groups);
    all.extend(columns);
    DataFrame::new(groups.len(), all)
}

/// Adds `log_odds` and `keyness_z` of each row's `term` count in its group.
fn add_keyness(df: &mut DataFrame, groups: &[String], term: &str, count: &str) -> PolarsResult<()> {
    let group_columns = groups
        .iter()
        .map(|g| df.column(g).and_then(|c| c.str().cloned()))
        .collect::<PolarsResult<Vec<_>>>()?;
    let terms = df.column(term)?.str()?.clone();
    let counts = df.column(count)?.cast(&DataType::Float64)?;
    let counts = counts.f64()?;
    let rows: Vec<(String, String, f64)> = (0..df.height())
        .map(|i| {
            let group: Vec<&str> = group_columns
                .iter()
                .map(|c| c.get(i).unwrap_or(""))
                .collect();
            (
                group.join("\u{1f}"),
                terms.get(i).unwrap_or("").to_string(),
                counts.get(i).unwrap_or(0.0),
            )
        })
        .collect();
    let (log_odds, z): (Vec<f64>, Vec<f64>) = fightin_words(&rows).into_iter().unzip();
    df.with_column(Column::new("log_odds".into(), log_odds))?;
    df.with_column(Column::new("keyness_z".into(), z))?;
    Ok(())
}

fn select(df: DataFrame, groups: &[String], columns: &[&str]) -> PolarsResult<DataFrame> {
    let names: Vec<&str> = groups
        .iter()
        .map(String::as_str)
        .chain(columns.iter().copied())
        .collect();
    df.select(names)
}

/// Rows of a batch that belong to a counted article, with that article.
fn counted(refs: &[Option<ArticleRef>]) -> impl Iterator<Item = (usize, ArticleRef)> + '_ {
    refs.iter()
        .enumerate()
        .filter_map(|(i, r)| r.map(|r| (i, r)))
}

/// A column of one value per entry.
fn column<'a, E, V>(name: &str, entries: &'a [E], value: impl Fn(&'a E) -> V) -> Column
where
    Series: NamedFrom<Vec<V>, [V]>,
{
    Column::new(name.into(), entries.iter().map(value).collect::<Vec<V>>())
}

// ---------------------------------------------------------------------------- frames

#[derive(Default)]
struct FrameCount {
    mentions: u32,
    articles: DistinctArticles,
    quoted: Share,
    attributed: Share,
    negated: Share,
}

/// Per group and frame (every frame seen anywhere, so under-use shows as zero).
#[derive(Default)]
pub struct Frames {
    frames: Interner,
    /// The category of each frame, as first seen.
    categories: Vec<Option<String>>,
    counts: HashMap<(u32, u32), FrameCount>,
}

impl Frames {
    pub fn add(&mut self, batch: &DataFrame, refs: &[Option<ArticleRef>]) -> PolarsResult<()> {
        let ids = strs(batch, "frame_id")?;
        let categories = strs(batch, "category")?;
        let quoted = batch.column("quoted")?.bool()?;
        let attributed = strs(batch, "attributed_to")?;
        let negated = batch.column("negated")?.bool()?;
        for (i, article) in counted(refs) {
            let Some(id) = ids.get(i) else { continue };
            let frame = self.frames.id(id);
            if frame as usize == self.categories.len() {
                self.categories.push(categories.get(i).map(String::from));
            }
            let c = self.counts.entry((article.group, frame)).or_default();
            c.mentions += 1;
            c.articles.add(article.serial);
            c.quoted.add(quoted.get(i));
            c.attributed.add(Some(attributed.get(i).is_some()));
            c.negated.add(negated.get(i));
        }
        Ok(())
    }

    pub fn finish(self, articles: &Articles) -> PolarsResult<DataFrame> {
        let mut groups = Vec::new();
        let (mut ids, mut cats) = (Vec::new(), Vec::new());
        let (mut mentions, mut with) = (Vec::new(), Vec::new());
        let (mut shares, mut rates) = (Vec::new(), Vec::new());
        let (mut quoted, mut attributed, mut negated) = (Vec::new(), Vec::new(), Vec::new());
        let empty = FrameCount::default();
        for group in 0..articles.groups.len() as u32 {
            let (group_articles, group_tokens) = articles.totals(group);
            for frame in 0..self.categories.len() as u32 {
                let c = self.counts.get(&(group, frame)).unwrap_or(&empty);
                groups.push(group);
                ids.push(self.frames.name(frame));
                cats.push(self.categories[frame as usize].as_deref());
                mentions.push(c.mentions);
                with.push(c.articles.count);
                shares.push(share_of_articles(c.articles.count, group_articles));
                rates.push(rate_per_10k_tokens(c.mentions, group_tokens));
                quoted.push(c.quoted.get());
                attributed.push(c.attributed.get());
                negated.push(c.negated.get());
            }
        }
        let df = frame(
            articles,
            &groups,
            vec![
                Column::new("frame_id".into(), ids),
                Column::new("category".into(), cats),
                Column::new("mentions".into(), mentions),
                Column::new("articles_with".into(), with),
                Column::new("share_of_articles".into(), shares),
                Column::new("rate_per_10k_tokens".into(), rates),
                Column::new("share_quoted".into(), quoted),
                Column::new("share_attributed".into(), attributed),
                Column::new("share_negated".into(), negated),
            ],
        )?;
        let mut df = sort(df, key_names(articles, &["frame_id"]))?;
        add_keyness(&mut df, &articles.columns, "frame_id", "mentions")?;
        select(
            df,
            &articles.columns,
            &[
                "frame_id",
                "category",
                "mentions",
                "articles_with",
                "share_of_articles",
                "rate_per_10k_tokens",
                "share_quoted",
                "share_attributed",
                "share_negated",
                "log_odds",
                "keyness_z",
            ],
        )
    }
}

// -------------------------------------------------------------------------- entities

struct EntityCount {
    entity_id: Option<String>,
    name: Option<String>,
    label: Option<String>,
    mentions: u32,
    articles: DistinctArticles,
}

/// Per group and entity: gazetteer entities by id, other names by their lowercased
/// surface (`name:goris aid committee`). Only entities a group mentions have a row;
/// the id, name and label are those of the entity's first mention.
#[derive(Default)]
pub struct Entities {
    keys: Interner,
    counts: HashMap<(u32, u32), EntityCount>,
}

impl Entities {
    pub fn add(&mut self, batch: &DataFrame, refs: &[Option<ArticleRef>]) -> PolarsResult<()> {
        let ids = strs(batch, "entity_id")?;
        let labels = strs(batch, "label")?;
        let canonical = strs(batch, "canonical_name")?;
        let surfaces = strs(batch, "surface")?;
        let mut name_key = String::new();
        for (i, article) in counted(refs) {
            let key = match (ids.get(i), surfaces.get(i)) {
                (Some(id), _) => self.keys.id(id),
                (None, Some(surface)) => {
                    name_key.clear();
                    name_key.push_str("name:");
                    name_key.push_str(&surface.to_lowercase());
                    self.keys.id(&name_key)
                }
                (None, None) => continue,
            };
            let c = self
                .counts
                .entry((article.group, key))
                .or_insert_with(|| EntityCount {
                    entity_id: ids.get(i).map(String::from),
                    name: canonical.get(i).or(surfaces.get(i)).map(String::from),
                    label: labels.get(i).map(String::from),
                    mentions: 0,
                    articles: DistinctArticles::default(),
                });
            c.mentions += 1;
            c.articles.add(article.serial);
        }
        Ok(())
    }

    pub fn finish(self, articles: &Articles) -> PolarsResult<DataFrame> {
        let mut entries: Vec<_> = self.counts.into_iter().collect();
        // Hash-map order is arbitrary; the sort below fixes the output order.
        entries.sort_unstable_by_key(|(k, _)| *k);
        let groups: Vec<u32> = entries.iter().map(|((g, _), _)| *g).collect();
        let totals = |g: u32| articles.totals(g);
        let columns = vec![
            column("entity_key", &entries, |((_, k), _)| self.keys.name(*k)),
            column("entity_id", &entries, |(_, c)| c.entity_id.as_deref()),
            column("name", &entries, |(_, c)| c.name.as_deref()),
            column("label", &entries, |(_, c)| c.label.as_deref()),
            column("mentions", &entries, |(_, c)| c.mentions),
            column("articles_with", &entries, |(_, c)| c.articles.count),
            column("share_of_articles", &entries, |((g, _), c)| {
                share_of_articles(c.articles.count, totals(*g).0)
            }),
            column("rate_per_10k_tokens", &entries, |((g, _), c)| {
                rate_per_10k_tokens(c.mentions, totals(*g).1)
            }),
        ];
        let df = frame(articles, &groups, columns)?;
        let mut df = sort(df, key_names(articles, &["entity_key"]))?;
        add_keyness(&mut df, &articles.columns, "entity_key", "mentions")?;
        select(
            df,
            &articles.columns,
            &[
                "entity_key",
                "entity_id",
                "name",
                "label",
                "mentions",
                "articles_with",
                "share_of_articles",
                "rate_per_10k_tokens",
                "log_odds",
                "keyness_z",
            ],
        )
    }
}

// ---------------------------------------------------------------------------- naming

struct VariantCount {
    canonical_name: Option<String>,
    perspective: Option<String>,
    mentions: u32,
}

/// Per group, entity with competing names (a variant with `hy` or `az` perspective
/// anywhere), and variant: the variant's mentions, its share of the entity's mentions
/// in the group, and the side it signals.
#[derive(Default)]
pub struct Naming {
    entities: Interner,
    variants: Interner,
    /// Entities with a variant of either side.
    contested: Vec<bool>,
    /// (group, entity, variant; `u32::MAX` for no variant)
    counts: HashMap<(u32, u32, u32), VariantCount>,
}

impl Naming {
    pub fn add(&mut self, batch: &DataFrame, refs: &[Option<ArticleRef>]) -> PolarsResult<()> {
        let ids = strs(batch, "entity_id")?;
        let canonical = strs(batch, "canonical_name")?;
        let forms = strs(batch, "matched_form")?;
        let perspectives = strs(batch, "perspective")?;
        for (i, article) in counted(refs) {
            let Some(id) = ids.get(i) else { continue };
            let entity = self.entities.id(id);
            if entity as usize == self.contested.len() {
                self.contested.push(false);
            }
            let perspective = perspectives.get(i);
            if matches!(perspective, Some("hy" | "az")) {
                self.contested[entity as usize] = true;
            }
            let variant = forms.get(i).map_or(u32::MAX, |f| self.variants.id(f));
            let c = self
                .counts
                .entry((article.group, entity, variant))
                .or_insert_with(|| VariantCount {
                    canonical_name: canonical.get(i).map(String::from),
                    perspective: perspective.map(String::from),
                    mentions: 0,
                });
            c.mentions += 1;
        }
        Ok(())
    }

    pub fn finish(self, articles: &Articles) -> PolarsResult<DataFrame> {
        let mut entries: Vec<_> = self
            .counts
            .into_iter()
            .filter(|((_, e, _), _)| self.contested[*e as usize])
            .collect();
        entries.sort_unstable_by_key(|(k, _)| *k);
        let mut entity_mentions: HashMap<(u32, u32), u32> = HashMap::new();
        for ((g, e, _), c) in &entries {
            *entity_mentions.entry((*g, *e)).or_default() += c.mentions;
        }
        let groups: Vec<u32> = entries.iter().map(|((g, _, _), _)| *g).collect();
        let columns = vec![
            column("entity_id", &entries, |((_, e, _), _)| {
                self.entities.name(*e)
            }),
            column("canonical_name", &entries, |(_, c)| {
                c.canonical_name.as_deref()
            }),
            column("variant", &entries, |((_, _, v), _)| {
                (*v != u32::MAX).then(|| self.variants.name(*v))
            }),
            column("perspective", &entries, |(_, c)| c.perspective.as_deref()),
            column("mentions", &entries, |(_, c)| c.mentions),
            column("share", &entries, |((g, e, _), c)| {
                f64::from(c.mentions) / f64::from(entity_mentions[&(*g, *e)])
            }),
        ];
        let df = frame(articles, &groups, columns)?;
        let df = sort(df, key_names(articles, &["entity_id", "variant"]))?;
        select(
            df,
            &articles.columns,
            &[
                "entity_id",
                "canonical_name",
                "variant",
                "perspective",
                "mentions",
                "share",
            ],
        )
    }
}

// --------------------------------------------------------------------------- figures

#[derive(Default)]
struct FigureCount {
    figures: u32,
    articles: DistinctArticles,
    /// How often each value occurs (by its bits), for the median and the mode.
    values: HashMap<u64, u32>,
    null_values: u32,
    hedged: u32,
    sources: HashMap<u32, u32>,
}

impl FigureCount {
    /// Values in ascending order with their counts.
    fn sorted_values(&self) -> Vec<(f64, u32)> {
        let mut values: Vec<(f64, u32)> = self
            .values
            .iter()
            .map(|(&bits, &n)| (f64::from_bits(bits), n))
            .collect();
        values.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        values
    }

    /// The median as polars computes it (linear interpolation between the two middle
    /// values), nulls left out.
    fn median(values: &[(f64, u32)]) -> Option<f64> {
        let n: u64 = values.iter().map(|(_, c)| u64::from(*c)).sum();
        if n == 0 {
            return None;
        }
        let float_idx = (n as f64 - 1.0) * 0.5;
        let idx = float_idx as u64;
        let top = float_idx.ceil() as u64;
        let at = |k: u64| {
            let mut seen = 0;
            values
                .iter()
                .find(|(_, c)| {
                    seen += u64::from(*c);
                    seen > k
                })
                .map(|(v, _)| *v)
        };
        let lower = at(idx)?;
        if idx == top {
            return Some(lower);
        }
        let upper = at(top)?;
        if lower == upper {
            return Some(lower);
        }
        Some((float_idx - idx as f64) * (upper - lower) + lower)
    }

    /// The most frequent value; ties go to the smallest, and null sorts first.
    fn mode(&self, values: &[(f64, u32)]) -> Option<f64> {
        let best = values
            .iter()
            .copied()
            .fold(None, |best, (v, n)| match best {
                Some((_, m)) if m >= n => best,
                _ => Some((v, n)),
            });
        match best {
            Some((_, n)) if self.null_values >= n => None,
            Some((v, _)) => Some(v),
            None => None,
        }
    }
}

/// Per group and figure category (dates left out): counts, the spread of values, how
/// often figures are hedged, and who they are attributed to.
#[derive(Default)]
pub struct Figures {
    categories: Interner,
    speakers: Interner,
    counts: HashMap<(u32, u32), FigureCount>,
}

impl Figures {
    pub fn add(&mut self, batch: &DataFrame, refs: &[Option<ArticleRef>]) -> PolarsResult<()> {
        let values = batch.column("value")?.f64()?;
        let qualifiers = strs(batch, "qualifier")?;
        let categories = strs(batch, "category")?;
        let attributed = strs(batch, "attributed_to")?;
        for (i, article) in counted(refs) {
            let Some(category) = categories.get(i).filter(|c| *c != "date") else {
                continue;
            };
            let category = self.categories.id(category);
            let speaker = attributed.get(i).map(|s| self.speakers.id(s));
            let c = self.counts.entry((article.group, category)).or_default();
            c.figures += 1;
            c.articles.add(article.serial);
            match values.get(i) {
                Some(v) => *c.values.entry(v.to_bits()).or_default() += 1,
                None => c.null_values += 1,
            }
            c.hedged += u32::from(qualifiers.get(i).is_some_and(|q| q != "exact"));
            if let Some(s) = speaker {
                *c.sources.entry(s).or_default() += 1;
            }
        }
        Ok(())
    }

    pub fn finish(self, articles: &Articles) -> PolarsResult<DataFrame> {
        let mut entries: Vec<_> = self.counts.into_iter().collect();
        entries.sort_unstable_by_key(|(k, _)| *k);
        let groups: Vec<u32> = entries.iter().map(|((g, _), _)| *g).collect();
        let (mut min, mut median, mut max, mut mode) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut sources, mut source_mentions) = (Vec::new(), Vec::new());
        for (_, c) in &entries {
            let values = c.sorted_values();
            min.push(values.first().map(|v| v.0));
            max.push(values.last().map(|v| v.0));
            median.push(FigureCount::median(&values));
            mode.push(c.mode(&values));
            if c.sources.is_empty() {
                sources.push(None);
                source_mentions.push(None);
                continue;
            }
            let mut by_count: Vec<(&str, u32)> = c
                .sources
                .iter()
                .map(|(&s, &n)| (self.speakers.name(s), n))
                .collect();
            by_count.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let names: Vec<&str> = by_count.iter().map(|s| s.0).collect();
            let counts: Vec<u32> = by_count.iter().map(|s| s.1).collect();
            sources.push(Some(Series::new(PlSmallStr::EMPTY, names)));
            source_mentions.push(Some(Series::new(PlSmallStr::EMPTY, counts)));
        }
        let list = |name: &str, values: Vec<Option<Series>>, inner: DataType| {
            let list: ListChunked = values.into_iter().collect();
            list.into_series()
                .with_name(name.into())
                .cast(&DataType::List(Box::new(inner)))
                .map(Column::from)
        };
        let columns = vec![
            column("category", &entries, |((_, k), _)| self.categories.name(*k)),
            column("figures", &entries, |(_, c)| c.figures),
            column("articles", &entries, |(_, c)| c.articles.count),
            Column::new("min_value".into(), min),
            Column::new("median_value".into(), median),
            Column::new("max_value".into(), max),
            Column::new("most_frequent_value".into(), mode),
            column("share_hedged", &entries, |(_, c)| {
                f64::from(c.hedged) / f64::from(c.figures)
            }),
            list("sources", sources, DataType::String)?,
            list("source_mentions", source_mentions, DataType::UInt32)?,
        ];
        let df = frame(articles, &groups, columns)?;
        let df = sort(df, key_names(articles, &["category"]))?;
        select(
            df,
            &articles.columns,
            &[
                "category",
                "figures",
                "articles",
                "min_value",
                "median_value",
                "max_value",
                "most_frequent_value",
                "share_hedged",
                "sources",
                "source_mentions",
            ],
        )
    }
}

// -------------------------------------------------------------------------- speakers

#[derive(Default)]
struct SpeakerCount {
    mentions: u32,
    articles: DistinctArticles,
}

/// Per group: who is credited with each frame and each figure category, so an analyst
/// can ask "who in Armenian coverage uses ethnic cleansing?". One row per group ×
/// `kind` (`frame` or `figure`) × `item` (frame_id or figure category) × `speaker`,
/// with its mentions and articles; unattributed mentions and dates are left out.
#[derive(Default)]
pub struct Speakers {
    items: Interner,
    speakers: Interner,
    /// (group, kind: 0 figure / 1 frame, item, speaker)
    counts: HashMap<(u32, u8, u32, u32), SpeakerCount>,
}

impl Speakers {
    pub fn add_frames(
        &mut self,
        batch: &DataFrame,
        refs: &[Option<ArticleRef>],
    ) -> PolarsResult<()> {
        self.add(batch, refs, 1, "frame_id", |_| true)
    }

    pub fn add_figures(
        &mut self,
        batch: &DataFrame,
        refs: &[Option<ArticleRef>],
    ) -> PolarsResult<()> {
        self.add(batch, refs, 0, "category", |c| c != "date")
    }

    fn add(
        &mut self,
        batch: &DataFrame,
        refs: &[Option<ArticleRef>],
        kind: u8,
        item_column: &str,
        keep: impl Fn(&str) -> bool,
    ) -> PolarsResult<()> {
        let items = strs(batch, item_column)?;
        let speakers = strs(batch, "attributed_to")?;
        for (i, article) in counted(refs) {
            let (Some(item), Some(speaker)) = (items.get(i), speakers.get(i)) else {
                continue;
            };
            if !keep(item) {
                continue;
            }
            let key = (
                article.group,
                kind,
                self.items.id(item),
                self.speakers.id(speaker),
            );
            let c = self.counts.entry(key).or_default();
            c.mentions += 1;
            c.articles.add(article.serial);
        }
        Ok(())
    }

    pub fn finish(self, articles: &Articles) -> PolarsResult<DataFrame> {
        let mut entries: Vec<_> = self.counts.into_iter().collect();
        entries.sort_unstable_by_key(|(k, _)| *k);
        let groups: Vec<u32> = entries.iter().map(|((g, ..), _)| *g).collect();
        let columns = vec![
            column(
                "kind",
                &entries,
                |((_, k, ..), _)| if *k == 1 { "frame" } else { "figure" },
            ),
            column("item", &entries, |((_, _, item, _), _)| {
                self.items.name(*item)
            }),
            column("speaker", &entries, |((.., s), _)| self.speakers.name(*s)),
            column("mentions", &entries, |(_, c)| c.mentions),
            column("articles", &entries, |(_, c)| c.articles.count),
        ];
        let df = frame(articles, &groups, columns)?;
        let df = sort(df, key_names(articles, &["kind", "item", "speaker"]))?;
        select(
            df,
            &articles.columns,
            &["kind", "item", "speaker", "mentions", "articles"],
        )
    }
}

/// Per group: articles, tokens, sources, first and last publication time, and the
/// share of each detected language.
pub fn overview(articles: &Articles) -> PolarsResult<DataFrame> {
    sort(articles.overview()?, key_names(articles, &[]))
}
