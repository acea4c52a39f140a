//! fonts: the font stage, shared by the EPUB and the PDF writers.
//!
//! **Stage:** after config, before the writers.
//! **Input:** the font file (and face index) per [`Role`] set in `book.toml`, already resolved to
//! absolute paths by config, plus the book's `fonts/` folder.
//! **Output:** a [`FontSet`]: one loaded [`Face`] per distinct file+index, a face for every role
//! (directly or through [`Role::fallbacks`]), coverage queries ([`FontSet::face_for_char`]) and
//! per-book subsets ([`Face::subset`]) as standalone OTF/TTF files for EPUB embedding. The PDF
//! writer hands [`Face::data`] and [`Face::index`] to its own subsetter.
//!
//! Roles not configured are looked up in the book's `fonts/` folder, then in the system font
//! folders, by the family and subfamily names in each font's `name` table (see `discover.rs`).

mod discover;
mod face;
mod set;
mod subset;

#[cfg(test)]
mod tests;

use crate::doc::TextStyle;
use std::path::PathBuf;

pub use face::Face;
pub use set::{FontSet, Picked, PickedHow};

/// What a face is used for (typography.md §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// 宋体: body text.
    Serif,
    /// Bold of the body family: `**strong**` when the font has one.
    SerifBold,
    /// 黑体 regular.
    Sans,
    /// 黑体 bold: headings, run-in heads, strong emphasis.
    SansBold,
    /// 楷体: `*em*`, quotations, dialogue, epigraphs.
    Kai,
    /// Code.
    Mono,
}

impl Role {
    /// Every role, in a fixed order.
    pub const ALL: [Role; 6] = [
        Role::Serif,
        Role::SerifBold,
        Role::Sans,
        Role::SansBold,
        Role::Kai,
        Role::Mono,
    ];

    /// The `book.toml` key: `serif`, `serif-bold`, `sans`, `sans-bold`, `kai`, `mono`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Serif => "serif",
            Role::SerifBold => "serif-bold",
            Role::Sans => "sans",
            Role::SansBold => "sans-bold",
            Role::Kai => "kai",
            Role::Mono => "mono",
        }
    }

    /// The roles whose face stands in for this one, best first, starting with the role itself.
    /// Every chain ends with all four Song/Hei roles, so a set with any CJK serif or sans gives
    /// every role a face.
    pub fn fallbacks(self) -> &'static [Role] {
        use Role::*;
        match self {
            Serif => &[Serif, Sans, SerifBold, SansBold],
            SerifBold => &[SerifBold, SansBold, Serif, Sans],
            Sans => &[Sans, SansBold, Serif, SerifBold],
            SansBold => &[SansBold, Sans, SerifBold, Serif],
            Kai => &[Kai, Serif, Sans, SerifBold, SansBold],
            Mono => &[Mono, Serif, Sans, SerifBold, SansBold],
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One face of a font file: `index` is the face number in a `.ttc`/`.otc` collection, 0 otherwise.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FontSpec {
    /// Absolute path, already resolved by config.
    pub path: PathBuf,
    pub index: u32,
}

/// A face in a [`FontSet`]; stable for the life of the set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FaceId(pub u16);

/// Errors of the font stage.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("cannot read font file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a usable font: {reason}")]
    NotAFont { path: PathBuf, reason: String },
    #[error("{path} has {count} face(s); face index {index} does not exist")]
    IndexOutOfRange {
        path: PathBuf,
        index: u32,
        count: u32,
    },
    #[error(
        "no Chinese font found for role `{role}`; install fonts-noto-cjk (Debian/Ubuntu) or set \
         [fonts] serif = \"path/to/font.otf\" in book.toml"
    )]
    NoCjkFont { role: Role },
    #[error("cannot subset font {family}: {message}")]
    Subset { family: String, message: String },
    /// A font set in book.toml for `role` cannot be used (the cause is `source`).
    #[error("[fonts] {role}: {source}")]
    Configured {
        role: Role,
        #[source]
        source: Box<FontError>,
    },
}

/// The font role each text style is set in (typography.md §6).
pub fn role_for_style(style: TextStyle) -> Role {
    match style {
        TextStyle::Body => Role::Serif,
        TextStyle::Heading | TextStyle::Strong => Role::SansBold,
        TextStyle::Emph | TextStyle::Quote => Role::Kai,
        TextStyle::Code => Role::Mono,
    }
}
