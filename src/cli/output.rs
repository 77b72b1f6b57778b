//! Output files are written atomically: to a temporary file in the same directory, then
//! renamed over the target, so an interrupted run never leaves a half-written file.

use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` atomically (temp file + rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut w = AtomicFile::create(path)?;
    w.write_all(bytes)?;
    w.commit()
}

/// A file being written: data goes to `<name>.tmp-<pid>` beside the target; [`commit`]
/// renames it into place. Dropped without commit (error, Ctrl-C unwinding), the temp file is
/// removed.
///
/// [`commit`]: AtomicFile::commit
pub struct AtomicFile {
    tmp: std::path::PathBuf,
    target: std::path::PathBuf,
    file: Option<std::io::BufWriter<std::fs::File>>,
}

impl AtomicFile {
    pub fn create(target: &Path) -> std::io::Result<Self> {
        let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = target.file_name().ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("`{}` is not a file name", target.display()),
            )
        })?;
        let tmp = dir.join(format!(".{}.tmp-{}", name.to_string_lossy(), std::process::id()));
        let file = std::fs::File::create(&tmp)?;
        Ok(AtomicFile { tmp, target: target.to_path_buf(), file: Some(std::io::BufWriter::new(file)) })
    }

    /// Path of the temporary file (so a Ctrl-C handler can remove it).
    pub fn temp_path(&self) -> &Path {
        &self.tmp
    }

    pub fn commit(mut self) -> std::io::Result<()> {
        let file = self.file.take().expect("not committed twice");
        let file = file.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&self.tmp, &self.target)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.as_mut().expect("open").write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.as_mut().expect("open").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
