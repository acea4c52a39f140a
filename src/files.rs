//! files: the one door for reading the book's inputs and writing its outputs.
//!
//! Input: paths inside the book (content, templates, images, bibliographies) or named by book.toml (fonts).
//! Output: text checked to be UTF-8 (with a BOM removed and CRLF turned into LF), bytes, and outputs
//! written atomically (a temporary file in the output folder, then a rename), so a failed build never
//! leaves a half-written file or loses the previous good one.

use crate::diag::{Diagnostic, SourceFile, Sources, Span};
use std::io::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{col}: invalid UTF-8 (byte 0x{byte:02X}); save the file as UTF-8", path.display())]
    Utf8 {
        path: PathBuf,
        line: usize,
        col: usize,
        byte: u8,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl FileError {
    /// A diagnostic naming `shown` (the path relative to the book) instead of the absolute path.
    pub fn into_diagnostic(self, shown: &Path) -> Diagnostic {
        match self {
            FileError::Read { source, .. } => {
                Diagnostic::error(format!("cannot read {}: {source}", shown.display()))
                    .in_file(shown)
            }
            FileError::Utf8 {
                line, col, byte, ..
            } => Diagnostic::error(format!(
                "{}:{line}:{col}: invalid UTF-8 (byte 0x{byte:02X})",
                shown.display()
            ))
            .hint("save the file as UTF-8"),
            FileError::Write { source, path } => {
                Diagnostic::error(format!("cannot write {}: {source}", path.display()))
            }
        }
    }
}

impl FileError {
    /// Like [`FileError::into_diagnostic`], but invalid UTF-8 is shown in place: the file joins `sources`
    /// decoded lossily (bad bytes as U+FFFD), so the message quotes the line and marks the byte.
    pub fn report(self, shown: &Path, sources: &mut Sources) -> Diagnostic {
        let FileError::Utf8 {
            path,
            line,
            col,
            byte,
        } = &self
        else {
            return self.into_diagnostic(shown);
        };
        let Ok(bytes) = std::fs::read(path) else {
            return self.into_diagnostic(shown);
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let line_start: usize = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum();
        let at = text[line_start..]
            .char_indices()
            .nth(col - 1)
            .map_or(text.len(), |(i, _)| line_start + i);
        let message = format!("invalid UTF-8 (byte 0x{byte:02X})");
        let file = sources.add(SourceFile::new(shown, text));
        Diagnostic::error(message)
            .at(Span::new(file, at..at + '\u{FFFD}'.len_utf8()))
            .hint("save the file as UTF-8")
    }
}

pub fn read_bytes(path: &Path) -> Result<Vec<u8>, FileError> {
    std::fs::read(path).map_err(|source| FileError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Read a text file: it must be UTF-8; a leading BOM is dropped and CRLF/CR line ends become LF.
pub fn read_text(path: &Path) -> Result<String, FileError> {
    let bytes = read_bytes(path)?;
    decode_text(bytes).map_err(|(line, col, byte)| FileError::Utf8 {
        path: path.to_path_buf(),
        line,
        col,
        byte,
    })
}

/// UTF-8 decoding with the place of the first bad byte as (line, column, byte).
pub fn decode_text(bytes: Vec<u8>) -> Result<String, (usize, usize, u8)> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let good = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
            let line = good.matches('\n').count() + 1;
            let col = good.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            return Err((line, col, bytes[at]));
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

pub fn exists(path: &Path) -> bool {
    path.exists()
}

/// List the `*.md` files of a folder, sorted by name.
pub fn markdown_files(dir: &Path) -> Result<Vec<PathBuf>, FileError> {
    let rd = std::fs::read_dir(dir).map_err(|source| FileError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut v: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "md"))
        .collect();
    v.sort();
    Ok(v)
}

/// Write `bytes` to `path` atomically: a temporary file beside it, flushed, then renamed over it.
/// On failure the temporary file is removed and any earlier file at `path` is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let err = |source| FileError::Write {
        path: path.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(err)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(err(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_errors_say_where() {
        let bytes = b"ok\n\xe4\xb8\xad\xff".to_vec();
        assert_eq!(decode_text(bytes), Err((2, 2, 0xff)));
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let bytes = "\u{feff}a\r\nb\rc".as_bytes().to_vec();
        assert_eq!(decode_text(bytes).unwrap(), "a\nb\nc");
    }
}
