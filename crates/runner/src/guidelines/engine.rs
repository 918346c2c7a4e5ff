//! The statistics engine of the verdicts (the catalogue's statistics, version 2). A guideline is
//! a few parts; every part is decided the same way:
//!
//! 1. Its sample has one value per seed: the per-seed difference A - B of two runs that share
//!    the seed (the same data, split, initial draw and batch order), oriented so that positive is
//!    the side the claim names; or, for a range or a fixed line, the value itself.
//! 2. Its estimate with a 95% confidence interval: the mean with a paired t interval, or, for a
//!    censored or non-normal metric such as epochs-to-target, the median with the sign-test
//!    (order-statistic) interval, which assumes no distribution.
//! 3. Its claim: `better` (beyond the minimal difference that matters, delta), `not-worse`
//!    (above -delta), `tied` (within ±delta: two one-sided tests), `inside` or `outside` a range.
//!    Each claim has a one-sided test for "holds" and one for "fails"; the smaller p-value (on
//!    the two-sided scale, so that one part alone holds exactly when its 95% interval lies
//!    beyond the boundary) is the part's p. A guideline's parts are Holm-corrected together,
//!    and a part is decided when its corrected p is below 0.05 and it has at least three pairs.
//! 4. An undecided part says how many seeds would decide it at the observed estimate and spread
//!    (the smallest n whose interval, at the Bonferroni level of the guideline's parts, would
//!    clear the nearest boundary).
//!
//! `better` fails when the interval lies on the other side of zero, or inside ±delta (the claimed
//! difference is absent): so a true difference inside ±delta ends in `fails` with enough seeds,
//! never in an undecidable limbo.

use serde::Serialize;

use super::thresholds::{ALPHA, MAX_SEEDS_NEEDED, MIN_PAIRS};
use crate::num::num;
use crate::stats::{
    binomial_half_upper, holm, mean, median, std_dev, student_t_quantile, student_t_upper,
};

/// What a part claims about its sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "claim")]
pub enum Claim {
    /// Above +delta (positive is the claimed side).
    Better,
    /// Above -delta: not worse by more than the difference that matters.
    NotWorse,
    /// Within ±delta.
    Tied,
    /// In [low, high].
    Inside {
        /// Lower end.
        low: f64,
        /// Upper end.
        high: f64,
    },
    /// Below `low` or above `high`.
    Outside {
        /// Lower end.
        low: f64,
        /// Upper end.
        high: f64,
    },
}

/// How the estimate and its interval are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Mean, t interval (paired when the sample is per-seed differences).
    PairedT,
    /// Median, sign-test interval (order statistics): for censored or non-normal metrics.
    Sign,
}

/// A part's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// The claimed side, beyond the boundary.
    Holds,
    /// The other side.
    Fails,
    /// Neither, at the corrected level (or fewer than three pairs).
    Undecided,
}

impl Decision {
    /// As printed.
    pub fn name(self) -> &'static str {
        match self {
            Decision::Holds => "holds",
            Decision::Fails => "fails",
            Decision::Undecided => "undecided",
        }
    }
}

/// Which side of a boundary a one-sided test looks for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Side {
    Above,
    Below,
}

/// One-sided tests: a decision holds when, for some conjunction, every test rejects.
type Tests = Vec<Vec<(f64, Side)>>;

/// The two groups a paired part compares, as measured: what a reader needs to see which way the
/// difference goes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Groups {
    /// The first group (`elu`), the `a` of "a - b".
    pub a: String,
    /// Its value over the paired seeds (mean; median for the sign method), in the part's unit.
    pub a_value: f64,
    /// The second group (`relu`).
    pub b: String,
    /// Its value over the same seeds.
    pub b_value: f64,
    /// Whether larger values of the unit are better (the difference is oriented so that
    /// positive means `a` is better).
    pub higher_is_better: bool,
}

/// One part of a guideline, decided: the contract of `guidelines --format json` (`parts`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    /// What is compared, in words (`relu - tanh, epochs to train accuracy 0.9`).
    pub label: String,
    /// Unit of the sample (`accuracy`, `epochs`, `log10 MSE`...).
    pub unit: String,
    /// The claim (with its range for `inside`/`outside`).
    #[serde(flatten)]
    pub claim: Claim,
    /// Estimate and interval method.
    pub method: Method,
    /// Minimal difference that matters (none for ranges).
    pub delta: Option<f64>,
    /// Values in the sample (seed pairs, or seeds).
    pub n_pairs: usize,
    /// Estimate: mean (t) or median (sign); none without values.
    pub difference: Option<f64>,
    /// 95% confidence interval; none where unbounded (too few values).
    pub ci_low: Option<f64>,
    /// Upper end of the interval.
    pub ci_high: Option<f64>,
    /// Paired Cohen's d (mean / standard deviation of the sample) for `t`, or the sign effect
    /// (share of positive minus share of negative values) for `sign`; none for ranges.
    pub effect_size: Option<f64>,
    /// p-value of the leaning decision (two-sided scale), before correction.
    pub p: f64,
    /// Holm-corrected over the guideline's parts.
    pub p_adjusted: f64,
    /// `holds`, `fails` or `undecided`.
    pub decision: Decision,
    /// For an undecided part: seeds that would decide it at the observed estimate and spread
    /// (none: no number up to the cap would).
    pub seeds_needed: Option<usize>,
    /// For a part comparing two groups: both, with their values and the direction of the unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Groups>,
    #[serde(skip)]
    sample: Vec<f64>,
    #[serde(skip)]
    lean: Decision,
}

impl Part {
    /// A part on `sample` (non-finite values are dropped), not yet decided: see [`decide`].
    pub fn new(
        label: impl Into<String>,
        unit: impl Into<String>,
        claim: Claim,
        method: Method,
        delta: f64,
        sample: Vec<f64>,
    ) -> Part {
        let sample: Vec<f64> = sample.into_iter().filter(|v| v.is_finite()).collect();
        let n = sample.len();
        let estimate = match method {
            Method::PairedT => mean(&sample),
            Method::Sign => median(&sample),
        };
        let (low, high) = interval(&sample, method);
        let finite = |v: f64| v.is_finite().then_some(v);
        let effect_size = match (claim, method) {
            (Claim::Inside { .. } | Claim::Outside { .. }, _) => None,
            (_, Method::PairedT) => finite(estimate / std_dev(&sample)),
            (_, Method::Sign) => (n > 0).then(|| {
                let count = |keep: fn(f64) -> bool| sample.iter().filter(|v| keep(**v)).count();
                (count(|v| v > 0.0) as f64 - count(|v| v < 0.0) as f64) / n as f64
            }),
        };
        let (hold, fail) = tests(claim, delta);
        let (p_hold, p_fail) = (p_value(&sample, method, &hold), p_value(&sample, method, &fail));
        let lean = if p_hold <= p_fail { Decision::Holds } else { Decision::Fails };
        let p = (2.0 * p_hold.min(p_fail)).min(1.0);
        Part {
            label: label.into(),
            unit: unit.into(),
            claim,
            method,
            delta: (!matches!(claim, Claim::Inside { .. } | Claim::Outside { .. }))
                .then_some(delta),
            n_pairs: n,
            difference: finite(estimate),
            ci_low: finite(low),
            ci_high: finite(high),
            effect_size,
            p,
            p_adjusted: p,
            decision: Decision::Undecided,
            seeds_needed: None,
            groups: None,
            sample,
            lean,
        }
    }

    /// The part with the groups it compares (see [`Groups`]).
    pub fn with_groups(mut self, groups: Groups) -> Part {
        self.groups = Some(groups);
        self
    }

    /// `relu - tanh: +0.12 [0.08, 0.16] accuracy, d = 3.1, n = 9, p_adj = 0.001 → holds`; a
    /// part with [`Groups`] names both values and the direction in words: `elu - relu: elu 0.637
    /// vs relu 0.294 |mean|, lower is better: elu worse by 0.343 [0.288, 0.399] (...) → fails`.
    pub fn text(&self) -> String {
        let opt = |v: Option<f64>, unbounded: &str| v.map(num).unwrap_or_else(|| unbounded.into());
        let boundary = match (self.claim, self.delta) {
            (Claim::Better, Some(d)) => format!("better by > {}", num(d)),
            (Claim::NotWorse, Some(d)) => format!("not worse by > {}", num(d)),
            (Claim::Tied, Some(d)) => format!("within ±{}", num(d)),
            (Claim::Inside { low, high }, _) => format!("inside [{}, {}]", num(low), num(high)),
            (Claim::Outside { low, high }, _) => format!("outside [{}, {}]", num(low), num(high)),
            _ => String::new(),
        };
        let effect = match self.effect_size {
            Some(e) => format!(
                ", {} = {}",
                if self.method == Method::Sign { "sign effect" } else { "d" },
                num(e)
            ),
            None => String::new(),
        };
        let needed = match (self.decision, self.seeds_needed) {
            (Decision::Undecided, Some(n)) => format!(", ~{n} seeds would decide"),
            (Decision::Undecided, None) if self.n_pairs > 0 => {
                format!(", not decidable by up to {MAX_SEEDS_NEEDED} seeds")
            }
            _ => String::new(),
        };
        let tail = format!(
            "({boundary}{effect}, n = {}, p_adj = {}) → {}{needed}",
            self.n_pairs,
            num(self.p_adjusted),
            self.decision.name()
        );
        if let (Some(g), Some(d)) = (&self.groups, self.difference) {
            // The interval of "better by" is the interval of the difference; of "worse by", the
            // interval of its negation.
            let (word, size, low, high) = if d >= 0.0 {
                ("better", d, self.ci_low, self.ci_high)
            } else {
                ("worse", -d, self.ci_high.map(|h| -h), self.ci_low.map(|l| -l))
            };
            return format!(
                "{}: {} {} vs {} {} {}, {} is better: {} {word} by {} [{}, {}] {tail}",
                self.label,
                g.a,
                num(g.a_value),
                g.b,
                num(g.b_value),
                self.unit,
                if g.higher_is_better { "higher" } else { "lower" },
                g.a,
                num(size),
                opt(low, "-∞"),
                opt(high, "∞"),
            );
        }
        let estimate = match self.difference {
            Some(d) if !matches!(self.claim, Claim::Inside { .. } | Claim::Outside { .. }) => {
                format!("{}{}", if d > 0.0 { "+" } else { "" }, num(d))
            }
            other => opt(other, "-"),
        };
        format!(
            "{}: {estimate} [{}, {}] {} {tail}",
            self.label,
            opt(self.ci_low, "-∞"),
            opt(self.ci_high, "∞"),
            self.unit,
        )
    }
}

/// Holm-corrects `parts` together (the parts of one guideline) and decides each; undecided
/// parts get their seeds-needed estimate.
pub fn decide(parts: &mut [Part]) {
    let adjusted = holm(&parts.iter().map(|p| p.p).collect::<Vec<_>>());
    // The level each part would face in the worst case of Holm's steps (Bonferroni), for the
    // seeds-needed estimate.
    let level = ALPHA / parts.len().max(1) as f64;
    for (part, p_adjusted) in parts.iter_mut().zip(adjusted) {
        part.p_adjusted = p_adjusted;
        part.decision = if part.n_pairs >= MIN_PAIRS && p_adjusted < ALPHA {
            part.lean
        } else {
            Decision::Undecided
        };
        part.seeds_needed = match part.decision {
            Decision::Undecided => seeds_needed(part, level),
            _ => None,
        };
    }
}

/// The one-sided tests behind "holds" and behind "fails" for `claim`.
fn tests(claim: Claim, delta: f64) -> (Tests, Tests) {
    use Side::*;
    match claim {
        Claim::Better => (
            vec![vec![(delta, Above)]],
            vec![vec![(0.0, Below)], vec![(-delta, Above), (delta, Below)]],
        ),
        Claim::NotWorse => (vec![vec![(-delta, Above)]], vec![vec![(-delta, Below)]]),
        Claim::Tied => (
            vec![vec![(-delta, Above), (delta, Below)]],
            vec![vec![(delta, Above)], vec![(-delta, Below)]],
        ),
        Claim::Inside { low, high } => {
            (vec![vec![(low, Above), (high, Below)]], vec![vec![(low, Below)], vec![(high, Above)]])
        }
        Claim::Outside { low, high } => {
            (vec![vec![(low, Below)], vec![(high, Above)]], vec![vec![(low, Above), (high, Below)]])
        }
    }
}

/// p-value of a decision: the best conjunction, each as strong as its weakest test.
fn p_value(sample: &[f64], method: Method, tests: &Tests) -> f64 {
    tests
        .iter()
        .map(|all| {
            all.iter().map(|&(c, side)| one_sided(sample, method, c, side)).fold(0.0, f64::max)
        })
        .fold(1.0, f64::min)
}

/// One-sided p-value that the location lies on `side` of `c`.
fn one_sided(sample: &[f64], method: Method, c: f64, side: Side) -> f64 {
    let sign = if side == Side::Above { 1.0 } else { -1.0 };
    match method {
        Method::PairedT => {
            let n = sample.len();
            if n < 2 {
                return 1.0;
            }
            let distance = sign * (mean(sample) - c);
            let se = std_dev(sample) / (n as f64).sqrt();
            if se == 0.0 {
                return if distance > 0.0 { 0.0 } else { 1.0 };
            }
            student_t_upper(distance / se, (n - 1) as f64)
        }
        Method::Sign => {
            let (favour, against) = sign_counts(sample, c, side);
            binomial_half_upper(favour, favour + against)
        }
    }
}

/// Values strictly on `side` of `c`, and strictly on the other side (ties dropped).
fn sign_counts(sample: &[f64], c: f64, side: Side) -> (usize, usize) {
    let above = sample.iter().filter(|v| **v > c).count();
    let below = sample.iter().filter(|v| **v < c).count();
    if side == Side::Above { (above, below) } else { (below, above) }
}

/// The 95% interval of the estimate; infinite where the data cannot bound it.
fn interval(sample: &[f64], method: Method) -> (f64, f64) {
    let n = sample.len();
    let unbounded = (f64::NEG_INFINITY, f64::INFINITY);
    match method {
        Method::PairedT => {
            if n < 2 {
                return unbounded;
            }
            let m = mean(sample);
            let half = student_t_quantile(1.0 - (1.0 - CONFIDENCE) / 2.0, (n - 1) as f64)
                * std_dev(sample)
                / (n as f64).sqrt();
            (m - half, m + half)
        }
        Method::Sign => {
            let mut sorted = sample.to_vec();
            sorted.sort_by(f64::total_cmp);
            // The largest k with P(X <= k - 1) <= 2.5% for X ~ Binomial(n, 1/2): the interval
            // between the k-th smallest and the k-th largest value covers the median with >= 95%.
            let tail = (1.0 - CONFIDENCE) / 2.0;
            let k = (1..=n / 2).take_while(|&k| binomial_half_upper(n - k + 1, n) <= tail).last();
            match k {
                Some(k) => (sorted[k - 1], sorted[n - k]),
                None => unbounded,
            }
        }
    }
}

/// Confidence level of every interval.
const CONFIDENCE: f64 = 0.95;

/// Seeds that would decide `part` at its observed estimate and spread, at level `level`: the
/// fewer of what "holds" and what "fails" would need (none above the cap).
fn seeds_needed(part: &Part, level: f64) -> Option<usize> {
    let (hold, fail) = tests(part.claim, part.delta.unwrap_or(0.0));
    let need = |tests: &Tests| {
        tests
            .iter()
            .filter_map(|all| {
                all.iter()
                    .map(|&(c, side)| {
                        seeds_for_test(&part.sample, part.method, c, side, level / 2.0)
                    })
                    .try_fold(0, |most, n| n.map(|n| most.max(n)))
            })
            .min()
    };
    match (need(&hold), need(&fail)) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The smallest number of values that would make one one-sided test reject at `level` if the
/// observed estimate and spread (t) or share of values on the claimed side (sign) held.
fn seeds_for_test(sample: &[f64], method: Method, c: f64, side: Side, level: f64) -> Option<usize> {
    let start = MIN_PAIRS.max(sample.len() + 1);
    let rejects: Box<dyn Fn(usize) -> bool> = match method {
        Method::PairedT => {
            if sample.len() < 2 {
                return None;
            }
            let sign = if side == Side::Above { 1.0 } else { -1.0 };
            let margin = sign * (mean(sample) - c);
            let sd = std_dev(sample);
            if margin <= 0.0 {
                return None;
            }
            if sd == 0.0 {
                return Some(start);
            }
            Box::new(move |n: usize| {
                student_t_quantile(1.0 - level, (n - 1) as f64) * sd / (n as f64).sqrt() < margin
            })
        }
        Method::Sign => {
            let (favour, against) = sign_counts(sample, c, side);
            if favour + against == 0 || favour <= against {
                return None;
            }
            let share = favour as f64 / (favour + against) as f64;
            Box::new(move |n: usize| {
                binomial_half_upper((share * n as f64).ceil() as usize, n) < level
            })
        }
    };
    // Exponential search, then bisection (the criterion is monotone in n up to rounding).
    let mut high = start;
    while !rejects(high) {
        if high >= MAX_SEEDS_NEEDED {
            return None;
        }
        high = (high * 2).min(MAX_SEEDS_NEEDED);
    }
    let mut low = start.max(high / 2);
    if rejects(low) {
        return Some(low);
    }
    while high - low > 1 {
        let mid = (low + high) / 2;
        if rejects(mid) { high = mid } else { low = mid }
    }
    Some(high)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn decided(claim: Claim, method: Method, delta: f64, sample: &[f64]) -> Part {
        let mut parts = vec![Part::new("x", "u", claim, method, delta, sample.to_vec())];
        decide(&mut parts);
        parts.remove(0)
    }

    /// Paired t interval and p-values against SciPy 1.17 (`stats.t.interval`, `ttest_1samp`,
    /// `ttest_rel`).
    #[test]
    fn paired_t_interval_matches_scipy() {
        let p = decided(Claim::Better, Method::PairedT, 0.2, &[0.5, 1.2, -0.3, 0.8, 1.1]);
        assert!((p.difference.unwrap() - 0.66).abs() < 1e-12);
        assert!((p.ci_low.unwrap() - -0.08809611872408118).abs() < 1e-9);
        assert!((p.ci_high.unwrap() - 1.4080961187240812).abs() < 1e-9);
        // One-sided p of "mean > 0.2" (ttest_1samp(d, 0.2, alternative="greater")), doubled.
        assert!((p.p - 2.0 * 0.08148524983670884).abs() < 1e-10, "{}", p.p);
        assert_eq!(p.decision, Decision::Undecided);
        assert!((p.effect_size.unwrap() - 0.66 / 0.6024948132556828).abs() < 1e-12);
        // ttest_rel(a, b): p = 0.00737, 95% CI [0.01499, 0.05834].
        let a = [0.91, 0.88, 0.93, 0.90, 0.95, 0.89];
        let b = [0.85, 0.86, 0.90, 0.84, 0.91, 0.88];
        let d: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x - y).collect();
        let p = decided(Claim::Better, Method::PairedT, 0.0, &d);
        assert!((p.ci_low.unwrap() - 0.014989617300087087).abs() < 1e-9);
        assert!((p.ci_high.unwrap() - 0.05834371603324627).abs() < 1e-9);
        assert!((p.p - 0.0073721662756678265).abs() < 1e-10);
        assert_eq!(p.decision, Decision::Holds);
    }

    /// Two one-sided tests against statsmodels 0.15 (`DescrStatsW(d).ttost_mean(-delta, delta)`).
    #[test]
    fn tost_matches_statsmodels() {
        let p = decided(Claim::Tied, Method::PairedT, 1.5, &[0.5, 1.2, -0.3, 0.8, 1.1]);
        assert!((p.p - 2.0 * 0.017805729474144067).abs() < 1e-10, "{}", p.p);
        assert_eq!(p.decision, Decision::Holds);
        let e = [0.01, -0.02, 0.005, 0.015, -0.01, 0.0, 0.012, -0.004];
        let p = decided(Claim::Tied, Method::PairedT, 0.03, &e);
        assert!((p.p - 2.0 * 0.0001203626403829432).abs() < 1e-12);
        assert!((p.ci_low.unwrap() - -0.009002348605384045).abs() < 1e-9);
        // The same sample against "better by 0.03" fails: it is tied within the margin.
        assert_eq!(decided(Claim::Better, Method::PairedT, 0.03, &e).decision, Decision::Fails);
    }

    #[test]
    fn holm_correction_spans_the_parts_of_a_guideline() {
        let clear = [0.3, 0.32, 0.29, 0.31, 0.30];
        let weak = [0.1, -0.05, 0.2, 0.15, 0.02];
        let mut parts = vec![
            Part::new("a", "u", Claim::Better, Method::PairedT, 0.0, clear.to_vec()),
            Part::new("b", "u", Claim::Better, Method::PairedT, 0.0, weak.to_vec()),
        ];
        let raw: Vec<f64> = parts.iter().map(|p| p.p).collect();
        decide(&mut parts);
        let expected = holm(&raw);
        assert_eq!(parts.iter().map(|p| p.p_adjusted).collect::<Vec<_>>(), expected);
        assert_eq!(parts[0].decision, Decision::Holds);
        assert_eq!(parts[1].decision, Decision::Undecided);
        assert!(parts[1].seeds_needed.is_some_and(|n| n > 5), "{:?}", parts[1].seeds_needed);
    }

    #[test]
    fn sign_interval_and_test_match_the_binomial() {
        // 9 of 10 above zero: binomtest(9, 10, alternative="greater") = 0.0107421875.
        let sample = [1.0, 2.0, 3.0, 1.0, 2.0, 5.0, 1.0, 2.0, 4.0, -1.0];
        let p = decided(Claim::Better, Method::Sign, 0.0, &sample);
        assert!((p.p - 2.0 * 0.0107421875).abs() < 1e-12);
        assert_eq!(p.decision, Decision::Holds);
        assert_eq!(p.difference, Some(2.0));
        // n = 10: k = 2 (P(X <= 1) = 0.0107 <= 0.025, P(X <= 2) = 0.0547 > 0.025).
        assert_eq!((p.ci_low, p.ci_high), (Some(1.0), Some(4.0)));
        assert_eq!(p.effect_size, Some(0.8));
        // Five values cannot bound a median at 95%.
        let p = decided(Claim::Better, Method::Sign, 0.0, &[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!((p.ci_low, p.ci_high), (None, None));
        assert_eq!(p.decision, Decision::Undecided);
        assert!(p.seeds_needed.is_some_and(|n| n >= 6));
    }

    #[test]
    fn ties_with_too_few_runs_are_undecided_never_a_pass() {
        for claim in [Claim::Tied, Claim::NotWorse, Claim::Better] {
            let p = decided(claim, Method::PairedT, 0.01, &[0.0, 0.0]);
            assert_eq!(p.decision, Decision::Undecided, "{claim:?}");
            assert_eq!(p.seeds_needed, Some(3));
            let p = decided(claim, Method::PairedT, 0.01, &[]);
            assert_eq!(
                (p.decision, p.difference, p.seeds_needed),
                (Decision::Undecided, None, None)
            );
        }
    }

    #[test]
    fn not_worse_and_ranges() {
        let p =
            decided(Claim::NotWorse, Method::PairedT, 0.02, &[-0.005, 0.001, 0.0, -0.002, 0.004]);
        assert_eq!(p.decision, Decision::Holds);
        let p = decided(Claim::NotWorse, Method::PairedT, 0.02, &[-0.2, -0.25, -0.22, -0.21]);
        assert_eq!(p.decision, Decision::Fails);
        let range = Claim::Inside { low: 0.8, high: 1.2 };
        assert_eq!(
            decided(range, Method::PairedT, 0.0, &[1.0, 1.02, 0.98, 1.01]).decision,
            Decision::Holds
        );
        assert_eq!(
            decided(range, Method::PairedT, 0.0, &[0.3, 0.31, 0.29, 0.3]).decision,
            Decision::Fails
        );
        let outside = Claim::Outside { low: 0.8, high: 1.2 };
        assert_eq!(
            decided(outside, Method::PairedT, 0.0, &[0.3, 0.31, 0.29, 0.3]).decision,
            Decision::Holds
        );
        assert_eq!(decided(range, Method::PairedT, 0.0, &[1.0, 1.0, 1.0]).effect_size, None);
    }

    /// A small deterministic generator for the simulations (xorshift64, Box-Muller).
    pub struct Noise(u64);

    impl Noise {
        pub fn new(seed: u64) -> Noise {
            Noise(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
        }

        fn uniform(&mut self) -> f64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            ((self.0 >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        }

        pub fn normal(&mut self) -> f64 {
            let (u, v) = (self.uniform(), self.uniform());
            (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
        }
    }

    /// A/A: the same activation under two labels, so every per-seed difference is noise. No
    /// direction may hold in more than 5% of the simulated seed sets, for either method, with
    /// or without a margin.
    #[test]
    fn a_versus_a_holds_no_direction_in_more_than_5_percent_of_seed_sets() {
        let mut noise = Noise::new(7);
        for (method, n) in
            [(Method::PairedT, 3), (Method::PairedT, 12), (Method::Sign, 10), (Method::Sign, 20)]
        {
            for delta in [0.0, 0.01] {
                let sets = 3000;
                let held = (0..sets)
                    .filter(|_| {
                        let sample: Vec<f64> = (0..n).map(|_| 0.02 * noise.normal()).collect();
                        decided(Claim::Better, method, delta, &sample).decision == Decision::Holds
                    })
                    .count();
                let rate = held as f64 / sets as f64;
                assert!(rate <= 0.05, "{method:?}, n = {n}, delta = {delta}: holds in {rate:.3}");
                if delta == 0.0 && method == Method::PairedT {
                    // The interval is exact: about 2.5% one-sided, not far below it either.
                    assert!(rate >= 0.01, "{method:?}, n = {n}: {rate:.3} (too conservative?)");
                }
            }
        }
    }

    #[test]
    fn seeds_needed_shrink_the_interval_enough() {
        // Mean 0.05 above a delta of 0.01, sd ~0.06: undecided at n = 4.
        let sample = [0.1, -0.02, 0.08, 0.04];
        let p = decided(Claim::Better, Method::PairedT, 0.01, &sample);
        assert_eq!(p.decision, Decision::Undecided);
        let n = p.seeds_needed.expect("decidable");
        let (m, sd) = (mean(&sample), std_dev(&sample));
        let margin = m - 0.01;
        let half = |n: usize| student_t_quantile(0.975, (n - 1) as f64) * sd / (n as f64).sqrt();
        assert!(half(n) < margin && half(n - 1) >= margin, "n = {n}");
    }
}
