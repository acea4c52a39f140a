//! pdf: the print PDF writer; the only module that knows krilla.
//!
//! Stage: last. Input: the [`PagedDocument`] from `typeset` (every glyph, rule, image and link already
//! positioned), the [`Settings`] for metadata and the [`FontSet`] whose faces the runs name. Output: the
//! PDF bytes. krilla embeds every face as a subset CID font with a ToUnicode map; glyphs are drawn with
//! their source text ranges, so the text layer is exactly the source text. Dates come from
//! `settings.timestamp`, never the clock, so identical input gives identical bytes.

mod outline;

use crate::config::Settings;
use crate::fonts::{FaceId, FontSet};
use crate::images::{Format as ImageFormat, Picture};
use crate::typeset::page::{self, Item, LinkDest, PagedDocument};
use krilla::Document;
use krilla::SerializeSettings;
use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::destination::{Destination, XyzDestination};
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::{PageLabel, PageSettings};
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
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
    doc: &PagedDocument,
    fonts: &FontSet,
) -> Result<Vec<u8>, PdfError> {
    write_with_images(settings, doc, fonts, &BTreeMap::new())
}

/// Writes the PDF. `images`: the pictures `load` checked ([`crate::doc::Document::images`], by path
/// relative to the book root); they are embedded as they are (scaled copies of huge images included),
/// and any other image the pages draw is read and checked here.
pub fn write_with_images(
    settings: &Settings,
    doc: &PagedDocument,
    fonts: &FontSet,
    images: &BTreeMap<PathBuf, Arc<Picture>>,
) -> Result<Vec<u8>, PdfError> {
    let mut pdf = Document::new_with(SerializeSettings {
        enable_tagging: false,
        ..Default::default()
    });
    let mut kfonts: BTreeMap<FaceId, Font> = BTreeMap::new();
    for (id, face) in fonts.faces() {
        if let Some(f) = Font::new(face.shared_data().into(), face.index()) {
            kfonts.insert(id, f);
        }
    }
    for (i, p) in doc.pages.iter().enumerate() {
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
        for it in &p.items {
            draw(&mut surface, it, &kfonts, fonts, &|path| {
                load_image(path, settings, images)
            })?;
        }
        surface.finish();
        for it in &p.items {
            if let Item::Link { rect, target } = it {
                let Some(r) =
                    Rect::from_xywh(rect.x, rect.y, rect.width.max(0.1), rect.height.max(0.1))
                else {
                    continue;
                };
                let target = match target {
                    LinkDest::Uri(u) => Target::Action(Action::Link(LinkAction::new(u.clone()))),
                    LinkDest::Internal { page, y } => Target::Destination(Destination::Xyz(
                        XyzDestination::new(*page, Point::from_xy(0.0, *y)),
                    )),
                };
                kp.add_annotation(Annotation::new_link(LinkAnnotation::new(r, target), None));
            }
        }
        kp.finish();
    }
    pdf.set_outline(outline::build(&doc.outline));
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

fn draw(
    surface: &mut Surface,
    it: &Item,
    kfonts: &BTreeMap<FaceId, Font>,
    fonts: &FontSet,
    image: &dyn Fn(&Path) -> Result<krilla::image::Image, PdfError>,
) -> Result<(), PdfError> {
    match it {
        Item::Text(t) => {
            let Some(font) = kfonts.get(&t.face) else {
                return Err(PdfError::Font {
                    family: fonts.get(t.face).family().to_string(),
                });
            };
            let s = t.size.max(0.01);
            let glyphs: Vec<KrillaGlyph> = t
                .glyphs
                .iter()
                .map(|g| {
                    KrillaGlyph::new(
                        GlyphId::new(u32::from(g.id)),
                        g.x_advance / s,
                        g.x_offset / s,
                        -g.y_offset / s,
                        0.0,
                        g.text.clone(),
                        None,
                    )
                })
                .collect();
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: paint(t.color).into(),
                ..Default::default()
            }));
            surface.draw_glyphs(
                Point::from_xy(t.origin.x, t.origin.y),
                &glyphs,
                font.clone(),
                &t.text,
                t.size,
                false,
            );
        }
        Item::Line {
            from,
            to,
            thickness,
            color,
        } => {
            let mut pb = PathBuilder::new();
            pb.move_to(from.x, from.y);
            pb.line_to(to.x, to.y);
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: paint(*color).into(),
                    width: *thickness,
                    ..Default::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        Item::Fill { rect, color } => {
            if let Some(r) = Rect::from_xywh(rect.x, rect.y, rect.width, rect.height) {
                let mut pb = PathBuilder::new();
                pb.push_rect(r);
                if let Some(path) = pb.finish() {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill {
                        paint: paint(*color).into(),
                        ..Default::default()
                    }));
                    surface.draw_path(&path);
                }
            }
        }
        Item::Image { rect, path } => {
            let img = image(path)?;
            if let Some(size) = Size::from_wh(rect.width, rect.height) {
                surface.push_transform(&Transform::from_translate(rect.x, rect.y));
                surface.draw_image(img, size);
                surface.pop();
            }
        }
        Item::Link { .. } => {}
    }
    Ok(())
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
