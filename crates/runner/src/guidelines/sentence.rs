//! The finding: one sentence per verdict that says what was found, generated from the verdict's
//! parts (never written by hand per rule). It names the verdict, the parts that decide it with
//! their measured values and directions, the notes a rule attaches (such as a nonlinearity that
//! did not train), and, where a rule has several settings, which settings agree.
//!
//! A pure function: the same verdict, parts and notes always give the same sentence.

use super::engine::{Claim, Decision, Part};
use super::judgement::Verdict;
use super::runs::split_context;
use crate::num::num;

/// At most this many deciding parts are spelled out; the rest are counted.
const SHOWN: usize = 3;

/// The one-sentence finding of a verdict on `parts`, with the rule's `notes` (clauses that must
/// reach the reader) and, without parts, its first evidence clause.
pub fn finding(
    verdict: Verdict,
    seeds_needed: Option<usize>,
    parts: &[Part],
    notes: &[String],
    evidence: &[String],
) -> String {
    let deciding: Vec<&Part> = match verdict {
        Verdict::Holds => parts.iter().filter(|p| p.decision == Decision::Holds).collect(),
        Verdict::Fails => parts.iter().filter(|p| p.decision == Decision::Fails).collect(),
        Verdict::Inconclusive => {
            parts.iter().filter(|p| p.decision == Decision::Undecided).collect()
        }
    };
    let mut clauses: Vec<String> = deciding.iter().take(SHOWN).map(|p| clause(p)).collect();
    if deciding.len() > SHOWN {
        clauses.push(format!(
            "{} more {}",
            deciding.len() - SHOWN,
            match verdict {
                Verdict::Holds => "parts hold",
                Verdict::Fails => "parts fail",
                Verdict::Inconclusive => "parts undecided",
            }
        ));
    }
    // Room left: the other parts, each with its own decision, so that a reader sees what did
    // hold beside what failed.
    let others = parts.iter().filter(|p| !deciding.iter().any(|d| std::ptr::eq(*d, *p)));
    for p in others.take(SHOWN.saturating_sub(clauses.len())) {
        clauses.push(format!("{} ({})", clause(p), p.decision.name()));
    }
    if clauses.is_empty() {
        clauses.extend(evidence.iter().take(1).cloned());
    }
    clauses.extend(notes.iter().cloned());
    if let Some(settings) = settings(parts) {
        clauses.push(settings);
    }
    let mut sentence = format!("{}: {}", verdict.name(), clauses.join("; "));
    if let (Verdict::Inconclusive, Some(n)) = (verdict, seeds_needed) {
        sentence += &format!(" (~{n} seeds would decide)");
    }
    sentence
}

/// One part in words: the compared groups with their values and what the comparison showed, or
/// the measured value against its range.
fn clause(part: &Part) -> String {
    let (context, _) = split_context(&part.label);
    let context = context.map(|c| format!("{c}: ")).unwrap_or_default();
    let seeds = format!("{} seeds", part.n_pairs);
    match (&part.groups, part.difference) {
        (Some(g), Some(d)) => {
            let relation = relation(part.claim, part.decision, d, part.delta.unwrap_or(0.0));
            format!(
                "{context}{} {relation} {} on {} ({} vs {}, {} is better, {seeds})",
                g.a,
                g.b,
                part.unit,
                num(g.a_value),
                num(g.b_value),
                if g.higher_is_better { "higher" } else { "lower" },
            )
        }
        (_, estimate) => {
            let shown = estimate.map(num).unwrap_or_else(|| "no value".into());
            let wanted = match part.claim {
                Claim::Inside { low, high } => format!("inside [{}, {}]", num(low), num(high)),
                Claim::Outside { low, high } => {
                    format!("outside [{}, {}]", num(low), num(high))
                }
                Claim::Better => format!("above {}", num(part.delta.unwrap_or(0.0))),
                Claim::NotWorse => format!("above -{}", num(part.delta.unwrap_or(0.0))),
                Claim::Tied => format!("within ±{}", num(part.delta.unwrap_or(0.0))),
            };
            format!(
                "{} {shown} {} ({} {wanted}, {seeds})",
                part.label,
                part.unit,
                match part.decision {
                    Decision::Holds => "is",
                    Decision::Fails => "is not",
                    Decision::Undecided => "not clearly",
                }
            )
        }
    }
}

/// How `a` stands to `b` given the claim, its decision and the oriented difference `d`
/// (positive: `a` better).
fn relation(claim: Claim, decision: Decision, d: f64, delta: f64) -> &'static str {
    match (claim, decision) {
        (Claim::Better, Decision::Holds) => "is better than",
        (Claim::Better, Decision::Fails) if d < 0.0 => "is worse than",
        (Claim::Better, Decision::Fails) => "is no better than",
        (Claim::Better, Decision::Undecided) => "is not clearly better than",
        (Claim::NotWorse, Decision::Holds) => "is no worse than",
        (Claim::NotWorse, Decision::Fails) => "is worse than",
        (Claim::NotWorse, Decision::Undecided) => "is not clearly as good as",
        (Claim::Tied, Decision::Holds) => "is tied with",
        (Claim::Tied, Decision::Fails) if d > delta => "is better than",
        (Claim::Tied, Decision::Fails) => "is worse than",
        (Claim::Tied, Decision::Undecided) => "is not clearly tied with",
        (Claim::Inside { .. } | Claim::Outside { .. }, _) => "compares with",
    }
}

/// Where parts name two or more settings: which settings hold, fail or are undecided (by
/// name up to [`SETTINGS_NAMED`] settings; beyond, counted, with the failing ones named).
fn settings(parts: &[Part]) -> Option<String> {
    let mut order: Vec<&str> = Vec::new();
    for p in parts {
        if let (Some(c), _) = split_context(&p.label)
            && !order.contains(&c)
        {
            order.push(c);
        }
    }
    if order.len() < 2 {
        return None;
    }
    let verdicts: Vec<(&str, Verdict)> = order
        .iter()
        .map(|setting| {
            let decisions = parts
                .iter()
                .filter(|p| split_context(&p.label).0 == Some(*setting))
                .map(|p| -> Verdict { p.decision.into() });
            (*setting, Verdict::all(decisions))
        })
        .collect();
    if verdicts.len() <= SETTINGS_NAMED {
        let named: Vec<String> =
            verdicts.iter().map(|(s, v)| format!("{s} {}", v.name())).collect();
        return Some(format!("by setting: {}", named.join(", ")));
    }
    let count = |v: Verdict| verdicts.iter().filter(|(_, x)| *x == v).count();
    let failing: Vec<&str> =
        verdicts.iter().filter(|(_, v)| *v == Verdict::Fails).map(|(s, _)| *s).collect();
    Some(format!(
        "by setting: {} hold, {} fail{}, {} inconclusive",
        count(Verdict::Holds),
        count(Verdict::Fails),
        if failing.is_empty() { String::new() } else { format!(" ({})", failing.join(", ")) },
        count(Verdict::Inconclusive)
    ))
}

/// Settings named one by one in a finding; more are counted.
const SETTINGS_NAMED: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guidelines::engine::{Groups, Method, decide};

    fn part(label: &str, a: (&str, f64), b: (&str, f64), higher: bool, sample: &[f64]) -> Part {
        Part::new(label, "test accuracy", Claim::Better, Method::PairedT, 0.01, sample.to_vec())
            .with_groups(Groups {
                a: a.0.into(),
                a_value: a.1,
                b: b.0.into(),
                b_value: b.1,
                higher_is_better: higher,
            })
    }

    fn decided(mut parts: Vec<Part>) -> Vec<Part> {
        decide(&mut parts);
        parts
    }

    #[test]
    fn the_same_parts_give_the_same_sentence() {
        let parts = decided(vec![part(
            "relu - tanh",
            ("relu", 0.9),
            ("tanh", 0.8),
            true,
            &[0.1, 0.11, 0.09, 0.1],
        )]);
        let once = finding(Verdict::Holds, None, &parts, &[], &[]);
        assert_eq!(once, finding(Verdict::Holds, None, &parts.clone(), &[], &[]));
        assert_eq!(
            once,
            "holds: relu is better than tanh on test accuracy (0.900 vs 0.800, higher is better, 4 seeds)"
        );
    }

    #[test]
    fn a_lower_is_better_quantity_reads_the_right_way_round() {
        // elu's |mean| is the higher, and lower is better: elu is the worse one.
        let mut p =
            part("elu - relu", ("elu", 0.637), ("relu", 0.294), false, &[-0.3, -0.35, -0.38]);
        p.unit = "|mean hidden activation|".into();
        let parts = decided(vec![p]);
        let sentence = finding(Verdict::Fails, None, &parts, &[], &[]);
        assert_eq!(
            sentence,
            "fails: elu is worse than relu on |mean hidden activation| (0.637 vs 0.294, lower is better, 3 seeds)"
        );
        assert!(
            parts[0].text().contains("lower is better: elu worse by 0.343"),
            "{}",
            parts[0].text()
        );
    }

    #[test]
    fn a_rule_with_several_settings_names_which_agree() {
        let parts = decided(vec![
            part(
                "fashion: relu - tanh",
                ("relu", 0.9),
                ("tanh", 0.8),
                true,
                &[0.1, 0.11, 0.09, 0.1],
            ),
            part(
                "images: relu - tanh",
                ("relu", 0.7),
                ("tanh", 0.8),
                true,
                &[-0.1, -0.11, -0.09, -0.1],
            ),
        ]);
        let sentence = finding(Verdict::Fails, None, &parts, &[], &[]);
        assert!(sentence.starts_with("fails: images: relu is worse than tanh"), "{sentence}");
        assert!(sentence.contains("fashion: relu is better than tanh"), "{sentence}");
        assert!(sentence.ends_with("by setting: fashion holds, images fails"), "{sentence}");
    }

    #[test]
    fn notes_and_missing_evidence_reach_the_sentence() {
        let sentence = finding(
            Verdict::Inconclusive,
            None,
            &[],
            &["sigmoid did not train".into()],
            &["not run".into()],
        );
        assert_eq!(sentence, "inconclusive: not run; sigmoid did not train");
    }
}
