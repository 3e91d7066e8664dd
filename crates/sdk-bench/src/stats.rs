//! Medians, and how sure a median of noisy rounds is.
//!
//! On a shared machine the SDK/raw throughput ratio of one round ranges
//! from about 0.6× to 1.4×, so the median of 31 rounds moves by several
//! per cent from one run to the next. A target verdict from that median
//! alone would flip between runs; [`median_interval`] gives the median a
//! distribution-free confidence interval (from the order statistics, which
//! assumes only independent rounds), and [`MedianInterval::verdict`] calls
//! a target met or missed only when the whole interval says so.

/// The median of `values` (the lower middle one for an even count).
pub fn median<T: Copy>(
    mut values: Vec<T>,
    order: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Option<T> {
    values.sort_by(order);
    values.get(middle(values.len())).copied()
}

/// The index of the median in `len` sorted values.
fn middle(len: usize) -> usize {
    len.saturating_sub(1) / 2
}

/// A median with a confidence interval for the true median.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MedianInterval {
    /// The sample median ([`median`]).
    pub median: f64,
    /// The interval's ends, or `None` when there are too few values for
    /// the confidence asked for (fewer than 6 at 95%).
    pub bounds: Option<(f64, f64)>,
    /// The interval's exact coverage, at least the confidence asked for
    /// (0 when there is no interval).
    pub coverage: f64,
    /// The number of values.
    pub count: usize,
}

/// What an interval says about a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The whole interval is at or above the target.
    Met,
    /// The whole interval is below the target.
    Missed,
    /// The interval contains the target (or there is none): more rounds,
    /// or a quieter machine, are needed to tell.
    Undecided,
}

impl MedianInterval {
    /// Whether the median is at least `target`, as far as the interval
    /// can tell.
    pub fn verdict(&self, target: f64) -> Verdict {
        match self.bounds {
            Some((low, _)) if low >= target => Verdict::Met,
            Some((_, high)) if high < target => Verdict::Missed,
            _ => Verdict::Undecided,
        }
    }
}

/// The median of `values` with a distribution-free interval covering the
/// true median with probability at least `confidence` (in `(0, 1)`): the
/// `k`-th smallest and `k`-th largest values for the largest `k` with
/// `2·P(B ≤ k − 1) ≤ 1 − confidence`, where `B` is binomial with `n`
/// trials and probability ½. `None` for no values, a NaN among them, or a
/// confidence outside `(0, 1)`.
pub fn median_interval(values: &[f64], confidence: f64) -> Option<MedianInterval> {
    if values.is_empty() || values.iter().any(|value| value.is_nan()) {
        return None;
    }
    if !(confidence > 0.0 && confidence < 1.0) {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let count = sorted.len();
    let median = sorted[middle(count)];
    let alpha = 1.0 - confidence;
    // P(B ≤ j) for j = 0, 1, …, accumulated while both tails stay within
    // alpha; k − 1 is the last such j.
    let mut tail = 0.0;
    let mut coverage = 0.0;
    let mut k = 0;
    for (j, probability) in binomial_half(count).take(count.div_ceil(2)).enumerate() {
        tail += probability;
        if 2.0 * tail > alpha {
            break;
        }
        k = j + 1;
        coverage = 1.0 - 2.0 * tail;
    }
    let bounds = (k >= 1).then(|| (sorted[k - 1], sorted[count - k]));
    Some(MedianInterval {
        median,
        bounds,
        coverage,
        count,
    })
}

/// P(B = 0), P(B = 1), …, P(B = n) for B binomial with `n` trials and
/// probability ½. Through logarithms, so that large `n` does not underflow
/// `0.5ⁿ`, and each term from the last, so that the walk is linear in `n`.
fn binomial_half(n: usize) -> impl Iterator<Item = f64> {
    let n_f = n as f64;
    let ln_all = n_f * std::f64::consts::LN_2;
    // ln C(n, j), updated as j grows.
    let mut ln_choose = 0.0;
    (0..=n).map(move |j| {
        if j > 0 {
            let j_f = j as f64;
            ln_choose += ((n_f - j_f + 1.0) / j_f).ln();
        }
        (ln_choose - ln_all).exp()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_lower_middle_value() {
        assert_eq!(median(vec![3, 1, 2], Ord::cmp), Some(2));
        assert_eq!(median(vec![4, 1, 3, 2], Ord::cmp), Some(2));
        assert_eq!(median(Vec::<u8>::new(), Ord::cmp), None);
    }

    #[test]
    fn binomial_probabilities_sum_to_one_and_match_small_cases() {
        for n in [1, 6, 31, 151, 2000, 200_000] {
            let total: f64 = binomial_half(n).sum();
            assert!((total - 1.0).abs() < 1e-9, "n = {n}: {total}");
            assert_eq!(binomial_half(n).count(), n + 1);
        }
        // C(6, 2) / 2⁶
        let six: Vec<f64> = binomial_half(6).collect();
        assert!((six[2] - 15.0 / 64.0).abs() < 1e-12);
        assert!((six[6] - 1.0 / 64.0).abs() < 1e-12);
    }

    #[test]
    fn the_interval_uses_the_textbook_order_statistics() {
        // For 31 values at 95% the interval is the 10th to the 22nd value
        // (2·P(B ≤ 9) ≈ 0.0294; 2·P(B ≤ 10) ≈ 0.0708 is too much).
        let values: Vec<f64> = (1..=31).map(f64::from).collect();
        let interval = median_interval(&values, 0.95).unwrap();
        assert_eq!(interval.median, 16.0);
        assert_eq!(interval.bounds, Some((10.0, 22.0)));
        assert!((interval.coverage - 0.9706).abs() < 1e-3, "{interval:?}");
        assert_eq!(interval.count, 31);
        // The order of the input does not matter.
        let mut shuffled = values.clone();
        shuffled.reverse();
        shuffled.swap(3, 20);
        assert_eq!(median_interval(&shuffled, 0.95), Some(interval));
        // For 6 values the widest interval, min to max, covers 1 − 2/64.
        let six = median_interval(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 0.95).unwrap();
        assert_eq!(six.bounds, Some((1.0, 6.0)));
        assert!((six.coverage - 62.0 / 64.0).abs() < 1e-12);
    }

    #[test]
    fn many_rounds_give_a_narrow_interval_quickly() {
        // 100,001 values 0..=100,000: the 95% interval of the median is
        // about ±1.96·√n/2 ≈ ±310 ranks around it.
        let values: Vec<f64> = (0..=100_000).map(f64::from).collect();
        let interval = median_interval(&values, 0.95).unwrap();
        assert_eq!(interval.median, 50_000.0);
        let (low, high) = interval.bounds.unwrap();
        assert!((49_680.0..49_700.0).contains(&low), "{interval:?}");
        assert!((50_300.0..50_320.0).contains(&high), "{interval:?}");
        assert!(
            interval.coverage >= 0.95 && interval.coverage < 0.951,
            "{interval:?}"
        );
    }

    #[test]
    fn too_few_or_bad_values_give_no_interval() {
        let five = median_interval(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.95).unwrap();
        assert_eq!(five.median, 3.0);
        assert_eq!(five.bounds, None);
        assert_eq!(five.coverage, 0.0);
        assert_eq!(five.verdict(0.0), Verdict::Undecided);
        assert_eq!(median_interval(&[], 0.95), None);
        assert_eq!(median_interval(&[1.0, f64::NAN], 0.95), None);
        assert_eq!(median_interval(&[1.0; 10], 1.0), None);
        assert_eq!(median_interval(&[1.0; 10], 0.0), None);
    }

    #[test]
    fn a_verdict_needs_the_whole_interval() {
        let ratios =
            |low: f64| -> Vec<f64> { (0..31).map(|i| low + f64::from(i) * 0.01).collect() };
        // 10th to 22nd value: [low + 0.09, low + 0.21].
        let met = median_interval(&ratios(0.82), 0.95).unwrap();
        assert_eq!(met.verdict(0.9), Verdict::Met, "{met:?}");
        let missed = median_interval(&ratios(0.60), 0.95).unwrap();
        assert_eq!(missed.verdict(0.9), Verdict::Missed, "{missed:?}");
        let undecided = median_interval(&ratios(0.75), 0.95).unwrap();
        assert_eq!(undecided.verdict(0.9), Verdict::Undecided, "{undecided:?}");
    }
}
