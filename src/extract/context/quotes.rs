//! Quotation marks: where quoted speech runs, whose speech it is, and scare quotes.

use std::ops::Range;

use super::{Cue, DocContext, Speaker, POST_SENTENCES, SCARE_QUOTE_WORDS};

impl DocContext<'_> {
    /// Speech inside quotation marks that span sentences belongs to the speaker of the
    /// sentence where the quotation opens or closes ("«… »,- հավելել է նա").
    /// Unclosed quotations stop at the paragraph, so this never crosses one.
    pub(super) fn quote_speaker(&self, first: usize, last: usize) -> Option<Speaker> {
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
    pub(super) fn continued_quote_speaker(&self, sentence: usize) -> Option<Speaker> {
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
    pub(super) fn introducing_speaker(&self, opens: usize, quote_start: usize) -> Option<Speaker> {
        let prev = opens.checked_sub(1)?;
        let range = self.doc.sentences.get(prev)?.clone();
        let Some(speaker) = self.speakers.get(prev).cloned().flatten() else {
            return self.introducing_statement(prev, opens, quote_start);
        };
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

    /// "Ներկայացնում ենք Անի Սմբատյանի մեկնաբանությունն ամբողջությամբ." then «…»
    /// ("We give Ani Smbatyan's comment in full."): a sentence with no speaker that
    /// names someone's statement and ends with an introducing mark introduces the
    /// quotation opening the next sentence as that owner's.
    fn introducing_statement(
        &self,
        prev: usize,
        opens: usize,
        quote_start: usize,
    ) -> Option<Speaker> {
        let range = self.doc.sentences.get(prev)?.clone();
        let opening = self.doc.sentences.get(opens)?;
        if self.doc.text[opening.start..quote_start]
            .chars()
            .any(char::is_alphanumeric)
        {
            return None;
        }
        let last_word = self
            .doc
            .tokens
            .partition_point(|t| t.end <= range.end)
            .checked_sub(1)?;
        let mark = self
            .doc
            .text
            .get(self.doc.tokens[last_word].end..range.end)
            .unwrap_or("")
            .trim();
        if !self.cues.introducing_marks.iter().any(|m| m == mark) {
            return None;
        }
        let first = self.doc.tokens.partition_point(|t| t.end <= range.start);
        (first..=last_word)
            .filter(|&t| self.cue_kind(t) == Some(Cue::Source))
            .find_map(|t| self.genitive_before(t))
            .filter(|s| s.named)
    }

    /// A sentence after "Ռուբեն Մելիքյանը ֆեյսբուքյան իր էջում գրում է." (a reporting
    /// verb closing its sentence with an introducing mark) reproduces what was
    /// written: the named speaker's, within `POST_SENTENCES` and the paragraph, as long
    /// as no sentence between names a speaker of its own.
    pub(super) fn introduced_speaker(&self, sentence: usize) -> Option<Speaker> {
        let start = self.doc.sentences.get(sentence)?.start;
        for prev in (sentence.saturating_sub(POST_SENTENCES)..sentence).rev() {
            let range = self.doc.sentences.get(prev)?.clone();
            if self.doc.text[range.end.min(start)..start].contains("\n\n") {
                return None;
            }
            let Some(speaker) = self.speakers.get(prev).cloned().flatten() else {
                continue;
            };
            let last_word = self
                .doc
                .tokens
                .partition_point(|t| t.end <= range.end)
                .checked_sub(1)?;
            let t = &self.doc.tokens[last_word];
            let mark = self.doc.text.get(t.end..range.end).unwrap_or("").trim();
            let introduces = t.sentence == prev
                && self.in_say_cue(last_word)
                && self.cues.introducing_marks.iter().any(|m| m == mark);
            return (introduces && speaker.named).then_some(speaker);
        }
        None
    }

    /// Whether `token` is a word of a finite reporting cue.
    pub(super) fn in_say_cue(&self, token: usize) -> bool {
        const LONGEST_CUE: usize = 4;
        (token.saturating_sub(LONGEST_CUE)..=token).any(|j| {
            self.cue_at
                .get(&j)
                .is_some_and(|&(c, last)| c == Cue::Say && last >= token)
        })
    }

    /// Inside quoted speech (a quotation longer than a name: «Իմ քայլը» is a name).
    pub(super) fn in_long_quote(&self, token: usize) -> bool {
        const NAME_WORDS: usize = 3;
        let t = &self.doc.tokens[token];
        self.quotes.iter().any(|q| {
            q.start <= t.start
                && t.end <= q.end
                && self.doc.text[q.clone()].split_whitespace().count() > NAME_WORDS
        })
    }

    pub(super) fn scare_quoted(&self, first: usize, last: usize) -> bool {
        let (start, end) = (self.doc.tokens[first].start, self.doc.tokens[last].end);
        self.quotes.iter().any(|q| {
            q.start <= start
                && end <= q.end
                && self.doc.text[q.clone()].split_whitespace().count() <= SCARE_QUOTE_WORDS
        })
    }
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
        if let Some(close) = closing_mark(c) {
            stack.push((close, i));
        }
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
        if let Some(close) = closing_mark(c) {
            stack.push((close, i));
        }
    }
    spans
}

/// The mark that closes a quotation opened by `c`, if `c` opens one.
fn closing_mark(c: char) -> Option<char> {
    match c {
        '“' => Some('”'),
        '«' => Some('»'),
        '„' => Some('“'),
        '‹' => Some('›'),
        '"' => Some('"'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::context::testing::{speaker_of, speakers};

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
}
