//! The per-language figure matchers, and the scan over one document's tokens that
//! reads each figure: number, range, qualifiers, counted noun, category.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::digits::{self, DigitToken, Marks};
use super::lexicon::FigureLexicon;
use super::words::{compose, Element, Kind};
use super::Bound;
use crate::extract::terms::{Suffixes, TermMatch, TermMatcher, TermMatcherBuilder, WordHits};
use crate::extract::LanguageData;
use crate::lexicon::{LexiconError, LexiconSet};
use crate::prepare::normalize::{fold, form_keys};
use crate::prepare::{Document, Token};

struct NumberInfo {
    element: Element,
    /// Key of the form's last word: a token that does not end with it is inflected.
    last_key: String,
    needs_unit: bool,
    /// Also a pronoun (`one`): takes only a lexicon unit, never any following word.
    pronoun: bool,
}

struct AfterForm {
    words: Vec<String>,
    bound: Bound,
}

/// Currency and percent signs are matched in the raw text next to the digits.
fn is_symbol_form(form: &str) -> bool {
    form.chars().any(|c| {
        matches!(c, '%' | '$' | '£' | '¥' | '֏' | '~' | '+' | '°' | '℃' | '/')
            || ('\u{20A0}'..='\u{20CF}').contains(&c)
    })
}

pub struct LanguageFigures {
    pub code: &'static str,
    numbers: TermMatcher,
    number_info: Vec<NumberInfo>,
    before: TermMatcher,
    before_bounds: Vec<Bound>,
    before_symbols: Vec<(String, Bound)>,
    after: Vec<AfterForm>,
    after_symbols: Vec<(String, Bound)>,
    units: TermMatcher,
    unit_categories: Vec<Arc<str>>,
    unit_codes: Vec<Option<Arc<str>>>,
    unit_symbols: Vec<(String, Arc<str>, Option<Arc<str>>)>,
    cues: TermMatcher,
    cue_categories: Vec<Arc<str>>,
    marks: Marks,
    links: Vec<String>,
    range_words: Vec<String>,
    list_words: Vec<String>,
    range_suffixes: Vec<String>,
    ordinal_suffixes: Vec<String>,
    not_before: Vec<Vec<String>>,
    not_after: Vec<Vec<String>>,
    not_noun: Vec<String>,
    count_suffixes: Vec<String>,
    count_subjects: TermMatcher,
    modifiers: Vec<String>,
    predicates: Vec<String>,
    /// One-word unit forms by folded form, for units glued to the digits (`5կգ`,
    /// `3-8մ/վ`, `11-մետրանոց`).
    glued_units: HashMap<String, usize>,
    unit_suffixes: Vec<String>,
    suffixes: Suffixes,
    date: Arc<str>,
    other: Arc<str>,
    temperature: Arc<str>,
}

impl LanguageFigures {
    pub fn load(lexicons: &LexiconSet, data: &LanguageData) -> Result<Self, LexiconError> {
        let language = &*data.language;
        let code = language.code();
        let lexicon = FigureLexicon::load(lexicons, code)?;
        let keys = |form: &str| form_keys(language, form);
        let folded = |kind: &str| -> Vec<String> {
            lexicon.syntax(kind).map(|f| fold(language, f)).collect()
        };
        let phrases = |kind: &str| -> Vec<Vec<String>> { lexicon.syntax(kind).map(keys).collect() };
        let needs_unit = folded("needs_unit");
        let pronouns = folded("pronoun_number");

        let mut numbers = TermMatcherBuilder::new(language, data.suffixes.clone());
        let mut number_info = Vec::new();
        let mut add_number = |form: &str, kind: Kind, value: f64| {
            let words = keys(&form.replace('-', " "));
            let Some(last_key) = words.last().cloned() else {
                return;
            };
            numbers.add(form, number_info.len());
            number_info.push(NumberInfo {
                element: Element {
                    kind,
                    value,
                    phrase: words.len() > 1,
                },
                last_key,
                needs_unit: needs_unit.contains(&fold(language, form)),
                pronoun: pronouns.contains(&fold(language, form)),
            });
        };
        let kind_of = |name: &str| Kind::parse(name).expect("validated by FigureLexicon");
        for n in &lexicon.numbers {
            add_number(&n.form, kind_of(&n.kind), n.value);
        }
        // Tens joined to units by a hyphen are one token (twenty-five).
        for ten in lexicon.numbers.iter().filter(|n| n.kind == "ten") {
            for unit in lexicon
                .numbers
                .iter()
                .filter(|n| n.kind == "unit" && n.value >= 1.0)
            {
                let form = format!("{}-{}", ten.form, unit.form);
                add_number(&form, Kind::Teen, ten.value + unit.value);
            }
        }

        let mut before = TermMatcherBuilder::new(language, data.suffixes.clone());
        let (mut before_bounds, mut before_symbols) = (Vec::new(), Vec::new());
        let (mut after, mut after_symbols) = (Vec::new(), Vec::new());
        for q in &lexicon.qualifiers {
            let bound = Bound::parse(&q.bound).expect("validated by FigureLexicon");
            match (q.position == "before", is_symbol_form(&q.form)) {
                (true, true) => before_symbols.push((q.form.clone(), bound)),
                (false, true) => after_symbols.push((q.form.clone(), bound)),
                (true, false) => {
                    before.add(&q.form, before_bounds.len());
                    before_bounds.push(bound);
                }
                (false, false) => after.push(AfterForm {
                    words: keys(&q.form),
                    bound,
                }),
            }
        }

        let mut units = TermMatcherBuilder::new(language, data.suffixes.clone());
        let mut glued_units = HashMap::new();
        let (mut unit_categories, mut unit_codes, mut unit_symbols) =
            (Vec::new(), Vec::new(), Vec::new());
        let mut interned: HashMap<String, Arc<str>> = HashMap::new();
        let mut intern = |c: &str| {
            Arc::clone(
                interned
                    .entry(c.to_string())
                    .or_insert_with(|| Arc::from(c)),
            )
        };
        for u in &lexicon.units {
            let category = intern(&u.category);
            let code = u.unit.as_deref().map(&mut intern);
            if is_symbol_form(&u.form) {
                unit_symbols.push((u.form.clone(), category, code));
            } else {
                if !u.form.contains(' ') && &*category != DATE {
                    glued_units.insert(fold(language, &u.form), unit_categories.len());
                }
                units.add(&u.form, unit_categories.len());
                unit_categories.push(category);
                unit_codes.push(code);
            }
        }
        // Longer signs first, so `US$` is not read as `$`.
        unit_symbols.sort_by_key(|(form, _, _)| std::cmp::Reverse(form.len()));
        let mut count_subjects = TermMatcherBuilder::new(language, data.suffixes.clone());
        for (k, form) in lexicon.syntax("count_subject").enumerate() {
            count_subjects.add(form, k);
        }
        let mut cues = TermMatcherBuilder::new(language, data.suffixes.clone());
        let mut cue_categories = Vec::new();
        for c in &lexicon.cues {
            cues.add(&c.form, cue_categories.len());
            cue_categories.push(intern(&c.category));
        }
        let mark = |kind: &str, default: char| {
            lexicon
                .syntax(kind)
                .next()
                .and_then(|m| m.chars().next())
                .unwrap_or(default)
        };
        Ok(LanguageFigures {
            code,
            numbers: numbers.build(),
            number_info,
            before: before.build(),
            before_bounds,
            before_symbols,
            after,
            after_symbols,
            units: units.build(),
            unit_categories,
            unit_codes,
            unit_symbols,
            cues: cues.build(),
            cue_categories,
            marks: Marks {
                decimal: mark("decimal_mark", '.'),
                group: mark("group_mark", ','),
            },
            links: folded("link"),
            range_words: folded("range"),
            list_words: folded("list"),
            range_suffixes: folded("range_suffix"),
            ordinal_suffixes: folded("ordinal_suffix"),
            not_before: phrases("not_before"),
            not_after: phrases("not_after"),
            not_noun: folded("not_noun"),
            count_suffixes: folded("count_suffix"),
            count_subjects: count_subjects.build(),
            modifiers: folded("modifier"),
            predicates: folded("count_predicate"),
            glued_units,
            unit_suffixes: folded("unit_suffix"),
            suffixes: data.suffixes.clone(),
            date: intern(DATE),
            other: intern("other"),
            temperature: intern("temperature"),
        })
    }
}

impl LanguageFigures {
    /// Its term matchers, to share one vocabulary with the other extractors.
    pub fn term_matchers(&mut self) -> Vec<(&'static str, &mut TermMatcher)> {
        let code = self.code;
        [
            &mut self.numbers,
            &mut self.before,
            &mut self.units,
            &mut self.cues,
            &mut self.count_subjects,
        ]
        .into_iter()
        .map(|m| (code, m))
        .collect()
    }
}

/// A number as read from the tokens, before qualifiers and units.
#[derive(Debug, Clone)]
pub struct Number {
    pub first: usize,
    pub last: usize,
    pub lower: f64,
    pub upper: Option<f64>,
    pub vague: bool,
    pub range: bool,
    digits: bool,
    year_like: bool,
    day_like: bool,
    /// The last token carries an ending (`100-dən`, `հազարից`); a number with an
    /// unexplained ending takes no counted noun after it.
    inflected: bool,
    /// The folded ending of the last token.
    ending: String,
    /// Words only and too ambiguous to count without a unit or qualifier
    /// (`one`, `on`, a bare `thousand`, `half`).
    weak: bool,
    needs_unit: bool,
    /// A word that is also a pronoun (`one`): only a lexicon unit makes it a count.
    pronoun: bool,
    /// Bytes of a sign glued before the first token (`+2+4`, `-3+2`).
    sign: usize,
    /// A glued signed pair: a forecast's temperature range.
    signed: bool,
    /// The scale word that ends the number (1 when none).
    scale: f64,
}

#[derive(Debug, Clone, Copy)]
pub struct Qualifier {
    pub bound: Bound,
    pub start: usize,
    pub end: usize,
}

/// A figure found in a document; byte offsets.
#[derive(Debug, Clone)]
pub struct Found {
    pub number: Number,
    pub start: usize,
    pub end: usize,
    pub qualifier: Option<Qualifier>,
    pub unit: Option<Range<usize>>,
    /// The unit's normalised code from units.tsv (ISO 4217 for money).
    pub unit_code: Option<Arc<str>>,
    pub category: Arc<str>,
}

impl Found {
    /// Lower and upper bounds after the qualifier: `over 100` has no upper bound,
    /// `more than a few hundred` keeps the vague range's upper one.
    pub fn bounds(&self) -> (Option<f64>, Option<f64>) {
        let n = &self.number;
        let spread = n.vague || n.range;
        match self.qualifier.map(|q| q.bound) {
            Some(Bound::LowerExclusive | Bound::Lower) => {
                (Some(n.lower), if spread { n.upper } else { None })
            }
            Some(Bound::Upper | Bound::UpperExclusive) => (
                if spread { Some(n.lower) } else { None },
                n.upper.or(Some(n.lower)),
            ),
            _ => (Some(n.lower), n.upper),
        }
    }

    pub fn value(&self) -> f64 {
        match (self.number.range, self.number.upper) {
            (true, Some(upper)) => (self.number.lower + upper) / 2.0,
            _ => self.number.lower,
        }
    }
}

enum Scan {
    NotNumber,
    Skip(usize),
    Number(Number),
}

impl Scan {
    fn map_number(self, f: impl FnOnce(Number) -> Number) -> Scan {
        match self {
            Scan::Number(n) => Scan::Number(f(n)),
            other => other,
        }
    }
}

struct WordElement {
    element: Element,
    last: usize,
    inflected: bool,
    ending: String,
    needs_unit: bool,
    pronoun: bool,
}

/// One document's tokens with the figure matchers' hits.
pub struct Scanner<'a> {
    lang: &'a LanguageFigures,
    doc: &'a Document,
    tokens: &'a [Token],
    /// Number word matches by first token: (payload, last token).
    word_at: Vec<Option<(usize, usize)>>,
    units_by_first: HashMap<usize, (usize, usize)>,
    units_by_last: HashMap<usize, (usize, usize)>,
    before_by_last: HashMap<usize, (usize, usize)>,
    cues: Vec<TermMatch>,
    /// Last tokens of `the number of`, `death toll`, `թիվը`, `sayı`.
    subjects: Vec<usize>,
}

/// A unit found next to a number: its byte range, category and normalised unit.
type UnitHit = (Range<usize>, Arc<str>, Option<Arc<str>>);
/// A run of counted nouns: its byte range, last token, category and unit.
type UnitRun = (Range<usize>, usize, Arc<str>, Option<Arc<str>>);

const PEOPLE: &str = "people";
const DATE: &str = "date";
/// How far (in tokens) a cue word may stand from a number that has no counted noun.
const BARE_CUE_REACH: usize = 4;
/// Added to a cue's distance when a comma or semicolon stands between.
const CLAUSE_PENALTY: usize = 50;

fn starts_with_digit(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_digit())
}

impl<'a> Scanner<'a> {
    /// `None` when the document has no digits and no number words.
    pub fn new(lang: &'a LanguageFigures, doc: &'a Document, hits: &WordHits) -> Option<Self> {
        let tokens = &doc.tokens[..];
        let words = lang.numbers.find_in(tokens, &doc.text, hits);
        let has_number = tokens
            .iter()
            .any(|t| starts_with_digit(&doc.text[t.start..t.end]))
            || words
                .iter()
                .any(|m| lang.number_info[m.payload].element.kind != Kind::Connector);
        if !has_number {
            return None;
        }
        let mut word_at = vec![None; tokens.len()];
        for m in &words {
            word_at[m.first] = Some((m.payload, m.last));
        }
        let units = lang.units.find_in(tokens, &doc.text, hits);
        Some(Scanner {
            lang,
            doc,
            tokens,
            word_at,
            units_by_first: units
                .iter()
                .map(|m| (m.first, (m.last, m.payload)))
                .collect(),
            units_by_last: units
                .iter()
                .map(|m| (m.last, (m.first, m.payload)))
                .collect(),
            before_by_last: lang
                .before
                .find_in(tokens, &doc.text, hits)
                .iter()
                .map(|m| (m.last, (m.first, m.payload)))
                .collect(),
            cues: lang.cues.find_in(tokens, &doc.text, hits),
            subjects: lang
                .count_subjects
                .find_in(tokens, &doc.text, hits)
                .iter()
                .map(|m| m.last)
                .collect(),
        })
    }

    pub fn figures(&self) -> Vec<Found> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.tokens.len() {
            match self.number_at(i) {
                Scan::NotNumber => i += 1,
                Scan::Skip(next) => i = next.max(i + 1),
                Scan::Number(mut number) => {
                    self.extend_range(&mut number);
                    i = number.last + 1;
                    let after_date = out.last().is_some_and(|f: &Found| {
                        &*f.category == DATE && self.listed_after(f.number.last, number.first)
                    });
                    if let Some(found) = self.read(number, after_date) {
                        out.push(found);
                    }
                }
            }
        }
        out
    }

    fn text(&self, i: usize) -> &'a str {
        &self.doc.text[self.tokens[i].start..self.tokens[i].end]
    }

    fn gap(&self, a: usize, b: usize) -> &'a str {
        &self.doc.text[self.tokens[a].end..self.tokens[b].start]
    }

    /// Tokens `a` and `b` follow each other in one sentence with only spaces or a
    /// hyphen between.
    fn joined(&self, a: usize, b: usize) -> bool {
        b < self.tokens.len()
            && self.tokens[a].sentence == self.tokens[b].sentence
            && self
                .gap(a, b)
                .chars()
                .all(|c| c.is_whitespace() || c == '-')
    }

    fn key_is(&self, i: usize, word: &str) -> bool {
        let key = &self.tokens[i].key;
        key.starts_with(word) && self.lang.suffixes.is_chain(&key[word.len()..])
    }

    /// The last token of `words` read from token `from` on, when they all match.
    fn phrase_from(&self, from: usize, words: &[String]) -> Option<usize> {
        let mut prev: Option<usize> = None;
        for (k, word) in words.iter().enumerate() {
            let i = from + k;
            if i >= self.tokens.len()
                || prev.is_some_and(|p| !self.joined(p, i))
                || !self.key_is(i, word)
            {
                return None;
            }
            prev = Some(i);
        }
        prev
    }

    fn is_digit_token(&self, i: usize) -> bool {
        starts_with_digit(self.text(i))
    }

    fn ending_key(&self, i: usize) -> &'a str {
        self.tokens[i]
            .key
            .trim_start_matches(digits::is_number_char)
    }

    fn is_ordinal_ending(&self, ending: &str) -> bool {
        self.lang.ordinal_suffixes.iter().any(|s| {
            ending
                .strip_prefix(s.as_str())
                .is_some_and(|rest| self.lang.suffixes.is_chain(rest))
        })
    }

    /// Clock times, slashed dates, phone and reference numbers: digits glued to
    /// `:`, `/`, `+`, `#` or `№`.
    fn glued_to_marks(&self, first: usize, last: usize) -> bool {
        let before = self.doc.text[..self.tokens[first].start]
            .chars()
            .next_back();
        let mut after = self.doc.text[self.tokens[last].end..].chars();
        matches!(before, Some('+' | '#' | '№' | '/' | ':'))
            || (matches!(after.next(), Some(':' | '/'))
                && after.next().is_some_and(|c| c.is_ascii_digit()))
    }

    fn number_at(&self, i: usize) -> Scan {
        if let Some(token) = digits::split(self.text(i)) {
            return self.digits_at(i, token);
        }
        if self.word_at[i].is_none() {
            return Scan::NotNumber;
        }
        let elements = self.word_elements(i);
        let list: Vec<Element> = elements.iter().map(|e| e.element).collect();
        let Some(c) = compose(None, &list) else {
            return Scan::NotNumber;
        };
        let last = &elements[c.used - 1];
        if c.ordinal {
            return Scan::Skip(last.last + 1);
        }
        Scan::Number(Number {
            first: i,
            last: last.last,
            lower: c.lower,
            upper: c.upper,
            vague: c.vague,
            range: false,
            digits: false,
            year_like: false,
            day_like: false,
            inflected: last.inflected,
            ending: last.ending.clone(),
            weak: !c.vague && (c.lower < 100.0 || c.bare_scale),
            // A word that needs a unit alone may still start a composed number
            // (`few` / `a sparse few hundred`).
            needs_unit: c.used == 1 && elements[0].needs_unit,
            pronoun: c.used == 1 && elements[0].pronoun,
            sign: 0,
            signed: false,
            scale: c.scale,
        })
    }

    /// Number words that follow each other from token `i`; an inflected word ends
    /// the run.
    fn word_elements(&self, i: usize) -> Vec<WordElement> {
        let mut out: Vec<WordElement> = Vec::new();
        let mut k = i;
        while let Some(Some((payload, last))) = self.word_at.get(k) {
            if let Some(prev) = out.last() {
                if !self.joined(prev.last, k) {
                    break;
                }
            }
            let info = &self.lang.number_info[*payload];
            let key = &self.tokens[*last].key;
            let inflected = !key.ends_with(info.last_key.as_str());
            let ending = key
                .strip_prefix(info.last_key.as_str())
                .unwrap_or("")
                .to_string();
            out.push(WordElement {
                element: info.element,
                last: *last,
                inflected,
                ending,
                needs_unit: info.needs_unit,
                pronoun: info.pronoun,
            });
            if inflected {
                break;
            }
            k = last + 1;
        }
        out
    }

    /// A following token of exactly three digits after one space (`100 000`).
    fn space_group(&self, last: usize) -> Option<(usize, DigitToken<'a>)> {
        let next = last + 1;
        if next >= self.tokens.len() || self.tokens[next].sentence != self.tokens[last].sentence {
            return None;
        }
        let mut gap = self.gap(last, next).chars();
        let one_space = matches!(gap.next(), Some(' ' | '\u{a0}' | '\u{2009}' | '\u{202f}'))
            && gap.next().is_none();
        let token = digits::split(self.text(next))?;
        (one_space
            && token.number.len() == 3
            && token.number.bytes().all(|b| b.is_ascii_digit())
            && token.range_end.is_none())
        .then_some((next, token))
    }

    /// A glued signed pair (`+2+4`, `-3+2`, `-2-5`, `0+5`): a forecast's temperature
    /// range, which phone numbers (long digit runs) never look like.
    fn signed_pair(&self, i: usize, token: &DigitToken<'a>) -> Option<Number> {
        const MAX_DEGREES: f64 = 60.0;
        let start = self.tokens[i].start;
        let mut before = self.doc.text[..start].chars().rev();
        let (sign, ahead) = (before.next(), before.next());
        let is_sign = |c: char| matches!(c, '+' | '-' | '−');
        let lead = match sign {
            Some(c) if is_sign(c) && !ahead.is_some_and(char::is_alphanumeric) => Some(c),
            _ => None,
        };
        let plain =
            |t: &str| !t.is_empty() && t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit());
        if !plain(token.number) || !token.ending.is_empty() {
            return None;
        }
        let first: f64 = token.number.parse().ok()?;
        let value = |sign: Option<char>, v: f64| {
            if sign == Some('+') || sign.is_none() {
                v
            } else {
                -v
            }
        };
        let (second, last) = if let Some(end) = token.range_end {
            // `2-5` is one token: its hyphen is the second number's sign.
            (plain(end).then(|| -end.parse::<f64>().unwrap_or(0.0))?, i)
        } else {
            let end = self.tokens[i].end;
            let mut after = self.doc.text[end..].chars();
            let mark = after.next().filter(|&c| is_sign(c))?;
            let next = i + 1;
            if next >= self.tokens.len() || self.tokens[next].start != end + mark.len_utf8() {
                return None;
            }
            let t = digits::split(self.text(next))?;
            if !plain(t.number) || t.range_end.is_some() || !t.ending.is_empty() {
                return None;
            }
            (value(Some(mark), t.number.parse().ok()?), next)
        };
        let zero_first = lead.is_none() && token.number == "0" && second > 0.0;
        if lead.is_none() && !zero_first {
            return None;
        }
        let first = value(lead, first);
        if first.abs() > MAX_DEGREES || second.abs() > MAX_DEGREES || first == second {
            return None;
        }
        Some(Number {
            first: i,
            last,
            lower: first.min(second),
            upper: Some(first.max(second)),
            vague: false,
            range: true,
            digits: true,
            year_like: false,
            day_like: false,
            inflected: false,
            ending: String::new(),
            weak: false,
            needs_unit: false,
            pronoun: false,
            sign: lead.map_or(0, char::len_utf8),
            signed: true,
            scale: 1.0,
        })
    }

    /// Digits after a number that ends in a scale word add to it when smaller than
    /// that scale: `9 հազար 500 դոլար`, `1 մլրդ 576 մլն`.
    fn compound(&self, mut n: Number) -> Number {
        if n.range || n.inflected || n.scale <= 1.0 {
            return n;
        }
        let next = n.last + 1;
        if !self.joined(n.last, next) || self.gap(n.last, next).contains('-') {
            return n;
        }
        let Some(token) = digits::split(self.text(next)) else {
            return n;
        };
        if let Scan::Number(m) = self.digits_at(next, token) {
            if !m.range && m.lower >= 1.0 && m.lower < n.scale && !m.year_like {
                n = Number {
                    lower: n.lower + m.lower,
                    upper: m.upper.map(|u| n.lower + u),
                    first: n.first,
                    year_like: false,
                    day_like: false,
                    ..m
                };
            }
        }
        n
    }

    fn digits_at(&self, i: usize, token: DigitToken<'a>) -> Scan {
        if let Some(pair) = self.signed_pair(i, &token) {
            return Scan::Number(pair);
        }
        if self.is_ordinal_ending(self.ending_key(i)) {
            return Scan::Skip(i + 1);
        }
        // U+2024 ONE DOT LEADER stands for a full stop in Armenian digits (7․93).
        let mut number = token.number.replace('\u{2024}', ".");
        let (mut last, mut last_token) = (i, token.clone());
        let mut spaced = false;
        if token.range_end.is_none()
            && token.ending.is_empty()
            && token.number.len() <= 3
            && token.number.bytes().all(|b| b.is_ascii_digit())
        {
            while let Some((next, group)) = self.space_group(last) {
                number.push_str(&group.number.replace('\u{2024}', "."));
                (last, last_token, spaced) = (next, group, true);
                if !last_token.ending.is_empty() {
                    break;
                }
            }
        }
        if self.glued_to_marks(i, last) {
            return Scan::Skip(last + 1);
        }
        let ending = self.ending_key(last).to_string();
        let elements = if ending.is_empty() && self.joined(last, last + 1) {
            self.word_elements(last + 1)
        } else {
            Vec::new()
        };
        let list: Vec<Element> = elements.iter().map(|e| e.element).collect();
        let scale_follows = list.first().is_some_and(|e| e.kind == Kind::Scale);
        let Some(parsed) = digits::parse(&number, self.lang.marks, scale_follows) else {
            return Scan::Skip(last + 1);
        };
        let Some(c) = compose(Some(parsed.value), &list) else {
            return Scan::Skip(last + 1);
        };
        let mut upper = c.upper;
        if let Some(end) = last_token.range_end {
            let end = digits::parse(end, self.lang.marks, scale_follows)
                .and_then(|p| compose(Some(p.value), &list[..c.used]));
            match end {
                Some(end) if end.lower > c.lower => upper = Some(end.lower),
                _ => return Scan::Skip(last + 1),
            }
        }
        let used = elements[..c.used].last();
        let integer = parsed.value.fract() == 0.0;
        let plain = !parsed.grouped && !spaced && c.used == 0 && last_token.range_end.is_none();
        Scan::Number(Number {
            first: i,
            last: used.map_or(last, |e| e.last),
            lower: c.lower,
            upper,
            vague: false,
            range: last_token.range_end.is_some(),
            digits: true,
            year_like: plain
                && integer
                && number.len() == 4
                && (1800.0..=2100.0).contains(&parsed.value),
            day_like: plain && integer && (1.0..=31.0).contains(&parsed.value),
            inflected: used.map_or(!ending.is_empty(), |e| e.inflected),
            ending: used.map_or(ending, |e| e.ending.clone()),
            weak: false,
            needs_unit: false,
            pronoun: false,
            sign: 0,
            signed: false,
            scale: c.scale,
        })
        .map_number(|n| self.compound(n))
    }

    /// Joins a second number into a range: `150 – 200`, `150 to 200`,
    /// `150-dən 200-ə`, `150-ից մինչև 200`.
    fn extend_range(&self, a: &mut Number) {
        if a.vague || a.range {
            return;
        }
        let next = a.last + 1;
        if next >= self.tokens.len() || self.tokens[next].sentence != self.tokens[a.last].sentence {
            return;
        }
        let is_range_word =
            |i: usize| i < self.tokens.len() && self.lang.range_words.contains(&self.tokens[i].key);
        let gap = self.gap(a.last, next).trim();
        let start = if matches!(gap, "-" | "–" | "—") {
            next
        } else if !self.joined(a.last, next) {
            return;
        } else if is_range_word(next) {
            next + 1
        } else if self
            .lang
            .range_suffixes
            .iter()
            .any(|s| a.ending.starts_with(s.as_str()))
        {
            next
        } else {
            return;
        };
        if start >= self.tokens.len() || (start > next && !self.joined(next, start)) {
            return;
        }
        let Scan::Number(b) = self.number_at(start) else {
            return;
        };
        if b.vague || b.range {
            return;
        }
        let mut lower = a.lower;
        if a.scale == 1.0 && b.scale > 1.0 && lower < b.lower / b.scale {
            lower *= b.scale;
        }
        if b.lower <= lower {
            return;
        }
        *a = Number {
            lower,
            upper: Some(b.upper.unwrap_or(b.lower)),
            range: true,
            year_like: a.year_like && b.year_like,
            day_like: false,
            weak: a.weak && b.weak,
            first: a.first,
            ..b
        };
    }

    fn qualifier_before(&self, first: usize) -> Option<Qualifier> {
        let start = self.tokens[first].start;
        let from = first
            .checked_sub(1)
            .filter(|&p| self.tokens[p].sentence == self.tokens[first].sentence)
            .map_or(self.doc.sentences[self.tokens[first].sentence].start, |p| {
                self.tokens[p].end
            });
        let before = self.doc.text[from..start].trim_end();
        for (symbol, bound) in &self.lang.before_symbols {
            if before.ends_with(symbol.as_str()) {
                let at = from + before.len() - symbol.len();
                return Some(Qualifier {
                    bound: *bound,
                    start: at,
                    end: at + symbol.len(),
                });
            }
        }
        let mut prev = first.checked_sub(1)?;
        // Modifiers may stand between the qualifier and the number: only A SPARSE few
        // hundred, a MERE 50.
        let mut after_q = first;
        while !self.before_by_last.contains_key(&prev)
            && self.lang.modifiers.contains(&self.tokens[prev].key)
            && self.joined(prev, after_q)
        {
            after_q = prev;
            prev = prev.checked_sub(1)?;
        }
        let &(q_first, payload) = self.before_by_last.get(&prev)?;
        let gap = self.gap(prev, after_q).trim();
        let gap_ok =
            gap.is_empty() || gap == "," || self.lang.unit_symbols.iter().any(|(s, _, _)| gap == s);
        (gap_ok && self.tokens[prev].sentence == self.tokens[first].sentence).then(|| Qualifier {
            bound: self.lang.before_bounds[payload],
            start: self.tokens[q_first].start,
            end: self.tokens[prev].end,
        })
    }

    /// An `after` qualifier read after token `at`, either standing alone or with
    /// its first word as the ending of token `at` (`100-dən çox`, `հազարից ավելի`).
    /// Returns the qualifier and its last token.
    fn qualifier_after(&self, at: usize) -> Option<(Qualifier, usize)> {
        let end = self.tokens[at].end;
        for (symbol, bound) in &self.lang.after_symbols {
            if self.doc.text[end..].starts_with(symbol.as_str()) {
                let q = Qualifier {
                    bound: *bound,
                    start: end,
                    end: end + symbol.len(),
                };
                return Some((q, at));
            }
        }
        let key = &self.tokens[at].key;
        let mut best: Option<(Qualifier, usize)> = None;
        for form in &self.lang.after {
            let Some((first, rest)) = form.words.split_first() else {
                continue;
            };
            let glued = key.len() > first.len() && key.ends_with(first.as_str());
            let found = self
                .phrase_from(at + 1, &form.words)
                .filter(|_| self.joined(at, at + 1))
                .map(|last| (self.tokens[at + 1].start, last))
                .or_else(|| {
                    if !glued {
                        return None;
                    }
                    let last = if rest.is_empty() {
                        at
                    } else {
                        self.phrase_from(at + 1, rest)
                            .filter(|_| self.joined(at, at + 1))?
                    };
                    let text = self.text(at);
                    let chars = first.chars().count();
                    let start = text
                        .char_indices()
                        .rev()
                        .nth(chars - 1)
                        .map_or(0, |(b, _)| b);
                    Some((self.tokens[at].start + start, last))
                });
            if let Some((start, last)) = found {
                if best.as_ref().is_none_or(|(_, l)| last > *l) {
                    let q = Qualifier {
                        bound: form.bound,
                        start,
                        end: self.tokens[last].end,
                    };
                    best = Some((q, last));
                }
            }
        }
        best
    }

    fn is_cue(&self, i: usize) -> bool {
        self.cues.iter().any(|m| m.first <= i && i <= m.last)
    }

    /// The counted noun from token `from` on: after an optional link word (`of`)
    /// and at most one other word (`five young men`), a run of unit forms whose
    /// last specific category wins (`Armenian soldiers` → military.soldiers).
    fn unit_from(&self, prev: usize, from: usize) -> Option<UnitRun> {
        let (mut prev, mut k) = (prev, from);
        let (mut linked, mut skipped) = (false, false);
        loop {
            if k >= self.tokens.len() || !self.joined(prev, k) {
                return None;
            }
            if let Some(&(mut last, payload)) = self.units_by_first.get(&k) {
                let mut categories = vec![&self.lang.unit_categories[payload]];
                let mut code = self.lang.unit_codes[payload].clone();
                if &**categories[0] == DATE {
                    return None;
                }
                while let Some(&(next_last, next)) = self.units_by_first.get(&(last + 1)) {
                    let category = &self.lang.unit_categories[next];
                    if !self.joined(last, last + 1) || &**category == DATE {
                        break;
                    }
                    categories.push(category);
                    code = self.lang.unit_codes[next].clone().or(code);
                    last = next_last;
                }
                let head = categories
                    .iter()
                    .rev()
                    .find(|c| &****c != PEOPLE)
                    .unwrap_or(&categories[categories.len() - 1]);
                let range = self.tokens[k].start..self.tokens[last].end;
                return Some((range, last, Arc::clone(head), code));
            }
            if !linked && self.lang.links.contains(&self.tokens[k].key) {
                linked = true;
            } else if !skipped
                && !self.is_digit_token(k)
                && self.word_at[k].is_none()
                && !self.is_cue(k)
            {
                skipped = true;
            } else {
                return None;
            }
            prev = k;
            k += 1;
        }
    }

    /// A currency or percent sign right before or after the digits.
    fn unit_symbol(&self, number: &Number) -> Option<UnitHit> {
        let (start, end) = (
            self.tokens[number.first].start,
            self.tokens[number.last].end,
        );
        let line_start = self.doc.text[..start].rfind('\n').map_or(0, |p| p + 1);
        let before = self.doc.text[line_start..start].trim_end();
        let after_full = &self.doc.text[end..];
        let after = after_full.trim_start();
        for (symbol, category, code) in &self.lang.unit_symbols {
            let attached = before
                .strip_suffix(symbol.as_str())
                .is_some_and(|rest| !rest.ends_with(|c: char| c.is_alphanumeric()));
            if attached {
                let at = line_start + before.len() - symbol.len();
                return Some((at..at + symbol.len(), Arc::clone(category), code.clone()));
            }
            if after.starts_with(symbol.as_str()) {
                let at = end + (after_full.len() - after.len());
                return Some((at..at + symbol.len(), Arc::clone(category), code.clone()));
            }
        }
        None
    }

    /// A month name right before or after a day number or a year.
    fn month_next_to(&self, number: &Number) -> Option<Range<usize>> {
        let is_date = |payload: usize| &*self.lang.unit_categories[payload] == DATE;
        if let Some(prev) = number.first.checked_sub(1) {
            if let Some(&(first, payload)) = self.units_by_last.get(&prev) {
                if is_date(payload) && self.joined(prev, number.first) {
                    return Some(self.tokens[first].start..self.tokens[prev].end);
                }
            }
        }
        let next = number.last + 1;
        match self.units_by_first.get(&next) {
            Some(&(last, payload)) if is_date(payload) && self.joined(number.last, next) => {
                Some(self.tokens[next].start..self.tokens[last].end)
            }
            _ => None,
        }
    }

    /// The category of the cue word nearest to tokens `first..=last` in their
    /// sentence, no further than `reach` tokens away.
    fn nearest_cue(&self, first: usize, last: usize, reach: usize) -> Option<Arc<str>> {
        let sentence = self.tokens[first].sentence;
        // A comma or semicolon between cue and number usually means another clause.
        let distance = |m: &TermMatch| {
            let (tokens, between) = if m.last < first {
                (
                    first - m.last,
                    self.tokens[m.last].end..self.tokens[first].start,
                )
            } else {
                let gap_start = self.tokens[last].end.min(self.tokens[m.first].start);
                (
                    m.first.saturating_sub(last),
                    gap_start..self.tokens[m.first].start,
                )
            };
            let clause_break = self.doc.text[between].contains([',', ';']);
            tokens + if clause_break { CLAUSE_PENALTY } else { 0 }
        };
        self.cues
            .iter()
            .filter(|m| self.tokens[m.first].sentence == sentence)
            .map(|m| (distance(m), m))
            .filter(|(d, _)| *d <= reach)
            .min_by_key(|(d, _)| *d)
            .map(|(_, m)| m)
            .map(|m| Arc::clone(&self.lang.cue_categories[m.payload]))
    }

    /// Token `b` continues a list that token `a` ends: `19-ի և 20-ի`, `19 and 20`.
    fn listed_after(&self, a: usize, b: usize) -> bool {
        let spaced = |x: usize, y: usize| {
            self.gap(x, y)
                .chars()
                .all(|c| c.is_whitespace() || c == ',')
        };
        self.tokens[a].sentence == self.tokens[b].sentence
            && match b.checked_sub(a) {
                Some(1) => spaced(a, b),
                Some(2) => {
                    spaced(a, a + 1)
                        && spaced(a + 1, b)
                        && self.lang.list_words.contains(&self.tokens[a + 1].key)
                }
                _ => false,
            }
    }

    fn excluded_by_neighbours(&self, number: &Number) -> bool {
        let (first, last) = (number.first, number.last);
        let before = first >= 1
            && self.tokens[first - 1].sentence == self.tokens[first].sentence
            && matches!(self.gap(first - 1, first).trim(), "" | ".")
            && self
                .lang
                .not_before
                .iter()
                .any(|words| words.len() == 1 && self.key_is(first - 1, &words[0]));
        // A unit that only looks like an inflected not_after word stays a unit
        // (`500,000 AMD` is not `am` + an ending).
        let unit_next = self.units_by_first.contains_key(&(last + 1));
        let after = self.lang.not_after.iter().any(|words| {
            let shadowed = unit_next
                && words
                    .first()
                    .is_some_and(|w| self.tokens.get(last + 1).is_some_and(|t| t.key != *w));
            (self.joined(last, last + 1)
                && !shadowed
                && self.phrase_from(last + 1, words).is_some())
                || number.ending == words.concat()
        });
        before || after
    }

    /// The word right after token `prev` as a counted noun that no lexicon lists
    /// (`22 համաձայնագրի`, `five tankers`): a lowercase word that is not a number,
    /// a function word (`not_noun`) or part of a name.
    fn counted_noun(&self, prev: usize) -> Option<Range<usize>> {
        let k = prev + 1;
        if k >= self.tokens.len() || !self.joined(prev, k) || self.gap(prev, k).contains('-') {
            return None;
        }
        let text = self.text(k);
        let first = text.chars().next()?;
        let not_noun = |key: &str| self.lang.not_noun.iter().any(|w| w == key);
        // A cue word after a number is its predicate (`hundreds fled`), not a noun.
        if !first.is_alphabetic()
            || first.is_uppercase()
            || self.word_at[k].is_some()
            || self.is_cue(k)
            || not_noun(&self.tokens[k].key)
        {
            return None;
        }
        Some(self.tokens[k].start..self.tokens[k].end)
    }

    /// A subject phrase (`the number of`, `death toll`, `թիվը`, `sayı`) earlier in the
    /// sentence: the bare number is its count, and the cue nearest before it decides.
    fn subject_before(&self, first: usize) -> bool {
        let sentence = self.tokens[first].sentence;
        self.subjects
            .iter()
            .any(|&last| last < first && self.tokens[last].sentence == sentence)
    }

    /// Bytes of a minus glued before token `first` that is not a hyphen between words.
    fn minus_before(&self, first: usize) -> usize {
        let mut before = self.doc.text[..self.tokens[first].start].chars().rev();
        match (before.next(), before.next()) {
            (Some(c @ ('-' | '−')), ahead) if !ahead.is_some_and(char::is_alphanumeric) => {
                c.len_utf8()
            }
            _ => 0,
        }
    }

    /// A unit written as the digits' ending: `5կգ`, `3-8մ/վ`, `11-մետրանոց` (with an
    /// adjective-forming `unit_suffix`).
    fn glued_unit(&self, number: &Number) -> Option<UnitHit> {
        let ending = number.ending.as_str();
        let payload = self.lang.glued_units.get(ending).copied().or_else(|| {
            self.lang.unit_suffixes.iter().find_map(|s| {
                let stem = ending.strip_suffix(s.as_str())?;
                self.lang.glued_units.get(stem).copied()
            })
        })?;
        let token = &self.tokens[number.last];
        let text = self.text(number.last);
        let chars = ending.chars().count();
        let at = text
            .char_indices()
            .rev()
            .nth(chars - 1)
            .map_or(0, |(b, _)| b);
        Some((
            token.start + at..token.end,
            Arc::clone(&self.lang.unit_categories[payload]),
            self.lang.unit_codes[payload].clone(),
        ))
    }

    /// The number stands where a sentence states a count: right after a predicate
    /// word (`Մեկուսացված է 89`, `reached 200`) or a label mark (`Առողջացածներ - 5639`,
    /// `Deaths: 258`, `(3125)`).
    fn stated_after_predicate(&self, first: usize) -> bool {
        let Some(prev) = first.checked_sub(1) else {
            return false;
        };
        if self.tokens[prev].sentence != self.tokens[first].sentence {
            return false;
        }
        let gap = self.gap(prev, first).trim();
        if gap.is_empty() {
            return self
                .lang
                .predicates
                .iter()
                .any(|p| *p == self.tokens[prev].key);
        }
        matches!(gap, ":" | "-" | "–" | "—" | "(" | "՝" | "=")
    }

    /// Qualifiers, counted noun and category of `number`; `None` when it is not a
    /// figure.
    fn read(&self, mut number: Number, after_date: bool) -> Option<Found> {
        if self.excluded_by_neighbours(&number) {
            return None;
        }
        let before = self.qualifier_before(number.first);
        // A range's second number carries the range's own ending (150-dən 200-ə qədər).
        let mut after = if number.range {
            None
        } else {
            self.qualifier_after(number.last)
        };
        let mut unit = self.unit_symbol(&number);
        let explained = after.is_some_and(|(q, _)| q.start < self.tokens[number.last].end);
        let mut noun = None;
        // `a few`, `մի քանի` alone say too little to count any following word.
        let few_alone = number.vague && number.upper.is_some_and(|u| u < 10.0);
        if unit.is_none() && (!number.inflected || explained) {
            let prev = after.map_or(number.last, |(_, last)| last);
            if let Some((range, unit_last, category, code)) = self.unit_from(prev, prev + 1) {
                if after.is_none() {
                    after = self.qualifier_after(unit_last);
                }
                unit = Some((range, category, code));
            } else if !number.pronoun && !number.needs_unit && !number.signed && !few_alone {
                noun = self.counted_noun(prev);
            }
        }
        if unit.is_none() && number.digits && number.inflected && !explained {
            unit = self.glued_unit(&number);
        }
        // A minus right before a temperature is its sign (-12 °C).
        if unit
            .as_ref()
            .is_some_and(|(_, c, _)| **c == *self.lang.temperature)
            && number.sign == 0
        {
            number.sign = self.minus_before(number.first);
            if number.sign > 0 {
                number.lower = -number.lower;
                number.upper = number.upper.map(|u| -u);
            }
        }
        let qualifier = before.or(after.map(|(q, _)| q));
        let number_start = self.tokens[number.first].start - number.sign;
        let start = before.map_or(number_start, |q| q.start);
        let end = after.map_or(self.tokens[number.last].end, |(q, _)| q.end);
        let found =
            |category: Arc<str>, unit: Option<Range<usize>>, code: Option<Arc<str>>| Found {
                number: number.clone(),
                start: start.min(number_start),
                end: end.max(self.tokens[number.last].end),
                qualifier,
                unit,
                unit_code: code,
                category,
            };
        if number.signed {
            return Some(found(Arc::clone(&self.lang.temperature), None, None));
        }

        if number.digits && (!number.range || number.year_like) {
            if let Some(month) = self.month_next_to(&number) {
                if number.day_like || number.year_like {
                    return Some(found(Arc::clone(&self.lang.date), Some(month), None));
                }
            }
            let timeless = unit
                .as_ref()
                .is_none_or(|(_, c, _)| matches!(&**c, DATE | "duration"));
            if (number.year_like || number.day_like && after_date) && timeless {
                return Some(found(Arc::clone(&self.lang.date), None, None));
            }
        }
        if let Some((range, category, code)) = unit {
            let category = if &*category == PEOPLE {
                self.nearest_cue(number.first, number.last, usize::MAX)
                    .unwrap_or(category)
            } else {
                category
            };
            if few_alone && *category == *self.lang.other {
                return None;
            }
            return Some(found(category, Some(range), code));
        }
        if let Some(range) = noun {
            let category = self
                .nearest_cue(number.first, number.last, BARE_CUE_REACH)
                .unwrap_or_else(|| Arc::clone(&self.lang.other));
            return Some(found(category, Some(range), None));
        }
        let qualified = qualifier.is_some();
        // `89-ը`, `երեքը`: a number with the article is a count of something named
        // before (of which 89).
        // `մեկը` is mostly "someone", not a count.
        let counted = number.inflected
            && !explained
            && !number.pronoun
            && (number.digits || number.lower >= 2.0)
            && self.lang.count_suffixes.contains(&number.ending);
        let subject = self.subject_before(number.first);
        // `թիվը հասել է 30-ի`, `sayı 200-ə çatıb`: after a subject, any ending.
        let stated = subject || self.stated_after_predicate(number.first);
        if counted || (stated && (number.digits || !number.weak) && !number.needs_unit) {
            let reach = if subject { usize::MAX } else { BARE_CUE_REACH };
            let category = self
                .nearest_cue(number.first, number.last, reach)
                .unwrap_or_else(|| Arc::clone(&self.lang.other));
            return Some(found(category, None, None));
        }
        // Without a counted noun, small numbers are too often something else.
        let small = number.lower < 10.0 && !number.vague;
        if number.needs_unit || small || (number.weak && !qualified) {
            return None;
        }
        let cue = self.nearest_cue(number.first, number.last, BARE_CUE_REACH);
        let category = match cue {
            Some(c) => c,
            None if (qualified || number.vague) && !few_alone => Arc::clone(&self.lang.other),
            None => return None,
        };
        Some(found(category, None, None))
    }
}
