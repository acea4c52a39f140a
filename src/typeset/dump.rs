//! dump: a plain-text listing of the pages, for snapshot tests and debugging.
//!
//! One line per text run: `p3 y=612.0 x=72.0 serif 10.5 "……"` (page number from 1, baseline y and x
//! rounded to 0.1, the family of the face, the size and the run's text), plus one line per rule, fill,
//! image and link, so that a change in layout shows up as a readable diff.

use super::page::{Item, LinkDest, PagedDocument};
use crate::fonts::FontSet;

fn r(v: f32) -> f32 {
    (v * 10.0).round() / 10.0
}

/// A short, stable name for a face: `serif`, `sans`, `kai`, `mono` or the family.
fn face_name(fonts: Option<&FontSet>, face: crate::fonts::FaceId) -> String {
    let Some(fonts) = fonts else {
        return format!("f{}", face.0);
    };
    let fam = fonts.get(face).family().to_ascii_lowercase();
    if fam.contains("mono") {
        "mono".into()
    } else if fam.contains("sans") {
        "sans".into()
    } else if fam.contains("serif") {
        "serif".into()
    } else if fam.contains("kai") {
        "kai".into()
    } else {
        fam
    }
}

/// Lists every page's items (faces named through `fonts` when given).
pub fn dump(doc: &PagedDocument, fonts: Option<&FontSet>) -> String {
    let mut s = String::new();
    for (i, p) in doc.pages.iter().enumerate() {
        let n = i + 1;
        s.push_str(&format!(
            "page {n} {}x{} label={}\n",
            r(p.width),
            r(p.height),
            p.label.as_deref().unwrap_or("-")
        ));
        for it in &p.items {
            let line = match it {
                Item::Text(t) => format!(
                    "p{n} y={} x={} {} {} {:?}",
                    r(t.origin.y),
                    r(t.origin.x),
                    face_name(fonts, t.face),
                    r(t.size),
                    t.text
                ),
                Item::Line {
                    from,
                    to,
                    thickness,
                    ..
                } => format!(
                    "p{n} line {},{} -> {},{} w={}",
                    r(from.x),
                    r(from.y),
                    r(to.x),
                    r(to.y),
                    r(*thickness)
                ),
                Item::Fill { rect, .. } => format!(
                    "p{n} fill {},{} {}x{}",
                    r(rect.x),
                    r(rect.y),
                    r(rect.width),
                    r(rect.height)
                ),
                Item::Image { rect, path, .. } => format!(
                    "p{n} image {},{} {}x{} {}",
                    r(rect.x),
                    r(rect.y),
                    r(rect.width),
                    r(rect.height),
                    path.file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default()
                ),
                Item::Link { rect, target } => {
                    let t = match target {
                        LinkDest::Uri(u) => u.clone(),
                        LinkDest::Internal { name, page, y } => {
                            format!("{name} p{} y={}", page + 1, r(*y))
                        }
                    };
                    format!(
                        "p{n} link {},{} {}x{} -> {t}",
                        r(rect.x),
                        r(rect.y),
                        r(rect.width),
                        r(rect.height)
                    )
                }
            };
            s.push_str(&line);
            s.push('\n');
        }
    }
    for e in &doc.outline {
        outline(&mut s, e, 0);
    }
    s
}

fn outline(s: &mut String, e: &super::page::OutlineEntry, depth: usize) {
    s.push_str(&format!(
        "{}bookmark {:?} p{} y={}\n",
        "  ".repeat(depth),
        e.title,
        e.page + 1,
        r(e.y)
    ));
    for c in &e.children {
        outline(s, c, depth + 1);
    }
}
