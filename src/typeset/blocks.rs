//! blocks: a chapter's blocks → flow elements (headings, paragraphs, lists, quotes, code, figures, rules).
//!
//! Input: one `doc::Chapter`. Output: [`Elem`]s starting with a page start (chapters open on a new page,
//! a recto when two-sided), the chapter title and paper header, then the blocks in a [`Env`] that
//! carries the left edge, measure and text role (block quotes nest it). Headings are set in the sans
//! face and kept with what follows; body paragraphs get the 2 em indent and widow/orphan keeps (§7).

use super::flow::{BoxElem, Elem, Numbering, PageStart};
use super::inline::{chapter_anchor, heading_anchor, pieces};
use super::page::{BlockRole, Color, Item, Point, Rect};
use super::paragraph::{self, Align, LinkRef, ParaOpts, Piece, Style};
use super::{Ctx, OutlineDraft, TypesetError, notes, table};
use crate::doc::{Block, Chapter};
use crate::fonts::Role;
use crate::refs::RefText;

/// Where blocks are set: left edge and measure inside the text block, text role and size.
#[derive(Debug, Clone)]
pub struct Env {
    pub left: f32,
    pub measure: f32,
    pub role: Role,
    pub size: f32,
    pub pitch: f32,
    /// First-line indent of paragraphs.
    pub indent: f32,
}

impl Env {
    pub fn body(ctx: &Ctx) -> Env {
        Env {
            left: 0.0,
            measure: ctx.measure,
            role: Role::Serif,
            size: ctx.body,
            pitch: ctx.pitch,
            indent: 2.0 * ctx.body,
        }
    }
}

/// A box of empty space that is not dropped at the top of a page.
pub fn strut(height: f32) -> Elem {
    Elem::Box(BoxElem {
        height,
        ..Default::default()
    })
}

/// Size of the chapter title: 二号 22 pt.
const CHAPTER_SIZE: f32 = 22.0;

/// The chapter's opening: page start, title, subtitle and paper header.
pub fn opening(
    ctx: &mut Ctx,
    title: &str,
    anchor: &str,
    numbering: Numbering,
    head: Option<String>,
) -> Vec<Elem> {
    let mut out = vec![Elem::Start(PageStart {
        recto: ctx.settings.pdf.two_sided,
        numbering,
        head,
    })];
    out.push(strut(ctx.pitch * 2.0));
    let st = Style::new(Role::SansBold, CHAPTER_SIZE);
    let opts = ParaOpts {
        measure: ctx.measure,
        indent: 0.0,
        left: 0.0,
        align: Align::Center,
        pitch: CHAPTER_SIZE * 1.5,
        keep_lines: false,
    };
    ctx.begin(BlockRole::Heading(1));
    let mut lines = paragraph::layout(ctx, &[Piece::Text(title.to_string(), st)], &opts);
    if let Some(first) = lines.first_mut() {
        first.anchors.push((anchor.to_string(), 0.0));
    }
    for mut l in lines {
        l.keep_with_next = true;
        out.push(Elem::Box(l));
    }
    ctx.outline.push(OutlineDraft {
        level: 1,
        title: title.to_string(),
        anchor: anchor.to_string(),
        in_toc: true,
    });
    out
}

/// A whole chapter.
pub fn chapter(
    ctx: &mut Ctx,
    index: usize,
    ch: &Chapter,
    numbering: Numbering,
) -> Result<Vec<Elem>, TypesetError> {
    ctx.chapter = index;
    let mut out = opening(
        ctx,
        &ch.title,
        &chapter_anchor(&ch.id),
        numbering,
        Some(ch.title.clone()),
    );
    let centred = |ctx: &mut Ctx, pieces: Vec<Piece>, size: f32, out: &mut Vec<Elem>| {
        ctx.begin(BlockRole::Paragraph);
        for mut l in paragraph::centred(ctx, &pieces, size) {
            l.keep_with_next = true;
            out.push(Elem::Box(l));
        }
    };
    if let Some(sub) = &ch.subtitle {
        let size = ctx.body + 2.0;
        centred(
            ctx,
            vec![Piece::Text(sub.clone(), Style::new(Role::Kai, size))],
            size,
            &mut out,
        );
    }
    let small = ctx.body - 1.5;
    if !ch.paper.is_empty() {
        out.push(strut(ctx.pitch * 0.5));
        if !ch.paper.authors.is_empty() {
            let t = ch.paper.authors.join("，");
            centred(
                ctx,
                vec![Piece::Text(t, Style::new(Role::Kai, ctx.body))],
                ctx.body,
                &mut out,
            );
        }
        if let Some(v) = &ch.paper.venue {
            centred(
                ctx,
                vec![Piece::Text(v.clone(), Style::new(Role::Serif, small))],
                small,
                &mut out,
            );
        }
        if let Some(u) = &ch.paper.url {
            let st = Style {
                link: Some(LinkRef::Uri(u.clone())),
                ..Style::new(Role::Mono, small)
            };
            centred(ctx, vec![Piece::Text(u.clone(), st)], small, &mut out);
        }
        if let Some((_, text)) = ctx.refs.paper_refs.iter().find(|(id, _)| *id == ch.id) {
            let p = ref_pieces(text, &Style::new(Role::Serif, small));
            centred(ctx, p, small, &mut out);
        }
    }
    out.push(strut(ctx.pitch * 1.5));
    let env = Env::body(ctx);
    out.extend(blocks(ctx, &ch.blocks, &env)?);
    out.extend(super::references::chapter_section(ctx, &ch.id));
    notes::layout_chapter(ctx, index, ch)?;
    Ok(out)
}

/// Pieces of formatted reference text.
pub fn ref_pieces(text: &[RefText], st: &Style) -> Vec<Piece> {
    text.iter()
        .map(|t| match t {
            RefText::Plain(s) | RefText::Italic(s) => Piece::Text(s.clone(), st.clone()),
            RefText::Link { text, url } => Piece::Text(
                text.clone(),
                Style {
                    link: Some(LinkRef::Uri(url.clone())),
                    ..st.clone()
                },
            ),
        })
        .collect()
}

/// Lays out a sequence of blocks.
pub fn blocks(ctx: &mut Ctx, blocks: &[Block], env: &Env) -> Result<Vec<Elem>, TypesetError> {
    let mut out = Vec::new();
    for b in blocks {
        block(ctx, b, env, &mut out)?;
    }
    Ok(out)
}

fn para_opts(env: &Env, indent: f32) -> ParaOpts {
    ParaOpts {
        measure: env.measure,
        indent,
        left: env.left,
        align: Align::Justify,
        pitch: env.pitch,
        keep_lines: true,
    }
}

fn block(ctx: &mut Ctx, b: &Block, env: &Env, out: &mut Vec<Elem>) -> Result<(), TypesetError> {
    match b {
        Block::Heading {
            level, id, content, ..
        } => heading(ctx, *level, id, content, env, out),
        Block::Paragraph { content, .. } => {
            let p = pieces(ctx, content, &Style::new(env.role, env.size));
            ctx.begin(BlockRole::Paragraph);
            for l in paragraph::layout(ctx, &p, &para_opts(env, env.indent)) {
                out.push(Elem::Box(l));
            }
        }
        Block::Figure { image, caption, .. } => {
            out.push(Elem::Space(env.pitch * 0.5));
            out.extend(super::table::figure(ctx, image, caption, env)?);
            out.push(Elem::Space(env.pitch * 0.5));
        }
        Block::Quote { blocks: inner, .. } => {
            let e = Env {
                left: env.left + 2.0 * env.size,
                measure: env.measure - 4.0 * env.size,
                role: Role::Kai,
                ..env.clone()
            };
            out.push(Elem::Space(env.pitch * 0.25));
            out.extend(blocks(ctx, inner, &e)?);
            out.push(Elem::Space(env.pitch * 0.25));
        }
        Block::List { start, items, .. } => {
            let e = Env {
                left: env.left + 2.0 * env.size,
                measure: env.measure - 2.0 * env.size,
                indent: 0.0,
                ..env.clone()
            };
            for (k, item) in items.iter().enumerate() {
                let (marker, scale) = match (item.task, start) {
                    (None, Some(s)) => (format!("{}.", s + k as u64), 1.0),
                    (Some(done), _) => {
                        first_drawable(ctx, env.role, if done { &DONE } else { &TO_DO })
                    }
                    (None, None) if env.left > 0.0 && env.indent == 0.0 => {
                        first_drawable(ctx, env.role, &INNER_BULLETS)
                    }
                    (None, None) => first_drawable(ctx, env.role, &BULLETS),
                };
                let mut inner = blocks(ctx, &item.blocks, &e)?;
                // A scaled shape keeps its centre on the centre of the CJK em box.
                let small = env.size * scale;
                attach_marker(
                    ctx,
                    &mut inner,
                    &marker,
                    env.role,
                    small,
                    Point {
                        x: e.left - 0.4 * env.size,
                        y: -0.38 * (env.size - small),
                    },
                );
                out.extend(inner);
            }
        }
        Block::Code { text, .. } => code(ctx, text, env, out),
        Block::Table {
            align, head, rows, ..
        } => {
            out.push(Elem::Space(env.pitch * 0.5));
            out.extend(table::table(ctx, align, head, rows, env));
            out.push(Elem::Space(env.pitch * 0.5));
        }
        Block::Rule { .. } => {
            let y = env.pitch / 2.0;
            let w = env.measure / 4.0;
            let x = env.left + (env.measure - w) / 2.0;
            out.push(Elem::Box(BoxElem {
                height: env.pitch,
                items: vec![Item::Line {
                    from: Point { x, y },
                    to: Point { x: x + w, y },
                    thickness: 0.5,
                    color: Color::BLACK,
                }],
                ..Default::default()
            }));
        }
    }
    Ok(())
}

/// A heading: sans bold, kept with what follows, anchored, in the outline (and the contents when
/// `level <= 2`).
pub fn heading(
    ctx: &mut Ctx,
    level: u8,
    id: &str,
    content: &[crate::doc::Inline],
    env: &Env,
    out: &mut Vec<Elem>,
) {
    let a4 = ctx.body >= 11.5;
    let size = match level {
        0..=2 => {
            if a4 {
                15.0
            } else {
                14.0
            }
        }
        3 => 12.0,
        _ => ctx.body,
    };
    let p = pieces(ctx, content, &Style::new(Role::SansBold, size));
    let pitch = if level <= 2 {
        ctx.pitch * 1.5
    } else {
        ctx.pitch
    };
    out.push(Elem::Space(ctx.pitch * if level <= 2 { 0.5 } else { 0.25 }));
    let opts = ParaOpts {
        measure: env.measure,
        indent: 0.0,
        left: env.left,
        align: Align::Left,
        pitch,
        keep_lines: false,
    };
    let anchor = heading_anchor(id);
    ctx.begin(BlockRole::Heading(level.clamp(1, 6)));
    let mut lines = paragraph::layout(ctx, &p, &opts);
    if let Some(first) = lines.first_mut() {
        first.anchors.push((anchor.clone(), 0.0));
    }
    for mut l in lines {
        l.keep_with_next = true;
        out.push(Elem::Box(l));
    }
    ctx.outline.push(OutlineDraft {
        level: level.max(2),
        title: crate::doc::plain_text(content),
        anchor,
        in_toc: level <= 2,
    });
}

/// List markers, best first, each with the size it is set at (in text ems). The geometric shapes
/// of CJK fonts fill most of the em, so `●` `○` are set at half size: a dot about 0.4 em across,
/// which `•` (a Latin bullet, about 0.15 em in Noto CJK) is too small for and full-size `○` too
/// heavy for. The book's fonts may have none of the first choices, and a marker must never be
/// drawn as a missing glyph.
const BULLETS: [(&str, f32); 3] = [("●", 0.5), ("•", 1.0), ("-", 1.0)];
const INNER_BULLETS: [(&str, f32); 4] = [("○", 0.5), ("◦", 1.0), ("–", 1.0), ("-", 1.0)];
const DONE: [(&str, f32); 3] = [("☑", 1.0), ("■", 0.6), ("x", 1.0)];
const TO_DO: [(&str, f32); 3] = [("☐", 1.0), ("□", 0.6), ("o", 1.0)];

/// The first of `shapes` some face along `role`'s fallbacks draws; the last one when none does.
fn first_drawable(ctx: &Ctx, role: Role, shapes: &[(&str, f32)]) -> (String, f32) {
    let (s, scale) = shapes
        .iter()
        .copied()
        .find(|(s, _)| {
            s.chars()
                .all(|c| ctx.fonts.face_for_char(role, c).is_some())
        })
        .or(shapes.last().copied())
        .unwrap_or(("-", 1.0));
    (s.to_string(), scale)
}

/// Draws a list marker (or a reference label) before the first line of `elems`: right-aligned at
/// `at.x`, on the line's baseline moved down by `at.y`.
pub fn attach_marker(
    ctx: &mut Ctx,
    elems: &mut [Elem],
    text: &str,
    role: Role,
    size: f32,
    at: Point,
) {
    let Some(b) = elems.iter_mut().find_map(|e| match e {
        Elem::Box(b) if b.items.iter().any(|i| matches!(i, Item::Text(_))) => Some(b),
        _ => None,
    }) else {
        return;
    };
    let base = b.items.iter().find_map(|i| match i {
        Item::Text(t) => Some(t.origin.y),
        _ => None,
    });
    let face = text
        .chars()
        .next()
        .and_then(|c| ctx.fonts.face_for_char(role, c))
        .unwrap_or_else(|| ctx.fonts.face_id(role));
    let mut r = paragraph::text_run(ctx, face, text, size, Point::default(), Color::BLACK);
    let w = paragraph::run_width(&r);
    r.origin = Point {
        x: at.x - w,
        y: base.unwrap_or(b.height * 0.7) + at.y,
    };
    b.items.push(Item::Text(r));
}

/// A code block: mono, one size down, shaded, wrapped, split across pages line by line.
fn code(ctx: &mut Ctx, text: &str, env: &Env, out: &mut Vec<Elem>) {
    let size = (env.size * 0.85).max(6.0);
    let pitch = size * 1.5;
    let pad = size * 0.6;
    let shade = Color(243, 243, 243);
    let fill = |h: f32| Item::Fill {
        rect: Rect {
            x: env.left,
            y: 0.0,
            width: env.measure,
            height: h,
        },
        color: shade,
    };
    out.push(Elem::Space(env.pitch * 0.25));
    out.push(Elem::Box(BoxElem {
        height: pad,
        items: vec![fill(pad)],
        keep_with_next: true,
        ..Default::default()
    }));
    let face = ctx.fonts.face_id(Role::Mono);
    let space = ctx.shaper.width(face, " ", size).max(size * 0.3);
    let src_lines: Vec<&str> = text.trim_end_matches('\n').split('\n').collect();
    ctx.begin(BlockRole::Code);
    let n = src_lines.len();
    for (i, src) in src_lines.into_iter().enumerate() {
        let body = src.trim_start_matches(' ');
        let lead = (src.len() - body.len()) as f32 * space;
        let opts = ParaOpts {
            measure: env.measure - 2.0 * pad - lead,
            indent: 0.0,
            left: env.left + pad + lead,
            align: Align::Left,
            pitch,
            keep_lines: false,
        };
        let mut lines = if body.is_empty() {
            Vec::new()
        } else {
            paragraph::layout(
                ctx,
                &[Piece::Text(body.to_string(), Style::new(Role::Mono, size))],
                &opts,
            )
        };
        if lines.is_empty() {
            lines.push(BoxElem {
                height: pitch,
                ..Default::default()
            });
        }
        for mut l in lines {
            l.items.insert(0, fill(l.height));
            l.keep_with_next = i == 0 || i + 2 >= n;
            out.push(Elem::Box(l));
        }
    }
    out.push(Elem::Box(BoxElem {
        height: pad,
        items: vec![fill(pad)],
        ..Default::default()
    }));
    out.push(Elem::Space(env.pitch * 0.25));
}
