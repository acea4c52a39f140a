//! Small markup builders shared by the pages: footnote markers, hrefs from URLs, highlighted code
//! blocks, formatted reference text, and the test for English-only titles.

use super::xhtml::{Element, Node, el, text};
pub use crate::doc::note_marker;
use crate::refs::RefText;

/// A URL as an `href`: spaces and other characters no URL may hold are percent-encoded.
pub fn url_href(url: &str) -> String {
    let mut out = String::new();
    for c in url.trim().chars() {
        match c {
            ' ' | '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' => {
                out.push_str(&format!("%{:02X}", c as u32))
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A fenced code block with syntax colours as inline `style`s.
pub fn code_block(code: &str, lang: Option<&str>) -> Element {
    let mut inner = el("code");
    for (n, line) in crate::highlight::highlight(code, lang)
        .into_iter()
        .enumerate()
    {
        if n > 0 {
            inner.push(text("\n"));
        }
        for span in line {
            if span.color == crate::highlight::FOREGROUND && !span.bold && !span.italic {
                inner.push(text(span.text));
                continue;
            }
            let mut style = format!("color:{}", span.color.hex());
            if span.bold {
                style.push_str(";font-weight:bold");
            }
            if span.italic {
                style.push_str(";font-style:italic");
            }
            inner.push(el("span").attr("style", style).text(span.text));
        }
    }
    let mut pre = el("pre").attr("class", "code");
    if let Some(l) = lang.filter(|l| !l.trim().is_empty()) {
        pre = pre.attr("data-lang", l.trim());
    }
    pre.child(inner)
}

/// Formatted reference text (plain, italic and link runs).
pub fn ref_text(parts: &[RefText]) -> Vec<Node> {
    parts
        .iter()
        .map(|p| match p {
            RefText::Plain(s) => text(s.clone()),
            RefText::Italic(s) => el("i").text(s.clone()).into(),
            RefText::Link { text: t, url } => el("a")
                .attr("href", url_href(url))
                .attr("class", "url")
                .text(t.clone())
                .into(),
        })
        .collect()
}

/// True when `s` has Latin letters and no CJK (or other non-Latin) characters: an English title.
pub fn is_latin(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| (c as u32) < 0x0250 || ('\u{2000}'..='\u{206f}').contains(&c))
}
