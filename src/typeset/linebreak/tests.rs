//! Property-style tests over random mixed paragraphs, and a size sanity test.

use super::atoms::{atoms_from_str, model_width};
use super::breaks::break_opportunities;
use super::class::{can_end, can_start, classify};
use super::{AtomKind, Options, Strictness, break_paragraph};

/// A tiny deterministic PRNG (xorshift64*), so the test needs no crate and never flakes.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "一",
    "二",
    "三",
    "中",
    "文",
    "字",
    "排",
    "版",
    "汉",
    "语",
    "，",
    "。",
    "、",
    "；",
    "：",
    "？",
    "！",
    "“",
    "”",
    "（",
    "）",
    "《",
    "》",
    "——",
    "……",
    "·",
    "～",
    "／",
    "Rust",
    "co-operation",
    "12.5%",
    "100 km",
    "3.14",
    " word ",
    "A",
    "々",
    "https://example.com/a/b?x=1",
    "中文",
    "？！",
    "abcdefghijklmnopqrstuvwxyz",
    "—",
    "的“",
    "”然",
    "7～10",
];

fn random_paragraph(rng: &mut Rng, len: usize) -> String {
    let mut s = String::new();
    while s.chars().count() < len {
        s.push_str(rng.pick(PIECES));
    }
    s
}

fn check(text: &str, opts: &Options) {
    let atoms = atoms_from_str(text, 10.0, model_width);
    let cls = classify(&atoms);
    let lines = break_paragraph(&atoms, opts);
    let opp = break_opportunities(&atoms, opts);
    let mut pos = 0;
    for (li, l) in lines.iter().enumerate() {
        // Every atom in exactly one line, in order; only glue/hard breaks between lines.
        assert!(l.atoms.start >= pos, "{text}: line {li} overlaps");
        for (k, a) in atoms.iter().enumerate().take(l.atoms.start).skip(pos) {
            assert!(
                matches!(
                    a.kind,
                    AtomKind::Space | AtomKind::Autospace | AtomKind::HardBreak
                ),
                "{text}: atom {k} lost before line {li}"
            );
        }
        pos = l.atoms.end;
        assert_eq!(l.x.len(), l.atoms.len());
        assert_eq!(l.advance.len(), l.atoms.len());
        assert_eq!(l.shift.len(), l.atoms.len());
        if l.justified {
            assert!(
                (l.width - opts.measure).abs() < 0.01,
                "{text}: line {li} width {} ≠ {}",
                l.width,
                opts.measure
            );
        }
        if let Some(next) = lines.get(li + 1) {
            // §1.2/§1.3 hold at every break, except around emergency pieces (set ragged).
            let legal = opp.get(l.atoms.end).copied().unwrap_or(false);
            let kinsoku_ok = match (l.atoms.end.checked_sub(1), cls.get(next.atoms.start)) {
                // Inside a URL the §1.5 rules replace kinsoku.
                (Some(last), Some(&first))
                    if !l.atoms.is_empty()
                        && !next.atoms.is_empty()
                        && (!atoms[last].url || !atoms[next.atoms.start].url) =>
                {
                    can_end(cls[last], atoms[last].ch(), opts.strictness)
                        && can_start(first, opts.strictness)
                }
                _ => true,
            };
            if !legal || !kinsoku_ok {
                let shown: Vec<String> = lines
                    .iter()
                    .map(|l| super::atoms::render(&atoms[l.atoms.clone()]))
                    .collect();
                assert!(
                    !l.justified,
                    "{text}: line {li} ends at an illegal break but is justified: {opts:?} {shown:?}"
                );
            }
        }
    }
    for (k, a) in atoms.iter().enumerate().skip(pos) {
        assert!(
            matches!(
                a.kind,
                AtomKind::Space | AtomKind::Autospace | AtomKind::HardBreak
            ),
            "{text}: atom {k} lost at end"
        );
    }
    assert!(lines.last().is_none_or(|l| l.ends_paragraph));
}

#[test]
fn random_paragraphs_keep_the_rules() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..400 {
        let len = 1 + (rng.next() % 120) as usize;
        let text = random_paragraph(&mut rng, len);
        let opts = Options {
            measure: 10.0 * (3 + rng.next() % 25) as f32,
            indent: if round % 2 == 0 { 20.0 } else { 0.0 },
            strictness: [Strictness::Basic, Strictness::Gb, Strictness::Strict][round % 3],
            hanging: round % 5 == 0,
            justify: round % 7 != 0,
        };
        check(&text, &opts);
    }
}

#[test]
fn no_line_starts_or_ends_badly_in_plain_han_text() {
    // No emergencies possible here: every line start/end must obey §1.2/§1.3 directly.
    let mut rng = Rng(42);
    let han: &[&str] = &[
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "，", "。", "“", "”", "（",
        "）", "、", "？！", "——", "·",
    ];
    for _ in 0..200 {
        let mut text = String::new();
        for _ in 0..(5 + rng.next() % 80) {
            text.push_str(rng.pick(han));
        }
        let atoms = atoms_from_str(&text, 1.0, model_width);
        let cls = classify(&atoms);
        let opts = Options {
            measure: 8.0 + (rng.next() % 12) as f32,
            ..Options::default()
        };
        let lines = break_paragraph(&atoms, &opts);
        for (li, l) in lines.iter().enumerate() {
            // Emergency pieces (a glued run of marks wider than the measure) are ragged.
            let emergency =
                !l.justified || lines.get(li.wrapping_sub(1)).is_some_and(|p| !p.justified);
            if li > 0 && !emergency {
                let c = cls[l.atoms.start];
                assert!(
                    can_start(c, Strictness::Gb),
                    "{text}: line {li} starts with {c:?}"
                );
            }
            if li + 1 < lines.len() && l.justified {
                let c = cls[l.atoms.end - 1];
                assert!(
                    can_end(c, None, Strictness::Gb),
                    "{text}: line {li} ends with {c:?}"
                );
            }
        }
    }
}

#[test]
fn empty_and_degenerate_input() {
    let opts = Options {
        measure: 10.0,
        ..Options::default()
    };
    assert!(break_paragraph(&[], &opts).is_empty());
    for m in [0.0, -5.0, f32::NAN, f32::INFINITY, 0.3] {
        let atoms = atoms_from_str("一二 abc，“好”↵↵x", 1.0, model_width);
        let lines = break_paragraph(
            &atoms,
            &Options {
                measure: m,
                ..Options::default()
            },
        );
        assert!(!lines.is_empty());
    }
}

#[test]
fn long_paragraph_is_sane() {
    let mut rng = Rng(7);
    let text = random_paragraph(&mut rng, 20_000);
    let atoms = atoms_from_str(&text, 10.5, model_width);
    let opts = Options {
        measure: 304.5,
        indent: 21.0,
        ..Options::default()
    };
    let lines = break_paragraph(&atoms, &opts);
    assert!(lines.len() > 100, "{} lines", lines.len());
    check(&text, &opts);
}

/// Timing of a 200 000-character paragraph; run with
/// `cargo test --release --lib linebreak::tests::timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing_200k() {
    let mut rng = Rng(11);
    let text = random_paragraph(&mut rng, 200_000);
    let atoms = atoms_from_str(&text, 10.5, model_width);
    let opts = Options {
        measure: 304.5,
        indent: 21.0,
        ..Options::default()
    };
    let t = std::time::Instant::now();
    let lines = break_paragraph(&atoms, &opts);
    let dt = t.elapsed();
    println!("{} atoms → {} lines in {dt:?}", atoms.len(), lines.len());
    assert!(lines.len() > 1000);
}

/// `han` Han characters, then `（International`, with the hyphenation points `Inter-na-tional`
/// marked (hyphen 0.5 em) when `points` is set; em = 1 pt.
fn han_then_word(han: usize, points: bool) -> Vec<super::Atom> {
    let text = format!("{}（International", "中".repeat(han));
    let mut atoms = atoms_from_str(&text, 1.0, model_width);
    if points {
        let word = han + 1;
        for k in [word + 4, word + 6] {
            atoms[k] = atoms[k].clone().with_hyphen(0.5);
        }
    }
    atoms
}

fn justified(measure: f32) -> Options {
    Options {
        measure,
        ..Options::default()
    }
}

#[test]
fn hyphenation_replaces_a_letter_spaced_line() {
    // Without points: `中×8` alone on a 12 em line, 4 em spread over 7 gaps.
    let lines = break_paragraph(&han_then_word(8, false), &justified(12.0));
    assert_eq!((lines[0].atoms.clone(), lines[0].hyphen), (0..8, None));
    let gap = lines[0].x[1] - lines[0].x[0] - lines[0].advance[0];
    assert!(gap > 0.5, "letter-spaced by {gap} em");
    // With points: `中×8（Inter-` fills the line at natural spacing; the hyphen ends it.
    let lines = break_paragraph(&han_then_word(8, true), &justified(12.0));
    let first = &lines[0];
    assert_eq!(first.atoms, 0..14);
    assert_eq!(first.hyphen, Some(11.5));
    assert!((first.width - 12.0).abs() < 1e-3);
    assert!(
        first
            .x
            .windows(2)
            .zip(&first.advance)
            .all(|(x, a)| x[1] - x[0] - a < 1e-3)
    );
    assert_eq!(lines[1].atoms.start, 14);
    assert_eq!(lines[1].hyphen, None);
}

#[test]
fn hyphenation_is_not_used_for_a_mildly_loose_line() {
    // 4 em over 32 gaps is 0.125 em each: cheaper than a hyphen, so the word stays whole.
    let lines = break_paragraph(&han_then_word(33, true), &justified(37.0));
    assert_eq!((lines[0].atoms.clone(), lines[0].hyphen), (0..33, None));
    assert!(lines.iter().all(|l| l.hyphen.is_none()));
}

#[test]
fn a_light_stretch_beats_compressing_marks_mid_line() {
    // Up to `十` the text is 31 em: on a 30 em line that compresses its three commas by 1 em.
    // Ending the line at the third comma (set half-width there) leaves 29.5 em: 29 gaps
    // stretched by 1/58 em each. The stretch is the lighter touch.
    let text = "一二三四五六七八九，一二三四五六七八九，一二三四五六七八九，十一二三";
    let atoms = atoms_from_str(text, 1.0, model_width);
    let lines = break_paragraph(&atoms, &justified(30.0));
    let first = &lines[0];
    let last = first.atoms.end - 1;
    assert_eq!(atoms[last].ch(), Some('，'));
    let squeezed: Vec<usize> = first
        .atoms
        .clone()
        .filter(|&i| i != last && atoms[i].ch() == Some('，'))
        .filter(|&i| first.advance[i - first.atoms.start] < 0.99)
        .collect();
    assert!(
        squeezed.is_empty(),
        "commas compressed mid-line at {squeezed:?}"
    );
    let gap = first.x[1] - first.x[0] - first.advance[0];
    assert!(gap > 0.0 && gap < 0.05, "stretched by {gap} em per gap");
}
