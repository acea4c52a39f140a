//! notes: footnotes at the foot of their page (typography.md §7).
//!
//! Input: a chapter's footnote definitions. Output: their line boxes, one size down, with a hanging
//! indent for the marker (kept in `Ctx::notes`), and a [`NoteDrawer`] that the page flow asks for circled
//! markers `①②③…` (numbered per page) and for the short separator rule above the notes.

use super::blocks::{Env, blocks};
use super::flow::{BoxElem, Elem, NoteKey, NoteSource};
use super::page::{BlockRole, Color, Item, Point, Structure};
use super::paragraph::SUP_SCALE;
use super::shape::Shaper;
use super::{Ctx, TypesetError};
use crate::doc::Chapter;
use crate::fonts::{FontSet, Role};
use std::collections::BTreeMap;

/// Note text size: one size down from the body (五号 under 小四, 小五 under 五号).
pub fn note_size(body: f32) -> f32 {
    if body >= 11.5 {
        10.5
    } else {
        (body - 1.5).max(6.0)
    }
}

/// Lays out the footnotes of chapter `index` into `ctx.notes`.
pub fn layout_chapter(ctx: &mut Ctx, index: usize, ch: &Chapter) -> Result<(), TypesetError> {
    let size = note_size(ctx.body);
    let hang = size * 1.5;
    let env = Env {
        left: hang,
        measure: ctx.measure - hang,
        role: Role::Serif,
        size,
        pitch: size * 1.5,
        indent: 0.0,
    };
    for (n, note) in ch.footnotes.iter().enumerate() {
        ctx.chapter = index;
        let elems = blocks(ctx, &note.blocks, &env)?;
        // One structure element for the whole note, whatever blocks it holds.
        ctx.begin(BlockRole::Note);
        let note_structure = ctx.structure;
        let mut boxes: Vec<BoxElem> = elems
            .into_iter()
            .filter_map(|e| match e {
                Elem::Box(b) => Some(b),
                _ => None,
            })
            .collect();
        for it in boxes.iter_mut().flat_map(|b| &mut b.items) {
            if let Item::Text(t) = it
                && t.structure != Structure::Artifact
            {
                t.structure = note_structure;
            }
        }
        ctx.notes.insert((index, n), boxes);
    }
    Ok(())
}

/// Draws note markers and hands the laid-out notes to the page flow.
pub struct NoteDrawer<'a> {
    shaper: Shaper<'a>,
    fonts: &'a FontSet,
    notes: BTreeMap<NoteKey, Vec<BoxElem>>,
    body: f32,
    measure: f32,
}

impl<'a> NoteDrawer<'a> {
    /// Takes the laid-out notes out of `ctx`.
    pub fn new(ctx: &mut Ctx<'a>) -> Self {
        NoteDrawer {
            shaper: Shaper::new(ctx.fonts),
            fonts: ctx.fonts,
            notes: std::mem::take(&mut ctx.notes),
            body: ctx.body,
            measure: ctx.measure,
        }
    }
}

impl NoteSource for NoteDrawer<'_> {
    fn body(&self, note: NoteKey) -> &[BoxElem] {
        self.notes.get(&note).map(|v| v.as_slice()).unwrap_or(&[])
    }

    fn marker(
        &mut self,
        number: usize,
        at: Point,
        in_note: bool,
        structure: Structure,
    ) -> Vec<Item> {
        let text = crate::doc::note_marker(number);
        let size = if in_note {
            note_size(self.body)
        } else {
            self.body * SUP_SCALE
        };
        let c = text.chars().next().unwrap_or('1');
        let face = self
            .fonts
            .face_for_char(Role::Serif, c)
            .unwrap_or_else(|| self.fonts.face_id(Role::Serif));
        let glyphs = self.shaper.shape(face, &text, size);
        let run = super::page::TextRun {
            structure,
            face,
            size,
            origin: at,
            color: Color::BLACK,
            glyphs: glyphs
                .iter()
                .map(|g| super::page::Glyph {
                    id: g.id,
                    x_advance: g.advance,
                    x_offset: g.x_offset,
                    y_offset: g.y_offset,
                    text: 0..text.len(),
                })
                .collect(),
            text,
        };
        vec![Item::Text(run)]
    }

    fn separator(&self) -> (f32, Vec<Item>) {
        let gap = self.body * 0.8;
        let rule = Item::Line {
            from: Point { x: 0.0, y: 0.0 },
            to: Point {
                x: self.measure / 4.0,
                y: 0.0,
            },
            thickness: 0.5,
            color: Color::BLACK,
        };
        (gap + self.body * 0.6, vec![rule])
    }
}
