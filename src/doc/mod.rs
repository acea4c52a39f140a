//! doc: the output-independent intermediate representation of a book.
//!
//! Stage: produced once by `load` from the Markdown chapters, read by `refs`, `epub` and `typeset`.
//! Input: nothing (pure data, no I/O). Output: [`Document`], its chapters, blocks and inlines,
//! each carrying the [`Span`] it came from so any later stage can point back into the source.
//!
//! Text in the IR is already normalised for Chinese (shared/docs/typography.md §4–§5): soft line breaks
//! are joined, spaces between Han characters are gone, smart quotes are paired, full-width ASCII is folded,
//! and every Han↔Latin boundary is an explicit [`Inline::Autospace`] instead of a space character. Renderers
//! decide what an autospace becomes: one U+0020 in XHTML, a 1/4 em glue (never text) in the PDF.

mod walk;

pub use walk::{TextStyle, chars_by_style, plain_text};

use crate::diag::Span;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// The whole book's content, in reading order. Settings (title, fonts, paper) live in `config::Settings`.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub chapters: Vec<Chapter>,
    /// Every image the chapters use, checked by `load` (scaled when too large), by [`Image::path`].
    /// Writers embed these bytes; an image missing here was refused with an error.
    pub images: BTreeMap<PathBuf, Arc<crate::images::Picture>>,
}

/// Where a chapter stands in the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Matter {
    /// Preface, foreword: roman page numbers in print, before the first chapter.
    Front,
    #[default]
    Body,
    /// Colophon, appendices after the references.
    Back,
}

#[derive(Debug, Clone)]
pub struct Chapter {
    /// Stable id, unique in the book, usable as a file stem and an XML id: `ch01-ardm`.
    pub id: String,
    /// The source file relative to the book root (`content/01-ardm.md`).
    pub source: PathBuf,
    pub matter: Matter,
    /// From front matter `title`, else from the first `#` heading (which is then not repeated in `blocks`).
    pub title: String,
    pub subtitle: Option<String>,
    /// A paper chapter's header: shown under the title when any field is set.
    pub paper: PaperInfo,
    pub blocks: Vec<Block>,
    /// Footnote definitions in order of first reference; [`Inline::FootnoteRef`] indexes into this.
    pub footnotes: Vec<Footnote>,
    /// The whole file (for messages about the chapter as such).
    pub span: Span,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaperInfo {
    pub authors: Vec<String>,
    pub venue: Option<String>,
    pub url: Option<String>,
    /// Bibliography key of the paper itself: its full reference goes into the header.
    pub cite: Option<(String, Span)>,
}

impl PaperInfo {
    pub fn is_empty(&self) -> bool {
        self.authors.is_empty() && self.venue.is_none() && self.url.is_none() && self.cite.is_none()
    }
}

#[derive(Debug, Clone)]
pub struct Footnote {
    /// The label as written (`[^1]`, `[^note]`).
    pub label: String,
    pub blocks: Vec<Block>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone)]
pub enum Block {
    /// A section heading. `level` is as written (`##` = 2); the chapter title is above all of them.
    Heading {
        level: u8,
        /// Unique in the whole book; kept readable for Chinese (`方法`, `方法-2`), never empty.
        id: String,
        content: Vec<Inline>,
        span: Span,
    },
    Paragraph {
        content: Vec<Inline>,
        span: Span,
    },
    /// An image standing alone in its paragraph: a figure with the image title as caption.
    Figure {
        image: Image,
        caption: Vec<Inline>,
        span: Span,
    },
    Quote {
        blocks: Vec<Block>,
        span: Span,
    },
    List {
        /// `Some(start)` for an ordered list.
        start: Option<u64>,
        tight: bool,
        items: Vec<ListItem>,
        span: Span,
    },
    Code {
        lang: Option<String>,
        text: String,
        span: Span,
    },
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        span: Span,
    },
    Rule {
        span: Span,
    },
}

impl Block {
    pub fn span(&self) -> &Span {
        match self {
            Block::Heading { span, .. }
            | Block::Paragraph { span, .. }
            | Block::Figure { span, .. }
            | Block::Quote { span, .. }
            | Block::List { span, .. }
            | Block::Code { span, .. }
            | Block::Table { span, .. }
            | Block::Rule { span } => span,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ListItem {
    /// `Some(checked)` for a task-list item.
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
pub struct Image {
    /// Path relative to the book root (`images/ardm-order.png`), checked to exist inside the book.
    pub path: PathBuf,
    pub alt: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Inline {
    /// Normalised text. May contain U+0020 word spaces between Latin words and U+00A0 no-break spaces.
    Text(String),
    /// A Han↔Latin boundary (typography.md §4): one U+0020 in XHTML, 1/4 em glue in print.
    Autospace,
    Emph(Vec<Inline>),
    Strong(Vec<Inline>),
    Strike(Vec<Inline>),
    Code(String),
    Link {
        target: LinkTarget,
        content: Vec<Inline>,
        span: Span,
    },
    /// An image inside running text (a figure is [`Block::Figure`]).
    Image(Image),
    Cite(Citation),
    /// Index into the chapter's [`Chapter::footnotes`].
    FootnoteRef {
        index: usize,
        span: Span,
    },
    /// A hard line break.
    LineBreak,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// `https://…`, `mailto:…`.
    External(String),
    /// A chapter of this book, optionally a heading in it (by its book-unique id).
    Internal {
        chapter: String,
        anchor: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub items: Vec<CiteItem>,
    /// `@key` in running text ("Grill et al. [3]"), as opposed to `[@key]`.
    pub narrative: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteItem {
    pub key: String,
    /// `p. 12` in `[@key, p. 12]`.
    pub locator: Option<String>,
    /// `[-@key]`.
    pub suppress_author: bool,
    pub span: Span,
}

impl Document {
    /// Every citation in reading order (body text, then each chapter's footnotes where they are referenced).
    pub fn citations(&self) -> Vec<&Citation> {
        let mut out = Vec::new();
        for ch in &self.chapters {
            walk::citations_in_blocks(&ch.blocks, &ch.footnotes, &mut out);
        }
        out
    }
}

/// The circled footnote marker for note `n` (1-based; typography.md §7), in both outputs: ①–⑳, ㉑–㊿, then `(51)`.
pub fn note_marker(n: usize) -> String {
    let c = match n {
        1..=20 => char::from_u32(0x2460 + n as u32 - 1),
        21..=35 => char::from_u32(0x3251 + n as u32 - 21),
        36..=50 => char::from_u32(0x32B1 + n as u32 - 36),
        _ => None,
    };
    c.map(String::from).unwrap_or_else(|| format!("({n})"))
}
