//! Language and script identification, in this order:
//! 1. script rules from the language modules: Armenian letters, Azerbaijani ə or the
//!    Cyrillic letters only Azerbaijani writes;
//! 2. on long texts (200 letters or more), whatlang's fast path over the configured
//!    languages it knows: a reliable verdict is taken, except that Turkish or
//!    Azerbaijani is Azerbaijani when the language module reclaims it (q and x), and
//!    Cyrillic with letters Russian and Ukrainian lack (Kazakh, which whatlang does not
//!    know) goes on to lingua;
//! 3. lingua over the languages of `lexicons/langid.tsv`, weighted by their priors;
//! 4. when lingua is unsure, the input's own hint, else `und`.

use lingua::{IsoCode639_1, LanguageDetectorBuilder};
use unicode_segmentation::UnicodeSegmentation;
use whatlang::{Lang, Script};

use super::languages::{Language, LetterStats};
use crate::lexicon::{LexiconError, LexiconSet};

/// The detector, with crate versions, for the run manifest.
pub const DETECTOR: &str = concat!(
    "lingua ",
    env!("NEWSFRAME_LINGUA_VERSION"),
    " (languages and priors from lexicons/langid.tsv) after script rules; whatlang ",
    env!("NEWSFRAME_WHATLANG_VERSION"),
    " on texts of 200 letters or more"
);

/// The file listing the languages lingua chooses among.
pub const LANGID_FILE: &str = "langid.tsv";

/// Fewer letters than this and a text is `und`: nothing to go on.
const MIN_LETTERS: usize = 3;
/// Letter statistics and whatlang look at this many leading bytes: about 200 Latin or
/// 120 Armenian words.
const SAMPLE_BYTES: usize = 1500;
/// lingua reads at most this many characters (cut back to a word boundary): long texts
/// reach it only when whatlang cannot decide (Kazakh, an unreliable verdict), and its
/// cost grows with the text. From 120 characters on it uses trigrams only and is right
/// on all but a few of the four-sentence paragraphs of the langid test sets.
const LINGUA_SAMPLE_CHARS: usize = 240;
/// Texts with at least this many letters try whatlang first.
const FAST_PATH_LETTERS: usize = 200;
/// whatlang's confidence from which its verdict on a long text is taken.
const FAST_PATH_CONFIDENCE: f64 = 0.9;
/// Below this share of probability (after priors) lingua's best language is no call.
const MIN_CONFIDENCE: f64 = 0.2;

#[derive(Debug, Clone, PartialEq)]
pub struct Detected {
    /// ISO 639-1 code (ISO 639-3 where no 639-1 exists), or `und`.
    pub lang: String,
    /// How sure the detector is, 0 to 1: lingua's share of probability for `lang`
    /// among the configured languages (after priors); whatlang's confidence on its
    /// fast path; the share of letters in the claimed script for a script rule; 0 for
    /// `und` and for a language taken from the input's hint.
    pub confidence: f32,
    /// ISO 15924 code of the dominant script, or `Zyyy` when there are no letters.
    pub script: &'static str,
}

/// One configured language: lingua's name for it, our code, its prior weight.
struct Candidate {
    lingua: lingua::Language,
    code: String,
    prior: f64,
}

pub struct LanguageDetector {
    languages: Vec<Box<dyn Language>>,
    candidates: Vec<Candidate>,
    lingua: lingua::LanguageDetector,
    /// whatlang limited to the configured languages it knows, for long texts.
    fast: whatlang::Detector,
}

impl LanguageDetector {
    /// The detector for the languages of `lexicons/langid.tsv`.
    pub fn load(
        languages: Vec<Box<dyn Language>>,
        lexicons: &LexiconSet,
    ) -> Result<Self, LexiconError> {
        // A lexicon folder from before the detector was configurable uses the default.
        let bundled;
        let lexicons = if lexicons.contains(LANGID_FILE) {
            lexicons
        } else {
            bundled = LexiconSet::bundled();
            &bundled
        };
        let mut candidates: Vec<Candidate> = Vec::new();
        for row in lexicons.tsv(LANGID_FILE, &["code", "prior"], 1)? {
            let code = row.get(0).to_ascii_lowercase();
            let Some(lingua) = lingua_language(&code) else {
                return Err(row.error(format!(
                    "lingua has no model for `{code}` in this build; available: {}",
                    available_codes().join(" ")
                )));
            };
            let prior = match row.get(1) {
                "" => 1.0,
                p => match p.parse::<f64>() {
                    Ok(p) if p > 0.0 && p.is_finite() => p,
                    _ => return Err(row.error(format!("prior `{p}` is not a positive number"))),
                },
            };
            if candidates.iter().any(|c| c.lingua == lingua) {
                return Err(row.error(format!("`{code}` is listed twice")));
            }
            candidates.push(Candidate {
                lingua,
                code,
                prior,
            });
        }
        if candidates.len() < 2 {
            return Err(LexiconError {
                file: LANGID_FILE.to_string(),
                line: 0,
                message: "list at least two languages for the detector to choose among".to_string(),
            });
        }
        let set: Vec<lingua::Language> = candidates.iter().map(|c| c.lingua).collect();
        let lingua = LanguageDetectorBuilder::from_languages(&set)
            .with_preloaded_language_models()
            .build();
        let fast = whatlang::Detector::with_allowlist(
            candidates
                .iter()
                .filter_map(|c| Lang::from_code(iso639_3(&c.code)?))
                .collect(),
        );
        Ok(LanguageDetector {
            languages,
            candidates,
            lingua,
            fast,
        })
    }

    pub fn languages(&self) -> &[Box<dyn Language>] {
        &self.languages
    }

    pub fn detect(&self, text: &str, hint: Option<&str>) -> Detected {
        let sample = &text[..floor_char_boundary(text, SAMPLE_BYTES)];
        let stats = LetterStats::of(sample);
        let script = stats
            .dominant_script()
            .or_else(|| whatlang::detect_script(sample).map(iso15924))
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
        // Tables of names and scores carry no common words for a detector to go on;
        // the publisher's word for the language is the better evidence there.
        if let Some(code) = hint
            .and_then(normalise_hint)
            .filter(|code| self.languages.iter().any(|l| l.code() == code))
        {
            if mostly_names(sample) {
                return detected(&code, 0.0);
            }
        }
        if stats.letters >= FAST_PATH_LETTERS {
            if let Some((code, confidence)) = self.fast_path(sample, &stats) {
                return detected(code, confidence);
            }
        }
        match self.lingua_best(lingua_sample(sample)) {
            Some((code, confidence)) if confidence >= MIN_CONFIDENCE => {
                detected(code, confidence as f32)
            }
            _ => match hint.and_then(normalise_hint) {
                Some(code) => detected(&code, 0.0),
                None => detected("und", 0.0),
            },
        }
    }

    /// whatlang's verdict on a long text, when it is reliable and whatlang knows every
    /// language the text could be in.
    fn fast_path(&self, sample: &str, stats: &LetterStats) -> Option<(&'static str, f32)> {
        if stats.cyrillic_extended > 0 {
            return None;
        }
        let info = self.fast.detect(sample)?;
        if !info.is_reliable() || info.confidence() < FAST_PATH_CONFIDENCE {
            return None;
        }
        let code = iso639_1(info.lang());
        let code = self
            .languages
            .iter()
            .find(|l| l.reclaim(code, stats))
            .map_or(code, |l| l.code());
        Some((code, info.confidence() as f32))
    }

    /// lingua's most likely language and its share of probability after priors.
    fn lingua_best(&self, text: &str) -> Option<(&str, f64)> {
        let values = self.lingua.compute_language_confidence_values(text);
        let mut best: Option<(&str, f64)> = None;
        let mut total = 0.0;
        for (language, value) in values {
            let Some(c) = self.candidates.iter().find(|c| c.lingua == language) else {
                continue;
            };
            let weighted = value * c.prior;
            total += weighted;
            if best.is_none_or(|(_, b)| weighted > b) {
                best = Some((c.code.as_str(), weighted));
            }
        }
        best.filter(|_| total > 0.0)
            .map(|(code, w)| (code, w / total))
    }
}

/// The first [`LINGUA_SAMPLE_CHARS`] characters, cut back to the last whitespace.
fn lingua_sample(text: &str) -> &str {
    match text.char_indices().nth(LINGUA_SAMPLE_CHARS) {
        None => text,
        Some((end, _)) => {
            let cut = &text[..end];
            match cut.rfind(char::is_whitespace) {
                Some(space) if space > end / 2 => &cut[..space],
                _ => cut,
            }
        }
    }
}

/// lingua's language for an ISO 639-1 code, if this build has its model.
fn lingua_language(code: &str) -> Option<lingua::Language> {
    let iso: IsoCode639_1 = code.parse().ok()?;
    lingua::Language::all()
        .into_iter()
        .find(|l| l.iso_code_639_1() == iso)
}

fn available_codes() -> Vec<String> {
    let mut codes: Vec<String> = lingua::Language::all()
        .into_iter()
        .map(|l| l.iso_code_639_1().to_string().to_ascii_lowercase())
        .collect();
    codes.sort();
    codes
}

/// whatlang's ISO 639-3 name of a two-letter code, where whatlang knows the language.
fn iso639_3(two: &str) -> Option<&'static str> {
    ISO_639_1
        .iter()
        .find(|(_, t)| *t == two)
        .map(|(three, _)| *three)
}

/// Whether fewer than a third of the words of `sample` start in lower case: lists
/// of names, sports tables, title-case headlines. A word is a run of letters; words
/// of scripts without case do not count.
fn mostly_names(sample: &str) -> bool {
    let (mut lower, mut cased) = (0usize, 0usize);
    for word in sample.unicode_words() {
        let Some(first) = word.chars().find(|c| c.is_alphabetic()) else {
            continue;
        };
        if first.is_lowercase() {
            lower += 1;
            cased += 1;
        } else if first.is_uppercase() {
            cased += 1;
        }
    }
    cased > 0 && lower * 3 < cased
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
    let code = lang.code();
    ISO_639_1
        .iter()
        .find(|(three, _)| *three == code)
        .map(|(_, two)| *two)
        .unwrap_or(code)
}

/// ISO 639-3 (as whatlang writes it) to ISO 639-1.
const ISO_639_1: &[(&str, &str)] = &[
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

#[cfg(test)]
mod tests {
    use super::super::languages;
    use super::*;

    fn detector() -> LanguageDetector {
        let lexicons = LexiconSet::bundled();
        LanguageDetector::load(languages::all(&lexicons).unwrap(), &lexicons).unwrap()
    }

    fn detect(text: &str) -> Detected {
        detector().detect(text, None)
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
    fn turkish_russian_and_kazakh_are_not_azerbaijani() {
        let tr = detect("Dağlık Karabağ'dan ayrılan Ermeni nüfusunun sayısı yüz bini aştı, Ermenistan hükümeti açıklamasında belirtti.");
        assert_eq!(tr.lang, "tr");
        let ru = detect("Более ста тысяч человек покинули Нагорный Карабах, сообщило правительство Армении в четверг.");
        assert_eq!((ru.lang.as_str(), ru.script), ("ru", "Cyrl"));
        let kk = detect(
            "Қазақстан Республикасының Президенті бүгін Астанада Әзербайжан елшісімен кездесті.",
        );
        assert_eq!(kk.lang, "kk");
    }

    #[test]
    fn long_english_takes_the_fast_path_and_short_texts_get_a_language() {
        let long = "The ministry said on Tuesday that the convoy had reached the border crossing and that aid workers were distributing food and medicine to the families waiting there since the weekend.";
        let d = detect(long);
        assert_eq!(d.lang, "en");
        assert!(d.confidence >= 0.9, "{d:?}");
        let short = detect("Baku hosts peace talks");
        assert_eq!(short.lang, "en");
        assert!(
            short.confidence > 0.2 && short.confidence <= 1.0,
            "{short:?}"
        );
    }

    #[test]
    fn a_table_of_names_keeps_the_language_its_input_declares() {
        let table = "Division A Hajduk 2 Proleter ( Z ) 0 Zemun 1 Rad ( B ) 0 Borac 1 \
                     Mladost ( L ) 2 Cukaricki 1 Vojvodina 0 Buducnost 1 Red Star 3";
        assert_eq!(detector().detect(table, Some("en")).lang, "en");
        assert_eq!(detector().detect(table, Some("en")).confidence, 0.0);
        // Prose keeps the detector's verdict whatever the hint says.
        let prose = "Le gouvernement a annoncé mardi une nouvelle série de mesures pour \
                     les familles qui ont quitté la région.";
        assert_eq!(detector().detect(prose, Some("en")).lang, "fr");
        assert!(mostly_names(
            "Exodus in Nagorno-Karabakh Sparks Ethnic Cleansing Claims"
        ));
        assert!(!mostly_names(
            "Officials said that thousands had left the city by Monday."
        ));
        assert!(!mostly_names("Հայաստանի կառավարությունը"));
    }

    #[test]
    fn no_letters_or_too_few_is_undetermined_even_with_a_hint() {
        assert_eq!(detect("12:30, 28.09.2023").lang, "und");
        assert_eq!(detector().detect("ok", Some("en-US")).lang, "und");
    }

    #[test]
    fn the_language_file_is_checked() {
        let lexicons = |text: &str| {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join(LANGID_FILE), text).unwrap();
            LexiconSet::from_dir(dir.path()).unwrap()
        };
        let load = |text: &str| {
            let set = lexicons(text);
            LanguageDetector::load(Vec::new(), &set).map(|_| ())
        };
        assert!(load("code\tprior\nen\t2\nfr\n").is_ok());
        let e = load("code\tprior\nen\nxx\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("no model for `xx`"), "{e}");
        assert!(load("code\tprior\nen\t-1\nfr\n").is_err());
        assert!(load("code\tprior\nen\nen\n").is_err());
        assert!(load("code\tprior\nen\n").is_err());
        // A folder without the file gets the bundled list.
        let other = lexicons("# no langid here\n");
        let renamed: LexiconSet = {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("notes.txt"), "x\n").unwrap();
            LexiconSet::from_dir(dir.path()).unwrap()
        };
        assert!(LanguageDetector::load(Vec::new(), &renamed).is_ok());
        assert!(LanguageDetector::load(Vec::new(), &other).is_err());
    }
}
