//! `recflow simulate`: load → compile → simulate in parallel → render the report; optionally
//! stream every contact to a JSONL file (atomic: complete or absent) or to stdout (`-`).
//!
//! `--calls-out` memory: the driver's reorder window holds at most `window()` chunks of
//! [`LINES_CHUNK`](crate::sim::aggregate::LINES_CHUNK) contacts' lines (4 × threads, at least
//! 8); each chunk is written, in contact order, as soon as the earlier ones are.

use std::time::{Duration, Instant};

use super::args::ReportFormat;
use super::config::{Output, Simulate, Term};
use super::output::AtomicFile;
use super::world::load_world;
use super::{ExitKind, write_stdout};
use crate::report::simulation as render;
use crate::sim;

pub fn run(term: &Term, a: &Simulate) -> std::io::Result<ExitKind> {
    let Some(world) = load_world(term, &a.script, &a.model) else { return Ok(ExitKind::BadInput) };
    let program = world.program();
    let calls = world.traffic.calls;
    if a.exact {
        return exact(term, a, &program, calls);
    }

    // Progress only for a terminal, and only once the run has taken a second.
    let started = Instant::now();
    let bar = indicatif::ProgressBar::hidden();
    bar.set_length(a.precision.map_or(calls, |p| p.max_calls));
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} calls  {per_sec}  eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let tty = term.stderr_tty;
    let mut shown = false;
    let progress = |done: u64| {
        if tty && !shown && started.elapsed() > Duration::from_secs(1) {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            shown = true;
        }
        bar.set_position(done);
    };

    let pool = a.model.pool()?;
    let mut precision_reached = None;
    let to_stdout = a.calls_out == Some(Output::Stdout);
    let tally = match &a.calls_out {
        // `-`: the lines stream to stdout as each chunk is emitted (the report goes to stderr).
        Some(Output::Stdout) => {
            let mut out = std::io::BufWriter::new(std::io::stdout());
            let mut write = |text: &str| std::io::Write::write_all(&mut out, text.as_bytes());
            let (tally, result) =
                pool.install(|| sim::simulate_chunks(&program, calls, Some(&mut write), progress));
            result?;
            std::io::Write::flush(&mut out)?;
            tally
        }
        Some(Output::File(path)) => {
            let mut file = AtomicFile::create(path)?;
            let mut write = |text: &str| std::io::Write::write_all(&mut file, text.as_bytes());
            let (tally, result) =
                pool.install(|| sim::simulate_chunks(&program, calls, Some(&mut write), progress));
            result?;
            file.commit()?;
            tally
        }
        None => match a.precision {
            Some(p) => {
                let (tally, precision) = pool.install(|| {
                    sim::precision::tally_to_precision(&program, p.target, p.max_calls, progress)
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
            let mut text =
                render::report_human(&report, &a.script.display().to_string(), &a.model.flags(false));
            text.push('\n');
            text += &render::coverage_human(&report.coverage, &world.unexercised(&tally.coverage));
            text
        }
    };
    // The human report names the script's policies, skills and actions: terminal-safe (F11).
    let text = match a.format {
        ReportFormat::Human => super::terminal_safe(&text, false).into_owned(),
        _ => text,
    };
    if to_stdout {
        let mut err = std::io::stderr().lock();
        std::io::Write::write_all(&mut err, text.as_bytes())?;
    } else {
        write_stdout(&text)?;
    }
    // `--fail-on CLASS`: exit 1 when a contact had a finding of that class or worse.
    if let Some(limit) = a.fail_on {
        let failed: Vec<String> = crate::sim::findings::Class::ALL
            .into_iter()
            .filter(|c| *c <= limit && report.classes.get(*c) > 0)
            .map(|c| format!("{} contacts with a {c}", report.classes.get(c)))
            .collect();
        if !failed.is_empty() {
            eprintln!("recflow: --fail-on {limit}: {}", failed.join(", "));
            return Ok(ExitKind::Findings);
        }
    }
    if let Some(min) = a.min_coverage {
        let (hit, all) = report.coverage.branch_counts();
        let pct = report.coverage.percent();
        if pct < min {
            eprintln!(
                "recflow: --min-coverage {min}: {hit} of {all} branches ({}%) were taken; \
                 `--traffic explore` reaches every outcome of every decision",
                pct.floor()
            );
            return Ok(ExitKind::Findings);
        }
    }
    Ok(ExitKind::Ok)
}

/// `simulate --exact`: explore the choice tree (`sim::exact`), render, and apply `--fail-on` /
/// `--min-coverage` to the probabilities (a class or branch with probability > 0 occurred).
fn exact(term: &Term, a: &Simulate, program: &sim::Compiled, calls: u64) -> std::io::Result<ExitKind> {
    use crate::report::exact as render;
    use std::sync::atomic::{AtomicBool, Ordering};
    // Progress for a terminal once the exploration has taken a second: the runs of the engine
    // against the budget (a long one is a bounded random time split at a short hold loop's
    // turns, docs/exact.md "Not yet"). Stderr only; the result does not depend on it.
    let done = AtomicBool::new(false);
    let explored = std::thread::scope(|scope| {
        if term.stderr_tty {
            scope.spawn(|| {
                let started = Instant::now();
                let from = sim::exact::RUNS_SO_FAR.load(Ordering::Relaxed);
                let from_work = sim::exact::WORK_SO_FAR.load(Ordering::Relaxed);
                let bar = indicatif::ProgressBar::hidden();
                bar.set_style(
                    indicatif::ProgressStyle::with_template("exploring: {pos}/{len} {msg}, {elapsed}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                while !done.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(100));
                    if started.elapsed() > Duration::from_secs(1) && bar.is_hidden() {
                        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                    }
                    // Against whichever budget is nearer: the runs, or the work (long paths).
                    let runs = sim::exact::RUNS_SO_FAR.load(Ordering::Relaxed) - from;
                    let work = sim::exact::WORK_SO_FAR.load(Ordering::Relaxed) - from_work;
                    let (max_runs, max_work) = (sim::exact::MAX_RUNS, sim::exact::MAX_WORK);
                    if u128::from(work) * u128::from(max_runs) > u128::from(runs) * u128::from(max_work) {
                        bar.set_length(max_work);
                        bar.set_message("steps of the engine (the work budget)");
                        bar.set_position(work);
                    } else {
                        bar.set_length(max_runs);
                        bar.set_message("runs of the engine (the budget)");
                        bar.set_position(runs);
                    }
                }
                bar.finish_and_clear();
            });
        }
        let r = sim::exact::explore_with(program, calls, sim::exact::MAX_RUNS, a.sensitivity);
        done.store(true, Ordering::Relaxed);
        r
    });
    let result = match explored {
        Ok(r) => r,
        Err(e) => {
            let why = match e.limit {
                sim::exact::Limit::Runs(_) => "the script's choices multiply past what can be enumerated; ",
                sim::exact::Limit::Work(_) => "",
            };
            eprintln!(
                "recflow: --exact: {}: {why}sample instead (`--precision`), or with random durations give \
                 fewer --calls",
                e.message(None)
            );
            return Ok(ExitKind::BadInput);
        }
    };
    if a.sensitivity && !result.exact {
        eprintln!(
            "recflow: --sensitivity: not computed: the analysis is not exact (see \"Not exact\": \
             its reasons say which durations or choices to fix)"
        );
    }
    let name = program.name.as_str();
    let text = match a.format {
        ReportFormat::Json => render::json(&result, name, program.seed),
        ReportFormat::Yaml => render::yaml(&result, name, program.seed),
        ReportFormat::Human => {
            super::terminal_safe(&render::human(&result, name, program.seed), false).into_owned()
        }
    };
    write_stdout(&text)?;
    let prob = |path: &[&str]| {
        result
            .probabilities
            .iter()
            .find(|v| v.path.iter().map(String::as_str).eq(path.iter().copied()))
            .map_or(0.0, |v| v.value)
    };
    if let Some(limit) = a.fail_on {
        let failed: Vec<String> = crate::sim::findings::Class::ALL
            .into_iter()
            .filter(|c| *c <= limit && prob(&["classes", c.as_str()]) > 0.0)
            .map(|c| {
                format!("a {c} with probability {}", sim::exact::percent(prob(&["classes", c.as_str()])))
            })
            .collect();
        if !failed.is_empty() {
            eprintln!("recflow: --fail-on {limit}: {}", failed.join(", "));
            return Ok(ExitKind::Findings);
        }
    }
    if let Some(min) = a.min_coverage {
        let branches: Vec<f64> = result
            .probabilities
            .iter()
            .filter(|v| v.path.len() == 3 && v.path[0] == "coverage" && v.path[1] == "branches")
            .map(|v| v.value)
            .collect();
        let hit = branches.iter().filter(|&&x| x > 0.0).count();
        let pct = if branches.is_empty() { 100.0 } else { 100.0 * hit as f64 / branches.len() as f64 };
        if pct < min {
            eprintln!(
                "recflow: --min-coverage {min}: {hit} of {} branches ({}%) have a probability above 0",
                branches.len(),
                pct.floor()
            );
            return Ok(ExitKind::Findings);
        }
    }
    Ok(ExitKind::Ok)
}
