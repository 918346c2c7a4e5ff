//! Numbers as every table, verdict and page prints them.

/// A number with about 3 significant digits.
pub fn num(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if !v.is_finite() {
        format!("{v}")
    } else if v.abs() >= 0.01 && v.abs() < 1e5 {
        let digits = (2 - v.abs().log10().floor() as i32).clamp(0, 4) as usize;
        format!("{v:.digits$}")
    } else {
        format!("{v:.2e}")
    }
}
