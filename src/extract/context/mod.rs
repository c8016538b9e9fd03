//! The context of a mention: inside quotation marks, attributed to a speaker, negated
//! or distanced. Cue words come from `lexicons/<lang>/cues.tsv`; the rules that use
//! them are positional and language-neutral, so a new language needs only cue words.
//!
//! Modules: `cues` loads the cue words; `subject` finds the speaker one reporting cue
//! points to inside its sentence, from the speaker phrases of `phrase` and the word
//! tests of `words`; `resolve` carries speakers across sentences (pronouns, pro-drop
//! verbs, bare titles); `quotes` handles quoted speech and scare quotes; `stance` sets
//! `negated` and `distanced`.

mod cues;
mod phrase;
mod quotes;
mod resolve;
mod stance;
mod subject;
mod words;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

pub use cues::LanguageCues;
pub use quotes::{open_quote_spans, quote_spans};

use super::terms::WordHits;
use crate::prepare::Document;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// Finite reporting verbs: said, հայտնել է, bildirib.
    Say,
    /// Non-finite reporting forms whose subject is the main clause's: "stating that",
    /// "characterizing … as", նշելով, bildirərək.
    SayNonFinite,
    /// Source follows: "according to X", ըստ X.
    According,
    /// Source precedes: X məlumatına görə, X-ի համաձայն.
    AccordingPostposed,
    /// so-called, alleged: distance the next words.
    Distance,
    /// denied, rejected: the speaker disputes what follows (or, verb-final, precedes).
    Deny,
    /// Negation with no speaker of its own: "ոչ թե X, այլ Y" (not X but Y) negates X.
    Negation,
    /// The same after the term: "… çatdırılması mümkün olmayacaq" (will not be possible).
    NegationPostposed,
    /// Distance placed after the term, back to the clause start: az "… iddia edilib"
    /// (it was claimed, with no claimant).
    DistancePostposed,
    /// Nouns that head a speaker phrase: spokesperson, ministry, residents. Personal
    /// titles (kind `title` in the lexicon: minister, խոսնակ) are agents too.
    Agent,
    /// Relative pronouns: "Nagorno-Karabakh which claimed" is not a speaker.
    Relative,
    /// "dismissed X as Y", "alleging them to be Y": what follows is asserted.
    Assert,
    /// What a source released: data, report, տվյալներ. "According to data from X"
    /// and "X-ի տվյալներով" credit X, not the data.
    Source,
    /// Conjunctions that open reported content after a noun: hy `թե` in "X-ի
    /// հայտարարությանը, թե …" (X's statement that …) credits the clause to X.
    Complementizer,
}

const KINDS: [(&str, Cue); 15] = [
    ("say", Cue::Say),
    ("say_nonfinite", Cue::SayNonFinite),
    ("according", Cue::According),
    ("according_postposed", Cue::AccordingPostposed),
    ("distance", Cue::Distance),
    ("deny", Cue::Deny),
    ("negation", Cue::Negation),
    ("negation_postposed", Cue::NegationPostposed),
    ("distance_postposed", Cue::DistancePostposed),
    ("agent", Cue::Agent),
    ("title", Cue::Agent),
    ("relative", Cue::Relative),
    ("assert", Cue::Assert),
    ("source", Cue::Source),
    ("complementizer", Cue::Complementizer),
];

/// How many tokens before a mention a distance cue still applies to it.
const DISTANCE_REACH: usize = 3;
/// How far (in tokens) a speaker's name may stand from its reporting verb.
const SPEAKER_REACH: usize = 3;
/// The longest source phrase taken after "according to".
const PHRASE_WORDS: usize = 6;
/// The longest apposition or relative clause skipped between a name and its verb.
const APPOSITION_WORDS: usize = 12;
/// The most words taken before an agent noun when they are one name.
const AGENT_MODIFIERS: usize = 6;
/// The longest genitive phrase taken before a source noun ("X-ի տվյալներով").
const GENITIVE_WORDS: usize = 4;
/// How far before a source noun its owner may stand, past a date and adjectives
/// ("X-ի 2019 թվականի տարեկան հաղորդման").
const OWNER_WORDS: usize = 8;
/// How far after a reporting verb a clause-final subject may end ("հայտնեց … գյուղապետ
/// Արամայիս Աբովյանը։").
const FINAL_SUBJECT_REACH: usize = 10;
/// How many sentences back a pronoun looks for a person when no speaker was named.
const PERSON_SENTENCES: usize = 2;
/// How many sentences after "X wrote:" still reproduce what X wrote.
const POST_SENTENCES: usize = 2;
/// Scare quotes hold the term alone: at most this many words inside.
const SCARE_QUOTE_WORDS: usize = 2;

/// A named entity the entities stage found, for speakers: byte range, label, id.
#[derive(Debug, Clone)]
pub struct EntitySpan {
    pub start: usize,
    pub end: usize,
    pub label: Arc<str>,
    pub entity_id: Option<Arc<str>>,
}

/// Who a mention is credited to and whether they assert it (see README, "Speakers and
/// stance").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attribution {
    pub speaker: Option<String>,
    pub speaker_entity_id: Option<Arc<str>>,
    pub negated: bool,
    pub distanced: bool,
}

/// A speaker found for a sentence.
#[derive(Debug, Clone, PartialEq)]
struct Speaker {
    text: String,
    entity_id: Option<Arc<str>>,
    /// A name (entity or capitalised run) rather than an agent noun phrase; only
    /// names are what later pronouns refer to.
    named: bool,
    /// For an agent noun phrase, the cue form of its head noun (խոսնակ, minister):
    /// the key to the person an earlier "title + name" gave it.
    title: Option<usize>,
    /// A person (an entity labelled PER, or a name with a surname ending): what a
    /// bare title ("the minister", `Նախարարը`) can refer back to.
    person: bool,
}

/// What stands before a reporting verb.
enum Subject {
    Found(Speaker),
    Pronoun,
    /// A relative clause or nothing usable: no speaker from this cue.
    None,
}

/// Per sentence: its speaker cues as (cue, first token, last token).
type CuesBySentence = HashMap<usize, Vec<(Cue, usize, usize)>>;

/// Everything about one document the context rules need, computed once.
pub struct DocContext<'a> {
    doc: &'a Document,
    cues: &'a LanguageCues,
    quotes: Vec<Range<usize>>,
    /// Quotations never closed in their paragraph (speech only, never scare quotes).
    open_quotes: Vec<Range<usize>>,
    /// Per sentence: the speaker its reporting cues point to.
    speakers: Vec<Option<Speaker>>,
    /// Sources nested inside a sentence's reported content, in text order: (first
    /// token they reach, speaker). A mention after one is credited to the innermost
    /// ("X said that, by the experts' estimate, …" → the experts).
    inner: Vec<(usize, Speaker)>,
    /// Token indices (last token) of distance cues placed before their term.
    distance_ends: Vec<usize>,
    /// (first token, last token, direction) of denial and negation cues, in text
    /// order; the direction says which side they reach: `None` both (a denial verb,
    /// which may end its clause), `Some(true)` forward only, `Some(false)` back only.
    denials: Vec<(usize, usize, Option<bool>)>,
    /// (first token) of distance cues placed after their term.
    distance_after: Vec<usize>,
    /// Tokens of cues after which a denial no longer reaches (assert, say, non-finite
    /// say).
    boundaries: Vec<usize>,
    /// Per token: the cue kind it starts, if any.
    cue_at: HashMap<usize, (Cue, usize)>,
    /// Per agent-noun token: the cue form it matched.
    agent_form: HashMap<usize, usize>,
    /// Per token: the entity span covering it (index into `entities`).
    entity_of: HashMap<usize, usize>,
    entities: Vec<(usize, usize, EntitySpan)>,
    /// Keys of words written capitalised somewhere other than at a sentence start:
    /// the evidence that a sentence-initial capitalised word is a name.
    capitalised_inside: Vec<String>,
}

impl<'a> DocContext<'a> {
    pub fn new(doc: &'a Document, cues: &'a LanguageCues) -> Self {
        let hits = cues.matcher.vocabulary().scan(&doc.tokens);
        Self::with_entities(doc, cues, &[], &hits)
    }

    /// The context with the names the entities stage found (persons, organisations
    /// and governments become speakers; places used as locations do not).
    /// `hits`: the tokens scanned with the vocabulary the cue matcher shares.
    pub fn with_entities(
        doc: &'a Document,
        cues: &'a LanguageCues,
        spans: &[EntitySpan],
        hits: &WordHits,
    ) -> Self {
        let mut by_sentence: CuesBySentence = HashMap::new();
        let mut distance_ends = Vec::new();
        let mut denials = Vec::new();
        let mut distance_after = Vec::new();
        let mut boundaries = Vec::new();
        let mut cue_at = HashMap::new();
        let mut agent_form = HashMap::new();
        let quotes = quote_spans(&doc.text);
        let open_quotes = open_quote_spans(&doc.text);
        // "According to" inside quoted speech is the quoted speaker's own source, not
        // who speaks the sentence («… ըստ նախնական տվյալների …»).
        let in_speech = |token: usize| {
            let t = &doc.tokens[token];
            quotes.iter().any(|q| {
                q.start <= t.start
                    && t.end <= q.end
                    && doc.text[q.clone()].split_whitespace().count() > SCARE_QUOTE_WORDS
            })
        };
        for m in cues.matcher.find_in(&doc.tokens, &doc.text, hits) {
            let cue = cues.kinds[m.payload];
            let sentence = doc.tokens[m.first].sentence;
            cue_at.insert(m.first, (cue, m.last));
            if cue == Cue::Agent {
                agent_form.insert(m.first, m.payload);
            }
            if matches!(cue, Cue::According | Cue::AccordingPostposed) && in_speech(m.first) {
                continue;
            }
            match cue {
                // "[… şübhəli bilindiyi] iddia olunan iki nəfər": after a complement
                // clause the cue is the clause's verb; what is claimed is that clause.
                Cue::Distance if m.first > 0 && complement_before(doc, cues, m.first) => {
                    distance_after.push(m.first)
                }
                Cue::Distance => distance_ends.push(m.last),
                Cue::Negation => denials.push((m.first, m.last, Some(true))),
                Cue::NegationPostposed => denials.push((m.first, m.last, Some(false))),
                Cue::DistancePostposed => distance_after.push(m.first),
                Cue::Deny => {
                    denials.push((m.first, m.last, None));
                    by_sentence
                        .entry(sentence)
                        .or_default()
                        .push((Cue::Say, m.first, m.last));
                }
                Cue::Agent | Cue::Relative | Cue::Source | Cue::Complementizer => {}
                Cue::Assert => boundaries.push(m.first),
                Cue::Say | Cue::SayNonFinite => {
                    boundaries.push(m.first);
                    by_sentence
                        .entry(sentence)
                        .or_default()
                        .push((cue, m.first, m.last));
                }
                _ => by_sentence
                    .entry(sentence)
                    .or_default()
                    .push((cue, m.first, m.last)),
            }
        }
        let entities = entity_tokens(doc, spans);
        let mut entity_of = HashMap::new();
        for (k, (first, last, _)) in entities.iter().enumerate() {
            for t in *first..=*last {
                entity_of.insert(t, k);
            }
        }
        let mut ctx = DocContext {
            doc,
            cues,
            quotes,
            open_quotes,
            speakers: vec![None; doc.sentences.len()],
            inner: Vec::new(),
            distance_ends,
            denials,
            distance_after,
            boundaries,
            cue_at,
            agent_form,
            entity_of,
            entities,
            capitalised_inside: Vec::new(),
        };
        ctx.capitalised_inside = (0..doc.tokens.len())
            .filter(|&i| ctx.capitalised(i) && !ctx.starts_sentence(i))
            .map(|i| doc.tokens[i].key.clone())
            .collect();
        ctx.resolve_speakers(&mut by_sentence);
        ctx
    }

    /// Speaker and stance of the mention on tokens `first..=last`.
    pub fn attribution(&self, first: usize, last: usize) -> Attribution {
        let sentence = self.doc.tokens[first].sentence;
        let speaker = self
            .inner_speaker(first)
            .or_else(|| self.speakers.get(sentence).cloned().flatten())
            .or_else(|| self.quote_speaker(first, last))
            .or_else(|| self.continued_quote_speaker(sentence))
            .or_else(|| self.introduced_speaker(sentence));
        Attribution {
            speaker_entity_id: speaker.as_ref().and_then(|s| s.entity_id.clone()),
            speaker: speaker.map(|s| s.text),
            negated: self.negated(first, last),
            distanced: self.distanced(first, last),
        }
    }

    /// Whether bytes `start..end` lie inside quotation marks.
    pub fn quoted(&self, start: usize, end: usize) -> bool {
        self.quotes.iter().any(|q| q.start <= start && end <= q.end)
    }

    /// The speaker of a sentence (the figures extractor credits its rows with it).
    pub fn attributed_to(&self, sentence: usize) -> Option<String> {
        self.speakers
            .get(sentence)
            .cloned()
            .flatten()
            .map(|s| s.text)
    }
}

/// Whether the word before `token` ends in a complement-clause ending (az `-dığı`,
/// `-diyi`: "that … is"), in the same sentence.
fn complement_before(doc: &Document, cues: &LanguageCues, token: usize) -> bool {
    let (prev, t) = (&doc.tokens[token - 1], &doc.tokens[token]);
    prev.sentence == t.sentence
        && !doc.text[prev.end..t.start].contains([',', ';', ':'])
        && cues
            .complement_endings
            .iter()
            .any(|e| prev.key.ends_with(e.as_str()) && prev.key.len() > e.len())
}

/// Entity spans as inclusive token ranges (the tokens they cover), in text order.
fn entity_tokens(doc: &Document, spans: &[EntitySpan]) -> Vec<(usize, usize, EntitySpan)> {
    let mut out = Vec::new();
    for span in spans {
        let first = doc.tokens.partition_point(|t| t.end <= span.start);
        let mut last = first;
        while last + 1 < doc.tokens.len() && doc.tokens[last + 1].start < span.end {
            last += 1;
        }
        if first < doc.tokens.len() && doc.tokens[first].start < span.end {
            out.push((first, last, span.clone()));
        }
    }
    out.sort_by_key(|(f, l, _)| (*f, std::cmp::Reverse(*l)));
    // Nested or overlapping spans: keep the first, longest.
    let mut kept: Vec<(usize, usize, EntitySpan)> = Vec::new();
    for e in out {
        if kept.last().is_none_or(|k| k.1 < e.0) {
            kept.push(e);
        }
    }
    kept
}

/// Helpers the unit tests of the submodules share.
#[cfg(test)]
mod testing {
    /// (surface, speaker, negated, distanced) of each frame the bundled lexicons find.
    pub(super) fn frames(text: &str) -> Vec<(String, Option<String>, bool, bool)> {
        crate::extract::extract_text(text)
            .into_of::<crate::extract::frames::FrameMention>()
            .into_iter()
            .map(|m| {
                let a = m.base.attribution;
                (m.base.surface, a.speaker, a.negated, a.distanced)
            })
            .collect()
    }

    pub(super) fn flags(
        found: &[(String, Option<String>, bool, bool)],
        surface: &str,
    ) -> (bool, bool) {
        let f = found
            .iter()
            .find(|f| f.0 == surface)
            .unwrap_or_else(|| panic!("{surface} not in {found:?}"));
        (f.2, f.3)
    }

    /// (surface, speaker) of every frame and figure of `text`.
    pub(super) fn speakers(text: &str) -> Vec<(String, Option<String>)> {
        let m = crate::extract::extract_text(text);
        let frames = m
            .frames()
            .iter()
            .map(|f| (f.base.surface.clone(), f.base.attribution.speaker.clone()));
        let figures = m
            .figures()
            .iter()
            .map(|f| (f.base.surface.clone(), f.attributed_to.clone()));
        frames.chain(figures).collect()
    }

    pub(super) fn speaker_of(found: &[(String, Option<String>)], surface: &str) -> Option<String> {
        found
            .iter()
            .find(|f| f.0.contains(surface))
            .unwrap_or_else(|| panic!("{surface} not in {found:?}"))
            .1
            .clone()
    }
}
