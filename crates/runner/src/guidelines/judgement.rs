//! What a rule returns: the [`Judgement`], its [`Verdict`] and the decided parts behind it.

use serde::Serialize;

use super::engine::{self, Decision, Part};

/// What the measurements say about a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The claim holds on these runs.
    Holds,
    /// The measurements contradict the claim.
    Fails,
    /// Not enough evidence either way (noise, too few seeds, or no experiment for it).
    Inconclusive,
}

impl Verdict {
    /// As printed.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Fails => "fails",
            Verdict::Inconclusive => "inconclusive",
        }
    }

    /// `holds` if `condition`, else `fails`.
    pub fn from(condition: bool) -> Verdict {
        if condition { Verdict::Holds } else { Verdict::Fails }
    }

    /// Every part must hold: fails if any part fails, holds if all hold (and there is at least
    /// one), else inconclusive.
    pub fn all(parts: impl IntoIterator<Item = Verdict>) -> Verdict {
        let parts: Vec<Verdict> = parts.into_iter().collect();
        if parts.contains(&Verdict::Fails) {
            Verdict::Fails
        } else if !parts.is_empty() && parts.iter().all(|v| *v == Verdict::Holds) {
            Verdict::Holds
        } else {
            Verdict::Inconclusive
        }
    }

    /// One part suffices: holds if any part holds, fails if all fail, else inconclusive.
    pub fn any(parts: impl IntoIterator<Item = Verdict>) -> Verdict {
        let parts: Vec<Verdict> = parts.into_iter().collect();
        if parts.contains(&Verdict::Holds) {
            Verdict::Holds
        } else if !parts.is_empty() && parts.iter().all(|v| *v == Verdict::Fails) {
            Verdict::Fails
        } else {
            Verdict::Inconclusive
        }
    }
}

impl From<Decision> for Verdict {
    fn from(d: Decision) -> Verdict {
        match d {
            Decision::Holds => Verdict::Holds,
            Decision::Fails => Verdict::Fails,
            Decision::Undecided => Verdict::Inconclusive,
        }
    }
}

/// What a rule found: the verdict, its decided parts, and the context behind them.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// The verdict.
    pub verdict: Verdict,
    /// The statistical parts, decided together (Holm).
    pub parts: Vec<Part>,
    /// Context the parts do not carry (exact checks, counts, notes), one clause each.
    pub evidence: Vec<String>,
    /// Clauses the one-line finding must carry besides the deciding parts (what a rule set
    /// aside, and why).
    pub notes: Vec<String>,
}

impl Judgement {
    /// Inconclusive because the results hold nothing to judge by.
    pub fn missing(what: impl Into<String>) -> Judgement {
        Judgement {
            verdict: Verdict::Inconclusive,
            parts: Vec::new(),
            evidence: vec![what.into()],
            notes: Vec::new(),
        }
    }

    /// Decides `parts` together; the guideline holds when every part and every exact `checks`
    /// verdict holds, fails when any fails.
    pub fn all(parts: Vec<Part>, checks: Vec<Verdict>, evidence: Vec<String>) -> Judgement {
        Judgement::combined(parts, evidence, |d| {
            Verdict::all(d.iter().copied().chain(checks.iter().copied()))
        })
    }

    /// Decides `parts` together and lets `combine` turn their decisions (in order) into the
    /// verdict, for rules whose parts are not all required.
    pub fn combined(
        mut parts: Vec<Part>,
        evidence: Vec<String>,
        combine: impl Fn(&[Verdict]) -> Verdict,
    ) -> Judgement {
        engine::decide(&mut parts);
        let decisions: Vec<Verdict> = parts.iter().map(|p| p.decision.into()).collect();
        Judgement { verdict: combine(&decisions), parts, evidence, notes: Vec::new() }
    }

    /// The judgement with `notes` for its one-line finding (each also joins the evidence).
    pub fn with_notes(mut self, notes: Vec<String>) -> Judgement {
        self.evidence.extend(notes.iter().cloned());
        self.notes = notes;
        self
    }

    /// Seeds that would decide an inconclusive judgement: the most any undecided part needs (none
    /// when some undecided part cannot be decided by more seeds at its observed effect).
    pub fn seeds_needed(&self) -> Option<usize> {
        if self.verdict != Verdict::Inconclusive {
            return None;
        }
        let undecided: Vec<&Part> =
            self.parts.iter().filter(|p| p.decision == Decision::Undecided).collect();
        if undecided.is_empty() {
            return None;
        }
        undecided.iter().map(|p| p.seeds_needed).try_fold(0, |most, n| n.map(|n| most.max(n)))
    }
}
