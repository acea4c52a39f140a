//! shape: text of one face and size → positioned glyphs (rustybuzz), plus the character classes the
//! paragraph assembler needs to place punctuation in its nominal frame (typography.md §0, §3.1, §3.4).
//!
//! Input: a [`FaceId`] of the book's [`FontSet`], a string and a size in pt. Output: [`ShapedGlyph`]s in
//! pt with the byte offset of their cluster. Faces are parsed once per layout and cached.

use crate::fonts::{FaceId, FontSet};
use std::collections::BTreeMap;

/// One glyph from the shaper, in pt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapedGlyph {
    pub id: u16,
    pub advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
    /// Byte offset of the glyph's cluster in the shaped text.
    pub cluster: usize,
}

/// Shapes text with rustybuzz, caching the parsed faces.
pub struct Shaper<'a> {
    fonts: &'a FontSet,
    faces: BTreeMap<FaceId, Option<rustybuzz::Face<'a>>>,
    /// Shape plans by face and script (an OpenType script tag).
    plans: BTreeMap<(FaceId, u32), rustybuzz::ShapePlan>,
    /// Chinese (Simplified): selects the `locl` forms of shared punctuation.
    language: rustybuzz::Language,
}

impl<'a> Shaper<'a> {
    pub fn new(fonts: &'a FontSet) -> Self {
        Shaper {
            fonts,
            faces: BTreeMap::new(),
            plans: BTreeMap::new(),
            language: "zh-Hans".parse().expect("a valid BCP 47 tag"),
        }
    }

    fn face(&mut self, id: FaceId) -> Option<&rustybuzz::Face<'a>> {
        let fonts = self.fonts;
        self.faces
            .entry(id)
            .or_insert_with(|| {
                let f = fonts.get(id);
                rustybuzz::Face::from_slice(f.data(), f.index())
            })
            .as_ref()
    }

    /// The ink box of glyph `glyph` of face `id` as (x_min, x_max, y_min, y_max) in pt at `size`
    /// (y up from the baseline), `None` for a glyph without outline.
    pub fn ink_box(&mut self, id: FaceId, glyph: u16, size: f32) -> Option<(f32, f32, f32, f32)> {
        let face = self.face(id)?;
        let scale = size / face.units_per_em().max(1) as f32;
        let r = face.glyph_bounding_box(rustybuzz::ttf_parser::GlyphId(glyph))?;
        Some((
            f32::from(r.x_min) * scale,
            f32::from(r.x_max) * scale,
            f32::from(r.y_min) * scale,
            f32::from(r.y_max) * scale,
        ))
    }

    /// Shapes `text` (left to right) in face `id` at `size` pt.
    pub fn shape(&mut self, id: FaceId, text: &str, size: f32) -> Vec<ShapedGlyph> {
        if self.face(id).is_none() {
            return Vec::new();
        }
        let Some(Some(face)) = self.faces.get(&id) else {
            return Vec::new();
        };
        let scale = size / face.units_per_em().max(1) as f32;
        let mut buf = rustybuzz::UnicodeBuffer::new();
        buf.push_str(text);
        buf.set_direction(rustybuzz::Direction::LeftToRight);
        buf.set_language(self.language.clone());
        buf.guess_segment_properties();
        // A shape plan costs more than shaping a paragraph: one per face and script, reused.
        let script = buf.script();
        let language = &self.language;
        let plan = self
            .plans
            .entry((id, script.tag().as_u32()))
            .or_insert_with(|| {
                rustybuzz::ShapePlan::new(
                    face,
                    rustybuzz::Direction::LeftToRight,
                    Some(script),
                    Some(language),
                    &[],
                )
            });
        let out = rustybuzz::shape_with_plan(face, plan, buf);
        out.glyph_infos()
            .iter()
            .zip(out.glyph_positions())
            .map(|(info, pos)| ShapedGlyph {
                id: u16::try_from(info.glyph_id).unwrap_or(0),
                advance: pos.x_advance as f32 * scale,
                x_offset: pos.x_offset as f32 * scale,
                y_offset: -(pos.y_offset as f32) * scale,
                cluster: info.cluster as usize,
            })
            .collect()
    }

    /// Natural width of `text` in face `id` at `size`.
    pub fn width(&mut self, id: FaceId, text: &str, size: f32) -> f32 {
        self.shape(id, text, size).iter().map(|g| g.advance).sum()
    }
}

/// Han, kana, Bopomofo and the ideographic symbols: the characters set solid in a 1 em frame
/// (one table for the whole crate, shared with the loader's normalisation).
pub use crate::load::is_han;

/// Where a punctuation mark's ink sits in its nominal frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    /// STOP and CLOSE: ink on the left.
    Left,
    /// OPEN: ink on the right.
    Right,
    Centre,
}

/// Shared marks whose font advance must not be trusted in a Chinese context (§3.4).
pub fn is_shared_mark(c: char) -> bool {
    matches!(
        c,
        '“' | '”' | '‘' | '’' | '—' | '–' | '…' | '·' | '‧' | '⸺' | '⋯'
    )
}

/// The GB nominal frame (in em) and ink side of a full-width or shared mark, `None` for other characters.
pub fn punct_frame(c: char) -> Option<(f32, Ink)> {
    let ink = match c {
        '“' | '‘' | '（' | '〔' | '［' | '｛' | '〈' | '《' | '「' | '『' | '【' | '〖' | '〘'
        | '〚' | '｟' => Ink::Right,
        '”' | '’' | '）' | '〕' | '］' | '｝' | '〉' | '》' | '」' | '』' | '】' | '〗' | '〙'
        | '〛' | '｠' | '。' | '．' | '，' | '、' | '；' | '：' | '？' | '！' => {
            Ink::Left
        }
        '·' | '‧' | '・' | '／' => return Some((0.5, Ink::Centre)),
        '–' => return Some((0.5, Ink::Centre)),
        '—' | '…' | '⋯' | '～' | '〜' => Ink::Centre,
        '⸺' => return Some((2.0, Ink::Centre)),
        _ => return None,
    };
    Some((1.0, ink))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_han('中') && !is_han('a') && !is_han('，'));
        assert_eq!(punct_frame('“'), Some((1.0, Ink::Right)));
        assert_eq!(punct_frame('·'), Some((0.5, Ink::Centre)));
        assert_eq!(punct_frame('a'), None);
    }
}
