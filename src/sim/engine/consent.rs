//! Judging a contact when it ends (issue 19; FORMATS Round 3 "Findings"): its recordings
//! against the answer it gave to the script's consent question(s) — `recorded_without_consent`,
//! `recorded_before_consent` — and its recorded statements against R13 (`statement_lost`).
//!
//! The answer is kept as the MENU runs (`dispatch.rs`: accepted / declined / no input /
//! unlisted digit, and when it was given); the judgement runs once, after R12 has discarded
//! what a short call discards, so only recordings that were kept count. It walks the contact's
//! recordings (a handful) and allocates nothing.
//!
//! What counts as recorded without consent, for a contact whose last consent answer did not
//! accept (or that never answered one, "not asked", in a script that has one): every kept
//! **full** recording (the caller's side: policy, Studio or ROD; IVR, agent or external
//! segment) that runs after the answer or while its question is asked (one over before the
//! question is not judged by it, A-24), wherever it started — except one that the
//! refusal stopped (the first LOGRECORDINGPRO Stop / DONOTRECORD after the answer ended it:
//! what it recorded before is `recorded_before_dnr`, A-17). An agent-only recording does not
//! record the caller (RECORDAGENTONLY is C001's accepted remedy). `recorded_before_consent`:
//! such a recording had started before the answer.

use super::{Engine, Observer, TraceStep};
use crate::sim::outcome::{BY_POLICY, BY_ROD, BY_STUDIO, ConsentAnswer, Finding, Initiator, Mode, Outcome};
use crate::sim::rng::Source;

impl<'p, O: Observer, S: Source<'p>> Engine<'p, O, S> {
    /// A Stop or DONOTRECORD runs: if consent was refused, recordings ending now were stopped
    /// because of the refusal (not judged as recorded before consent).
    pub(super) fn note_refusal_stop(&mut self) {
        if self.c.refusal_stop.is_none()
            && matches!(self.c.consent, Some((a, _, _, _)) if a != ConsentAnswer::Accepted)
        {
            self.c.refusal_stop = Some(self.c.t);
        }
    }

    /// The end-of-contact judgement (called by `finish` after R12).
    pub(super) fn judge(&mut self, out: &mut Outcome) {
        // R13: a statement whose id no Global: variable held is lost — a finding, not only a
        // count. Zero-length statements were dropped before (§4).
        if let Some(s) = out.statements.iter().find(|s| !s.saved) {
            let at = s.at;
            out.add_at(Finding::StatementLost, at);
            tr!(
                self,
                "finding",
                at,
                Some("R13"),
                "statement_lost: a recorded statement's id was not saved in a Global: variable"
            );
        }
        if self.p.consent_questions.is_empty() {
            return;
        }
        let (answer, asked, at, menu) = match self.c.consent {
            Some((a, asked, t, m)) => (a, asked, t, Some(m)),
            None => (ConsentAnswer::NotAsked, 0, 0, None),
        };
        out.consent = Some(answer);
        if answer == ConsentAnswer::Accepted {
            return;
        }
        let (mut by, mut before) = (0u8, false);
        // The recording the refusal stopped, followed back across transfers: a recording that
        // continues on the next segment is reported as one interval per segment (R10), yet it is
        // one recording, and the refusal stopped all of it. Walking the (time-ordered) intervals
        // backwards, `stopped_from` is where the part of it met so far starts.
        let mut stopped_from: Option<(u64, Initiator)> = None;
        for r in out.recordings.iter().rev() {
            let continued = stopped_from.is_some_and(|(from, who)| r.to_ms == from && r.initiator == who);
            if self.c.refusal_stop == Some(r.to_ms) || continued {
                stopped_from = Some((r.from_ms, r.initiator));
                // What the script should do: the refusal (Stop / DONOTRECORD) stopped it.
                continue;
            }
            // Agent-only records no caller.
            if r.mode != Mode::Full {
                continue;
            }
            // Over before the question was asked (stopped by a DONOTRECORD or a Stop, or the IVR
            // segment ended at REQAGENT): it recorded neither the question nor anything after
            // the answer, so the answer does not judge it (A-24; one DONOTRECORD stopped is
            // `recorded_before_dnr`).
            if r.to_ms <= asked {
                continue;
            }
            // Started before the answer: kept although consent was then refused.
            let early = r.from_ms < at;
            if !early && r.to_ms <= at {
                continue;
            }
            by |= match r.initiator {
                Initiator::Studio => BY_STUDIO,
                Initiator::Rod => BY_ROD,
                Initiator::Policy(_) => BY_POLICY,
            };
            before |= early;
        }
        if by == 0 {
            return;
        }
        out.without_consent_by = by;
        out.add_at(Finding::RecordedWithoutConsent, menu);
        tr!(
            self,
            "finding",
            menu,
            None,
            "recorded_without_consent: consent answer {} ({}), yet the caller is recorded by {}",
            answer.as_str(),
            answer.words(),
            by_names(by)
        );
        if before {
            out.add_at(Finding::RecordedBeforeConsent, menu);
            tr!(
                self,
                "finding",
                menu,
                None,
                "recorded_before_consent: a recording started before the consent answer and went on after it was refused"
            );
        }
    }
}

/// `policy`, `studio and rod`, ... for the timeline.
fn by_names(by: u8) -> String {
    let names: Vec<&str> = [(BY_STUDIO, "studio"), (BY_ROD, "rod"), (BY_POLICY, "policy")]
        .into_iter()
        .filter(|(b, _)| by & b != 0)
        .map(|(_, n)| n)
        .collect();
    names.join(" and ")
}
