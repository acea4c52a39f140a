//! Citations in running text: `[@key]`, `[@a; @b]`, `[@key, p. 12]`, `[-@key]` and narrative `@key`,
//! glued to Chinese text with no spaces (`感知器[@jaegle2021perceiver]的思路`, `如@grill2020byol所示`).
//! A key follows BibTeX rules: letters, digits and `_`, with `-:.` allowed inside, so it ends at the first
//! character outside them (a Han character never becomes part of a key).

use crate::diag::{FileId, Span};
use crate::doc::{Citation, CiteItem, Inline};

fn key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '.')
}

/// The key starting at byte `i` of `s` (which must start right after `@`): its byte length, or 0.
fn key_len(s: &str, i: usize) -> usize {
    let rest = &s[i..];
    let Some(first) = rest.chars().next() else {
        return 0;
    };
    if !(first.is_ascii_alphanumeric() || first == '_') {
        return 0;
    }
    let mut len = rest.find(|c: char| !key_char(c)).unwrap_or(rest.len());
    // Internal punctuation only: `@key.` at the end of a sentence does not take the dot.
    while len > 0 && matches!(rest.as_bytes()[len - 1], b'-' | b':' | b'.') {
        len -= 1;
    }
    len
}

/// Parse a bracketed citation at `s[start..]` (which starts with `[`): the citation and its byte length.
fn bracketed(
    s: &str,
    start: usize,
    file: FileId,
    at: &dyn Fn(usize) -> usize,
) -> Option<(Citation, usize)> {
    let close = s[start..].find(']')? + start;
    let inner = &s[start + 1..close];
    if !inner.trim_start().starts_with('@') && !inner.trim_start().starts_with("-@") {
        return None;
    }
    let mut items = Vec::new();
    let mut offset = start + 1;
    for part in inner.split(';') {
        let lead = part.len() - part.trim_start().len();
        let body = part.trim();
        let item_start = offset + lead;
        let (suppress, after_dash) = match body.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, body),
        };
        let rest = after_dash.strip_prefix('@')?;
        let key_at = item_start + usize::from(suppress) + 1;
        let klen = key_len(s, key_at);
        if klen == 0 {
            return None;
        }
        let key = &s[key_at..key_at + klen];
        let tail = rest[klen..].trim();
        let locator = match tail.strip_prefix(',') {
            Some(loc) if !loc.trim().is_empty() => Some(loc.trim().to_string()),
            Some(_) => None,
            None if tail.is_empty() => None,
            None => return None,
        };
        items.push(CiteItem {
            key: key.to_string(),
            locator,
            suppress_author: suppress,
            span: Span::new(file, at(key_at - 1)..at(key_at + klen)),
        });
        offset += part.len() + 1;
    }
    let len = close + 1 - start;
    Some((
        Citation {
            items,
            narrative: false,
            span: Span::new(file, at(start)..at(close + 1)),
        },
        len,
    ))
}

/// Split text into plain text and citations. `at` maps a byte offset in `text` to one in the source file.
pub fn split(text: &str, file: FileId, at: &dyn Fn(usize) -> usize) -> Vec<Inline> {
    if !text.contains('@') {
        return vec![Inline::Text(text.to_string())];
    }
    let mut out = Vec::new();
    let mut plain_from = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < text.len() {
        let found = match bytes[i] {
            b'[' => bracketed(text, i, file, at),
            b'@' => {
                let prev = text[..i].chars().next_back();
                let glued_to_word =
                    prev.is_some_and(|p| p.is_ascii_alphanumeric() || matches!(p, '@' | '.' | '_'));
                let klen = if glued_to_word {
                    0
                } else {
                    key_len(text, i + 1)
                };
                (klen > 0).then(|| {
                    let key = &text[i + 1..i + 1 + klen];
                    let span = Span::new(file, at(i)..at(i + 1 + klen));
                    let item = CiteItem {
                        key: key.to_string(),
                        locator: None,
                        suppress_author: false,
                        span: span.clone(),
                    };
                    (
                        Citation {
                            items: vec![item],
                            narrative: true,
                            span,
                        },
                        1 + klen,
                    )
                })
            }
            _ => None,
        };
        match found {
            Some((cite, len)) => {
                if plain_from < i {
                    out.push(Inline::Text(text[plain_from..i].to_string()));
                }
                out.push(Inline::Cite(cite));
                i += len;
                plain_from = i;
            }
            None => i += text[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    if plain_from < text.len() {
        out.push(Inline::Text(text[plain_from..].to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cites(s: &str) -> Vec<String> {
        split(s, FileId(0), &|i| i)
            .into_iter()
            .map(|i| match i {
                Inline::Text(t) => format!("T:{t}"),
                Inline::Cite(c) => {
                    let keys: Vec<String> = c
                        .items
                        .iter()
                        .map(|it| {
                            format!(
                                "{}{}{}",
                                if it.suppress_author { "-" } else { "" },
                                it.key,
                                it.locator
                                    .as_deref()
                                    .map(|l| format!("|{l}"))
                                    .unwrap_or_default()
                            )
                        })
                        .collect();
                    format!("{}:{}", if c.narrative { "N" } else { "C" }, keys.join(";"))
                }
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn glued_to_chinese() {
        assert_eq!(
            cites("感知器[@jaegle2021perceiver]的思路"),
            ["T:感知器", "C:jaegle2021perceiver", "T:的思路"]
        );
        assert_eq!(
            cites("如@grill2020byol所示"),
            ["T:如", "N:grill2020byol", "T:所示"]
        );
    }

    #[test]
    fn forms() {
        assert_eq!(cites("[@a; @b]"), ["C:a;b"]);
        assert_eq!(cites("[@key, p. 12]"), ["C:key|p. 12"]);
        assert_eq!(cites("[-@key]"), ["C:-key"]);
        assert_eq!(cites("见 @doe:2020.x."), ["T:见 ", "N:doe:2020.x", "T:."]);
    }

    #[test]
    fn not_citations() {
        assert_eq!(cites("mail me@example.com"), ["T:mail me@example.com"]);
        assert_eq!(cites("[see here]"), ["T:[see here]"]);
        assert_eq!(cites("[@ key]"), ["T:[@ key]"]);
    }

    #[test]
    fn spans_point_at_the_key() {
        let out = split("中[@ab]", FileId(0), &|i| i + 100);
        let Inline::Cite(c) = &out[1] else { panic!() };
        assert_eq!(c.span.range, 103..108);
        assert_eq!(c.items[0].span.range, 104..107);
    }
}
