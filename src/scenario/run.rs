//! Run the cases of one test file: each case is one contact of the one driver
//! (`sim::driver::run_with`) with the case's [`Scripted`] plan as its source of chance, its
//! seed and contact index; the same engine and rules as `simulate` and `explain`. Then each
//! `expect` key is compared with what the contact did.

use crate::report::simulation::explain_human;
use crate::script::ActionIx;
use crate::sim::aggregate::Shares;
use crate::sim::coverage::Coverage;
use crate::sim::driver::{self, Sink};
use crate::sim::engine::{Observer, TraceStep};
use crate::sim::explain::Explanation;
use crate::sim::rng::{Plan, Scripted};
use crate::sim::vars::{VarId, Vars};
use crate::sim::{Compiled, Outcome};

use super::file::TestFile;
use super::resolve::{Checks, Resolver};

/// One case of a file, resolved and ready to run.
pub struct Prepared {
    /// Index into the file's `cases`.
    pub case: usize,
    pub plan: Plan,
    pub checks: Checks,
    pub seed: u64,
    pub call: u64,
}

/// A file's cases resolved against its program (`--filter` applied: only matching cases).
pub struct Suite {
    pub program: Compiled,
    pub cases: Vec<Prepared>,
    /// Cases `--filter` left out.
    pub filtered_out: usize,
}

/// One expectation that did not hold.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Mismatch {
    pub key: String,
    pub expected: String,
    pub actual: String,
}

/// The result of one case.
#[derive(Clone, Debug)]
pub struct CaseResult {
    pub name: String,
    /// 1-based line of the case's `name:`.
    pub line: usize,
    pub seed: u64,
    pub call: u64,
    pub failures: Vec<Mismatch>,
    /// The `explain` timeline of the case's contact (kept for failures).
    pub timeline: Option<String>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Resolve every case of `file` whose name contains `filter` against `program` (extended
/// with the numbers and CAPTURE variables the cases name). All resolution errors at once.
pub fn prepare(
    file: &TestFile,
    script: &crate::script::Script,
    mut program: Compiled,
    filter: Option<&str>,
) -> Result<Suite, Vec<crate::source::LoadError>> {
    let mut r = Resolver { file, script, errors: Vec::new() };
    let default_seed = file.seed.unwrap_or(program.seed);
    let mut cases = Vec::new();
    let mut filtered_out = 0;
    for (i, case) in file.cases.iter().enumerate() {
        // Every case is resolved (a typo in a filtered-out case is still a typo).
        let plan = r.plan(&mut program, case);
        let checks = r.checks(&mut program, case);
        if filter.is_some_and(|f| !case.name.contains(f)) {
            filtered_out += 1;
            continue;
        }
        cases.push(Prepared {
            case: i,
            plan,
            checks,
            seed: case.seed.unwrap_or(default_seed),
            call: case.call,
        });
    }
    if r.errors.is_empty() { Ok(Suite { program, cases, filtered_out }) } else { Err(r.errors) }
}

/// What the engine reports for a case: the timeline and the variables at the end.
#[derive(Default)]
struct Kept {
    steps: Vec<TraceStep>,
    vars: Vec<(VarId, String)>,
}

impl Observer for Kept {
    const TRACE: bool = true;
    fn trace(&mut self, step: TraceStep) {
        self.steps.push(step);
    }
    fn clear(&mut self) {
        self.steps.clear();
        self.vars.clear();
    }
    fn ended(&mut self, vars: &Vars) {
        self.vars.extend(vars.iter().map(|(v, s)| (v, s.to_string())));
    }
}

#[derive(Default)]
struct CaseSink {
    outcome: Outcome,
    steps: Vec<TraceStep>,
    vars: Vec<(VarId, String)>,
}

impl Sink for CaseSink {
    type Observer = Kept;
    fn contact(&mut self, out: &Outcome, seen: &mut Kept) {
        self.outcome.clone_from(out);
        self.steps = std::mem::take(&mut seen.steps);
        self.vars = std::mem::take(&mut seen.vars);
    }
}

/// One scripted contact of `p`: outcome, timeline, final variables.
pub fn contact(p: &Compiled, plan: &Plan, call: u64) -> (Explanation, Vec<(VarId, String)>) {
    let mut kept = CaseSink::default();
    let source = Scripted::new(plan);
    let _ = driver::run_with(p, &source, call..call.saturating_add(1), 1, CaseSink::default, |s| {
        kept = s;
        Ok::<(), std::convert::Infallible>(())
    });
    (Explanation { outcome: kept.outcome, steps: kept.steps }, kept.vars)
}

/// `none`, `full`, `agent_only` or `ivr`: the strongest recording of the contact (a full
/// recording of an agent or external segment, else an agent-only one, else the IVR only).
pub fn recorded_class(o: &Outcome) -> &'static str {
    let s = Shares::of(o);
    if s.full {
        "full"
    } else if s.agent_only {
        "agent_only"
    } else if s.ivr {
        "ivr"
    } else {
        "none"
    }
}

/// The contact's path as ids, consecutive repeats folded (`hold ×3`).
fn path_text(p: &Compiled, path: &[ActionIx]) -> String {
    let mut parts: Vec<(String, usize)> = Vec::new();
    for ix in path {
        let id = p.id(*ix);
        match parts.last_mut() {
            Some((last, n)) if last == id => *n += 1,
            _ => parts.push((id.to_string(), 1)),
        }
    }
    let list: Vec<String> =
        parts.into_iter().map(|(id, n)| if n > 1 { format!("{id} ×{n}") } else { id }).collect();
    format!("[{}]", list.join(", "))
}

fn list<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    let v: Vec<String> = items.into_iter().map(|x| x.to_string()).collect();
    format!("[{}]", v.join(", "))
}

/// Compare a contact with a case's checks.
pub fn compare(p: &Compiled, c: &Checks, o: &Outcome, vars: &[(VarId, String)]) -> Vec<Mismatch> {
    let mut bad = Vec::new();
    let mut miss = |key: &str, expected: String, actual: String| {
        bad.push(Mismatch { key: key.to_string(), expected, actual });
    };
    if let Some(want) = &c.recorded {
        let got = recorded_class(o);
        if want != got {
            miss("recorded", want.clone(), got.to_string());
        }
    }
    if let Some(want) = &c.findings {
        let mut want: Vec<_> = want.clone();
        want.sort();
        want.dedup();
        let got: Vec<_> = o.findings().collect();
        if want != got {
            miss("findings", list(want.iter().map(|f| f.as_str())), list(got.iter().map(|f| f.as_str())));
        }
    }
    if let Some(want) = &c.visits {
        // In order, not necessarily adjacent: each expected id after the previous one's visit.
        let mut at = 0;
        let mut missing = None;
        for (id, ixs) in want {
            match o.path[at..].iter().position(|x| ixs.contains(x)) {
                Some(k) => at += k + 1,
                None => {
                    missing = Some(id.clone());
                    break;
                }
            }
        }
        if let Some(id) = missing {
            miss(
                "visits",
                format!("{} in this order (`{id}` not reached)", list(want.iter().map(|(id, _)| id))),
                path_text(p, &o.path),
            );
        }
    }
    if let Some(not) = &c.not_visits {
        let hit: Vec<&str> = not
            .iter()
            .filter(|(_, ixs)| o.path.iter().any(|x| ixs.contains(x)))
            .map(|(id, _)| id.as_str())
            .collect();
        if !hit.is_empty() {
            miss(
                "not_visits",
                format!("none of {}", list(not.iter().map(|(id, _)| id))),
                format!("visited {}", list(hit)),
            );
        }
    }
    for (name, var, want) in &c.variables {
        let got = vars.iter().find(|(v, _)| v == var).map_or("", |(_, s)| s.as_str());
        if got != want {
            miss(&format!("variables.{name}"), format!("{want:?}"), format!("{got:?}"));
        }
    }
    let saved = o.statements.iter().filter(|s| s.saved).count() as u64;
    let lost = o.statements.len() as u64 - saved;
    if let Some(want) = c.saved
        && want != saved
    {
        miss("statements.saved", want.to_string(), saved.to_string());
    }
    if let Some(want) = c.lost
        && want != lost
    {
        miss("statements.lost", want.to_string(), lost.to_string());
    }
    if let Some(want) = c.dnr
        && want != o.dnr_at_ms.is_some()
    {
        miss("dnr", want.to_string(), o.dnr_at_ms.is_some().to_string());
    }
    if let Some(want) = c.abandoned
        && want != o.abandoned
    {
        miss("abandoned", want.to_string(), o.abandoned.to_string());
    }
    if let Some(want) = c.hung_up_in_ivr
        && want != o.hung_up_in_ivr
    {
        miss("hung_up_in_ivr", want.to_string(), o.hung_up_in_ivr.to_string());
    }
    bad
}

/// Run the prepared cases of `file`; counts them into `coverage` when given (each case one
/// contact, told apart by `stamp`, which the caller keeps increasing across files).
pub fn run(
    suite: &mut Suite,
    file: &TestFile,
    script_name: &str,
    mut coverage: Option<(&mut Coverage, &mut u64)>,
) -> Vec<CaseResult> {
    let mut results = Vec::with_capacity(suite.cases.len());
    for prep in &suite.cases {
        suite.program.seed = prep.seed;
        let p = &suite.program;
        let (ex, vars) = contact(p, &prep.plan, prep.call);
        if let Some((cov, stamp)) = coverage.as_mut() {
            **stamp += 1;
            cov.add_as(&ex.outcome, **stamp);
        }
        let failures = compare(p, &prep.checks, &ex.outcome, &vars);
        let case = &file.cases[prep.case];
        let timeline = (!failures.is_empty()).then(|| explain_human(p, &ex, script_name));
        results.push(CaseResult {
            name: case.name.clone(),
            line: file.source.line_col(case.span.offset).0,
            seed: prep.seed,
            call: prep.call,
            failures,
            timeline,
        });
    }
    results
}
