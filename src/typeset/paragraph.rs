//! paragraph: inlines → atoms → lines → line boxes (typography.md §2–§4 via `linebreak`).
//!
//! Input: a paragraph's [`Piece`]s (styled text, autospace, hard breaks, inline objects) and its
//! [`ParaOpts`]. Each text piece is split by the face that covers each character (`face_for_char`),
//! shaped with rustybuzz and cut into one atom per cluster; full-width marks and, in a Chinese context,
//! the shared marks `“ ” ‘ ’ — … ·` get their nominal GB frame with the glyph placed by its ink side
//! (§3.4: never trust their advances). Output: one [`BoxElem`] per line with `TextRun`s whose text is
//! exactly the source text: autospace and justification are advances, never characters.

use super::flow::{BoxElem, NoteKey, NoteMark};
use super::linebreak::{self, Atom, AtomKind, Options, Strictness};
use super::page::{Color, Glyph, Item, LinkDest, Point, Rect, Structure, TextRun};
use super::shape::{Ink, ShapedGlyph, is_han, is_shared_mark, punct_frame};
use super::{Ctx, hyphenate};
use crate::fonts::{FaceId, Role};
use crate::refs::MarkPart;
use std::path::PathBuf;

/// Link of a piece of text.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkRef {
    Uri(String),
    /// An anchor of this book (`ch:<id>`, `h:<id>`, `ref-…`).
    Anchor(String),
}

/// How a piece of text is set.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub role: Role,
    pub size: f32,
    pub color: Color,
    pub link: Option<LinkRef>,
    pub strike: bool,
}

impl Style {
    pub fn new(role: Role, size: f32) -> Self {
        Style {
            role,
            size,
            color: Color::BLACK,
            link: None,
            strike: false,
        }
    }
}

/// Inline objects: drawn by the paragraph, not shaped as running text.
#[derive(Debug, Clone)]
pub enum ObjKind {
    /// A footnote marker; its circled number is drawn when the page is known.
    Note(NoteKey),
    /// A superscript citation mark such as `[3]` or `[17-18]`, each number linked to its entry.
    Sup(Vec<MarkPart>),
    /// An image in running text, `width` × `height` pt, sitting on the em box of its line.
    Image {
        path: PathBuf,
        alt: String,
        width: f32,
        height: f32,
    },
}

#[derive(Debug, Clone)]
pub enum Piece {
    Text(String, Style),
    Autospace(Style),
    Break,
    Object(ObjKind, Style),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Justify,
    Left,
    Center,
}

#[derive(Debug, Clone)]
pub struct ParaOpts {
    pub measure: f32,
    /// First-line indent.
    pub indent: f32,
    /// x of the paragraph's left edge in the text block.
    pub left: f32,
    pub align: Align,
    pub pitch: f32,
    /// Apply the widow/orphan keeps (body paragraphs).
    pub keep_lines: bool,
}

/// Size of superscript marks relative to the text.
pub const SUP_SCALE: f32 = 0.62;
/// Baseline raise of superscript marks, in text em.
pub const SUP_RAISE: f32 = 0.38;

struct Info {
    face: FaceId,
    style: usize,
    glyphs: Vec<ShapedGlyph>,
    text: String,
    /// Shift of the glyph inside its nominal frame.
    dx: f32,
    obj: Option<ObjKind>,
}

/// Centred lines of `pieces` at a 1.6 line pitch (chapter subtitles, the title page, the TOC title).
pub fn centred(ctx: &mut Ctx, pieces: &[Piece], size: f32) -> Vec<BoxElem> {
    let opts = ParaOpts {
        measure: ctx.measure,
        indent: 0.0,
        left: 0.0,
        align: Align::Center,
        pitch: size * 1.6,
        keep_lines: false,
    };
    layout(ctx, pieces, &opts)
}

/// Centred lines as even as the text allows: the narrowest measure that still gives as many lines
/// as the full one (a two-line title breaks near its middle instead of leaving one word below).
fn balanced(atoms: &[Atom], opts: Options) -> Vec<linebreak::Line> {
    let full = linebreak::break_paragraph(atoms, &opts);
    let n = full.len();
    if n < 2 || !opts.measure.is_finite() {
        return full;
    }
    let fits = |lines: &[linebreak::Line], measure: f32| {
        lines.len() == n && lines.iter().all(|l| l.width <= measure + 0.01)
    };
    let (mut lo, mut hi) = (opts.measure / n as f32, opts.measure);
    let mut best = full;
    for _ in 0..8 {
        let mid = (lo + hi) / 2.0;
        let lines = linebreak::break_paragraph(
            atoms,
            &Options {
                measure: mid,
                ..opts
            },
        );
        if fits(&lines, mid) {
            hi = mid;
            best = lines;
        } else {
            lo = mid;
        }
    }
    best
}

/// Lays out one paragraph into line boxes.
pub fn layout(ctx: &mut Ctx, pieces: &[Piece], o: &ParaOpts) -> Vec<BoxElem> {
    let mut styles: Vec<Style> = Vec::new();
    let mut atoms: Vec<Atom> = Vec::new();
    let mut infos: Vec<Info> = Vec::new();
    let flat: Vec<char> = pieces
        .iter()
        .flat_map(|p| match p {
            Piece::Text(t, _) => t.chars().collect::<Vec<_>>(),
            _ => vec![' '],
        })
        .collect();
    let mut char_pos = 0usize;
    for p in pieces {
        let style_ix = |styles: &mut Vec<Style>, s: &Style| match styles.iter().position(|x| x == s)
        {
            Some(i) => i,
            None => {
                styles.push(s.clone());
                styles.len() - 1
            }
        };
        match p {
            Piece::Text(text, st) => {
                let si = style_ix(&mut styles, st);
                push_text(ctx, text, st, si, &flat, char_pos, &mut atoms, &mut infos);
                char_pos += text.chars().count();
            }
            Piece::Autospace(st) => {
                let si = style_ix(&mut styles, st);
                atoms.push(Atom::autospace(st.size));
                infos.push(empty_info(ctx, st, si));
                char_pos += 1;
            }
            Piece::Break => {
                atoms.push(Atom::hard_break(o.pitch));
                infos.push(empty_info(ctx, &Style::new(Role::Serif, 1.0), 0));
                char_pos += 1;
            }
            Piece::Object(kind, st) => {
                let si = style_ix(&mut styles, st);
                let small = st.size * SUP_SCALE;
                let face = ctx.fonts.face_id(Role::Serif);
                let (width, glue_before) = match kind {
                    ObjKind::Note(_) => (ctx.shaper.width(face, "⑳", small), true),
                    ObjKind::Sup(parts) => (
                        parts
                            .iter()
                            .map(|p| ctx.shaper.width(face, &p.text, small))
                            .sum(),
                        true,
                    ),
                    ObjKind::Image { width, .. } => (*width, false),
                };
                atoms.push(Atom::new(AtomKind::Object { glue_before }, width, st.size));
                let mut info = empty_info(ctx, st, si);
                info.face = face;
                info.obj = Some(kind.clone());
                infos.push(info);
                char_pos += 1;
            }
        }
    }
    if atoms.is_empty() {
        return Vec::new();
    }
    if ctx.settings.pdf.hyphenate && o.align == Align::Justify {
        mark_hyphens(ctx, &mut atoms, &infos, &styles);
    }
    let opts = Options {
        measure: o.measure,
        indent: o.indent,
        strictness: Strictness::Gb,
        hanging: false,
        justify: o.align == Align::Justify,
    };
    let lines = if o.align == Align::Center {
        balanced(&atoms, opts)
    } else {
        linebreak::break_paragraph(&atoms, &opts)
    };
    let n = lines.len();
    let mut out = Vec::with_capacity(n);
    for (li, line) in lines.iter().enumerate() {
        let em = atoms[line.atoms.clone()]
            .iter()
            .map(|a| a.em)
            .fold(0.0f32, f32::max)
            .max(1.0);
        let height = o.pitch.max(em * 1.3);
        let baseline = (height - em) / 2.0 + em * 0.88;
        let dx = o.left
            + match o.align {
                Align::Center => ((o.measure - line.width) / 2.0).max(0.0),
                _ => 0.0,
            };
        let mut b = BoxElem {
            height,
            ..Default::default()
        };
        emit_line(ctx, line, &atoms, &infos, &styles, dx, baseline, &mut b);
        if o.keep_lines && n >= 2 && (li == 0 || li + 2 == n) {
            b.keep_with_next = true;
        }
        out.push(b);
    }
    out
}

/// Marks the hyphenation points of the paragraph's English words ([`hyphenate::points`]): the
/// atom before a point learns the width of a hyphen in its face. A word is a run of letter atoms
/// in one style and face, outside links and code, with no letter or digit on either side.
fn mark_hyphens(ctx: &mut Ctx, atoms: &mut [Atom], infos: &[Info], styles: &[Style]) {
    let word_char = |a: &Atom| a.ch().is_some_and(|c| c.is_alphanumeric() || c == '-');
    let letter = |a: &Atom| !a.url && a.ch().is_some_and(|c| c.is_ascii_alphabetic());
    let mut i = 0;
    while i < atoms.len() {
        if !letter(&atoms[i]) {
            i += 1;
            continue;
        }
        let (face, si) = (infos[i].face, infos[i].style);
        let mut j = i + 1;
        while j < atoms.len() && letter(&atoms[j]) && infos[j].face == face && infos[j].style == si
        {
            j += 1;
        }
        let (start, end) = (i, j);
        i = j;
        let bounded = !start.checked_sub(1).is_some_and(|p| word_char(&atoms[p]))
            && !atoms.get(end).is_some_and(word_char);
        let Some(st) = styles.get(si).filter(|st| bounded && st.role != Role::Mono) else {
            continue;
        };
        let word: String = infos[start..end].iter().map(|x| x.text.as_str()).collect();
        let points = hyphenate::points(&word);
        if points.is_empty() {
            continue;
        }
        let hyphen = ctx.shaper.width(face, "-", st.size);
        let mut at = 0;
        let mut points = points.into_iter().peekable();
        for k in start..end {
            at += infos[k].text.len();
            while points.next_if(|&p| p < at).is_some() {}
            if points.next_if_eq(&at).is_some() {
                atoms[k].hyphen = hyphen;
            }
        }
    }
}

fn empty_info(ctx: &Ctx, st: &Style, si: usize) -> Info {
    Info {
        face: ctx.fonts.face_id(st.role),
        style: si,
        glyphs: Vec::new(),
        text: String::new(),
        dx: 0.0,
        obj: None,
    }
}

/// Is the shared mark at `pos` of the paragraph's characters in a Chinese context?
fn cjk_context(flat: &[char], pos: usize) -> bool {
    let useful = |c: &&char| !is_shared_mark(**c) && !c.is_whitespace();
    let cjk = |c: Option<&char>| c.is_some_and(|c| is_han(*c) || punct_frame(*c).is_some());
    cjk(flat[..pos].iter().rev().find(useful)) || cjk(flat[pos + 1..].iter().find(useful))
}

#[allow(clippy::too_many_arguments)]
fn push_text(
    ctx: &mut Ctx,
    text: &str,
    st: &Style,
    si: usize,
    flat: &[char],
    char_pos: usize,
    atoms: &mut Vec<Atom>,
    infos: &mut Vec<Info>,
) {
    let role_face = ctx.fonts.face_id(st.role);
    let url = matches!(&st.link, Some(LinkRef::Uri(u)) if text.contains("://") || text == u);
    // Split into same-face segments.
    let mut segs: Vec<(usize, usize, FaceId)> = Vec::new();
    for (bi, c) in text.char_indices() {
        let face = if c.is_whitespace() {
            role_face
        } else {
            // No face covers it: build::check_coverage has warned; the role's face draws .notdef.
            ctx.fonts.face_for_char(st.role, c).unwrap_or(role_face)
        };
        match segs.last_mut() {
            Some(s) if s.2 == face => s.1 = bi + c.len_utf8(),
            _ => segs.push((bi, bi + c.len_utf8(), face)),
        }
    }
    for (s0, s1, face) in segs {
        let seg = &text[s0..s1];
        let glyphs = ctx.shaper.shape(face, seg, st.size);
        let mut starts: Vec<usize> = glyphs.iter().map(|g| g.cluster).collect();
        starts.dedup();
        starts.sort_unstable();
        starts.dedup();
        for (k, &cl) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(seg.len());
            let ctext = &seg[cl..end];
            let gs: Vec<ShapedGlyph> = glyphs.iter().filter(|g| g.cluster == cl).copied().collect();
            let adv: f32 = gs.iter().map(|g| g.advance).sum();
            let c = ctext.chars().next().unwrap_or(' ');
            let pos = char_pos + text[..s0 + cl].chars().count();
            let kind = match c {
                ' ' | '\t' => AtomKind::Space,
                '\u{a0}' => AtomKind::NoBreakSpace,
                _ => AtomKind::Char(c),
            };
            let mut width = adv;
            let mut dx = 0.0;
            if let Some((frame, ink)) = punct_frame(c)
                && (!is_shared_mark(c) || cjk_context(flat, pos))
            {
                // A cluster may hold several marks (`——`, `……`): its frame is one frame per mark.
                let f = frame * st.size * ctext.chars().count() as f32;
                if (adv - f).abs() > 0.03 * st.size {
                    dx = match ink {
                        Ink::Left => 0.0,
                        Ink::Right => f - adv,
                        Ink::Centre => (f - adv) / 2.0,
                    };
                }
                width = f;
            }
            atoms.push(Atom {
                url,
                ..Atom::new(kind, width, st.size)
            });
            infos.push(Info {
                face,
                style: si,
                glyphs: gs,
                text: ctext.to_string(),
                dx,
                obj: None,
            });
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn emit_line(
    ctx: &mut Ctx,
    line: &linebreak::Line,
    atoms: &[Atom],
    infos: &[Info],
    styles: &[Style],
    dx: f32,
    baseline: f32,
    b: &mut BoxElem,
) {
    let mut run: Option<(TextRun, f32)> = None; // run and the pen x after its last glyph
    let flush = |run: &mut Option<(TextRun, f32)>, b: &mut BoxElem| {
        if let Some((r, _)) = run.take()
            && !r.glyphs.is_empty()
        {
            b.items.push(Item::Text(r));
        }
    };
    let mut link_span: Option<(LinkRef, f32, f32, f32)> = None; // link, x0, x1, size
    let mut strike_span: Option<(f32, f32, f32)> = None;
    for (k, ai) in line.atoms.clone().enumerate() {
        let info = &infos[ai];
        let st = &styles[info.style.min(styles.len().saturating_sub(1))];
        let x = dx + line.x[k] + line.shift[k];
        let adv = line.advance[k];
        // Link and strike spans.
        let has_ink = !matches!(atoms[ai].kind, AtomKind::HardBreak) && adv > 0.0;
        if has_ink {
            match (&mut link_span, &st.link) {
                (Some((l, _, x1, _)), Some(cur)) if l == cur => *x1 = x + adv,
                (_, cur) => {
                    finish_link(&mut link_span, baseline, b);
                    if let Some(cur) = cur {
                        link_span = Some((cur.clone(), x, x + adv, st.size));
                    }
                }
            }
            match (&mut strike_span, st.strike) {
                (Some((_, x1, _)), true) => *x1 = x + adv,
                (_, s) => {
                    finish_strike(&mut strike_span, baseline, b);
                    if s {
                        strike_span = Some((x, x + adv, st.size));
                    }
                }
            }
        }
        if let Some(obj) = &info.obj {
            flush(&mut run, b);
            let small = st.size * SUP_SCALE;
            let y = baseline - st.size * SUP_RAISE;
            match obj {
                ObjKind::Note(key) => b.marks.push(NoteMark { x, y, note: *key }),
                ObjKind::Sup(parts) => {
                    let mut px = x;
                    for p in parts {
                        let w = ctx.shaper.width(info.face, &p.text, small);
                        if let Some(target) = &p.target {
                            let rect = Rect {
                                x: px,
                                y: y - small * 0.95,
                                width: w.max(1.0),
                                height: small * 1.2,
                            };
                            b.anchor_links.push((rect, target.clone()));
                        }
                        px += w;
                    }
                    let text: String = parts.iter().map(|p| p.text.as_str()).collect();
                    let mut r = text_run(ctx, info.face, &text, small, Point { x, y }, st.color);
                    r.structure = ctx.structure;
                    b.items.push(Item::Text(r));
                }
                ObjKind::Image {
                    path,
                    alt,
                    width,
                    height,
                } => {
                    // Centred on the CJK em box (0.88 em above the baseline, 0.12 below).
                    let centre = baseline - 0.38 * st.size;
                    b.items.push(Item::Image {
                        rect: Rect {
                            x,
                            y: centre - height / 2.0,
                            width: *width,
                            height: *height,
                        },
                        path: path.clone(),
                        alt: alt.clone(),
                    });
                }
            }
            continue;
        }
        if info.glyphs.is_empty() {
            continue;
        }
        let gx = x + info.dx;
        // `——` comes as one cluster or as two: bridge from this cluster's first dash to the last dash
        // of this cluster or of the next one.
        let next = line.atoms.clone().nth(k + 1).map(|n| (n, &infos[n]));
        let pair = match next {
            Some((n, nx)) if info.text == "—" && nx.text == "—" && nx.face == info.face => nx
                .glyphs
                .last()
                .map(|g| (*g, dx + line.x[k + 1] + line.shift[k + 1] + infos[n].dx)),
            _ if info.text == "——" && info.glyphs.len() >= 2 => info.glyphs.last().map(|g| {
                let before: f32 = info.glyphs[..info.glyphs.len() - 1]
                    .iter()
                    .map(|g| g.advance)
                    .sum();
                (*g, gx + before)
            }),
            _ => None,
        };
        if let (Some(first), Some((last, last_x))) = (info.glyphs.first(), pair) {
            bridge_long_dash(
                ctx,
                info.face,
                (*first, gx),
                (last, last_x),
                st.size,
                baseline,
                st.color,
                b,
            );
        }
        let same = run
            .as_ref()
            .is_some_and(|(r, _)| r.face == info.face && r.size == st.size && r.color == st.color);
        if !same {
            flush(&mut run, b);
            run = Some((
                TextRun {
                    face: info.face,
                    size: st.size,
                    origin: Point { x: gx, y: baseline },
                    color: st.color,
                    text: String::new(),
                    glyphs: Vec::new(),
                    structure: ctx.structure,
                },
                gx,
            ));
        }
        if let Some((r, pen)) = run.as_mut() {
            // Stretch the previous glyph's advance so that this cluster starts at gx.
            if let Some(last) = r.glyphs.last_mut() {
                last.x_advance += gx - *pen;
            }
            let base = r.text.len();
            r.text.push_str(&info.text);
            let mut p = gx;
            for g in &info.glyphs {
                r.glyphs.push(Glyph {
                    id: g.id,
                    x_advance: g.advance,
                    x_offset: g.x_offset,
                    y_offset: g.y_offset,
                    text: base..base + info.text.len(),
                });
                p += g.advance;
            }
            *pen = p;
        }
    }
    if let (Some(hx), Some((r, pen))) = (line.hyphen, run.as_mut()) {
        add_hyphen(ctx, r, *pen, dx + hx);
    }
    flush(&mut run, b);
    finish_link(&mut link_span, baseline, b);
    finish_strike(&mut strike_span, baseline, b);
}

/// Draws the hyphen of a hyphenated line end at `x` after the run's last glyph (pen at `pen`).
/// The hyphen joins the last letter's cluster, so the text layer reads the source word (the PDF
/// writer gives the two glyphs that letter as their ActualText).
fn add_hyphen(ctx: &mut Ctx, r: &mut TextRun, pen: f32, x: f32) {
    let Some(last) = r.glyphs.last_mut() else {
        return;
    };
    last.x_advance += x - pen;
    let text = last.text.clone();
    for g in ctx.shaper.shape(r.face, "-", r.size) {
        r.glyphs.push(Glyph {
            id: g.id,
            x_advance: g.advance,
            x_offset: g.x_offset,
            y_offset: g.y_offset,
            text: text.clone(),
        });
    }
}

/// `——` is one unbroken 2 em line (typography.md §3.4), but CJK fonts draw each `—` with side
/// bearings, leaving a visible gap between the two. Keep both glyphs (the text layer stays `——`) and
/// draw a rule over exactly their stroke, from the first dash's ink to the last one's. Each dash is
/// given with the pen x it is drawn at.
#[allow(clippy::too_many_arguments)]
fn bridge_long_dash(
    ctx: &mut Ctx,
    face: FaceId,
    (first, first_x): (ShapedGlyph, f32),
    (last, last_x): (ShapedGlyph, f32),
    size: f32,
    baseline: f32,
    color: Color,
    b: &mut BoxElem,
) {
    let (Some(a), Some(z)) = (
        ctx.shaper.ink_box(face, first.id, size),
        ctx.shaper.ink_box(face, last.id, size),
    ) else {
        return;
    };
    let y = baseline - (a.2 + a.3) / 2.0;
    b.items.push(Item::Line {
        from: Point {
            x: first_x + first.x_offset + a.0,
            y,
        },
        to: Point {
            x: last_x + last.x_offset + z.1,
            y,
        },
        thickness: (a.3 - a.2).max(0.01),
        color,
    });
}

fn finish_link(span: &mut Option<(LinkRef, f32, f32, f32)>, baseline: f32, b: &mut BoxElem) {
    if let Some((l, x0, x1, size)) = span.take() {
        let rect = Rect {
            x: x0,
            y: baseline - size * 0.95,
            width: (x1 - x0).max(1.0),
            height: size * 1.2,
        };
        match l {
            LinkRef::Uri(u) => b.items.push(Item::Link {
                rect,
                target: LinkDest::Uri(u),
            }),
            LinkRef::Anchor(a) => b.anchor_links.push((rect, a)),
        }
    }
}

fn finish_strike(span: &mut Option<(f32, f32, f32)>, baseline: f32, b: &mut BoxElem) {
    if let Some((x0, x1, size)) = span.take() {
        let y = baseline - size * 0.32;
        b.items.push(Item::Line {
            from: Point { x: x0, y },
            to: Point { x: x1, y },
            thickness: size * 0.06,
            color: Color::BLACK,
        });
    }
}

/// A single run of text in one face with natural spacing (marks, page numbers, running heads).
pub fn text_run(
    ctx: &mut Ctx,
    face: FaceId,
    text: &str,
    size: f32,
    at: Point,
    color: Color,
) -> TextRun {
    let glyphs = ctx.shaper.shape(face, text, size);
    let mut starts: Vec<usize> = glyphs.iter().map(|g| g.cluster).collect();
    starts.sort_unstable();
    starts.dedup();
    let out = glyphs
        .iter()
        .map(|g| {
            // `starts` is sorted: a binary search keeps long runs (a 4000-character title) linear-ish.
            let k = starts.binary_search(&g.cluster).unwrap_or(0);
            let end = starts.get(k + 1).copied().unwrap_or(text.len());
            Glyph {
                id: g.id,
                x_advance: g.advance,
                x_offset: g.x_offset,
                y_offset: g.y_offset,
                text: g.cluster..end,
            }
        })
        .collect();
    TextRun {
        face,
        size,
        origin: at,
        color,
        text: text.to_string(),
        glyphs: out,
        structure: Structure::Artifact,
    }
}

/// Width of a [`TextRun`].
pub fn run_width(r: &TextRun) -> f32 {
    r.glyphs.iter().map(|g| g.x_advance).sum()
}
