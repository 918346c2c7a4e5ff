//! The catalogue's rule for "A beats B": A's mean is better by more than the pooled standard
//! deviation, and Welch's t-test gives p < 0.05 (n >= 3 per group) or, with fewer seeds, every
//! run of A is better than every run of B. B beats A by the same rule; otherwise a tie.

use serde::Serialize;

use crate::report::tables::num;
use crate::stats::{mean, std_dev, welch_t_test};

use super::thresholds::{MIN_SEEDS_FOR_TEST, SIGNIFICANCE};

/// Mean and spread of one group of runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// What the group is (`relu`, `tanh d5`).
    pub label: String,
    /// Values, one per run (seed).
    pub values: Vec<f64>,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation.
    pub std: f64,
}

impl Summary {
    /// Summarises `values`.
    pub fn new(label: impl Into<String>, values: Vec<f64>) -> Summary {
        Summary { label: label.into(), mean: mean(&values), std: std_dev(&values), values }
    }

    /// The same values plus `delta`, relabelled (for "A beats B by at least m": compare A - m
    /// with B).
    pub fn shifted(&self, delta: f64, label: impl Into<String>) -> Summary {
        Summary::new(label, self.values.iter().map(|v| v + delta).collect())
    }

    /// `n` copies of a constant (a threshold to compare a group against).
    pub fn constant(label: impl Into<String>, value: f64, n: usize) -> Summary {
        Summary::new(label, vec![value; n.max(1)])
    }

    /// True when there are no values.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `label 0.93 ± 0.01`.
    pub fn text(&self) -> String {
        if self.values.len() > 1 {
            format!("{} {} ± {}", self.label, num(self.mean), num(self.std))
        } else {
            format!("{} {}", self.label, num(self.mean))
        }
    }
}

/// Which group is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The first group is better.
    FirstBetter,
    /// The second group is better.
    SecondBetter,
    /// Neither is better by the rule.
    Tie,
}

/// Two groups compared by the catalogue's rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// First group.
    pub first: Summary,
    /// Second group.
    pub second: Summary,
    /// Whether larger values are better.
    pub higher_is_better: bool,
    /// Cohen's d: (mean difference in the better direction) / pooled std; positive when the
    /// first group is better. Infinite when both groups have no spread but differ.
    pub effect_size: f64,
    /// Welch's two-sided p-value (both groups with at least 3 runs), else none.
    pub p: Option<f64>,
    /// The verdict of the rule.
    pub outcome: Outcome,
}

/// Compares two groups of runs with the catalogue's rule.
pub fn compare(first: Summary, second: Summary, higher_is_better: bool) -> Comparison {
    let sign = if higher_is_better { 1.0 } else { -1.0 };
    let diff = sign * (first.mean - second.mean);
    let pooled = ((first.std.powi(2) + second.std.powi(2)) / 2.0).sqrt();
    let effect_size = if pooled > 0.0 {
        diff / pooled
    } else if diff == 0.0 {
        0.0
    } else {
        diff.signum() * f64::INFINITY
    };
    let enough =
        first.values.len() >= MIN_SEEDS_FOR_TEST && second.values.len() >= MIN_SEEDS_FOR_TEST;
    let p = if enough { welch_t_test(&first.values, &second.values).map(|w| w.p) } else { None };
    let valid = !first.values.is_empty() && !second.values.is_empty() && diff.is_finite();
    // Beyond the pooled spread, and (with enough runs) significant, or (with fewer) unanimous.
    let beats = |a: &Summary, b: &Summary, d: f64| {
        valid
            && d > pooled
            && d.abs() > 1e-12
            && match p {
                Some(p) => p < SIGNIFICANCE,
                None => a.values.iter().all(|x| b.values.iter().all(|y| sign * (x - y) > 0.0)),
            }
    };
    let outcome = if beats(&first, &second, diff) {
        Outcome::FirstBetter
    } else if beats(&second, &first, -diff) {
        Outcome::SecondBetter
    } else {
        Outcome::Tie
    };
    Comparison { first, second, higher_is_better, effect_size, p, outcome }
}

impl Comparison {
    /// `relu 0.95 ± 0.01 vs sigmoid 0.50 ± 0.02 (d = 28, p = 3e-5)`.
    pub fn text(&self) -> String {
        let p = match self.p {
            Some(p) => format!(", p = {}", num(p)),
            None => format!(", n < {MIN_SEEDS_FOR_TEST}: no t-test"),
        };
        let d = if self.effect_size.is_finite() {
            num(self.effect_size)
        } else if self.effect_size > 0.0 {
            "∞".into()
        } else {
            "-∞".into()
        };
        format!("{} vs {} (d = {d}{p})", self.first.text(), self.second.text())
    }

    /// `holds` if the first group is better, `fails` if the second is, else inconclusive.
    pub fn first_better(&self) -> super::Verdict {
        match self.outcome {
            Outcome::FirstBetter => super::Verdict::Holds,
            Outcome::SecondBetter => super::Verdict::Fails,
            Outcome::Tie => super::Verdict::Inconclusive,
        }
    }

    /// "The first is at least as good as the second": holds unless the second is better by the
    /// rule (a tie is within noise, which is what "at least" can show).
    pub fn first_not_worse(&self) -> super::Verdict {
        match self.outcome {
            Outcome::SecondBetter => super::Verdict::Fails,
            _ => super::Verdict::Holds,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &[f64], b: &[f64]) -> Comparison {
        compare(Summary::new("a", a.to_vec()), Summary::new("b", b.to_vec()), true)
    }

    #[test]
    fn clear_differences_are_detected_both_ways() {
        let c = cmp(&[0.91, 0.93, 0.92], &[0.5, 0.52, 0.49]);
        assert_eq!(c.outcome, Outcome::FirstBetter);
        assert!((c.p.unwrap() - 1.0495993845992516e-05).abs() < 1e-12);
        assert_eq!(cmp(&[0.5, 0.52, 0.49], &[0.91, 0.93, 0.92]).outcome, Outcome::SecondBetter);
        // Lower is better flips the direction.
        let c = compare(
            Summary::new("a", vec![0.1, 0.11, 0.12]),
            Summary::new("b", vec![0.5, 0.52, 0.49]),
            false,
        );
        assert_eq!(c.outcome, Outcome::FirstBetter);
    }

    #[test]
    fn noise_is_a_tie() {
        // Mean difference within the spread.
        assert_eq!(cmp(&[0.90, 0.80, 0.95], &[0.85, 0.88, 0.83]).outcome, Outcome::Tie);
        // Beyond the pooled std but not significant (p = 0.16).
        assert_eq!(cmp(&[2.0, 4.0, 6.0, 8.5], &[1.0, 2.0, 3.0, 4.0]).outcome, Outcome::Tie);
    }

    #[test]
    fn two_seeds_need_unanimity() {
        let c = cmp(&[0.9, 0.8], &[0.5, 0.6]);
        assert_eq!((c.outcome, c.p), (Outcome::FirstBetter, None));
        // Overlapping seeds: tie even though the means differ by more than the spread.
        assert_eq!(cmp(&[0.9, 0.55], &[0.5, 0.6]).outcome, Outcome::Tie);
    }

    #[test]
    fn identical_and_spreadless_groups() {
        assert_eq!(cmp(&[0.5, 0.5, 0.5], &[0.5, 0.5, 0.5]).outcome, Outcome::Tie);
        let c = cmp(&[1.0, 1.0, 1.0], &[0.5, 0.5, 0.5]);
        assert_eq!(c.outcome, Outcome::FirstBetter);
        assert!(c.effect_size.is_infinite());
        assert!(c.text().contains("d = ∞"));
        assert_eq!(cmp(&[], &[0.5]).outcome, Outcome::Tie);
    }
}
