//! Walkers over the IR: plain text, the characters each text style uses, citations in reading order.

use super::{Block, Chapter, Citation, Document, Footnote, Inline};
use std::collections::{BTreeMap, BTreeSet};

/// The semantic style a piece of text is set in. Each output maps it to a font role
/// (`fonts::Role::for_style`), so both outputs subset exactly the glyphs they draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TextStyle {
    Body,
    Heading,
    Strong,
    Emph,
    Quote,
    Code,
}

/// The text of inlines without markup; an autospace becomes one U+0020.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut s = String::new();
    push_plain(inlines, &mut s);
    s
}

fn push_plain(inlines: &[Inline], s: &mut String) {
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) => s.push_str(t),
            Inline::Autospace => s.push(' '),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => push_plain(c, s),
            Inline::Link { content, .. } => push_plain(content, s),
            Inline::Image(img) => s.push_str(&img.alt),
            Inline::Cite(_) | Inline::FootnoteRef { .. } => {}
            Inline::LineBreak => s.push('\n'),
        }
    }
}

/// Every character of the document's own text, by the style it is set in. Writers add the text they
/// generate themselves (title page, table of contents, references, note markers).
pub fn chars_by_style(doc: &Document) -> BTreeMap<TextStyle, BTreeSet<char>> {
    let mut out: BTreeMap<TextStyle, BTreeSet<char>> = BTreeMap::new();
    for ch in &doc.chapters {
        chapter_chars(ch, &mut out);
    }
    out
}

fn chapter_chars(ch: &Chapter, out: &mut BTreeMap<TextStyle, BTreeSet<char>>) {
    add(out, TextStyle::Heading, &ch.title);
    if let Some(s) = &ch.subtitle {
        add(out, TextStyle::Heading, s);
    }
    for a in &ch.paper.authors {
        add(out, TextStyle::Body, a);
    }
    for s in ch.paper.venue.iter().chain(&ch.paper.url) {
        add(out, TextStyle::Body, s);
    }
    blocks_chars(&ch.blocks, TextStyle::Body, out);
    for f in &ch.footnotes {
        blocks_chars(&f.blocks, TextStyle::Body, out);
    }
}

fn add(out: &mut BTreeMap<TextStyle, BTreeSet<char>>, style: TextStyle, text: &str) {
    out.entry(style)
        .or_default()
        .extend(text.chars().filter(|c| !c.is_control()));
}

fn blocks_chars(blocks: &[Block], style: TextStyle, out: &mut BTreeMap<TextStyle, BTreeSet<char>>) {
    for b in blocks {
        match b {
            Block::Heading { content, .. } => inline_chars(content, TextStyle::Heading, out),
            Block::Paragraph { content, .. } => inline_chars(content, style, out),
            Block::Figure { image, caption, .. } => {
                add(out, style, &image.alt);
                inline_chars(caption, style, out);
            }
            Block::Quote { blocks, .. } => blocks_chars(blocks, TextStyle::Quote, out),
            Block::List { items, .. } => {
                for item in items {
                    blocks_chars(&item.blocks, style, out);
                }
            }
            Block::Code { text, .. } => add(out, TextStyle::Code, text),
            Block::Table { head, rows, .. } => {
                for cell in head {
                    inline_chars(cell, TextStyle::Strong, out);
                }
                for cell in rows.iter().flatten() {
                    inline_chars(cell, style, out);
                }
            }
            Block::Rule { .. } => {}
        }
    }
}

fn inline_chars(
    inlines: &[Inline],
    style: TextStyle,
    out: &mut BTreeMap<TextStyle, BTreeSet<char>>,
) {
    for i in inlines {
        match i {
            Inline::Text(t) => add(out, style, t),
            Inline::Autospace => add(out, style, " "),
            Inline::Emph(c) => inline_chars(c, TextStyle::Emph, out),
            Inline::Strong(c) => inline_chars(c, TextStyle::Strong, out),
            Inline::Strike(c) => inline_chars(c, style, out),
            Inline::Code(t) => add(out, TextStyle::Code, t),
            Inline::Link { content, .. } => inline_chars(content, style, out),
            Inline::Image(img) => add(out, style, &img.alt),
            Inline::Cite(_) | Inline::FootnoteRef { .. } | Inline::LineBreak => {}
        }
    }
}

/// Citations in reading order; a footnote's citations count where the footnote is first referenced.
pub(super) fn citations_in_blocks<'a>(
    blocks: &'a [Block],
    notes: &'a [Footnote],
    out: &mut Vec<&'a Citation>,
) {
    let mut seen = vec![false; notes.len()];
    blocks_cites(blocks, notes, &mut seen, out);
}

fn blocks_cites<'a>(
    blocks: &'a [Block],
    notes: &'a [Footnote],
    seen: &mut Vec<bool>,
    out: &mut Vec<&'a Citation>,
) {
    for b in blocks {
        match b {
            Block::Heading { content, .. } | Block::Paragraph { content, .. } => {
                inline_cites(content, notes, seen, out)
            }
            Block::Figure { caption, .. } => inline_cites(caption, notes, seen, out),
            Block::Quote { blocks, .. } => blocks_cites(blocks, notes, seen, out),
            Block::List { items, .. } => {
                for item in items {
                    blocks_cites(&item.blocks, notes, seen, out);
                }
            }
            Block::Table { head, rows, .. } => {
                for cell in head.iter().chain(rows.iter().flatten()) {
                    inline_cites(cell, notes, seen, out);
                }
            }
            Block::Code { .. } | Block::Rule { .. } => {}
        }
    }
}

fn inline_cites<'a>(
    inlines: &'a [Inline],
    notes: &'a [Footnote],
    seen: &mut Vec<bool>,
    out: &mut Vec<&'a Citation>,
) {
    for i in inlines {
        match i {
            Inline::Cite(c) => out.push(c),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => {
                inline_cites(c, notes, seen, out)
            }
            Inline::Link { content, .. } => inline_cites(content, notes, seen, out),
            Inline::FootnoteRef { index, .. } => {
                if let Some(false) = seen.get(*index) {
                    seen[*index] = true;
                    blocks_cites(&notes[*index].blocks, notes, seen, out);
                }
            }
            Inline::Text(_)
            | Inline::Autospace
            | Inline::Code(_)
            | Inline::Image(_)
            | Inline::LineBreak => {}
        }
    }
}
