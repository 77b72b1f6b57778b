//! Helpers shared by several integration tests (`mod common;`).

use std::path::{Path, PathBuf};

/// Every script file (`.yaml`, `.yml`, `.json`) below `dir`, sorted, so that new examples are
/// covered by the tests that walk them without editing the tests.
pub fn script_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml" | "json")) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Every file of the bundled `scripts/` folder (YAML and Studio JSON).
#[allow(dead_code)] // not every test binary that includes `common` walks the examples
pub fn example_scripts() -> Vec<PathBuf> {
    script_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts"))
}
