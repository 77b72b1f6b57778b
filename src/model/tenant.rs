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

// ---------------------------------------------------------------------------------------------
// Parsing and validation (FORMATS §3).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::check::{Canon, Ctx};
use super::node::{self, Node};
use crate::script::Script;
use crate::script::model::Kind;
use crate::source::{LoadError, LoadErrorKind, LoadErrors};
use crate::source::{Source, Span};

/// The embedded default tenant, as a tenant file (what `Tenant::default()` is).
const DEFAULT_TENANT_YAML: &str = include_str!("defaults/tenant.yaml");

/// The embedded default tenant as YAML text: a valid tenant file equal to [`Tenant::default`].
pub fn default_tenant_yaml() -> &'static str {
    DEFAULT_TENANT_YAML
}

pub(crate) const TOP_KEYS: &[&str] =
    &["agents", "recording_policies", "do_not_record_policies", "short_call_seconds"];
pub(crate) const AGENT_KEYS: &[&str] = &["id", "team", "skills", "can_be_recorded"];
pub(crate) const POLICY_KEYS: &[&str] = &[
    "name",
    "priority",
    "percent",
    "match",
    "continue_after_external_transfer",
    "continue_after_disposition",
];
const DNR_POLICY_KEYS: &[&str] = &["name", "match"];
pub(crate) const MATCH_KEYS: &[&str] = &["direction", "skills", "teams", "agents", "numbers"];

const HELP_TOP: &str = "a tenant file is a mapping with keys agents, recording_policies, do_not_record_policies, \
                        short_call_seconds (docs/tenant-and-traffic.md)";
const HELP_AGENT: &str =
    "an agent is a mapping, e.g. {id: alice, team: Sales-A, skills: [Sales], can_be_recorded: true}";
const HELP_POLICY: &str = "a recording policy is a mapping, e.g. {name: Sales QA, priority: 1, percent: 50, match: {skills: [Sales]}}";

/// Load a tenant file. `script`, when given, enables the cross-checks that need it (agents whose
/// skills no REQAGENT requests, ...), reported as warnings. `Ok` carries the warnings.
pub fn load_tenant(path: &Path, script: Option<&Script>) -> Result<(Tenant, Vec<LoadError>), LoadErrors> {
    let text = crate::script::read_text(path)?;
    parse_tenant(&path.display().to_string(), &text, script)
}

/// Parse and validate tenant text; `name` is the file name shown in diagnostics. Keys left out
/// keep the values of [`Tenant::default`]; every error of the file is reported at once.
pub fn parse_tenant(
    name: &str,
    text: &str,
    script: Option<&Script>,
) -> Result<(Tenant, Vec<LoadError>), LoadErrors> {
    let src = Source::new(name, text);
    let root = node::parse(&src)?;
    let mut cx = Ctx::new(&src);
    let mut tenant = Tenant::default();
    let mut spans = TenantSpans::default();
    if let Some(entries) = cx.map(&root, "a tenant file", HELP_TOP) {
        for (key, _, value) in cx.fields(entries, TOP_KEYS, "a tenant file") {
            match key {
                "agents" => {
                    if let Some(agents) = parse_agents(&mut cx, value, &mut spans) {
                        tenant.agents = agents;
                    }
                }
                "recording_policies" => {
                    if let Some(ps) = parse_policies(&mut cx, value, &mut spans) {
                        tenant.recording_policies = ps;
                    }
                }
                "do_not_record_policies" => {
                    if let Some(ps) = parse_dnr_policies(&mut cx, value, &mut spans) {
                        tenant.do_not_record_policies = ps;
                    }
                }
                "short_call_seconds" => {
                    if let Some(x) = cx.seconds(
                        value,
                        "`short_call_seconds`",
                        "seconds of agent-connected time below which policy recordings are discarded (R12), e.g. 4",
                    ) {
                        tenant.short_call_seconds = x;
                    }
                }
                _ => unreachable!("fields() only returns listed keys"),
            }
        }
    }
    check_duplicates(&mut cx, &spans);
    if cx.errors.is_empty() {
        cross_check(&mut cx, &tenant, &spans, script);
    }
    let warnings = cx.finish()?;
    Ok((tenant, warnings))
}

/// Where things were written, for cross-checks after parsing.
#[derive(Default)]
struct TenantSpans {
    /// (id, span of the id) per agent, in file order.
    agent_ids: Vec<(String, Span)>,
    /// Span of each agent's `skills` value (None when absent).
    agent_skills: Vec<Option<Span>>,
    /// (name, span, is_dnr) per policy, recording policies first.
    policy_names: Vec<(String, Span, bool)>,
    /// Filter values per policy name: (filter key, value, span).
    filters: Vec<(String, &'static str, String, Span)>,
}

fn parse_agents(cx: &mut Ctx, node: &Node, spans: &mut TenantSpans) -> Option<Vec<Agent>> {
    let items =
        cx.seq(node, "`agents`", "`agents` is a list of agents, e.g. - {id: alice, team: Sales-A}")?;
    let before = cx.errors.len();
    if items.is_empty() {
        let e = cx
            .err(LoadErrorKind::InvalidConfig, "`agents` is empty", node.span, "no agents")
            .with_help("list at least one agent, or leave `agents` out to use the 20 default agents");
        cx.push(e);
    }
    let mut agents = Vec::new();
    for item in items {
        let Some(entries) = cx.map(item, "an agent", HELP_AGENT) else { continue };
        let mut agent =
            Agent { id: String::new(), team: "default".into(), skills: None, can_be_recorded: true };
        let mut id_span = None;
        let mut skills_span = None;
        for (key, _, v) in cx.fields(entries, AGENT_KEYS, "an agent") {
            match key {
                "id" => {
                    if let Some(id) = cx.string(v, "an agent `id`") {
                        agent.id = id;
                        id_span = Some(v.span);
                    }
                }
                "team" => {
                    if let Some(t) = cx.string(v, "an agent `team`") {
                        agent.team = t;
                    }
                }
                "skills" => {
                    if let Some(s) = cx.strings(v, "an agent's `skills`") {
                        agent.skills = Some(s.into_iter().map(|(s, _)| s).collect());
                        skills_span = Some(v.span);
                    }
                }
                "can_be_recorded" => {
                    if let Some(b) = cx.bool(v, "`can_be_recorded`") {
                        agent.can_be_recorded = b;
                    }
                }
                _ => unreachable!(),
            }
        }
        match id_span {
            Some(span) if !agent.id.trim().is_empty() => {
                spans.agent_ids.push((agent.id.clone(), span));
                spans.agent_skills.push(skills_span);
                agents.push(agent);
            }
            Some(span) => {
                let e = cx
                    .err(LoadErrorKind::InvalidConfig, "an agent `id` must not be empty", span, "empty id")
                    .with_help("give every agent a unique id, e.g. alice");
                cx.push(e);
            }
            None if entries.iter().all(|(k, _)| k.scalar_text(cx.src).as_deref() != Some("id")) => {
                let e = cx
                    .err(
                        LoadErrorKind::WrongType,
                        "an agent has no `id`",
                        item.span,
                        "this agent has no `id`",
                    )
                    .with_help("give every agent a unique id, e.g. {id: alice, team: Sales-A}");
                cx.push(e);
            }
            None => {} // the id was there but invalid: already reported
        }
    }
    (cx.errors.len() == before).then_some(agents)
}

fn parse_name(
    cx: &mut Ctx,
    entries: &[(Node, Node)],
    fields: &[(&str, &Node, &Node)],
    item: &Node,
    what: &str,
) -> Option<(String, Span)> {
    match fields.iter().find(|(k, _, _)| *k == "name") {
        Some((_, _, v)) => {
            let name = cx.string(v, &format!("a {what} `name`"))?;
            if name.trim().is_empty() {
                let e = cx
                    .err(
                        LoadErrorKind::InvalidConfig,
                        format!("a {what} `name` must not be empty"),
                        v.span,
                        "empty name",
                    )
                    .with_help(
                        "policy names appear in reports (`policy:NAME`); give each policy a unique name",
                    );
                cx.push(e);
                return None;
            }
            Some((name, v.span))
        }
        None => {
            if entries.iter().all(|(k, _)| k.scalar_text(cx.src).as_deref() != Some("name")) {
                let e = cx
                    .err(LoadErrorKind::WrongType, format!("a {what} has no `name`"), item.span, "no `name`")
                    .with_help("give every policy a unique name, e.g. {name: Sales QA, percent: 50}");
                cx.push(e);
            }
            None
        }
    }
}

fn parse_policies(cx: &mut Ctx, node: &Node, spans: &mut TenantSpans) -> Option<Vec<Policy>> {
    let items = cx.seq(node, "`recording_policies`", "`recording_policies` is a list of policies")?;
    let before = cx.errors.len();
    let mut out = Vec::new();
    for item in items {
        let Some(entries) = cx.map(item, "a recording policy", HELP_POLICY) else { continue };
        let fields = cx.fields(entries, POLICY_KEYS, "a recording policy");
        let name = parse_name(cx, entries, &fields, item, "recording policy");
        let mut p = Policy {
            name: String::new(),
            priority: None,
            percent: 100.0,
            matches: Match::default(),
            continue_after_external_transfer: false,
            continue_after_disposition: false,
        };
        for (key, _, v) in &fields {
            match *key {
                "name" => {}
                "priority" => p.priority = parse_priority(cx, v),
                "percent" => {
                    if let Some(x) = cx.in_range(
                        v,
                        "`percent`",
                        0.0,
                        100.0,
                        "`percent` is the share of matching contacts the policy records, from 0 to 100 (e.g. 50)",
                    ) {
                        p.percent = x;
                    }
                }
                "match" => {
                    if let Some(m) = parse_match(cx, v, name.as_ref().map(|n| n.0.as_str()), spans) {
                        p.matches = m;
                    }
                }
                "continue_after_external_transfer" => {
                    if let Some(b) = cx.bool(v, "`continue_after_external_transfer`") {
                        p.continue_after_external_transfer = b;
                    }
                }
                "continue_after_disposition" => {
                    if let Some(b) = cx.bool(v, "`continue_after_disposition`") {
                        p.continue_after_disposition = b;
                    }
                }
                _ => unreachable!(),
            }
        }
        if let Some((n, span)) = name {
            spans.policy_names.push((n.clone(), span, false));
            p.name = n;
            out.push(p);
        }
    }
    (cx.errors.len() == before).then_some(out)
}

fn parse_priority(cx: &mut Ctx, v: &Node) -> Option<i64> {
    let help = "`priority` is a whole number; lower numbers decide first (A-10), e.g. 1";
    match v.value {
        node::Value::Int(i) => match i64::try_from(i) {
            Ok(i) => Some(i),
            Err(_) => {
                let e = cx
                    .err(LoadErrorKind::InvalidConfig, "`priority` is out of range", v.span, "too large")
                    .with_help(help);
                cx.push(e);
                None
            }
        },
        node::Value::Float(f) if f.is_finite() && f == f.trunc() && f.abs() < 9.0e15 => Some(f as i64),
        node::Value::Float(f) => {
            let e = cx
                .err(
                    LoadErrorKind::WrongType,
                    format!("`priority` must be an integer, found {f}"),
                    v.span,
                    "not an integer",
                )
                .with_help(help);
            cx.push(e);
            None
        }
        _ => {
            cx.wrong_type(v, "`priority`", "an integer", help);
            None
        }
    }
}

fn parse_dnr_policies(cx: &mut Ctx, node: &Node, spans: &mut TenantSpans) -> Option<Vec<DnrPolicy>> {
    let items = cx.seq(node, "`do_not_record_policies`", "`do_not_record_policies` is a list of policies")?;
    let before = cx.errors.len();
    let mut out = Vec::new();
    for item in items {
        let Some(entries) = cx.map(
            item,
            "a Do Not Record policy",
            "a Do Not Record policy is a mapping, e.g. {name: Executives, match: {agents: [ceo]}}",
        ) else {
            continue;
        };
        let fields = cx.fields(entries, DNR_POLICY_KEYS, "a Do Not Record policy");
        let name = parse_name(cx, entries, &fields, item, "Do Not Record policy");
        let mut matches = Match::default();
        for (key, _, v) in &fields {
            if *key == "match"
                && let Some(m) = parse_match(cx, v, name.as_ref().map(|n| n.0.as_str()), spans)
            {
                matches = m;
            }
        }
        if let Some((n, span)) = name {
            spans.policy_names.push((n.clone(), span, true));
            out.push(DnrPolicy { name: n, matches });
        }
    }
    (cx.errors.len() == before).then_some(out)
}

fn parse_match(cx: &mut Ctx, node: &Node, policy: Option<&str>, spans: &mut TenantSpans) -> Option<Match> {
    let entries = cx.map(
        node,
        "`match`",
        "`match` is a mapping of filters, e.g. {direction: [inbound], skills: [Sales]}; leave it out to match every contact",
    )?;
    let before = cx.errors.len();
    let mut m = Match::default();
    for (key, _, v) in cx.fields(entries, MATCH_KEYS, "`match`") {
        let Some(values) = cx.strings(v, &format!("`match.{key}`")) else { continue };
        if key == "direction" {
            for (s, span) in values {
                match s.to_ascii_lowercase().as_str() {
                    "inbound" => m.direction.push(Direction::Inbound),
                    "outbound" => m.direction.push(Direction::Outbound),
                    _ => {
                        let e = cx
                            .err(
                                LoadErrorKind::InvalidConfig,
                                format!("unknown direction `{s}` in `match.direction`"),
                                span,
                                "not a direction",
                            )
                            .with_help("a direction is `inbound` or `outbound`");
                        cx.push(e);
                    }
                }
            }
            continue;
        }
        if let Some(p) = policy {
            for (s, span) in &values {
                spans.filters.push((p.to_string(), key, s.clone(), *span));
            }
        }
        let list = values.into_iter().map(|(s, _)| s).collect();
        match key {
            "skills" => m.skills = list,
            "teams" => m.teams = list,
            "agents" => m.agents = list,
            "numbers" => m.numbers = list,
            _ => unreachable!(),
        }
    }
    (cx.errors.len() == before).then_some(m)
}

/// Duplicate agent ids and policy names (case-insensitive, like every tenant name comparison):
/// reported at the later one, the first as a secondary label.
fn check_duplicates(cx: &mut Ctx, spans: &TenantSpans) {
    // First occurrence per lowercased name: O(n log n) whatever the file size.
    let mut seen: BTreeMap<String, Span> = BTreeMap::new();
    for (id, span) in &spans.agent_ids {
        if let Some(first) = seen.get(&id.to_ascii_lowercase()) {
            let e = cx
                .err(
                    LoadErrorKind::InvalidConfig,
                    format!("duplicate agent id `{id}`"),
                    *span,
                    "given again here",
                )
                .with_label(*first, "first given here")
                .with_help("agent ids are unique (compared without case); rename or remove one of them");
            cx.push(e);
        } else {
            seen.insert(id.to_ascii_lowercase(), *span);
        }
    }
    seen.clear();
    for (name, span, _) in &spans.policy_names {
        if let Some(first) = seen.get(&name.to_ascii_lowercase()) {
            let e = cx
                .err(LoadErrorKind::InvalidConfig, format!("duplicate policy name `{name}`"), *span, "given again here")
                .with_label(*first, "first given here")
                .with_help(
                    "policy names are unique across recording and Do Not Record policies (compared without case): \
                     reports name the deciding policy",
                );
            cx.push(e);
        } else {
            seen.insert(name.to_ascii_lowercase(), *span);
        }
    }
}

/// Warnings: filters that can never match, agents who never answer this script's calls,
/// REQAGENT skills no agent has. Names compare without (ASCII) case, through sets, so the
/// checks stay O(n log n) on large files.
fn cross_check(cx: &mut Ctx, tenant: &Tenant, spans: &TenantSpans, script: Option<&Script>) {
    let lower = |s: &str| s.to_ascii_lowercase();
    let agent_ids: BTreeSet<String> = tenant.agents.iter().map(|a| lower(&a.id)).collect();
    let teams: BTreeSet<String> = tenant.agents.iter().map(|a| lower(&a.team)).collect();
    for (policy, key, value, span) in &spans.filters {
        let (known, what) = match *key {
            "agents" => (agent_ids.contains(&lower(value)), "agent"),
            "teams" => (teams.contains(&lower(value)), "team"),
            _ => continue,
        };
        if !known {
            let e = cx
                .err(
                    LoadErrorKind::InvalidConfig,
                    format!("policy `{policy}` filters on {what} `{value}`, which no agent of the tenant has"),
                    *span,
                    format!("no such {what}"),
                )
                .with_help(format!(
                    "this filter value never matches; check the spelling against `agents` ({what} names ignore case)"
                ));
            cx.warn(e);
        }
    }
    let Some(script) = script else { return };
    // Skills the script requests, with the REQAGENT that requests each.
    let mut requested: Vec<(&str, &crate::script::Action)> = Vec::new();
    for a in &script.actions {
        if let Kind::ReqAgent { skill, .. } = &a.kind {
            requested.push((skill.as_str(), a));
        }
    }
    let requested_set: BTreeSet<String> = requested.iter().map(|(s, _)| lower(s)).collect();
    let requested_list = {
        let mut names: Vec<&str> = requested.iter().map(|(s, _)| *s).collect();
        names.sort_unstable();
        names.dedup();
        if names.is_empty() { "none (the script has no REQAGENT)".to_string() } else { names.join(", ") }
    };
    for (agent, skills_span) in tenant.agents.iter().zip(&spans.agent_skills) {
        let (Some(skills), Some(span)) = (&agent.skills, skills_span) else { continue };
        if !skills.iter().any(|s| requested_set.contains(&lower(s))) {
            let e = cx
                .err(
                    LoadErrorKind::InvalidConfig,
                    format!(
                        "agent `{}` has no skill that script `{}` requests: it never answers its calls",
                        agent.id, script.name
                    ),
                    *span,
                    "no REQAGENT uses these skills",
                )
                .with_help(format!("skills requested by REQAGENT in the script: {requested_list}"));
            cx.warn(e);
        }
    }
    for (policy, key, value, span) in &spans.filters {
        if *key == "skills" && !requested_set.contains(&lower(value)) {
            let e = cx
                .err(
                    LoadErrorKind::InvalidConfig,
                    format!(
                        "policy `{policy}` filters on skill `{value}`, which no REQAGENT in script `{}` requests",
                        script.name
                    ),
                    *span,
                    "never requested",
                )
                .with_help(format!("this filter never matches this script; skills requested: {requested_list}"));
            cx.warn(e);
        }
    }
    // A REQAGENT whose skill no agent has: its callers wait until they abandon (patience).
    let any_skill = tenant.agents.iter().any(|a| a.skills.is_none());
    let covered: BTreeSet<String> =
        tenant.agents.iter().flat_map(|a| a.skills.iter().flatten()).map(|s| lower(s)).collect();
    for (skill, action) in &requested {
        if !any_skill && !covered.contains(&lower(skill)) {
            let e = LoadError::new(
                LoadErrorKind::InvalidConfig,
                format!("no agent of tenant `{}` has skill `{skill}` that REQAGENT `{}` requests", cx.src.name, action.id),
            )
            .with_source(&script.source)
            .with_label(action.property_span("Skill"), "no agent has this skill")
            .with_help(
                "callers queued for this skill are never answered and abandon at `patience`; add an agent with \
                 this skill to the tenant",
            );
            cx.warn(e);
        }
    }
}

impl Tenant {
    /// Stable digest (16 hex digits, FNV-1a 64 over a canonical serialisation): equal tenants
    /// have equal digests on every run and platform; any change of value changes it.
    pub fn digest(&self) -> String {
        let mut c = Canon::default();
        c.tag("recflow-tenant-v1").tag("agents").int(self.agents.len() as i128);
        for a in &self.agents {
            c.str(&a.id).str(&a.team).tag(if a.can_be_recorded { "rec" } else { "norec" });
            match &a.skills {
                None => c.tag("all-skills"),
                Some(s) => {
                    c.int(s.len() as i128);
                    s.iter().for_each(|s| {
                        c.str(s);
                    });
                    &mut c
                }
            };
        }
        c.tag("policies").int(self.recording_policies.len() as i128);
        for p in &self.recording_policies {
            c.str(&p.name);
            match p.priority {
                Some(x) => c.int(x.into()),
                None => c.tag("none"),
            };
            c.num(p.percent);
            canon_match(&mut c, &p.matches);
            c.tag(if p.continue_after_external_transfer { "cx1" } else { "cx0" });
            c.tag(if p.continue_after_disposition { "cd1" } else { "cd0" });
        }
        c.tag("dnr").int(self.do_not_record_policies.len() as i128);
        for p in &self.do_not_record_policies {
            c.str(&p.name);
            canon_match(&mut c, &p.matches);
        }
        c.tag("short").num(self.short_call_seconds);
        c.digest()
    }
}

fn canon_match(c: &mut Canon, m: &Match) {
    c.int(m.direction.len() as i128);
    for d in &m.direction {
        c.tag(d.as_str());
    }
    for list in [&m.skills, &m.agents, &m.teams, &m.numbers] {
        c.int(list.len() as i128);
        for s in list {
            c.str(s);
        }
    }
}
