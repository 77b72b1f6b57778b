//! Stage 2 — **flow**: [`Script`] → [`Flow`], the script as a petgraph graph.
//!
//! Nodes are actions ([`ActionIx`]); edges are wired branches, labelled with the branch name.
//! Entry points are BEGIN and the event actions (ONANSWER, ONRELEASE, ONSIGNAL), which the
//! platform enters from wherever the thread is when their event fires.

use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;

use crate::script::{ActionIx, Event, Script};

/// Why a node is an entry point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Entry {
    Begin,
    Event(Event),
}

/// The flow graph of one script. Node weights are action indices; node `i` is action `i`.
#[derive(Clone, Debug)]
pub struct Flow {
    pub graph: StableDiGraph<ActionIx, String>,
    /// BEGIN first, then event actions in file order.
    pub entries: Vec<(Entry, ActionIx)>,
}

impl Flow {
    pub fn new(script: &Script) -> Flow {
        let mut graph = StableDiGraph::with_capacity(script.actions.len(), script.actions.len() * 2);
        for ix in script.indices() {
            let n = graph.add_node(ix);
            debug_assert_eq!(n.index(), ix.index());
        }
        for ix in script.indices() {
            for b in &script.action(ix).branches {
                if let Some(t) = b.target {
                    graph.add_edge(node(ix), node(t), b.name.clone());
                }
            }
        }
        let mut entries = vec![(Entry::Begin, script.begin())];
        for ix in script.indices() {
            if let Some(ev) = script.action(ix).kind.event() {
                entries.push((Entry::Event(ev), ix));
            }
        }
        Flow { graph, entries }
    }

    /// Successors with branch names, in the action's branch order.
    pub fn successors(&self, ix: ActionIx) -> impl Iterator<Item = (&str, ActionIx)> + '_ {
        // petgraph lists outgoing edges newest first; reverse to keep file order.
        let mut edges: Vec<_> = self.graph.edges(node(ix)).collect();
        edges.reverse();
        edges.into_iter().map(|e| (e.weight().as_str(), self.graph[e.target()]))
    }

    /// Actions reachable from any entry point, as a bitmap indexed by action.
    pub fn reachable(&self) -> Vec<bool> {
        let mut seen = vec![false; self.graph.node_count()];
        let mut stack: Vec<ActionIx> = self.entries.iter().map(|&(_, ix)| ix).collect();
        while let Some(ix) = stack.pop() {
            if std::mem::replace(&mut seen[ix.index()], true) {
                continue;
            }
            stack.extend(self.successors(ix).map(|(_, t)| t));
        }
        seen
    }
}

/// Graph node of an action (the graph is built so that the two indices coincide).
pub fn node(ix: ActionIx) -> NodeIndex {
    NodeIndex::new(ix.index())
}
