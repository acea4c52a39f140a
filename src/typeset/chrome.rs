//! chrome: page labels, running heads (书眉) and folios.
//!
//! Input: the paginated [`PageDraft`]s. Output: final [`Page`]s. Labels: none on the title page, lower
//! roman for front matter and the TOC, arabic from the first body chapter (typography.md §7). Running
//! heads: the book title on versos, the chapter title on rectos, 小五 with a thin rule under it; page
//! numbers in the footer, at the outer edge when two-sided, centred otherwise. Chapter-opening pages and
//! blank pages get neither; heads sit in the top margin and folios in the bottom margin, so they never
//! overlap the text block or each other.

use super::Ctx;
use super::flow::{Geometry, Numbering, PageDraft};
use super::page::{Color, Item, Page, Point, TextRun};
use super::paragraph::{run_width, text_run};
use crate::fonts::{FaceId, Role};
use std::collections::HashMap;

/// Size of running heads and folios: 小五.
pub const CHROME_SIZE: f32 = 9.0;

/// Lower-case roman numerals.
pub fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// The printed label of every page.
pub fn labels(drafts: &[PageDraft]) -> Vec<Option<String>> {
    #[derive(Clone, Copy)]
    enum Mode {
        None,
        Roman,
        Arabic,
    }
    let mut mode = Mode::None;
    let (mut r, mut a) = (0usize, 0usize);
    drafts
        .iter()
        .map(|d| {
            if !d.blank {
                mode = match d.numbering {
                    Numbering::None => Mode::None,
                    Numbering::Roman => Mode::Roman,
                    Numbering::Arabic { restart } => {
                        if restart && d.opening {
                            a = 0;
                        }
                        Mode::Arabic
                    }
                };
            }
            match mode {
                Mode::None => None,
                Mode::Roman => {
                    r += 1;
                    Some(roman(r))
                }
                Mode::Arabic => {
                    a += 1;
                    Some(a.to_string())
                }
            }
        })
        .collect()
}

/// Adds labels, running heads and folios.
pub fn finish(
    ctx: &mut Ctx,
    drafts: Vec<PageDraft>,
    labels: Vec<Option<String>>,
    geo: &Geometry,
) -> Vec<Page> {
    let face = ctx.fonts.face_id(Role::Serif);
    let book_title = ctx.settings.book.title.clone();
    let mut heads: HashMap<String, TextRun> = HashMap::new();
    drafts
        .into_iter()
        .zip(labels)
        .enumerate()
        .map(|(i, (d, label))| {
            let mut page = d.page;
            page.label = label.clone();
            if d.opening || d.blank {
                return page;
            }
            let left = geo.left(i);
            let recto = i % 2 == 0;
            if let Some(ch) = &d.head {
                let head = if recto { ch } else { &book_title };
                let rule_y = geo.top - ctx.pitch * 0.45;
                // Shaped once per distinct head: a long title would otherwise be shaped again on
                // each of its pages.
                let mut r = match heads.get(head) {
                    Some(r) => r.clone(),
                    None => {
                        let r = head_run(ctx, face, head, geo.measure * 0.8);
                        heads.insert(head.clone(), r.clone());
                        r
                    }
                };
                let w = run_width(&r);
                r.origin = Point {
                    x: left + ((geo.measure - w) / 2.0).max(0.0),
                    y: rule_y - CHROME_SIZE * 0.45,
                };
                page.items.push(Item::Text(r));
                page.items.push(Item::Line {
                    from: Point { x: left, y: rule_y },
                    to: Point {
                        x: left + geo.measure,
                        y: rule_y,
                    },
                    thickness: 0.4,
                    color: Color::BLACK,
                });
            }
            if let Some(l) = label {
                let mut r = text_run(ctx, face, &l, CHROME_SIZE, Point::default(), Color::BLACK);
                let w = run_width(&r);
                let x = if !geo.two_sided {
                    left + (geo.measure - w) / 2.0
                } else if recto {
                    left + geo.measure - w
                } else {
                    left
                };
                r.origin = Point {
                    x,
                    y: geo.height - geo.bottom + ctx.pitch * 1.3,
                };
                page.items.push(Item::Text(r));
            }
            page
        })
        .collect()
}

/// A running head no wider than `limit`, shortened with an ellipsis when it is wider: first cut where
/// the shaped run crosses the limit (one shaping, not one per character: a 400-character title took
/// seconds per page), then drop characters while the shortened head is still too wide.
fn head_run(ctx: &mut Ctx, face: FaceId, head: &str, limit: f32) -> TextRun {
    let run = |ctx: &mut Ctx, text: &str| {
        text_run(ctx, face, text, CHROME_SIZE, Point::default(), Color::BLACK)
    };
    let mut r = run(ctx, head);
    let mut head = head.to_string();
    if run_width(&r) > limit && head.chars().count() > 2 {
        let mut width = run_width(&run(ctx, "…"));
        let mut keep = head.len();
        for g in &r.glyphs {
            if width + g.x_advance > limit {
                keep = keep.min(g.text.start);
                break;
            }
            width += g.x_advance;
        }
        let mut keep = keep.max(head.chars().take(2).map(char::len_utf8).sum());
        while !head.is_char_boundary(keep) {
            keep -= 1;
        }
        if keep < head.len() {
            head.truncate(keep);
            head = head
                .trim_end_matches(['…', ' ', ':', '：', ','])
                .to_string();
            r = run(ctx, &format!("{head}…"));
        }
    }
    while run_width(&r) > limit && head.chars().count() > 2 {
        head.pop();
        head = head
            .trim_end_matches(['…', ' ', ':', '：', ','])
            .to_string();
        r = run(ctx, &format!("{head}…"));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::roman;

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(4), "iv");
        assert_eq!(roman(14), "xiv");
        assert_eq!(roman(1990), "mcmxc");
    }
}
