//! Small statistics helpers.

/// Arithmetic mean (NaN for no values).
pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Median: the middle value, or the mean of the two middle values (NaN for no values).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Median, fastest and slowest of repeated timings (NaN and infinities for no values).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// The median.
    pub median: f64,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
}

/// The [`Spread`] of `values`: every value counts, none is removed as an outlier.
pub fn spread(values: &[f64]) -> Spread {
    Spread {
        median: median(values),
        min: values.iter().copied().fold(f64::INFINITY, f64::min),
        max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    }
}

/// Sample standard deviation (n - 1); 0 for fewer than two values.
pub fn std_dev(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let m = mean(values);
    (values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (values.len() - 1) as f64).sqrt()
}

/// The 95% t confidence interval of the mean of `values` (None for fewer than two values).
pub fn mean_ci95(values: &[f64]) -> Option<(f64, f64)> {
    let n = values.len();
    if n < 2 {
        return None;
    }
    let half = student_t_quantile(0.975, (n - 1) as f64) * std_dev(values) / (n as f64).sqrt();
    let m = mean(values);
    Some((m - half, m + half))
}

/// Geometric mean of positive values (None if any is not positive and finite).
pub fn geometric_mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() || values.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
        return None;
    }
    Some((values.iter().map(|v| v.ln()).sum::<f64>() / values.len() as f64).exp())
}

/// Upper tail P(T >= t) of Student's t with `df` degrees of freedom.
pub fn student_t_upper(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() {
        return f64::NAN;
    }
    if t.is_infinite() {
        return if t > 0.0 { 0.0 } else { 1.0 };
    }
    let tail = 0.5 * regularized_incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
    if t >= 0.0 { tail } else { 1.0 - tail }
}

/// The `p` quantile of Student's t with `df` degrees of freedom: bisection on [`student_t_upper`]
/// (to about 1e-12).
pub fn student_t_quantile(p: f64, df: f64) -> f64 {
    let (mut low, mut high) = (-1e9_f64, 1e9_f64);
    for _ in 0..300 {
        let mid = 0.5 * (low + high);
        if 1.0 - student_t_upper(mid, df) < p {
            low = mid;
        } else {
            high = mid;
        }
    }
    0.5 * (low + high)
}

/// Upper tail P(X >= k) of X ~ Binomial(n, 1/2): the one-sided sign test.
pub fn binomial_half_upper(k: usize, n: usize) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    let ln_choose = |i: usize| {
        ln_gamma(n as f64 + 1.0) - ln_gamma(i as f64 + 1.0) - ln_gamma((n - i) as f64 + 1.0)
    };
    let ln_half_n = n as f64 * std::f64::consts::LN_2;
    (k..=n).map(|i| (ln_choose(i) - ln_half_n).exp()).sum::<f64>().min(1.0)
}

/// Holm's step-down adjustment of p-values, returned in the order given: the i-th smallest of m
/// is multiplied by m - i + 1, and the adjusted values are made non-decreasing.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut adjusted = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((m - rank) as f64 * p[i]).min(1.0));
        adjusted[i] = running;
    }
    adjusted
}

/// The regularised incomplete beta function I_x(a, b), by Lentz's continued fraction
/// (Numerical Recipes, `betai`/`betacf`); accurate to about 1e-14.
fn regularized_incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let clamp = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / clamp(1.0 - qab * x / qap);
    let mut h = d;
    for m in 1..500 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / clamp(1.0 + aa * d);
        c = clamp(1.0 + aa / c);
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / clamp(1.0 + aa * d);
        c = clamp(1.0 + aa / c);
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-15).
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let t = x + 7.5;
    let series: f64 =
        G[0] + G[1..].iter().enumerate().map(|(i, g)| g / (x + i as f64 + 1.0)).sum::<f64>();
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + series.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_no_values() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&[]).is_nan());
        assert_eq!(spread(&[0.3, 0.1, 0.2, 0.4]), Spread { median: 0.25, min: 0.1, max: 0.4 });
    }

    /// Reference values from SciPy 1.x (`scipy.stats.t.sf(t, df) * 2`).
    #[test]
    fn t_tail_matches_scipy() {
        let two_sided = |t: f64, df: f64| 2.0 * student_t_upper(t.abs(), df);
        assert!((two_sided(2.0, 10.0) - 0.07338803477074037).abs() < 1e-12);
        assert!((two_sided(1.3, 3.7) - 0.2686667241726275).abs() < 1e-12);
        assert!((two_sided(40.0, 2.5) - 0.0001419563429049338).abs() < 1e-12);
        assert_eq!(two_sided(0.0, 5.0), 1.0);
    }

    /// Reference values from SciPy 1.17 (`scipy.stats.t.sf`, `t.cdf`, `t.ppf`, `binomtest`).
    #[test]
    fn t_tails_quantiles_and_sign_test_match_scipy() {
        assert!((student_t_upper(2.0, 10.0) - 0.03669401738537018).abs() < 1e-12);
        assert!((student_t_upper(-1.0, 3.0) - 0.8044988905221148).abs() < 1e-12);
        assert!((1.0 - student_t_upper(-2.5, 7.0) - 0.020496109292876444).abs() < 1e-12);
        assert!((student_t_quantile(0.975, 4.0) - 2.7764451051977934).abs() < 1e-9);
        assert!((student_t_quantile(0.975, 1.0) - 12.706204736174694).abs() < 1e-8);
        assert!((student_t_quantile(0.995, 29.0) - 2.756385903670605).abs() < 1e-9);
        assert!((student_t_quantile(0.025, 8.0) - -2.3060041352041662).abs() < 1e-9);
        assert!((binomial_half_upper(9, 10) - 0.0107421875).abs() < 1e-14);
        assert!((binomial_half_upper(8, 12) - 0.19384765625).abs() < 1e-14);
        assert_eq!((binomial_half_upper(0, 5), binomial_half_upper(6, 5)), (1.0, 0.0));
    }

    /// Reference values from statsmodels 0.15 (`multipletests(p, method="holm")`).
    #[test]
    fn holm_matches_statsmodels() {
        let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12);
        assert!(close(&holm(&[0.01, 0.04, 0.03, 0.005]), &[0.03, 0.06, 0.06, 0.02]));
        assert!(close(&holm(&[0.2, 0.01, 0.5]), &[0.4, 0.03, 0.5]));
        assert!(holm(&[]).is_empty());
    }
}
