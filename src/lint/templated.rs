//! Lint's view of `{var}` templates in recording properties (issue 11 point 4): a value known
//! only at run time may be any of the property's values, so the analysis explores each of them
//! (a templated LOGRECORDINGPRO `Record` may start or stop; a templated INDICATE `State` may turn
//! the button on or off).
//!
//! Input: one action. Output: the kinds it may run as, or `None` when nothing is templated.

use crate::script::runtime::templated;
use crate::script::{Action, Kind, OnOff, Record};

/// Every kind `a` may run as when its recording properties hold templates; `None` otherwise.
pub fn alternatives(a: &Action) -> Option<Vec<Kind>> {
    match &a.kind {
        Kind::LogRecordingPro(l) => {
            let records: &[Record] = match templated(a, "Record") {
                Some(_) => &[Record::Start, Record::Stop],
                None => std::slice::from_ref(&l.record),
            };
            let flags: &[bool] = match templated(a, "UseRecordingStatementId") {
                Some(_) => &[false, true],
                None => std::slice::from_ref(&l.use_statement_id),
            };
            if records.len() * flags.len() == 1 {
                return None;
            }
            let mut out = Vec::new();
            for &record in records {
                for &use_statement_id in flags {
                    let mut v = l.clone();
                    v.record = record;
                    v.use_statement_id = use_statement_id;
                    out.push(Kind::LogRecordingPro(v));
                }
            }
            Some(out)
        }
        Kind::Indicate(i) if templated(a, "State").is_some() => Some(
            [OnOff::On, OnOff::Off]
                .into_iter()
                .map(|state| {
                    let mut v = i.clone();
                    v.state = state;
                    Kind::Indicate(v)
                })
                .collect(),
        ),
        _ => None,
    }
}
