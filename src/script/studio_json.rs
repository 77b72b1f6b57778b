//! CXone Studio JSON (FORMATS §2) → `RawScript`. (Filled by the Studio JSON work.)

use super::error::LoadErrors;
use super::model::Source;
use super::raw::RawScript;

pub(crate) fn parse(_source: &Source) -> Result<RawScript, LoadErrors> {
    todo!("studio json loader")
}
