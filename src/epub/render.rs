//! Blocks and inlines of the IR → XHTML element trees (one chapter at a time).
//!
//! Input: a chapter's [`Block`]s and [`Inline`]s, the book-wide [`Book`] context (chapter files,
//! anchors, citation marks). Output: [`Node`]s; images met on the way are registered in
//! [`Assets`], problems (unknown link targets, missing images) become warnings.

use super::assets::Assets;
pub use super::markup::{code_block, is_latin, note_marker, ref_text, url_href};
use super::xhtml::{Element, Node, el, text};
use crate::diag::Diagnostic;
use crate::doc::{Align, Block, Chapter, Citation, Document, Image, Inline, LinkTarget};
use crate::refs::Resolved;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What every chapter needs to know about the whole book.
pub struct Book<'a> {
    pub refs: &'a Resolved,
    /// Chapter id → its XHTML file name (`ch01-ardm.xhtml`).
    pub files: BTreeMap<String, String>,
    /// Chapter id → the heading ids in it.
    pub anchors: BTreeMap<String, BTreeSet<String>>,
    /// Each citation (by address) → its index in `Document::citations()`.
    cite_index: HashMap<*const Citation, usize>,
    /// File name of the references document, when the book has an end-of-book list.
    pub references_file: Option<&'static str>,
    /// Entry anchor → `file#anchor` (the references document, or the chapter of a per-chapter list).
    entry_hrefs: BTreeMap<String, String>,
}

impl<'a> Book<'a> {
    pub fn new(doc: &'a Document, refs: &'a Resolved) -> Self {
        let files = doc
            .chapters
            .iter()
            .map(|c| (c.id.clone(), super::chapter_file(&c.id)))
            .collect();
        let anchors = doc
            .chapters
            .iter()
            .map(|c| (c.id.clone(), heading_ids(&c.blocks)))
            .collect();
        let cite_index = doc
            .citations()
            .into_iter()
            .enumerate()
            .map(|(i, c)| (c as *const Citation, i))
            .collect();
        Book {
            refs,
            files,
            anchors,
            cite_index,
            references_file: (!refs.entries.is_empty()).then_some(super::REFERENCES_FILE),
            entry_hrefs: entry_hrefs(refs),
        }
    }
}

/// Where each reference entry lives: the end-of-book document or its chapter's file.
fn entry_hrefs(refs: &Resolved) -> BTreeMap<String, String> {
    let book = refs
        .entries
        .iter()
        .map(|e| (super::REFERENCES_FILE.to_string(), e));
    let chapters = refs
        .chapter_entries
        .iter()
        .flat_map(|(id, es)| es.iter().map(move |e| (super::chapter_file(id), e)));
    book.chain(chapters)
        .map(|(file, e)| (e.anchor.clone(), format!("{file}#{}", e.anchor)))
        .collect()
}

fn heading_ids(blocks: &[Block]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for b in blocks {
        match b {
            Block::Heading { id, .. } => {
                out.insert(id.clone());
            }
            Block::Quote { blocks, .. } => out.extend(heading_ids(blocks)),
            Block::List { items, .. } => {
                for i in items {
                    out.extend(heading_ids(&i.blocks));
                }
            }
            _ => {}
        }
    }
    out
}

/// Rendering state for one chapter.
pub struct ChapterCtx<'b, 'a> {
    pub book: &'b Book<'a>,
    pub chapter: &'b Chapter,
    pub assets: &'b mut Assets,
    pub diags: &'b mut Vec<Diagnostic>,
    /// How many references to each footnote were rendered so far.
    note_refs: Vec<usize>,
    ids: BTreeSet<String>,
    in_link: bool,
}

impl<'b, 'a> ChapterCtx<'b, 'a> {
    pub fn new(
        book: &'b Book<'a>,
        chapter: &'b Chapter,
        assets: &'b mut Assets,
        diags: &'b mut Vec<Diagnostic>,
    ) -> Self {
        ChapterCtx {
            book,
            chapter,
            assets,
            diags,
            note_refs: vec![0; chapter.footnotes.len()],
            ids: BTreeSet::new(),
            in_link: false,
        }
    }

    /// The ids used in this chapter's document so far.
    pub fn ids(&self) -> &BTreeSet<String> {
        &self.ids
    }

    /// `a` with the citation's anchor id, unless that id is taken in this document.
    fn first_cite_id(&mut self, a: Element, anchor: &str) -> Element {
        if self.unique_id(anchor) == anchor {
            a.attr("id", anchor)
        } else {
            a
        }
    }

    /// `id` if it is not used yet in this document, else a numbered variant.
    pub fn unique_id(&mut self, id: &str) -> String {
        let mut candidate = id.to_string();
        let mut n = 2;
        while !self.ids.insert(candidate.clone()) {
            candidate = format!("{id}-{n}");
            n += 1;
        }
        candidate
    }

    pub fn note_id(&self, index: usize) -> String {
        format!("fn-{}-{}", self.chapter.id, index + 1)
    }

    fn note_ref_id(&self, index: usize, k: usize) -> String {
        let base = format!("fnref-{}-{}", self.chapter.id, index + 1);
        if k == 0 {
            base
        } else {
            format!("{base}-{}", k + 1)
        }
    }

    pub fn blocks(&mut self, blocks: &[Block]) -> Vec<Node> {
        blocks.iter().map(|b| self.block(b, false)).collect()
    }

    fn block(&mut self, b: &Block, tight: bool) -> Node {
        match b {
            Block::Heading {
                level, id, content, ..
            } => {
                let name = ["h2", "h2", "h2", "h3", "h4", "h5", "h6"][usize::from(*level).min(6)];
                let id = self.unique_id(id);
                el(name)
                    .attr("id", id)
                    .children(self.inlines(content))
                    .into()
            }
            Block::Paragraph { content, .. } if tight => el("span")
                .attr("class", "item")
                .children(self.inlines(content))
                .into(),
            Block::Paragraph { content, .. } => el("p").children(self.inlines(content)).into(),
            Block::Figure { image, caption, .. } => {
                let mut fig = el("figure");
                fig.push(self.image(image, None));
                if !caption.is_empty() {
                    fig.push(el("figcaption").children(self.inlines(caption)));
                }
                fig.into()
            }
            Block::Quote { blocks, .. } => el("blockquote").children(self.blocks(blocks)).into(),
            Block::List {
                start,
                tight,
                items,
                ..
            } => {
                let mut list = match start {
                    Some(1) => el("ol"),
                    Some(n) => el("ol").attr("start", n.to_string()),
                    None => el("ul"),
                };
                for item in items {
                    let mut li = el("li");
                    let mut nodes: Vec<Node> =
                        item.blocks.iter().map(|b| self.block(b, *tight)).collect();
                    if let Some(done) = item.task {
                        li = li.attr("class", "task");
                        let mut boxed = el("input")
                            .attr("type", "checkbox")
                            .attr("disabled", "disabled");
                        if done {
                            boxed = boxed.attr("checked", "checked");
                        }
                        match nodes.first_mut() {
                            Some(Node::Element(first))
                                if first.name == "p" || first.name == "span" =>
                            {
                                first.children.insert(0, text(" "));
                                first.children.insert(0, boxed.into());
                            }
                            _ => nodes.insert(0, boxed.into()),
                        }
                    }
                    list.push(li.children(nodes));
                }
                list.into()
            }
            Block::Code {
                lang, text: code, ..
            } => code_block(code, lang.as_deref()).into(),
            Block::Table {
                align, head, rows, ..
            } => self.table(align, head, rows).into(),
            Block::Rule { .. } => el("hr").into(),
        }
    }

    fn table(
        &mut self,
        align: &[Align],
        head: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
    ) -> Element {
        let cell = |ctx: &mut Self, name: &'static str, i: usize, content: &[Inline]| {
            let mut c = el(name);
            match align.get(i) {
                Some(Align::Left) => c = c.attr("class", "left"),
                Some(Align::Center) => c = c.attr("class", "center"),
                Some(Align::Right) => c = c.attr("class", "right"),
                _ => {}
            }
            Node::from(c.children(ctx.inlines(content)))
        };
        let mut table = el("table");
        if !head.is_empty() {
            let tr: Vec<Node> = head
                .iter()
                .enumerate()
                .map(|(i, c)| cell(self, "th", i, c))
                .collect();
            table.push(el("thead").child(el("tr").children(tr)));
        }
        if !rows.is_empty() {
            let mut body = el("tbody");
            for row in rows {
                let tr: Vec<Node> = row
                    .iter()
                    .enumerate()
                    .map(|(i, c)| cell(self, "td", i, c))
                    .collect();
                body.push(el("tr").children(tr));
            }
            table.push(body);
        }
        table
    }

    fn image(&mut self, image: &Image, class: Option<&str>) -> Node {
        match self.assets.image(&image.path, self.diags, &image.span) {
            Some(href) => {
                let mut img = el("img")
                    .attr("src", format!("../{href}"))
                    .attr("alt", image.alt.clone());
                if let Some(c) = class {
                    img = img.attr("class", c);
                }
                img.into()
            }
            None => el("span")
                .attr("class", "missing-image")
                .text(image.alt.clone())
                .into(),
        }
    }

    pub fn inlines(&mut self, inlines: &[Inline]) -> Vec<Node> {
        let mut out = Vec::new();
        for i in inlines {
            match i {
                Inline::Text(t) => out.push(text(t.clone())),
                Inline::Autospace => out.push(text(" ")),
                Inline::Emph(c) => out.push(el("em").children(self.inlines(c)).into()),
                Inline::Strong(c) => out.push(el("strong").children(self.inlines(c)).into()),
                Inline::Strike(c) => out.push(el("del").children(self.inlines(c)).into()),
                Inline::Code(t) => out.push(el("code").text(t.clone()).into()),
                Inline::LineBreak => out.push(el("br").into()),
                Inline::Image(img) => out.push(self.image(img, Some("inline"))),
                Inline::Link {
                    target, content, ..
                } => out.push(self.link(target, content)),
                Inline::Cite(c) => out.extend(self.cite(c)),
                Inline::FootnoteRef { index, span } => {
                    let Some(count) = self.note_refs.get(*index).copied() else {
                        self.diags.push(
                            Diagnostic::warning(format!("footnote #{} does not exist", index + 1))
                                .at(span.clone()),
                        );
                        continue;
                    };
                    self.note_refs[*index] += 1;
                    let marker = note_marker(index + 1);
                    if self.in_link {
                        out.push(el("sup").text(marker).into());
                        continue;
                    }
                    let id = self.note_ref_id(*index, count);
                    let id = self.unique_id(&id);
                    out.push(
                        el("a")
                            .attr("epub:type", "noteref")
                            .attr("role", "doc-noteref")
                            .attr("href", format!("#{}", self.note_id(*index)))
                            .attr("id", id)
                            .attr("class", "noteref")
                            .text(marker)
                            .into(),
                    );
                }
            }
        }
        out
    }

    fn link(&mut self, target: &LinkTarget, content: &[Inline]) -> Node {
        let was = std::mem::replace(&mut self.in_link, true);
        let inner = self.inlines(content);
        self.in_link = was;
        if was {
            return el("span").children(inner).into();
        }
        let href = match target {
            LinkTarget::External(url) => Some(url_href(url)),
            LinkTarget::Internal { chapter, anchor } => match self.book.files.get(chapter) {
                None => {
                    self.diags.push(Diagnostic::warning(format!(
                        "link to unknown chapter '{chapter}' in {}",
                        self.chapter.source.display()
                    )));
                    None
                }
                Some(file) => Some(match anchor {
                    Some(a)
                        if self
                            .book
                            .anchors
                            .get(chapter)
                            .is_some_and(|s| s.contains(a)) =>
                    {
                        format!("{file}#{a}")
                    }
                    _ => file.clone(),
                }),
            },
        };
        match href {
            Some(h) => {
                let mut a = el("a").attr("href", h);
                if matches!(target, LinkTarget::External(_)) {
                    a = a.attr("class", "url");
                }
                a.children(inner).into()
            }
            None => el("span").children(inner).into(),
        }
    }

    /// A citation: its words before the mark (narrative numeric citations), then the mark linked to
    /// its first reference entry, in `<sup>` when the style wants superscript.
    fn cite(&mut self, c: &Citation) -> Vec<Node> {
        let refs = self.book.refs;
        let by_index = self
            .book
            .cite_index
            .get(&(c as *const Citation))
            .and_then(|&i| refs.marks.get(i))
            .filter(|m| m.span == c.span);
        let mark = by_index.or_else(|| refs.marks.iter().find(|m| m.span == c.span));
        let Some(mark) = mark else {
            let keys: Vec<&str> = c.items.iter().map(|i| i.key.as_str()).collect();
            let fallback = format!("[?{}]", keys.join(","));
            return vec![el("span").attr("class", "cite").text(fallback).into()];
        };
        let mut out = Vec::new();
        if !mark.prefix.is_empty() {
            out.push(text(mark.prefix.clone()));
        }
        // One work: the whole mark is the link (a larger tap target). Several: one link per number,
        // the first carrying the id the references' back link points at.
        let book = self.book;
        let href = |target: &Option<String>| {
            target
                .as_ref()
                .and_then(|t| book.entry_hrefs.get(t))
                .cloned()
        };
        let linked = mark
            .parts
            .iter()
            .filter(|p| href(&p.target).is_some())
            .count();
        let node: Node = if self.in_link {
            el("span").text(mark.text()).into()
        } else if linked == 0 {
            el("span").attr("class", "cite").text(mark.text()).into()
        } else if mark.targets.len() <= 1 {
            let target = mark.parts.iter().find_map(|p| href(&p.target));
            let mut a = el("a").attr("href", target.unwrap_or_default());
            a = self.first_cite_id(a, &mark.anchor);
            a.attr("class", "cite").text(mark.text()).into()
        } else {
            let mut span = el("span").attr("class", "cite");
            let mut first = true;
            for part in &mark.parts {
                match href(&part.target) {
                    Some(h) => {
                        let mut a = el("a").attr("href", h);
                        if std::mem::take(&mut first) {
                            a = self.first_cite_id(a, &mark.anchor);
                        }
                        span = span.child(a.text(part.text.clone()));
                    }
                    None => span = span.text(part.text.clone()),
                }
            }
            span.into()
        };
        out.push(if mark.superscript {
            el("sup").child(node).into()
        } else {
            node
        });
        out
    }
}
