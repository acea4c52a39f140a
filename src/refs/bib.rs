//! Loading bibliography files (BibTeX/BibLaTeX `.bib`, hayagriva `.yml`/`.yaml`) into one library.
//!
//! Every file is added to the diagnostics' source table so that errors point into it. A malformed `.bib`
//! entry is reported at its line and skipped; the other entries of the file still load.

use crate::config::Settings;
use crate::diag::{Diagnostic, Diagnostics, FileId, SourceFile, Span};
use crate::files;
use biblatex::ChunksExt as _;
use hayagriva::Entry;
use std::collections::HashMap;
use std::path::Path;

/// Every loaded entry by key, with where it came from.
#[derive(Default)]
pub(crate) struct Bib {
    pub entries: HashMap<String, Loaded>,
    /// Keys in file order (for stable "unused" reports and suggestions).
    pub order: Vec<String>,
}

pub(crate) struct Loaded {
    pub entry: Entry,
    /// The entry's place in its file (its key), for messages about the entry.
    pub span: Span,
    /// `langid`/`language` as written in a .bib file (hayagriva drops values it cannot parse).
    pub lang_field: Option<String>,
}

impl Bib {
    pub fn get(&self, key: &str) -> Option<&Loaded> {
        self.entries.get(key)
    }
}

pub(crate) fn load(settings: &Settings, diags: &mut Diagnostics) -> Bib {
    let mut bib = Bib::default();
    for rel in &settings.content.bibliography {
        let abs = settings.root.join(rel);
        let text = match files::read_text(&abs) {
            Ok(t) => t,
            Err(e) => {
                diags.push(e.into_diagnostic(rel));
                continue;
            }
        };
        let file = diags
            .sources
            .add(SourceFile::new(rel.clone(), text.clone()));
        let loaded = match extension(rel).as_str() {
            "yml" | "yaml" => load_yaml(&text, file, diags),
            "bib" | "bibtex" | "biblatex" => load_bib(&text, file, diags),
            other => {
                diags.push(
                    Diagnostic::error(format!(
                        "bibliography {}: unknown format '.{other}'",
                        rel.display()
                    ))
                    .in_file(rel)
                    .hint("use a BibTeX/BibLaTeX .bib file or a hayagriva .yml file"),
                );
                continue;
            }
        };
        for (key, l) in loaded {
            if let Some(prev) = bib.entries.get(&key) {
                let place = diags.sources.locate(&prev.span);
                diags.push(
                    Diagnostic::warning(format!("duplicate bibliography key '{key}'"))
                        .at(l.span.clone())
                        .hint(format!("the first definition at {place} is used")),
                );
                continue;
            }
            bib.order.push(key.clone());
            bib.entries.insert(key, l);
        }
    }
    bib
}

fn extension(p: &Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn load_yaml(text: &str, file: FileId, diags: &mut Diagnostics) -> Vec<(String, Loaded)> {
    match hayagriva::io::from_yaml_str(text) {
        Ok(lib) => lib
            .iter()
            .map(|e| {
                let span = key_span(text, file, e.key(), false);
                (
                    e.key().to_string(),
                    Loaded {
                        entry: e.clone(),
                        span,
                        lang_field: None,
                    },
                )
            })
            .collect(),
        Err(err) => {
            let at = err.location().map(|l| l.index()).unwrap_or(0);
            diags.push(
                Diagnostic::error(format!("malformed bibliography entry: {err}"))
                    .at(Span::new(file, at..at + 1)),
            );
            Vec::new()
        }
    }
}

fn load_bib(text: &str, file: FileId, diags: &mut Diagnostics) -> Vec<(String, Loaded)> {
    match biblatex::Bibliography::parse(text) {
        Ok(b) => convert(&b, text, 0, file, diags),
        Err(err) => {
            // Recover entry by entry so the rest of the file still loads; each broken entry is reported.
            let before = diags.items().len();
            let out = recover(text, file, diags);
            if diags.items().len() == before {
                let at = err.span.start.min(text.len());
                diags.push(
                    Diagnostic::error(format!("malformed bibliography: {}", err.kind))
                        .at(Span::new(file, at..err.span.end.clamp(at, text.len()))),
                );
            }
            out
        }
    }
}

/// Parse each `@…` chunk on its own (with the file's `@string` definitions in front), so one broken entry
/// costs only itself.
fn recover(text: &str, file: FileId, diags: &mut Diagnostics) -> Vec<(String, Loaded)> {
    let starts: Vec<usize> = chunk_starts(text);
    let mut defs = String::new();
    let mut out = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let chunk = &text[start..end];
        let is_string = chunk
            .get(1..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("string"));
        let src = format!("{defs}{chunk}");
        match biblatex::Bibliography::parse(&src) {
            Ok(b) => {
                if is_string {
                    defs.push_str(chunk);
                    defs.push('\n');
                } else {
                    // Spans of `src` map back to the file: `src[defs.len()..]` is `text[start..]`.
                    let shift = start as isize - defs.len() as isize;
                    out.extend(convert(&b, &src, shift, file, diags));
                }
            }
            Err(err) => {
                // An error at the chunk's end (an unclosed brace: "unexpected end of file") belongs to
                // the entry, so point at its `@` line.
                let at = err.span.start.saturating_sub(defs.len()) + start;
                let at = if at >= start + chunk.trim_end().len() {
                    start
                } else {
                    at
                };
                diags.push(
                    Diagnostic::error(format!("malformed bibliography entry: {}", err.kind))
                        .at(Span::new(file, at..(at + 1).min(text.len().max(1)))),
                );
            }
        }
    }
    out
}

/// Byte offsets of every `@` that starts a line (after blanks).
fn chunk_starts(text: &str) -> Vec<usize> {
    let mut v = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('@') {
            v.push(line_start + (line.len() - trimmed.len()));
        }
        line_start += line.len();
    }
    v
}

/// biblatex entries → hayagriva entries. `shift` maps an offset in `src` to one in the file.
fn convert(
    b: &biblatex::Bibliography,
    src: &str,
    shift: isize,
    file: FileId,
    diags: &mut Diagnostics,
) -> Vec<(String, Loaded)> {
    let map = |o: usize| (o as isize + shift).max(0) as usize;
    let mut out = Vec::new();
    for e in b.iter() {
        let key_at = key_span(src, file, &e.key, true);
        let span = Span::new(file, map(key_at.range.start)..map(key_at.range.end));
        match Entry::try_from(e) {
            Ok(mut entry) => {
                arxiv_fields(&mut entry);
                let lang_field = ["langid", "language"]
                    .iter()
                    .find_map(|f| e.get(f).map(|c| c.format_verbatim()));
                out.push((
                    e.key.clone(),
                    Loaded {
                        entry,
                        span,
                        lang_field,
                    },
                ));
            }
            Err(err) => {
                let (s, t) = (map(err.span.start), map(err.span.end.max(err.span.start)));
                diags.push(
                    Diagnostic::error(format!(
                        "malformed bibliography entry '{}': {}",
                        e.key, err.kind
                    ))
                    .at(Span::new(file, s..t.max(s + 1))),
                );
            }
        }
    }
    out
}

/// Where an entry's key is written: `{key,` in a .bib file, `key:` at a line start in YAML.
fn key_span(text: &str, file: FileId, key: &str, bib: bool) -> Span {
    let found = if bib {
        text.match_indices(key).find(|(i, _)| {
            text[..*i].trim_end().ends_with(['{', '('])
                && text[i + key.len()..].trim_start().starts_with(',')
        })
    } else {
        text.match_indices(key).find(|(i, _)| {
            (*i == 0 || text[..*i].ends_with('\n'))
                && text[i + key.len()..].trim_start().starts_with(':')
        })
    };
    let start = found.map(|(i, _)| i).unwrap_or(0);
    Span::new(
        file,
        start..start + if found.is_some() { key.len() } else { 0 },
    )
}

/// An arXiv preprint (`eprint` + `archivePrefix = {arXiv}`): no CSL variable carries the identifier, so
/// give it as the entry's number (`arXiv:2110.02037`).
fn arxiv_fields(entry: &mut Entry) {
    let Some(id) = entry.arxiv().map(str::to_string) else {
        return;
    };
    if entry.keyed_serial_number("serial").is_none() {
        entry.set_keyed_serial_number("serial", format!("arXiv:{id}"));
    }
}
