//! Forest plots of a verdict's parts, as small inline SVGs for `report.html`: one row per part,
//! each on its own scale (parts measure different things), with the estimate and its 95%
//! interval against zero and ±delta (or the claimed range), coloured by the part's decision, so
//! the verdict is seen rather than read from a wall of numbers. Hovering a row shows the part's
//! full text.

use crate::guidelines::engine::{Claim, Decision, Part};

const WIDTH: f64 = 260.0;
const ROW: f64 = 18.0;
/// Room for the part's number on the left, and a margin on the right.
const LEFT: f64 = 20.0;
const RIGHT: f64 = 8.0;

/// The forest plot of `parts` (empty for none).
pub fn svg(parts: &[Part]) -> String {
    if parts.is_empty() {
        return String::new();
    }
    let height = ROW * parts.len() as f64 + 4.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"forest\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"forest plot: each part's estimate and 95% interval against zero and the minimal difference that matters\">"
    );
    for (i, part) in parts.iter().enumerate() {
        out += &row(i, part);
    }
    out + "</svg>"
}

fn colour(decision: Decision) -> &'static str {
    match decision {
        Decision::Holds => "#1a7f37",
        Decision::Fails => "#cf222e",
        Decision::Undecided => "#9a6700",
    }
}

fn row(i: usize, part: &Part) -> String {
    let y = 2.0 + ROW * i as f64 + ROW / 2.0;
    let (marks, band) = match part.claim {
        Claim::Inside { low, high } | Claim::Outside { low, high } => {
            (Vec::new(), Some((low, high)))
        }
        _ => {
            let d = part.delta.unwrap_or(0.0);
            (vec![0.0, -d, d], None)
        }
    };
    // The scale: every mark, the band, the interval's finite ends and the estimate (all finite),
    // padded; a row whose values coincide gets a unit-wide scale.
    let mut values: Vec<f64> = marks.clone();
    if let Some((low, high)) = band {
        values.extend([low, high]);
    }
    values.extend([part.ci_low, part.ci_high, part.difference].into_iter().flatten());
    let (mut lo, mut hi) =
        values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
    if hi <= lo {
        (lo, hi) = (lo - 1.0, lo + 1.0);
    }
    let pad = 0.08 * (hi - lo);
    let (lo, hi) = (lo - pad, hi + pad);
    let x = |v: f64| LEFT + (v - lo) / (hi - lo) * (WIDTH - LEFT - RIGHT);
    let (top, bottom) = (y - ROW / 2.0 + 2.0, y + ROW / 2.0 - 2.0);
    let mut out = format!(
        "<g><title>{}</title><text x=\"2\" y=\"{:.1}\" font-size=\"10\" fill=\"#57606a\">{}</text>",
        escape(&part.text()),
        y + 3.5,
        i + 1
    );
    if let Some((low, high)) = band {
        out += &format!(
            "<rect x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#ddf4ff\"/>",
            x(low),
            (x(high) - x(low)).max(1.0),
            bottom - top
        );
    }
    for (k, m) in marks.iter().enumerate() {
        let dash = if k == 0 { "" } else { " stroke-dasharray=\"3,2\"" };
        out += &format!(
            "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{top:.1}\" y2=\"{bottom:.1}\" stroke=\"#8c959f\"{dash}/>",
            x(*m)
        );
    }
    let c = colour(part.decision);
    if let Some(d) = part.difference {
        // An unbounded end runs to the edge of the row.
        let (a, b) =
            (part.ci_low.map(x).unwrap_or(LEFT), part.ci_high.map(x).unwrap_or(WIDTH - RIGHT));
        out += &format!(
            "<line x1=\"{a:.1}\" x2=\"{b:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{c}\" stroke-width=\"2\"/><circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"{c}\"/>",
            x(d)
        );
    }
    out + "</g>"
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guidelines::engine::{Method, decide};

    #[test]
    fn one_row_per_part_coloured_by_its_decision() {
        let mut parts = vec![
            Part::new("a > b", "acc", Claim::Better, Method::PairedT, 0.01, vec![0.3, 0.32, 0.31]),
            Part::new("a ~ b", "acc", Claim::Tied, Method::PairedT, 0.01, vec![0.3, -0.5]),
            Part::new(
                "v in",
                "var",
                Claim::Inside { low: 0.8, high: 1.2 },
                Method::PairedT,
                0.0,
                vec![1.0; 3],
            ),
        ];
        decide(&mut parts);
        let svg = svg(&parts);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<circle").count(), 3);
        assert_eq!(svg.matches("<title>").count(), 3);
        assert!(svg.contains(colour(Decision::Holds)) && svg.contains(colour(Decision::Undecided)));
        assert!(svg.contains("<rect"), "the range is drawn as a band");
        assert!(svg.contains("a &gt; b"), "labels are escaped");
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        assert_eq!(super::svg(&[]), "");
    }
}
