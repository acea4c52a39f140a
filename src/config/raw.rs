//! The exact mirror of book.toml: kebab-case keys, unknown keys rejected, every field optional except
//! `[book] title` and `authors`.

use crate::fonts::Role;
use serde::Deserialize;
use toml::Spanned;

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
    pub cover: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawContent {
    /// Each with its place in book.toml, for messages about a chapter that is missing or listed twice.
    pub chapters: Option<Vec<Spanned<String>>>,
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
    pub serif: Option<Spanned<RawFont>>,
    pub serif_bold: Option<Spanned<RawFont>>,
    pub sans: Option<Spanned<RawFont>>,
    pub sans_bold: Option<Spanned<RawFont>>,
    pub kai: Option<Spanned<RawFont>>,
    pub mono: Option<Spanned<RawFont>>,
}

impl RawFonts {
    /// Each configured role with its value and where that value is written.
    pub fn into_roles(self) -> Vec<(Role, Spanned<RawFont>)> {
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

/// `"fonts/x.otf"` or `{ path = "x.ttc", index = 2 }`. Deserialized by hand: an untagged enum would
/// answer any mistake with "data did not match any variant".
#[derive(Debug)]
pub enum RawFont {
    Path(String),
    Face(RawFace),
}

#[derive(Debug)]
pub struct RawFace {
    pub path: String,
    pub index: u32,
}

impl<'de> Deserialize<'de> for RawFont {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawFont;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a font file path (\"fonts/x.otf\") or { path = \"fonts/x.ttc\", index = 0 }",
                )
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawFont, E> {
                Ok(RawFont::Path(v.to_string()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawFont, A::Error> {
                use serde::de::Error;
                let (mut path, mut index) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "path" if path.is_none() => path = Some(map.next_value::<String>()?),
                        "index" if index.is_none() => index = Some(map.next_value::<u32>()?),
                        "path" | "index" => return Err(A::Error::duplicate_field("path or index")),
                        other => return Err(A::Error::unknown_field(other, &["path", "index"])),
                    }
                }
                Ok(RawFont::Face(RawFace {
                    path: path.ok_or_else(|| A::Error::missing_field("path"))?,
                    index: index.unwrap_or(0),
                }))
            }
        }
        d.deserialize_any(Visitor)
    }
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
    pub hyphenate: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMargins {
    pub top: f32,
    pub bottom: f32,
    pub inner: f32,
    pub outer: f32,
}
