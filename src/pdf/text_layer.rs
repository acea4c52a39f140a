//! pdf::text_layer: the glyphs handed to krilla, arranged so that text extractors read back exactly
//! the source text.
//!
//! Stage: inside the PDF writer. Input: one positioned [`TextRun`] and where the next glyph on its
//! line starts. Output: the run's [`KrillaGlyph`]s.
//!
//! Extractors do not read spaces from the content stream alone: poppler (pdftotext) also starts a
//! new word wherever the box of one glyph (its pen position plus its advance in the font's `/W`
//! widths) and the next glyph are more than 0.1 em apart, and then prints a space between the words
//! of a line that are more than 0.03 em apart. It also sets a glyph that overlaps the previous one
//! by half an em or more on a line of its own. Our typesetting makes both on purpose: CJK–Latin
//! autospace and letter-spaced titles leave gaps of ¼ em and more; punctuation compression pulls the
//! next character half an em into a full-width bracket's frame.
//!
//! So wherever a glyph's box would end more than [`GAP`] before the next glyph, or more than
//! [`OVERLAP`] after its start, a blank *filler* glyph (the face's space) joins the glyph's
//! cluster: it takes no room on the line (advance 0) and is shifted so that its box ends exactly
//! where the next glyph starts (or a tenth of an em after the glyph's own start, when the next glyph
//! starts even before that). A cluster of two glyphs is written as a marked span with
//! `/ActualText` holding the cluster's source text, and poppler measures such a span from its first
//! glyph to the end of its last one, so the gap closes and the text stays the source's. Nothing is
//! drawn: the filler has no outline.

use super::page::TextRun;
use krilla::text::{GlyphId, KrillaGlyph};
use rustybuzz::ttf_parser;

/// A gap wider than this (in em) between a glyph's box and the next glyph gets a filler.
/// poppler breaks words at 0.1 em.
const GAP: f32 = 0.08;
/// An overlap wider than this (in em) gets a filler too. poppler breaks words at 0.2 em and puts
/// the next glyph on another line at 0.5 em.
const OVERLAP: f32 = 0.15;
/// Between runs (where the font, its size or the baseline changes, so poppler starts a new word
/// anyway) it prints a space for any gap over 0.03 em: there a gap wider than this gets a filler.
const RUN_GAP: f32 = 0.02;
/// The least width (in em) a glyph keeps in the text layer when the next glyph overlaps it.
const MIN_WIDTH: f32 = 0.1;

/// What the text layer needs to know of a face: each glyph's advance as the PDF's `/W` array
/// states it, and the blank glyph used as filler.
pub(super) struct Metrics<'a> {
    face: Option<ttf_parser::Face<'a>>,
    filler: Option<(GlyphId, f32)>,
}

impl<'a> Metrics<'a> {
    /// Metrics of face `index` in the font file `data`; a face that does not parse (it could not be
    /// embedded either) or has no blank glyph gets no fillers.
    pub(super) fn new(data: &'a [u8], index: u32) -> Metrics<'a> {
        let face = ttf_parser::Face::parse(data, index).ok();
        let filler = face.as_ref().and_then(|f| {
            let upem = f32::from(f.units_per_em());
            [' ', '\u{3000}'].into_iter().find_map(|c| {
                let g = f.glyph_index(c)?;
                let advance = f.glyph_hor_advance(g)?;
                Some((GlyphId::new(u32::from(g.0)), f32::from(advance) / upem))
            })
        });
        Metrics { face, filler }
    }

    /// The advance of glyph `id` in em, as the font (and so the PDF's `/W` array) states it.
    fn advance(&self, id: u16) -> Option<f32> {
        let f = self.face.as_ref()?;
        let advance = f.glyph_hor_advance(ttf_parser::GlyphId(id))?;
        Some(f32::from(advance) / f32::from(f.units_per_em()))
    }
}

/// The glyphs of `run` for krilla, in em of the run's size, with fillers where extractors would
/// otherwise find a gap or an overlap. `next`: where the next glyph on the same baseline starts (pt),
/// when another run follows the last glyph on this line.
pub(super) fn glyphs(run: &TextRun, metrics: &Metrics, next: Option<f32>) -> Vec<KrillaGlyph> {
    let size = run.size.max(0.01);
    let blank = |r: &std::ops::Range<usize>| {
        run.text
            .get(r.clone())
            .is_none_or(|s| s.chars().all(char::is_whitespace))
    };
    let mut out = Vec::with_capacity(run.glyphs.len());
    let mut pen = run.origin.x;
    for (i, g) in run.glyphs.iter().enumerate() {
        out.push(KrillaGlyph::new(
            GlyphId::new(u32::from(g.id)),
            g.x_advance / size,
            g.x_offset / size,
            -g.y_offset / size,
            0.0,
            g.text.clone(),
            None,
        ));
        let after = pen + g.x_advance;
        let (following, threshold) = match run.glyphs.get(i + 1) {
            // Glyphs of one cluster (a decomposed character) are one span already.
            Some(n) if n.text == g.text => (None, GAP),
            Some(n) => ((!blank(&n.text)).then_some(after + n.x_offset), GAP),
            None => (next, RUN_GAP),
        };
        if let (Some(start), Some((filler, filler_width)), Some(width)) =
            (following, metrics.filler, metrics.advance(g.id))
        {
            let left = pen + g.x_offset;
            let gap = (start - (left + width * size)) / size;
            if !blank(&g.text) && (gap > threshold || gap < -OVERLAP) {
                // Advance 0, shifted so that its box ends where the next glyph starts, but never
                // before this glyph's own start: an opening bracket pulled half an em back over a
                // Latin letter starts before the letter does.
                let end = start.max(left + MIN_WIDTH * size);
                let offset = (end - filler_width * size - after) / size;
                out.push(KrillaGlyph::new(
                    filler,
                    0.0,
                    offset,
                    0.0,
                    0.0,
                    g.text.clone(),
                    None,
                ));
            }
        }
        pen = after;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::FaceId;
    use crate::typeset::page::{Color, Glyph, Point, Structure};
    use krilla::text::Glyph as _;

    fn sample_face() -> Vec<u8> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fonts/NotoSansMonoCJKsc-Regular.otf"
        );
        std::fs::read(path).expect("the sample book's mono face")
    }

    /// A run of `glyphs` (id, advance in em) at 10 pt, one character each.
    fn run(text: &str, advances: &[(u16, f32)]) -> TextRun {
        let mut glyphs = Vec::new();
        for ((at, c), &(id, advance)) in text.char_indices().zip(advances) {
            glyphs.push(Glyph {
                id,
                x_advance: advance * 10.0,
                x_offset: 0.0,
                y_offset: 0.0,
                text: at..at + c.len_utf8(),
            });
        }
        TextRun {
            face: FaceId(0),
            size: 10.0,
            origin: Point { x: 100.0, y: 100.0 },
            color: Color(0, 0, 0),
            text: text.to_string(),
            glyphs,
            structure: Structure::Artifact,
        }
    }

    fn ids(face: &ttf_parser::Face, text: &str) -> Vec<u16> {
        text.chars()
            .map(|c| face.glyph_index(c).expect("covered").0)
            .collect()
    }

    #[test]
    fn autospace_and_compression_get_a_filler_spanning_to_the_next_glyph() {
        let data = sample_face();
        let metrics = Metrics::new(&data, 0);
        let face = ttf_parser::Face::parse(&data, 0).unwrap();
        let (filler, filler_width) = metrics.filler.expect("a space glyph");
        // 用 Rust：the mono face's Han is 1 em, Latin ½ em; ¼ em autospace after 用, the
        // full-width colon compressed to ½ em before 编.
        let g = ids(&face, "用Rust：编");
        let r = run(
            "用Rust：编",
            &[
                (g[0], 1.25),
                (g[1], 0.5),
                (g[2], 0.5),
                (g[3], 0.5),
                (g[4], 0.5),
                (g[5], 0.5),
                (g[6], 1.0),
            ],
        );
        let out = glyphs(&r, &metrics, None);
        let fillers: Vec<usize> = (0..out.len())
            .filter(|&i| out[i].glyph_id() == filler)
            .collect();
        // One after 用 (gap ¼ em), one after ： (overlap ½ em); none inside Rust.
        assert_eq!(fillers, vec![1, 7], "{out:?}");
        for &i in &fillers {
            let f = &out[i];
            assert_eq!(f.text_range(), out[i - 1].text_range(), "same cluster");
            assert_eq!(f.x_advance(1.0), 0.0, "takes no room");
        }
        // 用's filler ends where R starts: pen after 用 is 1.25 em, R starts there.
        let after = &out[1];
        assert!(
            (after.x_offset(1.0) + filler_width).abs() < 1e-4,
            "{after:?}"
        );
        // ：'s filler ends where 编 starts: ½ em after the colon's pen, 0 after its advance.
        let colon = &out[7];
        assert!(
            (colon.x_offset(1.0) + filler_width).abs() < 1e-4,
            "{colon:?}"
        );
    }

    #[test]
    fn a_glyph_overlapped_from_before_its_start_keeps_a_tenth_of_an_em() {
        let data = sample_face();
        let metrics = Metrics::new(&data, 0);
        let face = ttf_parser::Face::parse(&data, 0).unwrap();
        let (_, filler_width) = metrics.filler.expect("a space glyph");
        // s（ with the bracket's blank half pulled back over the s: s advances −0.05 em.
        let g = ids(&face, "s（");
        let r = run("s（", &[(g[0], -0.05), (g[1], 1.0)]);
        let out = glyphs(&r, &metrics, None);
        assert_eq!(out.len(), 3, "{out:?}");
        // The filler's box ends 0.1 em after the s starts: 0.15 em after the pen after the s.
        assert!(
            (out[1].x_offset(1.0) + filler_width - 0.15).abs() < 1e-4,
            "{out:?}"
        );
    }

    #[test]
    fn natural_spacing_and_real_spaces_get_no_filler() {
        let data = sample_face();
        let metrics = Metrics::new(&data, 0);
        let face = ttf_parser::Face::parse(&data, 0).unwrap();
        let g = ids(&face, "中文 ab");
        let r = run(
            "中文 ab",
            &[
                (g[0], 1.05),
                (g[1], 1.0),
                (g[2], 0.9),
                (g[3], 0.5),
                (g[4], 0.5),
            ],
        );
        let out = glyphs(&r, &metrics, None);
        assert_eq!(out.len(), 5, "{out:?}");
    }

    #[test]
    fn the_last_glyph_reaches_to_the_next_run() {
        let data = sample_face();
        let metrics = Metrics::new(&data, 0);
        let face = ttf_parser::Face::parse(&data, 0).unwrap();
        let g = ids(&face, "中");
        let r = run("中", &[(g[0], 1.0)]);
        // The next run starts ¼ em after this glyph's box: a filler.
        assert_eq!(glyphs(&r, &metrics, Some(112.5)).len(), 2);
        // Justification put 0.05 em there: poppler would print a space between runs, so a filler.
        assert_eq!(glyphs(&r, &metrics, Some(110.5)).len(), 2);
        // It starts right after: none.
        assert_eq!(glyphs(&r, &metrics, Some(110.0)).len(), 1);
        assert_eq!(glyphs(&r, &metrics, None).len(), 1);
    }
}
