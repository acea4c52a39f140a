//! The XHTML documents of the book: chapters, title page, cover page, references.
//!
//! Input: the rendering context and the book's settings. Output: whole XHTML documents as strings,
//! each with `xml:lang` and `lang` on `<html>` and the stylesheet linked.

use super::Labels;
use super::render::{ChapterCtx, is_latin, note_marker, ref_text};
use super::xhtml::{Element, Node, document, el, text};
use crate::config::BookMeta;
use crate::doc::{Block, Chapter, Matter};
use crate::refs::{Entry, RefText, Resolved};
use std::collections::{BTreeMap, BTreeSet};

pub const CSS_HREF: &str = "../styles/epub.css";

/// A whole XHTML document around `body`.
pub fn page(lang: &str, title: &str, body: Element) -> String {
    let html = el("html")
        .attr("xmlns", "http://www.w3.org/1999/xhtml")
        .attr("xmlns:epub", "http://www.idpf.org/2007/ops")
        .attr("xml:lang", lang)
        .attr("lang", lang)
        .child(
            el("head")
                .child(el("meta").attr("charset", "utf-8"))
                .child(el("title").text(title))
                .child(
                    el("link")
                        .attr("rel", "stylesheet")
                        .attr("type", "text/css")
                        .attr("href", CSS_HREF),
                ),
        )
        .child(body);
    document(html, Some("<!DOCTYPE html>"))
}

/// An element with `lang="en"` when its text is entirely Latin script.
fn with_lang(e: Element, s: &str) -> Element {
    if is_latin(s) {
        e.attr("lang", "en").attr("xml:lang", "en")
    } else {
        e
    }
}

/// A chapter: title, subtitle, paper header, blocks, footnotes.
pub fn chapter(ctx: &mut ChapterCtx<'_, '_>, lang: &str, labels: &Labels) -> String {
    let ch: &Chapter = ctx.chapter;
    let kind = match ch.matter {
        Matter::Front => "frontmatter",
        Matter::Body => "chapter",
        Matter::Back => "backmatter",
    };
    let mut section = el("section").attr("epub:type", kind);
    let mut header = el("header").attr("class", "chapter-head");
    header.push(with_lang(el("h1"), &ch.title).text(ch.title.clone()));
    if let Some(sub) = &ch.subtitle {
        header.push(with_lang(el("p").attr("class", "subtitle"), sub).text(sub.clone()));
    }
    if !ch.paper.is_empty() {
        header.push(paper_header(ctx.chapter, ctx.book.refs));
    }
    section.push(header);
    section = section.children(ctx.blocks(&ch.blocks));
    let entries = ctx.book.refs.chapter_list(&ch.id);
    if !entries.is_empty() {
        let title = references_title(ctx.book.refs, labels);
        let file = super::chapter_file(&ch.id);
        let mut refs = el("section")
            .attr("epub:type", "bibliography")
            .attr("class", "references")
            .attr("id", ctx.unique_id(&chapter_references_id(&ch.id)));
        refs.push(el("h2").text(title));
        // Back links stay in this document: its ids are all known once the body is rendered.
        let ids = ctx.ids().clone();
        let back = |e: &Entry| match &e.first_cited {
            Some((_, a)) if a.is_empty() => Some(file.clone()),
            Some((_, a)) => ids.contains(a).then(|| format!("#{a}")),
            None => None,
        };
        refs = refs.children(entry_paragraphs(entries, back, labels));
        section.push(refs);
    }
    if !ch.footnotes.is_empty() {
        let mut notes = el("section")
            .attr("class", "footnotes")
            .attr("epub:type", "footnotes");
        notes.push(el("h2").attr("class", "footnotes-title").text(labels.notes));
        for (i, note) in ch.footnotes.iter().enumerate() {
            let id = ctx.note_id(i);
            let id = ctx.unique_id(&id);
            let back = el("a")
                .attr("href", format!("#fnref-{}-{}", ch.id, i + 1))
                .attr("class", "fn-back")
                .attr("role", "doc-backlink")
                .text(note_marker(i + 1));
            let mut body = ctx.blocks(&note.blocks);
            match body.first_mut() {
                Some(Node::Element(p)) if p.name == "p" => {
                    p.children.insert(0, back.into());
                }
                _ => body.insert(0, el("p").child(back).into()),
            }
            notes.push(
                el("aside")
                    .attr("epub:type", "footnote")
                    .attr("role", "doc-footnote")
                    .attr("id", id)
                    .attr("class", "footnote")
                    .children(body),
            );
        }
        section.push(notes);
    }
    page(lang, &ch.title, el("body").child(section))
}

/// The header of a paper chapter: authors, venue, link and the paper's formatted reference.
fn paper_header(ch: &Chapter, refs: &Resolved) -> Element {
    let p = &ch.paper;
    let mut div = el("div").attr("class", "paper");
    if !p.authors.is_empty() {
        let names = p.authors.join(", ");
        div.push(with_lang(el("p").attr("class", "paper-authors"), &names).text(names));
    }
    if let Some(v) = &p.venue {
        div.push(with_lang(el("p").attr("class", "paper-venue"), v).text(v.clone()));
    }
    if let Some(u) = &p.url {
        div.push(
            el("p").attr("class", "paper-link").child(
                el("a")
                    .attr("href", super::render::url_href(u))
                    .attr("class", "url")
                    .text(u.clone()),
            ),
        );
    }
    if let Some((_, parts)) = refs.paper_refs.iter().find(|(id, _)| *id == ch.id) {
        div.push(el("p").attr("class", "paper-ref").children(ref_text(parts)));
    }
    div
}

/// The title page: title, subtitle, authors, publisher.
pub fn title_page(book: &BookMeta, labels: &Labels) -> String {
    let mut s = el("section")
        .attr("epub:type", "titlepage")
        .attr("class", "titlepage");
    s.push(
        el("h1")
            .attr("class", "book-title")
            .text(book.title.clone()),
    );
    if let Some(sub) = &book.subtitle {
        s.push(el("p").attr("class", "book-subtitle").text(sub.clone()));
    }
    for a in &book.authors {
        s.push(el("p").attr("class", "book-author").text(a.clone()));
    }
    if let Some(p) = &book.publisher {
        s.push(el("p").attr("class", "book-publisher").text(p.clone()));
    }
    page(&book.language, labels.title_page, el("body").child(s))
}

/// The cover page: the cover image, full page.
pub fn cover_page(book: &BookMeta, labels: &Labels, image_href: &str) -> String {
    let img = el("img")
        .attr("src", format!("../{image_href}"))
        .attr("alt", book.title.clone());
    let body = el("body").attr("class", "cover").child(
        el("section")
            .attr("epub:type", "cover")
            .attr("class", "cover")
            .child(el("div").attr("class", "cover-image").child(img)),
    );
    page(&book.language, labels.cover, body)
}

/// Id of the per-chapter references section of chapter `id`.
pub fn chapter_references_id(id: &str) -> String {
    format!("{id}-references")
}

/// The references title: the book's setting, else the label of its language.
pub fn references_title<'r>(refs: &'r Resolved, labels: &Labels) -> &'r str {
    if refs.title.trim().is_empty() {
        labels.references
    } else {
        refs.title.as_str()
    }
}

/// The references document: every entry with its anchor and a link back to its first citation.
pub fn references(
    refs: &Resolved,
    files: &BTreeMap<String, String>,
    ids: &BTreeMap<String, BTreeSet<String>>,
    lang: &str,
    labels: &Labels,
) -> String {
    let title = references_title(refs, labels);
    let mut s = el("section")
        .attr("epub:type", "bibliography")
        .attr("class", "references");
    s.push(el("h1").text(title));
    // An empty anchor means the paper header of the chapter (`cite:` in its front matter).
    let back = |e: &Entry| {
        let (chapter, anchor) = e.first_cited.as_ref()?;
        let file = files.get(chapter)?;
        if anchor.is_empty() {
            Some(file.clone())
        } else {
            ids.get(chapter)
                .is_some_and(|s| s.contains(anchor))
                .then(|| format!("{file}#{anchor}"))
        }
    };
    s = s.children(entry_paragraphs(&refs.entries, back, labels));
    page(lang, title, el("body").child(s))
}

/// One `<p>` per entry: label, formatted text, and the back link `back` gives (to its first citation).
fn entry_paragraphs(
    entries: &[Entry],
    back: impl Fn(&Entry) -> Option<String>,
    labels: &Labels,
) -> Vec<Node> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for e in entries {
        let mut p = el("p").attr("class", "ref");
        if seen.insert(e.anchor.clone()) {
            p = p.attr("id", e.anchor.clone());
        }
        p = p.attr("epub:type", "biblioentry");
        if !e.label.is_empty() {
            p.push(el("span").attr("class", "ref-label").text(e.label.clone()));
            p.push(text(" "));
        }
        p = p.children(ref_text(&e.text));
        if let Some(href) = back(e) {
            p.push(text(" "));
            p.push(
                el("a")
                    .attr("href", href)
                    .attr("class", "ref-back")
                    .attr("role", "doc-backlink")
                    .attr("title", labels.back)
                    .text("↑"),
            );
        }
        out.push(p.into());
    }
    out
}

/// The `##` headings of a chapter: (id, plain text), for the nav and the NCX.
pub fn sections(blocks: &[Block]) -> Vec<(String, String)> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading {
                level: 2,
                id,
                content,
                ..
            } => Some((id.clone(), crate::doc::plain_text(content))),
            _ => None,
        })
        .collect()
}

/// The text of formatted reference parts (for font coverage).
pub fn ref_plain(parts: &[RefText]) -> String {
    parts
        .iter()
        .map(|p| match p {
            RefText::Plain(s) | RefText::Italic(s) => s.as_str(),
            RefText::Link { text, .. } => text.as_str(),
        })
        .collect()
}
