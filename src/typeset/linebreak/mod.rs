//! linebreak: STAND-IN greedy paragraph breaker with the agreed API (the real one lives on branch
//! `linebreak`; on merge, take theirs). It knows just enough of typography.md §1–§3 to give usable pages:
//! basic kinsoku, line-end half-width stops, and even justification over the gaps of a line.
//!
//! Coordinates: `x[i]` is the pen position of atom `i` from the start of the measure (the indent is
//! included), `advance[i]` the width it takes on this line, and the glyph is drawn at `x[i] - shift[i]`.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq)]
pub struct Atom {
    pub kind: AtomKind,
    /// Natural advance in pt; a full-width CJK mark: its nominal 1 em frame; `·` `／`: 0.5 em.
    pub width: f32,
    /// CJK em (the font size) in pt.
    pub em: f32,
    /// Part of a URL (breaks at URL points).
    pub url: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AtomKind {
    Char(char),
    Space,
    NoBreakSpace,
    Autospace,
    Object { glue_before: bool },
    HardBreak,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    Basic,
    Gb,
    Strict,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub measure: f32,
    pub indent: f32,
    pub strictness: Strictness,
    pub hanging: bool,
    pub justify: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub atoms: Range<usize>,
    pub x: Vec<f32>,
    pub advance: Vec<f32>,
    pub shift: Vec<f32>,
    pub width: f32,
    pub justified: bool,
    pub ends_paragraph: bool,
}

fn no_start(c: char) -> bool {
    "。．，、；：？！‼⁇⁈⁉,.;:?!”’）〕］｝〉》」』】〗〙〛｠)]}–—～〜‐-·・‧/／%％‰℃°々".contains(c)
}
fn no_end(c: char) -> bool {
    "“‘（〔［｛〈《「『【〖〘〚｟([{/／￥¥$＄£￡€".contains(c)
}
fn half_at_end(c: char) -> bool {
    "。．，、；：？！”’）〕］｝〉》」』】〗〙〛｠".contains(c)
}
fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('\u{00C0}'..='\u{024F}').contains(&c)
}

/// May the line break between atoms `i-1` and `i`?
fn can_break_before(atoms: &[Atom], i: usize) -> bool {
    if i == 0 || i >= atoms.len() {
        return false;
    }
    let (a, b) = (&atoms[i - 1], &atoms[i]);
    match (a.kind, b.kind) {
        (_, AtomKind::Space | AtomKind::Autospace | AtomKind::NoBreakSpace) => false,
        (AtomKind::NoBreakSpace, _) => false,
        (AtomKind::Space | AtomKind::Autospace, _) => true,
        (AtomKind::HardBreak, _) => true,
        (_, AtomKind::HardBreak) => false,
        (_, AtomKind::Object { glue_before }) => !glue_before,
        (AtomKind::Object { .. }, AtomKind::Char(c)) => !no_start(c),
        (AtomKind::Char(p), AtomKind::Char(c)) => {
            if no_start(c) || no_end(p) {
                return false;
            }
            if a.url && b.url {
                return p == '/' || ".,-_?#%~=&".contains(c);
            }
            !(is_latin(p) && is_latin(c))
        }
    }
}

fn is_glue(k: AtomKind) -> bool {
    matches!(k, AtomKind::Space | AtomKind::Autospace)
}

/// Greedy line filling with a little shrink at the line end, then even justification.
pub fn break_paragraph(atoms: &[Atom], opts: &Options) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    while start < atoms.len() {
        while start < atoms.len() && is_glue(atoms[start].kind) {
            start += 1;
        }
        if start >= atoms.len() {
            break;
        }
        let indent = if lines.is_empty() { opts.indent } else { 0.0 };
        let avail = opts.measure - indent;
        let mut w = 0.0;
        let mut best: Option<usize> = None;
        let mut end = start;
        let mut hard = false;
        while end < atoms.len() {
            if atoms[end].kind == AtomKind::HardBreak {
                best = Some(end + 1);
                hard = true;
                break;
            }
            w += atoms[end].width;
            let trail = match atoms[end].kind {
                AtomKind::Char(c) if half_at_end(c) => atoms[end].em * 0.5,
                _ => 0.0,
            };
            if w - trail > avail + 0.01 && best.is_some() {
                break;
            }
            end += 1;
            if end == atoms.len() || can_break_before(atoms, end) {
                best = Some(end);
            }
            if w - trail > avail + 0.01 {
                break;
            }
        }
        // Emergency break inside an over-long token: stop before the atom that overflows.
        let fallback = if end > start + 1 && w > avail + 0.01 { end - 1 } else { end.max(start + 1) };
        let mut stop = best.unwrap_or(fallback).min(atoms.len());
        if stop <= start {
            stop = start + 1;
        }
        let last = stop >= atoms.len() || hard;
        // Trailing glue is dropped from the line.
        let mut vis_end = stop;
        while vis_end > start && (is_glue(atoms[vis_end - 1].kind) || atoms[vis_end - 1].kind == AtomKind::HardBreak) {
            vis_end -= 1;
        }
        let mut adv: Vec<f32> = atoms[start..stop].iter().map(|a| a.width).collect();
        for (k, a) in atoms[vis_end..stop].iter().enumerate() {
            let _ = a;
            adv[vis_end - start + k] = 0.0;
        }
        if vis_end > start
            && let AtomKind::Char(c) = atoms[vis_end - 1].kind
            && half_at_end(c)
        {
            adv[vis_end - 1 - start] -= atoms[vis_end - 1].em * 0.5;
        }
        let natural: f32 = adv.iter().sum();
        let mut justified = false;
        if opts.justify && !last {
            let slack = avail - natural;
            let gaps: Vec<usize> = (start..vis_end.saturating_sub(1))
                .filter(|&i| !matches!((atoms[i].kind, atoms[i + 1].kind), (AtomKind::Char(a), AtomKind::Char(b)) if is_latin(a) && is_latin(b)))
                .collect();
            if !gaps.is_empty() && slack.abs() > 0.01 {
                let each = slack / gaps.len() as f32;
                for g in gaps {
                    adv[g - start] += each;
                }
                justified = true;
            }
        }
        let mut x = Vec::with_capacity(adv.len());
        let mut pen = indent;
        for a in &adv {
            x.push(pen);
            pen += a;
        }
        let width = pen - indent;
        lines.push(Line {
            atoms: start..stop,
            shift: vec![0.0; adv.len()],
            x,
            advance: adv,
            width,
            justified,
            ends_paragraph: last,
        });
        start = stop;
    }
    if let Some(l) = lines.last_mut() {
        l.ends_paragraph = true;
    }
    lines
}
