//! Azerbaijani: Latin with ə (or typed without diacritics, full of q and x), or
//! Cyrillic with letters Russian lacks. Matching folds Turkic case (I→ı, İ→i), then
//! diacritics (ə→e, ı→i, ş→s, ç→c, ğ→g, ö→o, ü→u) so text typed without them matches,
//! and reads Cyrillic through `lexicons/az/cyrillic.tsv`.

use std::collections::HashMap;

use super::{Language, LetterStats};
use crate::lexicon::{LexiconError, LexiconSet};

#[derive(Default)]
pub struct Azerbaijani {
    cyrillic: HashMap<char, String>,
}

/// Schwas per Latin letter above which a text is Azerbaijani: ə is about 1 letter in 12
/// in Azerbaijani prose, so 1% leaves room for short texts and quoted names.
const SCHWA_SHARE: f32 = 0.01;
/// Share of Azerbaijani-only Cyrillic letters (ә alone is ~8% in Cyrillic Azerbaijani).
const AZ_CYRILLIC_SHARE: f32 = 0.02;
/// q and x per Latin letter that mark Azerbaijani typed without diacritics; native
/// Turkish has neither, Azerbaijani has about 1.5%.
const Q_X_SHARE: f32 = 0.005;

impl Azerbaijani {
    pub fn load(lexicons: &LexiconSet) -> Result<Self, LexiconError> {
        let mut cyrillic = HashMap::new();
        for row in lexicons.tsv("az/cyrillic.tsv", &["cyrillic", "latin"], 1)? {
            let mut chars = row.get(0).chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => {
                    cyrillic.insert(c, row.get(1).to_string());
                }
                _ => return Err(row.error("`cyrillic` must be a single letter")),
            }
        }
        Ok(Azerbaijani { cyrillic })
    }

    pub fn with_cyrillic<const N: usize>(pairs: [(char, &str); N]) -> Self {
        Azerbaijani {
            cyrillic: pairs.iter().map(|(c, l)| (*c, l.to_string())).collect(),
        }
    }

    fn fold_latin(c: char, out: &mut String) {
        match c {
            'I' | 'ı' | 'İ' | 'i' => out.push('i'),
            'Ə' | 'ə' => out.push('e'),
            'Ş' | 'ş' => out.push('s'),
            'Ç' | 'ç' => out.push('c'),
            'Ğ' | 'ğ' => out.push('g'),
            'Ö' | 'ö' => out.push('o'),
            'Ü' | 'ü' => out.push('u'),
            // Hard and soft signs (Russian loanwords) have no Latin counterpart.
            'Ъ' | 'ъ' | 'Ь' | 'ь' => {}
            _ => out.extend(c.to_lowercase()),
        }
    }
}

impl Language for Azerbaijani {
    fn code(&self) -> &'static str {
        "az"
    }

    fn claim(&self, stats: &LetterStats) -> Option<f32> {
        let latin = stats.share(stats.latin);
        if latin >= 0.5 && stats.schwa as f32 >= SCHWA_SHARE * stats.latin as f32 {
            return Some(latin);
        }
        let cyrillic = stats.share(stats.cyrillic);
        if cyrillic >= 0.5 && stats.az_cyrillic as f32 >= AZ_CYRILLIC_SHARE * stats.cyrillic as f32
        {
            return Some(cyrillic);
        }
        None
    }

    fn reclaim(&self, detected: &str, stats: &LetterStats) -> bool {
        matches!(detected, "tr" | "az" | "uz" | "tk")
            && stats.q_x as f32 >= Q_X_SHARE * stats.latin as f32
    }

    fn fold_char(&self, c: char, out: &mut String) {
        match self.cyrillic.get(&c) {
            Some(latin) => latin.chars().for_each(|l| Self::fold_latin(l, out)),
            None => Self::fold_latin(c, out),
        }
    }
}
