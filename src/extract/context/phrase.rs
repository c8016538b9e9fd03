//! Speaker phrases: a named entity, a capitalised name or an agent noun phrase
//! starting or ending at a token, and its base form.

use super::{
    Cue, DocContext, Speaker, AGENT_MODIFIERS, PHRASE_WORDS, SCARE_QUOTE_WORDS, SPEAKER_REACH,
};

impl DocContext<'_> {
    /// A speaker whose last token is `end` (and which stops before `limit`): a named
    /// entity, an agent noun phrase ("Armenian spokespersons", "Russia's foreign
    /// ministry"), or a capitalised name.
    pub(super) fn candidate_ending_at(&self, end: usize, limit: usize) -> Option<Speaker> {
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
    pub(super) fn candidate_starting_at(&self, start: usize, limit: usize) -> Option<Speaker> {
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
    pub(super) fn candidate_after(&self, last: usize, reach: usize) -> Option<Speaker> {
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

    pub(super) fn named(&self, text: String) -> Speaker {
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

    pub(super) fn plain(&self, text: String) -> Speaker {
        Speaker {
            named: false,
            person: false,
            ..self.named(text)
        }
    }

    /// A person, organisation or government the entities stage found; places used as
    /// locations (LOC) are not speakers.
    pub(super) fn entity_speaker(&self, k: usize) -> Option<Speaker> {
        if self.entities[k].2.label.as_ref() == "LOC" {
            return None;
        }
        Some(self.named_speaker(k))
    }

    /// The entities stage's name `k` as a speaker (a person when labelled PER).
    pub(super) fn named_speaker(&self, k: usize) -> Speaker {
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
    pub(super) fn agent_phrase_at(&self, end: usize) -> Option<Speaker> {
        // The agent noun may be the head, or followed by "of/for Name".
        if self.cue_kind(end) == Some(Cue::Agent) {
            return self.agent_phrase_from(end);
        }
        None
    }

    pub(super) fn agent_phrase_from(&self, head: usize) -> Option<Speaker> {
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
    pub(super) fn base_form(&self, text: &str) -> String {
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
        // "Անի Սմբատյանի" → "Անի Սմբատյան": a case ending right after a surname ending.
        let lower = text.to_lowercase();
        for (hyphen, ending) in &self.cues.oblique_endings {
            let Some(stem) = lower.strip_suffix(ending.as_str()) else {
                continue;
            };
            if *hyphen
                || !self
                    .cues
                    .surname_suffixes
                    .iter()
                    .any(|s| stem.ends_with(s.as_str()))
            {
                continue;
            }
            let keep = text.chars().count() - ending.chars().count();
            return text.chars().take(keep).collect();
        }
        text.to_string()
    }

    /// A name ending just before the cue ("Marukyan said", "Azerbaijan's Ministry of
    /// Defence said"), with up to two words after a one-word name ("Armenia's foreign
    /// ministry said", "Armenian officials said").
    pub(super) fn name_before(&self, first: usize) -> Option<String> {
        let i = (first.saturating_sub(SPEAKER_REACH)..first)
            .rev()
            .find(|&i| self.in_sentence_of(first, i) && self.name_like(i))?;
        let run = self.name_run(i);
        if self.is_sentence_initial_word(run.start, run.end) {
            return None;
        }
        // The words after the name belong to it only when nothing sets them off
        // ("ՊՎԾ-ն, նախնական հաշվարկներով": the comma ends the name).
        let joined = (run.end..first).all(|t| self.adjacent(t - 1, t));
        let end = if run.len() == 1 && first - run.end <= 2 && joined {
            first - 1
        } else {
            run.end - 1
        };
        Some(self.span_text(self.phrase_start(run.start), end))
    }

    /// The words after "according to", up to punctuation: "local officials", "the UN
    /// refugee agency" (leading function words dropped).
    pub(super) fn phrase_after(&self, last: usize) -> Option<String> {
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
}
