//! G08 `elu-zero-mean`: ELU's negative part pulls mean activations toward zero and speeds
//! convergence. Experiment: a deep MLP with ELU and ReLU; |mean hidden activation| over
//! training, and epochs to the target.

use super::compare::compare;
use super::runs::{epochs_to, mean_activation_over_training};
use super::{Evidence, Finding, Guideline, Verdict};
use crate::report::tables::num;

pub const GUIDELINE: Guideline = Guideline {
    id: "G08",
    name: "elu-zero-mean",
    claim: "ELU's negative part pulls mean activations toward zero and speeds convergence",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    "elu's |mean hidden activation| (over init and every epoch) smaller than relu's (p < 0.05); elu's epochs to target not more than relu's (relu not faster at p < 0.05)".into()
}

fn check(e: &Evidence) -> Finding {
    let (elu, relu) = match e.runs.pair("elu", "relu") {
        Ok(pair) => pair,
        Err(missing) => return missing,
    };
    let centred = |runs: &super::Runs, label: &str| {
        runs.summary(format!("{label} |mean|"), |r| mean_activation_over_training(r).map(f64::abs))
    };
    let c = compare(centred(&elu, "elu"), centred(&relu, "relu"), false);
    let mut evidence = vec![format!("mean hidden activation: {}", c.text())];
    let mut verdicts = vec![c.first_better()];
    match elu.0[0].cell.target {
        Some(target) => {
            let epochs = |runs: &super::Runs, label: &str| {
                runs.summary(label, |r| Some(epochs_to(r, target, false)))
            };
            let c = compare(epochs(&elu, "elu"), epochs(&relu, "relu"), false);
            evidence.push(format!(
                "epochs to test {} {}: {}",
                elu.0[0].metric,
                num(target),
                c.text()
            ));
            verdicts.push(c.first_not_worse());
        }
        None => {
            evidence.push("no target set: convergence not judged".into());
            verdicts.push(Verdict::Inconclusive);
        }
    }
    Finding { verdict: Verdict::all(verdicts), evidence }
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{edit, seeds, verdict};
    use crate::run::record::CellRecord;

    fn runs(activation: &str, means: [f64; 3]) -> Vec<CellRecord> {
        let mut rs = seeds("G08", "g08", activation, 3, &[0.9; 3]);
        for (r, m) in rs.iter_mut().zip(means) {
            r.cell.target = Some(0.85);
            r.epochs
                .iter_mut()
                .flat_map(|e| e.layers.iter_mut())
                .filter(|l| l.activation_mean.is_some())
                .for_each(|l| l.activation_mean = Some(m));
        }
        edit(rs, |_| {})
    }

    #[test]
    fn every_outcome() {
        let relu = runs("relu", [0.5, 0.6, 0.55]);
        assert_eq!(
            verdict("G08", &[runs("elu", [0.05, -0.02, 0.1]), relu.clone()].concat()).verdict,
            Holds
        );
        assert_eq!(
            verdict("G08", &[runs("elu", [0.9, 0.8, 1.0]), relu.clone()].concat()).verdict,
            Fails
        );
        assert_eq!(
            verdict("G08", &[runs("elu", [0.1, 0.9, 0.5]), relu.clone()].concat()).verdict,
            Inconclusive
        );
    }
}
