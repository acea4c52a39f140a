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
//! - shrink (oikomi) is cheaper than stretch: `SHRINK_W · r²` with `r` the used fraction of the shrinkable
//!   amount, so a line that fits after shrinking beats pushing characters over (oidashi);
//! - glue stretch to its §2 limits costs `GLUE_W · r²`;
//! - inter-character stretch of `s` em per gap costs `100 (s/0.25)²` up to 0.25 em and
//!   `100 (s/0.25)³` beyond (§2: the cost "should rise with the per-gap stretch beyond about
//!   0.25 em"); a line with nothing to stretch is priced as if it had one gap.
//! - Last lines, lines before hard breaks, emergency pieces and ragged text: badness 0 unless
//!   they must shrink.
//!
//! Tuning against the §9 table (which is stated for greedy filling):
//! - `SHRINK_W = 6` — using all of a line's shrink costs as much as stretching every gap by
//!   0.06 em. That still beats the push-out alternatives of case 8 (`）` shrunk vs 0.5 em over 7
//!   gaps, cost 8.2) and case 3 (oikomi of `，` vs 0.125 em per gap), but a light stretch
//!   elsewhere in the paragraph now beats compressing several marks in the middle of one line.
//!   Going from 1 to 6 cut the sample's compression of `，、；：` by a third and of brackets by
//!   a third, with a few more lines stretched by about 0.02 em per gap.
//! - `TIE_BONUS` — a tiny bonus for breaking later; it decides exact ties the greedy way:
//!   case 26 (`一二三四五 / 六七八九 / 十一。` rather than `一二三四 / 五六七八九 / 十一。`).
//! - Emergency pieces (case 22, `abcdefgh / ijkl␣了`) are cut greedily before the optimizer runs.
//! - Cubic growth of the gap cost — cases 16, 19, 20, 24: the only legal alternatives strand
//!   single characters on very loose lines.

use super::breaks::{Break, BreakKind, normal_breaks};
use super::class::Class;
use super::compress::Frame;
use super::measure::{Ctx, Span};
use super::{Atom, Options};

/// Per-line constant of the demerits: makes fewer lines slightly better.
const LINE_PENALTY: f64 = 10.0;
/// Weight of shrinking (see module doc; bounded by §9 cases 3 and 8).
const SHRINK_W: f64 = 6.0;
/// Weight of stretching word spaces/autospace up to their limits.
const GLUE_W: f64 = 10.0;
/// Added when the last line holds only one Han character plus punctuation (孤字, §2: MUST NOT).
/// Finite, so that a paragraph with no other solution still gets one.
const ORPHAN_DEMERITS: f64 = 1e13;
/// Added to an overfull line chosen only because nothing else could be found.
const OVERFULL_DEMERITS: f64 = 1e15;
/// Added when two consecutive lines end in an added hyphen (TeX's `\doublehyphendemerits`).
const DOUBLE_HYPHEN_DEMERITS: f64 = 1e4;
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
    /// Width of the hyphen added after the last atom (a hyphenation break), else 0.
    pub hyphen: f32,
}

/// The breaker's result plus the per-atom analysis the layout step reuses.
pub struct Plan {
    pub classes: Vec<Class>,
    pub frames: Vec<Frame>,
    pub lines: Vec<Chosen>,
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
/// such a token mandatory (§1.5: "first use the normal break before it, then break the token at
/// any grapheme").
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
        if !too_wide {
            continue;
        }
        // Cut the token greedily into pieces that fill the measure; the last piece (narrower
        // than the measure) goes on with the text after the token as usual. Filling the pieces
        // is not left to the optimizer: it would cut them short just to make the next line
        // ragged (exempt from justification).
        let (mut p0, mut t_piece) = (s, t);
        loop {
            let mut p = p0 + 1;
            while p < e && {
                let sp = ctx.span(p0, p + 1);
                sp.natural - sp.shrink <= t_piece + EPS
            } {
                p += 1;
            }
            if p >= e {
                break;
            }
            out.push(Break::new(p, p, 0.0, BreakKind::Emergency));
            (p0, t_piece) = (p, measure);
        }
    }
    out
}

/// Choose the breaks of a paragraph (see the module doc).
pub fn choose(atoms: &[Atom], opts: &Options) -> Plan {
    let ctx = Ctx::new(atoms, opts.hanging);
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
    let mut keep: Vec<usize> = Vec::new();
    for (bi, b) in brks.iter().enumerate().skip(1) {
        let mut best: Option<Node> = None;
        let mut fallback: Option<Node> = None;
        keep.clear();
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
            // Keep the node while some later line from it could still fit.
            if ctx.min_width_bound(s, e) <= t + 1.5 * em + EPS {
                keep.push(ni);
            }
            let mut extra = f64::from(b.penalty).powi(2) - TIE_BONUS * (b.end as f64 / n);
            // Demerits are at least LINE_PENALTY²: skip nodes that cannot beat the best so far.
            if best.is_some_and(|x| node.total + LINE_PENALTY * LINE_PENALTY + extra >= x.total) {
                continue;
            }
            let kind = line_kind(a, b, opts.justify);
            let mut sp = ctx.span(s, e);
            sp.natural += f64::from(b.hyphen);
            let mut fit = badness(&sp, t, em, kind).map(|bad| (bad, false));
            if fit.is_none() && b.hyphen == 0.0 {
                fit = ctx
                    .hang_span(s, e)
                    .and_then(|h| badness(&h, t, em, kind))
                    .map(|bad| (bad, true));
            }
            if a.hyphen > 0.0 && b.hyphen > 0.0 {
                extra += DOUBLE_HYPHEN_DEMERITS;
            }
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
        }
        std::mem::swap(&mut active, &mut keep);
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
            hyphen: b.hyphen,
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
