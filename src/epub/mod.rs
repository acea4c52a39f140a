//! epub: Document → EPUB 3 bytes.
//!
//! Stage: a writer, after `load`, `refs` and `fonts`. Input: [`EpubInput`] (settings, the
//! [`Document`](crate::doc::Document), resolved citations, the font set). Output: the whole EPUB
//! as bytes (the caller writes it atomically) and warnings (images left out, characters no font
//! covers, links to unknown chapters). Nothing here reads the clock: identical input gives
//! byte-identical output.
//!
//! Layout of the container: `mimetype`, `META-INF/{container.xml, com.apple.ibooks.display-options.xml}`,
//! `OEBPS/content.opf`, `OEBPS/toc.ncx`, `OEBPS/text/*.xhtml` (cover, title page, nav, chapters,
//! references), `OEBPS/styles/epub.css`, `OEBPS/fonts/*-subset.{otf,ttf}`, `OEBPS/images/*`.
//! Every XHTML byte is built as an element tree ([`xhtml`]) and serialized by one function.

mod assets;
mod cover;
mod css;
pub use css::DEFAULT_CSS;
mod fonts;
mod markup;
mod nav;
mod package;
mod pages;
mod render;
mod xhtml;

#[cfg(test)]
mod tests;

use crate::diag::Diagnostic;
use crate::doc::{Matter, TextStyle};
use nav::NavEntry;
use package::Item;
use render::{Book, ChapterCtx};
use std::collections::{BTreeMap, BTreeSet};

pub struct EpubInput<'a> {
    pub settings: &'a crate::config::Settings,
    pub doc: &'a crate::doc::Document,
    pub refs: &'a crate::refs::Resolved,
    pub fonts: &'a crate::fonts::FontSet,
}

#[derive(Debug, thiserror::Error)]
pub enum EpubError {
    #[error("cover image: {0}")]
    Cover(String),
    #[error("font subsetting failed: {0}")]
    Font(String),
    #[error("cannot build the EPUB container: {0}")]
    Zip(String),
    #[error(transparent)]
    File(#[from] crate::files::FileError),
}

/// The XHTML file of a chapter: `ch01-ardm` → `ch01-ardm.xhtml`.
pub fn chapter_file(id: &str) -> String {
    format!("{id}.xhtml")
}

pub const REFERENCES_FILE: &str = "references.xhtml";

/// Text the writer generates itself, in the book's language.
pub struct Labels {
    pub toc: &'static str,
    pub cover: &'static str,
    pub title_page: &'static str,
    pub start: &'static str,
    pub landmarks: &'static str,
    pub notes: &'static str,
    pub references: &'static str,
    pub back: &'static str,
}

impl Labels {
    pub fn new(chinese: bool) -> Self {
        if chinese {
            Labels {
                toc: "目录",
                cover: "封面",
                title_page: "书名页",
                start: "正文",
                landmarks: "导航",
                notes: "注释",
                references: "参考文献",
                back: "返回正文",
            }
        } else {
            Labels {
                toc: "Contents",
                cover: "Cover",
                title_page: "Title Page",
                start: "Start",
                landmarks: "Landmarks",
                notes: "Notes",
                references: "References",
                back: "Back to text",
            }
        }
    }
}

/// The whole EPUB as bytes (the caller writes it atomically), plus warnings (e.g. a character no font covers).
pub fn write(input: &EpubInput) -> Result<(Vec<u8>, Vec<Diagnostic>), EpubError> {
    let s = input.settings;
    let meta = &s.book;
    let lang = meta.language.as_str();
    let labels = Labels::new(meta.is_chinese());
    let book = Book::new(input.doc, input.refs);
    let mut assets = assets::Assets::new(&s.root).with_pictures(&input.doc.images);
    let mut diags = Vec::new();
    let mut extra: BTreeMap<TextStyle, BTreeSet<char>> = BTreeMap::new();
    let mut add = |style: TextStyle, t: &str| extra.entry(style).or_default().extend(t.chars());

    // Reading order: front matter, body, references, back matter.
    let mut order: Vec<&crate::doc::Chapter> = Vec::new();
    for m in [Matter::Front, Matter::Body, Matter::Back] {
        order.extend(input.doc.chapters.iter().filter(|c| c.matter == m));
    }
    let mut docs: Vec<(String, String, Option<&'static str>)> = Vec::new(); // (file, xhtml, properties)
    let mut toc: Vec<NavEntry> = Vec::new();
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut references_at = None;
    let mut chapter_refs: Option<String> = None; // the first per-chapter references section
    for ch in &order {
        if ch.matter == Matter::Back && references_at.is_none() {
            references_at = Some(docs.len());
        }
        let file = chapter_file(&ch.id);
        let mut ctx = ChapterCtx::new(&book, ch, &mut assets, &mut diags);
        let xhtml = pages::chapter(&mut ctx, lang, &labels);
        ids.insert(ch.id.clone(), ctx.ids().clone());
        for i in 0..ch.footnotes.len() {
            add(TextStyle::Body, &render::note_marker(i + 1));
        }
        let mut children: Vec<NavEntry> = pages::sections(&ch.blocks)
            .into_iter()
            .map(|(id, label)| NavEntry {
                label,
                href: format!("{file}#{id}"),
                children: vec![],
            })
            .collect();
        if !input.refs.chapter_list(&ch.id).is_empty() {
            let title = pages::references_title(input.refs, &labels);
            add(TextStyle::Heading, title);
            let href = format!("{file}#{}", pages::chapter_references_id(&ch.id));
            chapter_refs.get_or_insert_with(|| href.clone());
            children.push(NavEntry {
                label: title.to_string(),
                href,
                children: vec![],
            });
        }
        toc.push(NavEntry {
            label: ch.title.clone(),
            href: file.clone(),
            children,
        });
        docs.push((file, xhtml, None));
    }
    let references_at = references_at.unwrap_or(docs.len());
    let refs = input.refs;
    if book.references_file.is_some() {
        let xhtml = pages::references(refs, &book.files, &ids, lang, &labels);
        let title = pages::references_title(refs, &labels);
        add(TextStyle::Heading, title);
        toc.insert(
            references_at.min(toc.len()),
            NavEntry {
                label: title.to_string(),
                href: REFERENCES_FILE.into(),
                children: vec![],
            },
        );
        docs.insert(references_at, (REFERENCES_FILE.into(), xhtml, None));
    }
    // Generated text, by the style it is set in.
    for m in &refs.marks {
        add(TextStyle::Body, &m.prefix);
        add(TextStyle::Body, &m.text());
    }
    for e in refs.all_entries() {
        add(TextStyle::Body, &e.label);
        add(TextStyle::Body, &pages::ref_plain(&e.text));
    }
    for (_, parts) in &refs.paper_refs {
        add(TextStyle::Body, &pages::ref_plain(parts));
    }
    add(TextStyle::Body, "↑[?], ");
    for t in [&meta.title].into_iter().chain(&meta.subtitle) {
        add(TextStyle::Heading, t);
    }
    for t in meta.authors.iter().chain(&meta.publisher) {
        add(TextStyle::Body, t);
    }
    for l in [labels.toc, labels.notes] {
        add(TextStyle::Heading, l);
    }
    for l in [
        labels.cover,
        labels.start,
        labels.landmarks,
        labels.references,
        labels.title_page,
    ] {
        add(TextStyle::Body, l);
    }
    fn nav_text(entries: &[NavEntry], out: &mut String) {
        for e in entries {
            out.push_str(&e.label);
            nav_text(&e.children, out);
        }
    }
    let mut labels_text = String::new();
    nav_text(&toc, &mut labels_text);
    add(TextStyle::Body, &labels_text);

    // Cover image: the book's own, or drawn.
    let checked_cover = meta
        .cover
        .as_ref()
        .and_then(|c| input.doc.images.get(&crate::load::normalize_path(c)));
    let cover_href = match (&meta.cover, checked_cover) {
        (Some(_), Some(p)) => assets.add(
            "images",
            "cover",
            p.format.media_type(),
            p.data.clone(),
            Some("cover-image"),
        ),
        (Some(path), None) => {
            let data = crate::files::read_bytes(&s.root.join(path))?;
            let t = assets::image_type(&data, path)
                .filter(|t| *t == "image/png" || *t == "image/jpeg")
                .ok_or_else(|| {
                    EpubError::Cover(format!("{} is not a PNG or JPEG file", path.display()))
                })?;
            assets.add("images", "cover", t, data, Some("cover-image"))
        }
        (None, _) => assets.add(
            "images",
            "cover",
            "image/png",
            cover::draw(meta, input.fonts)?,
            Some("cover-image"),
        ),
    };
    let cover_id = assets
        .items
        .iter()
        .find(|a| a.href == cover_href)
        .map(|a| a.id.clone())
        .unwrap_or_default();

    // Fonts and stylesheet.
    let mut chars = crate::doc::chars_by_style(input.doc);
    for (style, set) in extra {
        chars.entry(style).or_default().extend(set);
    }
    let faces = fonts::embed(input.fonts, &chars, &mut assets, &mut diags)?;
    let css = css::stylesheet(&s.root, &faces)?;

    // Front documents and navigation.
    let bodymatter = order
        .iter()
        .find(|c| c.matter == Matter::Body)
        .or(order.first())
        .map(|c| chapter_file(&c.id));
    let marks = nav::Landmarks {
        cover: "cover.xhtml",
        toc: "nav.xhtml#toc",
        bodymatter: bodymatter.as_deref(),
        bibliography: book.references_file.map(str::to_string).or(chapter_refs),
    };
    let nav_xhtml = nav::nav_document(lang, &labels, &toc, &marks);
    let mut front = vec![
        (
            "cover.xhtml".to_string(),
            pages::cover_page(meta, &labels, &cover_href),
            None,
        ),
        (
            "titlepage.xhtml".to_string(),
            pages::title_page(meta, &labels),
            None,
        ),
        ("nav.xhtml".to_string(), nav_xhtml, Some("nav")),
    ];
    front.append(&mut docs);

    // Manifest, package, container.
    let mut items = Vec::new();
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "META-INF/container.xml".into(),
            package::container().into_bytes(),
        ),
        (
            "META-INF/com.apple.ibooks.display-options.xml".into(),
            package::apple_display_options().into_bytes(),
        ),
    ];
    let mut content: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, (file, xhtml, props)) in front.into_iter().enumerate() {
        items.push(Item {
            id: format!("x{:03}", i + 1),
            href: format!("text/{file}"),
            media_type: "application/xhtml+xml".into(),
            properties: props.map(String::from),
            spine: true,
        });
        content.push((format!("OEBPS/text/{file}"), xhtml.into_bytes()));
    }
    let ncx = nav::ncx(&meta.identifier, &meta.title, &toc);
    items.push(Item {
        id: "ncx".into(),
        href: "toc.ncx".into(),
        media_type: "application/x-dtbncx+xml".into(),
        properties: None,
        spine: false,
    });
    content.push(("OEBPS/toc.ncx".into(), ncx.into_bytes()));
    items.push(Item {
        id: "css".into(),
        href: "styles/epub.css".into(),
        media_type: "text/css".into(),
        properties: None,
        spine: false,
    });
    content.push(("OEBPS/styles/epub.css".into(), css.into_bytes()));
    for a in assets.items {
        items.push(Item {
            id: a.id,
            href: a.href.clone(),
            media_type: a.media_type.into(),
            properties: a.properties.map(String::from),
            spine: false,
        });
        content.push((format!("OEBPS/{}", a.href), a.data));
    }
    let modified = crate::config::iso8601(s.timestamp);
    files.push((
        package::CONTAINER_XML.into(),
        package::opf(meta, &modified, &items, &cover_id).into_bytes(),
    ));
    files.append(&mut content);
    Ok((package::zip(&files)?, diags))
}

/// Every chapter's XHTML document as [`write`] renders it, plus the references document when the book
/// cites anything: `(file name, xhtml)` in reading order, and the writer's warnings. Nothing is
/// packaged and no font is subset, so tests and the fuzz suite can check the markup of many books fast.
pub fn xhtml_documents(input: &EpubInput) -> (Vec<(String, String)>, Vec<Diagnostic>) {
    let meta = &input.settings.book;
    let lang = meta.language.as_str();
    let labels = Labels::new(meta.is_chinese());
    let book = Book::new(input.doc, input.refs);
    let mut assets = assets::Assets::new(&input.settings.root).with_pictures(&input.doc.images);
    let mut diags = Vec::new();
    let mut docs = Vec::new();
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in [Matter::Front, Matter::Body, Matter::Back] {
        for ch in input.doc.chapters.iter().filter(|c| c.matter == m) {
            let mut ctx = ChapterCtx::new(&book, ch, &mut assets, &mut diags);
            let xhtml = pages::chapter(&mut ctx, lang, &labels);
            ids.insert(ch.id.clone(), ctx.ids().clone());
            docs.push((chapter_file(&ch.id), xhtml));
        }
    }
    if book.references_file.is_some() {
        let xhtml = pages::references(input.refs, &book.files, &ids, lang, &labels);
        docs.push((REFERENCES_FILE.to_string(), xhtml));
    }
    (docs, diags)
}
