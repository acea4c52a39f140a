//! One loaded face: its bytes, names, metrics and character coverage.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustybuzz::ttf_parser;

use super::{FontError, FontSpec};

/// Reads a whole font file. Every font read of this module goes through here, so that it can
/// later move behind the project's `files` module.
pub(super) fn read_font_file(path: &Path) -> Result<Vec<u8>, FontError> {
    std::fs::read(path).map_err(|source| FontError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// A parsed face of a font file (a single face of a `.ttc`/`.otc` collection, or a `.ttf`/`.otf`).
#[derive(Clone)]
pub struct Face {
    path: PathBuf,
    index: u32,
    bytes: Arc<Vec<u8>>,
    family: String,
    subfamily: String,
    units_per_em: u16,
    ascender: i16,
    descender: i16,
    glyph_count: u16,
    is_cff: bool,
    /// Every character the cmap maps to a glyph other than .notdef, sorted.
    coverage: Vec<char>,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("path", &self.path)
            .field("index", &self.index)
            .field("family", &self.family)
            .field("subfamily", &self.subfamily)
            .field("glyph_count", &self.glyph_count)
            .field("is_cff", &self.is_cff)
            .finish_non_exhaustive()
    }
}

impl Face {
    /// Loads face `spec.index` of `spec.path`; checks that the file is a font and the index exists.
    pub fn load(spec: &FontSpec) -> Result<Face, FontError> {
        let bytes = Arc::new(read_font_file(&spec.path)?);
        Face::from_shared(spec, bytes)
    }

    /// Like [`Face::load`] with the file's bytes already read (shared between faces of one file).
    pub(super) fn from_shared(spec: &FontSpec, bytes: Arc<Vec<u8>>) -> Result<Face, FontError> {
        let path = &spec.path;
        let not_a_font = |reason: &str| FontError::NotAFont {
            path: path.clone(),
            reason: reason.to_string(),
        };
        let count = match ttf_parser::fonts_in_collection(&bytes) {
            Some(n) => n,
            None => {
                // Not a collection: a single face if it parses at all.
                ttf_parser::RawFace::parse(&bytes, 0)
                    .map_err(|e| not_a_font(&format!("not an OpenType/TrueType file ({e})")))?;
                1
            }
        };
        if spec.index >= count {
            return Err(FontError::IndexOutOfRange {
                path: path.clone(),
                index: spec.index,
                count,
            });
        }
        let face = ttf_parser::Face::parse(&bytes, spec.index)
            .map_err(|e| not_a_font(&format!("face {} does not parse ({e})", spec.index)))?;
        let names = face
            .tables()
            .name
            .map(|t| FaceNames::from_table(&t))
            .unwrap_or_default();
        let raw = face.raw_face();
        let is_cff = raw.table(ttf_parser::Tag::from_bytes(b"CFF ")).is_some()
            || raw.table(ttf_parser::Tag::from_bytes(b"CFF2")).is_some();
        let coverage = coverage_of(&face);
        if coverage.is_empty() {
            return Err(not_a_font("it has no Unicode cmap"));
        }
        let family = if names.family.is_empty() {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        } else {
            names.family
        };
        Ok(Face {
            path: path.clone(),
            index: spec.index,
            family,
            subfamily: names.style,
            units_per_em: face.units_per_em(),
            ascender: face.ascender(),
            descender: face.descender(),
            glyph_count: face.number_of_glyphs(),
            is_cff,
            coverage,
            bytes,
        })
    }

    /// The family name (typographic family, name ID 16, else ID 1; English when present).
    pub fn family(&self) -> &str {
        &self.family
    }

    /// The style name (ID 17, else ID 2), e.g. `Regular`, `Bold`.
    pub fn subfamily(&self) -> &str {
        &self.subfamily
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Face number inside a collection (0 for a single-face file).
    pub fn index(&self) -> u32 {
        self.index
    }

    pub fn spec(&self) -> FontSpec {
        FontSpec {
            path: self.path.clone(),
            index: self.index,
        }
    }

    /// The whole file's bytes (all faces of a collection): hand these and [`Face::index`] to the PDF
    /// writer's font loader.
    pub fn data(&self) -> &[u8] {
        &self.bytes
    }

    /// The same bytes as [`Face::data`], shared without copying.
    pub fn shared_data(&self) -> Arc<Vec<u8>> {
        Arc::clone(&self.bytes)
    }

    /// Does the cmap map `c` to a real glyph (not .notdef)?
    pub fn covers(&self, c: char) -> bool {
        self.coverage.binary_search(&c).is_ok()
    }

    /// Number of characters the cmap maps to real glyphs.
    pub fn coverage_len(&self) -> usize {
        self.coverage.len()
    }

    pub fn glyph_count(&self) -> u16 {
        self.glyph_count
    }

    /// CFF (or CFF2) outlines: subsets are `.otf`; otherwise TrueType outlines and `.ttf`.
    pub fn is_cff(&self) -> bool {
        self.is_cff
    }

    /// File extension for a subset of this face: `"otf"` or `"ttf"`.
    pub fn subset_extension(&self) -> &'static str {
        if self.is_cff { "otf" } else { "ttf" }
    }

    pub fn units_per_em(&self) -> u16 {
        self.units_per_em
    }

    /// hhea (or typo) ascender in font units.
    pub fn ascender(&self) -> i16 {
        self.ascender
    }

    /// hhea (or typo) descender in font units (negative below the baseline).
    pub fn descender(&self) -> i16 {
        self.descender
    }

    /// Glyph ids for `chars` in this face (unmapped characters are left out).
    pub(super) fn glyph_ids(&self, chars: impl Iterator<Item = char>) -> Result<Vec<u16>, String> {
        let face = ttf_parser::Face::parse(&self.bytes, self.index).map_err(|e| e.to_string())?;
        Ok(chars
            .filter_map(|c| face.glyph_index(c))
            .map(|g| g.0)
            .filter(|&g| g != 0)
            .collect())
    }
}

/// All characters that a Unicode cmap subtable maps to a glyph other than .notdef.
fn coverage_of(face: &ttf_parser::Face<'_>) -> Vec<char> {
    let mut out = Vec::new();
    if let Some(cmap) = face.tables().cmap {
        for sub in cmap.subtables {
            if !sub.is_unicode() {
                continue;
            }
            sub.codepoints(|cp| {
                if sub.glyph_index(cp).is_some_and(|g| g.0 != 0)
                    && let Some(c) = char::from_u32(cp)
                {
                    out.push(c);
                }
            });
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The names of a face that matter for matching: display family/style and every
/// (family, style) pair in every language, lowercased.
#[derive(Debug, Default, Clone)]
pub(super) struct FaceNames {
    pub family: String,
    pub style: String,
    /// Lowercased (family, style) pairs: typographic (16/17) and legacy (1/2), all languages.
    pub pairs: Vec<(String, String)>,
}

impl FaceNames {
    pub fn from_table(table: &ttf_parser::name::Table<'_>) -> FaceNames {
        // (platform, language) -> [id1, id2, id16, id17]
        let mut by_lang: std::collections::BTreeMap<(u16, u16), [Option<String>; 4]> =
            Default::default();
        for name in table.names {
            let slot = match name.name_id {
                1 => 0,
                2 => 1,
                16 => 2,
                17 => 3,
                _ => continue,
            };
            let Some(text) = decode_name(&name) else {
                continue;
            };
            let key = (name.platform_id as u16, name.language_id);
            by_lang.entry(key).or_default()[slot].get_or_insert(text);
        }
        let mut out = FaceNames::default();
        let mut best_rank = u8::MAX;
        for ((platform, lang), [f1, s2, f16, s17]) in &by_lang {
            let family = f16.clone().or_else(|| f1.clone()).unwrap_or_default();
            let style = s17.clone().or_else(|| s2.clone()).unwrap_or_default();
            // Windows English (US), then any English, then anything.
            let rank = match (platform, lang) {
                (3, 0x0409) => 0,
                (1, 0) => 1,
                (3, l) if l & 0xFF == 0x09 => 2,
                _ => 3,
            };
            if rank < best_rank && !family.is_empty() {
                best_rank = rank;
                out.family = family.clone();
                out.style = style.clone();
            }
            let mut push = |f: &Option<String>, s: &Option<String>| {
                if let Some(f) = f {
                    let s = s.clone().unwrap_or_else(|| "regular".into());
                    let pair = (f.to_lowercase(), s.to_lowercase());
                    if !out.pairs.contains(&pair) {
                        out.pairs.push(pair);
                    }
                }
            };
            push(
                &f16.clone().or_else(|| f1.clone()),
                &s17.clone().or_else(|| s2.clone()),
            );
            push(f1, s2);
        }
        out
    }
}

/// UTF-16BE names (Unicode and Windows platforms) and ASCII Macintosh Roman names.
fn decode_name(name: &ttf_parser::name::Name<'_>) -> Option<String> {
    use ttf_parser::PlatformId;
    if name.is_unicode() {
        let units: Vec<u16> = name
            .name
            .chunks_exact(2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .collect();
        String::from_utf16(&units).ok()
    } else if name.platform_id == PlatformId::Macintosh
        && name.encoding_id == 0
        && name.name.is_ascii()
    {
        String::from_utf8(name.name.to_vec()).ok()
    } else {
        None
    }
}
