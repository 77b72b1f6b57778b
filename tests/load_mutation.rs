//! Mutation test: thousands of mutated scripts (byte flips, insertions, deletions, truncations,
//! spliced slices of the `scripts/` examples and inline fixtures) go through `load_str`, with
//! a fixed-seed PRNG so every run sees the same inputs. Loading must never panic, and every
//! error it returns must render.

mod common;

use recflow::script;

/// xorshift64*: tiny, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

/// Fragments that steer mutants into interesting YAML: structure, quoting, anchors, scalars
/// the loader interprets (booleans, numbers, null), block scalars, non-ASCII.
const TOKENS: &[&str] = &[
    ":",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\"",
    "'",
    "|",
    ">",
    "\n",
    "  ",
    "\t",
    "#",
    "&a ",
    "*a",
    "<<: ",
    "!!str ",
    "~",
    "null",
    "on",
    "yes",
    "2",
    "-1",
    "1e309",
    ".nan",
    "0x1F",
    "\\",
    "\\u00e9",
    "é",
    "🎧",
    "\u{0}",
    "\r\n",
    "---\n",
    "id: ",
    "type: ",
    "next: ",
    "branches: ",
    "properties: ",
    "default",
    "Error",
    "BEGIN",
    "MENU",
    "SNIPPET",
    "Data: |\n  ",
    "INDICATE",
    "Parameters: [",
];

const FIXTURES: &[&str] = &[
    "script: t\nactions:\n  - {id: 1, type: BEGIN, next: 2}\n  - {id: 2, type: HANGUP}\n",
    "script: s\nactions:\n  - id: b\n    type: BEGIN\n    next: s\n  - id: s\n    type: SNIPPET\n    properties:\n      Data: |\n        ASSIGN x = \"a\\tb\"\n        IF x = 1 {\n          TRACE x\n        }\n    branches: {default: e, Error: e}\n  - {id: e, type: END}\n",
    "script: i\nactions:\n  - {id: b, type: BEGIN, next: i}\n  - id: i\n    type: Indicate\n    properties: {Name: x, State: off, Parameters: [a, 'b''c', \"d\\n\"], Tooltip: t}\n    allow: [{rule: C001, reason: ok}]\n",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(7) {
            0 if !v.is_empty() => {
                let i = at.min(v.len() - 1);
                v[i] ^= 1 << rng.below(8);
            }
            1 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                v.splice(at..at, t.iter().copied());
            }
            2 => {
                let end = (at + 1 + rng.below(16)).min(v.len());
                v.drain(at.min(end)..end);
            }
            3 => v.truncate(at),
            4 => {
                // Duplicate a slice elsewhere (repeated keys, actions, brackets).
                let a = rng.below(v.len() + 1);
                let b = (a + rng.below(64)).min(v.len());
                let slice = v[a..b].to_vec();
                let at = at.min(v.len());
                v.splice(at..at, slice);
            }
            5 if !v.is_empty() => {
                let i = at.min(v.len() - 1);
                v[i] = rng.below(256) as u8;
            }
            _ => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let end = (at + t.len()).min(v.len());
                v.splice(at..end, t.iter().copied());
            }
        }
    }
    v
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for p in common::single_examples() {
        out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
    }
    for (i, f) in FIXTURES.iter().enumerate() {
        out.push((format!("fixture-{i}.yaml"), f.as_bytes().to_vec()));
    }
    out
}

#[test]
fn mutated_scripts_never_panic() {
    let corpus = corpus();
    assert!(corpus.len() >= 4);
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let (mut ok, mut err) = (0, 0);
    for i in 0..3_000 {
        let (name, base) = &corpus[i % corpus.len()];
        let bytes = mutate(&mut rng, base);
        let text = String::from_utf8_lossy(&bytes);
        let result = std::panic::catch_unwind(|| match script::load_str(name, &text) {
            Ok(s) => {
                // A loaded script upholds its invariants.
                let _ = s.begin();
                for a in &s.actions {
                    for b in &a.branches {
                        if let Some(t) = b.target {
                            assert!(t.index() < s.actions.len());
                        }
                    }
                }
                true
            }
            Err(e) => {
                assert!(!e.errors.is_empty());
                let _ = e.render_plain(100);
                false
            }
        });
        match result {
            Ok(true) => ok += 1,
            Ok(false) => err += 1,
            Err(_) => panic!("mutant {i} of {name} panicked; input:\n{text:?}"),
        }
    }
    // The mutations exercise both paths.
    assert!(ok > 100 && err > 1_000, "ok {ok}, err {err}");
}

/// Huge, tiny, negative, non-finite and boundary numbers for every number of a tenant or
/// traffic file (issue 10): loading refuses or accepts, never panics; what loads simulates,
/// and no contact's clock wraps (each step is at most 10 years, a contact at most 10 000 steps).
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1e-308",
    "5e-324",
    "0.0000001",
    "1e18",
    "1e300",
    "1e309",
    "-1e300",
    ".inf",
    "-.inf",
    ".nan",
    "65536",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999",
    "315576000",
    "315576000.001",
];

/// Replace the `k`-th run of digits (with sign, point and exponent) in `text` by `with`.
fn replace_number(text: &str, k: usize, with: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut seen = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'+')) {
            let mut j = i;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.' || b[j] == b'e') {
                j += 1;
            }
            if seen == k {
                return Some(format!("{}{with}{}", &text[..i], &text[j..]));
            }
            seen += 1;
            i = j;
        } else {
            i += 1;
        }
    }
    None
}

#[test]
fn tenant_and_traffic_with_huge_and_tiny_numbers_never_panic_or_wrap() {
    let script = script::load_path("scripts/consent-gdpr.yaml".as_ref()).unwrap();
    let mut rng = Rng(0x5EED_0010_0002);
    let files: Vec<(String, String)> = [
        "examples/tenant-sales-qa.yaml",
        "examples/tenant-dnr-outbound.yaml",
        "examples/traffic-busy-day.yaml",
        "examples/traffic-short-calls.yaml",
    ]
    .iter()
    .map(|p| (p.to_string(), std::fs::read_to_string(p).unwrap()))
    .collect();
    let (mut loaded, mut refused) = (0, 0);
    for round in 0..600 {
        let (name, base) = &files[round % files.len()];
        // One to three numbers replaced.
        let mut text = base.clone();
        for _ in 0..1 + rng.below(3) {
            let with = NUMBERS[rng.below(NUMBERS.len())];
            if let Some(t) = replace_number(&text, rng.below(40), with) {
                text = t;
            }
        }
        let outcome = std::panic::catch_unwind(|| {
            let (tenant, traffic) = if name.contains("tenant") {
                match recflow::model::parse_tenant(name, &text, Some(&script)) {
                    Ok((t, _)) => (t, recflow::model::Traffic::default()),
                    Err(e) => return (false, e.render_plain(100)),
                }
            } else {
                match recflow::model::parse_traffic(name, &text, &script) {
                    Ok(t) => (recflow::model::Tenant::default(), t),
                    Err(e) => return (false, e.render_plain(100)),
                }
            };
            let p = recflow::sim::Compiled::compile(&script, &tenant, &traffic);
            for id in 0..3 {
                let o = recflow::sim::driver::one(&p, id);
                assert!(o.duration_ms < 1 << 52, "contact {id} clock: {} ms", o.duration_ms);
            }
            (true, String::new())
        });
        match outcome {
            Ok((true, _)) => loaded += 1,
            Ok((false, rendered)) => {
                assert!(!rendered.is_empty());
                refused += 1;
            }
            Err(_) => panic!("round {round} of {name} panicked; input:\n{text}"),
        }
    }
    assert!(loaded > 50 && refused > 50, "loaded {loaded}, refused {refused}");
}
