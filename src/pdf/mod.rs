//! pdf: the print PDF writer; the only module that knows krilla.
//!
//! Stage: last. Input: the [`PagedDocument`] from `typeset` (every glyph, rule, image and link already
//! positioned), the [`Settings`] for metadata and the [`FontSet`] whose faces the runs name. Output: the
//! PDF bytes. krilla embeds every face as a subset CID font with a ToUnicode map; glyphs are drawn with
//! their source text ranges, so the text layer is exactly the source text. Dates come from
//! `settings.timestamp`, never the clock, so identical input gives identical bytes.

mod outline;
mod tags;
mod text_layer;

use crate::config::Settings;
use crate::fonts::{FaceId, FontSet};
use crate::images::{Format as ImageFormat, Picture};
use crate::typeset::page::{self, Item, LinkDest, PagedDocument, Structure};
use krilla::Document;
use krilla::SerializeSettings;
use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::destination::{Destination, NamedDestination, XyzDestination};
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::{PageLabel, PageSettings};
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, SpanTag};
use krilla::text::{Font, KrillaGlyph};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Errors of the PDF writer.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("font {family} cannot be embedded")]
    Font { family: String },
    #[error("page {page} has an invalid size {width} × {height} pt")]
    PageSize {
        page: usize,
        width: f32,
        height: f32,
    },
    #[error("cannot read image {path}: {message}")]
    Image { path: PathBuf, message: String },
    #[error("PDF serialisation failed: {0}")]
    Krilla(String),
}

fn paint(c: page::Color) -> rgb::Color {
    rgb::Color::new(c.0, c.1, c.2)
}

/// Writes the PDF, reading and checking each image file it draws (see [`write_with_images`]).
pub fn write(
    settings: &Settings,
    doc: PagedDocument,
    fonts: &FontSet,
) -> Result<Vec<u8>, PdfError> {
    write_with_images(settings, doc, fonts, &BTreeMap::new())
}

/// Writes the PDF. `images`: the pictures `load` checked ([`crate::doc::Document::images`], by path
/// relative to the book root); they are embedded as they are (scaled copies of huge images included),
/// and any other image the pages draw is read and checked here.
pub fn write_with_images(
    settings: &Settings,
    doc: PagedDocument,
    fonts: &FontSet,
    images: &BTreeMap<PathBuf, Arc<Picture>>,
) -> Result<Vec<u8>, PdfError> {
    let mut pdf = Document::new_with(SerializeSettings {
        enable_tagging: true,
        ..Default::default()
    });
    let mut tags = tags::Tags::default();
    let mut kfonts: BTreeMap<FaceId, (Font, text_layer::Metrics)> = BTreeMap::new();
    for (id, face) in fonts.faces() {
        if let Some(f) = Font::new(face.shared_data().into(), face.index()) {
            kfonts.insert(id, (f, text_layer::Metrics::new(face.data(), face.index())));
        }
    }
    // Pages are consumed as they are drawn: krilla keeps each one compressed, the page model is freed.
    let PagedDocument { pages, outline } = doc;
    for (i, p) in pages.into_iter().enumerate() {
        let size_err = PdfError::PageSize {
            page: i + 1,
            width: p.width,
            height: p.height,
        };
        let mut ps = PageSettings::from_wh(p.width, p.height).ok_or(size_err)?;
        if let Some(l) = &p.label {
            ps = ps.with_page_label(PageLabel::new(None, Some(l.clone()), None));
        }
        let mut kp = pdf.start_page_with(ps);
        let mut surface = kp.surface();
        let image = |path: &Path| load_image(path, settings, images);
        let drawn = draw_page(&mut surface, &p, &kfonts, fonts, &image, &mut tags);
        surface.finish();
        drawn?;
        for it in &p.items {
            if let Item::Link { rect, target } = it {
                let Some(r) =
                    Rect::from_xywh(rect.x, rect.y, rect.width.max(0.1), rect.height.max(0.1))
                else {
                    continue;
                };
                let target = match target {
                    LinkDest::Uri(u) => Target::Action(Action::Link(LinkAction::new(u.clone()))),
                    LinkDest::Internal { name, page, y } => {
                        Target::Destination(Destination::Named(NamedDestination::new(
                            name.clone(),
                            XyzDestination::new(*page, Point::from_xy(0.0, *y)),
                        )))
                    }
                };
                kp.add_annotation(Annotation::new_link(LinkAnnotation::new(r, target), None));
            }
        }
        kp.finish();
    }
    pdf.set_outline(outline::build(&outline));
    pdf.set_tag_tree(tags.tree());
    pdf.set_metadata(metadata(settings));
    pdf.finish().map_err(|e| PdfError::Krilla(format!("{e:?}")))
}

fn metadata(settings: &Settings) -> Metadata {
    let b = &settings.book;
    let (y, mo, d, h, mi, s) = crate::config::civil_from_timestamp(settings.timestamp);
    let date = DateTime::new(y.clamp(0, 9999) as u16)
        .month(mo as u8)
        .day(d as u8)
        .hour(h as u8)
        .minute(mi as u8)
        .second(s as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    let mut m = Metadata::new()
        .title(b.title.clone())
        .language(b.language.clone())
        .creator("folio".to_string())
        .producer(format!("folio {}", env!("CARGO_PKG_VERSION")))
        .creation_date(date)
        .document_id(b.identifier.clone());
    if !b.authors.is_empty() {
        m = m.authors(b.authors.clone());
    }
    if let Some(dsc) = &b.description {
        m = m.description(dsc.clone());
    }
    if !b.keywords.is_empty() {
        m = m.keywords(b.keywords.clone());
    }
    m
}

/// One page: rules, shading and images first (under the text), then the text, each line of a block
/// in one marked span that the tag tree puts under its block. Page furniture is marked as artifacts.
///
/// The glyphs go through [`text_layer`], which keeps autospace, letter-spacing and compressed
/// punctuation from reading as spaces or line breaks in extracted text. (ActualText on the line spans
/// themselves does not work: poppler resolves it after krilla's `Q` has restored the page's
/// coordinate system and places the text upside down.)
fn draw_page(
    surface: &mut Surface,
    page: &page::Page,
    kfonts: &BTreeMap<FaceId, (Font, text_layer::Metrics)>,
    fonts: &FontSet,
    image: &dyn Fn(&Path) -> Result<krilla::image::Image, PdfError>,
    tags: &mut tags::Tags,
) -> Result<(), PdfError> {
    let layout = || ContentTag::Artifact(Artifact::with_kind(ArtifactType::Layout));
    for it in &page.items {
        match it {
            Item::Text(_) | Item::Link { .. } => {}
            Item::Line {
                from,
                to,
                thickness,
                color,
            } => {
                surface.start_tagged(layout());
                draw_line(surface, *from, *to, *thickness, *color);
                surface.end_tagged();
            }
            Item::Fill { rect, color } => {
                surface.start_tagged(layout());
                draw_fill(surface, *rect, *color);
                surface.end_tagged();
            }
            Item::Image { rect, path, alt } => {
                let img = image(path)?;
                if let Some(size) = Size::from_wh(rect.width, rect.height) {
                    let id = surface.start_tagged(ContentTag::Other);
                    surface.push_transform(&Transform::from_translate(rect.x, rect.y));
                    surface.draw_image(img, size);
                    surface.pop();
                    surface.end_tagged();
                    tags.figure(alt, id);
                }
            }
        }
    }
    let runs: Vec<&page::TextRun> = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(t) => Some(t),
            _ => None,
        })
        .collect();
    let face = |t: &page::TextRun| {
        kfonts.get(&t.face).ok_or_else(|| PdfError::Font {
            family: fonts.get(t.face).family().to_string(),
        })
    };
    // A line: consecutive runs of one block on one baseline (a raised citation mark included).
    let same_line = |a: &&page::TextRun, b: &&page::TextRun| {
        a.structure != Structure::Artifact
            && a.structure == b.structure
            && (a.origin.y - b.origin.y).abs() < 0.5 * a.size.max(b.size)
    };
    for line in runs.chunk_by(same_line) {
        let tag = match line[0].structure {
            Structure::Block { .. } => ContentTag::Span(SpanTag::empty()),
            Structure::Artifact => ContentTag::Artifact(Artifact::with_kind(ArtifactType::Other)),
        };
        let faces = line
            .iter()
            .map(|t| face(t))
            .collect::<Result<Vec<_>, _>>()?;
        let id = surface.start_tagged(tag);
        for (k, (t, (font, metrics))) in line.iter().zip(faces).enumerate() {
            // Where the line's text continues after the run (a raised mark included).
            let next = line
                .get(k + 1)
                .filter(|n| n.origin.x >= t.origin.x)
                .map(|n| n.origin.x + n.glyphs.first().map_or(0.0, |g| g.x_offset));
            draw_glyphs(
                surface,
                t,
                font.clone(),
                &text_layer::glyphs(t, metrics, next),
            );
        }
        surface.end_tagged();
        if let Structure::Block { id: block, role } = line[0].structure {
            tags.line(block, role, id);
        }
    }
    Ok(())
}

/// The glyphs of run `t`, laid out from its origin.
fn draw_glyphs(surface: &mut Surface, t: &page::TextRun, font: Font, glyphs: &[KrillaGlyph]) {
    surface.set_stroke(None);
    surface.set_fill(Some(Fill {
        paint: paint(t.color).into(),
        ..Default::default()
    }));
    surface.draw_glyphs(
        Point::from_xy(t.origin.x, t.origin.y),
        glyphs,
        font,
        &t.text,
        t.size,
        false,
    );
}

fn draw_line(
    surface: &mut Surface,
    from: page::Point,
    to: page::Point,
    thickness: f32,
    color: page::Color,
) {
    let mut pb = PathBuilder::new();
    pb.move_to(from.x, from.y);
    pb.line_to(to.x, to.y);
    if let Some(path) = pb.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            paint: paint(color).into(),
            width: thickness,
            ..Default::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
    }
}

fn draw_fill(surface: &mut Surface, rect: page::Rect, color: page::Color) {
    if let Some(r) = Rect::from_xywh(rect.x, rect.y, rect.width, rect.height) {
        let mut pb = PathBuilder::new();
        pb.push_rect(r);
        if let Some(path) = pb.finish() {
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: paint(color).into(),
                ..Default::default()
            }));
            surface.draw_path(&path);
        }
    }
}

/// The image at `path` (absolute, as the typesetter placed it): the checked picture when there is one,
/// else the file read and checked now; decoded by krilla by its real format, not its name.
fn load_image(
    path: &Path,
    settings: &Settings,
    images: &BTreeMap<PathBuf, Arc<Picture>>,
) -> Result<krilla::image::Image, PdfError> {
    let err = |message: String| PdfError::Image {
        path: path.to_path_buf(),
        message,
    };
    let checked = path
        .strip_prefix(&settings.root)
        .ok()
        .and_then(|rel| images.get(rel));
    let picture = match checked {
        Some(p) => Arc::clone(p),
        None => Arc::new(crate::images::read(path).map_err(|e| err(format!("it {e}")))?),
    };
    let data = picture.data.clone().into();
    match picture.format {
        ImageFormat::Png => krilla::image::Image::from_png(data, true),
        ImageFormat::Jpeg => krilla::image::Image::from_jpeg(data, true),
        ImageFormat::Gif => krilla::image::Image::from_gif(data, true),
        ImageFormat::WebP => krilla::image::Image::from_webp(data, true),
    }
    .map_err(err)
}
