//! G06 `leaky-fixes-dying`: LeakyReLU (slope 0.01) keeps a small gradient and so fixes dying
//! ReLU. Same runs as G05.

use super::compare::compare;
use super::g05_relu_dies::percent;
use super::runs::dead_fraction;
use super::thresholds::G06_DEAD_MAX;
use super::{Evidence, Finding, Guideline, Verdict};

pub const GUIDELINE: Guideline = Guideline {
    id: "G06",
    name: "leaky-fixes-dying",
    claim: "LeakyReLU (slope 0.01) keeps a small gradient and so fixes dying ReLU",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    format!(
        "leaky-relu's mean dead fraction <= {:.0}%; its accuracy not below relu's (relu not better at p < 0.05)",
        G06_DEAD_MAX * 100.0
    )
}

fn check(e: &Evidence) -> Finding {
    let (leaky, relu) = match e.runs.pair("leaky-relu", "relu") {
        Ok(pair) => pair,
        Err(missing) => return missing,
    };
    let leaky_dead = leaky.summary("leaky-relu", dead_fraction);
    let relu_dead = relu.summary("relu", dead_fraction);
    let c = compare(
        leaky.final_metric("leaky-relu"),
        relu.final_metric("relu"),
        e.runs.higher_is_better(),
    );
    Finding {
        verdict: Verdict::all([
            Verdict::from(leaky_dead.mean <= G06_DEAD_MAX),
            c.first_not_worse(),
        ]),
        evidence: vec![
            format!("dead units: {}, {}", percent(&leaky_dead), percent(&relu_dead)),
            format!("final test {}: {}", leaky.0[0].metric, c.text()),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::g05_relu_dies::tests::runs;
    use super::super::testing::verdict;

    #[test]
    fn holds_fails_and_fails_on_accuracy() {
        let relu = runs("G06", "relu", [0.3, 0.4, 0.35], &[0.80, 0.82, 0.81]);
        assert_eq!(
            verdict(
                "G06",
                &[relu.clone(), runs("G06", "leaky-relu", [0.0; 3], &[0.9, 0.91, 0.92])].concat()
            )
            .verdict,
            Holds
        );
        assert_eq!(
            verdict(
                "G06",
                &[relu.clone(), runs("G06", "leaky-relu", [0.2; 3], &[0.9, 0.91, 0.92])].concat()
            )
            .verdict,
            Fails
        );
        assert_eq!(
            verdict(
                "G06",
                &[relu.clone(), runs("G06", "leaky-relu", [0.0; 3], &[0.6, 0.61, 0.62])].concat()
            )
            .verdict,
            Fails
        );
    }

    #[test]
    fn inconclusive_without_leaky_runs() {
        assert_eq!(
            verdict("G06", &runs("G06", "relu", [0.3, 0.4, 0.35], &[0.8; 3])).verdict,
            Inconclusive
        );
    }
}
