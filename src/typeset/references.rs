//! references: the references section (参考文献) after the body chapters.
//!
//! Input: `refs::Resolved` (title and formatted entries). Output: flow elements: a chapter-like opening
//! with its own bookmark (or, with per-chapter references, a section heading closing each chapter),
//! then one entry per paragraph, one size down, ragged right (justified
//! references get huge word gaps), with the label hanging in the left margin of the entry.

use super::Ctx;
use super::blocks::{Env, attach_marker, heading, opening, ref_pieces, strut};
use super::flow::{Elem, Numbering};
use super::page::{BlockRole, Point};
use super::paragraph::{self, Align, ParaOpts, Style};
use crate::doc::Inline;
use crate::fonts::Role;
use crate::refs::Entry;

/// Anchor of the references section.
pub const REFS_ANCHOR: &str = "references";

/// The references section at the end of the book, or nothing when there are no entries.
pub fn section(ctx: &mut Ctx, restart: bool) -> Vec<Elem> {
    if ctx.refs.entries.is_empty() {
        return Vec::new();
    }
    let title = title(ctx);
    let mut out = opening(
        ctx,
        &title,
        REFS_ANCHOR,
        Numbering::Arabic { restart },
        Some(title.clone()),
    );
    out.push(strut(ctx.pitch));
    let entries = ctx.refs.entries.clone();
    out.extend(list(ctx, &entries));
    out
}

/// With per-chapter references: the list closing chapter `id`, under a section heading that is in
/// the table of contents and the outline; nothing when the chapter cites nothing.
pub fn chapter_section(ctx: &mut Ctx, id: &str) -> Vec<Elem> {
    let entries = ctx.refs.chapter_list(id).to_vec();
    if entries.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let title = title(ctx);
    let env = Env::body(ctx);
    heading(
        ctx,
        2,
        &format!("{id}-references"),
        &[Inline::Text(title)],
        &env,
        &mut out,
    );
    out.extend(list(ctx, &entries));
    out
}

fn title(ctx: &Ctx) -> String {
    if ctx.refs.title.is_empty() {
        ctx.settings.content.references_title.clone()
    } else {
        ctx.refs.title.clone()
    }
}

/// The entries, one size down, ragged right, numeric labels hanging in the margin (author-date
/// entries get a hanging indent instead), each line box carrying its entry's anchor.
fn list(ctx: &mut Ctx, entries: &[Entry]) -> Vec<Elem> {
    let mut out = Vec::new();
    let size = if ctx.body >= 11.5 {
        10.5
    } else {
        (ctx.body - 1.5).max(6.0)
    };
    let face = ctx.fonts.face_id(Role::Serif);
    let hang = entries
        .iter()
        .map(|e| ctx.shaper.width(face, &e.label, size))
        .fold(0.0f32, f32::max)
        + if entries.iter().any(|e| !e.label.is_empty()) {
            size * 0.5
        } else {
            0.0
        };
    for e in entries {
        let pieces = ref_pieces(&e.text, &Style::new(Role::Serif, size));
        let author_date = e.label.is_empty();
        let opts = ParaOpts {
            measure: ctx.measure - hang - if author_date { 2.0 * size } else { 0.0 },
            indent: 0.0,
            left: hang + if author_date { 2.0 * size } else { 0.0 },
            align: Align::Left,
            pitch: size * 1.55,
            keep_lines: true,
        };
        ctx.begin(BlockRole::BibEntry);
        let mut lines: Vec<Elem> = paragraph::layout(ctx, &pieces, &opts)
            .into_iter()
            .map(Elem::Box)
            .collect();
        if author_date {
            // Hanging indent: the first line starts at the left edge.
            if let Some(Elem::Box(b)) = lines.first_mut() {
                b.items = b
                    .items
                    .iter()
                    .map(|i| super::flow::offset_item(i, -2.0 * size, 0.0))
                    .collect();
            }
        } else {
            attach_marker(
                ctx,
                &mut lines,
                &e.label,
                Role::Serif,
                size,
                Point {
                    x: hang - size * 0.5,
                    y: 0.0,
                },
            );
        }
        if let Some(Elem::Box(b)) = lines.first_mut() {
            b.anchors.push((e.anchor.clone(), 0.0));
        }
        out.extend(lines);
        out.push(Elem::Space(size * 0.3));
    }
    out
}
