//! Compile a linked script (entry script + every script it reaches, [`crate::library::link`])
//! into one [`Compiled`] program: the contact runs across scripts with no file or name lookup.
//!
//! Each action's variables are interned in its copy's scope (RUNSUB copies have their own
//! locals; `Global:` and contact-wide system variables are shared), then the calling actions are
//! turned into their ops: RUNSUB → [`Op::Call`] (empty the callee's locals, set its parameters),
//! RETURN → [`Op::Return`] (`ReturnVariable` := `ReturnValue`), RUNSCRIPT → [`Op::RunScript`]
//! (switch the active event handlers). SPAWN stays a pass-through named `SPAWN (not followed)`
//! in explain. The branches already lead where control goes (linking rewired them).

use super::compile::{Compiled, Op};
use super::vars::Template;
use crate::library::link::{LinkOp, Linked};
use crate::model::{Tenant, Traffic};

impl Compiled {
    /// Compile a linked library. A trivial link (nothing called) compiles exactly like its script.
    pub fn compile_linked(linked: &Linked, tenant: &Tenant, traffic: &Traffic) -> Compiled {
        let script = &linked.script;
        let scopes: Vec<u32> = script.indices().map(|ix| linked.scope(ix)).collect();
        let mut p = Compiled::compile_scoped(script, &scopes, tenant, traffic);
        p.handler_sets = linked.handlers.iter().map(|h| [h.answer, h.release, h.signal]).collect();
        for (i, op) in linked.ops.iter().enumerate() {
            let Some(op) = op else { continue };
            let next = p.coverage.next(&script.actions[i], "default");
            let scope = scopes[i];
            let new = match op {
                LinkOp::Call { scope: callee, params } => {
                    let mut vars = Vec::with_capacity(params.len());
                    for (name, value) in params {
                        p.symbols.set_scope(*callee);
                        let var = p.symbols.intern(name);
                        p.symbols.set_scope(scope);
                        vars.push((var, Template::compile(value, &mut p.symbols)));
                    }
                    Op::Call { clear: p.symbols.scope_ids(*callee), scope: *callee, params: vars, next }
                }
                LinkOp::Return { value, var, caller_scope } => {
                    let value = (!var.trim().is_empty()).then(|| {
                        p.symbols.set_scope(scope);
                        let t = Template::compile(value, &mut p.symbols);
                        p.symbols.set_scope(*caller_scope);
                        (p.symbols.intern(var), t)
                    });
                    Op::Return { value, next }
                }
                LinkOp::RunScript { handlers } => Op::RunScript { handlers: *handlers as u8, next },
                LinkOp::Spawn { .. } => {
                    p.kinds[i] = "SPAWN (not followed)";
                    continue;
                }
                LinkOp::TooDeep => {
                    p.kinds[i] = "RUNSUB (beyond the depth limit: the thread ends)";
                    continue;
                }
            };
            p.ops[i] = new;
            p.kinds[i] = match p.ops[i] {
                Op::Call { .. } => "RUNSUB",
                Op::Return { .. } => "RETURN",
                _ => "RUNSCRIPT",
            };
        }
        p.symbols.set_scope(0);
        p
    }
}
