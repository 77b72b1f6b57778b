//! Native YAML (FORMATS §1) → `RawScript`, with serde-saphyr spans. (Filled by the loader work.)

use super::error::LoadErrors;
use super::model::Source;
use super::raw::RawScript;

pub(crate) fn parse(_source: &Source) -> Result<RawScript, LoadErrors> {
    todo!("yaml loader")
}
