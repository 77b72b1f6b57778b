//! Stage — **render**: scripts, flows and results → text (DOT, Mermaid, converted scripts,
//! reports). Pure functions returning `String`s; the CLI decides where they go.

pub mod graph;
pub mod heat;
pub mod html;
pub mod simulation;
