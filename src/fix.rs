//! fix: `folio check --fix` applies the safe fixes the lints attached to their diagnostics.
//!
//! Input: the diagnostics of a `check` run (their spans point into the loaded sources) and the book
//! folder. Output: the chapter files rewritten atomically, and one line per change. Fixes never
//! overlap: where two would, the later one is left for the next run.

use crate::diag::{Diagnostics, Span};
use crate::files::FileError;
use std::collections::BTreeMap;
use std::path::Path;

/// Apply every fix in `diags` to the files under `root`; returns `file:line:col: old → new` lines.
pub fn apply(root: &Path, diags: &Diagnostics) -> Result<Vec<String>, FileError> {
    let mut by_file: BTreeMap<_, Vec<(&Span, &str)>> = BTreeMap::new();
    for d in diags.items() {
        if let Some(fix) = &d.fix {
            let (span, with) = &**fix;
            by_file
                .entry(span.file)
                .or_default()
                .push((span, with.as_str()));
        }
    }
    let mut log = Vec::new();
    for (file, mut fixes) in by_file {
        let source = diags.sources.get(file);
        let path = root.join(&source.name);
        // The loaded text is normalised (no BOM, LF line ends): fix only files stored exactly so.
        if crate::files::read_bytes(&path)? != source.text.as_bytes() {
            log.push(format!(
                "{}: not fixed (CRLF line ends, a BOM or control characters would change)",
                source.name.display()
            ));
            continue;
        }
        fixes.sort_by_key(|(s, _)| (s.range.start, s.range.end));
        let mut text = String::with_capacity(source.text.len());
        let mut at = 0;
        for (span, with) in fixes {
            let r = span.range.clone();
            if r.start < at || r.end > source.text.len() || !source.text.is_char_boundary(r.start) {
                continue;
            }
            text.push_str(&source.text[at..r.start]);
            text.push_str(with);
            log.push(format!(
                "{}: `{}` → `{with}`",
                diags.sources.locate(span),
                &source.text[r.clone()]
            ));
            at = r.end;
        }
        text.push_str(&source.text[at..]);
        crate::files::write_atomic(&path, text.as_bytes())?;
    }
    Ok(log)
}
