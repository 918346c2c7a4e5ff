//! G12 `exp-activations-cost`: activations that need an exponential (sigmoid, tanh, ELU, SELU,
//! GELU, Swish, Mish: the registry's `needs_exp` property) cost more than ReLU. Evidence: the
//! run's activation micro-benchmark, forward+backward, per backend.

use actbench_activations::registry;

use super::compare::compare;
use super::g11_mish_smooth_costly::{backends, median, ms, times};
use super::{Evidence, Finding, Guideline, Verdict};

pub const GUIDELINE: Guideline = Guideline {
    id: "G12",
    name: "exp-activations-cost",
    claim: "Sigmoid, tanh, ELU, SELU, GELU, Swish, Mish need exponentials and cost more than ReLU",
    threshold,
    needs_runs: false,
    check,
};

fn threshold() -> String {
    "on every benchmarked backend, relu's forward+backward time below each exponential activation's (Welch over repeats, p < 0.05)".into()
}

fn check(e: &Evidence) -> Finding {
    let backends = backends(e.bench);
    if backends.is_empty() {
        return Finding::missing(
            "no activation micro-benchmark in these results (the config's [bench] section runs one)",
        );
    }
    let (mut verdicts, mut evidence) = (Vec::new(), Vec::new());
    for backend in backends {
        let Some(relu) = times(e.bench, "relu", backend) else {
            evidence.push(format!("{backend}: relu not benchmarked"));
            verdicts.push(Verdict::Inconclusive);
            continue;
        };
        let mut slower = Vec::new();
        let mut not = Vec::new();
        for b in e.bench.iter().filter(|b| {
            b.backend == backend && b.mode == crate::bench::activations::Mode::ForwardBackward
        }) {
            let needs_exp = registry::info(b.activation.split(':').next().unwrap_or_default())
                .is_ok_and(|i| i.properties.needs_exp);
            if !needs_exp {
                continue;
            }
            let other = times(e.bench, &b.activation, backend).expect("present");
            let c = compare(relu.clone(), other.clone(), false);
            let ratio = format!("{} {:.2}x", b.activation, median(&other) / median(&relu));
            if c.first_better() == Verdict::Holds {
                slower.push(ratio)
            } else {
                not.push(format!("{ratio} [{}]", c.first_better().name()))
            }
            verdicts.push(c.first_better());
        }
        let mut text = format!(
            "{backend}: {}; slower than relu: {}",
            ms(&relu),
            if slower.is_empty() { "none".into() } else { slower.join(", ") }
        );
        if !not.is_empty() {
            text += &format!("; not clearly slower: {}", not.join(", "));
        }
        evidence.push(text);
    }
    Finding { verdict: Verdict::all(verdicts), evidence }
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::g11_mish_smooth_costly::tests::timed;
    use super::super::testing::verdict_with_bench;

    #[test]
    fn every_outcome() {
        let relu = timed("relu", &[1.0, 1.1, 1.05]);
        assert_eq!(
            verdict_with_bench(
                "G12",
                &[],
                &[
                    relu.clone(),
                    timed("sigmoid", &[2.0, 2.1, 2.2]),
                    timed("leaky-relu", &[0.5, 0.5, 0.5])
                ]
            )
            .verdict,
            Holds
        );
        assert_eq!(
            verdict_with_bench("G12", &[], &[relu.clone(), timed("sigmoid", &[0.5, 0.51, 0.52])])
                .verdict,
            Fails
        );
        assert_eq!(
            verdict_with_bench("G12", &[], &[relu.clone(), timed("sigmoid", &[0.9, 1.3, 1.0])])
                .verdict,
            Inconclusive
        );
        assert_eq!(verdict_with_bench("G12", &[], &[]).verdict, Inconclusive);
    }
}
