//! typeset: Document → pages of positioned glyphs (shared/docs/typography.md).
//!
//! Stage: after `load`, `refs` and `fonts`; before `pdf`. Input: [`Settings`] (paper, margins, body size,
//! pitch, measure), the [`Document`], the resolved citations and the [`FontSet`]. Output: a
//! [`PagedDocument`] (see [`page`]), the only thing the PDF writer reads.
//!
//! Sub-steps, one file each: `shape` (rustybuzz) → `inline` (IR inlines → styled pieces) → `paragraph`
//! (pieces → atoms → `linebreak` → line boxes) → `blocks`/`table`/`notes`/`references` (blocks → boxes) →
//! `toc` (title page and 目录) → `flow` (boxes → pages) → `chrome` (running heads, folios, labels).
//! The table of contents needs page numbers that exist only after pagination: the book is paginated
//! until the TOC's numbers are stable (at most [`MAX_PASSES`] passes).

mod blocks;
mod chrome;
pub mod dump;
mod flow;
mod hyphenate;
mod inline;
pub mod linebreak;
mod notes;
pub mod page;
mod paragraph;
mod references;
mod shape;
mod table;
mod toc;

use crate::config::Settings;
use crate::diag::Span;
use crate::doc::{Document, Matter};
use crate::fonts::FontSet;
use crate::refs::Resolved;
use flow::{BoxElem, Elem, Geometry, NoteKey};
use page::{BlockRole, OutlineEntry, PagedDocument, Structure};
use shape::Shaper;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

/// Cap on layout passes for the TOC's page numbers (typst uses 5 too).
pub const MAX_PASSES: usize = 5;

const MM: f32 = 72.0 / 25.4;

/// Errors of the typesetter.
#[derive(Debug, thiserror::Error)]
pub enum TypesetError {
    #[error("cannot read image {path}: {message}")]
    Image { path: PathBuf, message: String },
    #[error("the page is too small for the text block ({width:.0} × {height:.0} pt left)")]
    NoRoom { width: f32, height: f32 },
}

/// A bookmark before its position is known.
#[derive(Debug, Clone)]
pub(crate) struct OutlineDraft {
    pub level: u8,
    pub title: String,
    pub anchor: String,
    /// Listed in the TOC.
    pub in_toc: bool,
}

/// Everything the block layout needs while it walks the book.
pub(crate) struct Ctx<'a> {
    pub settings: &'a Settings,
    pub refs: &'a Resolved,
    pub fonts: &'a FontSet,
    pub shaper: Shaper<'a>,
    /// Body size, line pitch and measure in pt.
    pub body: f32,
    pub pitch: f32,
    pub measure: f32,
    /// The chapter being laid out (index into `doc.chapters`).
    pub chapter: usize,
    /// Citation span → index into `refs.marks`.
    pub cites: &'a HashMap<Span, usize>,
    /// The pictures `load` checked, by [`crate::doc::Image::path`].
    pub images: &'a BTreeMap<PathBuf, Arc<crate::images::Picture>>,
    pub outline: Vec<OutlineDraft>,
    pub notes: BTreeMap<NoteKey, Vec<BoxElem>>,
    /// The block element text is being set for (stamped on every run of its lines).
    pub structure: Structure,
    /// Block ids: `scope << 32 | counter`; each chapter (and the book's own pages) has a scope.
    scope: u64,
    next_block: u64,
}

impl<'a> Ctx<'a> {
    /// A context for laying out one chapter on another thread: the same settings, its own shaper,
    /// nothing collected yet.
    fn fork(&self, scope: u64) -> Ctx<'a> {
        Ctx {
            shaper: Shaper::new(self.fonts),
            outline: Vec::new(),
            notes: BTreeMap::new(),
            structure: Structure::Artifact,
            scope,
            next_block: 0,
            ..*self
        }
    }

    /// Start a new block element of `role`: the runs set from now on belong to it.
    pub fn begin(&mut self, role: BlockRole) {
        self.structure = Structure::Block {
            id: self.scope << 32 | self.next_block,
            role,
        };
        self.next_block += 1;
    }

    /// The natural size in pt of the image at `path` (relative to the book): its pixels at
    /// 150 dpi. The size comes from the picture `load` checked; a document built without `load`
    /// has its file's header read.
    pub fn image_size(&self, path: &std::path::Path) -> Result<(f32, f32), TypesetError> {
        let (w, h) = match self.images.get(path) {
            Some(p) => p.scaled_from.unwrap_or((p.width, p.height)),
            None => {
                let file = self.settings.root.join(path);
                crate::images::dimensions(&file).map_err(|e| TypesetError::Image {
                    path: file,
                    message: e.to_string(),
                })?
            }
        };
        let pt = |px: u32| px.max(1) as f32 * 72.0 / 150.0;
        Ok((pt(w), pt(h)))
    }

    /// Take over what a forked context collected (bookmarks in order, footnote boxes).
    fn join(&mut self, other: Ctx<'a>) {
        self.outline.extend(other.outline);
        self.notes.extend(other.notes);
    }
}

/// Lays the book out into pages.
pub fn layout(
    settings: &Settings,
    doc: &Document,
    refs: &Resolved,
    fonts: &FontSet,
) -> Result<PagedDocument, TypesetError> {
    let p = &settings.pdf;
    let body = p.font_size.max(4.0);
    let measure = body * p.chars_per_line.max(4) as f32;
    let geo = Geometry {
        width: p.paper.width_mm * MM,
        height: p.paper.height_mm * MM,
        top: p.margins.top * MM,
        bottom: p.margins.bottom * MM,
        inner: p.margins.inner * MM,
        outer: p.margins.outer * MM,
        two_sided: p.two_sided,
        measure,
    };
    if geo.width - measure < 0.0 || geo.block_height() < p.line_pitch * 4.0 {
        return Err(TypesetError::NoRoom {
            width: geo.width - measure,
            height: geo.block_height(),
        });
    }
    let cites = doc
        .citations()
        .iter()
        .enumerate()
        .map(|(i, c)| (c.span.clone(), i))
        .collect();
    let mut ctx = Ctx {
        settings,
        refs,
        fonts,
        shaper: Shaper::new(fonts),
        body,
        pitch: p.line_pitch.max(body),
        measure,
        chapter: 0,
        cites: &cites,
        images: &doc.images,
        outline: Vec::new(),
        notes: BTreeMap::new(),
        structure: Structure::Artifact,
        scope: 0,
        next_block: 0,
    };

    let title = toc::title_page(&mut ctx);
    let mut laid: Vec<Option<(Vec<Elem>, Ctx)>> = chapters_in_parallel(&ctx, doc)?
        .into_iter()
        .map(Some)
        .collect();
    // Assemble in reading order; the contents and the references have outline entries of their own
    // between the parts.
    let front = take_part(&mut ctx, doc, &mut laid, Matter::Front);
    let toc_entry = toc::outline_entry(&ctx);
    ctx.outline.push(toc_entry);
    let mut main = take_part(&mut ctx, doc, &mut laid, Matter::Body);
    let no_body = !doc.chapters.iter().any(|c| c.matter == Matter::Body);
    main.extend(references::section(&mut ctx, no_body));
    main.extend(take_part(&mut ctx, doc, &mut laid, Matter::Back));
    let entries: Vec<OutlineDraft> = ctx.outline.iter().filter(|o| o.in_toc).cloned().collect();
    let mut notes = notes::NoteDrawer::new(&mut ctx);
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    let mut result = None;
    for _ in 0..MAX_PASSES {
        let toc_elems = toc::toc(&mut ctx, &entries, &labels);
        let elems: Vec<&Elem> = title
            .iter()
            .chain(&front)
            .chain(&toc_elems)
            .chain(&main)
            .collect();
        // Only the latest pass's pages are kept: drop the previous ones before drawing new ones.
        result.take();
        let (drafts, anchors) = flow::paginate(&elems, &geo, &mut notes);
        let page_labels = chrome::labels(&drafts);
        let new: BTreeMap<String, String> = entries
            .iter()
            .filter_map(|e| {
                let (pg, _) = anchors.get(&e.anchor)?;
                Some((e.anchor.clone(), page_labels.get(*pg)?.clone()?))
            })
            .collect();
        let stable = new == labels;
        labels = new;
        result = Some((drafts, anchors, page_labels));
        if stable {
            break;
        }
    }
    let Some((drafts, anchors, page_labels)) = result else {
        return Ok(PagedDocument::default());
    };
    let pages = chrome::finish(&mut ctx, drafts, page_labels, &geo);
    let outline = build_outline(&ctx.outline, &anchors);
    Ok(PagedDocument { pages, outline })
}

/// Every chapter laid out on a context of its own, on all cores (rayon), in chapter order. Chapters
/// share nothing while they are shaped and broken into lines; pages come later, in order.
fn chapters_in_parallel<'a>(
    ctx: &Ctx<'a>,
    doc: &Document,
) -> Result<Vec<(Vec<Elem>, Ctx<'a>)>, TypesetError> {
    use rayon::prelude::*;
    let first_body = doc.chapters.iter().position(|c| c.matter == Matter::Body);
    doc.chapters
        .par_iter()
        .enumerate()
        .map(|(i, ch)| {
            let numbering = match ch.matter {
                Matter::Front => flow::Numbering::Roman,
                Matter::Body => flow::Numbering::Arabic {
                    restart: first_body == Some(i),
                },
                Matter::Back => flow::Numbering::Arabic { restart: false },
            };
            let mut c = ctx.fork(i as u64 + 1);
            let elems = blocks::chapter(&mut c, i, ch, numbering)?;
            Ok((elems, c))
        })
        .collect()
}

/// The laid-out chapters of one part of the book (front, body or back matter), in order; what their
/// contexts collected joins `ctx`.
fn take_part<'a>(
    ctx: &mut Ctx<'a>,
    doc: &Document,
    laid: &mut [Option<(Vec<Elem>, Ctx<'a>)>],
    matter: Matter,
) -> Vec<Elem> {
    let mut out = Vec::new();
    for (ch, slot) in doc.chapters.iter().zip(laid.iter_mut()) {
        if ch.matter == matter
            && let Some((elems, done)) = slot.take()
        {
            ctx.join(done);
            out.extend(elems);
        }
    }
    out
}

/// Nests the flat bookmark list by level, with positions from the pagination.
fn build_outline(
    drafts: &[OutlineDraft],
    anchors: &BTreeMap<String, (usize, f32)>,
) -> Vec<OutlineEntry> {
    let mut root: Vec<(u8, OutlineEntry)> = Vec::new();
    // A stack of open entries: (level, entry).
    let mut stack: Vec<(u8, OutlineEntry)> = Vec::new();
    let close =
        |stack: &mut Vec<(u8, OutlineEntry)>, root: &mut Vec<(u8, OutlineEntry)>, level: u8| {
            while stack.last().is_some_and(|(l, _)| *l >= level) {
                if let Some(done) = stack.pop() {
                    match stack.last_mut() {
                        Some((_, parent)) => parent.children.push(done.1),
                        None => root.push(done),
                    }
                }
            }
        };
    for d in drafts {
        let Some(&(page, y)) = anchors.get(&d.anchor) else {
            continue;
        };
        close(&mut stack, &mut root, d.level);
        stack.push((
            d.level,
            OutlineEntry {
                title: d.title.clone(),
                page,
                y,
                children: Vec::new(),
            },
        ));
    }
    close(&mut stack, &mut root, 0);
    root.into_iter().map(|(_, e)| e).collect()
}
