//! Diagnostics: every stage reports problems as data into one [`Diagnostics`] sink.
//!
//! Input: [`Span`]s (a file and a byte range) attached by the stage that found the problem.
//! Output: [`Diagnostic`]s, rendered by [`Diagnostics::render`] as `file:line:col: severity: message`
//! with the source line and a marker under the spot, the way rustc and Typst print them.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One loaded source text (book.toml, a chapter, a .bib file), kept so messages can quote it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the book root, as shown in messages (`content/01-ardm.md`).
    pub name: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: impl Into<PathBuf>, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count();
        (line + 1, col + 1)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Index of a [`SourceFile`] in the [`Sources`] table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A place in a source file: a byte range.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub range: Range<usize>,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Self { file, range }
    }
}

/// Every source text loaded for the book, so diagnostics can point into them.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// `content/01-ardm.md:12:7` for the start of a span.
    pub fn locate(&self, span: &Span) -> String {
        let file = self.get(span.file);
        let (line, col) = file.line_col(span.range.start);
        format!("{}:{line}:{col}", file.name.display())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Where the problem is; `None` for problems with no place (a missing font on the system).
    pub span: Option<Span>,
    /// A file without a position in it (a font file, an image that is not text).
    pub path: Option<PathBuf>,
    pub message: String,
    pub hints: Vec<String>,
    /// A safe mechanical fix: replace the text of this span with this string (`folio check --fix`).
    /// Boxed: most diagnostics have none, and the type travels in `Result`s.
    pub fix: Option<Box<(Span, String)>>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            span: None,
            path: None,
            message: message.into(),
            hints: Vec::new(),
            fix: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(message)
        }
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn in_file(mut self, path: impl AsRef<Path>) -> Self {
        self.path = Some(path.as_ref().to_path_buf());
        self
    }

    /// Attach a safe fix: `span`'s text becomes `replacement`.
    pub fn fix(mut self, span: Span, replacement: impl Into<String>) -> Self {
        self.fix = Some(Box::new((span, replacement.into())));
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

/// The one sink every stage reports into.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub sources: Sources,
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// Turn every warning into an error (`folio check` is strict).
    pub fn promote_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    /// Diagnostics in a stable order: by file, then position, then message.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                (
                    d.span.as_ref().map(|s| (s.file, s.range.start)),
                    d.path.clone(),
                )
            };
            key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
        });
        v.dedup();
        v
    }

    /// `file:line:col: error: message`, the source line, a caret line and hints.
    pub fn render(&self, d: &Diagnostic, color: bool) -> String {
        let (red, yellow, blue, bold, reset) = if color {
            ("\x1b[31m", "\x1b[33m", "\x1b[34m", "\x1b[1m", "\x1b[0m")
        } else {
            ("", "", "", "", "")
        };
        let (label, tint) = match d.severity {
            Severity::Error => ("error", red),
            Severity::Warning => ("warning", yellow),
        };
        let mut out = String::new();
        let place = match (&d.span, &d.path) {
            (Some(span), _) => format!("{}: ", self.sources.locate(span)),
            (None, Some(path)) => format!("{}: ", path.display()),
            (None, None) => String::new(),
        };
        let _ = writeln!(
            out,
            "{bold}{place}{tint}{label}{reset}{bold}: {}{reset}",
            d.message
        );
        if let Some(span) = &d.span {
            let file = self.sources.get(span.file);
            let (line, col) = file.line_col(span.range.start);
            let text = file.line_text(line);
            let (end_line, end_col) = file.line_col(span.range.end.max(span.range.start));
            let width = if end_line == line {
                end_col.saturating_sub(col).max(1)
            } else {
                1
            };
            let gutter = line.to_string().len();
            // Wide (CJK) characters take two terminal columns: widen the pad and the marker to match.
            let pad_wide: String = text
                .chars()
                .take(col - 1)
                .map(|c| if is_wide(c) { "  " } else { " " })
                .collect();
            let marker_wide: usize = text
                .chars()
                .skip(col - 1)
                .take(width)
                .map(|c| if is_wide(c) { 2 } else { 1 })
                .sum::<usize>()
                .max(1);
            let _ = writeln!(out, "{blue}{:gutter$} |{reset}", "");
            let _ = writeln!(out, "{blue}{line:>gutter$} |{reset} {text}");
            let _ = writeln!(
                out,
                "{blue}{:gutter$} |{reset} {pad_wide}{tint}{}{reset}",
                "",
                "^".repeat(marker_wide)
            );
        }
        for h in &d.hints {
            let _ = writeln!(out, "  {blue}= hint:{reset} {h}");
        }
        out
    }

    /// Every diagnostic as one JSON array (for editors and CI): severity, file, 1-based line and column
    /// of the start and end, message, hints. Objects without a place have `file`/`line` null.
    pub fn to_json(&self) -> String {
        let mut out = String::from("[");
        for (i, d) in self.sorted().into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = write!(out, "\n  {{\"severity\":\"{severity}\",");
            match (&d.span, &d.path) {
                (Some(span), _) => {
                    let f = self.sources.get(span.file);
                    let (l, c) = f.line_col(span.range.start);
                    let (el, ec) = f.line_col(span.range.end);
                    let _ = write!(
                        out,
                        "\"file\":{},\"line\":{l},\"column\":{c},\"end_line\":{el},\"end_column\":{ec},",
                        json_str(&f.name.to_string_lossy())
                    );
                }
                (None, Some(p)) => {
                    let _ = write!(
                        out,
                        "\"file\":{},\"line\":null,\"column\":null,",
                        json_str(&p.to_string_lossy())
                    );
                }
                (None, None) => out.push_str("\"file\":null,\"line\":null,\"column\":null,"),
            }
            let hints: Vec<String> = d.hints.iter().map(|h| json_str(h)).collect();
            let _ = write!(
                out,
                "\"message\":{},\"hints\":[{}]}}",
                json_str(&d.message),
                hints.join(",")
            );
        }
        out.push_str(if out.len() > 1 { "\n]\n" } else { "]\n" });
        out
    }

    /// `2 errors, 5 warnings`.
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("1 {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        format!(
            "{}, {}",
            plural(self.count(Severity::Error), "error"),
            plural(self.count(Severity::Warning), "warning")
        )
    }
}

/// A JSON string literal.
fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// East Asian wide or full-width characters, which take two terminal columns.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let f = SourceFile::new("a.md", "第一行\n中文 [@key]\n".to_string());
        let off = f.text.find("[@").unwrap();
        assert_eq!(f.line_col(off), (2, 4));
        assert_eq!(f.line_text(2), "中文 [@key]");
    }

    #[test]
    fn render_points_under_the_spot() {
        let mut d = Diagnostics::default();
        let id = d.sources.add(SourceFile::new(
            "content/a.md",
            "中文[@kye]。\n".to_string(),
        ));
        let start = "中文".len();
        let diag = Diagnostic::warning("unknown citation key 'kye'")
            .at(Span::new(id, start..start + "[@kye]".len()))
            .hint("did you mean 'key'?");
        let text = d.render(&diag, false);
        assert_eq!(
            text,
            "content/a.md:1:3: warning: unknown citation key 'kye'\n  |\n1 | 中文[@kye]。\n  |     ^^^^^^\n  = hint: did you mean 'key'?\n"
        );
    }

    #[test]
    fn json_lists_places_and_escapes() {
        let mut d = Diagnostics::default();
        let id = d
            .sources
            .add(SourceFile::new("a.md", "一\n二 \"x\"\n".to_string()));
        d.push(
            Diagnostic::warning("bad \"quote\"")
                .at(Span::new(id, 4..7))
                .hint("fix\tit"),
        );
        d.push(Diagnostic::error("no place"));
        assert_eq!(
            d.to_json(),
            "[\n  {\"severity\":\"error\",\"file\":null,\"line\":null,\"column\":null,\"message\":\"no place\",\"hints\":[]},\n  {\"severity\":\"warning\",\"file\":\"a.md\",\"line\":2,\"column\":1,\"end_line\":2,\"end_column\":2,\"message\":\"bad \\\"quote\\\"\",\"hints\":[\"fix\\tit\"]}\n]\n"
        );
        assert_eq!(Diagnostics::default().to_json(), "[]\n");
    }

    #[test]
    fn summary_counts() {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::error("a"));
        d.push(Diagnostic::warning("b"));
        d.push(Diagnostic::warning("c"));
        assert_eq!(d.summary(), "1 error, 2 warnings");
    }
}
