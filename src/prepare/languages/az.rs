//! Azerbaijani: claimed on sight when written in Latin with ə, or in Cyrillic with ә
//! and ј/ҹ/ҝ but none of the letters of Kazakh, Kyrgyz, Tatar, Bashkir or Serbian;
//! otherwise (no ə, as typed on many keyboards) lingua tells it from Turkish, and on
//! long texts the share of q and x does.
//! Matching folds Turkic case (I→ı, İ→i), then diacritics (ə→e, ı→i, ş→s, ç→c, ğ→g,
//! ö→o, ü→u) so text typed without them matches, and reads Cyrillic through
//! `lexicons/az/cyrillic.tsv`.

use std::collections::HashMap;

use super::{Language, LetterStats};
use crate::lexicon::{LexiconError, LexiconSet};

#[derive(Default)]
pub struct Azerbaijani {
    cyrillic: HashMap<char, String>,
    /// The smallest and largest letter of `cyrillic`: outside them (Latin text, most
    /// of it) folding skips the hash look-up.
    cyrillic_span: (char, char),
}

/// Schwas per Latin letter above which a text is Azerbaijani: ə is about 1 letter in 12
/// in Azerbaijani prose, so 1% leaves room for short texts and quoted names.
const SCHWA_SHARE: f32 = 0.01;
/// q and x per Latin letter that mark Azerbaijani typed without diacritics in a long
/// text: on 4-sentence paragraphs of the langid test sets with diacritics removed, all
/// but one Azerbaijani paragraph has more (median 2.3%), no Turkish one does (at most
/// 0.48%). In a single sentence an English loanword is enough to pass it, so it is only
/// asked about texts of 200 letters or more.
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
        Ok(Self::from_map(cyrillic))
    }

    pub fn with_cyrillic<const N: usize>(pairs: [(char, &str); N]) -> Self {
        Self::from_map(pairs.iter().map(|(c, l)| (*c, l.to_string())).collect())
    }

    fn from_map(cyrillic: HashMap<char, String>) -> Self {
        let cyrillic_span = match (cyrillic.keys().min(), cyrillic.keys().max()) {
            (Some(&lo), Some(&hi)) => (lo, hi),
            // Empty: a span no character is in.
            _ => (char::MAX, '\0'),
        };
        Azerbaijani {
            cyrillic,
            cyrillic_span,
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
            _ => super::push_lowercase(c, out),
        }
    }
}

impl Language for Azerbaijani {
    fn code(&self) -> &'static str {
        "az"
    }

    fn claim(&self, stats: &LetterStats) -> Option<f32> {
        let latin = stats.share(stats.latin);
        if latin >= 0.5 && stats.schwa > 0 && stats.schwa as f32 >= SCHWA_SHARE * stats.latin as f32
        {
            return Some(latin);
        }
        // Cyrillic: ә alone is shared with Kazakh, Tatar and Bashkir, ј with Serbian; both
        // kinds of letter, and none that Azerbaijani never writes, make Azerbaijani.
        let cyrillic = stats.share(stats.cyrillic);
        if cyrillic >= 0.5
            && stats.cyrillic_schwa > 0
            && stats.az_cyrillic > 0
            && stats.not_az_cyrillic == 0
        {
            return Some(cyrillic);
        }
        None
    }

    fn reclaim(&self, detected: &str, stats: &LetterStats) -> bool {
        matches!(detected, "tr" | "az") && stats.q_x as f32 >= Q_X_SHARE * stats.latin as f32
    }

    fn fold_char(&self, c: char, out: &mut String) {
        let (lo, hi) = self.cyrillic_span;
        let cyrillic = if (lo..=hi).contains(&c) {
            self.cyrillic.get(&c)
        } else {
            None
        };
        match cyrillic {
            Some(latin) => latin.chars().for_each(|l| Self::fold_latin(l, out)),
            None => Self::fold_latin(c, out),
        }
    }
}
