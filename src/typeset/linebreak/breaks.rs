//! Break opportunities and their penalties (typography.md §1).
//!
//! A break is described by where the line before it ends (`end`, exclusive) and where the next
//! line starts (`next`): equal for a break between two characters; for a break at glue, the
//! glue run `end..next` vanishes; for a hard break the HardBreak atom and glue around it vanish.
//!
//! Rules, in the order they are checked between two adjacent non-glue atoms A B:
//! 1. both in a URL / code span → only the §1.5 URL points;
//! 2. inside a LONG unit (`——` `……`) → never;
//! 3. A may not end a line (OPEN, PRE, SOLIDUS, no-break space) or B may not start one (STOP,
//!    CLOSE, CONN, DOT, POST, `々`, SOLIDUS, no-break space, a glued object; LONG at strict) →
//!    never (§1.2/§1.3 with the §1.4 tailoring: quotes are OP/CL, `— · ～` are NS, `／` is GL);
//! 4. both narrow (inside one Latin word or number) → only after an explicit hyphen between
//!    letters (`co-÷operation`; numbers like `2024-10-01` stay whole), or at a hyphenation
//!    point the caller marked ([`Atom::hyphen`]), where the line gets a hyphen;
//! 5. otherwise allowed (between HAN, at HAN↔WEST boundaries), with a small penalty for a
//!    number followed by a Han unit (`100÷公里`).
//!
//! At glue (word space, autospace) a break is allowed unless rule 3 forbids it.

use super::class::{Class, can_end, can_start, classify, is_wide};
use super::{Atom, Options, Strictness};

/// Penalty for breaking between a number and a Han unit or measure word (§1.3: "MAY break; give
/// that break a small penalty"). Demerits add penalty², so 20 costs about as much as a line
/// stretched by 0.11 em per gap: it moves the break only when that costs little elsewhere.
pub const NUM_UNIT_PENALTY: f32 = 20.0;
/// Penalty for a break after an explicit hyphen inside a Latin word (TeX uses 50 for hyphens;
/// lower here because the alternatives in Chinese text are letter-spaced Han lines).
pub const HYPHEN_PENALTY: f32 = 30.0;
/// Penalty for a break at a hyphenation point (a hyphen is added). Hyphenating English inside
/// Chinese text is a last resort (§1.5: off by default; identifiers and names get mis-hyphenated),
/// so its demerits (70² = 4900) equal a justified line stretched by about 0.19 em per gap: the
/// breaker hyphenates only a line that would otherwise be visibly letter-spaced.
pub const HYPHENATION_PENALTY: f32 = 70.0;
/// Penalty for a break inside a URL or code span.
pub const URL_PENALTY: f32 = 10.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    /// The paragraph start (a virtual break).
    Start,
    /// An ordinary opportunity.
    Normal,
    /// The break before a token wider than the measure: mandatory, line before it justified.
    Forced,
    /// Inside a token wider than the measure (§1.5 emergency rule), placed greedily so that
    /// each piece fills the measure: mandatory; lines touching it are ragged.
    Emergency,
    /// A hard break: mandatory, the line before it is set at natural width.
    Hard,
    /// The paragraph end.
    End,
}

impl BreakKind {
    /// All lines must break here.
    pub fn is_mandatory(self) -> bool {
        matches!(
            self,
            BreakKind::Forced | BreakKind::Emergency | BreakKind::Hard | BreakKind::End
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    pub end: usize,
    pub next: usize,
    pub penalty: f32,
    pub kind: BreakKind,
    /// Width of the hyphen the line before this break gets (a hyphenation point), else 0.
    pub hyphen: f32,
}

impl Break {
    pub fn new(end: usize, next: usize, penalty: f32, kind: BreakKind) -> Self {
        Break {
            end,
            next,
            penalty,
            kind,
            hyphen: 0.0,
        }
    }
}

fn ch(atoms: &[Atom], i: usize) -> Option<char> {
    atoms.get(i).and_then(Atom::ch)
}

/// §1.5: break after `/` (and after `//`, never between its two slashes), before
/// `. , - _ ? # % ~`, before or after `= &`; never after a URL's own `-`.
fn url_break(a: char, b: char) -> bool {
    if a == '/' {
        return b != '/';
    }
    if a == '-' {
        return false;
    }
    matches!(b, '.' | ',' | '-' | '_' | '?' | '#' | '%' | '~' | '=' | '&') || matches!(a, '=' | '&')
}

/// The break between non-glue atoms `i − 1` and `i` (a `Normal` break with its penalty and
/// hyphen), or `None` if forbidden.
fn pair_break(atoms: &[Atom], cls: &[Class], i: usize, st: Strictness) -> Option<Break> {
    let normal = |penalty| Break::new(i, i, penalty, BreakKind::Normal);
    let (a, b) = (atoms.get(i.checked_sub(1)?)?, atoms.get(i)?);
    let (ca, cb) = (*cls.get(i - 1)?, *cls.get(i)?);
    let (chara, charb) = (a.ch(), b.ch());
    if a.url && b.url {
        return match (chara, charb) {
            (Some(x), Some(y)) if url_break(x, y) => Some(normal(URL_PENALTY)),
            _ => None,
        };
    }
    if ca == Class::Long && cb == Class::Long {
        return None;
    }
    if !can_end(ca, chara, st) || !can_start(cb, st) {
        return None;
    }
    let narrow = |c: Option<char>| c.is_some_and(|c| !is_wide(c));
    if narrow(chara) && narrow(charb) {
        let hyphen = matches!(chara, Some('-' | '‐'));
        let letter_before = i
            .checked_sub(2)
            .and_then(|j| ch(atoms, j))
            .is_some_and(char::is_alphabetic);
        let letter_after = charb.is_some_and(char::is_alphabetic);
        if hyphen && letter_before && letter_after {
            return Some(normal(HYPHEN_PENALTY));
        }
        let letters = chara.is_some_and(char::is_alphabetic) && letter_after;
        return (letters && a.hyphen > 0.0).then(|| Break {
            hyphen: a.hyphen,
            ..normal(HYPHENATION_PENALTY)
        });
    }
    Some(normal(num_unit(chara, cb)))
}

fn num_unit(before: Option<char>, after: Class) -> f32 {
    if before.is_some_and(|c| c.is_ascii_digit()) && after == Class::Han {
        NUM_UNIT_PENALTY
    } else {
        0.0
    }
}

/// All ordinary breaks of a paragraph, in order: `Start`, `Normal`/`Hard` ones, `End`.
/// (Emergency breaks are added by the breaker, which knows the widths.)
pub fn normal_breaks(atoms: &[Atom], cls: &[Class], st: Strictness) -> Vec<Break> {
    let n = atoms.len();
    let glue = |i: usize| cls.get(i).is_some_and(|c| c.is_glue());
    let mut out = Vec::new();
    let mut first = 0;
    while glue(first) {
        first += 1;
    }
    out.push(Break::new(0, first, 0.0, BreakKind::Start));
    let mut line_start = first;
    let mut i = first;
    while i < n {
        if cls.get(i) == Some(&Class::Hard) {
            let mut gs = i;
            while gs > line_start && glue(gs - 1) {
                gs -= 1;
            }
            let mut k = i + 1;
            while glue(k) {
                k += 1;
            }
            out.push(Break::new(gs, k, 0.0, BreakKind::Hard));
            line_start = k;
            i = k;
            continue;
        }
        if glue(i) {
            let mut j = i;
            while glue(j) {
                j += 1;
            }
            if j >= n || cls.get(j) == Some(&Class::Hard) {
                i = j;
                continue;
            }
            let prev = i.checked_sub(1).filter(|&p| p >= line_start);
            if let (Some(p), Some(&cp), Some(&cn)) =
                (prev, prev.and_then(|p| cls.get(p)), cls.get(j))
                && can_end(cp, ch(atoms, p), st)
                && can_start(cn, st)
            {
                out.push(Break::new(
                    i,
                    j,
                    num_unit(ch(atoms, p), cn),
                    BreakKind::Normal,
                ));
            }
            i = j;
            continue;
        }
        let nb = i + 1;
        if nb < n
            && !glue(nb)
            && cls.get(nb) != Some(&Class::Hard)
            && let Some(b) = pair_break(atoms, cls, nb, st)
        {
            out.push(b);
        }
        i += 1;
    }
    let mut end = n;
    while end > line_start && glue(end - 1) {
        end -= 1;
    }
    out.push(Break::new(end, n, 0.0, BreakKind::End));
    out
}

/// Where the rules of §1 allow a line break: element `p` (0 ≤ p ≤ len) is true when a line may
/// end just before atom `p` (for glue: at the glue or just after it). Emergency breaks inside
/// over-long tokens are not included; hard breaks are. For tests and diagnostics.
pub fn break_opportunities(atoms: &[Atom], opts: &Options) -> Vec<bool> {
    let cls = classify(atoms);
    let mut out = vec![false; atoms.len() + 1];
    for b in normal_breaks(atoms, &cls, opts.strictness) {
        if matches!(b.kind, BreakKind::Normal | BreakKind::Hard) {
            for p in b.end..=b.next.min(atoms.len()) {
                if let Some(slot) = out.get_mut(p) {
                    *slot = true;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::atoms::{atoms_from_str, model_width};
    use super::*;

    /// The string with break positions rendered as `÷`.
    fn show(s: &str, st: Strictness) -> String {
        let atoms = atoms_from_str(s, 1.0, model_width);
        let opts = Options {
            strictness: st,
            ..Options::default()
        };
        let ok = break_opportunities(&atoms, &opts);
        let mut out = String::new();
        for (i, a) in atoms.iter().enumerate() {
            if i > 0 && ok[i] && !matches!(a.kind, super::super::AtomKind::Autospace) {
                out.push('÷');
            }
            out.push(match a.kind {
                super::super::AtomKind::Char(c) => c,
                super::super::AtomKind::Autospace => '␣',
                _ => ' ',
            });
        }
        out
    }

    #[test]
    fn tailoring_of_1_4() {
        assert_eq!(show("他说“你好”我", Strictness::Gb), "他÷说÷“你÷好”÷我");
        assert_eq!(show("约翰·冯", Strictness::Gb), "约÷翰·÷冯");
        assert_eq!(show("北京／上海", Strictness::Gb), "北÷京／上÷海");
        assert_eq!(show("北京／上海", Strictness::Basic), "北÷京÷／÷上÷海");
        assert_eq!(show("北京—上海", Strictness::Gb), "北÷京—÷上÷海");
        assert_eq!(show("他——我", Strictness::Gb), "他÷——÷我");
        assert_eq!(show("他——我", Strictness::Strict), "他——÷我");
        assert_eq!(show("等……好", Strictness::Gb), "等÷……÷好");
        assert_eq!(show("A/B", Strictness::Gb), "A/B");
    }

    #[test]
    fn numbers_words_urls() {
        assert_eq!(show("3.14和1,000", Strictness::Gb), "3.14␣÷和␣÷1,000");
        assert_eq!(show("co-operation", Strictness::Gb), "co-÷operation");
        assert_eq!(show("2024-10-01", Strictness::Gb), "2024-10-01");
        assert_eq!(show("`a/b.c?x=1&y`", Strictness::Gb), "a/÷b÷.c÷?x÷=÷1÷&÷y");
        assert_eq!(show("`https://x-y`", Strictness::Gb), "https://÷x÷-y");
    }
}
