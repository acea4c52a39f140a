//! toc: the title page and the table of contents (目录).
//!
//! Input: the book metadata, and the TOC entries (chapter and `##` headings, with their anchors) plus the
//! page labels found by the previous pagination pass (empty on the first pass). Output: flow elements.
//! Entries: chapters in the sans face, sections indented 1 em in the body face, dot leaders up to
//! right-aligned page numbers; every entry is a link to its anchor (typography.md §7).

use super::blocks::strut;
use super::flow::{BoxElem, Elem, Numbering, PageStart};
use super::page::{BlockRole, Color, Item, Rect};
use super::paragraph::{self, Align, ParaOpts, Piece, Style, run_width};
use super::{Ctx, OutlineDraft};
use crate::fonts::Role;
use std::collections::BTreeMap;

/// Anchor of the TOC itself.
pub const TOC_ANCHOR: &str = "toc";

/// The TOC's title in the book's language.
pub fn toc_title(ctx: &Ctx) -> &'static str {
    if ctx.settings.book.is_chinese() {
        "目录"
    } else {
        "Contents"
    }
}

fn centred(ctx: &mut Ctx, text: &str, role: Role, size: f32, out: &mut Vec<Elem>) {
    let pieces = [Piece::Text(text.to_string(), Style::new(role, size))];
    ctx.begin(BlockRole::Paragraph);
    out.extend(
        paragraph::centred(ctx, &pieces, size)
            .into_iter()
            .map(Elem::Box),
    );
}

/// The title page: title, subtitle, authors; publisher at the foot.
pub fn title_page(ctx: &mut Ctx) -> Vec<Elem> {
    let book = &ctx.settings.book;
    let (title, subtitle, authors, publisher) = (
        book.title.clone(),
        book.subtitle.clone(),
        book.authors.join("　"),
        book.publisher.clone(),
    );
    let block_h = (ctx.settings.pdf.paper.height_mm
        - ctx.settings.pdf.margins.top
        - ctx.settings.pdf.margins.bottom)
        * super::MM;
    let mut out = vec![
        Elem::Start(PageStart {
            recto: false,
            numbering: Numbering::None,
            head: None,
        }),
        strut(block_h * 0.22),
    ];
    let big = if ctx.body >= 11.5 { 26.0 } else { 22.0 };
    centred(ctx, &title, Role::SansBold, big, &mut out);
    if let Some(s) = subtitle {
        out.push(strut(ctx.pitch * 0.5));
        centred(ctx, &s, Role::Kai, big * 0.62, &mut out);
    }
    out.push(strut(ctx.pitch * 3.0));
    if !authors.is_empty() {
        centred(ctx, &authors, Role::Kai, ctx.body + 2.0, &mut out);
    }
    if let Some(p) = publisher {
        out.push(strut(block_h * 0.3));
        centred(ctx, &p, Role::Serif, ctx.body, &mut out);
    }
    out
}

/// The bookmark entry of the TOC.
pub fn outline_entry(ctx: &Ctx) -> OutlineDraft {
    OutlineDraft {
        level: 1,
        title: toc_title(ctx).to_string(),
        anchor: TOC_ANCHOR.to_string(),
        in_toc: false,
    }
}

/// The table of contents with the page labels known so far.
pub fn toc(
    ctx: &mut Ctx,
    entries: &[OutlineDraft],
    labels: &BTreeMap<String, String>,
) -> Vec<Elem> {
    let title = toc_title(ctx);
    let mut out = vec![
        Elem::Start(PageStart {
            recto: ctx.settings.pdf.two_sided,
            numbering: Numbering::Roman,
            head: Some(title.to_string()),
        }),
        strut(ctx.pitch * 2.0),
    ];
    let size = 22.0;
    let opts = ParaOpts {
        measure: ctx.measure,
        indent: 0.0,
        left: 0.0,
        align: Align::Center,
        pitch: size * 1.5,
        keep_lines: false,
    };
    let st = Style::new(Role::SansBold, size);
    ctx.begin(BlockRole::Heading(1));
    for mut l in paragraph::layout(ctx, &[Piece::Text(title.to_string(), st)], &opts) {
        l.anchors.push((TOC_ANCHOR.to_string(), 0.0));
        l.anchors.truncate(1);
        out.push(Elem::Box(l));
    }
    out.push(strut(ctx.pitch));
    let body = ctx.body;
    let dot = body * 0.5;
    for (i, e) in entries.iter().enumerate() {
        let level = e.level.max(1);
        let role = if level == 1 {
            Role::SansBold
        } else {
            Role::Serif
        };
        if level == 1 && i > 0 {
            out.push(Elem::Space(ctx.pitch * 0.3));
        }
        let indent = (level - 1) as f32 * body;
        let label = labels.get(&e.anchor).cloned().unwrap_or_default();
        let num_face = ctx.fonts.face_id(Role::Serif);
        let num_w = ctx.shaper.width(num_face, &label, body);
        let opts = ParaOpts {
            measure: ctx.measure - indent - 3.0 * body,
            indent: 0.0,
            left: indent,
            align: Align::Left,
            pitch: ctx.pitch,
            keep_lines: false,
        };
        ctx.begin(BlockRole::TocEntry);
        let mut lines = paragraph::layout(
            ctx,
            &[Piece::Text(e.title.clone(), Style::new(role, body))],
            &opts,
        );
        let n = lines.len();
        // A chapter's entry stays with its first section's, and the last entry is never alone
        // on a page.
        let keep = (level == 1 && entries.get(i + 1).is_some_and(|x| x.level > 1))
            || i + 2 == entries.len();
        for (k, l) in lines.iter_mut().enumerate() {
            l.anchor_links.push((
                Rect {
                    x: indent,
                    y: 0.0,
                    width: ctx.measure - indent,
                    height: l.height,
                },
                e.anchor.clone(),
            ));
            if k + 1 < n {
                l.keep_with_next = true;
                continue;
            }
            l.keep_with_next = keep;
            let base = l.items.iter().find_map(|it| match it {
                Item::Text(t) => Some(t.origin.y),
                _ => None,
            });
            let base = base.unwrap_or(l.height * 0.7);
            let text_end = l
                .items
                .iter()
                .filter_map(|it| match it {
                    Item::Text(t) => Some(t.origin.x + run_width(t)),
                    _ => None,
                })
                .fold(indent, f32::max);
            let num_x = ctx.measure - num_w;
            // Leader dots on a fixed grid so that they line up from entry to entry.
            let mut x = ((text_end + body * 0.6) / dot).ceil() * dot;
            while x + dot * 0.5 < num_x - body * 0.4 {
                l.items.push(Item::Fill {
                    rect: Rect {
                        x: x - 0.45,
                        y: base - body * 0.12 - 0.45,
                        width: 0.9,
                        height: 0.9,
                    },
                    color: Color::BLACK,
                });
                x += dot;
            }
            let mut r = paragraph::text_run(
                ctx,
                num_face,
                &label,
                body,
                Default::default(),
                Color::BLACK,
            );
            r.origin.x = num_x;
            r.origin.y = base;
            l.items.push(Item::Text(r));
        }
        out.extend(lines.into_iter().map(|b: BoxElem| Elem::Box(b)));
    }
    out
}
