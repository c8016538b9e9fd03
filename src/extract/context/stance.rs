//! Stance: whether the speaker denies a term (`negated`) or the writer keeps
//! distance from it (`distanced`).

use super::{DocContext, DISTANCE_REACH};

impl DocContext<'_> {
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

    /// The writer keeps distance: a distance cue opening the noun phrase of the term
    /// ("so-called separatists"), a distance cue after the term's clause, or quotation
    /// marks around the term alone (scare quotes).
    pub fn distanced(&self, first: usize, last: usize) -> bool {
        let sentence = self.doc.tokens[first].sentence;
        let cue = self.distance_ends.iter().any(|&end| {
            end < first
                && first - end <= DISTANCE_REACH
                && self.doc.tokens[end].sentence == sentence
                && self.same_phrase(end, first)
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

    /// Whether `first` still belongs to the phrase a distance cue ending at `end` opens:
    /// "so-called" reaches the next noun phrase only, so no clause punctuation (a comma
    /// right after the cue is parenthetical: «այսպես կոչված, …») and no other cue word
    /// ("the so-called experts said genocide") stands between.
    fn same_phrase(&self, end: usize, first: usize) -> bool {
        let gap = &self.doc.text[self.doc.tokens[end].end..self.doc.tokens[first].start];
        let gap = gap.trim_start().strip_prefix(',').unwrap_or(gap);
        !gap.contains([',', ';', ':']) && !(end + 1..first).any(|t| self.in_cue(t))
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::context::testing::{flags, frames};

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
}
