//! The contact's system variables (issue 11 point 2; docs/variables.md): `ANI`, `DNIS`,
//! `CONTACTID`, `MASTERID`, `SKILL`, `SKILLNAME`, `AGENTID`, visible to CASE, ASSIGN, IF, MENU
//! and every `{var}` template and SNIPPET like any variable.
//!
//! Input: the compiled symbols (which of these names the script reads). Output: per contact,
//! their values written into the contact's [`Vars`] at the moment CXone would have them:
//! `ANI` / `DNIS` / `CONTACTID` / `MASTERID` when the contact arrives, `SKILL` / `SKILLNAME` at
//! REQAGENT, `AGENTID` when an agent answers (and again after a transfer to another agent).
//!
//! Only names the script mentions get a slot (resolved once at compile), so a script that
//! reads none of them pays nothing, and explain lists no variable the script does not use.
//! Values are written into the slots' reused buffers: no allocation per contact.

use std::fmt::Write as _;

use super::vars::{Symbols, VarId, Vars};

/// The modelled system variables, in the order docs/variables.md lists them.
pub const MODELLED: &[&str] = &["ANI", "DNIS", "CONTACTID", "MASTERID", "SKILL", "SKILLNAME", "AGENTID"];

/// Slots of the system variables the script reads (`None`: not mentioned anywhere).
#[derive(Clone, Copy, Debug, Default)]
pub struct SysVars {
    pub ani: Option<VarId>,
    pub dnis: Option<VarId>,
    pub contact_id: Option<VarId>,
    pub master_id: Option<VarId>,
    pub skill: Option<VarId>,
    pub skill_name: Option<VarId>,
    pub agent_id: Option<VarId>,
    /// Some variable set at arrival is read (`ANI`, `DNIS`, `CONTACTID`, `MASTERID`): decided
    /// once, so the common script that reads none skips [`SysVars::arrive`] with one test.
    pub at_arrival: bool,
}

impl SysVars {
    /// Look the names up once every action is compiled (system variables are contact-wide,
    /// so one slot serves the main script and every linked subscript copy).
    pub fn resolve(symbols: &Symbols) -> SysVars {
        let (ani, dnis) = (symbols.get("ANI"), symbols.get("DNIS"));
        let (contact_id, master_id) = (symbols.get("CONTACTID"), symbols.get("MASTERID"));
        SysVars {
            ani,
            dnis,
            contact_id,
            master_id,
            skill: symbols.get("SKILL"),
            skill_name: symbols.get("SKILLNAME"),
            agent_id: symbols.get("AGENTID"),
            at_arrival: ani.is_some() || dnis.is_some() || contact_id.is_some() || master_id.is_some(),
        }
    }

    /// At arrival: `ANI` / `DNIS` from the numbers traffic drew for this contact (empty when
    /// traffic has no `ani` / `dnis`), `CONTACTID` = `MASTERID` = the contact index in decimal
    /// (the `id` of `--calls-out` and `explain --call`). `buf` is scratch space.
    pub fn arrive(&self, vars: &mut Vars, buf: &mut String, contact: u64, ani: &str, dnis: &str) {
        set(vars, self.ani, ani);
        set(vars, self.dnis, dnis);
        if self.contact_id.is_some() || self.master_id.is_some() {
            buf.clear();
            let _ = write!(buf, "{contact}");
            set(vars, self.contact_id, buf);
            set(vars, self.master_id, buf);
        }
    }

    /// At REQAGENT: the skill the contact queues for (`SKILL` and `SKILLNAME` both hold its
    /// name: recflow's tenant has skill names, not CXone's skill numbers).
    #[inline]
    pub fn skill(&self, vars: &mut Vars, name: &str) {
        set(vars, self.skill, name);
        set(vars, self.skill_name, name);
    }

    /// When an agent answers (or takes a transfer): the tenant's agent id.
    #[inline]
    pub fn agent(&self, vars: &mut Vars, id: &str) {
        set(vars, self.agent_id, id);
    }
}

#[inline]
fn set(vars: &mut Vars, slot: Option<VarId>, value: &str) {
    if let Some(v) = slot {
        vars.set(v, value);
    }
}
