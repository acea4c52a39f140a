//! Per-book subsets for EPUB embedding, made with allsorts.
//!
//! `SubsetProfile::Minimal` with a Unicode cmap gives a standalone OTF (CFF outlines) or TTF
//! (TrueType outlines) with cmap, head, hhea, hmtx, maxp, name, OS/2 and post; GSUB, GPOS and
//! the vertical tables are dropped (shared/docs/dependencies.md).

use std::collections::BTreeSet;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};

use super::{Face, FontError};

impl Face {
    /// A standalone OTF/TTF (never a collection) holding .notdef and the glyphs of those of
    /// `chars` that this face covers (others are left out: check [`Face::covers`] first).
    /// Its cmap maps those characters (and any other character the source maps to the same
    /// glyphs). The same face and characters always give the same bytes.
    pub fn subset(&self, chars: &BTreeSet<char>) -> Result<Vec<u8>, FontError> {
        let fail = |message: String| FontError::Subset {
            family: self.family().to_string(),
            message,
        };
        // .notdef first, then the rest in glyph-id order: deterministic and what allsorts wants.
        let mut glyphs: Vec<u16> = self.glyph_ids(chars.iter().copied()).map_err(&fail)?;
        glyphs.push(0);
        glyphs.sort_unstable();
        glyphs.dedup();

        let data = self.data();
        let font = ReadScope::new(data)
            .read::<FontData<'_>>()
            .map_err(|e| fail(format!("cannot parse font: {e}")))?;
        let index = usize::try_from(self.index()).map_err(|e| fail(e.to_string()))?;
        let provider = font
            .table_provider(index)
            .map_err(|e| fail(format!("cannot read face {index}: {e}")))?;
        subset(
            &provider,
            &glyphs,
            &SubsetProfile::Minimal,
            CmapTarget::Unicode,
        )
        .map_err(|e| fail(e.to_string()))
    }
}
