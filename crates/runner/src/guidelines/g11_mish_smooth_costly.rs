//! G11 `mish-smooth-costly`: Mish behaves like Swish but smoother, and costs more to compute.
//! Evidence: the G10 depth sweep (accuracy) and the run's activation micro-benchmark
//! (forward+backward time).

use actbench_activations::backend::Backend;

use super::compare::{Summary, compare};
use super::{Evidence, Finding, Guideline, Verdict};
use crate::bench::activations::{BenchRecord, Mode};
use crate::report::tables::num;

pub const GUIDELINE: Guideline = Guideline {
    id: "G11",
    name: "mish-smooth-costly",
    claim: "Mish behaves like Swish but smoother, and costs more to compute",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    "mish's accuracy not below swish's at any depth (swish not better at p < 0.05); mish's forward+backward time above swish's and relu's on every benchmarked backend (Welch over repeats, p < 0.05)".into()
}

/// The timed repeats of `activation` in forward+backward mode on `backend`.
pub(super) fn times(bench: &[BenchRecord], activation: &str, backend: Backend) -> Option<Summary> {
    bench
        .iter()
        .find(|b| {
            b.activation == activation && b.backend == backend && b.mode == Mode::ForwardBackward
        })
        .map(|b| Summary::new(activation, b.times_s.clone()))
}

/// Backends in the micro-benchmark, in order.
pub(super) fn backends(bench: &[BenchRecord]) -> Vec<Backend> {
    bench.iter().map(|b| b.backend).collect::<std::collections::BTreeSet<_>>().into_iter().collect()
}

/// The median of a group's values (upper median for an even count).
pub(super) fn median(s: &Summary) -> f64 {
    let mut v = s.values.clone();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// `label 1.23 ms`: the median of a timing group.
pub(super) fn ms(s: &Summary) -> String {
    format!("{} {} ms", s.label, num(1e3 * median(s)))
}

fn check(e: &Evidence) -> Finding {
    let (mish, swish) = match e.runs.pair("mish", "swish") {
        Ok(pair) => pair,
        Err(missing) => return missing,
    };
    let (mut verdicts, mut accuracy) = (Vec::new(), Vec::new());
    for d in e.runs.depths() {
        let c = compare(
            mish.depth(d).final_metric("mish"),
            swish.depth(d).final_metric("swish"),
            e.runs.higher_is_better(),
        );
        accuracy.push(format!(
            "d{d} {} vs {} ({})",
            num(c.first.mean),
            num(c.second.mean),
            if c.first_not_worse() == Verdict::Holds { "ok" } else { "worse" }
        ));
        verdicts.push(c.first_not_worse());
    }
    let mut evidence =
        vec![format!("test {} mish vs swish: {}", mish.0[0].metric, accuracy.join(", "))];
    let backends = backends(e.bench);
    if backends.is_empty() {
        evidence.push("no activation micro-benchmark in these results: cost not judged".into());
        verdicts.push(Verdict::Inconclusive);
    }
    for backend in backends {
        let Some(m) = times(e.bench, "mish", backend) else {
            evidence.push(format!("{backend}: mish not benchmarked"));
            verdicts.push(Verdict::Inconclusive);
            continue;
        };
        let mut parts = vec![ms(&m)];
        for other in ["swish", "relu"] {
            match times(e.bench, other, backend) {
                Some(o) => {
                    parts.push(ms(&o));
                    verdicts.push(compare(o, m.clone(), false).first_better());
                }
                None => verdicts.push(Verdict::Inconclusive),
            }
        }
        evidence.push(format!("{backend} forward+backward median: {}", parts.join(", ")));
    }
    Finding { verdict: Verdict::all(verdicts), evidence }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{seeds, verdict_with_bench};
    use crate::bench::activations::{BenchRecord, Mode};
    use actbench_activations::backend::Backend;

    /// A micro-benchmark record with these repeats.
    pub fn timed(activation: &str, times: &[f64]) -> BenchRecord {
        BenchRecord {
            activation: activation.into(),
            mode: Mode::ForwardBackward,
            elements: 1,
            median_s: times[0],
            min_s: times[0],
            max_s: times[0],
            elements_per_s: 1.0,
            gb_per_s: 1.0,
            backend: Backend::Flex,
            times_s: times.to_vec(),
        }
    }

    #[test]
    fn every_outcome() {
        let runs = [
            seeds("G11", "g10", "mish", 40, &[0.9, 0.91, 0.92]),
            seeds("G11", "g10", "swish", 40, &[0.9, 0.91, 0.9]),
        ]
        .concat();
        let slow_mish = [
            timed("mish", &[3.0, 3.1, 3.2]),
            timed("swish", &[2.0, 2.1, 2.05]),
            timed("relu", &[1.0, 1.1, 1.05]),
        ];
        assert_eq!(verdict_with_bench("G11", &runs, &slow_mish).verdict, Holds);
        let fast_mish = [
            timed("mish", &[1.0, 1.1, 1.05]),
            timed("swish", &[2.0, 2.1, 2.05]),
            timed("relu", &[1.0, 1.1, 1.05]),
        ];
        assert_eq!(verdict_with_bench("G11", &runs, &fast_mish).verdict, Fails);
        let v = verdict_with_bench("G11", &runs, &[]);
        assert_eq!(v.verdict, Inconclusive);
        assert!(v.evidence.contains("no activation micro-benchmark"));
    }
}
