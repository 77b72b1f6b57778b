//! The state of a contact in progress, encoded for exact analysis (`sim::exact`): two points of
//! a run whose encodings are equal have the same future — the same draws ahead with the same
//! probabilities, the same tally at the end — so a run that comes back to a state it has been
//! in is a loop, and its return probability goes into a linear equation instead of more runs.
//!
//! What is in: everything of [`Ctx`](super::state::Ctx) and of the [`Outcome`] so far that a
//! later action, event, the end of the contact or the report's tally reads, with every time as
//! its distance from the clock `t` (a loop moves the clock on each turn; nothing in the engine
//! reads the absolute clock except a Snippet's `now()`, and exact analysis merges nothing in a
//! script that calls it) — or, for a past time only ever compared by order with other past
//! times and the clock (the consent answer's, closed recordings' and statements' ends), as its
//! rank among them; the pending random time of threshold splitting as its law and cell
//! relative to the clock (`sim::thresholds`). What is out: the clock itself, and the action counter `steps` — the
//! step limit is the one thing that would tell the turns of a loop apart, and exact analysis
//! computes the model without it (SEMANTICS A-28). The Studio arming step numbers are kept by
//! their order only: they are only ever compared with each other.
//! The open recording's length is out too, and so is the open recorded statement's: they are
//! rewards, added up per turn of a loop by `sim::exact` (`encode_state` returns them for that).
//! Nothing but the tally's recorded seconds reads either length, except the drop of a
//! zero-length interval at its end, which only asks whether it started in this very
//! millisecond (kept in the state). So is the coverage no path
//! from here can change any more (`sim::live`: actions and branches no longer reachable), which
//! follows the state's parts as a list the comparison leaves out.
//!
//! Only an engine whose source merges states ([`Source::MERGES`]) calls this: `simulate`'s
//! per-contact loop never does (the check is a constant).

use super::events::{EvKind, SYM_AT, Sym};
use super::talk::GROUP_AT;
use super::{Engine, Observer};
use crate::sim::outcome::{Initiator, Outcome};
use crate::sim::rng::{OpenRec, Source};
use crate::sim::thresholds::Law;

/// The labels of the parts of an encoding, in order: the first is where the script thread is
/// (two states at the same place that differ are told apart by the first other part that
/// differs, which names why a loop was not merged).
pub const PARTS: [&str; 11] = [
    "where the script is",
    "the call's state (phase, agent, flags, policy samples)",
    "the times of pending events relative to the clock",
    "the open recording (not its length)",
    "the times since the answer and the release",
    "the consent answer's times",
    "the open statement",
    "the script's variables",
    "the Snippet and template work (the per-contact work budget)",
    "the number of random durations drawn",
    "the contact's recordings, statements and findings so far",
];

impl<'p, O: Observer, S: Source<'p>> Engine<'p, O, S> {
    /// The state now, into `buf` (cleared first); `parts` gets the end offset of each of
    /// [`PARTS`], and what follows the last is the settled coverage (below), not part of the
    /// state. Returns the open recording and statement, whose lengths are left out of `buf`
    /// (below).
    pub(super) fn encode_state(
        &self,
        out: &Outcome,
        buf: &mut Vec<u8>,
        parts: &mut Vec<(&'static str, usize)>,
    ) -> OpenRec {
        buf.clear();
        parts.clear();
        let super::state::Ctx {
            t,
            phase,
            pc,
            ready,
            steps: _,
            direction,
            ani,
            dnis,
            skill,
            seg,
            rec,
            start_seq,
            rao_seq,
            ivr_pending,
            rod_on,
            policies_off,
            dnr,
            agent,
            deciding,
            first_answer,
            answered,
            external,
            call_end,
            stmt_open,
            stmt_in_var,
            stmt_n,
            handlers,
            consent,
            refusal_stop,
            buttons_on,
            draws,
            vars,
            samples,
            events,
            sym,
            talk,
            times,
            scratch,
            id_buf,
            invalid,
        } = &self.c;
        let now = *t;
        let w = |buf: &mut Vec<u8>, x: u64| buf.extend_from_slice(&x.to_le_bytes());
        let ago = |x: u64| now.wrapping_sub(x);
        // Past times that are only ever compared with each other and with the clock (by order
        // or equality: the consent answer's, the refusal's stop, closed recordings' and
        // statements' ends — `consent.rs`) are encoded by their rank among every past time of
        // the contact, the clock included; so are the starts of the open recording and the open
        // statement, whose distance from the clock (their lengths) is a reward (below). Times
        // whose distance matters (the answer and release R12 measures, pending events) keep
        // their distance from the clock. A hold loop's turns after a consent question then
        // repeat a state.
        let mut anchors: Vec<u64> = vec![now];
        if let Some((_, asked, at, _)) = consent {
            anchors.extend([*asked, *at]);
        }
        anchors.extend(refusal_stop.iter().chain(first_answer).chain(call_end).copied());
        anchors.extend(rec.map(|r| r.from));
        anchors.extend(out.recordings.iter().flat_map(|r| [r.from_ms, r.to_ms]));
        anchors.extend(out.statements.iter().flat_map(|s| [s.from_ms, s.to_ms]));
        anchors.sort_unstable();
        anchors.dedup();
        let rank = |x: u64| anchors.binary_search(&x).map_or(u64::MAX, |i| i as u64);
        let opt = |x: Option<usize>| x.map_or(u64::MAX, |x| x as u64);
        let end = |buf: &Vec<u8>, parts: &mut Vec<(&'static str, usize)>| {
            let i = parts.len();
            parts.push((PARTS[i], buf.len()));
        };
        // Where the script is.
        w(buf, opt(pc.map(|a| a.index())));
        buf.push(phase.map_or(255, |p| p as u8));
        buf.push(*handlers);
        end(buf, parts);
        // The call's state.
        w(buf, opt(*seg));
        buf.push(direction.map_or(255, |d| d as u8));
        for x in [
            ani.map(|n| n.index()),
            dnis.map(|n| n.index()),
            skill.map(|s| s.index()),
            agent.map(|a| a.index()),
            deciding.map(|d| d.index()),
        ] {
            w(buf, opt(x));
        }
        buf.extend_from_slice(&[
            u8::from(*rod_on),
            u8::from(*policies_off),
            u8::from(*dnr),
            u8::from(*answered),
            u8::from(*external),
        ]);
        // only the order of the arming steps matters.
        let seqs = [*start_seq, *rao_seq, ivr_pending.map(|(s, _)| s)];
        for (i, a) in seqs.iter().enumerate() {
            for b in &seqs[i + 1..] {
                buf.push(match (a, b) {
                    (Some(a), Some(b)) => a.cmp(b) as i8 as u8,
                    (Some(_), None) => 10,
                    (None, Some(_)) => 11,
                    (None, None) => 12,
                });
            }
        }
        w(buf, opt(ivr_pending.map(|(_, a)| a.index())));
        buf.extend_from_slice(samples);
        w(buf, buttons_on.len() as u64);
        for (b, a) in buttons_on {
            w(buf, b.index() as u64);
            w(buf, a.index() as u64);
        }
        end(buf, parts);
        // Pending events and the thread's next action, relative to the clock; their list's
        // order carries no meaning (`events.rs`), so sorted.
        // (`SYM_AT`: the thread waits for an action of random duration, the pending random
        // time below.)
        w(buf, if *ready == SYM_AT { u64::MAX } else { ready.wrapping_sub(now) });
        let mut evs: Vec<[u64; 5]> = events
            .iter()
            .map(|e| {
                let (k, a, b) = match e.kind {
                    EvKind::Answer => (0, 0, 0),
                    EvKind::Abandon => (1, 0, 0),
                    EvKind::TransferAgent => (2, 0, 0),
                    EvKind::TransferExternal => (3, 0, 0),
                    EvKind::Conference => (4, 0, 0),
                    EvKind::Disposition => (5, 0, 0),
                    EvKind::Rod { supervisor } => (6, u64::from(supervisor), 0),
                    EvKind::Press { seq, pos } => (7, u64::from(seq), u64::from(pos)),
                    EvKind::ScriptedPress { pos } => (8, u64::from(pos), 0),
                    EvKind::Release => (9, 0, 0),
                    EvKind::IvrHangUp => (10, 0, 0),
                };
                let at = if e.at == SYM_AT {
                    u64::MAX
                } else if e.at >= GROUP_AT {
                    // A talk time still symbolic: its slot (`talk.rs`), slots in time order.
                    u64::MAX - 1 - (e.at - GROUP_AT)
                } else {
                    e.at.wrapping_sub(now)
                };
                [at, u64::from(e.class), e.sub, k, a * (1 << 32) + b]
            })
            .collect();
        evs.sort_unstable();
        w(buf, evs.len() as u64);
        evs.iter().flatten().for_each(|&x| w(buf, x));
        // The pending random time (`sim::thresholds`): its law and cell relative to the clock.
        // An exponential's cell [lo, ∞) at lo = now is the same law on every turn of a hold
        // loop (memoryless), so the turns merge; a bounded cell shrinks, so they do not (and end).
        let pending = |s: &Sym| {
            if s.thread { pc.is_some() && *ready == SYM_AT } else { events.iter().any(|e| e.at == SYM_AT) }
        };
        match sym.filter(pending) {
            Some(s) => {
                let shift = now.saturating_sub(s.base) as f64;
                let (tag, x, y) = match s.cell.law {
                    Law::Exp { mean } => (1, mean, 0.0),
                    Law::Uniform { a, b } => (2, a - shift, b - shift),
                    Law::Lin { a, b, .. } => (3, a - shift, b - shift),
                };
                w(buf, tag);
                for v in [x, y, s.cell.lo - shift, s.cell.hi - shift] {
                    w(buf, v.to_bits());
                }
                // A race's piece: its linear factor's end values and its exponential's mean.
                if let Law::Lin { fa, fb, mean, .. } = s.cell.law {
                    for v in [fa, fb, mean] {
                        w(buf, v.to_bits());
                    }
                }
                w(buf, u64::from(s.purpose.counter) | (u64::from(s.thread) << 63));
                // A thread's random time is split where it resumes at the points learned for it
                // (`events.rs`, `resolve_thread`): those inside its cell, relative to the clock.
                if s.thread {
                    let (lo, hi) = s.cell.support();
                    let inside = |x: &&u64| {
                        let rel = x.wrapping_sub(s.base) as f64;
                        **x > s.base && rel > lo && rel < hi
                    };
                    let points = self.src.split_points(s.purpose);
                    w(buf, points.iter().filter(inside).count() as u64);
                    points.iter().filter(inside).for_each(|&x| w(buf, x.wrapping_sub(now)));
                }
            }
            None => w(buf, 0),
        }
        // The talk's symbolic times (`talk.rs`): slots and random clock values, relative to the clock.
        talk.encode(now, buf);
        // Points learned for the talk's items split its slots of fixed bounds (`talk.rs`,
        // `resolve_talk`): those inside one, relative to the clock (none learned: nothing
        // written, the same for every state of the exploration).
        let points = self.src.split_points(self.p.fixed.talk);
        if !points.is_empty() {
            for s in talk.cells.iter().filter(|s| s.from.is_none()) {
                let inside = points.iter().filter(|&&x| x > s.lo && x < s.hi);
                w(buf, inside.clone().count() as u64);
                inside.for_each(|&x| w(buf, x.wrapping_sub(now)));
            }
        }
        w(buf, times.len() as u64);
        times.iter().for_each(|&x| w(buf, x.wrapping_sub(now)));
        end(buf, parts);
        // The open recording, without its length: how long it has run is read only by the
        // tally's recorded-time totals when it closes (a reward, added up by `sim::exact` per
        // turn of a loop). Every other reader compares its start with a time, by order or
        // equality (the consent answer's "before", a refusal's stop, the drop of a zero-length
        // interval): its rank among the past times keeps those, and whether it is the clock
        // (the rank does not say: the clock's own rank is not in) keeps the last.
        match rec {
            Some(r) => {
                let who = match r.initiator {
                    Initiator::Studio => u64::MAX,
                    Initiator::Rod => u64::MAX - 1,
                    Initiator::Policy(p) => p.index() as u64,
                };
                for x in [1, r.mode as u64, who, rank(r.from), u64::from(r.from == now)] {
                    w(buf, x);
                }
            }
            None => w(buf, 0),
        }
        end(buf, parts);
        // Answer and release (R12 measures between them).
        // (With their ranks: the order of every past time is then in the encoding.)
        for x in [first_answer, call_end] {
            w(buf, x.map_or(u64::MAX, ago));
            w(buf, x.map_or(u64::MAX, rank));
            buf.push(u8::from(x.is_some()));
        }
        end(buf, parts);
        // The consent answer, and the refusal's stop.
        match consent {
            Some((a, asked, at, menu)) => {
                for x in [*a as u64, rank(*asked), rank(*at), menu.index() as u64] {
                    w(buf, x);
                }
            }
            None => w(buf, u64::MAX),
        }
        w(buf, refusal_stop.map_or(u64::MAX, rank));
        buf.push(u8::from(refusal_stop.is_some()));
        end(buf, parts);
        // Statements.
        for x in [opt(*stmt_open), opt(*stmt_in_var), u64::from(*stmt_n)] {
            w(buf, x);
        }
        end(buf, parts);
        // Variables, and the text buffers an action may read back.
        vars.encode_state(buf);
        for s in [scratch, id_buf, invalid] {
            w(buf, s.len() as u64);
            buf.extend_from_slice(s.as_bytes());
        }
        end(buf, parts);
        w(buf, vars.work());
        end(buf, parts);
        draws.encode_state(buf);
        end(buf, parts);
        // Coverage that can still change from here (`sim::live`); the rest is settled: after
        // the last part, the settled counters (u32 each, ascending) — the path's history, not
        // compared (`sim::exact` adds the difference where two paths merge).
        let live = self.p.live();
        let key = &self.p.coverage.action_key;
        let actions = self.p.coverage.actions.len();
        let at = *pc;
        let action_live = |a: crate::script::ActionIx| live.can_set(at, key[a.index()] as usize);
        let branch_live = |b: crate::sim::compile::BranchIx| live.can_set(at, actions + b.index());
        out.encode_state(now, rank, *stmt_open, (action_live, branch_live), buf);
        end(buf, parts);
        let mut settled: Vec<u32> = out
            .path
            .iter()
            .filter(|&&a| !action_live(a))
            .map(|a| key[a.index()])
            .chain(out.branches.iter().filter(|&&b| !branch_live(b)).map(|b| (actions + b.index()) as u32))
            .collect();
        settled.sort_unstable();
        settled.dedup();
        settled.iter().for_each(|x| buf.extend_from_slice(&x.to_le_bytes()));
        // The recorded-time total the open recording's length will go to: an interval never
        // spans two segments (R10), so the current segment's kind and the mode decide, as in the
        // tally; outside a segment it will be dropped (no reward). The open statement's goes to
        // the statements' total.
        let recording = rec.as_ref().zip(*seg).map(|(r, s)| {
            let total = match (out.segments[s].kind, r.mode) {
                (crate::sim::outcome::SegmentKind::Ivr, _) => 2,
                (_, crate::sim::outcome::Mode::Full) => 0,
                (_, crate::sim::outcome::Mode::AgentOnly) => 1,
            };
            (total, r.from)
        });
        let statement = stmt_open.map(|i| (3, out.statements[i].from_ms));
        OpenRec { open: [recording, statement], now }
    }
}
