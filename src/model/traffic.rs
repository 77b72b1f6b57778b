//! Traffic: who calls, what they press, how long things take, what agents do (FORMATS §4).

use super::Direction;

#[derive(Clone, Debug, PartialEq)]
pub struct Traffic {
    pub calls: u64,
    pub seed: u64,
    pub direction: Weighted<Direction>,
    /// Empty = no ANI.
    pub ani: Weighted<String>,
    /// Empty = no DNIS.
    pub dnis: Weighted<String>,
    /// Per MENU action id (string): weights of digit strings; `None` = no input.
    /// MENUs not listed pick uniformly among their wired digit branches.
    pub inputs: Vec<(String, Weighted<Option<String>>)>,
    pub durations: Durations,
    pub agent: AgentBehaviour,
}

/// Weighted choices in file order (weights > 0 after validation; they need not sum to 1).
#[derive(Clone, Debug, PartialEq)]
pub struct Weighted<T> {
    pub items: Vec<(T, f64)>,
}

impl<T> Default for Weighted<T> {
    fn default() -> Self {
        Weighted { items: Vec::new() }
    }
}

/// A duration distribution, in seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dist {
    Fixed(f64),
    /// Exponential with this mean.
    Exp(f64),
    /// Uniform on [a, b].
    Uniform(f64, f64),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Durations {
    /// Every MENU takes this long, whatever the input.
    pub menu: Dist,
    /// PLAY (A-1: 3 s).
    pub play: Dist,
    pub queue_wait: Dist,
    /// The caller abandons while queued after this long.
    pub patience: Dist,
    /// Agent-connected time.
    pub talk: Dist,
}

/// Per-contact probabilities; each event at a uniform time inside the talk.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentBehaviour {
    pub rod: f64,
    pub supervisor_rod: f64,
    pub transfer_agent: f64,
    pub transfer_external: f64,
    pub conference: f64,
    pub disposition: f64,
    pub presses: Vec<PressSequence>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PressSequence {
    pub p: f64,
    /// Button names, pressed in this order at sorted uniform times within the talk.
    pub buttons: Vec<String>,
}

impl Default for Traffic {
    /// 1000 calls, seed 1, all inbound, no ANI/DNIS, no inputs, menu 6 s, play 3 s,
    /// queue_wait exp 30 s, patience exp 300 s, talk exp 240 s, no agent events.
    fn default() -> Self {
        Traffic {
            calls: 1000,
            seed: 1,
            direction: Weighted { items: vec![(Direction::Inbound, 1.0)] },
            ani: Weighted::default(),
            dnis: Weighted::default(),
            inputs: Vec::new(),
            durations: Durations::default(),
            agent: AgentBehaviour::default(),
        }
    }
}

impl Default for Durations {
    fn default() -> Self {
        Durations {
            menu: Dist::Fixed(6.0),
            play: Dist::Fixed(3.0),
            queue_wait: Dist::Exp(30.0),
            patience: Dist::Exp(300.0),
            talk: Dist::Exp(240.0),
        }
    }
}

impl Default for AgentBehaviour {
    fn default() -> Self {
        AgentBehaviour {
            rod: 0.0,
            supervisor_rod: 0.0,
            transfer_agent: 0.0,
            transfer_external: 0.0,
            conference: 0.0,
            disposition: 0.0,
            presses: Vec::new(),
        }
    }
}
