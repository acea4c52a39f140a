//! The exact mirror of book.toml: kebab-case keys, unknown keys rejected, every field optional except
//! `[book] title` and `authors`.

use crate::fonts::Role;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBook {
    pub book: RawMeta,
    #[serde(default)]
    pub content: RawContent,
    #[serde(default)]
    pub fonts: RawFonts,
    #[serde(default)]
    pub output: RawOutput,
    #[serde(default)]
    pub pdf: RawPdf,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawMeta {
    pub title: String,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    pub language: Option<String>,
    pub identifier: Option<String>,
    pub date: Option<String>,
    pub publisher: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub rights: Option<String>,
    pub cover: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawContent {
    pub chapters: Option<Vec<String>>,
    #[serde(default)]
    pub bibliography: OneOrMany,
    pub citation_style: Option<String>,
    pub references_title: Option<String>,
    pub references: Option<String>,
}

/// `bibliography = "references.bib"` or `bibliography = ["a.bib", "b.yaml"]`.
#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawFonts {
    pub serif: Option<RawFont>,
    pub serif_bold: Option<RawFont>,
    pub sans: Option<RawFont>,
    pub sans_bold: Option<RawFont>,
    pub kai: Option<RawFont>,
    pub mono: Option<RawFont>,
}

impl RawFonts {
    pub fn into_roles(self) -> Vec<(Role, RawFont)> {
        [
            (Role::Serif, self.serif),
            (Role::SerifBold, self.serif_bold),
            (Role::Sans, self.sans),
            (Role::SansBold, self.sans_bold),
            (Role::Kai, self.kai),
            (Role::Mono, self.mono),
        ]
        .into_iter()
        .filter_map(|(r, f)| f.map(|f| (r, f)))
        .collect()
    }
}

/// `"fonts/x.otf"` or `{ path = "x.ttc", index = 2 }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawFont {
    Path(String),
    Face(RawFace),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFace {
    pub path: String,
    #[serde(default)]
    pub index: u32,
}

impl RawFont {
    pub fn into_parts(self) -> (String, u32) {
        match self {
            RawFont::Path(p) => (p, 0),
            RawFont::Face(f) => (f.path, f.index),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawOutput {
    pub dir: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawPdf {
    pub paper: Option<String>,
    pub margins: Option<RawMargins>,
    pub font_size: Option<f32>,
    pub line_pitch: Option<f32>,
    pub chars_per_line: Option<u32>,
    #[serde(default)]
    pub two_sided: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMargins {
    pub top: f32,
    pub bottom: f32,
    pub inner: f32,
    pub outer: f32,
}
