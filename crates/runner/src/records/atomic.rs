//! Writing a file so that a crash leaves either the old state or the whole new file.

use std::path::Path;

use crate::error::CliError;

/// Writes `text` to `path` through a hidden temporary file (`.<name>.tmp-<pid>`) and a rename.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), CliError> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, text)
        .map_err(|e| CliError::Runtime(format!("{}: cannot write: {e}", tmp.display())))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        CliError::Runtime(format!("{}: cannot rename into place: {e}", path.display()))
    })
}
