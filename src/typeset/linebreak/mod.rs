//! typeset::linebreak — the paragraph line-breaking engine of the PDF typesetter.
//!
//! **Stage**: runs after shaping has turned a paragraph into measured clusters and before the
//! page builder stacks lines into pages. It is pure computation: no fonts, no PDF.
//!
//! **Input**: a slice of [`Atom`]s (character clusters with their natural advance, word spaces,
//! no-break spaces, CJK–Latin autospace glue, inline objects, hard breaks) and [`Options`]
//! (measure, first-line indent, kinsoku strictness, hanging punctuation, justification).
//!
//! **Output**: a `Vec<`[`Line`]`>`: for every line the atom range, the x position, final advance
//! and glyph shift of every atom, after the rules of `shared/docs/typography.md` §1–§4:
//! kinsoku (§1.2/§1.3 with the §1.4 tailoring), URL and hyphen breaks (§1.5), punctuation
//! compression (§3.2), line-edge trimming (§3.3), the `？！` run rule (§3.1), autospace (§4)
//! and justification (§2: shrink first, then stretch).
//!
//! Sub-steps, one file each:
//! - [`class`]: the character classes of §0/§1.4 (own table, not ICU).
//! - [`compress`]: punctuation frames: blank halves, `？！` runs, adjacent-pair compression, and
//!   the per-atom shrink/stretch capacities of §2.
//! - [`breaks`]: break opportunities and penalties (kinsoku, URLs, hyphens, emergency breaks).
//! - [`measure`]: O(1) width/shrink/stretch of a candidate line from prefix sums.
//! - [`breaker`]: total-fit (Knuth–Plass style) choice of all breaks of the paragraph.
//! - [`justify`]: places the atoms of one chosen line (trim, shrink, stretch, x positions).
//! - [`atoms`]: test helpers: the §9 width model and a string → atoms converter that applies
//!   the §4/§5 normalisation the real pipeline does elsewhere.

pub mod atoms;
pub mod breaker;
pub mod breaks;
pub mod class;
pub mod compress;
pub mod justify;
pub mod measure;
#[cfg(test)]
mod tests;

#[doc(hidden)]
pub use atoms::{atoms_from_str, model_width};
pub use breaks::break_opportunities;

/// One unit the breaker sees: a character cluster with its natural width, or a special atom.
#[derive(Debug, Clone, PartialEq)]
pub struct Atom {
    pub kind: AtomKind,
    /// Natural advance in pt (for a full-width CJK mark: its nominal 1 em frame; for `·` `／`
    /// 0.5 em per §3.1).
    pub width: f32,
    /// The CJK em (font size in pt) in force at this atom; all §2–§4 amounts are fractions of it.
    pub em: f32,
    /// The atom is part of a URL or inline code: §1.5 URL breaking applies between two such
    /// atoms (break after `/` `//`, before `. , - _ ? # % ~`, before/after `= &`, nowhere else).
    pub url: bool,
    /// A hyphenation point after this atom (inside a Latin word): the width of the hyphen set
    /// at the line end if the line breaks here; 0 = no hyphenation point.
    pub hyphen: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AtomKind {
    /// A character (cluster) of text; its class (HAN, WEST, OPEN, CLOSE, STOP, DOT, CONN,
    /// SOLIDUS, LONG part, PRE, POST…) comes from `ch` (see [`class`]).
    Char(char),
    /// A breakable word space (ASCII space between Latin words): width given, shrink to 1/4 em …
    /// stretch to 1/2 em.
    Space,
    /// A no-break space (number + unit): never a break, stretch/shrink like Space.
    NoBreakSpace,
    /// The Han↔Latin autospace glue (§4): 1/4 em natural, shrink to 1/8, stretch to 1/3; a break
    /// opportunity; vanishes at line start/end.
    Autospace,
    /// An object with a fixed width and no class (inline image, a footnote marker).
    /// `glue_before`: no break before it (footnote marks stick to the text before, §1.2).
    Object { glue_before: bool },
    /// A forced line break (hard break): the line before it is not justified.
    HardBreak,
}

impl Atom {
    /// Any atom, not part of a URL.
    pub fn new(kind: AtomKind, width: f32, em: f32) -> Self {
        Atom {
            kind,
            width,
            em,
            url: false,
            hyphen: 0.0,
        }
    }
    /// A character cluster of natural advance `width` pt.
    pub fn char(ch: char, width: f32, em: f32) -> Self {
        Self::new(AtomKind::Char(ch), width, em)
    }
    /// A breakable word space.
    pub fn space(width: f32, em: f32) -> Self {
        Self::new(AtomKind::Space, width, em)
    }
    /// The §4 autospace glue at its natural 1/4 em.
    pub fn autospace(em: f32) -> Self {
        Self::new(AtomKind::Autospace, 0.25 * em, em)
    }
    /// A hard line break (zero width).
    pub fn hard_break(em: f32) -> Self {
        Self::new(AtomKind::HardBreak, 0.0, em)
    }
    /// The same atom marked as part of a URL or inline code.
    pub fn with_url(mut self) -> Self {
        self.url = true;
        self
    }
    /// The same atom with a hyphenation point after it; `hyphen` is the hyphen's width in pt.
    pub fn with_hyphen(mut self, hyphen: f32) -> Self {
        self.hyphen = hyphen;
        self
    }
    /// The character, if this is a `Char` atom.
    pub fn ch(&self) -> Option<char> {
        match self.kind {
            AtomKind::Char(c) => Some(c),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strictness {
    /// clreq "basic": STOP, CLOSE, CONN, DOT never start a line; OPEN never ends one.
    Basic,
    /// The default: basic plus SOLIDUS neither starts nor ends a line (GB 5.1.9).
    #[default]
    Gb,
    /// GB plus LONG (`——`, `……`) never starts a line.
    Strict,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Line width in pt. `f32::INFINITY` means "never break except at hard breaks".
    pub measure: f32,
    /// First-line indent in pt (2 em in body text).
    pub indent: f32,
    /// Kinsoku level; default [`Strictness::Gb`].
    pub strictness: Strictness,
    /// Hanging punctuation (burasage, §3.3): one `、，。．` may hang into the margin. Default off.
    pub hanging: bool,
    /// True for body text; false = start-aligned (ragged).
    pub justify: bool,
}

impl Default for Options {
    /// Measure 0 (set it!), no indent, GB, no hanging, justified.
    fn default() -> Self {
        Options {
            measure: 0.0,
            indent: 0.0,
            strictness: Strictness::Gb,
            hanging: false,
            justify: true,
        }
    }
}

/// One line of the result.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Atoms on this line. Space/Autospace glue at a break (and a HardBreak atom) belongs to no
    /// line; glue at the very start or end of the paragraph is dropped the same way.
    pub atoms: std::ops::Range<usize>,
    /// x position (pt, from the line's left edge, indent included) of each atom in `atoms`, after
    /// line-start trim, pair compression (§3.2), line-end half-width (§3.3), the ？！ rule,
    /// autospace and justification. Inter-character stretch added after atom `i` shows only as
    /// `x[i + 1] − (x[i] + advance[i])`.
    pub x: Vec<f32>,
    /// The advance each atom finally takes (same length as `x`); a trimmed/compressed mark has a
    /// smaller advance. Justification stretch between characters is not included.
    pub advance: Vec<f32>,
    /// Per atom: where the glyph's nominal frame starts relative to `x` (≤ 0): −0.5 em for an OPEN
    /// whose left blank was trimmed or compressed away, −(shrink / 2) for a shrunk DOT. Draw the
    /// glyph at `x + shift`.
    pub shift: Vec<f32>,
    /// Right edge of the line's content in pt, indent included, hanging mark excluded
    /// (== measure for a justified line; ≤ measure unless an emergency).
    pub width: f32,
    pub justified: bool,
    pub ends_paragraph: bool,
    /// Addition: the natural content width in pt after line-edge trim, pair compression and the
    /// ？！ rule but before justification; indent and hanging mark excluded (the "w" of §9).
    pub natural: f32,
    /// Addition: the last atom is a hanging `、，。．` set in the right margin (only with
    /// `Options::hanging`); its x is `width`.
    pub hanging: bool,
    /// The line ends at a hyphenation point: x of the hyphen to draw after the last atom (the
    /// hyphen is inside `width`).
    pub hyphen: Option<f32>,
}

/// Break one paragraph into lines (total-fit) and place every atom.
pub fn break_paragraph(atoms: &[Atom], opts: &Options) -> Vec<Line> {
    if atoms.is_empty() {
        return Vec::new();
    }
    let plan = breaker::choose(atoms, opts);
    plan.lines
        .iter()
        .map(|c| justify::layout_line(atoms, &plan, opts, c))
        .collect()
}
