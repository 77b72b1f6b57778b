//! Edits → text splices on a CXone Studio JSON script.

use super::{Edit, Splice, Unsupported};
use crate::script::Script;

pub(super) fn splices(_script: &Script, _edits: &[Edit]) -> Result<Vec<Splice>, Unsupported> {
    Err(Unsupported("Studio JSON".into()))
}
