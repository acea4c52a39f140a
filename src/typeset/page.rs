//! The positioned output of the typesetter: pages of glyph runs, rules, images and link areas.
//!
//! This is the contract between `typeset` (which fills it) and `pdf` (which only draws it). Units are
//! PostScript points; the origin is the page's top-left corner and y grows downwards. Text runs carry
//! the exact source text of each glyph cluster: autospace and justification are advances, never space
//! characters (an extractor that guesses word breaks from gaps may still show one; see `pdf`).

use crate::fonts::FaceId;
use std::ops::Range;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// sRGB, 0–255.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Color(pub u8, pub u8, pub u8);

impl Color {
    pub const BLACK: Color = Color(0, 0, 0);
}

/// The laid-out book.
#[derive(Debug, Clone, Default)]
pub struct PagedDocument {
    pub pages: Vec<Page>,
    /// Bookmarks mirroring the heading tree.
    pub outline: Vec<OutlineEntry>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    /// The printed page number (`iii`, `12`), `None` for unnumbered pages (title page).
    pub label: Option<String>,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone)]
pub enum Item {
    Text(TextRun),
    /// A straight line (rules, table borders, the footnote separator).
    Line {
        from: Point,
        to: Point,
        thickness: f32,
        color: Color,
    },
    /// A filled rectangle (code block shading).
    Fill {
        rect: Rect,
        color: Color,
    },
    /// A raster image scaled into `rect`; `alt` describes it (the tagged PDF's alternate text).
    Image {
        rect: Rect,
        path: PathBuf,
        alt: String,
    },
    /// A clickable area.
    Link {
        rect: Rect,
        target: LinkDest,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum LinkDest {
    Uri(String),
    /// A named position in this document (the anchor name, page index from 0, y from the top); the
    /// PDF gets a named destination, so `book.pdf#ref-grill2020byol` works from outside too.
    Internal {
        name: String,
        page: usize,
        y: f32,
    },
}

/// Glyphs of one face and size on one baseline.
#[derive(Debug, Clone)]
pub struct TextRun {
    pub face: FaceId,
    /// Font size in pt.
    pub size: f32,
    /// Start of the baseline.
    pub origin: Point,
    pub color: Color,
    /// The source text the glyphs stand for (exactly: no inserted spaces).
    pub text: String,
    pub glyphs: Vec<Glyph>,
    /// The logical element the run belongs to (the tagged PDF's structure and reading order).
    pub structure: Structure,
}

/// Where a run of text belongs in the book's logical structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Structure {
    /// Page furniture (running heads, page numbers, list markers, note numbers): not part of the
    /// logical text.
    #[default]
    Artifact,
    /// Part of one block element: `id` is unique in the book.
    Block { id: u64, role: BlockRole },
}

/// The kind of a block element (tagged PDF structure types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockRole {
    /// The book title on the title page.
    Title,
    /// A heading of level 1 (chapter titles) to 6.
    Heading(u8),
    Paragraph,
    Caption,
    /// A footnote.
    Note,
    Code,
    /// An entry of the references.
    BibEntry,
    /// An entry of the table of contents.
    TocEntry,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub id: u16,
    /// Advance after this glyph in pt, including any autospace, justification or compression.
    pub x_advance: f32,
    /// Shift of this glyph from its pen position, in pt (y down).
    pub x_offset: f32,
    pub y_offset: f32,
    /// Byte range in [`TextRun::text`] this glyph (cluster) stands for.
    pub text: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct OutlineEntry {
    pub title: String,
    pub page: usize,
    pub y: f32,
    pub children: Vec<OutlineEntry>,
}
