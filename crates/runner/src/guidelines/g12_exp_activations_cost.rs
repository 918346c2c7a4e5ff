//! G12 `exp-activations-cost`: sigmoid, tanh, ELU, SELU, GELU, Swish and Mish need exponentials
//! and cost more than ReLU. Experiment: the run's activation micro-benchmark; compute-bound
//! times decide, memory-bound times are reported beside them (when every activation is one pass
//! over memory, they should all cost about a copy).

use actbench_activations::registry;

use super::cost::{backends, compute_bound, costs_more, memory_bound, per_element, times};
use super::judgement::{Judgement, Verdict};
use super::rule::{Evidence, Guideline};
use crate::records::activation_timing::Mode;

pub const GUIDELINE: Guideline = Guideline {
    id: "G12",
    name: "exp-activations-cost",
    claim: "Sigmoid, tanh, ELU, SELU, GELU, Swish, Mish need exponentials and cost more than ReLU",
    threshold,
    needs_runs: false,
    check,
};

fn threshold() -> String {
    "on every benchmarked backend, each exponential activation's compute-bound forward+backward time above relu's by > 5% (ln time, 95% CI over repeats, Holm); memory-bound times reported beside".into()
}

fn check(e: &Evidence) -> Judgement {
    let backends = backends(e.timings);
    if backends.is_empty() {
        return Judgement::missing(
            "no activation micro-benchmark in these results (the config's [bench] section runs one)",
        );
    }
    let (mut parts, mut checks, mut evidence) = (Vec::new(), Vec::new(), Vec::new());
    let needs_exp = |a: &str| {
        registry::info(a.split(':').next().unwrap_or_default())
            .is_ok_and(|i| i.properties.needs_exp)
    };
    for backend in backends {
        // The exponential activations benchmarked on this backend, each once, in bench order.
        let mut names: Vec<String> = Vec::new();
        for b in e.timings.iter().filter(|b| {
            b.backend == backend && b.mode == Mode::ForwardBackward && needs_exp(&b.activation)
        }) {
            if !names.contains(&b.activation) {
                names.push(b.activation.clone());
            }
        }
        let listed: Vec<String> =
            std::iter::once("relu".to_string()).chain(names.iter().cloned()).collect();
        evidence.extend(memory_bound(e.timings, backend, &listed));
        let n = match compute_bound(e.timings, backend) {
            Ok(n) => n,
            Err(why) => {
                evidence.push(why);
                checks.push(Verdict::Inconclusive);
                continue;
            }
        };
        let Some(relu) = times(e.timings, "relu", backend, n) else {
            evidence.push(format!("{backend}: relu not benchmarked"));
            checks.push(Verdict::Inconclusive);
            continue;
        };
        let mut shown = vec![per_element("relu", relu, n)];
        for a in names.iter().filter(|a| times(e.timings, a, backend, n).is_some()) {
            let other = times(e.timings, a, backend, n).expect("listed");
            shown.push(per_element(a, other, n));
            parts.push(costs_more(format!("{backend}: {a} / relu time"), other, relu));
        }
        evidence.push(format!("{backend} compute-bound ({n} elements): {}", shown.join(", ")));
    }
    Judgement::all(parts, checks, evidence)
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::g11_mish_smooth_costly::tests::timed;
    use super::super::testing::verdict_with_bench;

    #[test]
    fn every_outcome() {
        let relu = timed("relu", &[1.0, 1.1, 1.05]);
        let with = |other| verdict_with_bench("G12", &[], &[relu.clone(), other]).verdict;
        let v = verdict_with_bench(
            "G12",
            &[],
            &[
                relu.clone(),
                timed("sigmoid", &[2.0, 2.1, 2.2]),
                timed("leaky-relu", &[0.5, 0.5, 0.5]),
            ],
        );
        assert_eq!(v.verdict, Holds, "{v:?}");
        assert_eq!(with(timed("sigmoid", &[0.5, 0.51, 0.52])), Fails);
        assert_eq!(with(timed("sigmoid", &[0.9, 1.3, 1.0])), Inconclusive);
        assert_eq!(verdict_with_bench("G12", &[], &[]).verdict, Inconclusive);
    }
}
