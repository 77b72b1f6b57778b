//! The script thread's next action: one `Op` of the compiled program → its effect, its duration
//! and the branch it takes (SEMANTICS §2). Durations are A-1; media after release is skipped and
//! reported; a sensitive MENU while recording is R14; an unwired branch ends the thread and,
//! in the IVR, the call (`stuck`). Recording actions delegate to `studio.rs` and
//! `statements.rs`, REQAGENT to `events.rs`.

use super::events::{EvKind, SYM_AT};
use super::state::CallPhase;
use super::{Decision, Engine, Mark, Observer, TraceStep, later};
use crate::script::ActionIx;
use crate::sim::compile::{DistMs, Next, Op};
use crate::sim::outcome::{ConsentAnswer, Finding, Outcome};
use crate::sim::rng::Purpose;
use crate::sim::rng::Source;
use crate::sim::thresholds::{self, Cell, Law};
use crate::sim::vars::{Template, VarId};

impl<'p, O: Observer, S: Source<'p>> Engine<'p, O, S> {
    /// Continue at `next` after `dur` ms; an unwired branch ends the thread (and, in the IVR,
    /// the call: finding `stuck`).
    /// a media action after release is skipped (0 ms, `next`) and reported.
    fn media_after_release(&mut self, ix: ActionIx, what: &str, next: Next, out: &mut Outcome) {
        out.add_at(Finding::MediaAfterRelease, Some(ix));
        tr!(self, "finding", Some(ix), Some("A-3"), "{what} after release is skipped (media_after_release)");
        self.goto(next, 0, out)
    }

    pub(super) fn goto(&mut self, next: Next, dur: u64, out: &mut Outcome) {
        match next {
            Some(e) => {
                // Coverage (`sim/coverage.rs`): the branch taken, counted once per contact, so a
                // loop's branch taken again at once (MUSIC wired to itself) is not kept twice.
                if out.branches.last() != Some(&e.branch) {
                    out.branches.push(e.branch);
                }
                self.c.pc = Some(e.to);
                self.c.ready = later(self.c.t, dur);
            }
            None => {
                let at = self.c.pc;
                self.c.pc = None;
                // In the IVR nobody else will move the call on: the caller hears the action
                // out (its duration still counts) and hangs up — "the contact could get stuck"
                // [help:menu]. After answer the talk's own release ends the call.
                if self.phase() == CallPhase::Ivr {
                    self.stuck_in_ivr(at, dur, out);
                } else {
                    tr!(self, "branch", at, None, "the branch taken is not wired: the thread ends");
                }
            }
        }
    }

    /// An action's duration drawn from `d`, or `Err(law)` when exact analysis keeps it symbolic
    /// (then [`Engine::goto_after`] parks the thread until a random time of that law): decided
    /// before the action changes anything.
    fn action_ms(&mut self, d: DistMs) -> Result<u64, Law> {
        if S::SYMBOLIC
            && self.src.symbolic()
            && let Some(law) = thresholds::law(d.dist)
        {
            match self.why_not_symbolic() {
                None => return Err(law),
                Some(why) => self.src.cannot(why),
            }
        }
        Ok(self.sample_ms(d.dist, d.purpose))
    }

    /// Why a random action duration cannot be the one pending random time (exact analysis).
    #[cold]
    fn why_not_symbolic(&self) -> Option<String> {
        let what =
            "the script thread's next action comes at a random time (a random durations.menu, play or music)";
        if self.reads_clock {
            Some(format!(
                "{what}, and a Snippet reads the clock (now()): it would read that time as a number"
            ))
        } else if self.sym_pending() {
            Some(format!(
                "{what} while another random time is pending (threshold splitting keeps one random time \
                 pending and compares it with fixed ones)"
            ))
        } else if !self.c.talk.cells.is_empty() {
            Some(format!("{what} inside a talk whose agent events or presses are at random times"))
        } else if self.c.talk.clock.is_some() || self.c.talk.ready.is_some() {
            Some(format!(
                "{what} after an earlier random time, while an event at a fixed time is pending: \
                 the two are compared through a sum of random times"
            ))
        } else {
            None
        }
    }

    /// Continue at `next` after `dur` ms, or — `dur` kept symbolic by [`Engine::action_ms`] —
    /// after `extra` ms plus a random X of its law: the thread's next action is then the
    /// pending random time (`events.rs`, `resolve_symbolic`).
    fn goto_after(&mut self, next: Next, dur: Result<u64, Law>, extra: u64, d: DistMs, out: &mut Outcome) {
        match dur {
            Ok(dur) => self.goto(next, dur, out),
            Err(law) => self.goto_symbolic(next, later(self.c.t, extra), Cell::of(law), d.purpose, out),
        }
    }

    #[cold]
    #[inline(never)]
    fn goto_symbolic(&mut self, next: Next, base: u64, cell: Cell, purpose: Purpose, out: &mut Outcome) {
        match next {
            Some(_) => {
                self.goto(next, 0, out);
                self.park_thread(base, cell, purpose);
            }
            None if self.phase() == CallPhase::Ivr => {
                // An unwired branch in the IVR (`stuck_in_ivr`): the caller hears the action out
                // and hangs up, unless a (fixed) IVR patience runs out first.
                let at = self.c.pc.take();
                let mut cell = cell;
                let hang_up =
                    self.c.events.iter().find(|e| matches!(e.kind, EvKind::IvrHangUp)).map(|e| e.at);
                if let Some(h) = hang_up
                    && !self.below(&mut cell, h.saturating_sub(base) as f64, purpose)
                {
                    self.c.t = self.c.t.max(h);
                    self.hang_up_in_ivr(out);
                    return;
                }
                self.stuck(at, later(base, cell.representative()), out);
            }
            None => self.goto(next, 0, out),
        }
    }

    /// An unwired branch in the IVR: the caller hears the action out and hangs up (`stuck`) —
    /// unless the caller's IVR patience runs out first. Out of line and cold: the
    /// per-action `goto` stays as small as it was.
    #[cold]
    #[inline(never)]
    fn stuck_in_ivr(&mut self, at: Option<ActionIx>, dur: u64, out: &mut Outcome) {
        let end = later(self.c.t, dur);
        // a caller whose IVR patience runs out while the action plays hangs up first; the
        // script never gets stuck.
        if let Some(hang_up) = self.ivr_hang_up_before(end) {
            self.c.t = self.c.t.max(hang_up);
            self.hang_up_in_ivr(out);
            return;
        }
        self.stuck(at, end, out);
    }

    /// The caller heard the unwired branch's action out, until `end`, and hangs up: `stuck`.
    fn stuck(&mut self, at: Option<ActionIx>, end: u64, out: &mut Outcome) {
        self.c.t = end;
        out.add_at(Finding::Stuck, at);
        tr!(self, "finding", at, None, "stuck: the branch taken is not wired; the caller hangs up");
        self.release(out);
    }

    /// Run the action at `pc` (the event loop calls this only when a thread exists). Each arm
    /// ends by choosing where the thread goes next (`goto`) or ending it; none loops, so one
    /// call is one action and the step limit counts every action.
    pub(super) fn step(&mut self, out: &mut Outcome) {
        let p = self.p;
        let ix = self.c.pc.expect("step with a thread");
        out.path.push(ix);
        // Heat wants the recording state *as the action runs*, before it changes it.
        self.obs.step(ix, self.c.rec.map(|a| a.initiator));
        // Read once: an arm may release the call, and must still act as it found it.
        let released = self.phase() == CallPhase::Released;
        // `{var}` templates in typed properties (issue 11 point 4): resolved for this contact,
        // then the patched op runs like a literal one (`sim/templated.rs`).
        let patched;
        let mut menu_values = crate::sim::templated::MenuValues::default();
        let op = match &p.ops[ix.index()] {
            Op::Templated(t) => {
                let c = &mut self.c;
                let r = crate::sim::templated::resolve(t, p, &mut c.vars, &mut c.scratch, &mut c.invalid);
                menu_values = r.menu;
                if let Some(i) = r.fell_back {
                    if !out.templated_fallback.contains(&t.slot) {
                        out.templated_fallback.push(t.slot);
                    }
                    out.add_at(Finding::TemplatedFallback, Some(ix));
                    tr!(
                        self,
                        "finding",
                        Some(ix),
                        None,
                        "{}",
                        crate::sim::templated::fallback_text(t, i, &self.c.invalid)
                    );
                }
                match r.op {
                    Some(o) => {
                        patched = o;
                        &patched
                    }
                    None => &t.inner,
                }
            }
            op => op,
        };
        match op {
            // Actions that change nothing we model (ANSWER, SIGNAL, …; see docs/actions.md).
            Op::Pass { next } => {
                tr!(self, "action", Some(ix), None, "{}", self.op_name(ix));
                self.goto(*next, 0, out)
            }
            Op::End => {
                tr!(self, "action", Some(ix), None, "{}: the thread ends", self.op_name(ix));
                self.c.pc = None;
                if matches!(self.phase(), CallPhase::Ivr | CallPhase::Queued) {
                    tr!(self, "note", Some(ix), None, "END before answer also ends the call");
                    self.release(out);
                }
            }
            Op::Hangup => {
                tr!(self, "action", Some(ix), None, "HANGUP");
                self.c.pc = None;
                if !released {
                    self.release(out);
                }
            }
            // An action whose result we cannot compute (HOURS, IF, RESTAPI, …): traffic weights
            // choose the branch, and the contact is counted as `unmodelled` so the report says
            // its outcome rests on an assumption.
            Op::Branched(b) => self.branched(ix, b, out),
            // IF (issue 11 point 2): the Expression decides True / False; a value recflow cannot
            // know (an external call's result) or a runtime error falls back to traffic weights.
            Op::If(i) => match i.cond.eval(&mut self.c.vars) {
                Ok(Some(b)) => {
                    tr!(
                        self,
                        "action",
                        Some(ix),
                        None,
                        "IF `{}` → {}",
                        i.text,
                        if b { "True" } else { "False" }
                    );
                    self.goto(if b { i.on_true } else { i.on_false }, 0, out)
                }
                Ok(None) => {
                    tr!(self, "note", Some(ix), None, "IF `{}`: the value is unknown", i.text);
                    self.branched(ix, &i.fallback, out)
                }
                Err(e) => {
                    tr!(self, "note", Some(ix), None, "IF `{}`: runtime error: {}", i.text, e.message);
                    self.branched(ix, &i.fallback, out)
                }
            },
            // `templated::wrap` never nests: the op was resolved above.
            Op::Templated(_) => unreachable!("templated ops are resolved before the match"),
            // MENU: the caller's input is drawn from traffic (or uniformly among the wired digit
            // branches), stored in the MENU's variable, and picks the branch (SEMANTICS §2).
            Op::Menu(m) => {
                if released {
                    return self.media_after_release(ix, "MENU", m.default, out);
                }
                if m.sensitive && self.c.rec.is_some() {
                    out.add_at(Finding::SensitiveWhileRecording, Some(ix));
                    tr!(
                        self,
                        "finding",
                        Some(ix),
                        Some("R14"),
                        "sensitive MENU runs while the call is being recorded"
                    );
                }
                // `None` = no input (timeout): the default branch, and the variable is "".
                // A test case's input for this visit, else the traffic's draw.
                let choice: Option<&str> = match self.src.menu(ix) {
                    Some(forced) => forced,
                    None => match &m.inputs {
                        Some((values, cum)) => {
                            values[self.src.weighted(&mut self.c.draws, m.choice, cum)].as_deref()
                        }
                        None if m.wired.is_empty() => None,
                        None => {
                            let k = self.src.index(&mut self.c.draws, m.choice, m.wired.len());
                            Some(m.digits[m.wired[k] as usize].0.as_str())
                        }
                    },
                };
                self.obs.decided(Decision::Menu(ix, choice));
                // the input is cut to MaxDigits (a `char` boundary scan of a few bytes).
                let max_digits = menu_values.max_digits.unwrap_or(m.max_digits);
                let choice = match choice {
                    Some(d) if (max_digits as usize) < d.len() => {
                        Some(d.char_indices().nth(max_digits as usize).map_or(d, |(i, _)| &d[..i]))
                    }
                    c => c,
                };
                self.c.vars.set(m.var, choice.unwrap_or(""));
                let branch = choice.and_then(|d| m.digits.iter().position(|(name, _)| name == d));
                let target = match (choice, branch) {
                    (_, Some(k)) => m.digits[k].1,
                    (None, None) => m.no_input,
                    (Some(_), None) => m.invalid,
                };
                // `durations.menu` (the prompt and the answer), plus the Timeout when
                // no input came, or the InterDigitTimeout after an input short of MaxDigits.
                let prompt = self.action_ms(m.duration);
                let inter_digit = menu_values.inter_digit_ms.unwrap_or(m.inter_digit_ms);
                let wait = match choice {
                    None => menu_values.timeout_ms.unwrap_or(m.timeout_ms),
                    Some(d)
                        if inter_digit > 0
                            && !d.ends_with('#')
                            && d.chars().count()
                                < menu_values.max_digits.unwrap_or(m.short_input) as usize =>
                    {
                        inter_digit
                    }
                    Some(_) => 0,
                };
                // `Err`: kept symbolic (exact analysis), the MENU ends at a random time.
                let dur = prompt.map(|prompt| prompt.saturating_add(wait).min(crate::source::MAX_MS));
                let end = dur.map_or(SYM_AT, |dur| later(self.c.t, dur));
                // A consent question: remember the answer, when it was asked and when given (the
                // MENU's start and end); the contact's recordings are judged against it when it
                // ends (issue 19; A-24: the last answer decides).
                if let Some(c) = &m.consent {
                    let answer = match (choice, branch) {
                        (None, _) => ConsentAnswer::NoInput,
                        (Some(_), Some(k)) if c.accepts[k] => ConsentAnswer::Accepted,
                        (Some(_), Some(_)) => ConsentAnswer::Declined,
                        (Some(d), None) if c.accept_other.iter().any(|a| a == d) => ConsentAnswer::Accepted,
                        (Some(_), None) => ConsentAnswer::UnlistedDigit,
                    };
                    self.c.consent = Some((answer, self.c.t, end, ix));
                }
                trm!(
                    self,
                    Some(Mark::Menu { input: choice.map(str::to_string), at_ms: end }),
                    "action",
                    Some(ix),
                    None,
                    "MENU: input {} → {} ({} = \"{}\"), {} ms{}",
                    choice.map_or("none".to_string(), |c| format!("\"{c}\"")),
                    target.map_or("(not wired)", |t| p.id(t.to)),
                    p.symbols.name(m.var),
                    choice.unwrap_or(""),
                    dur.unwrap_or_default(),
                    match (choice, wait) {
                        (_, 0) => String::new(),
                        (None, w) => format!(" (no input: Timeout {w} ms after the prompt, A-25)"),
                        (Some(_), w) => format!(" (InterDigitTimeout {w} ms after the last digit, A-25)"),
                    }
                );
                // IVR media: an earlier IVR Start is now IVR-only.
                self.ivr_media(ix);
                self.goto_after(target, dur, wait, m.duration, out);
            }
            Op::Play { next, duration } => {
                if released {
                    return self.media_after_release(ix, "PLAY", *next, out);
                }
                tr!(self, "action", Some(ix), None, "PLAY");
                self.ivr_media(ix);
                let dur = self.action_ms(*duration);
                self.goto_after(*next, dur, 0, *duration, out);
            }
            // MUSIC playing its whole file: traffic `durations.music`, then OnComplete.
            Op::Music { duration, complete, default } => {
                if released {
                    return self.media_after_release(ix, "MUSIC", *default, out);
                }
                let dur = self.action_ms(*duration);
                tr!(
                    self,
                    "action",
                    Some(ix),
                    Some("A-26"),
                    "MUSIC: the whole file, durations.music = {} ms",
                    dur.unwrap_or_default()
                );
                self.goto_after(*complete, dur, 0, *duration, out);
            }
            // MUSIC and WAIT: a fixed duration; only MUSIC is media, and neither is IVR
            // media, so hold music after a Start does not disarm it.
            Op::Timed { ms, media, whole, next } => {
                if released && *media {
                    return self.media_after_release(ix, "MUSIC", *next, out);
                }
                if *whole {
                    tr!(
                        self,
                        "action",
                        Some(ix),
                        Some("A-26"),
                        "MUSIC: the whole file, durations.music = {ms} ms"
                    );
                } else {
                    tr!(self, "action", Some(ix), Some("A-1"), "{} {} ms", self.op_name(ix), ms);
                }
                self.goto(*next, *ms, out);
            }
            Op::Assign { var, value, next } => {
                self.assign(*var, value, out);
                tr!(
                    self,
                    "variable",
                    Some(ix),
                    None,
                    "ASSIGN {} = \"{}\"",
                    p.symbols.name(*var),
                    self.c.vars.get(*var)
                );
                self.goto(*next, 0, out);
            }
            // RUNSUB: the subscript was linked into the program at load (docs/subscripts.md), so a call is
            // only its variable set-up; RETURN below jumps back.
            Op::Call { clear, scope, params, next } => {
                // Fresh locals (objects too) for this copy of the subscript, then its parameters
                // (docs/subscripts.md).
                self.c.vars.clear_scope(clear, *scope);
                for (var, value) in params {
                    self.assign(*var, value, out);
                }
                tr!(
                    self,
                    "action",
                    Some(ix),
                    None,
                    "RUNSUB: the subscript runs, then the script continues after it"
                );
                self.goto(*next, 0, out);
            }
            Op::Return { value, next } => {
                if let Some((var, value)) = value {
                    self.assign(*var, value, out);
                    tr!(
                        self,
                        "variable",
                        Some(ix),
                        None,
                        "RETURN {} = \"{}\"",
                        p.symbols.name(*var),
                        self.c.vars.get(*var)
                    );
                } else {
                    tr!(self, "action", Some(ix), None, "RETURN");
                }
                self.goto(*next, 0, out);
            }
            // RUNSCRIPT: the compiled program already contains the target script (linked at
            // load); what changes is which ONANSWER/ONRELEASE/ONSIGNAL are active.
            Op::RunScript { handlers, next } => {
                tr!(
                    self,
                    "action",
                    Some(ix),
                    None,
                    "RUNSCRIPT: continues in another script; its event actions are active now"
                );
                self.c.handlers = *handlers;
                self.goto(*next, 0, out);
            }
            // SNIPPET: the compiled Snippet program runs on the contact's variables.
            Op::Snippet { code, next, error } => {
                // `now()` and the date functions read the simulated clock.
                self.c.vars.set_clock_ms(self.c.t);
                // Exact analysis: a clock value that stands for a random time (`talk.rs`) is
                // not one `now()` may read.
                if S::SYMBOLIC && self.c.talk.clock.is_some() && code.reads_clock() {
                    self.talk_cannot(
                        "a Snippet reads the clock (now()) at a time relative to an agent event or \
                         press at a random time inside the talk"
                            .to_string(),
                    );
                }
                let result = code.run(&mut self.c.vars);
                let unmodelled = self.c.vars.take_unmodelled();
                if unmodelled > 0 {
                    out.unmodelled_snippet += 1;
                    tr!(
                        self,
                        "finding",
                        Some(ix),
                        None,
                        "SNIPPET: {unmodelled} unmodelled construct(s) gave unknown values (unmodelled_snippet)"
                    );
                }
                match result {
                    Ok(()) => {
                        // A program that overwrote RecordingStatementId let the id go (R13).
                        if let Some(i) = self.c.stmt_in_var {
                            crate::sim::outcome::write_statement_id(
                                &mut self.c.id_buf,
                                out.id,
                                out.statements[i].n,
                            );
                            if self.c.vars.get(p.statement_var) != self.c.id_buf {
                                self.release_statement_id(out);
                            }
                        }
                        tr!(self, "action", Some(ix), None, "SNIPPET");
                        // The loop itself (not only its lines) is skipped without tracing.
                        if O::TRACE {
                            for v in code.writes() {
                                tr!(
                                    self,
                                    "variable",
                                    Some(ix),
                                    None,
                                    "{} = \"{}\"",
                                    p.symbols.name(*v),
                                    self.c.vars.get(*v)
                                );
                            }
                        }
                        self.goto(*next, 0, out);
                    }
                    // A runtime error takes the Error branch with the message in `_ERR`
                    // [help:snippet]; variables written before the error keep their values.
                    Err(e) => {
                        self.c.vars.set(p.err_var, &e.message);
                        tr!(self, "branch", Some(ix), None, "SNIPPET runtime error → Error: {}", e.message);
                        self.goto(*error, 0, out);
                    }
                }
            }
            // CASE: the branch named by the variable's value, else default (exact match: the
            // value is a string, as in Studio).
            Op::Case { var, values, default } => {
                let v = self.c.vars.get(*var);
                let target = values.iter().find(|(name, _)| name == v).map_or(*default, |(_, t)| *t);
                tr!(
                    self,
                    "action",
                    Some(ix),
                    None,
                    "CASE {} = \"{}\" → {}",
                    p.symbols.name(*var),
                    v,
                    target.map_or("(not wired)", |t| p.id(t.to))
                );
                self.goto(target, 0, out);
            }
            Op::ReqAgent { skill, next } => {
                self.reqagent(ix, *skill, out);
                self.goto(*next, 0, out);
            }
            // INDICATE: the same Name replaces the old button (§4); remembering which INDICATE
            // set it is how a press finds its parameters.
            Op::Indicate { button, on, next, .. } => {
                self.c.buttons_on.retain(|(b, _)| b != button);
                if *on {
                    self.c.buttons_on.push((*button, ix));
                }
                tr!(
                    self,
                    "action",
                    Some(ix),
                    None,
                    "INDICATE `{}` {}",
                    p.button_names[button.index()],
                    if *on { "On" } else { "Off" }
                );
                self.goto(*next, 0, out);
            }
            // LOGRECORDINGPRO with UseRecordingStatementId: statements only (A-15, R13).
            Op::Record { start, statement: true, next } => {
                if *start {
                    self.statement_start(ix, out);
                } else {
                    self.statement_stop(ix, out);
                }
                self.goto(*next, 0, out);
            }
            // Any other LOGRECORDINGPRO first overwrites RecordingStatementId (R13), then acts
            // on call recording.
            Op::Record { start, statement: false, next } => {
                self.clear_statement_var(ix, out);
                if *start {
                    self.studio_start(ix, false, out);
                } else {
                    self.studio_stop(ix, out);
                }
                self.goto(*next, 0, out);
            }
            // RECORDAGENTONLY is handled like a LOGRECORDINGPRO Start in agent-only mode (R5),
            // including the R13 overwrite of RecordingStatementId.
            Op::RecordAgentOnly { next } => {
                self.clear_statement_var(ix, out);
                self.studio_start(ix, true, out);
                self.goto(*next, 0, out);
            }
            // DONOTRECORD: R1, in studio.rs with the other recording actions.
            Op::DoNotRecord { next } => {
                self.dnr(ix, out);
                self.goto(*next, 0, out);
            }
        }
    }

    /// The Studio action type of `ix`, for the timeline.
    /// An action whose result we cannot compute (HOURS, RESTAPI, an IF on an unknown value,
    /// …): traffic weights choose the branch, and the contact is counted as `unmodelled` so
    /// the report says its outcome rests on an assumption.
    fn branched(&mut self, ix: ActionIx, b: &crate::sim::compile::BranchedOp, out: &mut Outcome) {
        // A test case's branch (and CAPTURE digits) for this visit, else traffic weights.
        let forced = self.src.branch(ix);
        let scripted = forced.is_some();
        let k = match forced {
            Some((k, write)) => {
                if let Some((var, digits)) = write {
                    self.c.vars.set(var, digits);
                }
                (k as usize).min(b.choices.len().saturating_sub(1))
            }
            None => match &b.cumulative {
                Some(cum) => self.src.weighted(&mut self.c.draws, b.choice, cum),
                None => self.src.index(&mut self.c.draws, b.choice, b.choices.len()),
            },
        };
        let (name, next) = &b.choices[k];
        self.obs.decided(Decision::Branch(ix, name));
        // One entry per contact and action: a loop through HOURS counts the contact once.
        if !out.unmodelled.contains(&b.slot) {
            out.unmodelled.push(b.slot);
        }
        tr!(
            self,
            "action",
            Some(ix),
            None,
            "{}: branch chosen by {} → {name} (unmodelled)",
            b.kind,
            if scripted { "the test case" } else { "traffic weights" }
        );
        self.goto(*next, 0, out)
    }

    pub(super) fn op_name(&self, ix: ActionIx) -> &'static str {
        self.p.kinds[ix.index()]
    }

    /// Render `value` and store it in `var` (ASSIGN, RUNSUB parameters, RETURN). The one place a
    /// template is rendered into the reused scratch buffer: `render_into` appends, so the buffer
    /// is cleared here first — a value must never carry an earlier one (the old ASSIGN leak).
    /// Overwriting `RecordingStatementId` lets the statement's id go (R13): it is judged saved
    /// or lost against the `Global:` variables *before* the new value lands.
    pub(super) fn assign(&mut self, var: VarId, value: &Template, out: &mut Outcome) {
        self.c.scratch.clear();
        value.render_into(&mut self.c.vars, &mut self.c.scratch);
        if var == self.p.statement_var {
            self.release_statement_id(out);
        }
        self.c.vars.set(var, &self.c.scratch);
    }
}
