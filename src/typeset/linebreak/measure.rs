//! Constant-time measurement of candidate lines for the breaker.
//!
//! Everything a line `s..e` needs — natural width after §3.3 edge trims, shrinkable and
//! stretchable amounts, number of stretchable gaps, and the counts for the orphan rule — comes
//! from prefix sums over the atoms plus a correction for the two edge atoms. Sums are f64: a
//! 200 000-atom paragraph is millions of pt long.

use super::Atom;
use super::class::{Class, classify, is_hangable, is_line_end_half};
use super::compress::{Frame, frames, interior_advance, is_stretch_gap, shrink_cap, stretch_cap};

/// The adjustability of a candidate line, in pt (counts as f64).
#[derive(Debug, Clone, Copy, Default)]
pub struct Span {
    pub natural: f64,
    pub shrink: f64,
    pub glue: f64,
    pub nglue: f64,
    pub gaps: f64,
}

/// Running totals before atom `i` (index `i` of the prefix array).
#[derive(Debug, Clone, Copy, Default)]
struct Cum {
    adv: f64,
    shrink: f64,
    glue: f64,
    nglue: f64,
    /// Stretchable gaps between atoms `j` and `j + 1` for `j < i`.
    gap: f64,
    han: u32,
    content: u32,
}

/// Per-atom line-edge data.
#[derive(Debug, Clone, Copy, Default)]
struct Edge {
    /// Left blank an OPEN loses at a line start (it is also its whole shrink capacity).
    start_trim: f64,
    /// Right blank a STOP/CLOSE loses at a line end.
    end_trim: f64,
    /// Shrink capacity removed with that end trim.
    end_cap: f64,
    /// Interior advance (for hanging).
    adv: f64,
    hangable: bool,
}

pub struct Ctx {
    pub cls: Vec<Class>,
    pub fr: Vec<Frame>,
    cum: Vec<Cum>,
    edge: Vec<Edge>,
    hanging: bool,
}

impl Ctx {
    pub fn new(atoms: &[Atom], hanging: bool) -> Self {
        let cls = classify(atoms);
        let fr = frames(atoms, &cls);
        let mut cum = Vec::with_capacity(atoms.len() + 1);
        let mut edge = Vec::with_capacity(atoms.len());
        let mut c = Cum::default();
        cum.push(c);
        for (i, ((a, &k), f)) in atoms.iter().zip(&cls).zip(&fr).enumerate() {
            let adv = f64::from(interior_advance(a, f));
            let cap = shrink_cap(a, k, f).map_or(0.0, |x| f64::from(x.1));
            let stretch = stretch_cap(a, k);
            c.adv += adv;
            c.shrink += cap;
            c.glue += stretch.map_or(0.0, |x| f64::from(x.1));
            c.nglue += if stretch.is_some() { 1.0 } else { 0.0 };
            c.gap += if is_stretch_gap(atoms, &cls, i) {
                1.0
            } else {
                0.0
            };
            c.han += u32::from(matches!(k, Class::Han | Class::Iter));
            let content = !k.is_punct()
                && !k.is_glue()
                && !matches!(k, Class::Han | Class::Iter | Class::Hard);
            c.content += u32::from(content);
            cum.push(c);
            let half = is_line_end_half(k);
            edge.push(Edge {
                start_trim: if k == Class::Open {
                    f64::from(f.lb)
                } else {
                    0.0
                },
                end_trim: if half { f64::from(f.rb) } else { 0.0 },
                end_cap: if half { cap } else { 0.0 },
                adv,
                hangable: a.ch().is_some_and(is_hangable),
            });
        }
        Ctx {
            cls,
            fr,
            cum,
            edge,
            hanging,
        }
    }

    fn valid(&self, s: usize, e: usize) -> bool {
        s < e && e <= self.edge.len()
    }

    /// Natural width, shrink and stretch of the line `s..e` (no hanging).
    pub fn span(&self, s: usize, e: usize) -> Span {
        if !self.valid(s, e) {
            return Span::default();
        }
        let (cs, ce) = (&self.cum[s], &self.cum[e]);
        let (first, last) = (&self.edge[s], &self.edge[e - 1]);
        Span {
            natural: ce.adv - cs.adv - first.start_trim - last.end_trim,
            shrink: (ce.shrink - cs.shrink - first.start_trim - last.end_cap).max(0.0),
            glue: ce.glue - cs.glue,
            nglue: ce.nglue - cs.nglue,
            gaps: if e >= s + 2 {
                self.cum[e - 1].gap - cs.gap
            } else {
                0.0
            },
        }
    }

    /// The line `s..e` with its last atom (one of `、，。．`) hanging in the margin, if allowed.
    pub fn hang_span(&self, s: usize, e: usize) -> Option<Span> {
        if !self.hanging || !self.valid(s, e) || e < s + 2 {
            return None;
        }
        let last = &self.edge[e - 1];
        if !last.hangable {
            return None;
        }
        let sp = self.span(s, e);
        let before = self.span(s, e - 1);
        // The atoms before the mark keep their interior widths: the mark follows them.
        Some(Span {
            natural: sp.natural - (last.adv - last.end_trim),
            shrink: sp.shrink,
            ..before
        })
    }

    /// A lower bound of the fully shrunk width of every line `s..e'` with `e' ≥ e` (adding atoms
    /// never makes a line narrower, except the end trim of its last atom, ≤ 1/2 em).
    pub fn min_width_bound(&self, s: usize, e: usize) -> f64 {
        if !self.valid(s, e) {
            return 0.0;
        }
        let (cs, ce) = (&self.cum[s], &self.cum[e]);
        // An OPEN's start trim is its whole shrink capacity, so it cancels out here.
        (ce.adv - cs.adv) - (ce.shrink - cs.shrink)
    }

    /// The line holds exactly one HAN and otherwise only punctuation (孤字, §2).
    pub fn is_orphan(&self, s: usize, e: usize) -> bool {
        self.valid(s, e)
            && self.cum[e].han - self.cum[s].han == 1
            && self.cum[e].content == self.cum[s].content
    }
}
