//! `recflow graph`: the flow as Graphviz DOT or Mermaid. (Filled by the graph work.)

use crate::flow::Flow;
use crate::script::Script;

pub fn to_dot(_script: &Script, _flow: &Flow) -> String {
    todo!("dot")
}
