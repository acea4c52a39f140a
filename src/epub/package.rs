//! Packaging: the OPF package document and the ZIP container.
//!
//! folio packages the EPUB itself with the `zip` crate instead of `epub-builder`: epub-builder
//! 0.8.2 takes the identifier only as a UUID (`set_uuid`), writes its own nav/NCX templates
//! (no landmarks of our choosing, no `role`/`epub:type` control), has no way to add schema.org
//! accessibility `<meta>`s or refined creators/titles, and names files itself. Doing it here is
//! one small file: `mimetype` first and STORED, every entry with the fixed DOS date 1980-01-01,
//! entries in a fixed order, so identical input gives byte-identical output.

use super::EpubError;
use super::xhtml::{document, el};
use crate::config::BookMeta;
use std::io::Write as _;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// One manifest item. `href` is relative to `OEBPS/`.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub href: String,
    pub media_type: String,
    pub properties: Option<String>,
    /// In the spine, in this order (XHTML documents only).
    pub spine: bool,
}

/// The OPF package document.
pub fn opf(book: &BookMeta, modified: &str, items: &[Item], cover_id: &str) -> String {
    let mut md = el("metadata").attr("xmlns:dc", "http://purl.org/dc/elements/1.1/");
    md.push(
        el("dc:identifier")
            .attr("id", "pub-id")
            .text(book.identifier.clone()),
    );
    md.push(el("dc:title").attr("id", "title").text(book.title.clone()));
    md.push(meta("title-type", "main").attr("refines", "#title"));
    if let Some(sub) = &book.subtitle {
        md.push(el("dc:title").attr("id", "subtitle").text(sub.clone()));
        md.push(meta("title-type", "subtitle").attr("refines", "#subtitle"));
    }
    md.push(el("dc:language").text(book.language.clone()));
    for (i, a) in book.authors.iter().enumerate() {
        let id = format!("creator-{}", i + 1);
        md.push(el("dc:creator").attr("id", id.clone()).text(a.clone()));
        md.push(
            meta("role", "aut")
                .attr("refines", format!("#{id}"))
                .attr("scheme", "marc:relators"),
        );
    }
    if let Some(p) = &book.publisher {
        md.push(el("dc:publisher").text(p.clone()));
    }
    if let Some(d) = &book.description {
        md.push(el("dc:description").text(d.clone()));
    }
    for k in &book.keywords {
        md.push(el("dc:subject").text(k.clone()));
    }
    if let Some(r) = &book.rights {
        md.push(el("dc:rights").text(r.clone()));
    }
    if let Some(d) = book.date.as_deref().filter(|d| is_w3cdtf_date(d)) {
        md.push(el("dc:date").text(d));
    }
    md.push(meta("dcterms:modified", modified));
    for (p, v) in [
        ("schema:accessMode", "textual"),
        ("schema:accessMode", "visual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "alternativeText"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityHazard", "none"),
        (
            "schema:accessibilitySummary",
            "Reflowable text with a navigable table of contents, headings in order, \
             alternative text for images and linked footnotes and references.",
        ),
    ] {
        md.push(meta(p, v));
    }
    md.push(el("meta").attr("name", "cover").attr("content", cover_id));

    let mut manifest = el("manifest");
    let mut spine = el("spine").attr("toc", "ncx");
    for it in items {
        let mut item = el("item")
            .attr("id", it.id.clone())
            .attr("href", it.href.clone())
            .attr("media-type", it.media_type.clone());
        if let Some(p) = &it.properties {
            item = item.attr("properties", p.clone());
        }
        manifest.push(item);
        if it.spine {
            spine.push(el("itemref").attr("idref", it.id.clone()));
        }
    }
    let package = el("package")
        .attr("xmlns", "http://www.idpf.org/2007/opf")
        .attr("version", "3.0")
        .attr("unique-identifier", "pub-id")
        .attr("xml:lang", book.language.clone())
        .child(md)
        .child(manifest)
        .child(spine);
    document(package, None)
}

fn meta(property: &'static str, value: &str) -> super::xhtml::Element {
    el("meta").attr("property", property).text(value)
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (what `dc:date` accepts without a time).
fn is_w3cdtf_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let lens = [4, 2, 2];
    !parts.is_empty()
        && parts.len() <= 3
        && parts
            .iter()
            .zip(lens)
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_digit()))
}

pub const CONTAINER_XML: &str = "OEBPS/content.opf";

/// `META-INF/container.xml`.
pub fn container() -> String {
    let root = el("container")
        .attr("version", "1.0")
        .attr("xmlns", "urn:oasis:names:tc:opendocument:xmlns:container")
        .child(
            el("rootfiles").child(
                el("rootfile")
                    .attr("full-path", CONTAINER_XML)
                    .attr("media-type", "application/oebps-package+xml"),
            ),
        );
    document(root, None)
}

/// `META-INF/com.apple.ibooks.display-options.xml`: Apple Books uses the embedded fonts.
pub fn apple_display_options() -> String {
    let root = el("display_options").child(
        el("platform")
            .attr("name", "*")
            .child(el("option").attr("name", "specified-fonts").text("true")),
    );
    document(root, None)
}

/// Zip `files` (path in the container, bytes) after the `mimetype` entry.
pub fn zip(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, EpubError> {
    let err = |e: &dyn std::fmt::Display| EpubError::Zip(e.to_string());
    let mut z = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let base = SimpleFileOptions::default()
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let stored = base.compression_method(CompressionMethod::Stored);
    let deflated = base.compression_method(CompressionMethod::Deflated);
    z.start_file("mimetype", stored).map_err(|e| err(&e))?;
    z.write_all(b"application/epub+zip").map_err(|e| err(&e))?;
    for (path, data) in files {
        // PNG/JPEG data does not shrink; storing it saves time.
        let already = [".png", ".jpg", ".gif"].iter().any(|x| path.ends_with(x));
        z.start_file(path.as_str(), if already { stored } else { deflated })
            .map_err(|e| err(&e))?;
        z.write_all(data).map_err(|e| err(&e))?;
    }
    Ok(z.finish().map_err(|e| err(&e))?.into_inner())
}
