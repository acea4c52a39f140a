//! Character classes of typography.md §0, with the Chinese tailoring of §1.4.
//!
//! This is folio's own table; it deliberately does not use the UAX #14 / ICU defaults, which get
//! the quotes (QU), `·` (AI), `～` (ID), `／` (ID) and the single `—` (B2) wrong for GB text.
//! Context matters for two classes only: a `—` next to another `—` is part of a LONG `——`, a
//! single one is a CONN (no break before it); `…`/`⋯` runs are LONG units.

use super::{Atom, AtomKind, Strictness};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Han, Bopomofo, kana, `〇`, radicals, and anything else set in a 1 em frame with no rule.
    Han,
    /// The iteration mark `々`: a HAN that may not start a line (§1.2).
    Iter,
    /// Latin/Greek/Cyrillic letters and digits (also full-width ones if not normalised).
    West,
    /// OPEN 前标号 (`“ ‘ （ 《 …` and ASCII `( [ {`): ink right, blank left.
    Open,
    /// CLOSE 后标号 (`” ’ ） 》 …` and ASCII `) ] }`): ink left, blank right.
    Close,
    /// STOP marks that shrink at clreq step (5): `，、；：` and ASCII `, ; :`.
    StopComma,
    /// STOP marks that shrink last, step (7): `。．？！‼⁇⁈⁉` and ASCII `. ? !`.
    StopFull,
    /// DOT 间隔号 `· ・ ‧`: centred, no break before.
    Dot,
    /// CONN 连接号 `– — ～ 〜 ‐ -` (a single `—`): centred, no break before.
    Conn,
    /// SOLIDUS `/ ／`.
    Solidus,
    /// A part of a LONG unit `——` `⸺` `……` `⋯⋯`: no break inside.
    Long,
    /// PRE `￥ ¥ $ ＄ £ ￡ €`: no break after.
    Pre,
    /// POST `% ％ ‰ ℃ ° ′ ″`: no break before.
    Post,
    /// Any other character (ASCII symbols, emoji …).
    Other,
    /// An inline object (image, footnote mark).
    Object { glue_before: bool },
    /// Breakable word space.
    Space,
    /// No-break space.
    NbSpace,
    /// CJK–Latin autospace glue.
    Autospace,
    /// Hard line break.
    Hard,
}

impl Class {
    /// A full-width punctuation mark that has a blank half (§0).
    pub fn is_blank_mark(self) -> bool {
        matches!(
            self,
            Class::Open | Class::Close | Class::StopComma | Class::StopFull
        )
    }
    /// Breakable glue (the line breaks *at* it and it vanishes).
    pub fn is_glue(self) -> bool {
        matches!(self, Class::Space | Class::Autospace)
    }
    /// Punctuation for the orphan rule (a last line of one HAN "plus punctuation").
    pub fn is_punct(self) -> bool {
        matches!(
            self,
            Class::Open
                | Class::Close
                | Class::StopComma
                | Class::StopFull
                | Class::Dot
                | Class::Conn
                | Class::Solidus
                | Class::Long
        )
    }
}

/// HAN per §0: Han ideographs, Bopomofo, kana, `〇` (and `々`, classed [`Class::Iter`]).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF      // radicals, Kangxi radicals
        | 0x3007             // 〇
        | 0x3021..=0x3029    // Hangzhou numerals
        | 0x3041..=0x3096 | 0x309D..=0x309F // hiragana
        | 0x30A1..=0x30FA | 0x30FC..=0x30FF // katakana (not ・)
        | 0x3105..=0x312F | 0x31A0..=0x31BF // bopomofo
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF)
}

/// WEST per §0: Latin/Greek/Cyrillic letters and ASCII digits (and their full-width forms).
pub fn is_west(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c as u32, 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A)
        || (c.is_alphabetic()
            && matches!(c as u32, 0x00C0..=0x024F | 0x0370..=0x03FF | 0x0400..=0x052F | 0x1E00..=0x1EFF))
}

/// The character belongs to the CJK side of the text (1 em frames and the shared punctuation
/// that takes a CJK glyph in Chinese context, §3.4). Two non-wide characters in a row are
/// inside one Latin word or number: no break, no justification gap between them.
pub fn is_wide(c: char) -> bool {
    (c as u32) >= 0x2E80
        || matches!(
            c,
            '“' | '”'
                | '‘'
                | '’'
                | '—'
                | '―'
                | '…'
                | '⋯'
                | '⸺'
                | '·'
                | '‧'
                | '–'
                | '‼'
                | '⁇'
                | '⁈'
                | '⁉'
        )
}

/// The class of a character ignoring its neighbours (`—` comes back as CONN; see [`classify`]).
pub fn char_class(c: char) -> Class {
    match c {
        '“' | '‘' | '（' | '〔' | '［' | '｛' | '〈' | '《' | '「' | '『' | '【' | '〖' | '〘'
        | '〚' | '｟' | '(' | '[' | '{' => Class::Open,
        '”' | '’' | '）' | '〕' | '］' | '｝' | '〉' | '》' | '」' | '』' | '】' | '〗' | '〙'
        | '〛' | '｠' | ')' | ']' | '}' => Class::Close,
        '，' | '、' | '；' | '：' | ',' | ';' | ':' => Class::StopComma,
        '。' | '．' | '？' | '！' | '‼' | '⁇' | '⁈' | '⁉' | '.' | '?' | '!' => {
            Class::StopFull
        }
        '·' | '・' | '‧' => Class::Dot,
        '–' | '—' | '―' | '～' | '〜' | '‐' | '-' => Class::Conn,
        '/' | '／' => Class::Solidus,
        '⸺' | '…' | '⋯' => Class::Long,
        '￥' | '¥' | '$' | '＄' | '£' | '￡' | '€' => Class::Pre,
        '%' | '％' | '‰' | '℃' | '°' | '′' | '″' => Class::Post,
        '々' => Class::Iter,
        _ if is_han(c) => Class::Han,
        _ if is_west(c) => Class::West,
        _ => Class::Other,
    }
}

fn is_em_dash(c: Option<char>) -> bool {
    matches!(c, Some('—' | '―'))
}

/// Classes of every atom, resolving the context-dependent `—` (two in a row form LONG, a single
/// one is CONN, §1.4).
pub fn classify(atoms: &[Atom]) -> Vec<Class> {
    let mut out = Vec::with_capacity(atoms.len());
    for (i, a) in atoms.iter().enumerate() {
        let class = match a.kind {
            AtomKind::Char(c) if is_em_dash(Some(c)) => {
                let prev = i
                    .checked_sub(1)
                    .and_then(|j| atoms.get(j))
                    .and_then(Atom::ch);
                let next = atoms.get(i + 1).and_then(Atom::ch);
                if is_em_dash(prev) || is_em_dash(next) {
                    Class::Long
                } else {
                    Class::Conn
                }
            }
            AtomKind::Char(c) => char_class(c),
            AtomKind::Space => Class::Space,
            AtomKind::NoBreakSpace => Class::NbSpace,
            AtomKind::Autospace => Class::Autospace,
            AtomKind::Object { glue_before } => Class::Object { glue_before },
            AtomKind::HardBreak => Class::Hard,
        };
        out.push(class);
    }
    out
}

/// May a line start with this class (§1.2 at the given level)?
pub fn can_start(class: Class, strictness: Strictness) -> bool {
    match class {
        Class::StopComma
        | Class::StopFull
        | Class::Close
        | Class::Conn
        | Class::Dot
        | Class::Post
        | Class::Iter
        | Class::NbSpace
        | Class::Object { glue_before: true } => false,
        Class::Solidus => strictness == Strictness::Basic,
        Class::Long => strictness != Strictness::Strict,
        _ => true,
    }
}

/// May a line end with this character of this class (§1.3 at the given level)?
/// ASCII `/` never ends a line outside URLs (§1.4), whatever the level.
pub fn can_end(class: Class, c: Option<char>, strictness: Strictness) -> bool {
    match class {
        Class::Open | Class::Pre | Class::NbSpace => false,
        Class::Solidus => strictness == Strictness::Basic && c != Some('/'),
        _ => true,
    }
}

/// A STOP or CLOSE: set half-width at a line end (§3.3).
pub fn is_line_end_half(class: Class) -> bool {
    matches!(class, Class::Close | Class::StopComma | Class::StopFull)
}

/// Marks allowed to hang into the margin with `Options::hanging` (§3.3).
pub fn is_hangable(c: char) -> bool {
    matches!(c, '、' | '，' | '。' | '．')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cls(s: &str) -> Vec<Class> {
        let atoms: Vec<Atom> = s.chars().map(|c| Atom::char(c, 1.0, 1.0)).collect();
        classify(&atoms)
    }

    #[test]
    fn table_of_section_0() {
        assert_eq!(char_class('汉'), Class::Han);
        assert_eq!(char_class('か'), Class::Han);
        assert_eq!(char_class('〇'), Class::Han);
        assert_eq!(char_class('々'), Class::Iter);
        assert_eq!(char_class('A'), Class::West);
        assert_eq!(char_class('7'), Class::West);
        assert_eq!(char_class('“'), Class::Open);
        assert_eq!(char_class('‘'), Class::Open);
        assert_eq!(char_class('”'), Class::Close);
        assert_eq!(char_class('’'), Class::Close);
        assert_eq!(char_class('，'), Class::StopComma);
        assert_eq!(char_class('：'), Class::StopComma);
        assert_eq!(char_class('。'), Class::StopFull);
        assert_eq!(char_class('？'), Class::StopFull);
        assert_eq!(char_class('·'), Class::Dot);
        assert_eq!(char_class('～'), Class::Conn);
        assert_eq!(char_class('／'), Class::Solidus);
        assert_eq!(char_class('…'), Class::Long);
        assert_eq!(char_class('⸺'), Class::Long);
        assert_eq!(char_class('￥'), Class::Pre);
        assert_eq!(char_class('%'), Class::Post);
        assert_eq!(char_class('@'), Class::Other);
    }

    #[test]
    fn em_dash_context() {
        assert_eq!(cls("京—上")[1], Class::Conn);
        assert_eq!(cls("他——我")[1..3], [Class::Long, Class::Long]);
        assert_eq!(cls("―")[0], Class::Conn);
    }

    #[test]
    fn kinsoku_levels() {
        use Strictness::*;
        assert!(!can_start(Class::StopComma, Basic));
        assert!(!can_start(Class::Dot, Gb));
        assert!(can_start(Class::Solidus, Basic));
        assert!(!can_start(Class::Solidus, Gb));
        assert!(can_start(Class::Long, Gb));
        assert!(!can_start(Class::Long, Strict));
        assert!(!can_end(Class::Open, Some('（'), Basic));
        assert!(!can_end(Class::Solidus, Some('／'), Gb));
        assert!(can_end(Class::Solidus, Some('／'), Basic));
        assert!(!can_end(Class::Solidus, Some('/'), Basic));
        assert!(!can_end(Class::Pre, Some('$'), Gb));
    }

    #[test]
    fn wide_and_narrow() {
        assert!(is_wide('汉') && is_wide('，') && is_wide('“') && is_wide('—'));
        assert!(!is_wide('a') && !is_wide('.') && !is_wide('%'));
    }
}
