//! Every file a command writes (`convert -o`, `simulate --calls-out`, `snapshot --update`, ...)
//! goes through this module, so they all treat their target the same way (issue 10.8):
//!
//! - a regular file (or a path that does not exist yet) is written atomically: to a temporary
//!   file beside it, then renamed over it, keeping the old file's permissions — an interrupted
//!   run never leaves a half-written file; a read-only file is refused, not replaced;
//! - a symlink is followed: its final target is what gets replaced, the link stays a link;
//! - a FIFO, a character or block device or a socket (`/dev/stdout`, `/dev/full`, a named pipe)
//!   and `-` (standard output) are written as streams, in place;
//! - a directory is an error that names the path;
//! - no temporary file ever stays behind: dropped without [`AtomicFile::commit`] (an error) the
//!   file is removed, and a SIGINT / SIGTERM / SIGHUP handler removes the ones still open before
//!   the process dies of the signal.
//!
//! Errors name the path the user gave (`cannot write `out.json`: ...`).

use std::io::Write;
use std::path::{Path, PathBuf};

/// Write `bytes` to `path` as described in the module header.
/// Refused if `path` is an input of this run ([`AtomicFile::create`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_to(AtomicFile::create(path)?, path, bytes)
}

/// [`write_atomic`] for a command that rewrites an input in place ([`AtomicFile::replace_input`]).
pub fn write_over_input(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_to(AtomicFile::replace_input(path)?, path, bytes)
}

fn write_to(mut w: AtomicFile, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    w.write_all(bytes).map_err(|e| named(path, e))?;
    w.commit()
}

/// `cannot write `PATH`: ERROR`, keeping the error kind (`BrokenPipe` stays recognisable).
fn named(path: &Path, e: std::io::Error) -> std::io::Error {
    let text = e.to_string();
    if text.starts_with("cannot write `") {
        return e;
    }
    std::io::Error::new(e.kind(), format!("cannot write `{}`: {text}", path.display()))
}

/// An output being written. Regular files: data goes to `.<name>.tmp-<pid>-<n>` beside the
/// (symlink-resolved) target and [`commit`] renames it into place. Streams are written in
/// place and [`commit`] flushes them. Dropped without commit, a temporary file is removed.
///
/// [`commit`]: AtomicFile::commit
pub struct AtomicFile {
    /// The path as the user gave it (for messages).
    shown: PathBuf,
    sink: Sink,
}

enum Sink {
    Atomic {
        tmp: PathBuf,
        target: PathBuf,
        file: Option<std::io::BufWriter<std::fs::File>>,
        slot: Option<usize>,
    },
    Stream(std::io::BufWriter<Box<dyn Write + Send>>),
}

/// What is at a path, after following symlinks.
enum Target {
    Stdout,
    /// A regular file (with its permissions) or nothing yet.
    File(PathBuf, Option<std::fs::Permissions>),
    Stream(PathBuf),
}

/// Follow `path` through symlinks (at most 40, as the kernel) to what it finally names.
fn resolve(path: &Path) -> std::io::Result<Target> {
    if path.as_os_str() == "-" {
        return Ok(Target::Stdout);
    }
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        let meta = match std::fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Target::File(p, None)),
            Err(e) => return Err(e),
        };
        let ft = meta.file_type();
        if ft.is_symlink() {
            let link = std::fs::read_link(&p)?;
            p = match p.parent() {
                Some(dir) if link.is_relative() => dir.join(link),
                _ => link,
            };
            continue;
        }
        if ft.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "it is a directory; give a file name".to_string(),
            ));
        }
        if ft.is_file() {
            if meta.permissions().readonly() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    "the file is read-only; make it writable or write elsewhere".to_string(),
                ));
            }
            return Ok(Target::File(p, Some(meta.permissions())));
        }
        // FIFO, character / block device, socket: written in place.
        return Ok(Target::Stream(p));
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Distinguishes temporary files of one process (several outputs may be open at once).
static NEXT_TMP: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Refuse an output that is (by path, symlink or hard link) a file this run read as input: a
/// report, a calls file or a snapshot written over a script, tenant or traffic file destroys it
/// (issue 21, F08). Only the commands whose purpose is to rewrite an input in place (`lint
/// --fix`, `convert` to the same format) skip this, through [`AtomicFile::replace_input`].
fn refuse_input(path: &Path) -> std::io::Result<()> {
    match crate::source::input_named_by(path) {
        Some(input) => Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!(
                "cannot write `{}`: it is the input `{}` of this run (same file); \
                 refusing to overwrite it, write to another file",
                path.display(),
                input.display()
            ),
        )),
        None => Ok(()),
    }
}

impl AtomicFile {
    /// Open an output; refused if it is an input of this run.
    pub fn create(path: &Path) -> std::io::Result<Self> {
        refuse_input(path)?;
        Self::open(path)
    }

    /// Open an output that rewrites an input in place (`lint --fix`, same-format `convert`).
    pub fn replace_input(path: &Path) -> std::io::Result<Self> {
        Self::open(path)
    }

    fn open(path: &Path) -> std::io::Result<Self> {
        let sink = match resolve(path).map_err(|e| named(path, e))? {
            Target::Stdout => Sink::Stream(std::io::BufWriter::new(Box::new(std::io::stdout()))),
            Target::Stream(p) => {
                let f = std::fs::OpenOptions::new().write(true).open(&p).map_err(|e| named(path, e))?;
                Sink::Stream(std::io::BufWriter::new(Box::new(f)))
            }
            Target::File(target, perms) => {
                let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
                let name = target.file_name().ok_or_else(|| {
                    named(path, std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"))
                })?;
                let n = NEXT_TMP.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let tmp = dir.join(format!(".{}.tmp-{}-{n}", name.to_string_lossy(), std::process::id()));
                // Registered before it exists: a signal between create and register must not
                // leave it behind.
                let slot = cleanup::register(&tmp);
                let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp);
                let file = match file {
                    Ok(f) => f,
                    Err(e) => {
                        cleanup::unregister(slot);
                        return Err(named(path, e));
                    }
                };
                let mut sink = Sink::Atomic { tmp, target, file: None, slot };
                if let Some(perms) = perms
                    && let Err(e) = file.set_permissions(perms)
                {
                    drop(file);
                    let out = AtomicFile { shown: path.to_path_buf(), sink };
                    drop(out); // removes the temporary file
                    return Err(named(path, e));
                }
                if let Sink::Atomic { file: f, .. } = &mut sink {
                    *f = Some(std::io::BufWriter::new(file));
                }
                sink
            }
        };
        Ok(AtomicFile { shown: path.to_path_buf(), sink })
    }

    /// Finish: rename the temporary file over the target (regular files) or flush (streams).
    /// On error the temporary file is removed and the target is untouched.
    pub fn commit(mut self) -> std::io::Result<()> {
        let shown = self.shown.clone();
        let result = match &mut self.sink {
            Sink::Stream(w) => w.flush(),
            Sink::Atomic { tmp, target, file, .. } => {
                let w = file.take().expect("not committed twice");
                let done = w
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .and_then(|f| f.sync_all())
                    .and_then(|()| std::fs::rename(&*tmp, &*target));
                if done.is_err() {
                    let _ = std::fs::remove_file(&*tmp);
                }
                done
            }
        };
        result.map_err(|e| named(&shown, e))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.sink {
            Sink::Atomic { file, .. } => file.as_mut().expect("open").write(buf),
            Sink::Stream(w) => w.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.sink {
            Sink::Atomic { file, .. } => file.as_mut().expect("open").flush(),
            Sink::Stream(w) => w.flush(),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Sink::Atomic { tmp, file, slot, .. } = &mut self.sink {
            // Not committed (an error, a panic): the target stays as it was.
            if file.take().is_some() {
                let _ = std::fs::remove_file(&*tmp);
            }
            cleanup::unregister(slot.take());
        }
    }
}

/// Removal of temporary files when the process is killed by SIGINT / SIGTERM / SIGHUP. The
/// handler may only do async-signal-safe work: it reads a fixed table of C strings (atomic
/// pointers, never freed while registered) and calls `unlink(2)` on each, then re-raises the
/// signal with its default action so the exit status still says "killed by signal".
#[cfg(unix)]
mod cleanup {
    use std::ffi::{CString, c_char, c_int};
    use std::sync::Once;
    use std::sync::atomic::{AtomicPtr, Ordering};

    /// Temporary files open at once (a command writes one or two outputs).
    const SLOTS: usize = 16;
    static PATHS: [AtomicPtr<c_char>; SLOTS] = [const { AtomicPtr::new(std::ptr::null_mut()) }; SLOTS];
    static INSTALL: Once = Once::new();
    const SIGNALS: [c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

    extern "C" fn on_signal(sig: c_int) {
        for slot in &PATHS {
            let p = slot.load(Ordering::SeqCst);
            if !p.is_null() {
                // SAFETY: `p` came from `CString::into_raw` and is never freed (see
                // `unregister`); unlink is async-signal-safe.
                unsafe { libc::unlink(p) };
            }
        }
        // SAFETY: signal and raise are async-signal-safe; default action = die of `sig`.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }

    fn install() {
        INSTALL.call_once(|| {
            for sig in SIGNALS {
                // SAFETY: installs a handler that only does async-signal-safe work; a signal
                // the user asked to ignore (e.g. `nohup`) stays ignored.
                unsafe {
                    let old = libc::signal(sig, on_signal as *const () as libc::sighandler_t);
                    if old == libc::SIG_IGN {
                        libc::signal(sig, libc::SIG_IGN);
                    }
                }
            }
        });
    }

    /// Register `path` for removal on a signal; `None` when the table is full (the file is
    /// still removed on error by `Drop`, only not on a signal).
    pub fn register(path: &std::path::Path) -> Option<usize> {
        use std::os::unix::ffi::OsStrExt;
        install();
        let c = CString::new(path.as_os_str().as_bytes()).ok()?.into_raw();
        for (i, slot) in PATHS.iter().enumerate() {
            if slot.compare_exchange(std::ptr::null_mut(), c, Ordering::SeqCst, Ordering::SeqCst).is_ok() {
                return Some(i);
            }
        }
        // SAFETY: `c` came from `into_raw` above and was not stored anywhere.
        drop(unsafe { CString::from_raw(c) });
        None
    }

    pub fn unregister(slot: Option<usize>) {
        let Some(i) = slot else { return };
        // The string is not freed: a handler running on another thread may still be reading
        // it. A few bytes per output file, a handful of files per process.
        PATHS[i].store(std::ptr::null_mut(), Ordering::SeqCst);
    }
}

#[cfg(not(unix))]
mod cleanup {
    pub fn register(_: &std::path::Path) -> Option<usize> {
        None
    }
    pub fn unregister(_: Option<usize>) {}
}
