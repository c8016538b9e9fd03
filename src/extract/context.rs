//! The context of a mention: inside quotation marks, attributed to a speaker, negated
//! or distanced. Cue words come from `lexicons/<lang>/cues.tsv`; the rules that use
//! them are positional and language-neutral, so a new language needs only cue words.

use std::collections::HashMap;
use std::ops::Range;

use super::terms::{Suffixes, TermMatcher, TermMatcherBuilder};
use crate::lexicon::{LexiconError, LexiconSet};
use crate::prepare::languages::Language;
use crate::prepare::normalize::fold;
use crate::prepare::Document;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// Reporting verbs: said, հայտնել է, bildirib.
    Say,
    /// Source follows: "according to X", ըստ X.
    According,
    /// Source precedes: X məlumatına görə, X-ի համաձայն.
    AccordingPostposed,
    /// so-called, alleged: distance the next words.
    Distance,
    /// denied, rejected: the sentence disputes what it reports.
    Deny,
}

const KINDS: [(&str, Cue); 5] = [
    ("say", Cue::Say),
    ("according", Cue::According),
    ("according_postposed", Cue::AccordingPostposed),
    ("distance", Cue::Distance),
    ("deny", Cue::Deny),
];

/// How many tokens before a mention a distance cue still applies to it.
const DISTANCE_REACH: usize = 3;
/// How far (in tokens) a speaker's name may stand from its reporting verb.
const SPEAKER_REACH: usize = 3;
/// The longest source phrase taken after "according to".
const PHRASE_WORDS: usize = 6;

/// Cue words of one language.
pub struct LanguageCues {
    matcher: TermMatcher,
    kinds: Vec<Cue>,
    /// Folded pronouns ("he", "նա", "o") that stand for the last named speaker.
    pronouns: Vec<String>,
    /// Folded lowercase words allowed inside a name ("of", "for").
    name_connectors: Vec<String>,
    /// Capitalised words that are never speakers: function words that start
    /// sentences, weekdays, months.
    not_names: Vec<String>,
}

impl LanguageCues {
    pub fn load(
        lexicons: &LexiconSet,
        language: &dyn Language,
        suffixes: Suffixes,
    ) -> Result<Self, LexiconError> {
        let code = language.code();
        let mut builder = TermMatcherBuilder::new(language, suffixes);
        let mut kinds = Vec::new();
        let mut pronouns = Vec::new();
        let mut not_names = Vec::new();
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
                _ => {}
            }
            let Some((_, cue)) = KINDS.iter().find(|(k, _)| *k == row.get(0)) else {
                return Err(row.error(format!(
                    "kind `{}` is not one of say, according, according_postposed, distance, deny, pronoun, not_name",
                    row.get(0)
                )));
            };
            builder.add(row.get(1), kinds.len());
            kinds.push(*cue);
        }
        let name_connectors = lexicons
            .tsv(&format!("{code}/entity_cues.tsv"), &["kind", "form"], 2)?
            .into_iter()
            .filter(|r| r.get(0) == "lower_in_name")
            .map(|r| fold(language, r.get(1)))
            .collect();
        Ok(LanguageCues {
            matcher: builder.build(),
            kinds,
            pronouns,
            name_connectors,
            not_names,
        })
    }
}

/// Everything about one document the context rules need, computed once.
pub struct DocContext<'a> {
    doc: &'a Document,
    cues: &'a LanguageCues,
    quotes: Vec<Range<usize>>,
    /// Per sentence: the speaker its reporting cues point to.
    speakers: Vec<Option<String>>,
    /// Token indices (last token) of distance cues.
    distance_ends: Vec<usize>,
    /// Sentences with a denial cue.
    denied: Vec<bool>,
    /// Keys of words written capitalised somewhere other than at a sentence start:
    /// the evidence that a sentence-initial capitalised word is a name.
    capitalised_inside: Vec<String>,
}

impl<'a> DocContext<'a> {
    pub fn new(doc: &'a Document, cues: &'a LanguageCues) -> Self {
        let mut by_sentence: HashMap<usize, Vec<(Cue, usize, usize)>> = HashMap::new();
        let mut distance_ends = Vec::new();
        let mut denied = vec![false; doc.sentences.len()];
        for m in cues.matcher.find(&doc.tokens, &doc.text) {
            let cue = cues.kinds[m.payload];
            let sentence = doc.tokens[m.first].sentence;
            match cue {
                Cue::Distance => distance_ends.push(m.last),
                Cue::Deny => {
                    if let Some(d) = denied.get_mut(sentence) {
                        *d = true;
                    }
                    by_sentence
                        .entry(sentence)
                        .or_default()
                        .push((Cue::Say, m.first, m.last));
                }
                _ => by_sentence
                    .entry(sentence)
                    .or_default()
                    .push((cue, m.first, m.last)),
            }
        }
        let mut ctx = DocContext {
            doc,
            cues,
            quotes: quote_spans(&doc.text),
            speakers: vec![None; doc.sentences.len()],
            distance_ends,
            denied,
            capitalised_inside: Vec::new(),
        };
        ctx.capitalised_inside = (0..doc.tokens.len())
            .filter(|&i| ctx.capitalised(i) && !ctx.starts_sentence(i))
            .map(|i| doc.tokens[i].key.clone())
            .collect();
        let mut last_named: Option<String> = None;
        for sentence in 0..doc.sentences.len() {
            let found = by_sentence.get(&sentence).and_then(|cues| {
                cues.iter()
                    .find_map(|&(cue, first, last)| ctx.speaker(cue, first, last))
            });
            let speaker = match found {
                Some(s) if ctx.is_pronoun(&s) => last_named.clone(),
                Some(s) => {
                    last_named = Some(s.clone());
                    Some(s)
                }
                None => None,
            };
            ctx.speakers[sentence] = speaker;
        }
        ctx
    }

    /// Whether bytes `start..end` lie inside quotation marks.
    pub fn quoted(&self, start: usize, end: usize) -> bool {
        self.quotes.iter().any(|q| q.start <= start && end <= q.end)
    }

    pub fn attributed_to(&self, sentence: usize) -> Option<String> {
        self.speakers.get(sentence).cloned().flatten()
    }

    /// Negated or distanced: a distance cue just before the first token, or a denial
    /// anywhere in the sentence.
    pub fn negated(&self, first_token: usize) -> bool {
        let sentence = self.doc.tokens[first_token].sentence;
        self.denied.get(sentence).copied().unwrap_or(false)
            || self.distance_ends.iter().any(|&end| {
                end < first_token
                    && first_token - end <= DISTANCE_REACH
                    && self.doc.tokens[end].sentence == sentence
            })
    }

    fn is_pronoun(&self, speaker: &str) -> bool {
        let language_free = speaker.to_lowercase();
        self.cues.pronouns.contains(&language_free)
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
        ta.sentence == tb.sentence
            && self.doc.text[ta.end..tb.start]
                .chars()
                .all(|c| c.is_whitespace() || c == '(' || c == ')')
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

    /// The speaker a cue points to: a name ending just before it ("Marukyan said",
    /// "Armenia's foreign ministry said"), else one just after it ("said Marukyan",
    /// "according to the UNHCR", "— ասել է Փաշինյանը"), else the sentence's first name,
    /// the subject of verb-final Armenian and Azerbaijani sentences.
    fn speaker(&self, cue: Cue, first: usize, last: usize) -> Option<String> {
        match cue {
            Cue::According => self.phrase_after(last).or_else(|| self.name_before(first)),
            Cue::AccordingPostposed => self.name_before(first).or_else(|| self.phrase_after(last)),
            _ => self
                .name_before(first)
                .or_else(|| self.name_after(last))
                .or_else(|| self.subject_of_final_verb(first, last)),
        }
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

    /// A name just after the cue, with at most function words between: "said
    /// Marukyan", "said the UNHCR", "— ասել է Փաշինյանը"; not "say illegal Armenian
    /// armed formations".
    fn name_after(&self, last: usize) -> Option<String> {
        let i = (last + 1..last + 1 + SPEAKER_REACH)
            .take_while(|&i| {
                self.in_sentence_of(last, i)
                    && (self.name_like(i) || self.cues.not_names.contains(&self.doc.tokens[i].key))
            })
            .find(|&i| self.name_like(i))?;
        let run = self.name_run(i);
        Some(self.span_text(run.start, run.end - 1))
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
        if !self.in_sentence_of(last, start) || !self.adjacent(start - 1, start) {
            return None;
        }
        let mut end = start;
        while end + 1 < start + PHRASE_WORDS
            && self.in_sentence_of(last, end + 1)
            && self.adjacent(end, end + 1)
        {
            end += 1;
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

    /// A reporting verb that ends its sentence, as in verb-final Armenian and
    /// Azerbaijani, has its subject at the start: the sentence's first name.
    fn subject_of_final_verb(&self, first: usize, last: usize) -> Option<String> {
        if self.in_sentence_of(last, last + 1) {
            return None;
        }
        let sentence = self.doc.tokens[first].sentence;
        let start = self
            .doc
            .tokens
            .iter()
            .position(|t| t.sentence == sentence)?;
        let name = (start..first)
            .find(|&i| self.name_like(i) && !self.is_sentence_initial_word(i, i + 1))?;
        let run = self.name_run(name);
        Some(self.span_text(run.start, run.end.min(first) - 1))
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

    #[test]
    fn unclosed_quote_stops_at_paragraph() {
        let text = "«open\n\nnext «x»";
        let spans: Vec<&str> = quote_spans(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(spans, vec!["«x»"]);
    }
}
