//! The context of a mention: inside quotation marks, attributed to a speaker, negated
//! or distanced. Cue words come from `lexicons/<lang>/cues.tsv`; the rules that use
//! them are positional and language-neutral, so a new language needs only cue words.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::terms::{Suffixes, TermMatcher, TermMatcherBuilder, WordHits};
use crate::lexicon::{LexiconError, LexiconSet};
use crate::prepare::languages::Language;
use crate::prepare::normalize::fold;
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
}

const KINDS: [(&str, Cue); 14] = [
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
/// How far after a reporting verb a clause-final subject may end ("հայտնեց … գյուղապետ
/// Արամայիս Աբովյանը։").
const FINAL_SUBJECT_REACH: usize = 10;
/// How many sentences back a pronoun looks for a person when no speaker was named.
const PERSON_SENTENCES: usize = 2;
/// Scare quotes hold the term alone: at most this many words inside.
const SCARE_QUOTE_WORDS: usize = 2;

/// Cue words of one language.
pub struct LanguageCues {
    matcher: TermMatcher,
    kinds: Vec<Cue>,
    /// Per cue form: a personal title (one person holds it: "the minister").
    titles: Vec<bool>,
    /// Folded pronouns ("he", "նա", "o") that stand for the last named speaker.
    pronouns: Vec<String>,
    /// Folded lowercase words allowed inside a name ("of", "for").
    name_connectors: Vec<String>,
    /// Lowercase honorifics dropped before a name ("mr.", "տիկին").
    honorifics: Vec<String>,
    /// Capitalised words that never name a speaker: function words that start
    /// sentences, weekdays, months.
    not_names: Vec<String>,
    /// Whether a reporting verb without a subject stands for the last named speaker
    /// (Armenian and Azerbaijani drop subject pronouns).
    pro_drop: bool,
    /// Endings stripped from a speaker's last word to give its base form, each with
    /// the letters that must precede it (`Պոմպեոն` → `Պոմպեո`, `ՏԱՍՍ-ը` → `ՏԱՍՍ`).
    name_endings: Vec<(String, String)>,
    /// Folded case endings that never end a subject (Armenian genitive/dative `-ի`,
    /// `-ին`, ablative `-ից`, locative `-ում`): "Facebook-ի իր էջում գրել է" is not
    /// said by Facebook, "NEWS.am-ին հայտնեց" not by NEWS.am.
    /// `(after a hyphen only, ending)`: `-ին` is a dative only after a hyphen, since
    /// `Վեսելին` is `Վեսելի` with its article.
    oblique_endings: Vec<(bool, String)>,
    /// Folded surname endings (-yan, -ov) from `entity_cues.tsv`: a sentence-initial
    /// word with one is a name even when written nowhere else ("Սարգսյանը ասաց").
    surname_suffixes: Vec<String>,
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
                "pro_drop" => {
                    pro_drop = row.get(1) == "yes";
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
                    "kind `{}` is not one of {}, pronoun, not_name, honorific, pro_drop, name_ending, oblique_ending",
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
            name_endings,
            oblique_endings,
            surname_suffixes,
        })
    }
}

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

/// Everything about one document the context rules need, computed once.
pub struct DocContext<'a> {
    doc: &'a Document,
    cues: &'a LanguageCues,
    quotes: Vec<Range<usize>>,
    /// Quotations never closed in their paragraph (speech only, never scare quotes).
    open_quotes: Vec<Range<usize>>,
    /// Per sentence: the speaker its reporting cues point to.
    speakers: Vec<Option<Speaker>>,
    /// Token indices (last token) of distance cues.
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
        let mut by_sentence: HashMap<usize, Vec<(Cue, usize, usize)>> = HashMap::new();
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
                Cue::Agent | Cue::Relative | Cue::Source => {}
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
        let titled = ctx.titled_names();
        let mut last_named: Option<Speaker> = None;
        for sentence in 0..doc.sentences.len() {
            let Some(found) = by_sentence.get_mut(&sentence) else {
                continue;
            };
            if doc
                .sentences
                .get(sentence)
                .is_some_and(|r| doc.in_title(r.start))
            {
                // A title states the outlet's framing; nobody in it is quoted.
                continue;
            }
            found.sort_by_key(|&(_, first, _)| first);
            let mut speaker = None;
            for &(cue, first, last) in found.iter() {
                match ctx.speaker(cue, first, last) {
                    Subject::Found(s) => {
                        speaker = Some(s);
                        break;
                    }
                    Subject::Pronoun => {
                        speaker = ctx
                            .person_before(first, 0)
                            .or_else(|| last_named.clone())
                            .or_else(|| ctx.person_before(first, PERSON_SENTENCES));
                        if speaker.is_some() {
                            break;
                        }
                    }
                    Subject::None => {}
                }
            }
            if speaker.is_none() && cues.pro_drop {
                // A finite reporting verb with no subject: the last named speaker.
                let finite = found
                    .iter()
                    .any(|&(cue, first, _)| cue == Cue::Say && !ctx.after_relative(first));
                if finite {
                    speaker = last_named.clone();
                }
            }
            if let Some(s) = speaker.as_ref().filter(|s| s.title.is_some()) {
                let title = s.title.unwrap_or_default();
                // "ԱԳՆ խոսնակը ասել է" after "ԱԳՆ խոսնակ Աննա Նաղդալյանը": the
                // spokesperson is the person the article named with that title.
                let start = doc.sentences[sentence].start;
                if let Some((_, _, person)) = titled
                    .iter()
                    .rev()
                    .find(|(at, form, _)| *form == title && doc.tokens[*at].start < start)
                {
                    speaker = Some(person.clone());
                } else if cues.titles[title]
                    && !s.text.contains(char::is_whitespace)
                    && last_named.as_ref().is_some_and(|n| n.person)
                {
                    // "Նախարարը նշեց" right after "ասաց Մնացականյանը": a bare title
                    // is the person last named as a speaker.
                    speaker = last_named.clone();
                }
            }
            if let Some(s) = &speaker {
                if s.named {
                    last_named = Some(s.clone());
                }
            }
            ctx.speakers[sentence] = speaker;
        }
        ctx
    }

    /// The last person the entities stage found before token `before`, not in an
    /// oblique case, at most `back` sentences before its own: what a pronoun refers to
    /// when no named speaker does ("Mr. Trump wasn't satisfied. … he said").
    fn person_before(&self, before: usize, back: usize) -> Option<Speaker> {
        let sentence = self.doc.tokens[before].sentence;
        self.entities
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, (_, last, span))| {
                *last < before
                    && span.label.as_ref() == "PER"
                    && self.doc.tokens[*last].sentence + back >= sentence
                    && !self.in_long_quote(*last)
            })
            .find(|(_, (_, last, _))| !self.oblique(*last))
            .and_then(|(k, _)| self.entity_speaker(k))
    }

    /// Titles written right before a name ("ԱԳՆ խոսնակ Աննա Նաղդալյանը", "Foreign
    /// Minister Ararat Mirzoyan"): (title token, its cue form, the named person).
    fn titled_names(&self) -> Vec<(usize, usize, Speaker)> {
        let mut out: Vec<(usize, usize, Speaker)> = self
            .agent_form
            .iter()
            .filter(|&(&head, _)| {
                self.in_sentence_of(head, head + 1) && self.adjacent(head, head + 1)
            })
            .filter_map(|(&head, &form)| {
                let sentence_end = self.doc.tokens[head..]
                    .iter()
                    .take_while(|t| t.sentence == self.doc.tokens[head].sentence)
                    .count()
                    + head;
                let person = self.candidate_starting_at(head + 1, sentence_end)?;
                let full_name = person.text.split_whitespace().count() >= 2;
                (person.named && person.title.is_none() && full_name)
                    .then_some((head, form, person))
            })
            .collect();
        out.sort_by_key(|(head, _, _)| *head);
        out
    }

    /// Speaker and stance of the mention on tokens `first..=last`.
    pub fn attribution(&self, first: usize, last: usize) -> Attribution {
        let sentence = self.doc.tokens[first].sentence;
        let speaker = self
            .speakers
            .get(sentence)
            .cloned()
            .flatten()
            .or_else(|| self.quote_speaker(first, last))
            .or_else(|| self.continued_quote_speaker(sentence));
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

    /// The speaker denies or rejects the term itself: a denial cue before it (or after
    /// it, for verb-final languages and passives) with no assertion between them:
    /// "denied ethnic cleansing", but not "dismissed promises as fabrications" nor
    /// "rejected X, alleging Y to be propaganda".
    pub fn negated(&self, first: usize, last: usize) -> bool {
        let sentence = self.doc.tokens[first].sentence;
        self.denials.iter().any(|&(d_first, d_last, forward)| {
            if self.doc.tokens[d_first].sentence != sentence {
                return false;
            }
            let (from, to) = if d_last < first && forward != Some(false) {
                (d_last + 1, first)
            } else if d_first > last && forward != Some(true) {
                (last + 1, d_first)
            } else {
                return false;
            };
            !self.boundaries.iter().any(|&b| from <= b && b < to)
        })
    }

    /// The writer keeps distance: a distance cue just before the term, or quotation
    /// marks around the term alone (scare quotes).
    pub fn distanced(&self, first: usize, last: usize) -> bool {
        let sentence = self.doc.tokens[first].sentence;
        let cue = self.distance_ends.iter().any(|&end| {
            end < first
                && first - end <= DISTANCE_REACH
                && self.doc.tokens[end].sentence == sentence
        });
        // "… silah aşkar olunduğu iddia edilib": back to the clause start.
        let after = self.distance_after.iter().any(|&d| {
            d > last
                && self.doc.tokens[d].sentence == sentence
                && !self.doc.text[self.doc.tokens[last].end..self.doc.tokens[d].start]
                    .contains([',', ';', ':'])
                && !self.boundaries.iter().any(|&b| last < b && b < d)
        });
        cue || after || self.scare_quoted(first, last)
    }

    /// Speech inside quotation marks that span sentences belongs to the speaker of the
    /// sentence where the quotation opens or closes ("«… »,- հավելել է նա").
    /// Unclosed quotations stop at the paragraph, so this never crosses one.
    fn quote_speaker(&self, first: usize, last: usize) -> Option<Speaker> {
        let (start, end) = (self.doc.tokens[first].start, self.doc.tokens[last].end);
        let quote = self
            .quotes
            .iter()
            .chain(&self.open_quotes)
            .filter(|q| q.start <= start && end <= q.end)
            .max_by_key(|q| q.end - q.start)?;
        if self.doc.text[quote.clone()].split_whitespace().count() <= SCARE_QUOTE_WORDS {
            return None;
        }
        let opens = self.doc.sentence_of(quote.start);
        let closes = self.doc.sentence_of(quote.end.saturating_sub(1));
        [opens, closes]
            .into_iter()
            .find_map(|s| self.speakers.get(s).cloned().flatten())
            .or_else(|| self.introducing_speaker(opens, quote.start))
    }

    /// A sentence that opens with a quotation mark never closed in it (a straight `"`
    /// too, which `open_quote_spans` leaves out) goes on with the speech of the
    /// sentence before, when that names its speaker: `"…," Maley said. "It was down …` and
    /// `…,- ասաց Վարդանյանը։ «Ես համարում եմ …`.
    fn continued_quote_speaker(&self, sentence: usize) -> Option<Speaker> {
        let range = self.doc.sentences.get(sentence)?;
        let text = self.doc.text.get(range.clone())?;
        let offset = text.len() - text.trim_start().len();
        let mark = text[offset..].chars().next()?;
        let closing = match mark {
            '"' => '"',
            '“' => '”',
            '«' => '»',
            '„' => '“',
            _ => return None,
        };
        let body = &text[offset + mark.len_utf8()..];
        let unclosed = if mark == closing {
            body.matches(mark).count() % 2 == 0
        } else {
            body.matches(closing).count() <= body.matches(mark).count()
        };
        if !unclosed {
            return None;
        }
        // Only a named speaker: "according to the data" does not open speech.
        let prev = sentence.checked_sub(1)?;
        self.speakers
            .get(prev)
            .cloned()
            .flatten()
            .filter(|s| s.named)
    }

    /// The speaker of the sentence before a quotation that opens a sentence, when that
    /// sentence introduces it ("X-ը գրել է․ «…»": the reporting verb ends it) or is
    /// itself attributed speech (a quotation goes on: `"…," Maley said. "It was …"`).
    fn introducing_speaker(&self, opens: usize, quote_start: usize) -> Option<Speaker> {
        let prev = opens.checked_sub(1)?;
        let speaker = self.speakers.get(prev).cloned().flatten()?;
        let range = self.doc.sentences.get(prev)?.clone();
        let opening = self.doc.sentences.get(opens)?;
        if !self.doc.text[opening.start..quote_start]
            .chars()
            .all(|c| !c.is_alphanumeric())
        {
            return None;
        }
        let quoted = self
            .quotes
            .iter()
            .any(|q| q.start >= range.start && q.start < range.end);
        let last_word = self
            .doc
            .tokens
            .partition_point(|t| t.end <= range.end)
            .checked_sub(1)?;
        let ends_with_cue =
            self.doc.tokens[last_word].sentence == prev && self.in_say_cue(last_word);
        (quoted || ends_with_cue).then_some(speaker)
    }

    /// Whether `token` is a word of a finite reporting cue.
    fn in_say_cue(&self, token: usize) -> bool {
        const LONGEST_CUE: usize = 4;
        (token.saturating_sub(LONGEST_CUE)..=token).any(|j| {
            self.cue_at
                .get(&j)
                .is_some_and(|&(c, last)| c == Cue::Say && last >= token)
        })
    }

    /// Inside quoted speech (a quotation longer than a name: «Իմ քայլը» is a name).
    fn in_long_quote(&self, token: usize) -> bool {
        const NAME_WORDS: usize = 3;
        let t = &self.doc.tokens[token];
        self.quotes.iter().any(|q| {
            q.start <= t.start
                && t.end <= q.end
                && self.doc.text[q.clone()].split_whitespace().count() > NAME_WORDS
        })
    }

    fn scare_quoted(&self, first: usize, last: usize) -> bool {
        let (start, end) = (self.doc.tokens[first].start, self.doc.tokens[last].end);
        self.quotes.iter().any(|q| {
            q.start <= start
                && end <= q.end
                && self.doc.text[q.clone()].split_whitespace().count() <= SCARE_QUOTE_WORDS
        })
    }

    fn is_pronoun(&self, token: usize) -> bool {
        self.cues.pronouns.contains(&self.doc.tokens[token].key)
    }

    /// A word with a surname ending, its own endings aside: `Սարգսյանը`, `Əliyevin`.
    fn surname_like(&self, token: usize) -> bool {
        let key = &self.doc.tokens[token].key;
        self.cues.surname_suffixes.iter().any(|s| {
            key.char_indices()
                .skip(2)
                .any(|(b, _)| key[b..].starts_with(s.as_str()) && key.len() - b <= s.len() + 4)
        })
    }

    /// Whether `token` is any word of a cue ("է" of "հայտնել է", not only its first).
    fn in_cue(&self, token: usize) -> bool {
        const LONGEST_CUE: usize = 4;
        (token.saturating_sub(LONGEST_CUE)..=token)
            .any(|j| self.cue_at.get(&j).is_some_and(|&(_, last)| last >= token))
    }

    fn cue_kind(&self, token: usize) -> Option<Cue> {
        self.cue_at.get(&token).map(|&(c, _)| c)
    }

    /// "which claimed", "that said": the cue belongs to a relative clause.
    fn after_relative(&self, first: usize) -> bool {
        first > 0
            && self.in_sentence_of(first, first - 1)
            && self.cue_kind(first - 1) == Some(Cue::Relative)
    }

    /// The speaker a cue points to.
    fn speaker(&self, cue: Cue, first: usize, last: usize) -> Subject {
        let found = match cue {
            Cue::According => self
                .phrase_after(last)
                .map(|t| self.plain(t))
                .or_else(|| self.candidate_after(last, PHRASE_WORDS)),
            Cue::AccordingPostposed => {
                let before = first.wrapping_sub(1);
                if !self.in_sentence_of(first, before) {
                    return Subject::None;
                }
                if self.is_pronoun(before) {
                    // "Նրա խոսքով" (in his words).
                    return Subject::Pronoun;
                }
                if self.cue_kind(before) == Some(Cue::Source) {
                    // "Եվրահանձնաժողովի զեկույցի համաձայն": the genitive before the
                    // report is the source.
                    return self
                        .genitive_before(before)
                        .map_or(Subject::None, Subject::Found);
                }
                self.candidate_ending_at(before, first)
                    .or_else(|| self.name_before(first).map(|t| self.named(t)))
                    .or_else(|| self.subject_of_parenthetical(first))
            }
            Cue::SayNonFinite => {
                // "with Armenia stating that": a subject right before the participle;
                // otherwise the participle's subject is the main clause's, which a
                // finite cue of the sentence gives, or the sentence's first name.
                return match self.subject_before(first, 1) {
                    Subject::Found(s) => Subject::Found(s),
                    Subject::Pronoun => Subject::Pronoun,
                    Subject::None => self.sentence_subject(first),
                };
            }
            _ => {
                // "Nagorno-Karabakh, acknowledged as Azerbaijani territory": a reporting
                // verb right before an assertion marker is a passive participle, and
                // the noun before it is what is spoken of, not who speaks.
                if self.in_sentence_of(first, last + 1)
                    && self.cue_kind(last + 1) == Some(Cue::Assert)
                {
                    return Subject::None;
                }
                if self.after_relative(first) {
                    // "Nagorno-Karabakh which claimed 170 lives": never a speaker,
                    // but "Marukyan, who said" is Marukyan.
                    return self.relative_antecedent(first - 1);
                }
                match self.subject_before(first, SPEAKER_REACH) {
                    Subject::None => {}
                    other => return other,
                }
                if let Subject::Found(s) = self.subject_across_relative(first) {
                    return Subject::Found(s);
                }
                if self.in_sentence_of(last, last + 1) && self.is_pronoun(last + 1) {
                    // "— հավելել է նա", "he said" inverted: "said he".
                    return Subject::Pronoun;
                }
                // A person closing the clause wins over a modifier right after the
                // verb ("գրել է ԱԺ «Իմ քայլը» խմբակցության պատգամավոր Արտակ Մանուկյանը").
                if let Some(s) = self.final_subject(last) {
                    return Subject::Found(s);
                }
                if let Some(s) = self.candidate_after(last, SPEAKER_REACH) {
                    return Subject::Found(s);
                }
                // The subject stands further away: verb-final clauses put it first
                // ("Սարգսյանը մեզ հետ զրույցում ասաց").
                return self.sentence_subject(first);
            }
        };
        found.map_or(Subject::None, Subject::Found)
    }

    /// A name that ends the sentence a few words after its reporting verb: the
    /// subject placed last, after its titles and appositions ("Այս մասին հայտնեց
    /// գյուղի բնակիչ, նախկին գյուղապետ Արամայիս Աբովյանը։", "said on Monday the
    /// ministry's spokesperson Maria Zakharova.").
    fn final_subject(&self, last: usize) -> Option<Speaker> {
        let sentence = self.doc.tokens[last].sentence;
        let mut end = self.doc.tokens[last..]
            .iter()
            .take_while(|t| t.sentence == sentence)
            .count()
            + last
            - 1;
        // Or the name closes the clause and a participle of its own follows:
        // "հայտարարեց … Թեհմինա Վարդանյանը՝ հավելելով, որ".
        if let Some(p) = (last + 1..end).find(|&t| {
            self.cue_kind(t + 1) == Some(Cue::SayNonFinite)
                && self.doc.text[self.doc.tokens[t].end..self.doc.tokens[t + 1].start]
                    .chars()
                    .any(|c| ",՝".contains(c))
        }) {
            end = p;
        }
        if end == last || end - last > FINAL_SUBJECT_REACH {
            return None;
        }
        // Nothing but the sentence's closing punctuation after the name.
        let sentence_end = self.doc.sentences.get(sentence)?.end;
        let clause_end = if self.in_sentence_of(end, end + 1) {
            self.doc.tokens[end + 1].start
        } else {
            sentence_end
        };
        // A token may run past the sentence's end (fuzzing found one): then no tail.
        let tail = self
            .doc
            .text
            .get(self.doc.tokens[end].end..clause_end)
            .unwrap_or("");
        if tail.chars().any(char::is_alphanumeric)
            || (last + 1..=end).any(|t| {
                self.in_long_quote(t) || self.in_cue(t) && self.cue_kind(t) != Some(Cue::Agent)
            })
        {
            return None;
        }
        let person = self
            .entity_of
            .get(&end)
            .is_some_and(|&k| self.entities[k].2.label.as_ref() == "PER");
        let run = self.name_run(end);
        let full_name = run.len() >= 2 && (run.start..run.end).all(|t| self.name_like(t));
        if !(person || full_name || self.surname_like(end) || self.written_in_capitals(end)) {
            return None;
        }
        self.candidate_ending_at(end, end + 1).filter(|s| s.named)
    }

    /// "X, who said": the name before the comma; "X which said": nothing.
    fn relative_antecedent(&self, relative: usize) -> Subject {
        let gap_has_comma = relative > 0
            && self.in_sentence_of(relative, relative - 1)
            && self.doc.text[self.doc.tokens[relative - 1].end..self.doc.tokens[relative].start]
                .contains(',');
        if !gap_has_comma {
            return Subject::None;
        }
        self.candidate_ending_at(relative - 1, relative)
            .filter(|s| s.named)
            .map_or(Subject::None, Subject::Found)
    }

    /// The noun phrase right before a source noun (its genitive owner): a speaker
    /// ending there, or the adjacent words back to the clause start (at most
    /// `GENITIVE_WORDS`), stopping at cue words and function words.
    fn genitive_before(&self, source: usize) -> Option<Speaker> {
        let end = source.checked_sub(1)?;
        if !self.in_sentence_of(source, end) || !self.adjacent(end, source) {
            return None;
        }
        if let Some(s) = self.candidate_ending_at(end, source) {
            return Some(s);
        }
        let mut start = end;
        while start > 0
            && end - start + 1 < GENITIVE_WORDS
            && self.in_sentence_of(end, start - 1)
            && self.adjacent(start - 1, start)
            && !self.in_cue(start - 1)
            && !self
                .cues
                .not_names
                .contains(&self.doc.tokens[start - 1].key)
        {
            start -= 1;
        }
        let word = |t: usize| self.doc.tokens[t].key.chars().any(char::is_alphabetic);
        if (start..=end).any(|t| !word(t) || self.in_cue(t)) {
            return None;
        }
        Some(self.plain(self.span_text(start, end)))
    }

    /// The subject before a finite reporting verb: a pronoun or a speaker ending at
    /// most `reach` tokens before it, or, when an apposition or relative clause set off
    /// by commas stands right before the verb, the name before that clause ("Edmon
    /// Marukyan, Armenia's ambassador-at-large, said").
    fn subject_before(&self, first: usize, reach: usize) -> Subject {
        if first == 0 || !self.in_sentence_of(first, first - 1) {
            return Subject::None;
        }
        let gap =
            |a: usize, b: usize| &self.doc.text[self.doc.tokens[a].end..self.doc.tokens[b].start];
        if gap(first - 1, first).chars().any(|c| "\"”»".contains(c)) {
            // `"…," wrote Fadem`: the words before are quoted speech, not the subject.
            return Subject::None;
        }
        if gap(first - 1, first).contains(',') {
            // Walk back to the comma opening the clause.
            let mut i = first - 1;
            let mut steps = 0;
            while i > 0 && steps < APPOSITION_WORDS && self.in_sentence_of(first, i - 1) {
                if gap(i - 1, i).contains(',') {
                    return self
                        .candidate_ending_at(i - 1, first)
                        .map_or(Subject::None, Subject::Found);
                }
                i -= 1;
                steps += 1;
            }
            return Subject::None;
        }
        // Words in an oblique case ("իր ֆեյսբուքյան էջում գրել է", "on his page")
        // are adverbials between subject and verb: they do not use up the reach.
        let mut counted = 0;
        let mut i = first;
        while i > 0 && counted < reach {
            i -= 1;
            if !self.in_sentence_of(first, i)
                || gap(i, i + 1).chars().any(|c| ",;:—–\"“”«»".contains(c))
            {
                break;
            }
            if self.is_pronoun(i) {
                return Subject::Pronoun;
            }
            if self.cue_kind(i) == Some(Cue::Relative) {
                return self.relative_clause_antecedent(i);
            }
            if self.oblique_with_stem(i, 2) {
                continue;
            }
            counted += 1;
            if let Some(s) = self.candidate_ending_at(i, first) {
                return Subject::Found(s);
            }
            if let Some(s) = self.place_as_actor(i, first) {
                return Subject::Found(s);
            }
            if i + 1 == first && self.starts_sentence(i) {
                // "Կինը նշել է", "Bəziləri yazırlar ki": the one word before the verb
                // that opens the sentence is its subject, a name or not.
                if let Some(s) = self.common_subject(i) {
                    return Subject::Found(s);
                }
            }
        }
        Subject::None
    }

    /// A relative pronoun `relative` between the subject and its verb: "Washington-based
    /// analysts who have done the calculations say". Set off by a comma, only a name
    /// ("Marukyan, who"); without one, also an agent noun phrase. A place is never one.
    fn relative_clause_antecedent(&self, relative: usize) -> Subject {
        let Some(before) = relative.checked_sub(1) else {
            return Subject::None;
        };
        if !self.in_sentence_of(relative, before) {
            return Subject::None;
        }
        if !self.adjacent(before, relative) {
            return self.relative_antecedent(relative);
        }
        self.candidate_ending_at(before, relative)
            .filter(|_| !self.oblique(before))
            .map_or(Subject::None, Subject::Found)
    }

    /// A relative clause standing between a subject and its verb, further back than
    /// the reach: the relative pronoun at most `APPOSITION_WORDS` before, with no
    /// punctuation or other cue between it and the verb.
    fn subject_across_relative(&self, first: usize) -> Subject {
        let mut i = first;
        while i > 0 && first - i < APPOSITION_WORDS && self.in_sentence_of(first, i - 1) {
            let gap = &self.doc.text[self.doc.tokens[i - 1].end..self.doc.tokens[i].start];
            if gap.chars().any(|c| ",;:—–\"“”«»()".contains(c)) {
                return Subject::None;
            }
            i -= 1;
            match self.cue_kind(i) {
                Some(Cue::Relative) => return self.relative_clause_antecedent(i),
                Some(Cue::Agent) | None => {}
                Some(_) => return Subject::None,
            }
        }
        Subject::None
    }

    /// A place the entities stage found that opens the sentence right before its
    /// reporting verb acts: "Wall Street predicted", "Seoul expects" (a place used as a
    /// location is never a speaker, a place as the subject of a verb of saying is).
    fn place_as_actor(&self, end: usize, verb: usize) -> Option<Speaker> {
        let &k = self.entity_of.get(&end)?;
        let (first, last, _) = &self.entities[k];
        if *last != end || end + 1 != verb || !self.starts_sentence(*first) || self.oblique(end) {
            return None;
        }
        // Acting as a place, not as a person, whatever its label.
        Some(Speaker {
            person: false,
            ..self.named_speaker(k)
        })
    }

    /// "ՊՎԾ-ն, նախնական հաշվարկներով, … հայտնաբերել", "Ձկնաբույծներն, իրենց խոսքով,":
    /// a source marker set off by commas right after the subject, with no owner of its
    /// own, credits that subject.
    fn subject_of_parenthetical(&self, cue: usize) -> Option<Speaker> {
        const PARENTHETICAL_WORDS: usize = 3;
        let comma = (cue.saturating_sub(PARENTHETICAL_WORDS)..=cue)
            .rev()
            .find(|&j| {
                j > 0
                    && self.in_sentence_of(cue, j - 1)
                    && self.doc.text[self.doc.tokens[j - 1].end..self.doc.tokens[j].start]
                        .contains(',')
            })?;
        let subject = comma - 1;
        if (comma..cue).any(|j| self.entity_of.contains_key(&j) || self.name_like(j)) {
            return None;
        }
        self.candidate_ending_at(subject, comma)
            .filter(|_| !self.oblique(subject))
            .or_else(|| {
                self.starts_sentence(subject)
                    .then(|| self.common_subject(subject))
                    .flatten()
            })
    }

    /// A sentence-initial word as a subject (not a name, a function word, a number,
    /// an oblique form, a cue or quoted speech): "Կինը", "Bəziləri".
    fn common_subject(&self, token: usize) -> Option<Speaker> {
        let t = &self.doc.tokens[token];
        let word = &self.doc.text[t.start..t.end];
        let ok = word.chars().all(char::is_alphabetic)
            && !self.cues.not_names.contains(&t.key)
            && !self.is_pronoun(token)
            && !self.in_cue(token)
            && !self.oblique(token)
            && !self.quoted(t.start, t.end);
        ok.then(|| self.plain(word.to_string()))
    }

    /// Whether the word `token` ends in a case ending no subject takes.
    fn oblique(&self, token: usize) -> bool {
        self.oblique_with_stem(token, 3)
    }

    /// `oblique` with stems of at least `stem` letters (short words like `էջում` count
    /// when only skipped over, never when a name could be misread).
    fn oblique_with_stem(&self, token: usize, stem: usize) -> bool {
        let t = &self.doc.tokens[token];
        let (key, written) = (&t.key, &self.doc.text[t.start..t.end]);
        self.cues.oblique_endings.iter().any(|(hyphen, e)| {
            let long = key.chars().count() >= e.chars().count() + stem;
            if *hyphen {
                let stem = written.len().saturating_sub(e.len() + 1);
                long && written.is_char_boundary(stem) && fold_ends_with(&written[stem..], e)
            } else {
                long && key.ends_with(e.as_str())
            }
        })
    }

    /// The subject of a participle with no subject of its own: the first pronoun or
    /// speaker of the sentence before it.
    fn sentence_subject(&self, before: usize) -> Subject {
        let sentence = self.doc.tokens[before].sentence;
        let Some(start) = self.doc.tokens.iter().position(|t| t.sentence == sentence) else {
            return Subject::None;
        };
        for i in start..before {
            if self.quoted(self.doc.tokens[i].start, self.doc.tokens[i].end) {
                continue;
            }
            if self.is_pronoun(i) {
                return Subject::Pronoun;
            }
            if let Some(s) = self.candidate_starting_at(i, before) {
                let words = s.text.split_whitespace().count();
                if self.oblique((i + words).saturating_sub(1).min(before - 1)) {
                    continue;
                }
                return Subject::Found(s);
            }
        }
        Subject::None
    }

    /// A speaker whose last token is `end` (and which stops before `limit`): a named
    /// entity, an agent noun phrase ("Armenian spokespersons", "Russia's foreign
    /// ministry"), or a capitalised name.
    fn candidate_ending_at(&self, end: usize, limit: usize) -> Option<Speaker> {
        if end >= self.doc.tokens.len() || end >= limit {
            return None;
        }
        if let Some(s) = self.agent_phrase_at(end) {
            return Some(s);
        }
        if let Some(&k) = self.entity_of.get(&end) {
            return self.entity_speaker(k);
        }
        if !self.name_like(end) {
            return None;
        }
        let run = self.name_run(end);
        if self.is_sentence_initial_word(run.start, run.end) && !self.surname_like(run.start) {
            return None;
        }
        Some(self.named(self.span_text(self.phrase_start(run.start), end.min(run.end - 1))))
    }

    /// A speaker beginning at `start`.
    fn candidate_starting_at(&self, start: usize, limit: usize) -> Option<Speaker> {
        if let Some(&k) = self.entity_of.get(&start) {
            let (first, last, _) = &self.entities[k];
            if *first == start {
                return self
                    .candidate_ending_at(*last, limit)
                    .or_else(|| self.entity_speaker(k));
            }
            return None;
        }
        if self.cue_kind(start) == Some(Cue::Agent) {
            // "վարչապետ Նիկոլ Փաշինյանը": a title before a person is that person.
            if self.in_sentence_of(start, start + 1) && self.adjacent(start, start + 1) {
                if let Some(person) = self
                    .candidate_starting_at(start + 1, limit)
                    .filter(|p| p.named && p.title.is_none())
                {
                    return Some(person);
                }
            }
            return self.agent_phrase_at(start);
        }
        if self.name_like(start) && !self.is_sentence_initial_word(start, start + 1) {
            let run = self.name_run(start);
            if run.start == start && run.end <= limit {
                return self.candidate_ending_at(run.end - 1, limit);
            }
        }
        None
    }

    /// The first speaker starting within `reach` tokens after a cue: "said Marukyan",
    /// "according to the UN refugee agency", "ասել է ԱԳՆ խոսնակ Աննա Նաղդալյանը"
    /// (a title before a person resolves to the person).
    fn candidate_after(&self, last: usize, reach: usize) -> Option<Speaker> {
        let mut i = last + 1;
        let mut found = None;
        while i <= last + reach && self.in_sentence_of(last, i) {
            if i > last + 1 && !self.adjacent(i - 1, i) {
                break;
            }
            if let Some(&k) = self.entity_of.get(&i) {
                let (_, end, span) = &self.entities[k];
                if self.oblique(*end) {
                    // A genitive modifies the subject after it ("ԱԺ «Իմ քայլը»
                    // խմբակցության պատգամավոր Արտակ Մանուկյանը").
                    i = end + 1;
                    continue;
                }
                let s = self.entity_speaker(k);
                if span.label.as_ref() == "PER" {
                    return s;
                }
                if found.is_none() {
                    found = s;
                }
                i = end + 1;
                continue;
            }
            if self.cue_kind(i) == Some(Cue::Agent) && found.is_none() {
                found = self.agent_phrase_from(i);
            }
            i += 1;
        }
        found
    }

    fn named(&self, text: String) -> Speaker {
        let text = self.base_form(&text);
        let surname = |w: &str| {
            let w = w.to_lowercase();
            self.cues
                .surname_suffixes
                .iter()
                .any(|s| w.chars().count() > s.chars().count() + 1 && w.ends_with(s.as_str()))
        };
        Speaker {
            person: text.split_whitespace().last().is_some_and(surname),
            text,
            entity_id: None,
            named: true,
            title: None,
        }
    }

    fn plain(&self, text: String) -> Speaker {
        Speaker {
            named: false,
            person: false,
            ..self.named(text)
        }
    }

    /// A person, organisation or government the entities stage found; places used as
    /// locations (LOC) are not speakers.
    fn entity_speaker(&self, k: usize) -> Option<Speaker> {
        if self.entities[k].2.label.as_ref() == "LOC" {
            return None;
        }
        Some(self.named_speaker(k))
    }

    /// The entities stage's name `k` as a speaker (a person when labelled PER).
    fn named_speaker(&self, k: usize) -> Speaker {
        let (first, last, span) = &self.entities[k];
        let text = self.span_text(*first, *last);
        Speaker {
            text: self.base_form(&text),
            entity_id: span.entity_id.clone(),
            named: true,
            title: None,
            person: span.label.as_ref() == "PER",
        }
    }

    /// An agent noun phrase ending at `end`: the agent noun with the words that modify
    /// it before (adjectives, genitives, names) and a following "for/of + name".
    fn agent_phrase_at(&self, end: usize) -> Option<Speaker> {
        // The agent noun may be the head, or followed by "of/for Name".
        if self.cue_kind(end) == Some(Cue::Agent) {
            return self.agent_phrase_from(end);
        }
        None
    }

    fn agent_phrase_from(&self, head: usize) -> Option<Speaker> {
        let sentence = self.doc.tokens[head].sentence;
        let mut start = head;
        while start > 0
            && head - start < 3
            && self.doc.tokens[start - 1].sentence == sentence
            && self.adjacent(start - 1, start)
            && !self
                .cues
                .not_names
                .contains(&self.doc.tokens[start - 1].key)
            && (!self.in_cue(start - 1) || self.cue_kind(start - 1) == Some(Cue::Agent))
            && !self.is_pronoun(start - 1)
        {
            start -= 1;
        }
        if start < head && self.is_sentence_initial_word(start, start + 1) {
            // "Hücumun nəticəsi İsrail televiziyaları": the phrase starts at the name,
            // not at the sentence's first word.
            if let Some(j) = (start + 1..head).find(|&j| self.name_like(j)) {
                start = j;
            }
        }
        if start < head && self.name_like(start) {
            // "Berrien County Health Department officials": the whole name modifies.
            let run = self.name_run(start);
            if head - run.start <= AGENT_MODIFIERS {
                start = start.min(run.start);
            }
            // "The US Justice Department", "When President Trump's advisers".
            while start < head && self.cues.not_names.contains(&self.doc.tokens[start].key) {
                start += 1;
            }
        }
        let mut end = head;
        if self.in_sentence_of(head, head + 2)
            && self.is_connector(head + 1)
            && self.adjacent(head, head + 1)
        {
            let mut name = head + 2;
            if self.cues.not_names.contains(&self.doc.tokens[name].key)
                && self.in_sentence_of(head, name + 1)
            {
                name += 1;
            }
            if self.name_like(name) && self.adjacent(name - 1, name) {
                end = self.name_run(name).end - 1;
            }
        }
        // A quoted name right before: "«Փաստ» թերթը" (the newspaper Past).
        let mut from = self.doc.tokens[start].start;
        if start > 0 && self.in_sentence_of(start, start - 1) {
            let gap = &self.doc.text[self.doc.tokens[start - 1].end..from];
            if let Some(q) = self.quotes.iter().find(|q| {
                q.end == self.doc.tokens[start - 1].end + gap.trim_end().len()
                    && gap.trim().chars().count() == 1
                    && self.doc.text[(*q).clone()].split_whitespace().count() <= SCARE_QUOTE_WORDS
            }) {
                from = q.start;
            }
        }
        let mut text = self.span_text(start, end);
        if from < self.doc.tokens[start].start {
            text = format!(
                "{}{}",
                &self.doc.text[from..self.doc.tokens[start].start],
                text
            );
        }
        // A name inside the phrase is what it refers to only as a modifier; keep
        // the phrase as written ("Russia's foreign ministry").
        Some(Speaker {
            text: self.base_form(&text),
            entity_id: None,
            named: false,
            person: false,
            title: (end == head)
                .then(|| self.agent_form.get(&head).copied())
                .flatten(),
        })
    }

    /// A name's base form: the language's article or case ending taken off its last
    /// word (`Նաղդալյանը` → `Նաղդալյան`).
    fn base_form(&self, text: &str) -> String {
        // "Mr. Trump" → "Trump": an honorific before a name is not part of it.
        let text = match text.split_once(' ') {
            Some((first, rest))
                if !rest.is_empty()
                    && self
                        .cues
                        .honorifics
                        .iter()
                        .any(|h| first.to_lowercase() == *h) =>
            {
                rest
            }
            _ => text,
        };
        for (after, ending) in &self.cues.name_endings {
            if let Some(stem) = text.strip_suffix(ending.as_str()) {
                if stem.chars().count() >= 3
                    && (after.is_empty() || after.chars().any(|c| stem.ends_with(c)))
                {
                    return stem.to_string();
                }
            }
        }
        text.to_string()
    }

    pub(crate) fn capitalised(&self, token: usize) -> bool {
        let t = &self.doc.tokens[token];
        self.doc.text[t.start..t.end]
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    }

    pub(crate) fn name_like(&self, token: usize) -> bool {
        self.capitalised(token) && !self.cues.not_names.contains(&self.doc.tokens[token].key)
    }

    pub(crate) fn adjacent(&self, a: usize, b: usize) -> bool {
        let (ta, tb) = (&self.doc.tokens[a], &self.doc.tokens[b]);
        let gap = &self.doc.text[ta.end..tb.start];
        ta.sentence == tb.sentence
            && (gap
                .chars()
                .all(|c| c.is_whitespace() || c == '(' || c == ')')
                || gap == "&")
    }

    pub(crate) fn is_connector(&self, token: usize) -> bool {
        self.cues
            .name_connectors
            .contains(&self.doc.tokens[token].key)
    }

    /// The run of capitalised tokens around `at`, with connectors like "of" inside
    /// ("Ministry of Defence"), as token indices.
    fn name_run(&self, at: usize) -> Range<usize> {
        let (mut start, mut end) = (at, at + 1);
        loop {
            if start > 0 && self.adjacent(start - 1, start) && self.capitalised(start - 1) {
                start -= 1;
            } else if start > 1
                && self.adjacent(start - 2, start - 1)
                && self.adjacent(start - 1, start)
                && self.is_connector(start - 1)
                && self.capitalised(start - 2)
            {
                start -= 2;
            } else {
                break;
            }
        }
        while end < self.doc.tokens.len() && self.adjacent(end - 1, end) {
            if self.capitalised(end) {
                end += 1;
            } else if self.is_connector(end)
                && end + 1 < self.doc.tokens.len()
                && self.adjacent(end, end + 1)
                && self.capitalised(end + 1)
            {
                end += 2;
            } else {
                break;
            }
        }
        start..end
    }

    /// Widens a name to the noun phrase it ends, when that phrase starts the sentence:
    /// "The human rights defender of Artsakh" → "human rights defender of Artsakh".
    fn phrase_start(&self, run_start: usize) -> usize {
        let sentence = self.doc.tokens[run_start].sentence;
        let mut i = run_start;
        while i > 0
            && run_start - i < 5
            && self.doc.tokens[i - 1].sentence == sentence
            && self.adjacent(i - 1, i)
        {
            i -= 1;
        }
        let at_sentence_start = i == 0 || self.doc.tokens[i - 1].sentence != sentence;
        if i < run_start && at_sentence_start && self.is_sentence_initial_word(i, i + 1) {
            i + 1
        } else {
            run_start
        }
    }

    /// The text of tokens `first..=last`, with a closing parenthesis the span opened:
    /// "United Nations refugee agency (UNHCR)".
    fn span_text(&self, first: usize, last: usize) -> String {
        let t = &self.doc.tokens;
        let mut end = t[last].end;
        let text = &self.doc.text[t[first].start..end];
        if text.matches('(').count() > text.matches(')').count()
            && self.doc.text[end..].starts_with(')')
        {
            end += 1;
        }
        self.doc.text[t[first].start..end].to_string()
    }

    fn in_sentence_of(&self, anchor: usize, i: usize) -> bool {
        let sentence = self.doc.tokens[anchor].sentence;
        self.doc
            .tokens
            .get(i)
            .is_some_and(|t| t.sentence == sentence)
    }

    /// A name ending just before the cue ("Marukyan said", "Azerbaijan's Ministry of
    /// Defence said"), with up to two words after a one-word name ("Armenia's foreign
    /// ministry said", "Armenian officials said").
    fn name_before(&self, first: usize) -> Option<String> {
        let i = (first.saturating_sub(SPEAKER_REACH)..first)
            .rev()
            .find(|&i| self.in_sentence_of(first, i) && self.name_like(i))?;
        let run = self.name_run(i);
        if self.is_sentence_initial_word(run.start, run.end) {
            return None;
        }
        let end = if run.len() == 1 && first - run.end <= 2 {
            first - 1
        } else {
            run.end - 1
        };
        Some(self.span_text(self.phrase_start(run.start), end))
    }

    /// The words after "according to", up to punctuation: "local officials", "the UN
    /// refugee agency" (leading function words dropped).
    fn phrase_after(&self, last: usize) -> Option<String> {
        let mut start = last + 1;
        while self.in_sentence_of(last, start)
            && self.adjacent(start - 1, start)
            && self.cues.not_names.contains(&self.doc.tokens[start].key)
        {
            start += 1;
        }
        if !self.in_sentence_of(last, start)
            || !self.adjacent(start - 1, start)
            || self.cue_kind(start) == Some(Cue::Relative)
        {
            // "Ըստ որում" (moreover) names nobody.
            return None;
        }
        if self.cue_kind(start) == Some(Cue::Source) {
            // "according to data released by MOTIE": the first name after the data.
            return (start + 1..start + PHRASE_WORDS)
                .take_while(|&j| self.in_sentence_of(last, j) && self.adjacent(j - 1, j))
                .find(|&j| self.name_like(j))
                .map(|j| {
                    // The name only: "UNHCR on Monday" stops before the weekday.
                    let mut end = j;
                    while self.in_sentence_of(j, end + 1) && self.adjacent(end, end + 1) {
                        if self.name_like(end + 1) {
                            end += 1;
                        } else if self.is_connector(end + 1)
                            && self.in_sentence_of(j, end + 2)
                            && self.adjacent(end + 1, end + 2)
                            && self.name_like(end + 2)
                        {
                            end += 2;
                        } else {
                            break;
                        }
                    }
                    self.span_text(j, end)
                });
        }
        let mut end = start;
        while end + 1 < start + PHRASE_WORDS
            && self.in_sentence_of(last, end + 1)
            && self.adjacent(end, end + 1)
        {
            end += 1;
        }
        // "ըստ ԿԸՀ-ի տվյալների": the phrase stops before the data it released.
        if let Some(source) = (start + 1..=end).find(|&j| self.cue_kind(j) == Some(Cue::Source)) {
            return Some(self.span_text(start, source - 1));
        }
        // A name that starts the phrase ends it: "according to UNHCR figures released",
        // but not a single adjective-like word before a noun: "the Armenian government".
        if self.name_like(start) {
            let run = self.name_run(start);
            let modifier = run.len() == 1
                && !self.written_in_capitals(start)
                && self.in_sentence_of(last, run.end)
                && self.adjacent(start, run.end)
                && !self.capitalised(run.end);
            if !modifier {
                end = end.min(run.end - 1);
            }
        }
        Some(self.span_text(start, end))
    }

    fn starts_sentence(&self, token: usize) -> bool {
        let t = &self.doc.tokens[token];
        let sentence_start = self.doc.sentences.get(t.sentence).map_or(0, |s| s.start);
        self.doc.text[sentence_start..t.start]
            .chars()
            .all(|c| !c.is_alphanumeric())
    }

    /// An acronym such as `UNHCR` or `ՄԱԿ-ը` (the ending aside): a name wherever it stands.
    fn written_in_capitals(&self, token: usize) -> bool {
        let t = &self.doc.tokens[token];
        let word = self.doc.text[t.start..t.end]
            .split(['-', '\'', '\u{2019}'])
            .next()
            .unwrap_or("");
        let letters = word.chars().filter(|c| c.is_alphabetic());
        letters.clone().count() >= 2 && letters.clone().all(char::is_uppercase)
    }

    /// A one-word run at a sentence start with no sign of being a name: a function
    /// word, or a word the document never capitalises elsewhere ("Officials", "Əslində").
    /// Inflected forms count as the same word when one key begins the other.
    pub(crate) fn is_sentence_initial_word(&self, start: usize, end: usize) -> bool {
        if end - start != 1 || !self.starts_sentence(start) {
            return false;
        }
        let key = &self.doc.tokens[start].key;
        if self.cues.not_names.contains(key) {
            return true;
        }
        if self.written_in_capitals(start) {
            return false;
        }
        let stem = |k: &str| k.chars().count() >= 4;
        !self.capitalised_inside.iter().any(|k| {
            (k.starts_with(key.as_str()) && stem(key))
                || (key.starts_with(k.as_str()) && stem(k))
                || k == key
        })
    }
}

/// Whether `written` is a hyphen (any dash) then `ending` in any case.
fn fold_ends_with(written: &str, ending: &str) -> bool {
    let mut chars = written.chars();
    matches!(chars.next(), Some('-' | '‐' | '‑'))
        && chars.flat_map(char::to_lowercase).eq(ending.chars())
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

/// Quotations left open at the end of their paragraph, from the opening mark to the
/// paragraph's end: news style runs a long quote over paragraphs and closes only the
/// last. Straight quotes are left out (one stray `"` would swallow the paragraph).
pub fn open_quote_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut prev = '\0';
    let flush = |stack: &mut Vec<(char, usize)>, spans: &mut Vec<Range<usize>>, end: usize| {
        spans.extend(
            stack
                .drain(..)
                .filter(|(close, _)| *close != '"')
                .map(|(_, open)| open..end),
        );
    };
    for (i, c) in text.char_indices() {
        if c == '\n' && prev == '\n' {
            flush(&mut stack, &mut spans, i - 1);
        }
        prev = c;
        if stack.last().is_some_and(|(close, _)| *close == c) {
            stack.pop();
            continue;
        }
        let close = match c {
            '“' => '”',
            '«' => '»',
            '„' => '“',
            '‹' => '›',
            '"' => '"',
            _ => continue,
        };
        stack.push((close, i));
    }
    flush(&mut stack, &mut spans, text.len());
    spans.sort_by_key(|r| (r.start, r.end));
    spans
}

/// Byte ranges from an opening to its closing quotation mark: “…”, «…», „…“, ‹…›,
/// "…" and nested pairs. Unclosed quotes end at the paragraph.
pub fn quote_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut prev = '\0';
    for (i, c) in text.char_indices() {
        if c == '\n' && prev == '\n' {
            stack.clear();
        }
        prev = c;
        if stack.last().is_some_and(|(close, _)| *close == c) {
            let (_, open) = stack.pop().expect("checked");
            spans.push(open..i + c.len_utf8());
            continue;
        }
        let close = match c {
            '“' => '”',
            '«' => '»',
            '„' => '“',
            '‹' => '›',
            '"' => '"',
            _ => continue,
        };
        stack.push((close, i));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_of_every_style_and_nesting() {
        let text = "He said “ethnic cleansing” and «զտում» and „Lüge“ and \"lies\" «a „b“ c»";
        let spans: Vec<&str> = quote_spans(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            spans,
            vec![
                "“ethnic cleansing”",
                "«զտում»",
                "„Lüge“",
                "\"lies\"",
                "„b“",
                "«a „b“ c»"
            ]
        );
    }

    /// (surface, speaker, negated, distanced) of each frame the bundled lexicons find.
    fn frames(text: &str) -> Vec<(String, Option<String>, bool, bool)> {
        crate::extract::extract_text(text)
            .into_of::<crate::extract::frames::FrameMention>()
            .into_iter()
            .map(|m| {
                let a = m.base.attribution;
                (m.base.surface, a.speaker, a.negated, a.distanced)
            })
            .collect()
    }

    fn flags(found: &[(String, Option<String>, bool, bool)], surface: &str) -> (bool, bool) {
        let f = found
            .iter()
            .find(|f| f.0 == surface)
            .unwrap_or_else(|| panic!("{surface} not in {found:?}"));
        (f.2, f.3)
    }

    #[test]
    fn english_denial_negates_but_dismissing_as_asserts() {
        let found = frames("The ministry denied ethnic cleansing in the region. Officials dismissed the promises as fabrications. The government rejected the report, alleging it to be propaganda.");
        assert_eq!(
            flags(&found, "ethnic cleansing"),
            (true, false),
            "{found:?}"
        );
        assert_eq!(flags(&found, "fabrications"), (false, false), "{found:?}");
        assert_eq!(flags(&found, "propaganda"), (false, false), "{found:?}");
    }

    #[test]
    fn english_distance_words_and_scare_quotes() {
        let found = frames("Residents fled the so-called separatists last week. The minister called the operation a “genocide” on Monday. Critics said “the ethnic cleansing of Armenians must be stopped by the world at once”.");
        assert_eq!(flags(&found, "separatists"), (false, true), "{found:?}");
        assert_eq!(flags(&found, "genocide"), (false, true), "{found:?}");
        // A quoted clause is speech, not distance.
        assert_eq!(
            flags(&found, "ethnic cleansing"),
            (false, false),
            "{found:?}"
        );
    }

    #[test]
    fn armenian_denial_and_distance() {
        let found = frames(
            "Ադրբեջանը հերքել է էթնիկ զտումը։ Լրագրողը գրել է այսպես կոչված ցեղասպանության մասին։",
        );
        assert_eq!(flags(&found, "էթնիկ զտումը"), (true, false), "{found:?}");
        assert_eq!(flags(&found, "ցեղասպանության"), (false, true), "{found:?}");
    }

    #[test]
    fn azerbaijani_denial_and_distance() {
        let found = frames("Nazirlik etnik təmizləmə iddialarını rədd edib. Jurnalist sözdə soyqırım haqqında yazıb.");
        assert_eq!(flags(&found, "etnik təmizləmə"), (true, false), "{found:?}");
        assert_eq!(flags(&found, "soyqırım"), (false, true), "{found:?}");
    }

    #[test]
    fn apposition_pronoun_and_relative_clause() {
        let found = frames("Edmon Marukyan, Armenia’s ambassador-at-large, said the exodus continues. He described it as an ethnic cleansing. A depot in Nagorno-Karabakh which claimed many lives burned.");
        let who = |s: &str| found.iter().find(|f| f.0 == s).and_then(|f| f.1.clone());
        assert_eq!(
            who("exodus").as_deref(),
            Some("Edmon Marukyan"),
            "{found:?}"
        );
        assert_eq!(
            who("ethnic cleansing").as_deref(),
            Some("Edmon Marukyan"),
            "{found:?}"
        );
        assert_eq!(who("Nagorno-Karabakh"), None, "{found:?}");
    }

    #[test]
    fn a_reporting_verb_in_the_passive_has_no_speaker() {
        let found = frames("For three decades, the region of Nagorno-Karabakh, acknowledged as Azerbaijani territory, was held by Armenians. Baku acknowledged the exodus.");
        let who = |s: &str| found.iter().find(|f| f.0 == s).and_then(|f| f.1.clone());
        assert_eq!(who("Nagorno-Karabakh"), None, "{found:?}");
        assert_eq!(who("exodus").as_deref(), Some("Baku"), "{found:?}");
    }

    #[test]
    fn an_agent_after_a_reporting_verb_leaves_the_verb_out() {
        let found = frames("Ցեղասպանությունը պետք է ճանաչվի, հայտնել է նախարարությունը։");
        let who = |s: &str| found.iter().find(|f| f.0 == s).and_then(|f| f.1.clone());
        assert_eq!(
            who("Ցեղասպանությունը").as_deref(),
            Some("նախարարություն"),
            "{found:?}"
        );
    }

    #[test]
    fn armenian_pro_drop_and_base_form() {
        let found = frames("ԱԳՆ խոսնակ Աննա Նաղդալյանը հայտարարել է, որ ցեղասպանությունը պետք է ճանաչվի։ Նշել է նաև, որ էթնիկ զտումը շարունակվում է։");
        let who = |s: &str| found.iter().find(|f| f.0 == s).and_then(|f| f.1.clone());
        assert_eq!(
            who("ցեղասպանությունը").as_deref(),
            Some("Աննա Նաղդալյան"),
            "{found:?}"
        );
        assert_eq!(
            who("էթնիկ զտումը").as_deref(),
            Some("Աննա Նաղդալյան"),
            "{found:?}"
        );
    }

    /// (surface, speaker) of every frame and figure of `text`.
    fn speakers(text: &str) -> Vec<(String, Option<String>)> {
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

    fn speaker_of(found: &[(String, Option<String>)], surface: &str) -> Option<String> {
        found
            .iter()
            .find(|f| f.0.contains(surface))
            .unwrap_or_else(|| panic!("{surface} not in {found:?}"))
            .1
            .clone()
    }

    #[test]
    fn armenian_quote_introduced_by_the_sentence_before() {
        // The Armenian full stop `․` ends the reporting sentence; "ըստ" inside the
        // quotation is the quoted speaker's source, not the speaker.
        let found = speakers("ԿԸՀ քարտուղար Արմեն Սմբատյանը ֆեյսբուքյան իր էջում գրել է․ «Ցեղասպանությունը պետք է ճանաչվի ամբողջ աշխարհում, և ըստ նախնական տվյալների այդպես էլ կլինի»։");
        assert_eq!(
            speaker_of(&found, "Ցեղասպանությունը").as_deref(),
            Some("Արմեն Սմբատյան"),
            "{found:?}"
        );
    }

    #[test]
    fn english_quote_going_on_after_its_attribution() {
        let found = speakers("“The ethnic cleansing must stop now,” Marukyan said on Monday. “The genocide of our people continues every day.”");
        assert_eq!(
            speaker_of(&found, "genocide").as_deref(),
            Some("Marukyan"),
            "{found:?}"
        );
    }

    #[test]
    fn source_nouns_credit_their_owner() {
        let en = speakers(
            "Casualties rose and 200 refugees fled, according to data released by UNHCR on Monday.",
        );
        assert_eq!(speaker_of(&en, "200").as_deref(), Some("UNHCR"), "{en:?}");
        let az = speakers(
            "Dövlət Statistika Komitəsinin hesabatına görə, 200 nəfər köçkün qeydə alınıb.",
        );
        assert_eq!(
            speaker_of(&az, "200").as_deref(),
            Some("Dövlət Statistika Komitəsi"),
            "{az:?}"
        );
    }

    #[test]
    fn armenian_genitive_pronoun_and_clause_final_subject() {
        let found = speakers("Արամայիս Աբովյանը հայտարարել է, որ գյուղում ապրում է 200 ընտանիք։ Նրա խոսքով, ցեղասպանությունը շարունակվում է։");
        assert_eq!(
            speaker_of(&found, "ցեղասպանությունը").as_deref(),
            Some("Արամայիս Աբովյան"),
            "{found:?}"
        );
        // The dative outlet is not the subject; the name closing the sentence is,
        // and the pro-drop "Նա պատմեց" after it is the same person.
        let found = speakers("Այս մասին NEWS.am-ին հայտնեց գյուղի բնակիչ, նախկին գյուղապետ Արամայիս Աբովյանը։ Նա պատմեց, որ ցեղասպանությունը շարունակվում է։");
        assert_eq!(
            speaker_of(&found, "ցեղասպանությունը").as_deref(),
            Some("Արամայիս Աբովյան"),
            "{found:?}"
        );
        let found = speakers(
            "Facebook-ի իր էջում գրել է Արտակ Մանուկյանը, որ ցեղասպանությունը շարունակվում է։",
        );
        assert_eq!(
            speaker_of(&found, "ցեղասպանությունը").as_deref(),
            Some("Արտակ Մանուկյան"),
            "{found:?}"
        );
    }

    #[test]
    fn a_title_alone_is_the_person_named_with_it_before() {
        let found = speakers("ԱԳՆ խոսնակ Աննա Նաղդալյանը հանդիպել է լրագրողների հետ։ ԱԳՆ խոսնակը ասել է, որ էթնիկ զտումը շարունակվում է։");
        assert_eq!(
            speaker_of(&found, "էթնիկ զտումը").as_deref(),
            Some("Աննա Նաղդալյան"),
            "{found:?}"
        );
    }

    #[test]
    fn relative_pronoun_after_according_is_never_a_speaker() {
        let found = speakers("Ըստ որում, ցեղասպանությունը ճանաչվել է 30 երկրում։");
        assert!(found.iter().all(|f| f.1.is_none()), "{found:?}");
    }

    #[test]
    fn a_name_before_an_agent_noun_belongs_to_the_phrase() {
        let found = speakers("Berrien County Health Department officials said two people died.");
        assert_eq!(
            speaker_of(&found, "two").as_deref(),
            Some("Berrien County Health Department officials"),
            "{found:?}"
        );
    }

    #[test]
    fn unclosed_quote_stops_at_paragraph() {
        let text = "«open\n\nnext «x»";
        let spans: Vec<&str> = quote_spans(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(spans, vec!["«x»"]);
    }
}
