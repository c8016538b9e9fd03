//! Keyness of a term for a group against the rest of the corpus: the log-odds ratio
//! with an informative Dirichlet prior and its z-score (Monroe, Colaresi & Quinn 2008,
//! "Fightin' Words", eq. 16–22).
//!
//! For term w, group i and the other groups together j, with counts y and totals n:
//!
//! ```text
//! δ_w = ln((y_wi + α_w) / (n_i + α_0 − y_wi − α_w)) − ln((y_wj + α_w) / (n_j + α_0 − y_wj − α_w))
//! σ²  = 1 / (y_wi + α_w) + 1 / (y_wj + α_w)          z = δ_w / σ
//! ```
//!
//! The prior is informative: α_w = α_0 · y_w / n, the term's share of the whole
//! corpus, with α_0 = [`PRIOR_WEIGHT`] · n. A group that mentions a frame twice does
//! not get a wild ratio: its counts are pulled towards the corpus-wide rate.

use std::collections::HashMap;

/// Prior size as a multiple of the corpus's total count (α_0 = weight · n).
pub const PRIOR_WEIGHT: f64 = 1.0;

/// Log-odds ratio and z-score for each `(group, term, count)` row, in row order.
/// Rows with the same group and term should be summed beforehand.
pub fn fightin_words<G, T>(rows: &[(G, T, f64)]) -> Vec<(f64, f64)>
where
    G: std::hash::Hash + Eq,
    T: std::hash::Hash + Eq,
{
    let mut by_group: HashMap<&G, f64> = HashMap::new();
    let mut by_term: HashMap<&T, f64> = HashMap::new();
    let mut total = 0.0;
    for (g, t, y) in rows {
        *by_group.entry(g).or_default() += y;
        *by_term.entry(t).or_default() += y;
        total += y;
    }
    let alpha_0 = PRIOR_WEIGHT * total;
    rows.iter()
        .map(|(g, t, y_i)| {
            let (n_i, y_w) = (by_group[g], by_term[t]);
            let (n_j, y_j) = (total - n_i, y_w - y_i);
            let alpha_w = alpha_0 * y_w / total;
            let odds = |y: f64, n: f64| (y + alpha_w) / (n + alpha_0 - y - alpha_w);
            let delta = odds(*y_i, n_i).ln() - odds(y_j, n_j).ln();
            let variance = 1.0 / (y_i + alpha_w) + 1.0 / (y_j + alpha_w);
            (delta, delta / variance.sqrt())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn matches_a_hand_computed_example() {
        // Group A says x 3 times and y once; group B the reverse. n = 8, y_x = y_y = 4,
        // so α_0 = 8 and α_x = α_y = 4. For (A, x): y_i = 3, n_i = 4, y_j = 1, n_j = 4:
        //   δ = ln(7 / 5) − ln(5 / 7) = 2 ln 1.4 = 0.672944473242426
        //   σ² = 1/7 + 1/5 = 12/35,   z = 0.672944473242426 / 0.585540043769120
        //      = 1.149271480923292
        let rows = [
            ("A", "x", 3.0),
            ("A", "y", 1.0),
            ("B", "x", 1.0),
            ("B", "y", 3.0),
        ];
        let out = fightin_words(&rows);
        assert!(close(out[0].0, 0.672944473242426), "{out:?}");
        assert!(close(out[0].1, 1.149271480923292), "{out:?}");
        // Symmetry: A under-uses y exactly as much as it over-uses x.
        assert!(close(out[1].0, -out[0].0) && close(out[1].1, -out[0].1));
        assert!(close(out[2].0, -out[0].0) && close(out[3].0, out[0].0));
    }

    #[test]
    fn a_small_group_is_pulled_towards_the_corpus_rate() {
        // A group with a single mention of a rare term: the naive log-odds against the
        // rest would be large; the prior keeps the z-score small.
        let rows = [
            ("small", "rare", 1.0),
            ("big", "rare", 1.0),
            ("big", "common", 200.0),
        ];
        let out = fightin_words(&rows);
        assert!(out[0].0 > 0.0, "the small group does over-use the term");
        assert!(out[0].1 < 2.0, "but not significantly: {out:?}");
    }
}
