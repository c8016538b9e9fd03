//! Composing number words into a value, following the kinds of `numbers.tsv`
//! (see `lexicons/figures-notes.md`): `iki yüz min` = (2 × 100) × 1000,
//! `one hundred and twenty thousand` = (100 + 20) × 1000, `a few hundred` = 200..999.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Unit,
    Teen,
    Ten,
    Hundred,
    Scale,
    Dozen,
    Vague,
    Few,
    Fraction,
    Ordinal,
    Connector,
}

impl Kind {
    pub fn parse(name: &str) -> Option<Kind> {
        Some(match name {
            "unit" => Kind::Unit,
            "teen" => Kind::Teen,
            "ten" => Kind::Ten,
            "hundred" => Kind::Hundred,
            "scale" => Kind::Scale,
            "dozen" => Kind::Dozen,
            "vague" => Kind::Vague,
            "few" => Kind::Few,
            "fraction" => Kind::Fraction,
            "ordinal" => Kind::Ordinal,
            "connector" => Kind::Connector,
            _ => return None,
        })
    }
}

/// One number word as found in text. `phrase` marks a vague form of several words
/// (`tens of thousands`), which names its order of magnitude and so gets an upper
/// bound; a one-word vague form (`hundreds`) names only a floor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Element {
    pub kind: Kind,
    pub value: f64,
    pub phrase: bool,
}

/// What a run of number words (optionally after digits) adds up to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Composed {
    pub lower: f64,
    pub upper: Option<f64>,
    pub vague: bool,
    pub ordinal: bool,
    /// How many elements the number used.
    pub used: usize,
    /// The last scale word applied (1 when none): `150-200 min` multiplies 150 by it.
    pub scale: f64,
    /// Only a bare hundred or scale word (`thousand`, `min`): too ambiguous alone.
    pub bare_scale: bool,
}

#[derive(Default)]
struct State {
    total: f64,
    group: Option<f64>,
    prev: Option<Kind>,
    smallest_scale: Option<f64>,
    vague: Option<(f64, bool)>,
    few: bool,
    digits: bool,
    words: usize,
    bare: bool,
}

impl State {
    /// Applies `e`, or returns false when it cannot continue this number.
    fn take(&mut self, e: Element) -> bool {
        use Kind::*;
        if let Some((lower, _)) = &mut self.vague {
            // Only a scale continues a vague quantity (onlarla min).
            if e.kind == Scale && self.smallest_scale.is_none() {
                *lower *= e.value;
                self.smallest_scale = Some(e.value);
                return true;
            }
            return false;
        }
        let fresh = self.prev.is_none() && !self.digits;
        let group_open = matches!(self.prev, None | Some(Hundred) | Some(Scale)) && !self.digits;
        match e.kind {
            Unit => {
                if !(group_open || self.prev == Some(Ten)) {
                    return false;
                }
                *self.group.get_or_insert(0.0) += e.value;
            }
            Teen | Ten => {
                if !group_open || self.group.is_some_and(|g| g % 100.0 != 0.0) {
                    return false;
                }
                *self.group.get_or_insert(0.0) += e.value;
            }
            Hundred => {
                if self.prev == Some(Hundred) || self.group.is_some_and(|g| g >= 100.0) {
                    return false;
                }
                self.group = Some(self.group.unwrap_or(1.0) * 100.0);
            }
            Scale => {
                if self.prev == Some(Scale) || self.smallest_scale.is_some_and(|s| e.value >= s) {
                    return false;
                }
                self.total += self.group.take().unwrap_or(1.0) * e.value;
                self.smallest_scale = Some(e.value);
            }
            Dozen => {
                if self.prev == Some(Dozen) || self.digits {
                    return false;
                }
                self.group = Some(self.group.unwrap_or(1.0) * 12.0);
            }
            Vague => {
                if !fresh {
                    return false;
                }
                self.vague = Some((e.value, e.phrase));
            }
            Few => {
                if !fresh {
                    return false;
                }
                self.few = true;
                self.group = Some(e.value);
            }
            Fraction => {
                // Before a multiplier (half a million) or added to a unit (one and a half).
                if !(fresh || matches!(self.prev, Some(Unit) | Some(Teen) | Some(Ten))) {
                    return false;
                }
                *self.group.get_or_insert(0.0) += e.value;
            }
            Ordinal | Connector => return false,
        }
        self.bare = self.words == 0 && !self.digits && matches!(e.kind, Hundred | Scale);
        self.prev = Some(e.kind);
        self.words += 1;
        true
    }
}

/// Composes `elements` from the left, after a digit value when the number starts
/// with digits (`100 thousand`, `1,5 milyon`). Connectors are used only between
/// two words of the number. `None` when no element starts a number.
pub fn compose(digits: Option<f64>, elements: &[Element]) -> Option<Composed> {
    let mut state = State {
        group: digits,
        digits: digits.is_some(),
        ..State::default()
    };
    let mut used = 0;
    let mut i = 0;
    while i < elements.len() {
        let e = elements[i];
        if e.kind == Kind::Connector {
            // Skipped only when a word of this number follows it.
            i += 1;
            continue;
        }
        if e.kind == Kind::Ordinal {
            // "twenty-first", "first": the whole run is an ordinal, never a count.
            if state.words == 0 || used == i {
                return Some(Composed {
                    lower: 0.0,
                    upper: None,
                    vague: false,
                    ordinal: true,
                    used: i + 1,
                    scale: 1.0,
                    bare_scale: false,
                });
            }
            break;
        }
        let connector_before = i > used;
        if connector_before
            && state.words == 0
            && !matches!(e.kind, Kind::Hundred | Kind::Scale | Kind::Dozen)
        {
            break;
        }
        if !state.take(e) {
            break;
        }
        if state.digits && state.words == 1 && connector_before {
            // "100 and thousand" is not a number.
            return None;
        }
        i += 1;
        used = i;
    }
    if state.words == 0 && !state.digits {
        return None;
    }
    let scale = state.smallest_scale.unwrap_or(1.0);
    if let Some((lower, phrase)) = state.vague {
        return Some(Composed {
            lower,
            upper: phrase.then(|| order_ceiling(lower)),
            vague: true,
            ordinal: false,
            used,
            scale,
            bare_scale: false,
        });
    }
    let value = state.total + state.group.unwrap_or(0.0);
    Some(Composed {
        lower: value,
        upper: if state.few {
            Some(order_ceiling(value))
        } else {
            Some(value)
        },
        vague: state.few,
        ordinal: false,
        used,
        scale,
        bare_scale: state.bare,
    })
}

/// `10^(digits of value) − 1`: 200 → 999, 20 000 → 99 999.
fn order_ceiling(value: f64) -> f64 {
    let digits = value.max(1.0).log10().floor() + 1.0;
    10f64.powf(digits) - 1.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use Kind::*;

    fn e(kind: Kind, value: f64) -> Element {
        Element {
            kind,
            value,
            phrase: false,
        }
    }

    fn value(elements: &[Element]) -> Option<f64> {
        compose(None, elements).map(|c| c.lower)
    }

    #[test]
    fn composes_groups_and_scales() {
        // one hundred and twenty thousand
        let words = [
            e(Unit, 1.0),
            e(Hundred, 100.0),
            e(Connector, 0.0),
            e(Ten, 20.0),
            e(Scale, 1000.0),
        ];
        assert_eq!(value(&words), Some(120_000.0));
        // iki yüz min
        assert_eq!(
            value(&[e(Unit, 2.0), e(Hundred, 100.0), e(Scale, 1000.0)]),
            Some(200_000.0)
        );
        // bir milyon iki yüz min
        let words = [
            e(Unit, 1.0),
            e(Scale, 1e6),
            e(Unit, 2.0),
            e(Hundred, 100.0),
            e(Scale, 1000.0),
        ];
        assert_eq!(value(&words), Some(1_200_000.0));
        // min bir = 1001; yüz on iki = 112
        assert_eq!(value(&[e(Scale, 1000.0), e(Unit, 1.0)]), Some(1001.0));
        assert_eq!(
            value(&[e(Hundred, 100.0), e(Ten, 10.0), e(Unit, 2.0)]),
            Some(112.0)
        );
        // two dozen; half a million; one and a half million
        assert_eq!(value(&[e(Unit, 2.0), e(Dozen, 12.0)]), Some(24.0));
        assert_eq!(
            value(&[e(Fraction, 0.5), e(Connector, 0.0), e(Scale, 1e6)]),
            Some(500_000.0)
        );
        let words = [
            e(Unit, 1.0),
            e(Connector, 0.0),
            e(Connector, 0.0),
            e(Fraction, 0.5),
            e(Scale, 1e6),
        ];
        assert_eq!(value(&words), Some(1_500_000.0));
        // Digits as the group: 100 thousand, 3.5 million.
        assert_eq!(
            compose(Some(3.5), &[e(Scale, 1e6)]).map(|c| c.lower),
            Some(3_500_000.0)
        );
    }

    #[test]
    fn stops_where_the_number_ends() {
        // "five five": two numbers; "one and": the connector is not used.
        assert_eq!(
            compose(None, &[e(Unit, 5.0), e(Unit, 5.0)]).unwrap().used,
            1
        );
        let c = compose(None, &[e(Unit, 1.0), e(Connector, 0.0)]).unwrap();
        assert_eq!((c.lower, c.used), (1.0, 1));
        assert_eq!(value(&[e(Connector, 0.0), e(Unit, 3.0)]), None);
        // "thousand million" and "million million" do not compose.
        assert_eq!(
            compose(None, &[e(Scale, 1e6), e(Scale, 1e6)]).unwrap().used,
            1
        );
        assert!(compose(None, &[e(Ordinal, 2.0)]).unwrap().ordinal);
        assert!(
            compose(None, &[e(Ten, 20.0), e(Ordinal, 1.0)])
                .unwrap()
                .ordinal
        );
        assert!(compose(None, &[e(Scale, 1000.0)]).unwrap().bare_scale);
        assert!(
            !compose(None, &[e(Unit, 2.0), e(Scale, 1000.0)])
                .unwrap()
                .bare_scale
        );
    }

    #[test]
    fn vague_and_few_quantities_get_documented_bounds() {
        let hundreds = compose(None, &[e(Vague, 200.0)]).unwrap();
        assert_eq!(
            (hundreds.lower, hundreds.upper, hundreds.vague),
            (200.0, None, true)
        );
        let tens_of_thousands = Element {
            kind: Vague,
            value: 20_000.0,
            phrase: true,
        };
        let c = compose(None, &[tens_of_thousands]).unwrap();
        assert_eq!((c.lower, c.upper), (20_000.0, Some(99_999.0)));
        let few_hundred = compose(None, &[e(Few, 2.0), e(Hundred, 100.0)]).unwrap();
        assert_eq!((few_hundred.lower, few_hundred.upper), (200.0, Some(999.0)));
        let several_thousand = compose(None, &[e(Few, 2.0), e(Scale, 1000.0)]).unwrap();
        assert_eq!(
            (several_thousand.lower, several_thousand.upper),
            (2000.0, Some(9999.0))
        );
        // onlarla min: a scale multiplies a vague word.
        let c = compose(None, &[e(Vague, 20.0), e(Scale, 1000.0)]).unwrap();
        assert_eq!((c.lower, c.used), (20_000.0, 2));
    }
}
