//! `recflow simulate`: load → compile → simulate in parallel → render the report; optionally
//! stream every contact to a JSONL file (atomic: complete or absent) or to stdout (`-`).
//!
//! `--calls-out` memory: the driver's reorder window holds at most `window()` chunks of
//! [`LINES_CHUNK`](crate::sim::aggregate::LINES_CHUNK) contacts' lines (4 × threads, at least
//! 8); each chunk is written, in contact order, as soon as the earlier ones are.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use super::args::{MAX_JOBS, ModelArgs, ReportFormat, SimulateArgs};
use super::output::AtomicFile;
use super::{ExitKind, report_load_errors, write_stdout};
use crate::model::{Tenant, Traffic};
use crate::report::simulation as render;
use crate::script::{LoadErrors, Script};
use crate::sim::{self, Compiled};

/// The simulated world of a command: script, tenant, traffic, with `--calls` / `--seed`
/// applied. Shared by `simulate`, `explain` (and `diff`).
pub struct Model {
    /// The script, or the linked script when the entry calls others (RUNSUB / RUNSCRIPT).
    pub script: Script,
    pub tenant: Tenant,
    pub traffic: Traffic,
    /// The library linked into `script`, when the entry calls other scripts.
    pub linked: Option<crate::library::link::Linked>,
}

impl Model {
    pub fn program(&self) -> Compiled {
        match &self.linked {
            Some(l) => Compiled::compile_linked(l, &self.tenant, &self.traffic),
            None => Compiled::compile(&self.script, &self.tenant, &self.traffic),
        }
    }
}

/// The entry script and the scripts it calls (docs/subscripts.md), linked when it calls any.
pub fn load_linked(
    path: &std::path::Path,
    options: &crate::library::Options,
) -> Result<(Script, Option<crate::library::link::Linked>), LoadErrors> {
    let lib = crate::library::load(path, options)?;
    super::config::report_warnings(&lib.warnings);
    if lib.is_single() {
        let entry = lib.scripts.into_iter().next().expect("a library has its entry");
        return Ok((entry.script, None));
    }
    let linked = crate::library::link::link(&lib)?;
    Ok((linked.script.clone(), Some(linked)))
}

/// Load the tenant and traffic files of `args` (embedded defaults when absent).
pub fn load_world(args: &ModelArgs, script: &Script) -> Result<(Tenant, Traffic), LoadErrors> {
    let tenant = match &args.tenant {
        Some(path) => {
            let (tenant, warnings) = crate::model::tenant::load_tenant(path, Some(script))?;
            super::config::report_warnings(&warnings);
            tenant
        }
        None => Tenant::default(),
    };
    let mut traffic = match &args.traffic {
        Some(path) => {
            let (traffic, warnings) = crate::model::traffic::load_traffic_with_warnings(path, script)?;
            super::config::report_warnings(&warnings);
            traffic
        }
        None => Traffic::default(),
    };
    if let Some(calls) = args.calls {
        traffic.calls = calls;
    }
    if let Some(seed) = args.seed {
        traffic.seed = seed;
    }
    Ok((tenant, traffic))
}

/// Load everything a model command needs, printing load errors (→ exit 2) on failure.
pub fn load_model(script: &std::path::Path, args: &ModelArgs) -> Option<Model> {
    let (script, linked) = match load_linked(script, &args.library.options()) {
        Ok(x) => x,
        Err(errs) => {
            report_load_errors(&errs);
            return None;
        }
    };
    super::report_load_warnings(&script.warnings);
    match load_world(args, &script) {
        Ok((tenant, traffic)) => Some(Model { script, tenant, traffic, linked }),
        Err(errs) => {
            report_load_errors(&errs);
            None
        }
    }
}

/// A rayon pool with `--jobs` threads (default: all cores, at most [`MAX_JOBS`]).
pub fn pool(jobs: Option<usize>) -> std::io::Result<rayon::ThreadPool> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(cores).clamp(1, MAX_JOBS))
        .build()
        .map_err(|e| std::io::Error::other(format!("cannot start worker threads: {e}")))
}

/// The model options to repeat in an `explain` hint so it shows the same contact.
pub fn model_flags(args: &ModelArgs) -> String {
    let mut s = String::new();
    if let Some(t) = &args.tenant {
        s += &format!(" --tenant {}", t.display());
    }
    if let Some(t) = &args.traffic {
        s += &format!(" --traffic {}", t.display());
    }
    if let Some(seed) = args.seed {
        s += &format!(" --seed {seed}");
    }
    s
}

pub fn run(a: SimulateArgs) -> std::io::Result<ExitKind> {
    let Some(model) = load_model(&a.script, &a.model) else { return Ok(ExitKind::BadInput) };
    let program = model.program();
    let calls = model.traffic.calls;

    // Progress only for a terminal, and only once the run has taken a second.
    let started = Instant::now();
    let bar = indicatif::ProgressBar::hidden();
    bar.set_length(a.precision.precision.map_or(calls, |_| a.precision.max_calls));
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} calls  {per_sec}  eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let tty = std::io::stderr().is_terminal();
    let mut shown = false;
    let progress = |done: u64| {
        if tty && !shown && started.elapsed() > Duration::from_secs(1) {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            shown = true;
        }
        bar.set_position(done);
    };

    let pool = pool(a.model.jobs)?;
    let mut precision_reached = None;
    let to_stdout = a.calls_out.as_deref().is_some_and(|p| p.as_os_str() == "-");
    let tally = match &a.calls_out {
        // `-`: the lines stream to stdout as each chunk is emitted (the report goes to stderr).
        Some(_) if to_stdout => {
            let mut out = std::io::BufWriter::new(std::io::stdout());
            let mut write = |text: &str| std::io::Write::write_all(&mut out, text.as_bytes());
            let (tally, result) =
                pool.install(|| sim::simulate_chunks(&program, calls, Some(&mut write), progress));
            result?;
            std::io::Write::flush(&mut out)?;
            tally
        }
        Some(path) => {
            let mut file = AtomicFile::create(path)?;
            let mut write = |text: &str| std::io::Write::write_all(&mut file, text.as_bytes());
            let (tally, result) =
                pool.install(|| sim::simulate_chunks(&program, calls, Some(&mut write), progress));
            result?;
            file.commit()?;
            tally
        }
        None => match a.precision.precision {
            Some(target) => {
                let (tally, precision) = pool.install(|| {
                    sim::precision::tally_to_precision(&program, target, a.precision.max_calls, progress)
                });
                precision_reached = Some(precision);
                tally
            }
            None => pool.install(|| sim::simulate_chunks(&program, calls, None, progress)).0,
        },
    };
    bar.finish_and_clear();
    let mut report = tally.report(&program);
    report.precision = precision_reached;
    if let Some(p) = precision_reached.filter(|p| !p.reached) {
        eprintln!(
            "recflow: --precision {}: stopped at --max-calls {} with a widest 95% half-width of {} points",
            p.target, p.max_calls, p.widest_half_width
        );
    }
    let text = match a.format {
        ReportFormat::Json => render::report_json(&report),
        ReportFormat::Yaml => render::report_yaml(&report),
        ReportFormat::Human => {
            render::report_human(&report, &a.script.display().to_string(), &model_flags(&a.model))
        }
    };
    if to_stdout {
        let mut err = std::io::stderr().lock();
        std::io::Write::write_all(&mut err, text.as_bytes())?;
    } else {
        write_stdout(&text)?;
    }
    Ok(ExitKind::Ok)
}
