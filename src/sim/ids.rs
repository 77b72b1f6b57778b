//! Typed indices into the tables of a [`Compiled`](super::Compiled) program (issue 9.7 /
//! 10.3): one newtype per table, so an agent index can never be used as a skill index, each
//! `u32` wide — wider than any list a loader accepts (tenant and traffic files are capped at
//! 200 000 YAML nodes), so no index ever wraps. "None" is `Option<Id>`, never a magic value
//! (an agent past 65 535 used to collide with the old `u16::MAX` "unknown agent" marker).

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);

        impl $name {
            /// The id of the `i`-th entry of its table (tables are far below `u32::MAX`).
            #[inline]
            pub fn new(i: usize) -> Self {
                debug_assert!(i <= u32::MAX as usize);
                $name(i as u32)
            }
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

ids! {
    /// Index into [`Compiled::skills`](super::Compiled::skills).
    SkillId,
    /// Index into [`Compiled::agents`](super::Compiled::agents) (tenant order).
    AgentId,
    /// Index of a team name (policy filters, agent teams).
    TeamId,
    /// Index of a phone number (ANI / DNIS in traffic and policy filters).
    NumberId,
    /// Index into [`Compiled::policies`](super::Compiled::policies) (evaluation order, A-10).
    PolicyId,
    /// Index into [`Compiled::button_names`](super::Compiled::button_names).
    ButtonId,
}
