//! G11 `mish-smooth-costly`: Mish behaves like Swish but smoother, and costs more to compute.
//! Accuracy: the tagged depth sweeps (Mish against Swish at every depth). Cost: the run's
//! activation micro-benchmark, compute-bound (decides) and memory-bound (reported).

use super::cost::{backends, compute_bound, costs_more, memory_bound, per_element, times};
use super::engine::Claim;
use super::judgement::{Judgement, Verdict};
use super::rule::{Evidence, Guideline};
use super::runs::final_metric;

pub const GUIDELINE: Guideline = Guideline {
    id: "G11",
    name: "mish-smooth-costly",
    claim: "Mish behaves like Swish but smoother, and costs more to compute",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    "mish not worse than swish at any depth of any experiment (non-inferiority, paired by seed); mish's compute-bound forward+backward time per element above swish's by > 5% on every benchmarked backend (ln time, 95% CI over repeats); memory-bound times reported beside".into()
}

fn check(e: &Evidence) -> Judgement {
    let (mut parts, mut checks, mut evidence) = (Vec::new(), Vec::new(), Vec::new());
    for name in e.runs.experiments() {
        let runs = e.runs.experiment(&name);
        for d in runs.depths() {
            let (mish, swish) =
                (runs.activation("mish").depth(d), runs.activation("swish").depth(d));
            if !mish.is_empty() && !swish.is_empty() {
                parts.push(final_metric(
                    format!("{name} d{d}: mish - swish"),
                    Claim::NotWorse,
                    &mish,
                    &swish,
                ));
            }
        }
    }
    if parts.is_empty() {
        evidence.push("needs mish and swish runs at the same depth".into());
        checks.push(Verdict::Inconclusive);
    }
    let backends = backends(e.timings);
    if backends.is_empty() {
        evidence.push("no activation micro-benchmark in these results: cost not judged".into());
        checks.push(Verdict::Inconclusive);
    }
    for backend in backends {
        let compared: Vec<String> = ["mish", "swish", "relu"].map(String::from).to_vec();
        evidence.extend(memory_bound(e.timings, backend, &compared));
        let n = match compute_bound(e.timings, backend) {
            Ok(n) => n,
            Err(why) => {
                evidence.push(why);
                checks.push(Verdict::Inconclusive);
                continue;
            }
        };
        match (times(e.timings, "mish", backend, n), times(e.timings, "swish", backend, n)) {
            (Some(mish), Some(swish)) => {
                evidence.push(format!(
                    "{backend} compute-bound ({n} elements): {}, {}",
                    per_element("mish", mish, n),
                    per_element("swish", swish, n)
                ));
                parts.push(costs_more(format!("{backend}: mish / swish time"), mish, swish));
            }
            _ => {
                evidence.push(format!("{backend}: mish and swish not both benchmarked"));
                checks.push(Verdict::Inconclusive);
            }
        }
    }
    Judgement::all(parts, checks, evidence)
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{seeds, verdict_with_bench};
    use crate::records::activation_timing::{ActivationTiming, Mode};
    use actbench_activations::backend::Backend;

    /// A compute-bound micro-benchmark record with these repeats.
    pub fn timed(activation: &str, times: &[f64]) -> ActivationTiming {
        ActivationTiming {
            activation: activation.into(),
            mode: Mode::ForwardBackward,
            elements: 1024,
            median_s: times[0],
            min_s: times[0],
            max_s: times[0],
            elements_per_s: 1.0,
            gb_per_s: 1.0,
            backend: Backend::Flex,
            implementation: Default::default(),
            times_s: times.to_vec(),
        }
    }

    #[test]
    fn every_outcome() {
        let runs = [
            seeds("G11", "g10", "mish", 40, &[0.9, 0.91, 0.92]),
            seeds("G11", "g10", "swish", 40, &[0.9, 0.91, 0.92]),
        ]
        .concat();
        let slow_mish = [timed("mish", &[3.0, 3.1, 3.2]), timed("swish", &[2.0, 2.1, 2.05])];
        assert_eq!(verdict_with_bench("G11", &runs, &slow_mish).verdict, Holds);
        let fast_mish = [timed("mish", &[1.0, 1.1, 1.05]), timed("swish", &[2.0, 2.1, 2.05])];
        assert_eq!(verdict_with_bench("G11", &runs, &fast_mish).verdict, Fails);
        let v = verdict_with_bench("G11", &runs, &[]);
        assert_eq!(v.verdict, Inconclusive);
        assert!(v.evidence.contains("no activation micro-benchmark"));
    }

    #[test]
    fn a_memory_bound_benchmark_alone_does_not_decide_cost() {
        let runs = [
            seeds("G11", "g10", "mish", 40, &[0.9, 0.91, 0.92]),
            seeds("G11", "g10", "swish", 40, &[0.9, 0.91, 0.92]),
        ]
        .concat();
        let big = |a: &str, t: &[f64]| ActivationTiming { elements: 1 << 20, ..timed(a, t) };
        let v = verdict_with_bench(
            "G11",
            &runs,
            &[big("mish", &[3.0, 3.1, 3.2]), big("swish", &[2.0, 2.1, 2.05])],
        );
        assert_eq!(v.verdict, Inconclusive, "{v:?}");
        assert!(v.evidence.contains("memory-bound (1048576 elements)"), "{}", v.evidence);
    }
}
