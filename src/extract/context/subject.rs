//! The subject of one reporting cue: who "said", "according to" or "X-ի խոսքով"
//! points to within its sentence.

use super::{
    Cue, DocContext, Speaker, Subject, APPOSITION_WORDS, FINAL_SUBJECT_REACH, GENITIVE_WORDS,
    OWNER_WORDS, PHRASE_WORDS, SPEAKER_REACH,
};

impl DocContext<'_> {
    /// "which claimed", "that said": the cue belongs to a relative clause.
    pub(super) fn after_relative(&self, first: usize) -> bool {
        first > 0
            && self.in_sentence_of(first, first - 1)
            && self.cue_kind(first - 1) == Some(Cue::Relative)
    }

    /// The speaker a cue points to.
    pub(super) fn speaker(&self, cue: Cue, first: usize, last: usize) -> Subject {
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
                    .or_else(|| self.distant_owner(first))
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
    pub(super) fn final_subject(&self, last: usize) -> Option<Speaker> {
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
    pub(super) fn relative_antecedent(&self, relative: usize) -> Subject {
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
    pub(super) fn genitive_before(&self, source: usize) -> Option<Speaker> {
        let mut end = source.checked_sub(1)?;
        if !self.in_sentence_of(source, end) || !self.adjacent(end, source) {
            return None;
        }
        // A demonstrative between owner and noun: "ԿԳՄՍ նախարարի այն հայտարարությանը".
        if self.cues.not_names.contains(&self.doc.tokens[end].key)
            && end > 0
            && self.in_sentence_of(source, end - 1)
            && self.adjacent(end - 1, end)
        {
            end -= 1;
        }
        if let Some(s) = self.candidate_ending_at(end, source) {
            return Some(s);
        }
        if let Some(s) = self.distant_owner(source) {
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

    /// The owner of a source standing a few words before it, past a date or
    /// adjectives: "Բարձրագույն դատական խորհրդի 2019 թվականի տարեկան հաղորդման
    /// համաձայն", "MKİ -nin 2012-ci ilin iyul ayına olan məlumatına əsasən". The
    /// nearest person or organisation the entities stage found in `OWNER_WORDS` words
    /// before `source`, in an oblique case (its ending on it or written apart), in the
    /// same clause.
    pub(super) fn distant_owner(&self, source: usize) -> Option<Speaker> {
        let mut i = source;
        while i > 0 && source - i < OWNER_WORDS && self.in_sentence_of(source, i - 1) {
            let gap = &self.doc.text[self.doc.tokens[i - 1].end..self.doc.tokens[i].start];
            if gap.chars().any(|c| ",;:—–\"“”«»()".contains(c)) {
                return None;
            }
            i -= 1;
            if self.in_cue(i) && !matches!(self.cue_kind(i), Some(Cue::Agent | Cue::Source)) {
                return None;
            }
            if self.cue_kind(i) == Some(Cue::Agent) && self.oblique(i) {
                // "Արցախի իշխանությունների տարածած հայտարարության": the authorities,
                // not the place that modifies them.
                return self.agent_phrase_from(i);
            }
            let Some(&k) = self.entity_of.get(&i) else {
                continue;
            };
            let (_, last, _) = &self.entities[k];
            if *last == i && (self.oblique(i) || self.detached_ending(i)) {
                if let Some(s) = self.entity_speaker(k) {
                    return Some(s);
                }
            }
        }
        None
    }

    /// The subject before a finite reporting verb: a pronoun or a speaker ending at
    /// most `reach` tokens before it, or, when an apposition or relative clause set off
    /// by commas stands right before the verb, the name before that clause ("Edmon
    /// Marukyan, Armenia's ambassador-at-large, said").
    pub(super) fn subject_before(&self, first: usize, reach: usize) -> Subject {
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
    pub(super) fn relative_clause_antecedent(&self, relative: usize) -> Subject {
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
    pub(super) fn subject_across_relative(&self, first: usize) -> Subject {
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
    pub(super) fn place_as_actor(&self, end: usize, verb: usize) -> Option<Speaker> {
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
    pub(super) fn subject_of_parenthetical(&self, cue: usize) -> Option<Speaker> {
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
    pub(super) fn common_subject(&self, token: usize) -> Option<Speaker> {
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

    /// The subject of a participle with no subject of its own: the first pronoun or
    /// speaker of the sentence before it.
    pub(super) fn sentence_subject(&self, before: usize) -> Subject {
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
}

#[cfg(test)]
mod tests {
    use crate::extract::context::testing::{frames, speaker_of, speakers};

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
}
