//! Chinese typography lints (typography.md §5) for `folio check`, on the text of the Markdown source
//! outside code, URLs and link destinations. Each finding is a warning at its place with the fix.

use super::chars::{is_cjk_side, is_han};
use crate::diag::{Diagnostic, FileId, Span};

/// Lint one text event: `text` as written, starting at byte `at` of the file.
pub fn lint(text: &str, at: usize, file: FileId, out: &mut Vec<Diagnostic>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (off, c) = chars[i];
        let prev = i.checked_sub(1).map(|j| chars[j].1);
        let next = chars.get(i + 1).map(|&(_, c)| c);
        let han_before = prev.is_some_and(is_han);
        let han_after = next.is_some_and(is_han);
        let span = |len: usize| Span::new(file, at + off..at + off + len);
        // `len` bytes from here are replaced by `with` under `folio check --fix`.
        let mut warn = |len: usize, msg: String, hint: String, with: &str| {
            out.push(
                Diagnostic::warning(msg)
                    .at(span(len))
                    .hint(hint)
                    .fix(span(len), with),
            );
        };
        match c {
            '.' if text[off..].starts_with("...")
                && (han_before || chars.get(i + 3).is_some_and(|&(_, c)| is_cjk_side(c))) =>
            {
                warn(
                    3,
                    "`...` in Chinese text".into(),
                    "write the Chinese ellipsis `……`".into(),
                    "……",
                );
                i += 3;
                continue;
            }
            '。' if text[off..].starts_with("。。。") => {
                warn(
                    9,
                    "`。。。` used as an ellipsis".into(),
                    "write the Chinese ellipsis `……`".into(),
                    "……",
                );
                i += 3;
                continue;
            }
            ',' | '.' | ';' | ':' | '?' | '!'
                if han_before && (han_after || next.is_none_or(|n| n == ' ' || n == '\n')) =>
            {
                let full = match c {
                    ',' => '，',
                    '.' => '。',
                    ';' => '；',
                    ':' => '：',
                    '?' => '？',
                    _ => '！',
                };
                warn(
                    1,
                    format!("ASCII `{c}` after a Chinese character"),
                    format!("use the full-width `{full}`"),
                    &full.to_string(),
                );
            }
            '(' if han_before
                || (han_after
                    && chars
                        .iter()
                        .skip(i)
                        .take_while(|&&(_, c)| c != ')')
                        .any(|&(_, c)| is_han(c))) =>
            {
                warn(
                    1,
                    "ASCII `(` in Chinese text".into(),
                    "use the full-width `（ … ）`".into(),
                    "（",
                );
            }
            ')' if han_after => warn(
                1,
                "ASCII `)` in Chinese text".into(),
                "use the full-width `（ … ）`".into(),
                "）",
            ),
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
                let ascii = super::chars::fold_fullwidth(c);
                warn(
                    c.len_utf8(),
                    format!("full-width `{c}`"),
                    format!("write the ASCII `{ascii}` (folio folds it in the output)"),
                    &ascii.to_string(),
                );
            }
            '\u{2015}' => {
                let pair = next == Some('\u{2015}');
                warn(
                    if pair { 6 } else { 3 },
                    "`―` (U+2015) used as a dash".into(),
                    "write `——` (two U+2014)".into(),
                    if pair { "——" } else { "—" },
                );
                i += usize::from(pair);
            }
            '\u{3000}' if off == 0 || prev == Some('\n') => {
                let run = text[off..].chars().take_while(|&c| c == '\u{3000}').count();
                warn(
                    3 * run,
                    "paragraph indented with U+3000".into(),
                    "remove it: the 2 em indent comes from the style".into(),
                    "",
                );
            }
            ' ' if han_before && han_after => {
                warn(
                    1,
                    "space between two Chinese characters".into(),
                    "remove it (folio drops it in the output)".into(),
                    "",
                );
            }
            _ => {}
        }
        i += 1;
    }
}

/// Whether the Chinese quotes of a paragraph pair up (every `“` closed by a later `”`, and `‘ ’` alike).
pub fn quotes_balanced(text: &str) -> bool {
    let (mut double, mut single) = (0i32, 0i32);
    for c in text.chars() {
        match c {
            '“' => double += 1,
            '”' => double -= 1,
            '‘' => single += 1,
            '’' => single -= 1,
            _ => {}
        }
        if double < 0 {
            return false;
        }
    }
    double == 0 && single >= 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hints(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        lint(s, 0, FileId(0), &mut out);
        out.into_iter()
            .map(|d| format!("{}@{}", d.message, d.span.unwrap().range.start))
            .collect()
    }

    #[test]
    fn finds_what_typography_5_lists() {
        assert_eq!(
            hints("中文,中文"),
            ["ASCII `,` after a Chinese character@6"]
        );
        assert_eq!(hints("等等...好"), ["`...` in Chinese text@6"]);
        assert_eq!(
            hints("２０２４年"),
            [
                "full-width `２`@0",
                "full-width `０`@3",
                "full-width `２`@6",
                "full-width `４`@9"
            ]
        );
        assert_eq!(hints("　　开头"), ["paragraph indented with U+3000@0"]);
        assert_eq!(hints("他用――"), ["`―` (U+2015) used as a dash@6"]);
        let mut out = Vec::new();
        lint("他用――，共２个", 0, FileId(0), &mut out);
        let fixes: Vec<(std::ops::Range<usize>, String)> = out
            .into_iter()
            .filter_map(|d| d.fix)
            .map(|f| (f.0.range.clone(), f.1.clone()))
            .collect();
        assert_eq!(
            fixes,
            [(6..12, "——".to_string()), (18..21, "2".to_string())]
        );
        assert_eq!(hints("中 文"), ["space between two Chinese characters@3"]);
        assert_eq!(
            hints("看(注意)吧"),
            [
                "ASCII `(` in Chinese text@3",
                "ASCII `)` in Chinese text@10"
            ]
        );
        assert!(
            !quotes_balanced("他说”好“")
                && !quotes_balanced("他说“好")
                && quotes_balanced("“一”“二”")
        );
    }

    #[test]
    fn leaves_latin_and_numbers_alone() {
        assert!(hints("Hello, world. See f(x) and 3.14 or v1.2...").is_empty());
        assert!(hints("中文 Rust，好。“引号”").is_empty());
    }
}
