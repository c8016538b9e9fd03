//! The entity stage on the hand-annotated CoNLL files: scores must not fall below the
//! levels reached when these files were written (README gives the figures).

mod common;

use common::*;
use newsframe::eval_ner::evaluate;
use newsframe::lexicon::LexiconSet;

/// Overall F1 floors, a little under the measured 0.970 (en), 0.900 (hy), 0.896 (az).
const FLOORS: [(&str, f64); 3] = [("en", 0.95), ("hy", 0.88), ("az", 0.87)];

#[test]
fn entity_scores_do_not_regress() {
    let lexicons = LexiconSet::bundled();
    for (lang, floor) in FLOORS {
        let path = repo().join(format!("tests/ner/{lang}.conll"));
        let report = evaluate(&path, Some(lang), &lexicons).unwrap();
        assert!(report.tokens >= 300, "{lang}: {} tokens", report.tokens);
        for label in ["PER", "ORG", "GPE"] {
            assert!(
                report.labels[label].gold > 5,
                "{lang}: few {label} in the file"
            );
        }
        assert!(
            report.overall.f1 >= floor,
            "{lang}: F1 {:.3} < {floor}\n{}",
            report.overall.f1,
            report.render()
        );
    }
}

#[test]
fn eval_ner_command_prints_scores_per_label() {
    let out = newsframe()
        .args(["eval-ner", "--lang", "en"])
        .arg(repo().join("tests/ner/en.conll"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for word in ["PER", "ORG", "GPE", "overall", "precision", "recall", "F1"] {
        assert!(text.contains(word), "{word} missing in\n{text}");
    }
}
