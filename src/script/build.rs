//! `RawScript` → checked `Script`. Every semantic load error lives here so that YAML and
//! Studio JSON get identical checks and messages. (Filled by the loader work.)

use super::error::LoadErrors;
use super::model::Script;
use super::raw::RawScript;

pub(crate) fn build(_raw: RawScript) -> Result<Script, LoadErrors> {
    todo!("build: RawScript -> Script with all semantic checks")
}
