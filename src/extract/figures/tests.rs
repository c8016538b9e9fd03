//! Figures in the three languages, through the whole prepare + extract path with
//! the bundled lexicons.

use std::sync::{Arc, OnceLock};

use super::number_words;
use super::FigureMention;
use crate::extract::Extractors;
use crate::ingest::RawArticle;
use crate::lexicon::LexiconSet;
use crate::prepare::Preparer;

fn loaded() -> &'static (Preparer, Extractors) {
    static LOADED: OnceLock<(Preparer, Extractors)> = OnceLock::new();
    LOADED.get_or_init(|| {
        let lexicons = LexiconSet::bundled();
        let figures = ["figures".to_string()];
        (
            Preparer::new(&lexicons).unwrap(),
            Extractors::load(&lexicons, Some(&figures), None).unwrap(),
        )
    })
}

/// Figures in `text`, read as language `lang`.
fn figures(lang: &str, text: &str) -> Vec<FigureMention> {
    let (preparer, extractors) = loaded();
    let raw = RawArticle {
        text: text.into(),
        ..RawArticle::default()
    };
    let doc = preparer
        .prepare_as(raw, Arc::from("test"), 0, Some(lang))
        .unwrap();
    let found = extractors.extract(&doc).into_of::<FigureMention>();
    for f in &found {
        let chars: String = doc
            .text
            .chars()
            .skip(f.base.start as usize)
            .take((f.base.end - f.base.start) as usize)
            .collect();
        assert_eq!(chars, f.base.surface, "offsets of {f:?}");
    }
    found
}

/// The one figure whose surface is `surface`, or else the one that contains it.
fn one<'a>(found: &'a [FigureMention], surface: &str) -> &'a FigureMention {
    let exact: Vec<&FigureMention> = found.iter().filter(|f| f.base.surface == surface).collect();
    let hits: Vec<&FigureMention> = if exact.is_empty() {
        found
            .iter()
            .filter(|f| f.base.surface.contains(surface))
            .collect()
    } else {
        exact
    };
    assert_eq!(hits.len(), 1, "`{surface}` in {}", compact(found));
    hits[0]
}

/// One line per figure, for failure messages.
fn compact(found: &[FigureMention]) -> String {
    found
        .iter()
        .map(|f| {
            format!(
                "\n  «{}» {} [{:?}, {:?}] {:?} unit={:?} {} by={:?}",
                f.base.surface,
                f.value,
                f.lower,
                f.upper,
                f.qualifier.map(|q| q.as_str()),
                f.unit_surface,
                f.category,
                f.attributed_to
            )
        })
        .collect()
}

fn summary(f: &FigureMention) -> (f64, Option<f64>, Option<f64>, Option<&'static str>, &str) {
    (
        f.value,
        f.lower,
        f.upper,
        f.qualifier.map(|q| q.as_str()),
        &f.category,
    )
}

#[test]
fn english_digits_words_qualifiers_and_categories() {
    let found = figures(
        "en",
        "Armenia said that over 100,000 people have fled. At least 200 ethnic Armenians \
         were killed and nearly 400 wounded. Officials counted 3.5 million dollars in \
         damage and about 12% of homes destroyed. Some two dozen soldiers are missing. \
         One hundred and twenty thousand residents lived there. Tens of thousands of \
         refugees arrived, and hundreds more were injured. Only a few hundred people \
         remained. Between 150-200 were detained, and 150 to 200 more were arrested.",
    );
    assert_eq!(
        summary(one(&found, "100,000")),
        (
            100_000.0,
            Some(100_000.0),
            None,
            Some("lower_exclusive"),
            "people.displaced"
        )
    );
    let killed = one(&found, "At least 200");
    assert_eq!(
        summary(killed),
        (200.0, Some(200.0), None, Some("lower"), "people.killed")
    );
    assert_eq!(killed.unit_surface.as_deref(), Some("ethnic Armenians"));
    assert_eq!(
        summary(one(&found, "nearly 400")),
        (
            400.0,
            None,
            Some(400.0),
            Some("upper_exclusive"),
            "people.injured"
        )
    );
    assert_eq!(one(&found, "3.5 million").value, 3_500_000.0);
    assert_eq!(&*one(&found, "3.5 million").category, "money");
    let percent = one(&found, "12");
    assert_eq!((percent.value, &*percent.category), (12.0, "percent"));
    assert!(percent.approximate);
    let dozen = one(&found, "two dozen");
    assert_eq!((dozen.value, &*dozen.category), (24.0, "military.soldiers"));
    assert_eq!(
        one(&found, "One hundred and twenty thousand").value,
        120_000.0
    );
    let tens = one(&found, "Tens of thousands");
    assert_eq!(
        (tens.lower, tens.upper, tens.vague, &*tens.category),
        (Some(20_000.0), Some(99_999.0), true, "people.displaced")
    );
    let hundreds = one(&found, "hundreds");
    assert_eq!(
        (hundreds.lower, hundreds.upper, &*hundreds.category),
        (Some(200.0), None, "people.injured")
    );
    let few = one(&found, "a few hundred");
    assert_eq!(
        (few.lower, few.upper, &*few.category),
        (Some(200.0), Some(999.0), "people.remaining")
    );
    let ranges: Vec<_> = found.iter().filter(|f| f.range).collect();
    assert_eq!(ranges.len(), 2, "{}", compact(&found));
    for r in ranges {
        assert_eq!(
            (r.lower, r.upper, r.value),
            (Some(150.0), Some(200.0), 175.0)
        );
        assert_eq!(&*r.category, "people.detained");
    }
}

#[test]
fn english_dates_ordinals_times_and_identifiers_are_not_counts() {
    let found = figures(
        "en",
        "On September 19, 2023 the offensive began at 06:30; it was the second war since \
         the 2020 war. Article 5 and Resolution 2722 were cited. A 45-year-old man and \
         three decades of control were mentioned, and 1st and 2nd units moved in \
         November 2020.",
    );
    for f in &found {
        assert!(
            matches!(&*f.category, "date" | "duration"),
            "not a count: {}",
            compact(std::slice::from_ref(f))
        );
    }
    let dates: Vec<&str> = found
        .iter()
        .filter(|f| &*f.category == "date")
        .map(|f| f.base.surface.as_str())
        .collect();
    assert_eq!(
        dates,
        vec!["19", "2023", "2020", "2020"],
        "{}",
        compact(&found)
    );
    assert_eq!(&*one(&found, "three").category, "duration");
}

#[test]
fn armenian_digits_words_qualifiers_and_suffixes() {
    let found = figures(
        "hy",
        "Ավելի քան 100 000 մարդ լքել է Լեռնային Ղարաբաղը։ Առնվազն 200 մարդ զոհվել է, \
         մոտ 400 մարդ վիրավորվել է։ Հարյուր քսանհինգ հազար փախստական է ժամանել \
         Հայաստան։ Տասնյակ հազարավոր մարդիկ տեղահանվել են։ 1,5 մլն դրամ է հատկացվել։ \
         Զոհերի թիվը 200-ից ավելի է։ 150-200 մարդ ձերբակալվել է։ Տնտեսության 5 տոկոսը \
         վնասվել է։ Սեպտեմբերի 19-ին սկսվեց հարձակումը, 2020 թվականին պատերազմ էր։ \
         Սեպտեմբերի 21-ի և 22-ի բանակցություններից հետո 78-ամյա կինը մնաց։",
    );
    assert_eq!(
        summary(one(&found, "100 000")),
        (
            100_000.0,
            Some(100_000.0),
            None,
            Some("lower_exclusive"),
            "people.displaced"
        )
    );
    assert_eq!(
        summary(one(&found, "Առնվազն 200")),
        (200.0, Some(200.0), None, Some("lower"), "people.killed")
    );
    let about = one(&found, "մոտ 400");
    assert!(about.approximate);
    assert_eq!(&*about.category, "people.injured");
    let words = one(&found, "Հարյուր քսանհինգ հազար");
    assert_eq!(
        (words.value, &*words.category),
        (125_000.0, "people.displaced")
    );
    let tens = one(&found, "Տասնյակ հազարավոր");
    assert_eq!((tens.lower, tens.upper), (Some(20_000.0), Some(99_999.0)));
    assert_eq!(one(&found, "1,5 մլն").value, 1_500_000.0);
    assert_eq!(&*one(&found, "1,5 մլն").category, "money");
    let suffixed = one(&found, "200-ից ավելի");
    assert_eq!(
        suffixed.qualifier.map(|q| q.as_str()),
        Some("lower_exclusive")
    );
    let range = one(&found, "150-200");
    assert_eq!((range.lower, range.upper), (Some(150.0), Some(200.0)));
    assert_eq!(&*one(&found, "5").category, "percent");
    assert_eq!(&*one(&found, "19-ին").category, "date");
    assert_eq!(&*one(&found, "2020").category, "date");
    // A list of days after a month, and an age, are not counts.
    assert_eq!(&*one(&found, "22-ի").category, "date");
    assert!(found.iter().all(|f| !f.base.surface.contains("78")));
}

#[test]
fn azerbaijani_digits_words_qualifiers_and_suffixes() {
    let found = figures(
        "az",
        "Ən azı 200 nəfər həlak olub. 100 mindən çox sakin Qarabağı tərk edib. \
         Təxminən 1,5 milyon manat ayrılıb. Yüzlərlə insan yaralanıb. On minlərlə \
         qaçqın Ermənistana keçib. Yüz iyirmi min nəfər köçüb. 150-dən 200-ə qədər \
         şəxs saxlanılıb. Əhalinin %5-i qalıb. Qalan sakinlərin sayı 1000-ə yaxındır. 19 sentyabrda, 2023-cü ildə əməliyyat \
         başladı, saat 5-də bitdi. Onun ailəsi orada idi. 100.000 nəfərə yaxın adam \
         köçüb.",
    );
    assert_eq!(
        summary(one(&found, "Ən azı 200")),
        (200.0, Some(200.0), None, Some("lower"), "people.killed")
    );
    let glued = one(&found, "100 mindən çox");
    assert_eq!(
        summary(glued),
        (
            100_000.0,
            Some(100_000.0),
            None,
            Some("lower_exclusive"),
            "people.displaced"
        )
    );
    assert_eq!(glued.unit_surface.as_deref(), Some("sakin"));
    let money = one(&found, "1,5 milyon");
    assert_eq!((money.value, &*money.category), (1_500_000.0, "money"));
    assert!(money.approximate);
    let hundreds = one(&found, "Yüzlərlə");
    assert_eq!(
        (hundreds.lower, hundreds.vague, &*hundreds.category),
        (Some(200.0), true, "people.injured")
    );
    let tens = one(&found, "On minlərlə");
    assert_eq!((tens.lower, tens.upper), (Some(20_000.0), Some(99_999.0)));
    assert_eq!(one(&found, "Yüz iyirmi min").value, 120_000.0);
    let range = one(&found, "150-dən");
    assert_eq!(
        (range.lower, range.upper, range.range, &*range.category),
        (Some(150.0), Some(200.0), true, "people.detained")
    );
    // The qualifier's last word may carry an ending of its own (yaxın + dır).
    let close_to = one(&found, "1000-ə yaxındır");
    assert_eq!(
        (close_to.value, close_to.qualifier.map(|q| q.as_str())),
        (1000.0, Some("upper_exclusive"))
    );
    let percent = one(&found, "5-i");
    assert_eq!(
        (&*percent.category, percent.unit_surface.as_deref()),
        ("percent", Some("%"))
    );
    assert_eq!(&*one(&found, "19").category, "date");
    let near = one(&found, "100.000");
    assert_eq!(
        (near.value, near.qualifier.map(|q| q.as_str())),
        (100_000.0, Some("upper_exclusive"))
    );
    // 2023-cü is an ordinal, saat 5 a clock time, onun "his": none is a count.
    assert!(found.iter().all(|f| !f.base.surface.contains("2023")));
    assert!(found.iter().all(|f| f.base.surface != "5-də"));
    assert!(found.iter().all(|f| f.base.surface != "Onun"));
}

#[test]
fn attribution_comes_from_the_sentence() {
    let en = figures(
        "en",
        "The UN refugee agency said 100,000 people had arrived. According to local \
         officials, at least 200 people were killed.",
    );
    assert!(one(&en, "100,000")
        .attributed_to
        .as_deref()
        .is_some_and(|a| a.contains("UN")));
    assert_eq!(
        one(&en, "at least 200").attributed_to.as_deref(),
        Some("local officials")
    );
    // A demonym is not the speaker: the phrase it starts is, or nobody.
    let en = figures(
        "en",
        "According to the Armenian government, more than 100,600 people had arrived. \
         Officials say illegal Armenian armed formations brought 500 rifles.",
    );
    assert_eq!(
        one(&en, "more than 100,600").attributed_to.as_deref(),
        Some("Armenian government")
    );
    assert_ne!(one(&en, "500").attributed_to.as_deref(), Some("Armenian"));
    let az = figures(
        "az",
        "Səhiyyə Nazirliyinin məlumatına görə, 192 hərbçi həlak olub.",
    );
    assert!(one(&az, "192").attributed_to.is_some(), "{}", compact(&az));
    let hy = figures(
        "hy",
        "ՄԱԿ-ը հայտնել է, որ 100 հազար փախստական է ժամանել Հայաստան։",
    );
    assert!(
        one(&hy, "100 հազար").attributed_to.is_some(),
        "{}",
        compact(&hy)
    );
}

#[test]
fn number_words_round_trip_in_every_language() {
    for lang in ["en", "hy", "az"] {
        let mut failures = Vec::new();
        for n in number_words::samples() {
            let words = number_words::to_words(lang, n);
            let unit = match lang {
                "en" => "people",
                "hy" => "մարդ",
                _ => "nəfər",
            };
            let text = format!("{words} {unit}.");
            let found = figures(lang, &text);
            if found.len() != 1 || found[0].value != n as f64 || found[0].base.surface != words {
                failures.push((n, words, found.first().map(|f| f.value)));
            }
        }
        assert!(failures.is_empty(), "{lang}: {failures:?}");
    }
}

#[test]
fn thousands_grouped_by_any_space() {
    for (lang, space, unit) in [
        ("hy", '\u{a0}', "մարդ"),
        ("az", '\u{2009}', "nəfər"),
        ("az", '\u{202f}', "nəfər"),
        ("en", ' ', "people"),
    ] {
        let text = format!("1{space}250{space}000 {unit}.");
        let found = figures(lang, &text);
        assert_eq!(found.len(), 1, "{lang} {space:?}: {}", compact(&found));
        assert_eq!(found[0].value, 1_250_000.0);
        assert_eq!(found[0].base.surface, format!("1{space}250{space}000"));
    }
}

#[test]
fn small_number_words_need_a_counted_noun() {
    for (lang, text, value) in [
        ("en", "Seven people were killed.", 7.0),
        ("hy", "Յոթ մարդ զոհվել է։", 7.0),
        ("az", "Yeddi nəfər həlak olub.", 7.0),
    ] {
        let found = figures(lang, text);
        assert_eq!(found.len(), 1, "{lang}: {}", compact(&found));
        assert_eq!(found[0].value, value);
    }
    assert!(figures("en", "No one knows whether one of them was killed.").is_empty());
}

#[test]
fn figures_beyond_any_count_give_no_row_and_none_is_infinite() {
    let huge = "9".repeat(309);
    let found = figures(
        "en",
        &format!("Officials said {huge} people fled, and 120 people returned."),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].value, 120.0);
    let found = figures(
        "en",
        "Officials said 2 quadrillion dollars and 5,000 billion billion people.",
    );
    assert!(
        found
            .iter()
            .all(|f| f.value.is_finite() && f.value <= super::MAX_FIGURE),
        "{found:?}"
    );
}
