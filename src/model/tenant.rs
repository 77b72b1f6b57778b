//! Tenant: recording policies, Do Not Record policies, agents (FORMATS §3).

use super::Direction;

#[derive(Clone, Debug, PartialEq)]
pub struct Tenant {
    pub agents: Vec<Agent>,
    /// In file order (ties in priority are broken by file order, A-10).
    pub recording_policies: Vec<Policy>,
    pub do_not_record_policies: Vec<DnrPolicy>,
    /// Policy recordings of calls whose agent-connected time is shorter are discarded (R12).
    pub short_call_seconds: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Agent {
    pub id: String,
    pub team: String,
    /// `None` = every skill.
    pub skills: Option<Vec<String>>,
    pub can_be_recorded: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub name: String,
    /// Lower first; `None` after all numbered ones, in file order.
    pub priority: Option<i64>,
    /// 0..=100.
    pub percent: f64,
    pub matches: Match,
    pub continue_after_external_transfer: bool,
    pub continue_after_disposition: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DnrPolicy {
    pub name: String,
    pub matches: Match,
}

/// Policy filters; an empty list matches anything. Text comparisons are case-insensitive.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Match {
    pub direction: Vec<Direction>,
    pub skills: Vec<String>,
    pub agents: Vec<String>,
    pub teams: Vec<String>,
    /// Matches the ANI or the DNIS.
    pub numbers: Vec<String>,
}

impl Default for Tenant {
    /// 20 agents `agent-1`.. on team `default` with every skill, all recordable; one policy
    /// recording 100% of voice calls; no DNR policies; short calls under 4 s.
    fn default() -> Self {
        Tenant {
            agents: (1..=20)
                .map(|i| Agent {
                    id: format!("agent-{i}"),
                    team: "default".into(),
                    skills: None,
                    can_be_recorded: true,
                })
                .collect(),
            recording_policies: vec![Policy {
                name: "Default".into(),
                priority: None,
                percent: 100.0,
                matches: Match::default(),
                continue_after_external_transfer: false,
                continue_after_disposition: false,
            }],
            do_not_record_policies: Vec::new(),
            short_call_seconds: 4.0,
        }
    }
}
