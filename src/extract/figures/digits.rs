//! Numbers written in digits, as each language writes them: the decimal and group
//! marks come from `figure_syntax.tsv` (1,5 milyon vs 1.5 million), and a token may
//! carry a range (`150-200`) or an ending (`100-dən`, `19-ին`, `2nd`).

/// A language's digit marks.
#[derive(Debug, Clone, Copy)]
pub struct Marks {
    pub decimal: char,
    pub group: char,
}

/// A digit token taken apart: `150-200-ə` is `150`, range end `200`, ending `ə`.
#[derive(Debug, Clone, PartialEq)]
pub struct DigitToken<'a> {
    pub number: &'a str,
    /// The digits after a hyphen, when the token is a range.
    pub range_end: Option<&'a str>,
    /// Letters after the number (and its hyphen), folded later by the caller.
    pub ending: &'a str,
}

/// U+202F NARROW NO-BREAK SPACE groups thousands (`1 250 000`); UAX #29 keeps it
/// inside the word, so it reaches the digit parser, unlike other spaces.
const NARROW_SPACE: char = '\u{202f}';
/// U+2024 ONE DOT LEADER: Armenian texts write it for a full stop between digits.
const ONE_DOT_LEADER: char = '\u{2024}';

pub fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || c == ',' || c == '.' || c == NARROW_SPACE || c == ONE_DOT_LEADER
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Splits a token that starts with an ASCII digit; `None` for anything else.
pub fn split(token: &str) -> Option<DigitToken<'_>> {
    if !token.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let end = token.find(|c| !is_number_char(c)).unwrap_or(token.len());
    let number = token[..end].trim_end_matches([',', '.', NARROW_SPACE, ONE_DOT_LEADER]);
    let mut rest = &token[number.len()..];
    rest = rest.strip_prefix(is_hyphen).unwrap_or(rest);
    let mut range_end = None;
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        let end = rest.find(|c| !is_number_char(c)).unwrap_or(rest.len());
        range_end = Some(rest[..end].trim_end_matches([',', '.', ONE_DOT_LEADER]));
        rest = &rest[range_end.unwrap_or("").len()..];
        rest = rest.strip_prefix(is_hyphen).unwrap_or(rest);
    }
    Some(DigitToken {
        number,
        range_end,
        ending: rest,
    })
}

/// A parsed digit string: its value and whether it had group marks (a grouped
/// number is never a year).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Parsed {
    pub value: f64,
    pub grouped: bool,
}

fn groups_of_three(parts: &[&str]) -> bool {
    let (first, rest) = parts.split_first().expect("split yields one part");
    (1..=3).contains(&first.len()) && rest.iter().all(|p| p.len() == 3)
}

fn join_digits(parts: &[&str]) -> Option<f64> {
    parts.concat().parse().ok()
}

/// Reads `number` (digits with `,` and `.` only). A single mark followed by exactly
/// three digits is a group mark unless it is the language's decimal mark and a scale
/// word follows (`1,500 refugees` / `1,5 milyon`). Returns `None` when the marks
/// make no number (`19.09.2023`).
pub fn parse(number: &str, marks: Marks, scale_follows: bool) -> Option<Parsed> {
    if number.contains(NARROW_SPACE) {
        let mut parts = number.split(NARROW_SPACE);
        let first = parts.next().unwrap_or("");
        let groups_ok = (1..=3).contains(&first.len())
            && first.bytes().all(|b| b.is_ascii_digit())
            && parts.all(|p| p.len() >= 3 && p.as_bytes()[..3].iter().all(u8::is_ascii_digit));
        if !groups_ok {
            return None;
        }
        let joined: String = number.chars().filter(|&c| c != NARROW_SPACE).collect();
        return parse(&joined, marks, scale_follows).map(|p| Parsed { grouped: true, ..p });
    }
    let seps: Vec<char> = number.chars().filter(|c| !c.is_ascii_digit()).collect();
    if seps.is_empty() {
        return number.parse().ok().map(|value| Parsed {
            value,
            grouped: false,
        });
    }
    let integer = |parts: &[&str]| {
        groups_of_three(parts)
            .then(|| join_digits(parts))
            .flatten()
            .map(|value| Parsed {
                value,
                grouped: true,
            })
    };
    let last = *seps.last().expect("not empty");
    if seps.iter().any(|&c| c != last) {
        // Both marks: the last one, written once, is the decimal mark.
        if seps.iter().filter(|&&c| c == last).count() != 1 {
            return None;
        }
        let (whole, fraction) = number.rsplit_once(last)?;
        let whole: Vec<&str> = whole.split(seps[0]).collect();
        let whole = integer(&whole)?;
        let fraction: f64 = format!("0.{fraction}").parse().ok()?;
        return Some(Parsed {
            value: whole.value + fraction,
            grouped: true,
        });
    }
    let parts: Vec<&str> = number.split(last).collect();
    if parts.len() > 2 {
        return integer(&parts);
    }
    let looks_grouped = groups_of_three(&parts);
    let decimal = if !looks_grouped {
        true
    } else if last == marks.group {
        false
    } else {
        last == marks.decimal && scale_follows
    };
    if decimal {
        let value = format!("{}.{}", parts[0], parts[1]).parse().ok()?;
        Some(Parsed {
            value,
            grouped: false,
        })
    } else {
        integer(&parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: Marks = Marks {
        decimal: '.',
        group: ',',
    };
    const AZ: Marks = Marks {
        decimal: ',',
        group: '.',
    };

    fn value(number: &str, marks: Marks, scale: bool) -> Option<f64> {
        parse(number, marks, scale).map(|p| p.value)
    }

    #[test]
    fn group_and_decimal_marks_per_language() {
        assert_eq!(value("100,000", EN, false), Some(100_000.0));
        assert_eq!(value("1,234,567", EN, false), Some(1_234_567.0));
        assert_eq!(value("3.5", EN, true), Some(3.5));
        assert_eq!(value("1,234.5", EN, false), Some(1234.5));
        assert_eq!(value("100.000", AZ, false), Some(100_000.0));
        assert_eq!(value("1,5", AZ, true), Some(1.5));
        assert_eq!(value("1.234,5", AZ, false), Some(1234.5));
        // A comma and three digits: thousands, unless a scale word follows in az/hy.
        assert_eq!(value("1,500", AZ, false), Some(1500.0));
        assert_eq!(value("1,500", AZ, true), Some(1.5));
        assert_eq!(value("1,500", EN, true), Some(1500.0));
        assert_eq!(value("2023", EN, false), Some(2023.0));
        assert_eq!(
            value("1\u{202f}250\u{202f}000", AZ, false),
            Some(1_250_000.0)
        );
        assert_eq!(value("1\u{202f}250,5", AZ, false), Some(1250.5));
        assert_eq!(value("12\u{202f}5", AZ, false), None);
        assert!(!parse("2023", EN, false).unwrap().grouped);
        assert!(parse("100,000", EN, false).unwrap().grouped);
        assert_eq!(value("19.09.2023", AZ, false), None);
        assert_eq!(value("1,2,3", EN, false), None);
    }

    #[test]
    fn ranges_and_endings_are_split_off() {
        assert_eq!(
            split("150-200"),
            Some(DigitToken {
                number: "150",
                range_end: Some("200"),
                ending: ""
            })
        );
        assert_eq!(split("100-dən").unwrap().ending, "dən");
        assert_eq!(split("19-ին").unwrap().ending, "ին");
        assert_eq!(split("2nd").unwrap().ending, "nd");
        let range = split("150-200-ə").unwrap();
        assert_eq!((range.range_end, range.ending), (Some("200"), "ə"));
        assert_eq!(split("100,000").unwrap().number, "100,000");
        assert_eq!(split("COVID-19"), None);
    }
}
