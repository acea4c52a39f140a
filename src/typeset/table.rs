//! table: tables and figures → flow boxes.
//!
//! Tables are set as three-line tables (三线表: a heavy top rule, a thin rule under the header, a heavy
//! bottom rule), one size down. Column widths come from the content: each column gets at least its
//! longest unbreakable piece and shares the rest of the measure in proportion to its natural width.
//! Cells wrap; every row is one box and the header row repeats at the top of a continuation page.
//! Figures are scaled to fit the measure and the page, centred, with the caption below.

use super::blocks::Env;
use super::flow::{BoxElem, Elem};
use super::inline::pieces;
use super::page::{BlockRole, Color, Item, Point, Rect};
use super::paragraph::{self, Align, ParaOpts, Style};
use super::{Ctx, TypesetError};
use crate::doc::{Align as ColAlign, Image, Inline};
use crate::fonts::Role;
use std::sync::Arc;

const HEAVY: f32 = 0.8;
const THIN: f32 = 0.4;

/// Lays out a table.
pub fn table(
    ctx: &mut Ctx,
    align: &[ColAlign],
    head: &[Vec<Inline>],
    rows: &[Vec<Vec<Inline>>],
    env: &Env,
) -> Vec<Elem> {
    let size = (env.size - 1.5).max(6.0);
    let pitch = size * 1.55;
    let pad = size * 0.5;
    let ncol = head
        .len()
        .max(rows.iter().map(|r| r.len()).max().unwrap_or(0));
    if ncol == 0 {
        return Vec::new();
    }
    let cell_style =
        |header: bool| Style::new(if header { Role::SansBold } else { env.role }, size);
    // Natural (one-line) and minimum widths per column.
    let mut natural = vec![size * 2.0; ncol];
    let mut minimum = vec![size * 2.0; ncol];
    let all = std::iter::once((true, head)).chain(rows.iter().map(|r| (false, r.as_slice())));
    for (header, row) in all.clone() {
        for (c, cell) in row.iter().enumerate().take(ncol) {
            let p = pieces(ctx, cell, &cell_style(header));
            let one = ParaOpts {
                measure: 1.0e6,
                indent: 0.0,
                left: 0.0,
                align: Align::Left,
                pitch,
                keep_lines: false,
            };
            let w = line_width(&paragraph::layout(ctx, &p, &one));
            natural[c] = natural[c].max(w + 2.0 * pad);
            let narrow = ParaOpts {
                measure: size,
                ..one
            };
            let m = paragraph::layout(ctx, &p, &narrow)
                .iter()
                .map(|l| line_width(std::slice::from_ref(l)))
                .fold(0.0f32, f32::max);
            minimum[c] = minimum[c].max((m + 2.0 * pad).min(env.measure / ncol as f32 * 1.5));
        }
    }
    let widths = column_widths(&natural, &minimum, env.measure);
    let table_w: f32 = widths.iter().sum();
    let x0 = env.left + (env.measure - table_w) / 2.0;
    let build_row = |ctx: &mut Ctx, row: &[Vec<Inline>], header: bool| -> BoxElem {
        let mut cells = Vec::new();
        let mut h = pitch;
        let mut x = x0;
        for (c, w) in widths.iter().enumerate() {
            let empty = Vec::new();
            let cell = row.get(c).unwrap_or(&empty);
            let p = pieces(ctx, cell, &cell_style(header));
            let a = match align.get(c) {
                Some(ColAlign::Center) => Align::Center,
                _ if header => Align::Center,
                _ => Align::Left,
            };
            let opts = ParaOpts {
                measure: w - 2.0 * pad,
                indent: 0.0,
                left: x + pad,
                align: a,
                pitch,
                keep_lines: false,
            };
            ctx.begin(BlockRole::Paragraph);
            let mut lines = paragraph::layout(ctx, &p, &opts);
            if matches!(align.get(c), Some(ColAlign::Right)) && !header {
                for l in &mut lines {
                    // line_width is measured from the text block's edge; the cell starts at x + pad.
                    let lw = line_width(std::slice::from_ref(l)) - (x + pad);
                    shift(l, w - 2.0 * pad - lw);
                }
            }
            h = h.max(lines.iter().map(|l| l.height).sum());
            cells.push(lines);
            x += w;
        }
        let mut b = BoxElem {
            height: h + pad,
            ..Default::default()
        };
        for lines in cells {
            let mut y = pad / 2.0;
            for l in lines {
                for it in &l.items {
                    b.items.push(super::flow::offset_item(it, 0.0, y));
                }
                b.marks.extend(l.marks.into_iter().map(|mut m| {
                    m.y += y;
                    m
                }));
                for (r, a) in l.anchor_links {
                    b.anchor_links.push((Rect { y: r.y + y, ..r }, a));
                }
                y += l.height;
            }
        }
        b
    };
    let rule = |y: f32, t: f32| Item::Line {
        from: Point { x: x0, y },
        to: Point { x: x0 + table_w, y },
        thickness: t,
        color: Color::BLACK,
    };
    let mut head_box = build_row(ctx, head, true);
    head_box.items.push(rule(0.0, HEAVY));
    let hh = head_box.height;
    head_box.items.push(rule(hh, THIN));
    let head_shared = Arc::new(head_box.clone());
    head_box.keep_with_next = true;
    let mut out = vec![Elem::Box(head_box)];
    let n = rows.len();
    for (i, r) in rows.iter().enumerate() {
        let mut b = build_row(ctx, r, false);
        b.header = Some(Arc::clone(&head_shared));
        if i + 1 == n {
            let h = b.height;
            b.items.push(rule(h, HEAVY));
        }
        b.keep_with_next = i == 0 || i + 2 == n;
        out.push(Elem::Box(b));
    }
    out
}

/// Column widths for a measure: natural widths when they fit. Otherwise a column no wider than
/// its fair share of what the others leave (a short label: 生成模型, 0.01%) keeps its natural width,
/// so that it is never broken inside a word, and the wide columns share the rest: each gets its
/// minimum plus spare space in proportion to what it lacks.
fn column_widths(natural: &[f32], minimum: &[f32], measure: f32) -> Vec<f32> {
    if natural.iter().sum::<f32>() <= measure {
        return natural.to_vec();
    }
    let mut whole = vec![false; natural.len()];
    loop {
        let left = measure
            - (0..natural.len())
                .filter(|&c| whole[c])
                .map(|c| natural[c])
                .sum::<f32>();
        let open = whole.iter().filter(|w| !**w).count().max(1);
        let fair = left / open as f32;
        let newly: Vec<usize> = (0..natural.len())
            .filter(|&c| !whole[c] && natural[c] <= fair)
            .collect();
        if newly.is_empty() {
            break;
        }
        for c in newly {
            whole[c] = true;
        }
    }
    let fixed: f32 = (0..natural.len())
        .filter(|&c| whole[c])
        .map(|c| natural[c])
        .sum();
    let wide = (0..natural.len()).filter(|&c| !whole[c]);
    let min_sum: f32 = wide.clone().map(|c| minimum[c]).sum();
    let spare = (measure - fixed - min_sum).max(0.0);
    let lack: f32 = wide
        .clone()
        .map(|c| natural[c] - minimum[c])
        .sum::<f32>()
        .max(1.0);
    let w: Vec<f32> = (0..natural.len())
        .map(|c| {
            if whole[c] {
                natural[c]
            } else {
                minimum[c] + spare * (natural[c] - minimum[c]) / lack
            }
        })
        .collect();
    let s: f32 = w.iter().sum();
    w.iter().map(|x| x * measure.min(s) / s).collect()
}

fn line_width(lines: &[BoxElem]) -> f32 {
    let mut w = 0.0f32;
    for l in lines {
        for it in &l.items {
            if let Item::Text(t) = it {
                w = w.max(t.origin.x + paragraph::run_width(t));
            }
        }
    }
    w
}

fn shift(b: &mut BoxElem, dx: f32) {
    b.items = b
        .items
        .iter()
        .map(|i| super::flow::offset_item(i, dx, 0.0))
        .collect();
    for m in &mut b.marks {
        m.x += dx;
    }
}

/// A figure: the image scaled to fit, centred, caption below, kept together.
pub fn figure(
    ctx: &mut Ctx,
    image: &Image,
    caption: &[Inline],
    env: &Env,
) -> Result<Vec<Elem>, TypesetError> {
    let path = ctx.settings.root.join(&image.path);
    // Natural size, then fit the measure and about 60 % of the text block.
    let (mut w, mut h) = ctx.image_size(&image.path)?;
    let block_h = ctx.settings.pdf.paper.height_mm * super::MM
        - (ctx.settings.pdf.margins.top + ctx.settings.pdf.margins.bottom) * super::MM;
    let scale = (env.measure / w).min(block_h * 0.6 / h).min(1.0);
    w *= scale;
    h *= scale;
    let x = env.left + (env.measure - w) / 2.0;
    let img = BoxElem {
        height: h + env.pitch * 0.3,
        items: vec![Item::Image {
            rect: Rect {
                x,
                y: 0.0,
                width: w,
                height: h,
            },
            path,
            alt: image.alt.clone(),
        }],
        keep_with_next: !caption.is_empty() || !image.alt.is_empty(),
        ..Default::default()
    };
    let mut out = vec![Elem::Box(img)];
    let size = (env.size - 1.5).max(6.0);
    let cap: Vec<Inline> = if caption.is_empty() {
        vec![Inline::Text(image.alt.clone())]
    } else {
        caption.to_vec()
    };
    let p = pieces(ctx, &cap, &Style::new(Role::Kai, size));
    let opts = ParaOpts {
        measure: env.measure,
        indent: 0.0,
        left: env.left,
        align: Align::Center,
        pitch: size * 1.6,
        keep_lines: false,
    };
    ctx.begin(BlockRole::Caption);
    let mut lines = paragraph::layout(ctx, &p, &opts);
    let n = lines.len();
    for (i, l) in lines.iter_mut().enumerate() {
        l.keep_with_next = i + 1 < n;
    }
    out.extend(lines.into_iter().map(Elem::Box));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::column_widths;

    #[test]
    fn short_columns_keep_their_natural_width() {
        // The 前言 table in A5, in ems: title, direction, keywords.
        let w = column_widths(&[17.0, 7.0, 15.0], &[2.0, 2.0, 2.0], 33.8);
        assert!((w[1] - 7.0).abs() < 1e-3, "{w:?}");
        assert!((w.iter().sum::<f32>() - 33.8).abs() < 1e-3);
        assert!(w[0] > w[2] && w[2] > 7.0, "{w:?}");
        // Everything fits: natural widths.
        assert_eq!(column_widths(&[5.0, 6.0], &[1.0, 1.0], 20.0), [5.0, 6.0]);
        // Two wide columns, no short one: each its minimum plus spare space in proportion to
        // what it lacks (16 em shared 28 : 10).
        let w = column_widths(&[30.0, 12.0], &[2.0, 2.0], 20.0);
        let want = [2.0 + 16.0 * 28.0 / 38.0, 2.0 + 16.0 * 10.0 / 38.0];
        assert!(
            (w[0] - want[0]).abs() < 1e-3 && (w[1] - want[1]).abs() < 1e-3,
            "{w:?}"
        );
    }
}
