//! G07 `prelu-learns-slope`: PReLU learns the negative slope instead of fixing it. Experiment:
//! a network with PReLU (slope initialised at 0.25) and LeakyReLU; how far the learned slopes
//! move, and accuracy.

use super::compare::compare;
use super::runs::learned_movement;
use super::thresholds::G07_ALPHA_MOVE;
use super::{Evidence, Finding, Guideline, Verdict};
use crate::report::tables::num;

pub const GUIDELINE: Guideline = Guideline {
    id: "G07",
    name: "prelu-learns-slope",
    claim: "PReLU learns the negative slope instead of fixing it",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    format!(
        "every seed's learned slopes move >= {G07_ALPHA_MOVE} from init on average (none: fails, some: inconclusive); accuracy not below leaky-relu's (p < 0.05)"
    )
}

fn check(e: &Evidence) -> Finding {
    let (prelu, leaky) = match e.runs.pair("prelu", "leaky-relu") {
        Ok(pair) => pair,
        Err(missing) => return missing,
    };
    let moved = prelu.summary("prelu |alpha - init|", learned_movement);
    let slopes: Vec<String> =
        prelu.0[0].last().learned.iter().map(|(k, v)| format!("{k} {}", num(*v))).collect();
    let movement = if moved.is_empty() {
        Verdict::Inconclusive
    } else if moved.values.iter().all(|m| *m >= G07_ALPHA_MOVE) {
        Verdict::Holds
    } else if moved.values.iter().all(|m| *m < G07_ALPHA_MOVE) {
        Verdict::Fails
    } else {
        Verdict::Inconclusive
    };
    let c = compare(
        prelu.final_metric("prelu"),
        leaky.final_metric("leaky-relu"),
        e.runs.higher_is_better(),
    );
    Finding {
        verdict: Verdict::all([movement, c.first_not_worse()]),
        evidence: vec![
            format!(
                "slope movement {} (seed {}: {})",
                moved.text(),
                prelu.0[0].cell.seed,
                slopes.join(", ")
            ),
            format!("final test {}: {}", prelu.0[0].metric, c.text()),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{edit, seeds, verdict};
    use crate::run::record::CellRecord;

    fn prelu(moves: [f64; 3]) -> Vec<CellRecord> {
        let mut rs = seeds("G07", "g07", "prelu", 2, &[0.9, 0.91, 0.92]);
        for (r, m) in rs.iter_mut().zip(moves) {
            r.epochs[0].learned.insert("hidden0.alpha".into(), 0.25);
            r.epochs[1].learned.insert("hidden0.alpha".into(), 0.25 + m);
        }
        edit(rs, |_| {})
    }

    #[test]
    fn every_outcome() {
        let leaky = seeds("G07", "g07", "leaky-relu", 2, &[0.9, 0.9, 0.91]);
        assert_eq!(
            verdict("G07", &[prelu([0.1, -0.2, 0.05]), leaky.clone()].concat()).verdict,
            Holds
        );
        assert_eq!(
            verdict("G07", &[prelu([0.0, 0.001, 0.0]), leaky.clone()].concat()).verdict,
            Fails
        );
        assert_eq!(
            verdict("G07", &[prelu([0.1, 0.001, 0.05]), leaky.clone()].concat()).verdict,
            Inconclusive
        );
    }
}
