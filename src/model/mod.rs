//! Stage — **model**: the world a script runs in. Tenant file (recording policies, agents;
//! FORMATS §3) and traffic file (callers, durations, agent behaviour; FORMATS §4) → [`Tenant`],
//! [`Traffic`]. Both have embedded defaults (`Default` impls) so `recflow simulate SCRIPT` needs
//! no flags; a file overrides the defaults key by key.
//!
//! These are plain data; `tenant.rs` / `traffic.rs` parse and validate files into them (errors with
//! file:line:column, exit 2), over `node.rs` (the shared spanned YAML tree) and `check.rs`
//! (validation helpers that collect every error of a file). `defaults/` holds the embedded
//! default tenant and traffic.

pub(crate) mod check;
pub(crate) mod node;
pub mod tenant;
pub mod traffic;

pub use tenant::{Agent, DnrPolicy, Match, Policy, Tenant, default_tenant_yaml, load_tenant, parse_tenant};
pub use traffic::{
    AgentBehaviour, Dist, Durations, PressSequence, Traffic, Weighted, default_traffic_yaml, load_traffic,
    load_traffic_with_warnings, parse_traffic, parse_traffic_with_warnings,
};

/// Call direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    Inbound,
    Outbound,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }
}
