//! Placing the atoms of one chosen line (typography.md §2, §3.3).
//!
//! Order of work for a line `start..end`:
//! 1. interior advances from [`super::compress`] (pair compression, `？！` runs already applied);
//! 2. line edges (§3.3): an OPEN at the start loses its left blank (glyph shifted left), a
//!    STOP/CLOSE at the end is set half-width; a hanging mark is set outside the measure;
//! 3. justification (§2): if the line is too long, shrink in the clreq order (word spaces, DOT,
//!    brackets, `，、；：`, autospace, `。？！`), equal amounts within a step; if a justified line
//!    is too short, stretch word spaces to 1/2 em, autospace to 1/3 em, then every allowed
//!    inter-character gap equally (never after the last glyph). Last lines, lines before hard
//!    breaks and emergency pieces keep natural width (shrunk only if they would overflow);
//! 4. x positions from the left edge of the line, indent included.

use super::breaker::{Chosen, LineKind, Plan};
use super::class::{Class, is_line_end_half};
use super::compress::{
    Frame, SHRINK_ORDER, ShrinkKind, StretchKind, interior_advance, is_stretch_gap, shrink_cap,
    stretch_cap,
};
use super::{Atom, Line, Options};

const EPS: f32 = 1e-3;

/// Share `total` among items with capacities `caps`, equal amounts, none above its capacity.
pub fn water_fill(caps: &[f32], total: f32) -> Vec<f32> {
    let mut order: Vec<usize> = (0..caps.len()).collect();
    order.sort_by(|&a, &b| caps[a].total_cmp(&caps[b]));
    let mut out = vec![0.0; caps.len()];
    let mut left = total.max(0.0);
    for (k, &i) in order.iter().enumerate() {
        let share = left / (caps.len() - k) as f32;
        let give = share.min(caps[i].max(0.0));
        out[i] = give;
        left -= give;
    }
    out
}

struct Work<'a> {
    atoms: &'a [Atom],
    cls: &'a [Class],
    start: usize,
    adv: Vec<f32>,
    shift: Vec<f32>,
    blank: Vec<Frame>,
    gap_after: Vec<f32>,
    /// Atoms `0..region` are inside the measure (the rest is a hanging mark).
    region: usize,
}

impl Work<'_> {
    fn natural(&self) -> f32 {
        self.adv.iter().take(self.region).sum()
    }

    /// Shrink by up to `need` pt; returns what is still missing.
    fn shrink(&mut self, mut need: f32) -> f32 {
        for step in SHRINK_ORDER {
            if need <= EPS {
                break;
            }
            let mut idx = Vec::new();
            let mut caps = Vec::new();
            for k in 0..self.region {
                let i = self.start + k;
                let (Some(a), Some(&c), Some(f)) =
                    (self.atoms.get(i), self.cls.get(i), self.blank.get(k))
                else {
                    continue;
                };
                if let Some((_, cap)) = shrink_cap(a, c, f).filter(|x| x.0 == step) {
                    idx.push(k);
                    caps.push(cap);
                }
            }
            let take = need.min(caps.iter().sum());
            for (k, amt) in idx.into_iter().zip(water_fill(&caps, take)) {
                self.adv[k] -= amt;
                match step {
                    ShrinkKind::Dot => self.shift[k] -= amt / 2.0,
                    ShrinkKind::Bracket if self.cls.get(self.start + k) == Some(&Class::Open) => {
                        self.shift[k] -= amt;
                        self.blank[k].lb -= amt;
                    }
                    _ => self.blank[k].rb -= amt,
                }
            }
            need -= take;
        }
        need.max(0.0)
    }

    /// Stretch by `more` pt; returns false if nothing on the line can take it.
    fn stretch(&mut self, mut more: f32) -> bool {
        for step in [StretchKind::Space, StretchKind::Autospace] {
            let mut idx = Vec::new();
            let mut caps = Vec::new();
            for k in 0..self.region {
                let i = self.start + k;
                if let (Some(a), Some(&c)) = (self.atoms.get(i), self.cls.get(i))
                    && let Some((_, cap)) = stretch_cap(a, c).filter(|x| x.0 == step)
                {
                    idx.push(k);
                    caps.push(cap);
                }
            }
            let take = more.min(caps.iter().sum());
            for (k, amt) in idx.into_iter().zip(water_fill(&caps, take)) {
                self.adv[k] += amt;
            }
            more -= take;
        }
        if more <= EPS {
            return true;
        }
        let pairs = self.region.saturating_sub(1);
        let gaps: Vec<usize> = (0..pairs)
            .filter(|&k| is_stretch_gap(self.atoms, self.cls, self.start + k))
            .collect();
        if !gaps.is_empty() {
            let each = more / gaps.len() as f32;
            for k in gaps {
                self.gap_after[k] += each;
            }
            return true;
        }
        // Nothing regular left: overstretch the glue, else space out the letters.
        let glue: Vec<usize> = (0..self.region)
            .filter(|&k| {
                self.cls
                    .get(self.start + k)
                    .is_some_and(|&c| stretch_cap(&self.atoms[self.start + k], c).is_some())
            })
            .collect();
        if !glue.is_empty() {
            let each = more / glue.len() as f32;
            for k in glue {
                self.adv[k] += each;
            }
            return true;
        }
        if pairs > 0 {
            let each = more / pairs as f32;
            for g in self.gap_after.iter_mut().take(pairs) {
                *g += each;
            }
            return true;
        }
        false
    }
}

/// Set one chosen line.
pub fn layout_line(atoms: &[Atom], plan: &Plan, opts: &Options, c: &Chosen) -> Line {
    let (s, e) = (
        c.start,
        c.end.min(atoms.len()).max(c.start.min(atoms.len())),
    );
    let m = e.saturating_sub(s);
    let indent = if c.first && opts.indent.is_finite() {
        opts.indent
    } else {
        0.0
    };
    let measure = if opts.measure.is_nan() {
        0.0
    } else {
        opts.measure
    };
    let target = measure - indent - c.hyphen;
    let mut w = Work {
        atoms,
        cls: &plan.classes,
        start: s,
        adv: Vec::with_capacity(m),
        shift: Vec::with_capacity(m),
        blank: Vec::with_capacity(m),
        gap_after: vec![0.0; m],
        region: if c.hang { m.saturating_sub(1) } else { m },
    };
    for i in s..e {
        let f = plan.frames.get(i).copied().unwrap_or_default();
        w.adv
            .push(atoms.get(i).map_or(0.0, |a| interior_advance(a, &f)));
        w.shift.push(-f.cut_l);
        w.blank.push(f);
    }
    if m > 0 {
        if plan.classes.get(s) == Some(&Class::Open) {
            let lb = w.blank[0].lb;
            w.adv[0] -= lb;
            w.shift[0] -= lb;
            w.blank[0].lb = 0.0;
        }
        if plan
            .classes
            .get(e - 1)
            .is_some_and(|&x| is_line_end_half(x))
        {
            let rb = w.blank[m - 1].rb;
            w.adv[m - 1] -= rb;
            w.blank[m - 1].rb = 0.0;
        }
    }
    let natural = w.natural();
    let mut justified = false;
    if natural > target + EPS {
        let missing = w.shrink(natural - target);
        justified = c.kind == LineKind::Justify && missing <= EPS;
    } else if c.kind == LineKind::Justify {
        justified = natural >= target - EPS || w.stretch(target - natural);
    }
    let mut x = Vec::with_capacity(m);
    let mut cur = indent;
    let mut width = indent;
    for k in 0..m {
        x.push(cur);
        cur += w.adv[k] + w.gap_after[k];
        if k + 1 == w.region {
            width = cur;
        }
    }
    let hyphen = (c.hyphen > 0.0 && m > 0).then(|| {
        let at = width;
        width += c.hyphen;
        at
    });
    Line {
        atoms: s..e,
        x,
        advance: w.adv,
        shift: w.shift,
        width,
        justified,
        ends_paragraph: c.kind == LineKind::Last,
        natural,
        hanging: c.hang && m > 0,
        hyphen,
    }
}

#[cfg(test)]
mod tests {
    use super::water_fill;

    #[test]
    fn water_fill_equal_and_capped() {
        assert_eq!(water_fill(&[1.0, 1.0], 1.0), [0.5, 0.5]);
        assert_eq!(water_fill(&[0.1, 1.0], 0.6), [0.1, 0.5]);
        assert_eq!(water_fill(&[], 1.0), Vec::<f32>::new());
    }
}
