//! highlight: fenced code → coloured spans per line, shared by the EPUB and PDF writers.
//!
//! Stage: called by the writers while rendering a `Block::Code`. Input: the code text and its
//! language tag (`rust`, `py`, `sh` …). Output: one `Vec<Span>` per source line (no newline
//! characters inside spans), each span with a colour and bold/italic flags.
//!
//! Colours come from syntect's light `InspiredGITHub` theme, darkened where needed so every colour
//! keeps a contrast ratio of at least 4.5:1 on white paper (WCAG AA): on e-ink, pale colours turn
//! into unreadable light grey. Unknown languages and highlighting errors give plain text in the
//! default foreground, never an error.

use std::sync::OnceLock;
use syntect::easy::HighlightLines;
use syntect::highlighting::{FontStyle, Theme, ThemeSet};
use syntect::parsing::SyntaxSet;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#1f2328`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// The default text colour of code (near-black).
pub const FOREGROUND: Rgb = Rgb(0x24, 0x29, 0x2e);

/// A run of code text in one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub color: Rgb,
    pub bold: bool,
    pub italic: bool,
}

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| {
        let mut set = ThemeSet::load_defaults();
        set.themes
            .remove("InspiredGitHub")
            .or_else(|| set.themes.remove("base16-ocean.light"))
            .unwrap_or_default()
    })
}

/// Highlight `code` as `lang`. Always returns one entry per line of `code` (a trailing newline does
/// not start an extra line); spans of a line never contain `\n`.
pub fn highlight(code: &str, lang: Option<&str>) -> Vec<Vec<Span>> {
    let set = syntaxes();
    let syntax = lang.map(str::trim).filter(|l| !l.is_empty()).and_then(|l| {
        set.find_syntax_by_token(l)
            .or_else(|| set.find_syntax_by_token(&l.to_ascii_lowercase()))
    });
    let mut lines = Vec::new();
    let Some(syntax) = syntax else {
        return plain(code);
    };
    let mut h = HighlightLines::new(syntax, theme());
    for line in code.split_inclusive('\n') {
        let Ok(regions) = h.highlight_line(line, set) else {
            return plain(code);
        };
        let mut spans: Vec<Span> = Vec::new();
        for (style, text) in regions {
            let text = text.trim_end_matches(['\n', '\r']);
            if text.is_empty() {
                continue;
            }
            let c = style.foreground;
            let span = Span {
                text: text.to_string(),
                color: readable(Rgb(c.r, c.g, c.b)),
                bold: style.font_style.contains(FontStyle::BOLD),
                italic: style.font_style.contains(FontStyle::ITALIC),
            };
            match spans.last_mut() {
                Some(last)
                    if (last.color, last.bold, last.italic)
                        == (span.color, span.bold, span.italic) =>
                {
                    last.text.push_str(&span.text)
                }
                _ => spans.push(span),
            }
        }
        lines.push(spans);
    }
    lines
}

fn plain(code: &str) -> Vec<Vec<Span>> {
    code.lines()
        .map(|l| {
            if l.is_empty() {
                Vec::new()
            } else {
                vec![Span {
                    text: l.to_string(),
                    color: FOREGROUND,
                    bold: false,
                    italic: false,
                }]
            }
        })
        .collect()
}

fn luminance(c: Rgb) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// Darken `c` until its contrast with white is at least 4.5:1.
fn readable(mut c: Rgb) -> Rgb {
    for _ in 0..32 {
        if 1.05 / (luminance(c) + 0.05) >= 4.5 {
            return c;
        }
        let d = |v: u8| (f64::from(v) * 0.9) as u8;
        c = Rgb(d(c.0), d(c.1), d(c.2));
    }
    FOREGROUND
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_keywords_get_a_colour_and_lines_are_kept() {
        let lines = highlight("fn main() {\n    let x = 1;\n}\n", Some("rust"));
        assert_eq!(lines.len(), 3);
        let text: Vec<String> = lines
            .iter()
            .map(|l| l.iter().map(|s| s.text.as_str()).collect())
            .collect();
        assert_eq!(text, ["fn main() {", "    let x = 1;", "}"]);
        let fn_span = &lines[0][0];
        assert_eq!(fn_span.text.trim(), "fn");
        assert_ne!(fn_span.color, FOREGROUND);
        assert!(lines.iter().flatten().all(|s| !s.text.contains('\n')));
    }

    #[test]
    fn unknown_language_is_plain_and_colours_are_readable() {
        let lines = highlight("a < b\n\nc", Some("no-such-lang"));
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0][0].color, FOREGROUND);
        assert!(lines[1].is_empty());
        assert!(1.05 / (luminance(readable(Rgb(0xff, 0xee, 0x00))) + 0.05) >= 4.5);
    }
}
