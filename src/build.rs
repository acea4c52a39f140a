//! build: the pipeline from a book folder to its outputs, stage by stage.
//!
//! Input: a [`BuildRequest`]. Output: the files written (atomically, and only when no stage reported an
//! error), or `None`; every problem goes into the [`Diagnostics`] sink. `folio check` runs the same stages
//! with `write: false`.

use crate::config::{self, Overrides};
use crate::diag::{Diagnostic, Diagnostics};
use crate::doc::Document;
use crate::fonts::{FontSet, Role};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Epub,
    Pdf,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Epub, Format::Pdf];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Epub => "epub",
            Format::Pdf => "pdf",
        }
    }
}

#[derive(Debug, Clone)]
pub struct BuildRequest {
    pub root: PathBuf,
    pub overrides: Overrides,
    /// Empty means every format.
    pub formats: Vec<Format>,
    /// `false` for `folio check`: run every stage, write nothing.
    pub write: bool,
}

#[derive(Debug, Default)]
pub struct Outputs {
    pub written: Vec<PathBuf>,
    /// Which face each font role uses and where it came from (`serif: Noto Serif CJK SC (fonts/…)`).
    pub fonts: Vec<String>,
}

/// Run the pipeline. `stage` is told what is happening (for a progress display).
pub fn build(
    req: &BuildRequest,
    diags: &mut Diagnostics,
    stage: &mut dyn FnMut(&str),
) -> Option<Outputs> {
    stage("reading book.toml");
    let settings = config::load(&req.root, &req.overrides, diags)?;
    // Fonts are read (and parsed) on another core while the chapters load and citations resolve.
    let fonts_dir = settings.root.join("fonts");
    let (doc, refs, fonts) = std::thread::scope(|s| {
        let fonts = s.spawn(|| FontSet::resolve(&settings.fonts, &fonts_dir));
        stage("loading chapters");
        let doc = crate::load::load(&settings, diags, !req.write);
        stage("resolving citations");
        let refs = crate::refs::resolve(&settings, &doc, diags);
        stage("loading fonts");
        (doc, refs, fonts.join())
    });
    if !req.write {
        // `folio check` also lists bibliography entries nothing cites.
        diags.extend(refs.unused());
    }
    let font_log: Vec<String>;
    let fonts = match fonts {
        Err(_) => {
            diags.push(Diagnostic::error(
                "fonts: the font loader stopped unexpectedly (a bug in folio)",
            ));
            return None;
        }
        Ok(Ok((fonts, picked))) => {
            font_log = picked.iter().map(|p| describe(p, &settings.root)).collect();
            fonts
        }
        Ok(Err(e)) => {
            diags.push(font_error(e, &settings));
            return None;
        }
    };
    check_coverage(&doc, &fonts, diags);
    if diags.has_errors() {
        return None;
    }
    let formats: BTreeSet<Format> = if req.formats.is_empty() {
        Format::ALL.into_iter().collect()
    } else {
        req.formats.iter().copied().collect()
    };
    let path = |f: Format| {
        settings
            .output
            .dir
            .join(format!("{}.{}", settings.output.name, f.extension()))
    };
    let want = |f: Format| formats.contains(&f) || !req.write;
    stage(match (want(Format::Epub), want(Format::Pdf)) {
        (true, true) => "writing EPUB and PDF",
        (true, false) => "writing EPUB",
        _ => "typesetting PDF",
    });
    // The two writers share nothing but read-only input: run them on both cores.
    let (epub, pdf) = std::thread::scope(|s| {
        let epub = s.spawn(|| {
            want(Format::Epub).then(|| {
                let input = crate::epub::EpubInput {
                    settings: &settings,
                    doc: &doc,
                    refs: &refs,
                    fonts: &fonts,
                };
                crate::epub::write(&input).map_err(|e| Diagnostic::error(format!("EPUB: {e}")))
            })
        });
        let pdf = want(Format::Pdf).then(|| {
            let pages = crate::typeset::layout(&settings, &doc, &refs, &fonts)
                .map_err(|e| Diagnostic::error(format!("PDF layout: {e}")))?;
            crate::pdf::write_with_images(&settings, pages, &fonts, &doc.images)
                .map_err(|e| Diagnostic::error(format!("PDF: {e}")))
        });
        (epub.join(), pdf)
    });
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    match epub {
        Ok(Some(Ok((bytes, warnings)))) => {
            diags.extend(warnings);
            files.push((path(Format::Epub), bytes));
        }
        Ok(Some(Err(d))) => diags.push(d),
        Ok(None) => {}
        Err(_) => diags.push(Diagnostic::error(
            "EPUB: the writer stopped unexpectedly (a bug in folio)",
        )),
    }
    match pdf {
        Some(Ok(bytes)) => files.push((path(Format::Pdf), bytes)),
        Some(Err(d)) => diags.push(d),
        None => {}
    }
    if diags.has_errors() || !req.write {
        return (!diags.has_errors()).then(Outputs::default);
    }
    let mut out = Outputs {
        written: Vec::new(),
        fonts: font_log,
    };
    stage("writing files");
    for (path, bytes) in files {
        match crate::files::write_atomic(&path, &bytes) {
            Ok(()) => out.written.push(path),
            Err(e) => {
                diags.push(Diagnostic::error(e.to_string()));
                return None;
            }
        }
    }
    Some(out)
}

/// A font problem as a message: a configured font points at its book.toml entry and names its file as
/// the book sees it (relative to the book folder when it is inside).
fn font_error(e: crate::fonts::FontError, settings: &crate::config::Settings) -> Diagnostic {
    use crate::fonts::FontError;
    let FontError::Configured { role, source } = e else {
        return Diagnostic::error(e.to_string()).hint(
            "install fonts-noto-cjk (Debian/Ubuntu) or set [fonts] serif = \"path/to/font.otf\" in book.toml",
        );
    };
    let shown = |p: &std::path::Path| {
        p.strip_prefix(&settings.root)
            .unwrap_or(p)
            .display()
            .to_string()
    };
    let (message, hint) = match *source {
        FontError::Io { path, source } if source.kind() == std::io::ErrorKind::NotFound => (
            format!("[fonts] {role}: font file '{}' not found", shown(&path)),
            Some(
                "paths in book.toml are relative to the book folder; use .otf, .ttf, .ttc or .otc files"
                    .to_string(),
            ),
        ),
        FontError::Io { path, source } => (
            format!("[fonts] {role}: cannot read '{}': {source}", shown(&path)),
            None,
        ),
        FontError::NotAFont { path, reason } => (
            format!(
                "[fonts] {role}: '{}' is not a usable font: {reason}",
                shown(&path)
            ),
            Some("use an OpenType or TrueType font (.otf, .ttf, .ttc, .otc)".to_string()),
        ),
        FontError::IndexOutOfRange { path, count: 0, .. } => (
            format!(
                "[fonts] {role}: '{}' is a font collection without any face",
                shown(&path)
            ),
            Some("use a collection that holds fonts, or a single .otf or .ttf file".to_string()),
        ),
        FontError::IndexOutOfRange { path, index, count } => (
            format!(
                "[fonts] {role}: '{}' has {count} face{}; there is no face {index}",
                shown(&path),
                if count == 1 { "" } else { "s" }
            ),
            Some(if count == 1 {
                "a single-face font needs no index (or index = 0)".to_string()
            } else {
                format!("faces are numbered from 0: use an index from 0 to {}", count - 1)
            }),
        ),
        other => (format!("[fonts] {role}: {other}"), None),
    };
    let mut d = Diagnostic::error(message);
    if let Some(span) = settings.font_at.get(&role) {
        d = d.at(span.clone());
    }
    if let Some(h) = hint {
        d = d.hint(h);
    }
    d
}

/// One line of the font log: the role, the face, and how it was found.
fn describe(p: &crate::fonts::Picked, root: &std::path::Path) -> String {
    use crate::fonts::PickedHow;
    let path = p
        .spec
        .path
        .strip_prefix(root)
        .unwrap_or(&p.spec.path)
        .display();
    let index = if p.spec.index > 0 {
        format!(" #{}", p.spec.index)
    } else {
        String::new()
    };
    match p.how {
        PickedHow::Configured => format!(
            "{}: {} ({path}{index}, from book.toml)",
            p.role.name(),
            p.family
        ),
        PickedHow::BookFolder => format!(
            "{}: {} ({path}{index}, the book's fonts/)",
            p.role.name(),
            p.family
        ),
        PickedHow::System => format!(
            "{}: {} ({path}{index}, a system font)",
            p.role.name(),
            p.family
        ),
        PickedHow::Fallback(r) => format!(
            "{}: {} (none of its own; uses the {} face)",
            p.role.name(),
            p.family,
            r.name()
        ),
    }
}

/// Characters that no font of their role (nor its fallbacks) covers: a warning listing each code point
/// and where it first occurs. The writers draw a visible replacement.
fn check_coverage(doc: &Document, fonts: &FontSet, diags: &mut Diagnostics) {
    let mut missing: BTreeMap<char, Role> = BTreeMap::new();
    for (style, chars) in crate::doc::chars_by_style(doc) {
        let role = crate::fonts::role_for_style(style);
        for c in chars {
            if !c.is_whitespace() && fonts.face_for_char(role, c).is_none() {
                missing.entry(c).or_insert(role);
            }
        }
    }
    for (c, role) in missing {
        let mut d = Diagnostic::warning(format!(
            "no font covers '{c}' (U+{:04X}) for the {} role; it is shown as a replacement mark",
            c as u32,
            role.name()
        ))
        .hint(format!(
            "set [fonts] {} to a font that has it, or add a fallback font",
            role.name()
        ));
        if let Some(span) = first_occurrence(doc, c, diags) {
            d = d.at(span);
        }
        diags.push(d);
    }
}

/// The first place a character occurs in the chapter sources.
fn first_occurrence(doc: &Document, c: char, diags: &Diagnostics) -> Option<crate::diag::Span> {
    doc.chapters.iter().find_map(|ch| {
        let text = &diags.sources.get(ch.span.file).text;
        text.find(c)
            .map(|i| crate::diag::Span::new(ch.span.file, i..i + c.len_utf8()))
    })
}
