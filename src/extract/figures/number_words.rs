//! Number words for test fixtures: writes integers the way a journalist spells them
//! in English ("en"), Eastern Armenian ("hy", reformed orthography) and
//! Azerbaijani ("az", Latin script), plus a fixed sample of numbers to try.
//!
//! Self-contained on purpose (no crates, no `crate::` paths) so it can be checked
//! with `rustc --edition 2021 --test tests/common/number_words.rs`.

/// Highest number `to_words` accepts.
pub const MAX: u64 = 999_999_999_999;

/// The vocabulary and joining rules of one language.
struct Lang {
    units: [&'static str; 10],
    /// 10..=19.
    teens: [&'static str; 10],
    /// Index 2..=9 are 20..90; 0 and 1 unused.
    tens: [&'static str; 10],
    /// Joins a ten word and a unit word (21..99, non-round).
    tens_join: &'static str,
    hundred: &'static str,
    /// Written between the hundreds and a non-zero rest of the group.
    hundred_and: Option<&'static str>,
    /// Whether 100 is "one hundred" rather than bare "hundred".
    one_hundred_counted: bool,
    /// Scale words for 10^3, 10^6, 10^9.
    scales: [&'static str; 3],
    /// Whether 1000 is "one thousand" rather than bare "thousand".
    one_thousand_counted: bool,
}

const EN: Lang = Lang {
    units: [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ],
    teens: [
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ],
    tens: [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ],
    tens_join: "-",
    hundred: "hundred",
    hundred_and: Some("and"),
    one_hundred_counted: true,
    scales: ["thousand", "million", "billion"],
    one_thousand_counted: true,
};

const HY: Lang = Lang {
    units: [
        "զրո",
        "մեկ",
        "երկու",
        "երեք",
        "չորս",
        "հինգ",
        "վեց",
        "յոթ",
        "ութ",
        "ինը",
    ],
    teens: [
        "տասը",
        "տասնմեկ",
        "տասներկու",
        "տասներեք",
        "տասնչորս",
        "տասնհինգ",
        "տասնվեց",
        "տասնյոթ",
        "տասնութ",
        "տասնինը",
    ],
    tens: [
        "",
        "",
        "քսան",
        "երեսուն",
        "քառասուն",
        "հիսուն",
        "վաթսուն",
        "յոթանասուն",
        "ութսուն",
        "իննսուն",
    ],
    tens_join: "",
    hundred: "հարյուր",
    hundred_and: None,
    one_hundred_counted: false,
    scales: ["հազար", "միլիոն", "միլիարդ"],
    one_thousand_counted: false,
};

const AZ: Lang = Lang {
    units: [
        "sıfır", "bir", "iki", "üç", "dörd", "beş", "altı", "yeddi", "səkkiz", "doqquz",
    ],
    teens: [
        "on",
        "on bir",
        "on iki",
        "on üç",
        "on dörd",
        "on beş",
        "on altı",
        "on yeddi",
        "on səkkiz",
        "on doqquz",
    ],
    tens: [
        "", "", "iyirmi", "otuz", "qırx", "əlli", "altmış", "yetmiş", "səksən", "doxsan",
    ],
    tens_join: " ",
    hundred: "yüz",
    hundred_and: None,
    one_hundred_counted: false,
    scales: ["min", "milyon", "milyard"],
    one_thousand_counted: false,
};

fn lang(code: &str) -> &'static Lang {
    match code {
        "en" => &EN,
        "hy" => &HY,
        "az" => &AZ,
        other => panic!("number_words: unsupported language {other:?}"),
    }
}

/// Words for 1..=99, pushed onto `out`.
fn below_hundred(l: &Lang, n: u64, out: &mut Vec<String>) {
    let (t, u) = ((n / 10) as usize, (n % 10) as usize);
    match t {
        0 => out.push(l.units[u].to_string()),
        1 => out.push(l.teens[u].to_string()),
        _ if u == 0 => out.push(l.tens[t].to_string()),
        _ => out.push(format!("{}{}{}", l.tens[t], l.tens_join, l.units[u])),
    }
}

/// Words for one group 1..=999, pushed onto `out`.
fn group(l: &Lang, n: u64, out: &mut Vec<String>) {
    let (h, rest) = (n / 100, n % 100);
    if h > 0 {
        if h > 1 || l.one_hundred_counted {
            out.push(l.units[h as usize].to_string());
        }
        out.push(l.hundred.to_string());
        if rest > 0 {
            if let Some(and) = l.hundred_and {
                out.push(and.to_string());
            }
        }
    }
    if rest > 0 {
        below_hundred(l, rest, out);
    }
}

/// Writes `n` (0 ..= 999_999_999_999) as number words the way a journalist writes them.
pub fn to_words(lang_code: &str, n: u64) -> String {
    let l = lang(lang_code);
    assert!(n <= MAX, "number_words: {n} is above {MAX}");
    if n == 0 {
        return l.units[0].to_string();
    }
    let mut out = Vec::new();
    // (group value, scale index): 3 = billions, 2 = millions, 1 = thousands, 0 = units.
    for scale in (0..4u32).rev() {
        let g = n / 1000u64.pow(scale) % 1000;
        if g == 0 {
            continue;
        }
        let bare_thousand = scale == 1 && g == 1 && !l.one_thousand_counted;
        if !bare_thousand {
            group(l, g, &mut out);
        }
        if scale > 0 {
            out.push(l.scales[scale as usize - 1].to_string());
        }
    }
    out.join(" ")
}

/// A deterministic, sorted, deduplicated sample of 400 numbers in 0..=1_000_000_000:
/// all of 0..=120, multiples of 100 up to 2000, edge values, and a pseudo-random
/// spread with a uniformly chosen digit count (1..=9).
pub fn samples() -> Vec<u64> {
    const TARGET: usize = 400;
    let mut set: std::collections::BTreeSet<u64> = (0..=120).collect();
    set.extend((1..=20).map(|k| k * 100));
    set.extend([
        1000,
        1001,
        100_000,
        200_000,
        1_000_000,
        1_000_001,
        999_999_999,
        1_000_000_000,
    ]);
    // xorshift64* with a fixed seed.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    while set.len() < TARGET {
        let digits = (next() % 9 + 1) as u32;
        let lo = 10u64.pow(digits - 1);
        let hi = 10u64.pow(digits) - 1;
        set.insert(lo + next() % (hi - lo + 1));
    }
    set.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(lang: &str, cases: &[(u64, &str)]) {
        for &(n, want) in cases {
            assert_eq!(to_words(lang, n), want, "{lang} {n}");
        }
    }

    #[test]
    fn english() {
        check(
            "en",
            &[
                (0, "zero"),
                (7, "seven"),
                (11, "eleven"),
                (45, "forty-five"),
                (100, "one hundred"),
                (125, "one hundred and twenty-five"),
                (1005, "one thousand five"),
                (120_000, "one hundred and twenty thousand"),
                (1_000_000, "one million"),
                (1_000_000_000, "one billion"),
                (
                    2_340_506,
                    "two million three hundred and forty thousand five hundred and six",
                ),
                (
                    999_999_999_999,
                    "nine hundred and ninety-nine billion nine hundred and ninety-nine million \
                     nine hundred and ninety-nine thousand nine hundred and ninety-nine",
                ),
            ],
        );
    }

    #[test]
    fn armenian() {
        check(
            "hy",
            &[
                (0, "զրո"),
                (10, "տասը"),
                (13, "տասներեք"),
                (25, "քսանհինգ"),
                (31, "երեսունմեկ"),
                (99, "իննսունինը"),
                (100, "հարյուր"),
                (125, "հարյուր քսանհինգ"),
                (200, "երկու հարյուր"),
                (1000, "հազար"),
                (2000, "երկու հազար"),
                (125_000, "հարյուր քսանհինգ հազար"),
                (1_000_000, "մեկ միլիոն"),
                (1_200_000, "մեկ միլիոն երկու հարյուր հազար"),
                (1_001_000, "մեկ միլիոն հազար"),
                (1_000_000_000, "մեկ միլիարդ"),
            ],
        );
    }

    #[test]
    fn azerbaijani() {
        check(
            "az",
            &[
                (0, "sıfır"),
                (10, "on"),
                (11, "on bir"),
                (25, "iyirmi beş"),
                (100, "yüz"),
                (200, "iki yüz"),
                (1000, "min"),
                (1001, "min bir"),
                (2000, "iki min"),
                (120_000, "yüz iyirmi min"),
                (1_000_000, "bir milyon"),
                (1_200_000, "bir milyon iki yüz min"),
                (1_000_000_000, "bir milyard"),
            ],
        );
    }

    #[test]
    #[should_panic(expected = "unsupported language")]
    fn other_language_panics() {
        to_words("de", 1);
    }

    #[test]
    fn samples_shape() {
        let s = samples();
        assert_eq!(s.len(), 400);
        assert!(s.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
        assert_eq!(s, samples(), "deterministic");
        for n in (0..=120).chain([1000, 1001, 1_000_000, 1_000_001, 999_999_999, 1_000_000_000]) {
            assert!(s.binary_search(&n).is_ok(), "missing {n}");
        }
        for d in 1..=9 {
            let digits = s.iter().filter(|&&n| n.to_string().len() == d).count();
            assert!(digits > 0, "no {d}-digit samples");
        }
        for &n in &s {
            for lang in ["en", "hy", "az"] {
                assert!(!to_words(lang, n).is_empty());
            }
        }
    }
}
