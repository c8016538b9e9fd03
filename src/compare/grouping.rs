//! `--by` keys: how articles are grouped for comparison (`lang`, `source`,
//! `published:day|week|month`, combined with commas).

use std::fmt;
use std::str::FromStr;

use polars::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Lang,
    Source,
    Day,
    Week,
    Month,
}

impl Key {
    /// The group column's name in the compare tables.
    pub fn column(self) -> &'static str {
        match self {
            Key::Lang => "lang",
            Key::Source => "source",
            Key::Day => "published_day",
            Key::Week => "published_week",
            Key::Month => "published_month",
        }
    }

    /// The group value of each article; missing values become `unknown` so that
    /// every article belongs to a group.
    fn expr(self) -> Expr {
        let published = |format: &str| col("published").dt().to_string(format);
        let value = match self {
            Key::Lang => col("article_lang"),
            Key::Source => col("article_source"),
            Key::Day => published("%Y-%m-%d"),
            Key::Week => published("%G-W%V"),
            Key::Month => published("%Y-%m"),
        };
        value.fill_null(lit("unknown")).alias(self.column())
    }
}

/// The grouping keys, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouping {
    keys: Vec<Key>,
}

impl Default for Grouping {
    fn default() -> Self {
        Grouping {
            keys: vec![Key::Lang],
        }
    }
}

impl Grouping {
    pub fn columns(&self) -> Vec<String> {
        self.keys.iter().map(|k| k.column().to_string()).collect()
    }

    pub fn exprs(&self) -> Vec<Expr> {
        self.keys.iter().map(|k| k.expr()).collect()
    }
}

impl FromStr for Grouping {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut keys = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let key = match part {
                "lang" => Key::Lang,
                "source" => Key::Source,
                "published:day" => Key::Day,
                "published:week" => Key::Week,
                "published:month" => Key::Month,
                other => {
                    return Err(format!(
                        "unknown grouping key `{other}`; use lang, source, published:day, published:week or published:month"
                    ))
                }
            };
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        if keys.is_empty() {
            return Err("no grouping key given".to_string());
        }
        Ok(Grouping { keys })
    }
}

impl fmt::Display for Grouping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self
            .keys
            .iter()
            .map(|k| match k {
                Key::Lang => "lang",
                Key::Source => "source",
                Key::Day => "published:day",
                Key::Week => "published:week",
                Key::Month => "published:month",
            })
            .collect();
        f.write_str(&names.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_combined_keys_and_rejects_unknown_ones() {
        let g: Grouping = "lang, published:month,lang".parse().unwrap();
        assert_eq!(g.columns(), vec!["lang", "published_month"]);
        assert_eq!(g.to_string(), "lang,published:month");
        assert!("outlet".parse::<Grouping>().unwrap_err().contains("outlet"));
        assert!("".parse::<Grouping>().is_err());
    }
}
