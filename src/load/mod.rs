//! load: the book's Markdown chapters → [`Document`].
//!
//! Stage: after `config`. Input: [`Settings`] (chapter order) and the chapter files, read through `files`.
//! Output: the [`Document`] IR with normalised text and source spans; problems go to [`Diagnostics`].
//! Sub-steps: chapter discovery and order (here), front matter ([`frontmatter`]), Markdown events → IR
//! ([`markdown`], with citations from [`cite`] and Chinese normalisation from [`normalize`]), then book-wide
//! passes here: unique heading ids, links between chapters, images checked to lie inside the book, then
//! each image checked once by [`crate::images`] (readable, a supported format, scaled when too large).

mod chars;
mod cite;
mod frontmatter;
mod lint;
mod markdown;
mod normalize;

pub use chars::{is_han, is_xml_forbidden};

use crate::config::Settings;
use crate::diag::{Diagnostic, Diagnostics, FileId, SourceFile, Span};
use crate::doc::{Block, Chapter, Document, Inline, LinkTarget, PaperInfo, plain_text};
use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Load every chapter of the book. Chapters that cannot be read or parsed are reported and left out.
/// With `lint`, Chinese typography lints are reported too (`folio check`).
pub fn load(settings: &Settings, diags: &mut Diagnostics, lint: bool) -> Document {
    let content_dir = settings.root.join("content");
    let files = chapter_files(settings, &content_dir, diags);
    let mut chapters = Vec::new();
    let mut ids = HashSet::new();
    for (n, path) in files.iter().enumerate() {
        if let Some(ch) = load_chapter(settings, path, chapter_id(n, path, &mut ids), diags, lint) {
            chapters.push(ch);
        }
    }
    if chapters.is_empty() && !diags.has_errors() {
        diags.push(
            Diagnostic::error("the book has no chapters: content/ holds no .md files")
                .hint("add content/01-first-chapter.md, or list files in [content] chapters"),
        );
    }
    let mut doc = Document {
        chapters,
        ..Default::default()
    };
    assign_heading_ids(&mut doc);
    let images = resolve_links(&mut doc, settings, diags);
    doc.images = check_images(&settings.root, images, diags);
    if let Some((path, picture)) = check_cover(settings, diags) {
        doc.images.insert(path, picture);
    }
    doc
}

/// `[book] cover`: inside the book, readable, PNG or JPEG (the EPUB cover types), scaled when huge.
fn check_cover(
    settings: &Settings,
    diags: &mut Diagnostics,
) -> Option<(PathBuf, Arc<crate::images::Picture>)> {
    let cover = settings.book.cover.as_ref()?;
    let shown = cover.display();
    let at = |d: Diagnostic| match &settings.cover_at {
        Some(span) => d.at(span.clone()),
        None => d,
    };
    if cover.is_absolute() || !is_inside(cover) {
        diags.push(
            at(Diagnostic::error(format!(
                "cover image '{shown}' points outside the book"
            )))
            .hint("keep the cover inside the book folder, e.g. images/cover.jpg"),
        );
        return None;
    }
    let rel = lexical_normalize(cover);
    let path = settings.root.join(&rel);
    if !crate::files::exists(&path) {
        diags.push(
            at(Diagnostic::error(format!(
                "cover image '{shown}' not found"
            )))
            .hint("the path is relative to the book folder"),
        );
        return None;
    }
    let picture = match crate::images::read(&path) {
        Ok(p) => p,
        Err(e) => {
            let mut d = at(Diagnostic::error(format!("cover image '{shown}' {e}")));
            if let Some(h) = e.hint() {
                d = d.hint(h);
            }
            diags.push(d);
            return None;
        }
    };
    if !matches!(
        picture.format,
        crate::images::Format::Png | crate::images::Format::Jpeg
    ) {
        diags.push(
            at(Diagnostic::error(format!(
                "cover image '{shown}' is a {} file; an EPUB cover must be PNG or JPEG",
                picture.format
            )))
            .hint("convert it to JPEG (photos) or PNG"),
        );
        return None;
    }
    if let Some((w, h)) = picture.scaled_from {
        diags.push(at(Diagnostic::warning(format!(
            "cover image '{shown}' is {w}×{h} px; the EPUB uses a copy scaled to {}×{} px",
            picture.width, picture.height
        ))));
    }
    Some((rel, Arc::new(picture)))
}

/// Check each image once, at its first reference: unusable ones are errors there, scaled ones warnings.
fn check_images(
    root: &Path,
    images: BTreeMap<PathBuf, (String, Span)>,
    diags: &mut Diagnostics,
) -> BTreeMap<PathBuf, Arc<crate::images::Picture>> {
    let mut out = BTreeMap::new();
    for (rel, (shown, span)) in images {
        match crate::images::read(&root.join(&rel)) {
            Ok(p) => {
                if let Some((w, h)) = p.scaled_from {
                    diags.push(
                        Diagnostic::warning(format!(
                            "image '{shown}' is {w}×{h} px; the EPUB and the PDF use a copy scaled to {}×{} px",
                            p.width, p.height
                        ))
                        .at(span)
                        .hint(format!(
                            "scale it yourself to at most {} px on the longest side to choose how it looks",
                            crate::images::MAX_SIDE
                        )),
                    );
                }
                out.insert(rel, Arc::new(p));
            }
            Err(e) => {
                let mut d = Diagnostic::error(format!("image '{shown}' {e}")).at(span);
                if let Some(h) = e.hint() {
                    d = d.hint(h);
                }
                diags.push(d);
            }
        }
    }
    out
}

/// The chapter files in reading order (paths relative to the book root).
fn chapter_files(settings: &Settings, content_dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let rel = |p: &Path| {
        p.strip_prefix(&settings.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| p.to_path_buf())
    };
    match &settings.content.chapters {
        None => match crate::files::markdown_files(content_dir) {
            Ok(v) => v.iter().map(|p| rel(p)).collect(),
            Err(_) => {
                diags.push(
                    Diagnostic::error("the book has no content/ folder")
                        .hint("put one Markdown file per chapter in content/"),
                );
                Vec::new()
            }
        },
        Some(list) => {
            let mut seen = HashSet::new();
            let mut out = Vec::new();
            for (name, span) in list {
                let path = content_dir.join(name);
                let mut d = if !seen.insert(name.clone()) {
                    Diagnostic::error(format!(
                        "chapter '{name}' is listed twice in [content] chapters"
                    ))
                } else if !is_inside(Path::new(name)) {
                    Diagnostic::error(format!("chapter '{name}' is outside content/"))
                } else if !path.is_file() {
                    Diagnostic::error(format!("chapter '{name}' does not exist (content/{name})"))
                } else {
                    out.push(rel(&path));
                    continue;
                };
                if let Some(s) = span
                    .clone()
                    .or(settings.toml_file.map(|f| Span::new(f, 0..0)))
                {
                    d = d.at(s);
                }
                diags.push(d);
            }
            out
        }
    }
}

/// A relative path that stays inside its folder (no `..` above it, not absolute).
fn is_inside(p: &Path) -> bool {
    let mut depth: i32 = 0;
    for c in p.components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

/// A path relative to the book as the load stage keys it (`./images/../images/a.png` → `images/a.png`),
/// for writers looking up [`Document::images`].
pub fn normalize_path(p: &Path) -> PathBuf {
    lexical_normalize(p)
}

/// `a/b/../c` → `a/c` without touching the file system.
fn lexical_normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// `ch-01-ardm` from the file `01-ardm.md`: stable, readable, an XML name and a safe file stem.
/// `n` (the chapter's position) keeps ids unique when two stems differ only in non-ASCII characters.
fn chapter_id(n: usize, path: &Path, used: &mut HashSet<String>) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tail: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let tail = tail.trim_matches('-');
    let id = if tail.is_empty() {
        format!("ch-{n:02}")
    } else {
        format!("ch-{tail}")
    };
    if used.insert(id.clone()) {
        id
    } else {
        let id = format!("{id}-{n:02}");
        used.insert(id.clone());
        id
    }
}

fn load_chapter(
    settings: &Settings,
    rel: &Path,
    id: String,
    diags: &mut Diagnostics,
    lint: bool,
) -> Option<Chapter> {
    let text = match crate::files::read_text(&settings.root.join(rel)) {
        Ok(t) => t,
        Err(e) => {
            let d = e.report(rel, &mut diags.sources);
            diags.push(d);
            return None;
        }
    };
    let (text, removed) = strip_forbidden(text);
    let file = diags.sources.add(SourceFile::new(rel, text));
    if let Some((at, c, more)) = removed {
        let next = diags.sources.get(file).text[at..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        let mut d = Diagnostic::warning(format!(
            "control character U+{:04X} removed (XML forbids it)",
            c as u32
        ))
        .at(Span::new(file, at..at + next));
        if more > 0 {
            let (s, were) = if more == 1 {
                ("", "was")
            } else {
                ("s", "were")
            };
            d = d.hint(format!(
                "{more} more control character{s} in this file {were} removed too"
            ));
        }
        diags.push(d);
    }
    let text = diags.sources.get(file).text.clone();
    let split = match frontmatter::split(&text, file) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let parsed = markdown::parse(split.body, split.body_at, file, lint);
    diags.extend(parsed.diags);
    let mut blocks = parsed.blocks;
    let fm = split.front;
    let title = match fm.title {
        Some(t) if !t.trim().is_empty() => t.trim().to_string(),
        _ => match blocks
            .iter()
            .position(|b| matches!(b, Block::Heading { level: 1, .. }))
        {
            Some(i) => {
                let Block::Heading { content, .. } = blocks.remove(i) else {
                    unreachable!()
                };
                plain_text(&content)
            }
            None => {
                diags.push(
                    Diagnostic::error("chapter has no title")
                        .at(Span::new(file, 0..0))
                        .hint("add `title:` to the front matter or start the chapter with a `# Heading`"),
                );
                return None;
            }
        },
    };
    let cite = fm.cite.map(|key| {
        let at = split.yaml.find(&key).map_or(0, |i| split.yaml_at + i);
        (key.clone(), Span::new(file, at..at + key.len()))
    });
    Some(Chapter {
        id,
        source: rel.to_path_buf(),
        matter: fm.matter,
        title,
        subtitle: fm.subtitle.filter(|s| !s.trim().is_empty()),
        paper: PaperInfo {
            authors: fm.authors.into_vec(),
            venue: fm.venue,
            url: fm.url,
            cite,
        },
        blocks,
        footnotes: parsed.footnotes,
        span: Span::new(file, 0..text.len()),
    })
}

/// Characters XML forbids (control characters, tabs aside) removed: the text, and the first one (its
/// byte offset, which is also its place in the cleaned text), with how many more there were.
fn strip_forbidden(text: String) -> (String, Option<(usize, char, usize)>) {
    let forbidden = |c: char| is_xml_forbidden(c) && c != '\t';
    let Some((at, c)) = text.char_indices().find(|&(_, c)| forbidden(c)) else {
        return (text, None);
    };
    let more = text.chars().filter(|&c| forbidden(c)).count() - 1;
    let clean = text.chars().filter(|&c| !forbidden(c)).collect();
    (clean, Some((at, c, more)))
}

/// A readable id for a heading: letters (Han included) and digits kept, the rest as `-`, never empty,
/// never starting with a digit (XML ids).
pub fn slug(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-').to_string();
    match s.chars().next() {
        None => "section".into(),
        Some(c) if c.is_ascii_digit() => format!("s-{s}"),
        _ => s,
    }
}

fn assign_heading_ids(doc: &mut Document) {
    let mut used: HashSet<String> = doc.chapters.iter().map(|c| c.id.clone()).collect();
    for ch in &mut doc.chapters {
        for b in &mut ch.blocks {
            if let Block::Heading { id, content, .. } = b {
                let base = if id.is_empty() {
                    slug(&plain_text(content))
                } else {
                    id.clone()
                };
                let mut candidate = base.clone();
                let mut k = 2;
                while !used.insert(candidate.clone()) {
                    candidate = format!("{base}-{k}");
                    k += 1;
                }
                *id = candidate;
            }
        }
    }
}

/// Turn relative links into chapter links, check images, refuse paths that leave the book. Returns the
/// images that exist inside the book (path → as written and the first place it is used).
fn resolve_links(
    doc: &mut Document,
    settings: &Settings,
    diags: &mut Diagnostics,
) -> BTreeMap<PathBuf, (String, Span)> {
    let by_source: BTreeMap<PathBuf, String> = doc
        .chapters
        .iter()
        .map(|c| (c.source.clone(), c.id.clone()))
        .collect();
    // Anchor names as authors write them (`#方法`) → the book-unique id, per chapter.
    let mut anchors: BTreeMap<(String, String), String> = BTreeMap::new();
    for ch in &doc.chapters {
        for b in &ch.blocks {
            if let Block::Heading { id, content, .. } = b {
                anchors.insert((ch.id.clone(), slug(&plain_text(content))), id.clone());
                anchors.insert((ch.id.clone(), id.clone()), id.clone());
            }
        }
    }
    let mut ctx = LinkCtx {
        by_source,
        anchors,
        root: &settings.root,
        images: BTreeMap::new(),
    };
    for ch in &mut doc.chapters {
        let dir = ch.source.parent().unwrap_or(Path::new("")).to_path_buf();
        let this = ch.id.clone();
        let mut out = Vec::new();
        walk_blocks(&mut ch.blocks, &mut |i| ctx.fix(i, &dir, &this, &mut out));
        for f in &mut ch.footnotes {
            walk_blocks(&mut f.blocks, &mut |i| ctx.fix(i, &dir, &this, &mut out));
        }
        diags.extend(out);
    }
    ctx.images
}

struct LinkCtx<'a> {
    by_source: BTreeMap<PathBuf, String>,
    anchors: BTreeMap<(String, String), String>,
    root: &'a Path,
    /// Images found inside the book: path → (as written, first use).
    images: BTreeMap<PathBuf, (String, Span)>,
}

fn is_external(dest: &str) -> bool {
    let scheme: String = dest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        .collect();
    !scheme.is_empty() && dest[scheme.len()..].starts_with(':') && scheme.len() > 1
}

impl LinkCtx<'_> {
    fn fix(&mut self, inline: &mut Inline, dir: &Path, this: &str, diags: &mut Vec<Diagnostic>) {
        match inline {
            Inline::Link { target, span, .. } => {
                let LinkTarget::External(dest) = target else {
                    return;
                };
                if is_external(dest) || dest.is_empty() {
                    return;
                }
                let (file, anchor) = match dest.split_once('#') {
                    Some((f, a)) => (f.to_string(), Some(a.to_string())),
                    None => (dest.clone(), None),
                };
                let chapter = if file.is_empty() {
                    Some(this.to_string())
                } else {
                    let rel = Path::new(&file);
                    if rel.is_absolute() || !is_inside(&dir.join(rel)) {
                        diags.push(
                            Diagnostic::error(format!("link '{dest}' points outside the book"))
                                .at(span.clone()),
                        );
                        *target = LinkTarget::Internal {
                            chapter: this.to_string(),
                            anchor: None,
                        };
                        return;
                    }
                    self.by_source
                        .get(&lexical_normalize(&dir.join(rel)))
                        .cloned()
                };
                let Some(chapter) = chapter else {
                    diags.push(
                        Diagnostic::warning(format!(
                            "link '{dest}' does not point to a chapter of this book"
                        ))
                        .at(span.clone())
                        .hint("link to another chapter's .md file, optionally with #heading"),
                    );
                    return;
                };
                let anchor = match anchor {
                    None => None,
                    Some(a) => match self
                        .anchors
                        .get(&(chapter.clone(), slug(&a)))
                        .or(self.anchors.get(&(chapter.clone(), a.clone())))
                    {
                        Some(id) => Some(id.clone()),
                        None => {
                            diags.push(
                                Diagnostic::warning(format!(
                                    "link '{dest}': no heading '#{a}' in that chapter"
                                ))
                                .at(span.clone()),
                            );
                            None
                        }
                    },
                };
                *target = LinkTarget::Internal { chapter, anchor };
            }
            Inline::Image(img) => self.fix_image(img, dir, diags),
            _ => {}
        }
    }

    fn fix_image(&mut self, img: &mut crate::doc::Image, dir: &Path, diags: &mut Vec<Diagnostic>) {
        let raw = img.path.clone();
        if is_external(&raw.to_string_lossy()) {
            diags.push(
                Diagnostic::error(format!(
                    "image '{}' is remote; folio embeds only local images",
                    raw.display()
                ))
                .at(img.span.clone()),
            );
            return;
        }
        let joined = dir.join(&raw);
        if raw.is_absolute() || !is_inside(&joined) {
            diags.push(
                Diagnostic::error(format!("image '{}' points outside the book", raw.display()))
                    .at(img.span.clone())
                    .hint("keep images inside the book folder, e.g. images/"),
            );
            return;
        }
        let rel = lexical_normalize(&joined);
        if !crate::files::exists(&self.root.join(&rel)) {
            diags.push(
                Diagnostic::error(format!("image '{}' not found", raw.display()))
                    .at(img.span.clone()),
            );
        } else {
            self.images
                .entry(rel.clone())
                .or_insert_with(|| (raw.display().to_string(), img.span.clone()));
        }
        img.path = rel;
    }
}

fn walk_blocks(blocks: &mut [Block], f: &mut dyn FnMut(&mut Inline)) {
    for b in blocks {
        match b {
            Block::Heading { content, .. } | Block::Paragraph { content, .. } => {
                walk_inlines(content, f)
            }
            Block::Figure { image, caption, .. } => {
                let mut i = Inline::Image(image.clone());
                f(&mut i);
                if let Inline::Image(img) = i {
                    *image = img;
                }
                walk_inlines(caption, f);
            }
            Block::Quote { blocks, .. } => walk_blocks(blocks, f),
            Block::List { items, .. } => {
                for it in items {
                    walk_blocks(&mut it.blocks, f);
                }
            }
            Block::Table { head, rows, .. } => {
                for c in head.iter_mut().chain(rows.iter_mut().flatten()) {
                    walk_inlines(c, f);
                }
            }
            Block::Code { .. } | Block::Rule { .. } => {}
        }
    }
}

fn walk_inlines(inlines: &mut [Inline], f: &mut dyn FnMut(&mut Inline)) {
    for i in inlines {
        f(i);
        match i {
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => walk_inlines(c, f),
            Inline::Link { content, .. } => walk_inlines(content, f),
            _ => {}
        }
    }
}

/// Parse one Markdown text as a chapter body (for tests and fuzzing): blocks and the parser's diagnostics.
pub fn parse_markdown(text: &str) -> (Vec<Block>, Vec<crate::doc::Footnote>, Vec<Diagnostic>) {
    let p = markdown::parse(text, 0, FileId(0), false);
    (p.blocks, p.footnotes, p.diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pathological_nesting_is_bounded() {
        let quotes = ">".repeat(10_000) + " 深\n";
        let (blocks, _, _) = parse_markdown(&quotes);
        assert_eq!(blocks.len(), 1);
        let list = "- ".repeat(10_000) + "项\n";
        let (blocks, _, diags) = parse_markdown(&list);
        assert!(diags[0].message.contains("flattened"));
        assert_eq!(blocks.len(), 1);
        let emph = "*".repeat(5_000) + "强" + &"*".repeat(5_000);
        let _ = parse_markdown(&emph);
        let long = "中文Latin混排，".repeat(20_000);
        let (blocks, _, _) = parse_markdown(&long);
        assert_eq!(blocks.len(), 1);
    }

    #[test]
    fn paths_must_stay_inside() {
        assert!(is_inside(Path::new("images/a.png")));
        assert!(is_inside(Path::new("content/../images/a.png")));
        assert!(!is_inside(Path::new("../../etc/passwd")));
        assert!(!is_inside(Path::new("/etc/passwd")));
        assert_eq!(slug("细节 A & B"), "细节-a-b");
        assert_eq!(slug("2024 年"), "s-2024-年");
        assert_eq!(slug("！！"), "section");
    }
}
