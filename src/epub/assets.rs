//! Binary files that go into the EPUB beside the XHTML: images (as checked by `load`, see
//! [`crate::images`]), the cover, the font subsets. Each gets a manifest id, a path under `OEBPS/` and a
//! media type.

use crate::diag::{Diagnostic, Span};
use crate::images::{Format, Picture};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Asset {
    /// Manifest id.
    pub id: String,
    /// Path relative to `OEBPS/` (`images/figure-1.png`).
    pub href: String,
    pub media_type: &'static str,
    pub data: Vec<u8>,
    /// OPF `properties` (`cover-image`).
    pub properties: Option<&'static str>,
}

/// Images and other binary files, in the order they were first used.
#[derive(Debug, Default)]
pub struct Assets {
    root: PathBuf,
    /// Source path → href (None when it could not be used: already warned).
    by_path: BTreeMap<PathBuf, Option<String>>,
    hrefs: BTreeSet<String>,
    /// The images `load` checked, by path relative to the book root.
    pictures: BTreeMap<PathBuf, Arc<Picture>>,
    pub items: Vec<Asset>,
}

/// The media type of image bytes by their signature: the EPUB core image types only.
pub fn image_type(data: &[u8], path: &Path) -> Option<&'static str> {
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
        && String::from_utf8_lossy(&data[..data.len().min(4096)]).contains("<svg")
    {
        Some("image/svg+xml")
    } else {
        None
    }
}

fn extension(media_type: &str) -> &'static str {
    match media_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/svg+xml" => "svg",
        "font/otf" => "otf",
        "font/ttf" => "ttf",
        _ => "bin",
    }
}

impl Assets {
    pub fn new(root: &Path) -> Self {
        Assets {
            root: root.to_path_buf(),
            ..Default::default()
        }
    }

    /// Use the images `load` already checked (and scaled) instead of reading them again.
    pub fn with_pictures(mut self, pictures: &BTreeMap<PathBuf, Arc<Picture>>) -> Self {
        self.pictures = pictures.clone();
        self
    }

    /// Add a file under a unique href built from `dir` and `stem`; returns the href.
    pub fn add(
        &mut self,
        dir: &str,
        stem: &str,
        media_type: &'static str,
        data: Vec<u8>,
        properties: Option<&'static str>,
    ) -> String {
        let clean: String = stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let clean = clean.trim_matches('-');
        let clean = if clean.is_empty() { "file" } else { clean };
        let ext = extension(media_type);
        let mut href = format!("{dir}/{clean}.{ext}");
        let mut n = 2;
        while self.hrefs.contains(&href) {
            href = format!("{dir}/{clean}-{n}.{ext}");
            n += 1;
        }
        self.hrefs.insert(href.clone());
        self.items.push(Asset {
            id: format!("a{}-{}", self.items.len() + 1, clean),
            href: href.clone(),
            media_type,
            data,
            properties,
        });
        href
    }

    /// The href of the image at `path` (relative to the book root), adding it on first use: the
    /// checked picture from `load`, else the file read and checked here. WebP (not an EPUB 3.2 core
    /// type) is converted to PNG. `None`, with a warning, when the image cannot be used.
    pub fn image(
        &mut self,
        path: &Path,
        diags: &mut Vec<Diagnostic>,
        span: &Span,
    ) -> Option<String> {
        if let Some(h) = self.by_path.get(path) {
            return h.clone();
        }
        let href = self.load_image(path, diags, span);
        self.by_path.insert(path.to_path_buf(), href.clone());
        href
    }

    fn load_image(
        &mut self,
        path: &Path,
        diags: &mut Vec<Diagnostic>,
        span: &Span,
    ) -> Option<String> {
        let picture = match self.pictures.get(path) {
            Some(p) => Arc::clone(p),
            None => match crate::images::read(&self.root.join(path)) {
                Ok(p) => Arc::new(p),
                Err(e) => {
                    diags.push(
                        Diagnostic::warning(format!("image {} left out: it {e}", path.display()))
                            .at(span.clone()),
                    );
                    return None;
                }
            },
        };
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (media_type, data) = match picture.format {
            Format::Png | Format::Jpeg | Format::Gif => {
                (picture.format.media_type(), picture.data.clone())
            }
            Format::WebP => match crate::images::to_png(&picture) {
                Ok(png) => ("image/png", png),
                Err(e) => {
                    diags.push(
                        Diagnostic::warning(format!("image {} left out: it {e}", path.display()))
                            .at(span.clone()),
                    );
                    return None;
                }
            },
        };
        Some(self.add("images", &stem, media_type, data, None))
    }
}
