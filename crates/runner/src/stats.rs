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
    pub median: f64,
    pub min: f64,
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

/// Geometric mean of positive values (None if any is not positive and finite).
pub fn geometric_mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() || values.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
        return None;
    }
    Some((values.iter().map(|v| v.ln()).sum::<f64>() / values.len() as f64).exp())
}

/// Welch's unequal-variance t-test of the means of `a` and `b`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WelchTest {
    /// t statistic of mean(a) - mean(b).
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// Welch's t-test; `None` with fewer than two values per group. Two groups without any spread
/// give p = 0 when their means differ and p = 1 when they are equal.
pub fn welch_t_test(a: &[f64], b: &[f64]) -> Option<WelchTest> {
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let (va, vb) = (std_dev(a).powi(2) / a.len() as f64, std_dev(b).powi(2) / b.len() as f64);
    let diff = mean(a) - mean(b);
    if va + vb == 0.0 {
        let p = if diff == 0.0 { 1.0 } else { 0.0 };
        return Some(WelchTest { t: if diff == 0.0 { 0.0 } else { diff.signum() * f64::INFINITY }, df: (a.len() + b.len() - 2) as f64, p });
    }
    let t = diff / (va + vb).sqrt();
    let df = (va + vb).powi(2) / (va.powi(2) / (a.len() - 1) as f64 + vb.powi(2) / (b.len() - 1) as f64);
    Some(WelchTest { t, df, p: student_t_two_sided(t, df) })
}

/// Two-sided tail probability P(|T| >= |t|) of Student's t with `df` degrees of freedom:
/// I_{df/(df+t^2)}(df/2, 1/2).
pub fn student_t_two_sided(t: f64, df: f64) -> f64 {
    if !t.is_finite() {
        return 0.0;
    }
    regularized_incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
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
    let front = (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) { front * beta_fraction(a, b, x) / a } else { 1.0 - front * beta_fraction(b, a, 1.0 - x) / b }
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
    let series: f64 = G[0] + G[1..].iter().enumerate().map(|(i, g)| g / (x + i as f64 + 1.0)).sum::<f64>();
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

    /// Reference values from SciPy 1.x (`scipy.stats.t.sf(t, df) * 2`, `ttest_ind(equal_var=False)`).
    #[test]
    fn t_tail_matches_scipy() {
        assert!((student_t_two_sided(2.0, 10.0) - 0.07338803477074037).abs() < 1e-12);
        assert!((student_t_two_sided(1.3, 3.7) - 0.2686667241726275).abs() < 1e-12);
        assert!((student_t_two_sided(40.0, 2.5) - 0.0001419563429049338).abs() < 1e-12);
        assert_eq!(student_t_two_sided(0.0, 5.0), 1.0);
    }

    #[test]
    fn welch_matches_scipy() {
        let w = welch_t_test(&[1.0, 2.0, 3.0, 4.0], &[2.0, 4.0, 6.0, 8.5]).unwrap();
        assert!((w.t - -1.7127408306551661).abs() < 1e-12);
        assert!((w.df - 4.236314660409189).abs() < 1e-9);
        assert!((w.p - 0.1579142676824098).abs() < 1e-10);
        let w = welch_t_test(&[0.91, 0.93, 0.92], &[0.5, 0.52, 0.49]).unwrap();
        assert!((w.p - 1.0495993845992516e-05).abs() < 1e-12);
    }

    #[test]
    fn welch_edge_cases() {
        assert!(welch_t_test(&[1.0], &[2.0, 3.0]).is_none());
        assert_eq!(welch_t_test(&[1.0, 1.0], &[1.0, 1.0]).unwrap().p, 1.0);
        assert_eq!(welch_t_test(&[1.0, 1.0], &[2.0, 2.0]).unwrap().p, 0.0);
    }
}
