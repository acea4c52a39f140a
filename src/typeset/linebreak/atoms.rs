//! Test helpers: the §9 width model and a string → atoms converter.
//!
//! The real pipeline gets its atoms from the shaper after the loader has normalised the text
//! (§4, §5). [`atoms_from_str`] does a compact version of that normalisation so that the §9
//! table can be written as plain strings:
//! - leading U+3000/spaces stripped; full-width ASCII letters and digits folded; U+2015 → U+2014;
//!   `**` emphasis delimiters dropped (markup is transparent to spacing, §4);
//! - `⏎` is a soft line break (§5.1), `↵` a hard break;
//! - at a HAN↔WEST boundary, typed spaces, soft breaks or nothing give one `Autospace` (§4);
//! - spaces between two HAN or next to a full-width mark are removed;
//! - a number, a space and a short Latin unit (`100 km`) give a `NoBreakSpace`;
//! - other spaces are word `Space`s;
//! - URLs (`http://…`, `https://…`, `www.…`, up to the first non-ASCII or space) and code spans
//!   in backticks are marked `url`.

use super::class::{is_han, is_west, is_wide};
use super::{Atom, AtomKind};

/// The §9 width model, in em: HAN and full-width marks 1, `·` `／` `/` `–` 0.5, WEST letters,
/// digits and other ASCII 0.5, ASCII space 0.25 (a LONG part is 1 em, so `——` = 2 em).
pub fn model_width(c: char) -> f32 {
    match c {
        ' ' => 0.25,
        '·' | '・' | '‧' | '/' | '／' | '–' => 0.5,
        _ if is_wide(c) => 1.0,
        _ => 0.5,
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Item {
    Ch(char, bool),
    /// A run of white space; `true` if it holds a soft line break.
    Ws(bool),
    Hard,
}

fn prenormalise(s: &str) -> Vec<Item> {
    let s = s
        .trim_start_matches(['\u{3000}', ' ', '\t'])
        .replace("**", "");
    let chars: Vec<char> = s
        .chars()
        .map(|c| match c as u32 {
            0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            0x2015 => '—',
            _ => c,
        })
        .collect();
    let mut items: Vec<Item> = Vec::new();
    let mut i = 0;
    let mut code = false;
    while let Some(&c) = chars.get(i) {
        let rest: String = chars[i..chars.len().min(i + 8)].iter().collect();
        if c == '`' {
            code = !code;
            i += 1;
            continue;
        }
        if !code
            && (rest.starts_with("http://")
                || rest.starts_with("https://")
                || rest.starts_with("www."))
        {
            while let Some(&u) = chars.get(i) {
                if !u.is_ascii_graphic() {
                    break;
                }
                items.push(Item::Ch(u, true));
                i += 1;
            }
            continue;
        }
        let item = match c {
            ' ' | '\t' if !code => Item::Ws(false),
            '⏎' | '\n' => Item::Ws(true),
            '↵' => Item::Hard,
            _ => Item::Ch(c, code),
        };
        match (items.last_mut(), item) {
            (Some(Item::Ws(soft)), Item::Ws(s2)) => *soft |= s2,
            _ => items.push(item),
        }
        i += 1;
    }
    items
}

fn hanlike(c: char) -> bool {
    is_han(c) || c == '々'
}

fn boundary(p: char, n: char) -> bool {
    (hanlike(p) && is_west(n)) || (is_west(p) && hanlike(n))
}

fn cjk_punct(c: char) -> bool {
    is_wide(c) && !hanlike(c) && !is_west(c)
}

/// A short Latin unit word starts at `items[k]` (`km`, `kg`, `GB`…, at most 3 letters).
fn unit_at(items: &[Item], k: usize) -> bool {
    let mut len = 0;
    for it in items.iter().skip(k) {
        match it {
            Item::Ch(c, _) if c.is_ascii_alphabetic() => len += 1,
            _ => break,
        }
    }
    (1..=3).contains(&len)
}

/// Convert a test string into atoms (see the module doc). `width_fn` gives a character's natural
/// advance in em; atoms get `width_fn(c) * em` pt.
pub fn atoms_from_str(s: &str, em: f32, width_fn: impl Fn(char) -> f32) -> Vec<Atom> {
    let items = prenormalise(s);
    let mut out: Vec<Atom> = Vec::new();
    let mut prev: Option<char> = None; // last character emitted since the last hard break
    let mut pending: Option<bool> = None; // white space seen since `prev` (soft?)
    for (k, it) in items.iter().enumerate() {
        match *it {
            Item::Ws(soft) => {
                if prev.is_some() {
                    pending = Some(pending.unwrap_or(false) | soft);
                }
            }
            Item::Hard => {
                out.push(Atom::hard_break(em));
                prev = None;
                pending = None;
            }
            Item::Ch(n, url) => {
                if let Some(p) = prev {
                    let glue = match pending {
                        _ if boundary(p, n) => Some(AtomKind::Autospace),
                        None => None,
                        Some(true) => {
                            if (is_wide(p) && is_wide(n)) || cjk_punct(p) || cjk_punct(n) {
                                None
                            } else {
                                Some(AtomKind::Space)
                            }
                        }
                        Some(false) => {
                            if (hanlike(p) && hanlike(n)) || cjk_punct(p) || cjk_punct(n) {
                                None
                            } else if p.is_ascii_digit() && unit_at(&items, k) {
                                Some(AtomKind::NoBreakSpace)
                            } else {
                                Some(AtomKind::Space)
                            }
                        }
                    };
                    match glue {
                        Some(AtomKind::Autospace) => out.push(Atom::autospace(em)),
                        Some(kind) => out.push(Atom::new(kind, width_fn(' ') * em, em)),
                        None => {}
                    }
                }
                let mut a = Atom::char(n, width_fn(n) * em, em);
                a.url = url;
                out.push(a);
                prev = Some(n);
                pending = None;
            }
        }
    }
    out
}

/// Render atoms as text: characters as themselves, `Space`/`NoBreakSpace` as ` `, `Autospace`
/// as `␣`, objects as `□`, hard breaks as `↵`.
pub fn render(atoms: &[Atom]) -> String {
    atoms
        .iter()
        .map(|a| match a.kind {
            AtomKind::Char(c) => c,
            AtomKind::Space | AtomKind::NoBreakSpace => ' ',
            AtomKind::Autospace => '␣',
            AtomKind::Object { .. } => '□',
            AtomKind::HardBreak => '↵',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> String {
        render(&atoms_from_str(s, 1.0, model_width))
    }

    #[test]
    fn normalisation() {
        assert_eq!(r("我用 Rust 写 代码"), "我用␣Rust␣写代码");
        assert_eq!(r("我用Rust写代码"), "我用␣Rust␣写代码");
        assert_eq!(r("使用Rust，很好"), "使用␣Rust，很好");
        assert_eq!(r("中文⏎中文"), "中文中文");
        assert_eq!(r("标点⏎“引号”"), "标点“引号”");
        assert_eq!(r("word⏎，标点"), "word，标点");
        assert_eq!(r("中文⏎English"), "中文␣English");
        assert_eq!(r("English⏎word"), "English word");
        assert_eq!(r("　　２０２４年，他用――"), "2024␣年，他用——");
        let a = atoms_from_str("长度为100 km的路", 1.0, model_width);
        assert_eq!(a[7].kind, AtomKind::NoBreakSpace);
        let a = atoms_from_str("见https://e.com/a。", 1.0, model_width);
        assert!(a[2].url && !a[0].url && !a.last().is_some_and(|x| x.url));
    }
}
