//! typeset: Document → pages of positioned glyphs (shared/docs/typography.md).

pub mod linebreak;
pub mod page;
