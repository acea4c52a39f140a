//! Character classes the loader's normalisation needs (typography.md §0, §4, §5).

/// Han ideographs, kana, Bopomofo, 〇 and 々: the characters set in a 1 em frame.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3005..=0x3007 | 0x3021..=0x3029 | 0x3038..=0x303B | 0x3040..=0x30FF
        | 0x3100..=0x312F | 0x31A0..=0x31BF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Latin, Greek and Cyrillic letters and ASCII digits: the other side of an autospace boundary.
pub fn is_west(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (c.is_alphabetic()
            && matches!(c as u32, 0x00C0..=0x024F | 0x0370..=0x03FF | 0x0400..=0x04FF | 0x1E00..=0x1EFF))
}

/// Full-width and CJK punctuation: nothing is inserted next to these and spaces beside them go.
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x3004 | 0x3008..=0x3020 | 0x3030 | 0x303D | 0x30FB
        | 0xFE10..=0xFE19 | 0xFE30..=0xFE4F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40
        | 0xFF5B..=0xFF65 | 0xFFE0..=0xFFE6)
}

/// Marks shared by Chinese and Latin text (`“ ” ‘ ’ … — ·`): CJK-side when a neighbour is Chinese.
pub fn is_ambiguous_punct(c: char) -> bool {
    matches!(c, '“' | '”' | '‘' | '’' | '…' | '—' | '·' | '⋯' | '⸺' | '–')
}

/// Anything on the Chinese side of a boundary (for joining soft breaks and dropping spaces).
pub fn is_cjk_side(c: char) -> bool {
    is_han(c) || is_cjk_punct(c)
}

/// Full-width ASCII letters and digits fold to ASCII (never NFKC: full-width punctuation stays).
pub fn fold_fullwidth(c: char) -> char {
    match c as u32 {
        0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => {
            char::from_u32(c as u32 - 0xFF10 + 0x30).unwrap_or(c)
        }
        _ => c,
    }
}

/// Characters XML 1.0 forbids (they must never reach XHTML).
pub fn is_xml_forbidden(c: char) -> bool {
    matches!(c as u32, 0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0x7F | 0xFFFE | 0xFFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_han('中') && is_han('々') && !is_han('，'));
        assert!(is_west('R') && is_west('3') && is_west('é') && !is_west('中'));
        assert!(
            is_cjk_punct('，') && is_cjk_punct('（') && is_cjk_punct('》') && !is_cjk_punct(',')
        );
        assert_eq!(fold_fullwidth('２'), '2');
        assert_eq!(fold_fullwidth('Ａ'), 'A');
        assert_eq!(fold_fullwidth('ｚ'), 'z');
        assert_eq!(fold_fullwidth('，'), '，');
    }
}
