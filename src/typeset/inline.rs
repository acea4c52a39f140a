//! inline: IR inlines → styled [`Piece`]s for the paragraph assembler.
//!
//! Input: `doc::Inline`s and the style of the enclosing block. Output: pieces with a font role per
//! typography.md §6 (emphasis → Kai, never slanted; strong → sans bold; code → mono), links, citation
//! marks (`refs.marks[i]` for the i-th citation; superscript ones become inline objects) and footnote
//! markers (objects numbered per page later).

use super::Ctx;
use super::paragraph::{LinkRef, ObjKind, Piece, Style};
use crate::doc::{Image, Inline, LinkTarget};
use crate::fonts::Role;

/// Anchor name of a chapter's opening.
pub fn chapter_anchor(id: &str) -> String {
    format!("ch:{id}")
}

/// Anchor name of a heading.
pub fn heading_anchor(id: &str) -> String {
    format!("h:{id}")
}

/// Tallest an inline image is set, in ems of its text: it fills the CJK em box at most, so the
/// line keeps its pitch (an image alone in its paragraph is a figure, set at its own size).
const INLINE_IMAGE_EMS: f32 = 1.0;

/// An image inside running text (an icon, a badge, a small formula): its natural size, as for
/// figures, scaled down to the em box and the measure. An image whose size cannot be read (the
/// loader has checked that it exists) is set as its alternative text.
fn inline_image(ctx: &Ctx, img: &Image, st: &Style) -> Piece {
    let Ok((w, h)) = ctx.image_size(&img.path) else {
        return Piece::Text(img.alt.clone(), st.clone());
    };
    let scale = (st.size * INLINE_IMAGE_EMS / h)
        .min(ctx.measure / w)
        .min(1.0);
    Piece::Object(
        ObjKind::Image {
            path: ctx.settings.root.join(&img.path),
            alt: img.alt.clone(),
            width: w * scale,
            height: h * scale,
        },
        st.clone(),
    )
}

/// Flattens inlines into pieces in `style`.
pub fn pieces(ctx: &Ctx, inlines: &[Inline], style: &Style) -> Vec<Piece> {
    let mut out = Vec::new();
    push(ctx, inlines, style, &mut out);
    out
}

fn push(ctx: &Ctx, inlines: &[Inline], st: &Style, out: &mut Vec<Piece>) {
    for i in inlines {
        match i {
            Inline::Text(t) => out.push(Piece::Text(t.clone(), st.clone())),
            Inline::Autospace => out.push(Piece::Autospace(st.clone())),
            Inline::Emph(c) => {
                let role = if st.role == Role::SansBold {
                    Role::SansBold
                } else {
                    Role::Kai
                };
                push(ctx, c, &Style { role, ..st.clone() }, out)
            }
            Inline::Strong(c) => push(
                ctx,
                c,
                &Style {
                    role: Role::SansBold,
                    ..st.clone()
                },
                out,
            ),
            Inline::Strike(c) => push(
                ctx,
                c,
                &Style {
                    strike: true,
                    ..st.clone()
                },
                out,
            ),
            Inline::Code(t) => out.push(Piece::Text(
                t.clone(),
                Style {
                    role: Role::Mono,
                    ..st.clone()
                },
            )),
            Inline::Link {
                target, content, ..
            } => {
                let link = match target {
                    LinkTarget::External(u) => LinkRef::Uri(u.clone()),
                    LinkTarget::Internal { chapter, anchor } => LinkRef::Anchor(match anchor {
                        Some(a) => heading_anchor(a),
                        None => chapter_anchor(chapter),
                    }),
                };
                push(
                    ctx,
                    content,
                    &Style {
                        link: Some(link),
                        ..st.clone()
                    },
                    out,
                )
            }
            Inline::Image(img) => out.push(inline_image(ctx, img, st)),
            Inline::Cite(c) => {
                let Some(mark) = ctx.cites.get(&c.span).and_then(|&i| ctx.refs.marks.get(i)) else {
                    let keys: Vec<String> = c.items.iter().map(|i| format!("?{}", i.key)).collect();
                    out.push(Piece::Text(format!("[{}]", keys.join(", ")), st.clone()));
                    continue;
                };
                if !mark.prefix.is_empty() {
                    out.push(Piece::Text(mark.prefix.clone(), st.clone()));
                }
                if mark.superscript {
                    // The object links each number itself.
                    let st = Style {
                        link: None,
                        ..st.clone()
                    };
                    out.push(Piece::Object(ObjKind::Sup(mark.parts.clone()), st));
                } else {
                    for part in &mark.parts {
                        let link = part.target.clone().map(LinkRef::Anchor);
                        let st = Style {
                            link: link.or(st.link.clone()),
                            ..st.clone()
                        };
                        out.push(Piece::Text(part.text.clone(), st));
                    }
                }
            }
            Inline::FootnoteRef { index, .. } => out.push(Piece::Object(
                ObjKind::Note((ctx.chapter, *index)),
                st.clone(),
            )),
            Inline::LineBreak => out.push(Piece::Break),
        }
    }
}
