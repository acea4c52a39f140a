//! refs: citations → numbered marks and a formatted references list.
//!
//! Stage: after `load`, before the writers. Input: the [`Document`](crate::doc::Document)'s citations in reading
//! order and the bibliography files named in book.toml. Output: [`Resolved`]: one [`CiteMark`] per citation
//! and the [`Entry`] list in the order the style wants (first citation for numeric styles).
//! (The types below are the contract the writers render; the resolver lands with its issue.)

use crate::diag::Span;

/// What the writers need to render citations and the references section.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// One mark per citation, in the order of `Document::citations()`; `marks[i].span` is that citation's span.
    pub marks: Vec<CiteMark>,
    /// The references list, in display order.
    pub entries: Vec<Entry>,
    /// Section title (参考文献 / References).
    pub title: String,
    /// Marks for each chapter's paper header (`cite:` in front matter), by chapter id.
    pub paper_refs: Vec<(String, Vec<RefText>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CiteMark {
    pub span: Span,
    /// `[1]`, `[1-3]`, `Grill 等 [3]`, `(Grill et al., 2020)`, or `[?key]` for an unknown key.
    pub text: String,
    /// GB/T 7714 numeric puts marks in superscript.
    pub superscript: bool,
    /// Anchor ids of the entries it links to (`ref-grill2020byol`), in order.
    pub targets: Vec<String>,
    /// Anchor id of this citation occurrence (`cite-12`), target of the entry's back link.
    pub anchor: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    /// Anchor id of the entry (`ref-grill2020byol`).
    pub anchor: String,
    /// `[1]` for numeric styles; empty for author-date.
    pub label: String,
    /// The formatted reference.
    pub text: Vec<RefText>,
    /// Where it is first cited: (chapter id, citation anchor id).
    pub first_cited: Option<(String, String)>,
}

/// Formatted reference text: plain runs, italic runs and links (URLs, DOIs).
#[derive(Debug, Clone, PartialEq)]
pub enum RefText {
    Plain(String),
    Italic(String),
    Link { text: String, url: String },
}
