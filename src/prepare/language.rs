//! Language and script identification: script rules from the language modules first,
//! then whatlang's trigram model, then the input's own hint when both are unsure.

use whatlang::{Lang, Script};

use super::languages::{Language, LetterStats};

/// Fewer letters than this and a text is `und`: too short to tell.
const MIN_LETTERS: usize = 20;
/// Detection looks at this many leading bytes: about 200 Latin or 120 Armenian
/// words. whatlang's trigram scoring dominates the prepare stage's cost, and longer
/// samples did not change a verdict on the corpora.
const SAMPLE_BYTES: usize = 1500;

#[derive(Debug, Clone, PartialEq)]
pub struct Detected {
    /// ISO 639-1 code (ISO 639-3 where no 639-1 exists), or `und`.
    pub lang: String,
    pub confidence: f32,
    /// ISO 15924 code of the dominant script, or `Zyyy` when there are no letters.
    pub script: &'static str,
}

pub struct LanguageDetector {
    languages: Vec<Box<dyn Language>>,
    whatlang: whatlang::Detector,
}

impl LanguageDetector {
    pub fn new(languages: Vec<Box<dyn Language>>) -> Self {
        LanguageDetector {
            languages,
            whatlang: whatlang::Detector::new(),
        }
    }

    pub fn languages(&self) -> &[Box<dyn Language>] {
        &self.languages
    }

    pub fn detect(&self, text: &str, hint: Option<&str>) -> Detected {
        let sample = &text[..floor_char_boundary(text, SAMPLE_BYTES)];
        let stats = LetterStats::of(sample);
        let script = stats
            .dominant_script()
            .or_else(|| self.whatlang.detect_script(sample).map(iso15924))
            .unwrap_or("Zyyy");
        let detected = |lang: &str, confidence: f32| Detected {
            lang: lang.to_string(),
            confidence,
            script,
        };
        if stats.letters < MIN_LETTERS {
            return detected("und", 0.0);
        }
        if let Some((code, confidence)) = self
            .languages
            .iter()
            .find_map(|l| l.claim(&stats).map(|c| (l.code(), c)))
        {
            return detected(code, confidence);
        }
        let info = self.whatlang.detect(sample);
        let Some(info) = info.filter(|i| i.is_reliable() || i.confidence() >= 0.5) else {
            return match hint.and_then(normalise_hint) {
                Some(code) => detected(&code, 0.0),
                None => detected("und", 0.0),
            };
        };
        let code = iso639_1(info.lang());
        let confidence = info.confidence() as f32;
        match self.languages.iter().find(|l| l.reclaim(code, &stats)) {
            Some(l) => detected(l.code(), confidence),
            None => detected(code, confidence),
        }
    }
}

/// A hint like `en`, `EN`, `en-US` or `eng` as a two-letter code, if we know it.
fn normalise_hint(hint: &str) -> Option<String> {
    let base = hint.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    match base.len() {
        2 if base.bytes().all(|b| b.is_ascii_lowercase()) => Some(base),
        3 => Lang::from_code(&base).map(|l| iso639_1(l).to_string()),
        _ => None,
    }
}

fn floor_char_boundary(s: &str, max: usize) -> usize {
    if s.len() <= max {
        return s.len();
    }
    (0..=max)
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0)
}

fn iso15924(script: Script) -> &'static str {
    match script {
        Script::Arabic => "Arab",
        Script::Armenian => "Armn",
        Script::Bengali => "Beng",
        Script::Cyrillic => "Cyrl",
        Script::Devanagari => "Deva",
        Script::Ethiopic => "Ethi",
        Script::Georgian => "Geor",
        Script::Greek => "Grek",
        Script::Gujarati => "Gujr",
        Script::Gurmukhi => "Guru",
        Script::Hangul => "Hang",
        Script::Hebrew => "Hebr",
        Script::Hiragana => "Hira",
        Script::Kannada => "Knda",
        Script::Katakana => "Kana",
        Script::Khmer => "Khmr",
        Script::Latin => "Latn",
        Script::Malayalam => "Mlym",
        Script::Mandarin => "Hani",
        Script::Myanmar => "Mymr",
        Script::Oriya => "Orya",
        Script::Sinhala => "Sinh",
        Script::Tamil => "Taml",
        Script::Telugu => "Telu",
        Script::Thai => "Thai",
    }
}

/// whatlang names languages by ISO 639-3; the tables use 639-1 where one exists.
fn iso639_1(lang: Lang) -> &'static str {
    const TABLE: &[(&str, &str)] = &[
        ("afr", "af"),
        ("aka", "ak"),
        ("amh", "am"),
        ("ara", "ar"),
        ("aze", "az"),
        ("bel", "be"),
        ("ben", "bn"),
        ("bul", "bg"),
        ("cat", "ca"),
        ("ces", "cs"),
        ("cmn", "zh"),
        ("cym", "cy"),
        ("dan", "da"),
        ("deu", "de"),
        ("ell", "el"),
        ("eng", "en"),
        ("epo", "eo"),
        ("est", "et"),
        ("fin", "fi"),
        ("fra", "fr"),
        ("guj", "gu"),
        ("heb", "he"),
        ("hin", "hi"),
        ("hrv", "hr"),
        ("hun", "hu"),
        ("hye", "hy"),
        ("ind", "id"),
        ("ita", "it"),
        ("jav", "jv"),
        ("jpn", "ja"),
        ("kan", "kn"),
        ("kat", "ka"),
        ("khm", "km"),
        ("kor", "ko"),
        ("lat", "la"),
        ("lav", "lv"),
        ("lit", "lt"),
        ("mal", "ml"),
        ("mar", "mr"),
        ("mkd", "mk"),
        ("mya", "my"),
        ("nep", "ne"),
        ("nld", "nl"),
        ("nob", "nb"),
        ("ori", "or"),
        ("pan", "pa"),
        ("pes", "fa"),
        ("pol", "pl"),
        ("por", "pt"),
        ("ron", "ro"),
        ("rus", "ru"),
        ("sin", "si"),
        ("slk", "sk"),
        ("slv", "sl"),
        ("sna", "sn"),
        ("spa", "es"),
        ("srp", "sr"),
        ("swe", "sv"),
        ("tam", "ta"),
        ("tel", "te"),
        ("tgl", "tl"),
        ("tha", "th"),
        ("tuk", "tk"),
        ("tur", "tr"),
        ("ukr", "uk"),
        ("urd", "ur"),
        ("uzb", "uz"),
        ("vie", "vi"),
        ("yid", "yi"),
        ("zul", "zu"),
    ];
    let code = lang.code();
    TABLE
        .iter()
        .find(|(three, _)| *three == code)
        .map(|(_, two)| *two)
        .unwrap_or(code)
}

#[cfg(test)]
mod tests {
    use super::super::languages;
    use super::*;

    fn detect(text: &str) -> Detected {
        LanguageDetector::new(languages::all(&crate::lexicon::LexiconSet::bundled()).unwrap())
            .detect(text, None)
    }

    #[test]
    fn the_three_languages_and_their_scripts() {
        let en = detect("More than one hundred thousand people have fled the region since the offensive began last week, officials said.");
        assert_eq!((en.lang.as_str(), en.script), ("en", "Latn"));
        let hy = detect(
            "Լեռնային Ղարաբաղից բռնի տեղահանված ավելի քան հարյուր հազար մարդ ժամանել է Հայաստան։",
        );
        assert_eq!((hy.lang.as_str(), hy.script), ("hy", "Armn"));
        let az = detect("Qarabağ iqtisadi rayonunda həyata keçirilən lokal antiterror tədbirləri başa çatıb, Müdafiə Nazirliyi bildirib.");
        assert_eq!((az.lang.as_str(), az.script), ("az", "Latn"));
    }

    #[test]
    fn azerbaijani_in_cyrillic_and_without_diacritics() {
        let cyr = detect("Азәрбајҹан Республикасы Гарабағ игтисади рајонунда антитерор тәдбирләрини баша чатдырыб, дејә назирлик билдириб.");
        assert_eq!((cyr.lang.as_str(), cyr.script), ("az", "Cyrl"));
        let plain = detect("Qarabag iqtisadi rayonunda heyata kecirilen lokal antiterror tedbirleri basa catib, Mudafie Nazirliyi bildirib. Xankendide veziyyet sakitdir.");
        assert_eq!(plain.lang, "az");
    }

    #[test]
    fn turkish_and_russian_are_not_azerbaijani() {
        let tr = detect("Dağlık Karabağ'dan ayrılan Ermeni nüfusunun sayısı yüz bini aştı, Ermenistan hükümeti açıklamasında belirtti.");
        assert_eq!(tr.lang, "tr");
        let ru = detect("Более ста тысяч человек покинули Нагорный Карабах, сообщило правительство Армении в четверг.");
        assert_eq!((ru.lang.as_str(), ru.script), ("ru", "Cyrl"));
    }

    #[test]
    fn short_text_is_undetermined_unless_hinted() {
        assert_eq!(detect("Baku, 28 Sep").lang, "und");
        let d =
            LanguageDetector::new(languages::all(&crate::lexicon::LexiconSet::bundled()).unwrap());
        assert_eq!(d.detect("ok", Some("en-US")).lang, "und");
    }
}
