//! Chinese-safe inline normalisation (typography.md §4–§5), applied to every inline run the parser builds.
//!
//! Input: inlines straight from the Markdown events, with soft line breaks as `\n` inside text.
//! Output: the same inlines where
//! - soft breaks and spaces between Chinese characters or next to CJK punctuation are gone;
//! - every Han↔Latin boundary (with or without typed spaces, across markup) is one [`Inline::Autospace`];
//! - other runs of spaces and soft breaks are one U+0020; a number and a Latin unit are tied by U+00A0;
//! - ASCII quotes are paired (`的"布朗桥"` → `的“布朗桥”`), full-width ASCII letters and digits are folded,
//!   `――` (U+2015) becomes `——`, and the paragraph's typed indentation is dropped.
//!
//! Inline code is never touched.

use super::chars::{fold_fullwidth, is_ambiguous_punct, is_cjk_side, is_han, is_west};
use crate::doc::Inline;

/// Normalise one paragraph's (heading's, cell's …) inlines.
pub fn normalize(mut inlines: Vec<Inline>) -> Vec<Inline> {
    pair_quotes(&mut inlines);
    let leaves = collect_leaves(&inlines, 0);
    let joins = boundary_joins(&leaves);
    let mut counter = 0;
    let mut out = apply_joins(inlines, &leaves, &joins, &mut counter);
    trim_paragraph_edges(&mut out);
    out
}

/// How two pieces of text meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Join {
    Nothing,
    Space,
    Autospace,
}

fn join(p: Option<char>, n: Option<char>, ws: bool) -> Join {
    match (p, n) {
        (Some(p), Some(n)) => {
            if (is_han(p) && is_west(n)) || (is_west(p) && is_han(n)) {
                Join::Autospace
            } else if is_cjk_side(p)
                || is_cjk_side(n)
                || (is_ambiguous_punct(p) && is_cjk_side(n))
                || (is_ambiguous_punct(n) && is_cjk_side(p))
            {
                Join::Nothing
            } else if ws {
                Join::Space
            } else {
                Join::Nothing
            }
        }
        // One side is an object (citation, note mark, image): keep a typed space only in Latin text.
        (Some(c), None) | (None, Some(c)) if ws && !is_cjk_side(c) && !is_ambiguous_punct(c) => {
            Join::Space
        }
        _ => Join::Nothing,
    }
}

#[derive(Debug, Clone)]
struct Leaf {
    first: Option<char>,
    last: Option<char>,
    lead_ws: bool,
    trail_ws: bool,
    /// A text leaf that is only whitespace.
    blank: bool,
    /// A hard break: nothing joins across it.
    hard: bool,
    depth: usize,
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n')
}

fn collect_leaves(inlines: &[Inline], depth: usize) -> Vec<Leaf> {
    let mut out = Vec::new();
    for i in inlines {
        let leaf = |first, last, lead_ws, trail_ws, blank, hard| Leaf {
            first,
            last,
            lead_ws,
            trail_ws,
            blank,
            hard,
            depth,
        };
        match i {
            Inline::Text(t) => {
                let trimmed = t.trim_matches(is_ws);
                out.push(leaf(
                    trimmed.chars().next(),
                    trimmed.chars().next_back(),
                    t.starts_with(is_ws),
                    t.ends_with(is_ws),
                    trimmed.is_empty(),
                    false,
                ));
            }
            Inline::Code(t) => {
                let edge = |c: Option<char>| c.map(|c| if is_han(c) { c } else { 'a' });
                out.push(leaf(
                    edge(t.chars().next()),
                    edge(t.chars().next_back()),
                    false,
                    false,
                    false,
                    false,
                ));
            }
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => {
                out.extend(collect_leaves(c, depth + 1))
            }
            Inline::Link { content, .. } => out.extend(collect_leaves(content, depth + 1)),
            Inline::LineBreak => out.push(leaf(None, None, false, false, false, true)),
            Inline::Autospace | Inline::Cite(_) | Inline::FootnoteRef { .. } | Inline::Image(_) => {
                out.push(leaf(None, None, false, false, false, false))
            }
        }
    }
    out
}

/// Where a join goes: after leaf `i` or before leaf `i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    After(usize),
    Before(usize),
}

fn boundary_joins(leaves: &[Leaf]) -> Vec<(Place, Join)> {
    let mut joins = Vec::new();
    let mut prev: Option<usize> = None;
    let mut ws_between = false;
    for (i, leaf) in leaves.iter().enumerate() {
        if leaf.blank {
            ws_between = true;
            continue;
        }
        if let Some(p) = prev {
            let a = &leaves[p];
            let ws = a.trail_ws || ws_between || leaf.lead_ws;
            let j = if a.hard || leaf.hard {
                Join::Nothing
            } else {
                join(a.last, leaf.first, ws)
            };
            if j != Join::Nothing {
                let place = if a.depth <= leaf.depth {
                    Place::After(p)
                } else {
                    Place::Before(i)
                };
                joins.push((place, j));
            }
        }
        prev = Some(i);
        ws_between = false;
    }
    joins
}

fn join_inline(j: Join) -> Inline {
    match j {
        Join::Autospace => Inline::Autospace,
        _ => Inline::Text(" ".into()),
    }
}

fn apply_joins(
    inlines: Vec<Inline>,
    leaves: &[Leaf],
    joins: &[(Place, Join)],
    counter: &mut usize,
) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        let is_leaf = !matches!(
            inline,
            Inline::Emph(_) | Inline::Strong(_) | Inline::Strike(_) | Inline::Link { .. }
        );
        if is_leaf {
            let idx = *counter;
            *counter += 1;
            for (_, j) in joins.iter().filter(|(p, _)| *p == Place::Before(idx)) {
                out.push(join_inline(*j));
            }
            match inline {
                Inline::Text(t) => {
                    let inner = interior(t.trim_matches(is_ws));
                    if !inner.is_empty() && !leaves[idx].blank {
                        out.extend(inner);
                    }
                }
                other => out.push(other),
            }
            for (_, j) in joins.iter().filter(|(p, _)| *p == Place::After(idx)) {
                out.push(join_inline(*j));
            }
        } else {
            out.push(match inline {
                Inline::Emph(c) => Inline::Emph(apply_joins(c, leaves, joins, counter)),
                Inline::Strong(c) => Inline::Strong(apply_joins(c, leaves, joins, counter)),
                Inline::Strike(c) => Inline::Strike(apply_joins(c, leaves, joins, counter)),
                Inline::Link {
                    target,
                    content,
                    span,
                } => Inline::Link {
                    target,
                    content: apply_joins(content, leaves, joins, counter),
                    span,
                },
                other => other,
            });
        }
    }
    merge_text(out)
}

/// Latin units that a number is tied to with a no-break space (`100 km`, typography.md §1.3).
const UNITS: &[&str] = &[
    "km", "m", "cm", "mm", "nm", "kg", "g", "mg", "s", "ms", "us", "ns", "h", "min", "B", "KB",
    "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "Hz", "kHz", "MHz", "GHz", "W", "kW", "V",
    "K", "pt", "px", "dpi", "FLOPs",
];

/// Normalise the inside of one text leaf (its edges are already trimmed).
fn interior(t: &str) -> Vec<Inline> {
    let chars: Vec<char> = t.chars().map(fold_fullwidth).collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_ws(c) {
            let start = i;
            while i < chars.len() && is_ws(chars[i]) {
                i += 1;
            }
            let p = chars[..start].last().copied();
            let n = chars.get(i).copied();
            match join(p, n, true) {
                Join::Autospace => {
                    flush(&mut cur, &mut out);
                    out.push(Inline::Autospace);
                }
                Join::Space => {
                    let word: String = chars[i..]
                        .iter()
                        .take_while(|c| c.is_ascii_alphabetic())
                        .collect();
                    let tie =
                        p.is_some_and(|p| p.is_ascii_digit()) && UNITS.contains(&word.as_str());
                    cur.push(if tie { '\u{a0}' } else { ' ' });
                }
                Join::Nothing => {}
            }
            continue;
        }
        if c == '\u{2015}' && chars.get(i + 1) == Some(&'\u{2015}') {
            cur.push_str("——");
            i += 2;
            continue;
        }
        cur.push(c);
        if let Some(&n) = chars.get(i + 1)
            && !is_ws(n)
            && join(Some(c), Some(n), false) == Join::Autospace
        {
            flush(&mut cur, &mut out);
            out.push(Inline::Autospace);
        }
        i += 1;
    }
    flush(&mut cur, &mut out);
    out
}

fn flush(cur: &mut String, out: &mut Vec<Inline>) {
    if !cur.is_empty() {
        out.push(Inline::Text(std::mem::take(cur)));
    }
}

fn merge_text(v: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(v.len());
    for i in v {
        match (out.last_mut(), i) {
            (Some(Inline::Text(a)), Inline::Text(b)) => a.push_str(&b),
            (Some(Inline::Autospace), Inline::Autospace) => {}
            (_, i) => out.push(i),
        }
    }
    out
}

/// Drop spaces and typed indentation (U+3000, spaces) at the start and spaces at the end of the run.
fn trim_paragraph_edges(v: &mut Vec<Inline>) {
    while let Some(Inline::Autospace) = v.first() {
        v.remove(0);
    }
    if let Some(Inline::Text(t)) = v.first_mut() {
        *t = t
            .trim_start_matches([' ', '\u{3000}', '\u{a0}'])
            .to_string();
        if t.is_empty() {
            v.remove(0);
        }
    }
    while let Some(Inline::Autospace) = v.last() {
        v.pop();
    }
    if let Some(Inline::Text(t)) = v.last_mut() {
        *t = t.trim_end_matches(' ').to_string();
        if t.is_empty() {
            v.pop();
        }
    }
}

/// Pair ASCII `"` and `'` into curly quotes, reading context across markup. Chinese text gets `“ ”` where
/// CommonMark's flanking rules would give `的”布朗桥”`; `don't` keeps its apostrophe.
fn pair_quotes(inlines: &mut [Inline]) {
    // The paragraph as one char stream; non-text leaves are U+FFFC.
    let mut stream = Vec::new();
    stream_of(inlines, &mut stream);
    if !stream.iter().any(|c| matches!(c, '"' | '\'')) {
        return;
    }
    let (mut double_open, mut single_open) = (false, false);
    for i in 0..stream.len() {
        let c = stream[i];
        if c != '"' && c != '\'' {
            continue;
        }
        let p = i.checked_sub(1).map(|j| stream[j]);
        let n = stream.get(i + 1).copied();
        if c == '\'' && p.is_some_and(char::is_alphanumeric) && n.is_some_and(char::is_alphanumeric)
        {
            stream[i] = '’';
            continue;
        }
        let state = if c == '"' {
            &mut double_open
        } else {
            &mut single_open
        };
        let opens_after = |p: char| {
            is_ws(p)
                || matches!(
                    p,
                    '(' | '['
                        | '{'
                        | '（'
                        | '“'
                        | '‘'
                        | '—'
                        | '-'
                        | '/'
                        | '：'
                        | '，'
                        | '、'
                        | '。'
                )
        };
        let open = match (p, n) {
            (None, _) => true,
            (Some(p), _) if opens_after(p) => true,
            (_, None) => false,
            (_, Some(n)) if is_ws(n) => false,
            _ => !*state,
        };
        *state = open;
        stream[i] = match (c, open) {
            ('"', true) => '“',
            ('"', false) => '”',
            (_, true) => '‘',
            (_, false) => '’',
        };
    }
    let mut pos = 0;
    write_back(inlines, &stream, &mut pos);
}

fn stream_of(inlines: &[Inline], out: &mut Vec<char>) {
    for i in inlines {
        match i {
            Inline::Text(t) => out.extend(t.chars()),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => stream_of(c, out),
            Inline::Link { content, .. } => stream_of(content, out),
            Inline::Code(t) => out.extend(t.chars().map(|_| '\u{fffc}')),
            _ => out.push('\u{fffc}'),
        }
    }
}

fn write_back(inlines: &mut [Inline], stream: &[char], pos: &mut usize) {
    for i in inlines {
        match i {
            Inline::Text(t) => {
                let n = t.chars().count();
                *t = stream[*pos..*pos + n].iter().collect();
                *pos += n;
            }
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => write_back(c, stream, pos),
            Inline::Link { content, .. } => write_back(content, stream, pos),
            Inline::Code(t) => *pos += t.chars().count(),
            _ => *pos += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Render inlines compactly: autospace as `␣`, markup as `*…*` / `**…**`.
    fn show(v: &[Inline]) -> String {
        v.iter()
            .map(|i| match i {
                Inline::Text(t) => t.clone(),
                Inline::Autospace => "␣".into(),
                Inline::Strong(c) => format!("**{}**", show(c)),
                Inline::Emph(c) => format!("*{}*", show(c)),
                Inline::Code(c) => format!("`{c}`"),
                Inline::LineBreak => "⏎".into(),
                _ => "¤".into(),
            })
            .collect()
    }

    fn norm(s: &str) -> String {
        show(&normalize(vec![Inline::Text(s.into())]))
    }

    #[test]
    fn typography_case_28_source_spaces_are_normalised() {
        assert_eq!(norm("我用 Rust 写 代码"), "我用␣Rust␣写代码");
        assert_eq!(norm("我用Rust写代码"), "我用␣Rust␣写代码");
    }

    #[test]
    fn typography_case_29_no_autospace_next_to_punctuation() {
        assert_eq!(norm("使用Rust，很好"), "使用␣Rust，很好");
        assert_eq!(norm("（Rust）"), "（Rust）");
        assert_eq!(norm("的“Rust”"), "的“Rust”");
    }

    #[test]
    fn typography_case_30_ideograph_numeric() {
        assert_eq!(norm("共3个"), "共␣3␣个");
        assert_eq!(norm("2024年"), "2024␣年");
        assert_eq!(norm("50%的"), "50%的");
    }

    #[test]
    fn typography_case_32_soft_breaks() {
        assert_eq!(norm("中文\n中文"), "中文中文");
        assert_eq!(norm("标点\n“引号”"), "标点“引号”");
        assert_eq!(norm("word\n，标点"), "word，标点");
        assert_eq!(norm("中文\nEnglish"), "中文␣English");
        assert_eq!(norm("English\nword"), "English word");
    }

    #[test]
    fn typography_case_33_indent_fullwidth_and_dashes() {
        assert_eq!(norm("　　２０２４年，他用――"), "2024␣年，他用——");
    }

    #[test]
    fn autospace_across_markup_sits_outside_it() {
        let v = normalize(vec![
            Inline::Text("使用".into()),
            Inline::Strong(vec![Inline::Text("Rust".into())]),
            Inline::Text("编写".into()),
        ]);
        assert_eq!(show(&v), "使用␣**Rust**␣编写");
        let v = normalize(vec![
            Inline::Text("我用 ".into()),
            Inline::Code("cargo".into()),
            Inline::Text(" 构建".into()),
        ]);
        assert_eq!(show(&v), "我用␣`cargo`␣构建");
    }

    #[test]
    fn chinese_quotes_pair() {
        assert_eq!(norm("的\"布朗桥\"，"), "的“布朗桥”，");
        assert_eq!(norm("\"布朗桥\"是"), "“布朗桥”是");
        assert_eq!(norm("he said \"don't\" twice"), "he said “don’t” twice");
    }

    #[test]
    fn units_are_tied() {
        assert_eq!(norm("长度为100 km的路"), "长度为␣100\u{a0}km␣的路");
        assert_eq!(norm("300 万"), "300␣万");
    }

    #[test]
    fn spaces_between_han_go() {
        assert_eq!(norm("中 文， 标点 。"), "中文，标点。");
        assert_eq!(norm("Hello   World"), "Hello World");
    }
}
