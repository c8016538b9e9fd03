//! Cue words of one language, loaded from `lexicons/<lang>/cues.tsv` (and the
//! surname endings and name connectors of `entity_cues.tsv`).

use super::{Cue, KINDS};
use crate::extract::terms::{Suffixes, TermMatcher, TermMatcherBuilder};
use crate::lexicon::{LexiconError, LexiconSet};
use crate::prepare::languages::Language;
use crate::prepare::normalize::fold;

/// Cue words of one language.
pub struct LanguageCues {
    pub(super) matcher: TermMatcher,
    pub(super) kinds: Vec<Cue>,
    /// Per cue form: a personal title (one person holds it: "the minister").
    pub(super) titles: Vec<bool>,
    /// Folded pronouns ("he", "նա", "o") that stand for the last named speaker.
    pub(super) pronouns: Vec<String>,
    /// Folded lowercase words allowed inside a name ("of", "for").
    pub(super) name_connectors: Vec<String>,
    /// Lowercase honorifics dropped before a name ("mr.", "տիկին").
    pub(super) honorifics: Vec<String>,
    /// Capitalised words that never name a speaker: function words that start
    /// sentences, weekdays, months.
    pub(super) not_names: Vec<String>,
    /// Marks that, after a reporting verb closing its sentence, introduce what was
    /// said ("X-ը գրում է." in Armenian, where `։` ends sentences; "X wrote:").
    pub(super) introducing_marks: Vec<String>,
    /// Whether a reporting verb without a subject stands for the last named speaker
    /// (Armenian and Azerbaijani drop subject pronouns).
    pub(super) pro_drop: bool,
    /// Endings stripped from a speaker's last word to give its base form, each with
    /// the letters that must precede it (`Պոմպեոն` → `Պոմպեո`, `ՏԱՍՍ-ը` → `ՏԱՍՍ`).
    pub(super) name_endings: Vec<(String, String)>,
    /// Folded case endings that never end a subject (Armenian genitive/dative `-ի`,
    /// `-ին`, ablative `-ից`, locative `-ում`): "Facebook-ի իր էջում գրել է" is not
    /// said by Facebook, "NEWS.am-ին հայտնեց" not by NEWS.am.
    /// `(after a hyphen only, ending)`: `-ին` is a dative only after a hyphen, since
    /// `Վեսելին` is `Վեսելի` with its article.
    pub(super) oblique_endings: Vec<(bool, String)>,
    /// Folded surname endings (-yan, -ov) from `entity_cues.tsv`: a sentence-initial
    /// word with one is a name even when written nowhere else ("Սարգսյանը ասաց").
    pub(super) surname_suffixes: Vec<String>,
    /// Folded endings of a complement clause's verb (az `-dığı`, `-diyi`): a distance
    /// cue right after one is that clause's verb ("… olduğu iddia olunan"), claiming
    /// the clause, not distancing the noun after it.
    pub(super) complement_endings: Vec<String>,
}

impl LanguageCues {
    /// The cue matcher, to share one vocabulary with the extractors.
    pub fn matcher_mut(&mut self) -> &mut TermMatcher {
        &mut self.matcher
    }

    pub fn matcher(&self) -> &TermMatcher {
        &self.matcher
    }

    pub fn load(
        lexicons: &LexiconSet,
        language: &dyn Language,
        suffixes: Suffixes,
    ) -> Result<Self, LexiconError> {
        let code = language.code();
        let mut builder = TermMatcherBuilder::new(language, suffixes);
        let mut kinds = Vec::new();
        let mut titles = Vec::new();
        let mut pronouns = Vec::new();
        let mut not_names = Vec::new();
        let mut honorifics = Vec::new();
        let mut name_endings = Vec::new();
        let mut oblique_endings = Vec::new();
        let mut pro_drop = false;
        let mut introducing_marks = Vec::new();
        let mut complement_endings = Vec::new();
        let file = format!("{code}/cues.tsv");
        for row in lexicons.tsv(&file, &["kind", "form"], 2)? {
            match row.get(0) {
                "pronoun" => {
                    pronouns.push(fold(language, row.get(1)));
                    continue;
                }
                "not_name" => {
                    not_names.push(fold(language, row.get(1)));
                    continue;
                }
                "honorific" => {
                    honorifics.push(row.get(1).to_lowercase());
                    continue;
                }
                "introducing_mark" => {
                    introducing_marks.push(row.get(1).to_string());
                    continue;
                }
                "pro_drop" => {
                    pro_drop = row.get(1) == "yes";
                    continue;
                }
                "complement_ending" => {
                    complement_endings.push(fold(language, row.get(1).trim_start_matches('-')));
                    continue;
                }
                "oblique_ending" => {
                    let form = row.get(1);
                    let ending = fold(language, form.trim_start_matches('-'));
                    oblique_endings.push((form.starts_with('-'), ending));
                    continue;
                }
                "name_ending" => {
                    let (after, ending) = row.get(1).split_once('|').unwrap_or(("", row.get(1)));
                    name_endings.push((after.to_string(), ending.to_string()));
                    continue;
                }
                _ => {}
            }
            let Some((_, cue)) = KINDS.iter().find(|(k, _)| *k == row.get(0)) else {
                return Err(row.error(format!(
                    "kind `{}` is not one of {}, pronoun, not_name, honorific, pro_drop, introducing_mark, name_ending, oblique_ending, complement_ending",
                    row.get(0),
                    KINDS.map(|(k, _)| k).join(", ")
                )));
            };
            builder.add(row.get(1), kinds.len());
            kinds.push(*cue);
            titles.push(row.get(0) == "title");
        }
        // Longest endings first, so `-ը` wins over `ը`.
        name_endings.sort_by_key(|(a, e)| std::cmp::Reverse(a.len() + e.len()));
        let entity_file = format!("{code}/entity_cues.tsv");
        let entity_cues = lexicons.tsv(&entity_file, &["kind", "form"], 2)?;
        let of_kind = |kind: &str| -> Vec<String> {
            entity_cues
                .iter()
                .filter(|r| r.get(0) == kind)
                .map(|r| fold(language, r.get(1).trim_start_matches('-')))
                .collect()
        };
        let name_connectors = of_kind("lower_in_name");
        let surname_suffixes = of_kind("surname_suffix");
        Ok(LanguageCues {
            matcher: builder.build(),
            kinds,
            titles,
            pronouns,
            name_connectors,
            not_names,
            honorifics,
            pro_drop,
            introducing_marks,
            name_endings,
            oblique_endings,
            surname_suffixes,
            complement_endings,
        })
    }
}
