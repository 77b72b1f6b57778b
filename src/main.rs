//! Thin binary: all logic lives in the library (`recflow::cli`).
fn main() -> std::process::ExitCode {
    recflow::cli::main()
}
