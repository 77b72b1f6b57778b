//! Stage 1b — **library**: an entry script and every script it reaches by RUNSUB / RUNSCRIPT
//! (SPAWN targets are resolved but not loaded) → a [`Library`] of loaded scripts with typed
//! [`ScriptId`]s, each call resolved once, at load.
//!
//! Input: the entry script's path and [`Options`] (`--scripts DIR`, `--scripts-map NAME=FILE`).
//! Output: [`Library`] (the entry is [`ScriptId::ENTRY`]), plus located warnings for what cannot be
//! resolved statically (a templated `ScriptName` such as `{next}`), or [`LoadErrors`] (a target
//! that is not found is a located error with did-you-mean over the names found).
//!
//! Resolution (CXone help, Runsub / Runscript / Spawn pages: the called script is in the same
//! folder as the calling script): a `ScriptName` is looked up, case-insensitively and in this
//! order, in `--scripts-map`, then by file stem in the calling script's folder, then by file stem
//! in each `--scripts` folder (in the order given), then by declared name (Studio JSON
//! `header.scriptName`, YAML `script:`) in the same folders. Only `.yaml`, `.yml` and `.json` files
//! count; subfolders are not searched (see docs/subscripts.md). [`link`] then turns a library into
//! one script that lint, simulate and explain run unchanged.

pub mod link;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::script::{self, Action, ActionIx, LoadError, LoadErrorKind, LoadErrors, PropValue, Script, Span};

/// Index of a script in [`Library::scripts`] (newtype: never confuse it with an action index).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScriptId(pub u32);

impl ScriptId {
    /// The script recflow was given.
    pub const ENTRY: ScriptId = ScriptId(0);

    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Deepest RUNSUB nesting followed (the entry script is depth 0). CXone's help documents no
/// number; recflow picks 20, far beyond real tenants (2–4 levels), and low enough that a recursive
/// pair (A → B → A) stays small once linked. A RUNSUB beyond it ends the thread (docs/subscripts.md).
pub const MAX_DEPTH: u32 = 20;

/// Most scripts one library loads (a guard against a folder of thousands of mutually calling files).
pub const MAX_SCRIPTS: usize = 1_000;

/// The three calling actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CallKind {
    /// Run the subscript, continue after its RETURN (`ReturnValue` → `ReturnVariable`).
    RunSub,
    /// Continue in the target script as an extension of this one; this one ends.
    RunScript,
    /// Start an independent script instance (not this contact): resolved, never followed.
    Spawn,
}

impl CallKind {
    pub fn of(action: &Action) -> Option<CallKind> {
        match script::normalize_type(&action.type_name).as_str() {
            "RUNSUB" => Some(CallKind::RunSub),
            "RUNSCRIPT" => Some(CallKind::RunScript),
            "SPAWN" => Some(CallKind::Spawn),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CallKind::RunSub => "RUNSUB",
            CallKind::RunScript => "RUNSCRIPT",
            CallKind::Spawn => "SPAWN",
        }
    }
}

/// Is this action a RETURN (ends a subscript, hands `ReturnValue` back)?
pub fn is_return(action: &Action) -> bool {
    script::normalize_type(&action.type_name) == "RETURN"
}

/// One resolved call site.
#[derive(Clone, Debug)]
pub struct Call {
    pub action: ActionIx,
    pub kind: CallKind,
    /// `ScriptName` as written.
    pub name: String,
    /// `None`: templated and not pinned by `--scripts-map` (a warning was given).
    pub target: Option<ScriptId>,
    /// RUNSUB `ReturnVariable` (empty: the value is dropped).
    pub return_var: String,
    /// RUNSUB / SPAWN `Parameters`: values (templates) passed as `p1`..`pN`.
    pub params: Vec<String>,
}

/// A loaded script of the library.
#[derive(Clone, Debug)]
pub struct Entry {
    pub script: Script,
    /// The file it was loaded from (as found: joined to the folder searched).
    pub path: PathBuf,
    /// Its RUNSUB / RUNSCRIPT / SPAWN actions, in file order.
    pub calls: Vec<Call>,
}

/// The entry script and every script it reaches.
#[derive(Clone, Debug)]
pub struct Library {
    pub scripts: Vec<Entry>,
    /// Located warnings (templated targets, ambiguous names); the library is still usable.
    pub warnings: Vec<LoadError>,
    /// SPAWN targets, resolved (they must exist) but not loaded: `(caller, call index) → file`.
    pub spawned: Vec<PathBuf>,
}

/// Where targets are searched besides the calling script's folder.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--scripts DIR`, in the order given.
    pub dirs: Vec<PathBuf>,
    /// `--scripts-map NAME=FILE`: pins a name (templated or not) to a file.
    pub map: Vec<(String, PathBuf)>,
}

impl Options {
    /// Parse one `--scripts-map` value (`NAME=FILE`).
    pub fn parse_map(s: &str) -> Result<(String, PathBuf), String> {
        match s.split_once('=') {
            Some((n, f)) if !n.trim().is_empty() && !f.trim().is_empty() => {
                Ok((n.trim().to_string(), PathBuf::from(f.trim())))
            }
            _ => Err(format!("`{s}` is not NAME=FILE (e.g. `--scripts-map consent=lib/consent.yaml`)")),
        }
    }
}

impl Library {
    pub fn entry(&self) -> &Script {
        &self.scripts[0].script
    }

    pub fn get(&self, id: ScriptId) -> &Entry {
        &self.scripts[id.index()]
    }

    /// Does the entry script reach another script (RUNSUB / RUNSCRIPT)? When not, the library is
    /// the entry script alone and every stage behaves exactly as for one file.
    pub fn is_single(&self) -> bool {
        self.scripts.len() == 1
            && self.scripts[0].calls.iter().all(|c| c.kind == CallKind::Spawn || c.target.is_none())
    }

    /// A library of one already-loaded script that calls nothing (tests, `--no-library` paths).
    pub fn single(script: Script) -> Library {
        let path = PathBuf::from(&*script.source.name);
        Library {
            scripts: vec![Entry { script, path, calls: Vec::new() }],
            warnings: Vec::new(),
            spawned: Vec::new(),
        }
    }
}

/// The entry scripts of a folder: its script files that no other script file there reaches by
/// RUNSUB / RUNSCRIPT (a folder of only mutually calling scripts: all of them), sorted.
pub fn entries(dir: &Path, options: &Options) -> Vec<PathBuf> {
    let files = script_files(dir);
    let mut reached = std::collections::BTreeSet::new();
    for f in &files {
        if let Ok(lib) = load(f, options) {
            reached.extend(lib.scripts.iter().skip(1).map(|e| canonical(&e.path)));
        }
    }
    let entries: Vec<PathBuf> = files.iter().filter(|f| !reached.contains(&canonical(f))).cloned().collect();
    if entries.is_empty() { files } else { entries }
}

/// Load `entry` and every script it reaches.
pub fn load(entry: &Path, options: &Options) -> Result<Library, LoadErrors> {
    let first = script::load_path(entry)?;
    load_with(first, entry, options)
}

/// As [`load`], for an entry script already loaded from `path`.
pub fn load_with(first: Script, path: &Path, options: &Options) -> Result<Library, LoadErrors> {
    let mut lib = Library { scripts: Vec::new(), warnings: Vec::new(), spawned: Vec::new() };
    // Canonical path → id, so two names for one file are one script.
    let mut ids: BTreeMap<PathBuf, ScriptId> = BTreeMap::new();
    ids.insert(canonical(path), ScriptId::ENTRY);
    lib.scripts.push(Entry { script: first, path: path.to_path_buf(), calls: Vec::new() });
    let mut errors = Vec::new();
    let mut next = 0;
    while next < lib.scripts.len() {
        let folder = lib.scripts[next].path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut calls = Vec::new();
        let script = &lib.scripts[next].script;
        let mut wanted: Vec<(usize, PathBuf)> = Vec::new();
        for ix in script.indices() {
            let a = script.action(ix);
            let Some(kind) = CallKind::of(a) else { continue };
            let name = text_prop(a, "ScriptName").unwrap_or_default();
            let call = Call {
                action: ix,
                kind,
                name: name.clone(),
                target: None,
                return_var: text_prop(a, "ReturnVariable").unwrap_or_default(),
                params: list_prop(a, "Parameters"),
            };
            match resolve(&name, &folder, options) {
                Resolved::File(file) => wanted.push((calls.len(), file)),
                Resolved::Templated => lib.warnings.push(
                    at_call(
                        script,
                        a,
                        format!(
                            "{} target `{name}` is templated: recflow cannot resolve it statically",
                            kind.as_str()
                        ),
                    )
                    .with_help(format!(
                        "pin it with `--scripts-map '{name}=FILE'`; until then the {} is a pass-through",
                        kind.as_str()
                    ))
                    .warning(),
                ),
                Resolved::Missing(candidates) => {
                    let what = if name.trim().is_empty() {
                        format!("{} has no `ScriptName`", kind.as_str())
                    } else {
                        format!("{} target `{name}` not found", kind.as_str())
                    };
                    let mut help = format!(
                        "recflow looks in the calling script's folder `{}`{}",
                        folder.display(),
                        if options.dirs.is_empty() { "" } else { " and every `--scripts` folder" }
                    );
                    match crate::source::did_you_mean(&name, candidates.iter().map(String::as_str)) {
                        Some(s) => help = format!("did you mean `{s}`? ({help})"),
                        None if !candidates.is_empty() => {
                            help.push_str(&format!("; scripts found: {}", candidates.join(", ")))
                        }
                        None => {}
                    }
                    errors.push(at_call(script, a, what).with_help(help));
                }
            }
            calls.push(call);
        }
        for (ci, file) in wanted {
            if calls[ci].kind == CallKind::Spawn {
                // The spawned instance is not this contact: its file must exist, nothing more.
                lib.spawned.push(file);
                continue;
            }
            let key = canonical(&file);
            let id = match ids.get(&key) {
                Some(&id) => id,
                None => {
                    if lib.scripts.len() >= MAX_SCRIPTS {
                        errors.push(LoadError::new(
                            LoadErrorKind::UnknownScript,
                            format!("more than {MAX_SCRIPTS} scripts reached from `{}`", path.display()),
                        ));
                        break;
                    }
                    match script::load_path(&file) {
                        Ok(s) => {
                            let id = ScriptId(lib.scripts.len() as u32);
                            ids.insert(key, id);
                            lib.scripts.push(Entry { script: s, path: file, calls: Vec::new() });
                            id
                        }
                        Err(e) => {
                            errors.extend(e.errors);
                            continue;
                        }
                    }
                }
            };
            calls[ci].target = Some(id);
        }
        lib.scripts[next].calls = calls;
        next += 1;
    }
    if errors.is_empty() { Ok(lib) } else { Err(LoadErrors { errors }) }
}

/// A load error located at a call's `ScriptName` (falls back to the action's type).
fn at_call(script: &Script, a: &Action, message: String) -> LoadError {
    LoadError::new(LoadErrorKind::UnknownScript, message)
        .with_source(&script.source)
        .with_label(a.property_span("ScriptName"), "called here")
}

/// A property's text (case-insensitive name); lists are joined with `|` (the Snippet array form).
pub fn text_prop(a: &Action, name: &str) -> Option<String> {
    a.properties.iter().find(|p| p.name.eq_ignore_ascii_case(name)).map(|p| match &p.value {
        PropValue::Text(t) => t.trim().to_string(),
        PropValue::List(l) => l.join("|"),
    })
}

/// A list property: a YAML / JSON list, or one text with `|`-separated items (Studio's form).
pub fn list_prop(a: &Action, name: &str) -> Vec<String> {
    match a.properties.iter().find(|p| p.name.eq_ignore_ascii_case(name)).map(|p| &p.value) {
        Some(PropValue::List(l)) => l.iter().map(|s| s.trim().to_string()).collect(),
        Some(PropValue::Text(t)) if !t.trim().is_empty() => {
            t.split('|').map(|s| s.trim().to_string()).collect()
        }
        _ => Vec::new(),
    }
}

enum Resolved {
    File(PathBuf),
    Templated,
    /// Not found; the names that were found (stems and declared names), sorted, for did-you-mean.
    Missing(Vec<String>),
}

fn resolve(name: &str, folder: &Path, options: &Options) -> Resolved {
    let name = name.trim();
    if let Some((_, f)) = options.map.iter().find(|(n, _)| n.trim().eq_ignore_ascii_case(name)) {
        return Resolved::File(f.clone());
    }
    if name.contains('{') {
        return Resolved::Templated;
    }
    let folders: Vec<&Path> =
        std::iter::once(folder).chain(options.dirs.iter().map(PathBuf::as_path)).collect();
    let listed: Vec<Vec<PathBuf>> = folders.iter().map(|d| script_files(d)).collect();
    if !name.is_empty() {
        for files in &listed {
            if let Some(f) = files.iter().find(|f| stem(f).eq_ignore_ascii_case(name)) {
                return Resolved::File(f.clone());
            }
        }
    }
    // By declared name: only now load the other files (a broken unrelated file is skipped).
    let mut names: Vec<String> = Vec::new();
    for files in &listed {
        for f in files {
            names.push(stem(f).to_string());
            if let Ok(s) = script::load_path(f) {
                if !name.is_empty() && s.name.trim().eq_ignore_ascii_case(name) {
                    return Resolved::File(f.clone());
                }
                names.push(s.name);
            }
        }
    }
    names.sort();
    names.dedup();
    Resolved::Missing(names)
}

/// Script files directly in `dir` (`.yaml` before `.yml` before `.json` for one stem, then by
/// name), so that resolution is deterministic.
fn script_files(dir: &Path) -> Vec<PathBuf> {
    let here = dir.as_os_str().is_empty();
    let dir = if here { Path::new(".") } else { dir };
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let rank = |p: &Path| match p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref()
    {
        Some("yaml") => Some(0),
        Some("yml") => Some(1),
        Some("json") => Some(2),
        _ => None,
    };
    let mut files: Vec<(String, u8, PathBuf)> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        // A caller given as a bare file name: its callees are named like it (`consent.yaml`,
        // not `./consent.yaml`), in diagnostics, SARIF URIs and snapshot fingerprints alike.
        .map(|p| if here { p.strip_prefix(".").map_or_else(|_| p.clone(), Path::to_path_buf) } else { p })
        .filter(|p| p.is_file() && !crate::scenario::is_test_file(p))
        .filter_map(|p| rank(&p).map(|r| (stem(&p).to_lowercase(), r, p)))
        .collect();
    files.sort();
    files.into_iter().map(|(_, _, p)| p).collect()
}

fn stem(p: &Path) -> &str {
    p.file_stem().and_then(|s| s.to_str()).unwrap_or("")
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Span of a call's `ScriptName` (for diagnostics about the call).
pub fn call_span(script: &Script, call: &Call) -> Span {
    script.action(call.action).property_span("ScriptName")
}
