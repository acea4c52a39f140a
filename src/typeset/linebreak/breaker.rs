//! Total-fit choice of all the breaks of a paragraph (Knuth–Plass style, typography.md §2).
//!
//! Every break opportunity of [`super::breaks`] is a node; a line from node `a` to break `b` gets
//! demerits `(LINE_PENALTY + badness)² + penalty²`, and the cheapest path from the paragraph
//! start to its end wins. Line widths come from prefix sums, so evaluating a line is O(1); a node
//! leaves the active set as soon as even its fully shrunk line is longer than the measure, so
//! the active set holds about one measure's worth of break points: the whole pass is linear in
//! the paragraph length.
//!
//! Badness (the §2 preferences, in em):
//! - shrink (oikomi) is cheap: `SHRINK_W · r²` with `r` the used fraction of the shrinkable
//!   amount, so a line that fits after shrinking beats pushing characters over (oidashi);
//! - glue stretch to its §2 limits costs `GLUE_W · r²`;
//! - inter-character stretch of `s` em per gap costs `100 (s/0.25)²` up to 0.25 em and
//!   `100 (s/0.25)³` beyond (§2: the cost "should rise with the per-gap stretch beyond about
//!   0.25 em"); a line with nothing to stretch is priced as if it had one gap.
//! - Last lines, lines before hard breaks, emergency pieces and ragged text: badness 0 unless
//!   they must shrink.
//!
//! Tuning against the §9 table (which is stated for greedy filling):
//! - `SHRINK_W = 1` — case 8 (shrinking `）` fully must beat stretching 0.5 em over 7 gaps) and
//!   case 3 (oikomi of `，` preferred).
//! - `TIE_BONUS` — a tiny bonus for breaking later; it decides exact ties the greedy way:
//!   case 26 (`一二三四五 / 六七八九 / 十一。` rather than `一二三四 / 五六七八九 / 十一。`) and the
//!   emergency pieces of case 22 (`abcdefgh / ijkl␣了`).
//! - Cubic growth of the gap cost — cases 16, 19, 20, 24: the only legal alternatives strand
//!   single characters on very loose lines.

use super::breaks::{Break, BreakKind, normal_breaks};
use super::class::{Class, classify, is_hangable, is_line_end_half};
use super::compress::{Frame, frames, interior_advance, is_stretch_gap, shrink_cap, stretch_cap};
use super::{Atom, Options};

/// Per-line constant of the demerits: makes fewer lines slightly better.
const LINE_PENALTY: f64 = 10.0;
/// Weight of shrinking (see module doc; constrained by §9 cases 3 and 8).
const SHRINK_W: f64 = 1.0;
/// Weight of stretching word spaces/autospace up to their limits.
const GLUE_W: f64 = 10.0;
/// Added when the last line holds only one Han character plus punctuation (孤字, §2: MUST NOT).
/// Finite, so that a paragraph with no other solution still gets one.
const ORPHAN_DEMERITS: f64 = 1e13;
/// Added to an overfull line chosen only because nothing else could be found.
const OVERFULL_DEMERITS: f64 = 1e15;
/// Greedy-style tie-break: demerits −TIE_BONUS · (break position / paragraph length).
const TIE_BONUS: f64 = 0.01;
/// A safety cap on the active set (only reached with absurd measures).
const MAX_ACTIVE: usize = 4096;
/// Width tolerance in pt.
const EPS: f64 = 1e-3;

/// How a chosen line is to be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Justified to the measure.
    Justify,
    /// Start-aligned at natural width (emergency pieces, or `justify: false`).
    Ragged,
    /// Before a hard break: natural width, start aligned.
    Hard,
    /// Last line of the paragraph: natural width, start aligned.
    Last,
}

/// One chosen line: atoms `start..end`.
#[derive(Debug, Clone, PartialEq)]
pub struct Chosen {
    pub start: usize,
    pub end: usize,
    pub first: bool,
    pub kind: LineKind,
    /// The last atom hangs into the margin.
    pub hang: bool,
}

/// The breaker's result plus the per-atom analysis the layout step reuses.
pub struct Plan {
    pub classes: Vec<Class>,
    pub frames: Vec<Frame>,
    pub lines: Vec<Chosen>,
}

/// The adjustability of a candidate line, in pt.
#[derive(Debug, Clone, Copy, Default)]
pub struct Span {
    pub natural: f64,
    pub shrink: f64,
    pub glue: f64,
    pub nglue: f64,
    pub gaps: f64,
}

/// Prefix sums over the atoms (f64: a 200 000-atom paragraph is millions of pt long).
struct Prefix {
    adv: Vec<f64>,
    shrink: Vec<f64>,
    glue: Vec<f64>,
    nglue: Vec<f64>,
    gap: Vec<f64>,
    han: Vec<u32>,
    content: Vec<u32>,
}

fn push<T: Copy + std::ops::Add<Output = T>>(v: &mut Vec<T>, x: T) {
    if let Some(&last) = v.last() {
        v.push(last + x);
    }
}

struct Ctx<'a> {
    atoms: &'a [Atom],
    cls: Vec<Class>,
    fr: Vec<Frame>,
    pre: Prefix,
    hanging: bool,
}

impl<'a> Ctx<'a> {
    fn new(atoms: &'a [Atom], opts: &Options) -> Self {
        let cls = classify(atoms);
        let fr = frames(atoms, &cls);
        let mut pre = Prefix {
            adv: vec![0.0],
            shrink: vec![0.0],
            glue: vec![0.0],
            nglue: vec![0.0],
            gap: vec![0.0],
            han: vec![0],
            content: vec![0],
        };
        for (i, ((a, &c), f)) in atoms.iter().zip(&cls).zip(&fr).enumerate() {
            push(&mut pre.adv, f64::from(interior_advance(a, f)));
            push(
                &mut pre.shrink,
                shrink_cap(a, c, f).map_or(0.0, |x| f64::from(x.1)),
            );
            push(
                &mut pre.glue,
                stretch_cap(a, c).map_or(0.0, |x| f64::from(x.1)),
            );
            push(
                &mut pre.nglue,
                if stretch_cap(a, c).is_some() {
                    1.0
                } else {
                    0.0
                },
            );
            push(
                &mut pre.gap,
                if is_stretch_gap(atoms, &cls, i) {
                    1.0
                } else {
                    0.0
                },
            );
            push(
                &mut pre.han,
                u32::from(matches!(c, Class::Han | Class::Iter)),
            );
            let content = !c.is_punct()
                && !c.is_glue()
                && !matches!(c, Class::Han | Class::Iter | Class::Hard);
            push(&mut pre.content, u32::from(content));
        }
        Ctx {
            atoms,
            cls,
            fr,
            pre,
            hanging: opts.hanging,
        }
    }

    fn cap(&self, i: usize) -> f64 {
        match (self.atoms.get(i), self.cls.get(i), self.fr.get(i)) {
            (Some(a), Some(&c), Some(f)) => shrink_cap(a, c, f).map_or(0.0, |x| f64::from(x.1)),
            _ => 0.0,
        }
    }

    /// Trims at the line edges (§3.3): (start trim, end trim) in pt, each also removing that
    /// atom's whole shrink capacity.
    fn edges(&self, s: usize, e: usize) -> (f64, f64) {
        let st = match (self.cls.get(s), self.fr.get(s)) {
            (Some(Class::Open), Some(f)) => f64::from(f.lb),
            _ => 0.0,
        };
        let en = match (
            e.checked_sub(1).and_then(|l| self.cls.get(l)),
            e.checked_sub(1).and_then(|l| self.fr.get(l)),
        ) {
            (Some(&c), Some(f)) if is_line_end_half(c) => f64::from(f.rb),
            _ => 0.0,
        };
        (st, en)
    }

    /// Natural width, shrink and stretch of the line `s..e` (no hanging).
    fn span(&self, s: usize, e: usize) -> Span {
        if e <= s {
            return Span::default();
        }
        let p = &self.pre;
        let (st, en) = self.edges(s, e);
        let mut shrink = p.shrink[e] - p.shrink[s];
        if st > 0.0 {
            shrink -= self.cap(s);
        }
        if self.cls.get(e - 1).is_some_and(|&c| is_line_end_half(c)) {
            shrink -= self.cap(e - 1);
        }
        Span {
            natural: p.adv[e] - p.adv[s] - st - en,
            shrink: shrink.max(0.0),
            glue: p.glue[e] - p.glue[s],
            nglue: p.nglue[e] - p.nglue[s],
            gaps: if e >= s + 2 {
                p.gap[e - 1] - p.gap[s]
            } else {
                0.0
            },
        }
    }

    /// The line `s..e` with its last atom hanging in the margin, if allowed.
    fn hang_span(&self, s: usize, e: usize) -> Option<Span> {
        if !self.hanging || e < s + 2 {
            return None;
        }
        let last = e - 1;
        self.atoms.get(last)?.ch().filter(|&c| is_hangable(c))?;
        let sp = self.span(s, e);
        let (_, en) = self.edges(s, e);
        let adv = f64::from(interior_advance(self.atoms.get(last)?, self.fr.get(last)?)) - en;
        let mut h = self.span(s, last);
        // The region before the mark keeps its interior widths (its last atom is not a line end).
        h.natural = sp.natural - adv;
        h.shrink = sp.shrink;
        Some(h)
    }

    /// Smallest width the line could still reach when extended further (for deactivation).
    fn min_width_bound(&self, s: usize, e: usize) -> f64 {
        if e <= s {
            return 0.0;
        }
        let p = &self.pre;
        let (st, _) = self.edges(s, e);
        let cap_s = if st > 0.0 { self.cap(s) } else { 0.0 };
        (p.adv[e] - p.adv[s] - st) - (p.shrink[e] - p.shrink[s] - cap_s)
    }

    fn is_orphan(&self, s: usize, e: usize) -> bool {
        e > s
            && self.pre.han[e] - self.pre.han[s] == 1
            && self.pre.content[e] == self.pre.content[s]
    }
}

fn gap_cost(per_em: f64) -> f64 {
    let x = per_em / 0.25;
    if x <= 1.0 {
        100.0 * x * x
    } else {
        100.0 * x * x * x
    }
}

/// Badness of a line of target width `t`, or `None` if it cannot be made to fit.
fn badness(sp: &Span, t: f64, em: f64, kind: LineKind) -> Option<f64> {
    let short = t - sp.natural;
    if short < -EPS {
        let need = -short;
        if need > sp.shrink + EPS {
            return None;
        }
        let r = need / sp.shrink.max(EPS);
        return Some(SHRINK_W * r * r);
    }
    if kind != LineKind::Justify || short <= EPS {
        return Some(0.0);
    }
    let g = short.min(sp.glue);
    let mut b = if sp.glue > 0.0 {
        GLUE_W * (g / sp.glue).powi(2)
    } else {
        0.0
    };
    let rest = short - g;
    if rest > EPS {
        let units = if sp.gaps > 0.0 {
            sp.gaps
        } else if sp.nglue > 0.0 {
            sp.nglue
        } else {
            1.0
        };
        b += gap_cost(rest / units / em);
    }
    Some(b)
}

#[derive(Clone, Copy)]
struct Node {
    brk: usize,
    total: f64,
    prev: Option<usize>,
    hang: bool,
}

fn line_kind(a: &Break, b: &Break, justify: bool) -> LineKind {
    match b.kind {
        BreakKind::End => LineKind::Last,
        BreakKind::Hard => LineKind::Hard,
        _ if a.kind == BreakKind::Emergency || b.kind == BreakKind::Emergency || !justify => {
            LineKind::Ragged
        }
        _ => LineKind::Justify,
    }
}

/// Insert emergency breaks inside every token wider than the measure and make the break before
/// such a token mandatory (§1.5: "first use the normal break before it").
fn add_emergency(ctx: &Ctx, brks: Vec<Break>, measure: f64, indent: f64) -> Vec<Break> {
    let mut out = Vec::with_capacity(brks.len());
    for (w, b) in brks.iter().enumerate() {
        let mut b = *b;
        let Some(nb) = brks.get(w + 1) else {
            out.push(b);
            break;
        };
        let (s, e) = (b.next, nb.end);
        let t = if b.kind == BreakKind::Start {
            measure - indent
        } else {
            measure
        };
        let sp = ctx.span(s, e);
        let too_wide = e > s + 1 && sp.natural - sp.shrink > t + EPS;
        if too_wide && b.kind == BreakKind::Normal {
            b.kind = BreakKind::Forced;
        }
        out.push(b);
        if too_wide {
            out.extend((s + 1..e).map(|p| Break {
                end: p,
                next: p,
                penalty: 0.0,
                kind: BreakKind::Emergency,
            }));
        }
    }
    out
}

/// Choose the breaks of a paragraph (see the module doc).
pub fn choose(atoms: &[Atom], opts: &Options) -> Plan {
    let ctx = Ctx::new(atoms, opts);
    let measure = if opts.measure.is_nan() {
        0.0
    } else {
        f64::from(opts.measure)
    };
    let indent = if opts.indent.is_finite() {
        f64::from(opts.indent)
    } else {
        0.0
    };
    let mut brks = normal_breaks(atoms, &ctx.cls, opts.strictness);
    if measure.is_infinite() {
        brks.retain(|b| b.kind != BreakKind::Normal);
    } else {
        brks = add_emergency(&ctx, brks, measure, indent);
    }
    let n = atoms.len().max(1) as f64;
    let mut nodes = vec![Node {
        brk: 0,
        total: 0.0,
        prev: None,
        hang: false,
    }];
    let mut active: Vec<usize> = vec![0];
    for (bi, b) in brks.iter().enumerate().skip(1) {
        let mut best: Option<Node> = None;
        let mut fallback: Option<Node> = None;
        let mut keep = Vec::with_capacity(active.len() + 1);
        for &ni in &active {
            let node = nodes[ni];
            let a = &brks[node.brk];
            let (s, e) = (a.next, b.end);
            if e < s {
                keep.push(ni);
                continue;
            }
            let first = a.kind == BreakKind::Start;
            let t = if first { measure - indent } else { measure };
            let em = atoms.get(s).map_or(1.0, |x| f64::from(x.em)).max(EPS);
            let kind = line_kind(a, b, opts.justify);
            let sp = ctx.span(s, e);
            let mut fit = badness(&sp, t, em, kind).map(|bad| (bad, false));
            if fit.is_none() {
                fit = ctx
                    .hang_span(s, e)
                    .and_then(|h| badness(&h, t, em, kind))
                    .map(|bad| (bad, true));
            }
            let mut extra = f64::from(b.penalty).powi(2) - TIE_BONUS * (b.end as f64 / n);
            if b.kind == BreakKind::End
                && !matches!(a.kind, BreakKind::Start | BreakKind::Hard)
                && ctx.is_orphan(s, e)
            {
                extra += ORPHAN_DEMERITS;
            }
            match fit {
                Some((bad, hang)) => {
                    let total = node.total + (LINE_PENALTY + bad).powi(2) + extra;
                    if best.is_none_or(|x| total < x.total) {
                        best = Some(Node {
                            brk: bi,
                            total,
                            prev: Some(ni),
                            hang,
                        });
                    }
                }
                None => {
                    let over = (sp.natural - sp.shrink - t).max(0.0) / em;
                    let total = node.total + OVERFULL_DEMERITS * (1.0 + over) + extra;
                    if fallback.is_none_or(|x| total < x.total) {
                        fallback = Some(Node {
                            brk: bi,
                            total,
                            prev: Some(ni),
                            hang: false,
                        });
                    }
                }
            }
            if ctx.min_width_bound(s, e) <= t + 1.5 * em + EPS {
                keep.push(ni);
            }
        }
        active = keep;
        let chosen =
            best.or_else(|| fallback.filter(|_| b.kind.is_mandatory() || active.is_empty()));
        if let Some(node) = chosen {
            nodes.push(node);
            if b.kind.is_mandatory() {
                active.clear();
            }
            active.push(nodes.len() - 1);
            if active.len() > MAX_ACTIVE {
                active.remove(0);
            }
        }
    }
    let mut lines = Vec::new();
    let last_brk = brks.len().saturating_sub(1);
    let mut cur = nodes
        .iter()
        .rposition(|x| x.brk == last_brk)
        .filter(|&i| i > 0);
    while let Some(ni) = cur {
        let node = nodes[ni];
        let Some(pi) = node.prev else { break };
        let (a, b) = (&brks[nodes[pi].brk], &brks[node.brk]);
        lines.push(Chosen {
            start: a.next,
            end: b.end.max(a.next),
            first: a.kind == BreakKind::Start,
            kind: line_kind(a, b, opts.justify),
            hang: node.hang,
        });
        cur = Some(pi).filter(|&p| p > 0);
    }
    lines.reverse();
    Plan {
        classes: ctx.cls,
        frames: ctx.fr,
        lines,
    }
}
