//! Punctuation frames and adjustability (typography.md §0, §2, §3.1, §3.2).
//!
//! Every full-width mark has one blank half (§0): OPEN on the left, STOP/CLOSE on the right.
//! [`frames`] applies the line-independent adjustments, in this order:
//! 1. the `？！` run rule of §3.1 (`？！` = 1 em, `？？？` = 2 em), which is fixed;
//! 2. adjacent-pair compression of §3.2, pair by pair from left to right: 0.5 em is removed from
//!    facing blanks, from the first mark's right side first.
//!
//! What is left of each blank stays removable: at a line edge (§3.3, done by the breaker and
//! [`super::justify`]) or by justification shrink (§2). A pair compression across a line break
//! never matters: the only marks with a left blank are OPENs, which lose it at a line start
//! anyway, and the only ones with a right blank are STOP/CLOSE, which lose it at a line end.

use super::class::{Class, is_wide};
use super::{Atom, AtomKind};

/// Minimum word space (§2 shrink step 2): 1/4 em.
pub const SPACE_MIN: f32 = 0.25;
/// Maximum word space before inter-character stretch starts (§2 stretch step 1): 1/2 em.
pub const SPACE_MAX: f32 = 0.5;
/// Autospace limits (§4): shrink to 1/8 em, stretch to 1/3 em.
pub const AUTO_MIN: f32 = 0.125;
pub const AUTO_MAX: f32 = 1.0 / 3.0;
/// A DOT shrinks "down to the glyph only" (§2 step 3). The engine has no ink boxes, so the glyph
/// is taken as 1/4 em (Noto Serif CJK `·` ink is ≈ 0.1 em; 1/4 em keeps some air around it).
pub const DOT_MIN: f32 = 0.25;
/// §2 step 7 (`。？！` shrink) is forbidden by some house styles; folio allows it.
pub const SHRINK_FULL_STOPS: bool = true;

/// Blanks of one atom after the line-independent adjustments.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Frame {
    /// Remaining removable blank on the left (OPEN only).
    pub lb: f32,
    /// Remaining removable blank on the right (STOP/CLOSE only).
    pub rb: f32,
    /// Already removed from the left side (pair compression).
    pub cut_l: f32,
    /// Already removed from the right side (pair compression, `？！` rule).
    pub cut_r: f32,
}

/// The shrink steps of §2, in the order they are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ShrinkKind {
    Space = 0,
    Dot = 1,
    Bracket = 2,
    Comma = 3,
    Autospace = 4,
    FullStop = 5,
}
pub const SHRINK_ORDER: [ShrinkKind; 6] = [
    ShrinkKind::Space,
    ShrinkKind::Dot,
    ShrinkKind::Bracket,
    ShrinkKind::Comma,
    ShrinkKind::Autospace,
    ShrinkKind::FullStop,
];

/// The glue stretch steps of §2 (inter-character gaps come after both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StretchKind {
    Space,
    Autospace,
}

fn blank_of(a: &Atom) -> f32 {
    // A mark narrower than 1 em (a Latin quote, an ASCII comma) has a smaller or no blank.
    (a.width - 0.5 * a.em).clamp(0.0, 0.5 * a.em)
}

fn is_qe(a: &Atom) -> bool {
    matches!(a.kind, AtomKind::Char('？' | '！'))
}

/// Line-independent frames of every atom (see the module doc).
pub fn frames(atoms: &[Atom], classes: &[Class]) -> Vec<Frame> {
    let mut fr: Vec<Frame> = atoms
        .iter()
        .zip(classes)
        .map(|(a, &c)| match c {
            Class::Open => Frame {
                lb: blank_of(a),
                ..Frame::default()
            },
            Class::Close | Class::StopComma | Class::StopFull => Frame {
                rb: blank_of(a),
                ..Frame::default()
            },
            _ => Frame::default(),
        })
        .collect();

    // 1. `？！` runs (GB 5.1.2): all but the last at 0.5 em; the last at 0.5 em in a run of two,
    //    at 1 em in a run of three or more.
    let mut i = 0;
    while i < atoms.len() {
        let mut j = i;
        while j < atoms.len() && is_qe(&atoms[j]) && blank_of(&atoms[j]) > 0.0 {
            j += 1;
        }
        let run = j - i;
        if run >= 2 {
            for k in i..j {
                if (k + 1 < j || run == 2)
                    && let Some(f) = fr.get_mut(k)
                {
                    f.cut_r += f.rb;
                    f.rb = 0.0;
                }
            }
        }
        i = j.max(i + 1);
    }

    // 2. Adjacent pairs (§3.2), left to right.
    for i in 1..atoms.len() {
        let (Some(ca), Some(cb)) = (classes.get(i - 1), classes.get(i)) else {
            continue;
        };
        if !ca.is_blank_mark() || !cb.is_blank_mark() {
            continue;
        }
        let half = 0.5 * atoms[i - 1].em.min(atoms[i].em);
        let (left, right) = fr.split_at_mut(i);
        let (Some(a), Some(b)) = (left.last_mut(), right.first_mut()) else {
            continue;
        };
        if a.rb + b.lb >= half - 1e-4 {
            let from_a = a.rb.min(half);
            a.rb -= from_a;
            a.cut_r += from_a;
            let from_b = (half - from_a).min(b.lb);
            b.lb -= from_b;
            b.cut_l += from_b;
        }
    }
    fr
}

/// Advance of an atom inside a line, before line-edge rules and justification.
pub fn interior_advance(a: &Atom, f: &Frame) -> f32 {
    match a.kind {
        AtomKind::HardBreak => 0.0,
        _ => (a.width - f.cut_l - f.cut_r).max(0.0),
    }
}

/// What justification may take from this atom inside a line (its step and amount in pt).
/// For marks this is the remaining blank; line edges remove it first (see the breaker).
pub fn shrink_cap(a: &Atom, c: Class, f: &Frame) -> Option<(ShrinkKind, f32)> {
    let cap = match c {
        Class::Space | Class::NbSpace => (ShrinkKind::Space, a.width - SPACE_MIN * a.em),
        Class::Autospace => (ShrinkKind::Autospace, a.width - AUTO_MIN * a.em),
        Class::Dot => (ShrinkKind::Dot, a.width - DOT_MIN * a.em),
        Class::Open => (ShrinkKind::Bracket, f.lb),
        Class::Close => (ShrinkKind::Bracket, f.rb),
        Class::StopComma => (ShrinkKind::Comma, f.rb),
        Class::StopFull if SHRINK_FULL_STOPS => (ShrinkKind::FullStop, f.rb),
        _ => return None,
    };
    (cap.1 > 0.0).then_some(cap)
}

/// How far glue may stretch before inter-character stretch starts (§2 steps 1–2), in pt.
pub fn stretch_cap(a: &Atom, c: Class) -> Option<(StretchKind, f32)> {
    match c {
        Class::Space | Class::NbSpace => {
            Some((StretchKind::Space, (SPACE_MAX * a.em - a.width).max(0.0)))
        }
        Class::Autospace => Some((StretchKind::Autospace, (AUTO_MAX * a.em - a.width).max(0.0))),
        _ => None,
    }
}

/// Does the gap between atoms `i` and `i + 1` take inter-character stretch (§2 step 3)?
/// Excluded: gaps next to glue (the glue stretches instead), inside Latin words and numbers
/// (both sides narrow), inside LONG, next to CONN or SOLIDUS. The gap after the line's last
/// glyph is never asked for.
pub fn is_stretch_gap(atoms: &[Atom], classes: &[Class], i: usize) -> bool {
    let (Some(a), Some(b)) = (atoms.get(i), atoms.get(i + 1)) else {
        return false;
    };
    let (Some(&ca), Some(&cb)) = (classes.get(i), classes.get(i + 1)) else {
        return false;
    };
    let solid = |c: Class| {
        !matches!(
            c,
            Class::Space | Class::NbSpace | Class::Autospace | Class::Hard
        )
    };
    if !solid(ca) || !solid(cb) {
        return false;
    }
    if matches!(ca, Class::Conn | Class::Solidus) || matches!(cb, Class::Conn | Class::Solidus) {
        return false;
    }
    if ca == Class::Long && cb == Class::Long {
        return false;
    }
    let narrow = |x: &Atom| x.ch().is_some_and(|ch| !is_wide(ch));
    !(narrow(a) && narrow(b))
}

#[cfg(test)]
mod tests {
    use super::super::atoms::{atoms_from_str, model_width};
    use super::super::class::classify;
    use super::*;

    fn total(s: &str) -> f32 {
        let atoms = atoms_from_str(s, 1.0, model_width);
        let cls = classify(&atoms);
        let fr = frames(&atoms, &cls);
        atoms
            .iter()
            .zip(&fr)
            .map(|(a, f)| interior_advance(a, f))
            .sum()
    }

    #[test]
    fn pairs_of_section_3_2() {
        for s in [
            "。”", "，”", "”。", "」，", "）、", "〉》", "》，", "，“", "：“", "。「", "）（",
            "》《", "（“", "《〈",
        ] {
            assert!((total(s) - 1.5).abs() < 1e-6, "{s}: {}", total(s));
        }
        assert!((total("（）") - 2.0).abs() < 1e-6);
        assert!((total("。」』") - 2.0).abs() < 1e-6);
    }

    #[test]
    fn compression_side() {
        let atoms = atoms_from_str("，“", 1.0, model_width);
        let fr = frames(&atoms, &classify(&atoms));
        assert_eq!(fr[0].cut_r, 0.5);
        assert_eq!(fr[1].cut_l, 0.0);
        assert_eq!(fr[1].lb, 0.5);
        let atoms = atoms_from_str("（“", 1.0, model_width);
        let fr = frames(&atoms, &classify(&atoms));
        assert_eq!(fr[0].cut_r, 0.0);
        assert_eq!(fr[1].cut_l, 0.5);
    }

    #[test]
    fn question_exclamation_runs() {
        assert!((total("？！") - 1.0).abs() < 1e-6);
        assert!((total("？？？") - 2.0).abs() < 1e-6);
        assert!((total("！") - 1.0).abs() < 1e-6);
        assert!((total("？！”") - 2.0).abs() < 1e-6);
    }

    #[test]
    fn gaps() {
        let atoms = atoms_from_str("中文Ab——京／上", 1.0, model_width);
        let cls = classify(&atoms);
        let g: Vec<bool> = (0..atoms.len() - 1)
            .map(|i| is_stretch_gap(&atoms, &cls, i))
            .collect();
        // 中|文 yes, 文|␣ no, ␣|A no, A|b no (Latin word), b|— yes, —|— no (LONG), —|京 yes,
        // 京|／ no, ／|上 no (SOLIDUS)
        assert_eq!(
            g,
            [true, false, false, false, true, false, true, false, false]
        );
    }
}
