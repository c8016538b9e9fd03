//! Speakers across sentences: pronouns, pro-drop verbs and bare titles resolved to
//! the person named before.

use super::{Cue, CuesBySentence, DocContext, Speaker, Subject, PERSON_SENTENCES};

impl DocContext<'_> {
    /// Each sentence's speaker from its reporting cues (in text order, the first that
    /// names one), with pronouns, pro-drop verbs and bare titles resolved to the
    /// person named before. Title lines get none.
    pub(super) fn resolve_speakers(&mut self, by_sentence: &mut CuesBySentence) {
        let (doc, cues) = (self.doc, self.cues);
        let titled = self.titled_names();
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
            let mut primary = None;
            for &(cue, first, last) in found.iter() {
                match self.speaker(cue, first, last) {
                    Subject::Found(s) => {
                        speaker = Some(s);
                        primary = Some(last);
                        break;
                    }
                    Subject::Pronoun => {
                        speaker = self
                            .person_before(first, 0)
                            .or_else(|| last_named.clone())
                            .or_else(|| self.person_before(first, PERSON_SENTENCES));
                        if speaker.is_some() {
                            primary = Some(last);
                            break;
                        }
                    }
                    Subject::None => {}
                }
            }
            if let Some(primary) = primary {
                self.nested_according(found, primary);
            }
            if speaker.is_none() && cues.pro_drop {
                // A finite reporting verb with no subject: the last named speaker.
                let finite = found
                    .iter()
                    .any(|&(cue, first, _)| cue == Cue::Say && !self.after_relative(first));
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
            self.speakers[sentence] = speaker;
        }
        self.statements_with_content();
        self.inner.sort_by_key(|(from, _)| *from);
    }

    /// "Լրագրողը հակադարձեց, որ փորձագետների գնահատմամբ, … 3 միլիոն դրամի": a source
    /// marker after the cue that named the sentence's speaker stands inside what that
    /// speaker reports; the mentions after it are the source's.
    fn nested_according(&mut self, found: &[(Cue, usize, usize)], primary: usize) {
        for &(cue, first, last) in found {
            if first > primary && matches!(cue, Cue::According | Cue::AccordingPostposed) {
                if let Subject::Found(s) = self.speaker(cue, first, last) {
                    self.inner.push((first, s));
                }
            }
        }
    }

    /// "Ադրբեջանի ԱԺ խոսնակի հայտարարությանը, թե …" (the speaker's statement that …),
    /// "Տեր-Պետրոսյանի հայտարարությանը, որում …" (his statement, in which …): a source
    /// noun followed by a complementizer or a relative pronoun credits the clause it
    /// opens to the noun's genitive owner.
    fn statements_with_content(&mut self) {
        let mut sources: Vec<(usize, usize)> = self
            .cue_at
            .iter()
            .filter(|(_, (cue, _))| *cue == Cue::Source)
            .map(|(&first, &(_, last))| (first, last))
            .collect();
        sources.sort_unstable();
        for (first, last) in sources {
            let opens = last + 1;
            let in_title = self
                .doc
                .sentences
                .get(self.doc.tokens[first].sentence)
                .is_some_and(|r| self.doc.in_title(r.start));
            if in_title
                || !self.in_sentence_of(last, opens)
                || !matches!(
                    self.cue_kind(opens),
                    Some(Cue::Complementizer | Cue::Relative)
                )
            {
                continue;
            }
            if let Some(owner) = self.genitive_before(first) {
                self.inner.push((opens, owner));
            }
        }
    }

    /// The innermost nested source before token `first` in its sentence.
    pub(super) fn inner_speaker(&self, first: usize) -> Option<Speaker> {
        let sentence = self.doc.tokens[first].sentence;
        self.inner
            .iter()
            .rev()
            .find(|(from, _)| *from < first && self.doc.tokens[*from].sentence == sentence)
            .map(|(_, s)| s.clone())
    }

    /// The last person the entities stage found before token `before`, not in an
    /// oblique case, at most `back` sentences before its own: what a pronoun refers to
    /// when no named speaker does ("Mr. Trump wasn't satisfied. … he said").
    pub(super) fn person_before(&self, before: usize, back: usize) -> Option<Speaker> {
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
    pub(super) fn titled_names(&self) -> Vec<(usize, usize, Speaker)> {
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
}

#[cfg(test)]
mod tests {
    use crate::extract::context::testing::{frames, speaker_of, speakers};

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

    #[test]
    fn a_title_alone_is_the_person_named_with_it_before() {
        let found = speakers("ԱԳՆ խոսնակ Աննա Նաղդալյանը հանդիպել է լրագրողների հետ։ ԱԳՆ խոսնակը ասել է, որ էթնիկ զտումը շարունակվում է։");
        assert_eq!(
            speaker_of(&found, "էթնիկ զտումը").as_deref(),
            Some("Աննա Նաղդալյան"),
            "{found:?}"
        );
    }
}
