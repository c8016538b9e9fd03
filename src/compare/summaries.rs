//! The five compare tables. Each joins one mention table to the grouped articles
//! (duplicates left out), sums it per group, and sorts by group and key so the
//! output is the same on every run.

use polars::prelude::*;

use super::grouping::Grouping;
use super::keyness::fightin_words;

pub struct Inputs {
    pub groups: Vec<String>,
    /// One row per article that is not a duplicate: `article_id`, `article_lang`,
    /// `n_tokens`, `article_source`, `published`, then the group columns.
    pub articles: LazyFrame,
    pub frames: Option<LazyFrame>,
    pub entities: Option<LazyFrame>,
    pub figures: Option<LazyFrame>,
}

impl Inputs {
    fn group_exprs(&self) -> Vec<Expr> {
        self.groups.iter().map(|c| col(c.as_str())).collect()
    }

    /// Group columns plus `extra`.
    fn keys(&self, extra: &[&str]) -> Vec<Expr> {
        let mut keys = self.group_exprs();
        keys.extend(extra.iter().map(|c| col(*c)));
        keys
    }

    fn key_names(&self, extra: &[&str]) -> Vec<PlSmallStr> {
        self.groups
            .iter()
            .map(|g| g.as_str())
            .chain(extra.iter().copied())
            .map(PlSmallStr::from)
            .collect()
    }

    /// Articles and tokens per group.
    fn totals(&self) -> LazyFrame {
        self.articles.clone().group_by(self.group_exprs()).agg([
            len().cast(DataType::Float64).alias("group_articles"),
            col("n_tokens")
                .sum()
                .cast(DataType::Float64)
                .alias("group_tokens"),
        ])
    }

    /// `columns` of a mention table with the group columns of each mention's article;
    /// an empty table of that shape when the extractor did not run.
    fn mentions(&self, table: Option<&LazyFrame>, columns: &[(&str, DataType)]) -> LazyFrame {
        let lf = match table {
            Some(lf) => lf
                .clone()
                .select(columns.iter().map(|(c, _)| col(*c)).collect::<Vec<_>>()),
            None => {
                let schema = Schema::from_iter(
                    columns
                        .iter()
                        .map(|(c, t)| Field::new((*c).into(), t.clone())),
                );
                DataFrame::empty_with_schema(&schema).lazy()
            }
        };
        let mut article_columns = vec![col("article_id")];
        article_columns.extend(self.group_exprs());
        lf.join(
            self.articles.clone().select(article_columns),
            [col("article_id")],
            [col("article_id")],
            JoinArgs::new(JoinType::Inner),
        )
    }
}

pub fn grouped_articles(articles: LazyFrame, grouping: &Grouping) -> LazyFrame {
    articles
        .filter(col("duplicate_of").is_null())
        .select([
            col("article_id"),
            col("lang").alias("article_lang"),
            col("n_tokens").cast(DataType::UInt64),
            col("source").alias("article_source"),
            col("published"),
        ])
        .with_columns(grouping.exprs())
}

fn share(expr: Expr) -> Expr {
    expr.cast(DataType::Float64).mean()
}

fn sort(lf: LazyFrame, keys: Vec<PlSmallStr>) -> LazyFrame {
    lf.sort(
        keys,
        SortMultipleOptions::default().with_maintain_order(true),
    )
}

/// Per group: articles, tokens, sources, first and last publication time, and the
/// share of each detected language.
pub fn overview(inputs: &Inputs) -> PolarsResult<DataFrame> {
    let langs = inputs
        .articles
        .clone()
        .select([col("article_lang").unique().sort(SortOptions::default())])
        .collect()?;
    let mut aggs = vec![
        len().alias("articles"),
        col("n_tokens").sum().alias("tokens"),
        col("article_source")
            .drop_nulls()
            .n_unique()
            .alias("sources"),
        col("published").min().alias("first_published"),
        col("published").max().alias("last_published"),
    ];
    for lang in langs.column("article_lang")?.str()?.iter().flatten() {
        aggs.push(share(col("article_lang").eq(lit(lang))).alias(format!("share_{lang}")));
    }
    let lf = inputs
        .articles
        .clone()
        .group_by(inputs.group_exprs())
        .agg(aggs);
    sort(lf, inputs.key_names(&[])).collect()
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

/// Shares of the group's articles and the rate per 10k tokens from `mentions` and
/// `articles_with` (after a join with [`Inputs::totals`]).
fn rates() -> [Expr; 2] {
    [
        (col("articles_with").cast(DataType::Float64) / col("group_articles"))
            .alias("share_of_articles"),
        (col("mentions").cast(DataType::Float64) * lit(1e4) / col("group_tokens"))
            .alias("rate_per_10k_tokens"),
    ]
}

fn select(df: DataFrame, groups: &[String], columns: &[&str]) -> PolarsResult<DataFrame> {
    let names: Vec<&str> = groups
        .iter()
        .map(String::as_str)
        .chain(columns.iter().copied())
        .collect();
    df.select(names)
}

/// Per group and frame (every frame seen anywhere, so under-use shows as zero).
pub fn frames(inputs: &Inputs) -> PolarsResult<DataFrame> {
    use DataType::*;
    let m = inputs.mentions(
        inputs.frames.as_ref(),
        &[
            ("article_id", String),
            ("frame_id", String),
            ("category", String),
            ("quoted", Boolean),
            ("attributed_to", String),
            ("negated", Boolean),
        ],
    );
    let keys = inputs.keys(&["frame_id"]);
    let counts = m.clone().group_by(keys.clone()).agg([
        len().alias("mentions"),
        col("article_id").n_unique().alias("articles_with"),
        share(col("quoted")).alias("share_quoted"),
        share(col("attributed_to").is_not_null()).alias("share_attributed"),
        share(col("negated")).alias("share_negated"),
    ]);
    // Every group × every frame: a join on a constant key.
    let catalogue = m
        .group_by([col("frame_id")])
        .agg([col("category").first()])
        .with_column(lit(1).alias("_all"));
    let full = inputs
        .totals()
        .with_column(lit(1).alias("_all"))
        .join(
            catalogue,
            [col("_all")],
            [col("_all")],
            JoinArgs::new(JoinType::Inner),
        )
        .join(counts, keys.clone(), keys, JoinArgs::new(JoinType::Left))
        .with_columns([
            col("mentions").fill_null(lit(0)),
            col("articles_with").fill_null(lit(0)),
        ])
        .with_columns(rates());
    let mut df = sort(full, inputs.key_names(&["frame_id"])).collect()?;
    add_keyness(&mut df, &inputs.groups, "frame_id", "mentions")?;
    select(
        df,
        &inputs.groups,
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

/// Per group and entity: gazetteer entities by id, other names by their lowercased
/// surface (`name:goris aid committee`). Only entities a group mentions have a row.
pub fn entities(inputs: &Inputs) -> PolarsResult<DataFrame> {
    use DataType::*;
    let m = inputs
        .mentions(
            inputs.entities.as_ref(),
            &[
                ("article_id", String),
                ("entity_id", String),
                ("label", String),
                ("canonical_name", String),
                ("surface", String),
            ],
        )
        .with_columns([
            when(col("entity_id").is_not_null())
                .then(col("entity_id"))
                .otherwise(lit("name:") + col("surface").str().to_lowercase())
                .alias("entity_key"),
            when(col("canonical_name").is_not_null())
                .then(col("canonical_name"))
                .otherwise(col("surface"))
                .alias("name"),
        ]);
    let keys = inputs.keys(&["entity_key"]);
    let counts = m
        .group_by(keys)
        .agg([
            col("entity_id").first(),
            col("name").first(),
            col("label").first(),
            len().alias("mentions"),
            col("article_id").n_unique().alias("articles_with"),
        ])
        .join(
            inputs.totals(),
            inputs.group_exprs(),
            inputs.group_exprs(),
            JoinArgs::new(JoinType::Inner),
        )
        .with_columns(rates());
    let mut df = sort(counts, inputs.key_names(&["entity_key"])).collect()?;
    add_keyness(&mut df, &inputs.groups, "entity_key", "mentions")?;
    select(
        df,
        &inputs.groups,
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

/// Per group, entity with competing names (a variant with `hy` or `az` perspective),
/// and variant: the variant's mentions, its
/// share of the entity's mentions in the group, and the side it signals.
pub fn naming(inputs: &Inputs) -> PolarsResult<DataFrame> {
    use DataType::*;
    let m = inputs
        .mentions(
            inputs.entities.as_ref(),
            &[
                ("article_id", String),
                ("entity_id", String),
                ("canonical_name", String),
                ("matched_form", String),
                ("perspective", String),
            ],
        )
        .filter(col("entity_id").is_not_null());
    let contested = m
        .clone()
        .filter(
            col("perspective")
                .eq(lit("hy"))
                .or(col("perspective").eq(lit("az"))),
        )
        .select([col("entity_id")])
        .unique_stable(None, UniqueKeepStrategy::First);
    let m = m.join(
        contested,
        [col("entity_id")],
        [col("entity_id")],
        JoinArgs::new(JoinType::Inner),
    );
    let entity_keys = inputs.keys(&["entity_id"]);
    let totals = m
        .clone()
        .group_by(entity_keys.clone())
        .agg([len().cast(Float64).alias("entity_mentions")]);
    let variants = m
        .group_by(inputs.keys(&["entity_id", "matched_form"]))
        .agg([
            col("canonical_name").first(),
            col("perspective").first(),
            len().alias("mentions"),
        ])
        .join(
            totals,
            entity_keys.clone(),
            entity_keys,
            JoinArgs::new(JoinType::Inner),
        )
        .with_columns([
            col("matched_form").alias("variant"),
            (col("mentions").cast(Float64) / col("entity_mentions")).alias("share"),
        ]);
    let df = sort(variants, inputs.key_names(&["entity_id", "matched_form"])).collect()?;
    select(
        df,
        &inputs.groups,
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

/// Per group and figure category (dates left out): counts, the spread of values, how
/// often figures are hedged, and who they are attributed to.
pub fn figures(inputs: &Inputs) -> PolarsResult<DataFrame> {
    use DataType::*;
    let m = inputs
        .mentions(
            inputs.figures.as_ref(),
            &[
                ("article_id", String),
                ("value", Float64),
                ("qualifier", String),
                ("category", String),
                ("attributed_to", String),
            ],
        )
        .filter(col("category").neq(lit("date")));
    let keys = inputs.keys(&["category"]);
    let hedged = col("qualifier")
        .is_not_null()
        .and(col("qualifier").neq(lit("exact")).fill_null(lit(false)));
    let summary = m.clone().group_by(keys.clone()).agg([
        len().alias("figures"),
        col("article_id").n_unique().alias("articles"),
        col("value").min().alias("min_value"),
        col("value").median().alias("median_value"),
        col("value").max().alias("max_value"),
        share(hedged).alias("share_hedged"),
    ]);
    let by_count = |what: &str| {
        col(what).sort_by(
            [col("n"), col(what)],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
    };
    let mode = m
        .clone()
        .group_by(inputs.keys(&["category", "value"]))
        .agg([len().alias("n")])
        .group_by(keys.clone())
        .agg([by_count("value").first().alias("most_frequent_value")]);
    let sources = m
        .filter(col("attributed_to").is_not_null())
        .group_by(inputs.keys(&["category", "attributed_to"]))
        .agg([len().alias("n")])
        .group_by(keys.clone())
        .agg([
            by_count("attributed_to").alias("sources"),
            col("n")
                .sort_by(
                    [col("n"), col("attributed_to")],
                    SortMultipleOptions::default().with_order_descending_multi([true, false]),
                )
                .alias("source_mentions"),
        ]);
    let joined = summary
        .join(
            mode,
            keys.clone(),
            keys.clone(),
            JoinArgs::new(JoinType::Left),
        )
        .join(sources, keys.clone(), keys, JoinArgs::new(JoinType::Left));
    let df = sort(joined, inputs.key_names(&["category"])).collect()?;
    select(
        df,
        &inputs.groups,
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

/// Per group: who is credited with each frame and each figure category, so an analyst
/// can ask "who in Armenian coverage uses ethnic cleansing?". One row per group ×
/// `kind` (`frame` or `figure`) × `item` (frame_id or figure category) × `speaker`,
/// with its mentions and articles; unattributed mentions and dates are left out.
pub fn speakers(inputs: &Inputs) -> PolarsResult<DataFrame> {
    use DataType::*;
    let frames = inputs
        .mentions(
            inputs.frames.as_ref(),
            &[
                ("article_id", String),
                ("frame_id", String),
                ("attributed_to", String),
            ],
        )
        .select(
            [
                vec![
                    col("article_id"),
                    lit("frame").alias("kind"),
                    col("frame_id").alias("item"),
                    col("attributed_to").alias("speaker"),
                ],
                inputs.group_exprs(),
            ]
            .concat(),
        );
    let figures = inputs
        .mentions(
            inputs.figures.as_ref(),
            &[
                ("article_id", String),
                ("category", String),
                ("attributed_to", String),
            ],
        )
        .filter(col("category").neq(lit("date")))
        .select(
            [
                vec![
                    col("article_id"),
                    lit("figure").alias("kind"),
                    col("category").alias("item"),
                    col("attributed_to").alias("speaker"),
                ],
                inputs.group_exprs(),
            ]
            .concat(),
        );
    let all = concat([frames, figures], UnionArgs::default())?
        .filter(col("speaker").is_not_null())
        .group_by(inputs.keys(&["kind", "item", "speaker"]))
        .agg([
            len().cast(UInt32).alias("mentions"),
            col("article_id").n_unique().cast(UInt32).alias("articles"),
        ]);
    let df = sort(all, inputs.key_names(&["kind", "item", "speaker"])).collect()?;
    select(
        df,
        &inputs.groups,
        &["kind", "item", "speaker", "mentions", "articles"],
    )
}
