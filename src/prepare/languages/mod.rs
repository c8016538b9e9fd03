//! One small module per supported language, in the spirit of charabia's normalizers:
//! each implements [`Language`] with what cannot be data (script evidence, case
//! folding). Word lists live in `lexicons/<code>/`. See `dummy_example.rs` for how to
//! add a language.

mod az;
mod dummy_example;
mod en;
mod hy;

pub use az::Azerbaijani;

use crate::lexicon::{LexiconError, LexiconSet};
pub use en::English;
pub use hy::Armenian;

/// Letter counts of a text sample, the evidence script rules decide on.
#[derive(Debug, Default, Clone)]
pub struct LetterStats {
    pub letters: usize,
    pub latin: usize,
    pub armenian: usize,
    pub cyrillic: usize,
    /// Latin schwa ə/Ə, written by Azerbaijani only among the languages we meet.
    pub schwa: usize,
    /// Cyrillic schwa ә/Ә: Azerbaijani, Kazakh, Tatar, Bashkir.
    pub cyrillic_schwa: usize,
    /// Cyrillic letters of Azerbaijani that Kazakh, Kyrgyz, Tatar and Bashkir lack:
    /// ј (also Serbian and Macedonian), ҹ, ҝ.
    pub az_cyrillic: usize,
    /// Cyrillic letters Azerbaijani never writes: Kazakh қ ң ұ і, Tatar җ, Bashkir ҡ ҙ
    /// ҫ, Uzbek ў ҳ, Tajik ӣ ӯ ҷ, Ukrainian ї є, Serbian and Macedonian љ њ ћ ђ џ ќ ѓ ѕ.
    pub not_az_cyrillic: usize,
    /// Cyrillic letters beyond Russian, Ukrainian, Belarusian, Bulgarian, Serbian and
    /// Macedonian (U+0460 on, but ґ): the alphabets of Kazakh, Kyrgyz, Tatar, Bashkir,
    /// Azerbaijani, Mongolian, ...
    pub cyrillic_extended: usize,
    /// Latin q and x, frequent in Azerbaijani and absent from native Turkish words.
    pub q_x: usize,
}

/// `char::is_alphabetic`, from a bitmap below U+0600 (Latin, Greek, Cyrillic, Armenian:
/// most letters of our texts), where std's table search costs a few hundred
/// instructions a character.
pub fn is_alphabetic(c: char) -> bool {
    static BELOW_0600: std::sync::OnceLock<[u64; 0x600 / 64]> = std::sync::OnceLock::new();
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    let i = c as usize;
    if i >= 0x600 {
        return c.is_alphabetic();
    }
    let bits = BELOW_0600.get_or_init(|| {
        let mut bits = [0u64; 0x600 / 64];
        for (i, c) in (0..0x600u32).filter_map(|i| Some((i as usize, char::from_u32(i)?))) {
            if c.is_alphabetic() {
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        bits
    });
    bits[i / 64] & (1 << (i % 64)) != 0
}

/// `out.extend(c.to_lowercase())`, from a table below U+0600 where a character
/// lowercases to one character (all but İ there): std's search costs about a hundred
/// instructions a character, and folding lowercases every character of every text.
pub fn push_lowercase(c: char, out: &mut String) {
    static BELOW_0600: std::sync::OnceLock<[u16; 0x600]> = std::sync::OnceLock::new();
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if let Some(&lower) = BELOW_0600
        .get_or_init(|| {
            // 0 where std gives several characters: ask std then.
            let mut table = [0u16; 0x600];
            for (slot, c) in table.iter_mut().zip(0..0x600u32) {
                let mut lower = char::from_u32(c).into_iter().flat_map(char::to_lowercase);
                if let (Some(l), None) = (lower.next(), lower.next()) {
                    *slot = u16::try_from(u32::from(l)).unwrap_or(0);
                }
            }
            table
        })
        .get(c as usize)
    {
        if let Some(l) = char::from_u32(lower.into()).filter(|_| lower != 0) {
            out.push(l);
            return;
        }
    }
    out.extend(c.to_lowercase());
}

/// `char::is_alphanumeric` through [`is_alphabetic`].
pub fn is_alphanumeric(c: char) -> bool {
    is_alphabetic(c) || c.is_numeric()
}

impl LetterStats {
    pub fn of(sample: &str) -> Self {
        let mut s = LetterStats::default();
        for c in sample.chars() {
            if c.is_ascii() {
                if c.is_ascii_alphabetic() {
                    s.letters += 1;
                    s.latin += 1;
                    if matches!(c, 'q' | 'Q' | 'x' | 'X') {
                        s.q_x += 1;
                    }
                }
                continue;
            }
            if !is_alphabetic(c) {
                continue;
            }
            s.letters += 1;
            match c {
                // Latin-1 Supplement to Latin Extended-B, IPA Extensions (ə is U+0259)
                // and Latin Extended Additional (Vietnamese).
                '\u{C0}'..='\u{2AF}' | '\u{1E00}'..='\u{1EFF}' => {
                    s.latin += 1;
                    if matches!(c, 'ə' | 'Ə') {
                        s.schwa += 1;
                    }
                }
                '\u{0531}'..='\u{058F}' | '\u{FB13}'..='\u{FB17}' => s.armenian += 1,
                '\u{0400}'..='\u{052F}' => {
                    s.cyrillic += 1;
                    if c >= '\u{0460}' && !matches!(c, 'ґ' | 'Ґ') {
                        s.cyrillic_extended += 1;
                    }
                    if matches!(c, 'ә' | 'Ә') {
                        s.cyrillic_schwa += 1;
                    } else if "јЈҹҸҝҜ".contains(c) {
                        s.az_cyrillic += 1;
                    } else if "қҚңҢұҰіІҗҖҡҠҙҘҫҪўЎҳҲӣӢӯӮҷҶїЇєЄљЉњЊћЋђЂџЏќЌѓЃѕЅ".contains(c)
                    {
                        s.not_az_cyrillic += 1;
                    }
                }
                _ => {}
            }
        }
        s
    }

    /// The ISO 15924 code of a script holding most letters, if one of ours does.
    pub fn dominant_script(&self) -> Option<&'static str> {
        [
            (self.latin, "Latn"),
            (self.armenian, "Armn"),
            (self.cyrillic, "Cyrl"),
        ]
        .into_iter()
        .find(|(n, _)| 2 * n > self.letters)
        .map(|(_, code)| code)
    }

    pub fn share(&self, count: usize) -> f32 {
        if self.letters == 0 {
            0.0
        } else {
            count as f32 / self.letters as f32
        }
    }
}

/// What newsframe needs to know about a language beyond its lexicon files.
pub trait Language: Send + Sync {
    /// ISO 639-1 code; also the name of the language's lexicon folder.
    fn code(&self) -> &'static str;

    /// Claims a text on script evidence alone (Armenian letters, Azerbaijani-only
    /// letters), returning a confidence; `None` leaves the decision to the detector.
    fn claim(&self, _stats: &LetterStats) -> Option<f32> {
        None
    }

    /// Whether whatlang's verdict `detected` (ISO 639-1) on a long text is really this
    /// language: Azerbaijani typed without ə, which whatlang calls Turkish.
    fn reclaim(&self, _detected: &str, _stats: &LetterStats) -> bool {
        false
    }

    /// Whether `c`, followed by a space or the end, ends a sentence in this language
    /// even though Unicode does not say so (Armenian writers' ASCII colon).
    fn ends_sentence(&self, _c: char) -> bool {
        false
    }

    /// Appends the matching form of `c`: lowercase by default.
    fn fold_char(&self, c: char, out: &mut String) {
        push_lowercase(c, out);
    }
}

/// The languages newsframe extracts from, in the order their script claims are tried.
pub fn all(lexicons: &LexiconSet) -> Result<Vec<Box<dyn Language>>, LexiconError> {
    Ok(vec![
        Box::new(Azerbaijani::load(lexicons)?),
        Box::new(Armenian),
        Box::new(English),
    ])
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_lowercase_table_agrees_with_std() {
        for c in (0..0x800u32)
            .chain(0x1E00..0x1F00)
            .filter_map(char::from_u32)
        {
            let mut ours = String::new();
            super::push_lowercase(c, &mut ours);
            assert_eq!(ours, c.to_lowercase().collect::<String>(), "{c:?}");
        }
    }

    #[test]
    fn the_bitmap_agrees_with_std() {
        for c in (0..0x800u32)
            .chain(0xFB00..0xFB20)
            .filter_map(char::from_u32)
        {
            assert_eq!(super::is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(super::is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }
}
