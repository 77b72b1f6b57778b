//! Snippet interpreter benchmark: a typical 10-line SNIPPET, compiled once, run many times.
//!
//! `cargo bench --bench snippet` prints the time per execution and the heap allocations per
//! warm execution (counted by a wrapping global allocator; the target is zero), and the compile
//! time of 25 000 and 200 000 assignments (linear, issue 21 F02).

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use recflow::snippet::{Program, Symbols, Template, Vars, parse};

struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const TYPICAL: &str = r#"// typical consent + bookkeeping snippet
IF MRES = 1 {
  consent = 'yes'
  Global:_recordingStatementId = RecordingStatementId
} ELSE {
  consent = 'no'
}
attempts = attempts + 1
SWITCH skill.lower() {
  CASE 'sales' { queue = 'S' }
  DEFAULT { queue = 'G' }
}
msg = "caller {ANI} consent {consent} try {attempts}"
"#;

const DYNAMIC_SNIPPET: &str = r#"DYNAMIC cust
cust.ani = ANI
cust.area = left(ANI, 5)
FUNCTION tier(area) {
  IF area = '+1555' { RETURN 'gold' }
  RETURN 'standard'
}
cust.tier = tier(cust.area)
visits = visits + 1
greeting = "Hi {cust.tier} caller, visit {visits}"
"#;

/// CPU time of this thread in seconds (Linux `/proc`, 100 ticks/s); `None` elsewhere. On a
/// shared machine CPU time is steadier than wall time, so both are printed.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn bench(name: &str, iterations: u32, mut f: impl FnMut(u32)) {
    // Warm up (fills the buffer pool), then measure.
    for i in 0..1000 {
        f(i);
    }
    let allocs = ALLOCS.load(Ordering::Relaxed);
    let cpu0 = thread_cpu_seconds();
    let t = Instant::now();
    for i in 0..iterations {
        f(i);
    }
    let elapsed = t.elapsed();
    let cpu = thread_cpu_seconds().zip(cpu0).map(|(b, a)| (b - a) * 1e9 / f64::from(iterations));
    let allocs = ALLOCS.load(Ordering::Relaxed) - allocs;
    println!(
        "{name:<28} {:>7.1} ns/run wall  {:>7} ns/run cpu  {:.3} allocations/run  ({iterations} runs, {:.2?})",
        elapsed.as_nanos() as f64 / f64::from(iterations),
        cpu.map_or("?".to_string(), |c| format!("{c:.1}")),
        allocs as f64 / f64::from(iterations),
        elapsed
    );
}

fn main() {
    let ast = parse(TYPICAL).expect("benchmark snippet parses");
    let mut symbols = Symbols::new();
    let ids = ["MRES", "RecordingStatementId", "skill", "ANI"].map(|n| symbols.intern(n));
    let program = Program::compile(&ast, &mut symbols);
    let mut vars = Vars::new(&symbols);
    let attempts = symbols.get("attempts").unwrap();
    let msg = symbols.get("msg").unwrap();
    let inputs = [["1", "st-0001", "Sales", "+15551234"], ["2", "", "Support", "+15559876"]];

    bench("typical 10-line snippet", 2_000_000, |i| {
        let input = &inputs[(i & 1) as usize];
        for (id, v) in ids.iter().zip(input) {
            vars.set(*id, v);
        }
        if i % 1000 == 0 {
            // A new contact now and then (runs are charged to the contact's work budget).
            vars.reset();
            vars.set(attempts, "0");
        }
        program.run(black_box(&mut vars)).unwrap();
    });
    println!("  last msg = {:?}", vars.get(msg));

    // Issue 12's target: a dynamic object and two function calls (a FUNCTION and left()).
    let dynamic = parse(DYNAMIC_SNIPPET).expect("benchmark snippet parses");
    let p_dyn = Program::compile(&dynamic, &mut symbols);
    vars.sync(&symbols);
    let greeting = symbols.get("greeting").unwrap();
    bench("10 lines: DYNAMIC + 2 calls", 2_000_000, |i| {
        let input = &inputs[(i & 1) as usize];
        for (id, v) in ids.iter().zip(input) {
            vars.set(*id, v);
        }
        if i % 1000 == 0 {
            vars.reset();
        }
        p_dyn.run(black_box(&mut vars)).unwrap();
    });
    println!("  last greeting = {:?}", vars.get(greeting));

    let tpl = Template::compile("Hello {ANI}, your skill is {skill}", &mut symbols);
    let mut out = String::new();
    bench("template render (2 vars)", 5_000_000, |i| {
        // Renders are charged to the contact's work budget: a new contact now and then.
        if i % 100_000 == 0 {
            vars.reset();
        }
        out.clear();
        tpl.render_into(black_box(&mut vars), &mut out);
    });

    let looped = parse("s = 0\nFOREACH x IN '1|2|3|4|5|6|7|8|9|10' {\n  s = s + x\n}").unwrap();
    let p2 = Program::compile(&looped, &mut symbols);
    vars.sync(&symbols);
    bench("FOREACH over 10 elements", 500_000, |_| {
        p2.run(black_box(&mut vars)).unwrap();
    });

    let t = Instant::now();
    let n = 20_000;
    for _ in 0..n {
        black_box(parse(black_box(TYPICAL)).unwrap());
    }
    println!(
        "{:<34} {:>8.1} µs/parse",
        "parse typical snippet",
        t.elapsed().as_secs_f64() * 1e6 / f64::from(n)
    );

    // Compile time is linear in the number of variables (issue 21, F02: it was quadratic,
    // 13.6 s for 200 000). 8x the assignments should take ~8x the time, not 64x.
    for n in [25_000_usize, 200_000] {
        let src: String = (0..n).map(|i| format!("v{i} = {i}\n")).collect();
        let ast = parse(&src).expect("parses");
        let t = Instant::now();
        let mut symbols = Symbols::new();
        let program = Program::compile(black_box(&ast), &mut symbols);
        let took = t.elapsed();
        assert_eq!(program.writes().len(), n);
        println!("{:<34} {:>8.1} ms", format!("compile {n} assignments"), took.as_secs_f64() * 1e3);
    }
}
