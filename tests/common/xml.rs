//! A strict, small XML 1.0 well-formedness checker for the documents folio writes (no DTD entities,
//! no internal subset), so tests can judge XHTML without an XML crate.
//!
//! Checked: every character is an XML `Char`; one root element; names are XML names; start and end
//! tags match; no attribute twice on an element; attribute values are quoted and hold no `<`; every `&`
//! starts `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` or a character reference to a legal `Char`; no `]]>`
//! in text; comments hold no `--`. [`check_xhtml`] also wants every `id` unique in the document.

use std::collections::BTreeSet;

/// `Ok` for a well-formed document; the error names the byte offset and what is wrong.
pub fn check_well_formed(doc: &str) -> Result<(), String> {
    Parser::new(doc).document().map(|_| ())
}

/// Well-formed, and no `id` value used twice.
pub fn check_xhtml(doc: &str) -> Result<(), String> {
    let ids = Parser::new(doc).document()?;
    let mut seen = BTreeSet::new();
    for id in ids {
        if !seen.insert(id.clone()) {
            return Err(format!("id '{id}' used twice"));
        }
    }
    Ok(())
}

fn is_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
        || ('\u{20}'..='\u{D7FF}').contains(&c)
        || ('\u{E000}'..='\u{FFFD}').contains(&c)
        || c >= '\u{10000}'
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic()
        || c == '_'
        || c == ':'
        || matches!(c as u32,
            0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x2FF | 0x370..=0x37D | 0x37F..=0x1FFF
            | 0x200C..=0x200D | 0x2070..=0x218F | 0x2C00..=0x2FEF | 0x3001..=0xD7FF
            | 0xF900..=0xFDCF | 0xFDF0..=0xFFFD | 0x10000..=0xEFFFF)
}

fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || c.is_ascii_digit()
        || c == '-'
        || c == '.'
        || c == '\u{B7}'
        || matches!(c as u32, 0x300..=0x36F | 0x203F..=0x2040)
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
    ids: Vec<String>,
}

impl<'a> Parser<'a> {
    fn new(s: &'a str) -> Self {
        Parser {
            s,
            pos: 0,
            ids: Vec::new(),
        }
    }

    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn err<T>(&self, what: &str) -> Result<T, String> {
        let around: String = self.rest().chars().take(40).collect();
        Err(format!("byte {}: {what} (at {around:?})", self.pos))
    }

    fn eat(&mut self, lit: &str) -> bool {
        if self.rest().starts_with(lit) {
            self.pos += lit.len();
            true
        } else {
            false
        }
    }

    fn skip_space(&mut self) -> bool {
        let n = self.rest().len()
            - self
                .rest()
                .trim_start_matches([' ', '\t', '\n', '\r'])
                .len();
        self.pos += n;
        n > 0
    }

    fn name(&mut self) -> Result<&'a str, String> {
        let start = self.pos;
        let mut chars = self.rest().char_indices();
        match chars.next() {
            Some((_, c)) if is_name_start(c) => {}
            _ => return self.err("expected a name"),
        }
        let len = chars
            .find(|&(_, c)| !is_name_char(c))
            .map_or(self.rest().len(), |(i, _)| i);
        self.pos += len;
        Ok(&self.s[start..self.pos])
    }

    /// Text up to `end` (consumed), every character checked.
    fn until(&mut self, end: &str, what: &str) -> Result<&'a str, String> {
        let Some(i) = self.rest().find(end) else {
            return self.err(&format!("unterminated {what}"));
        };
        let body = &self.rest()[..i];
        if let Some(c) = body.chars().find(|&c| !is_char(c)) {
            return self.err(&format!("U+{:04X} is not an XML character", c as u32));
        }
        self.pos += i + end.len();
        Ok(body)
    }

    fn document(mut self) -> Result<Vec<String>, String> {
        if self.eat("<?xml") {
            self.until("?>", "XML declaration")?;
        }
        self.misc()?;
        if self.eat("<!DOCTYPE") {
            let decl = self.until(">", "doctype")?;
            if decl.contains('[') {
                return self.err("internal DTD subsets are not expected");
            }
            self.misc()?;
        }
        if !self.rest().starts_with('<') {
            return self.err("expected the root element");
        }
        self.element()?;
        self.misc()?;
        if !self.rest().is_empty() {
            return self.err("content after the root element");
        }
        Ok(self.ids)
    }

    /// Comments, processing instructions and white space.
    fn misc(&mut self) -> Result<(), String> {
        loop {
            self.skip_space();
            if self.rest().starts_with("<!--") {
                self.comment()?;
            } else if self.rest().starts_with("<?") {
                self.pi()?;
            } else {
                return Ok(());
            }
        }
    }

    fn comment(&mut self) -> Result<(), String> {
        self.pos += 4;
        let body = self.until("-->", "comment")?;
        if body.contains("--") || body.ends_with('-') {
            return self.err("`--` inside a comment");
        }
        Ok(())
    }

    fn pi(&mut self) -> Result<(), String> {
        self.pos += 2;
        let target = self.name()?;
        if target.eq_ignore_ascii_case("xml") {
            return self.err("misplaced XML declaration");
        }
        self.until("?>", "processing instruction")?;
        Ok(())
    }

    /// A reference after `&` has been seen at `self.pos`.
    fn reference(&mut self) -> Result<(), String> {
        let Some(end) = self.rest().find(';') else {
            return self.err("`&` without `;`");
        };
        let body = &self.rest()[1..end];
        let ok = match body {
            "amp" | "lt" | "gt" | "quot" | "apos" => true,
            _ => {
                let n = if let Some(h) = body.strip_prefix("#x") {
                    (!h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
                        .then(|| u32::from_str_radix(h, 16).ok())
                        .flatten()
                } else if let Some(d) = body.strip_prefix('#') {
                    (!d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
                        .then(|| d.parse::<u32>().ok())
                        .flatten()
                } else {
                    None
                };
                n.and_then(char::from_u32).is_some_and(is_char)
            }
        };
        if !ok {
            return self.err(&format!("bad reference &{body};"));
        }
        self.pos += end + 1;
        Ok(())
    }

    fn element(&mut self) -> Result<(), String> {
        // An explicit stack: documents may nest deeper than the test thread's stack would allow.
        let mut open: Vec<&'a str> = Vec::new();
        self.pos += 1;
        let root = self.name()?;
        if self.attributes()? {
            return Ok(());
        }
        open.push(root);
        loop {
            let rest = self.rest();
            if rest.is_empty() {
                return self.err(&format!(
                    "end of document inside <{}>",
                    open.last().unwrap_or(&"")
                ));
            }
            if rest.starts_with("<!--") {
                self.comment()?;
            } else if rest.starts_with("<![CDATA[") {
                self.pos += 9;
                self.until("]]>", "CDATA section")?;
            } else if rest.starts_with("<?") {
                self.pi()?;
            } else if rest.starts_with("</") {
                self.pos += 2;
                let name = self.name()?;
                self.skip_space();
                if !self.eat(">") {
                    return self.err("expected `>` after the end tag's name");
                }
                match open.pop() {
                    Some(o) if o == name => {}
                    Some(o) => return self.err(&format!("</{name}> closes <{o}>")),
                    None => return self.err(&format!("</{name}> closes nothing")),
                }
                if open.is_empty() {
                    return Ok(());
                }
            } else if rest.starts_with('<') {
                self.pos += 1;
                let name = self.name()?;
                let empty = self.attributes()?;
                if !empty {
                    open.push(name);
                } else if open.is_empty() {
                    return Ok(());
                }
            } else if open.is_empty() {
                return self.err("text outside the root element");
            } else {
                self.text()?;
            }
        }
    }

    /// Attributes up to `>` or `/>`; true for an empty-element tag.
    fn attributes(&mut self) -> Result<bool, String> {
        let mut names: Vec<&str> = Vec::new();
        loop {
            let spaced = self.skip_space();
            if self.eat("/>") {
                return Ok(true);
            }
            if self.eat(">") {
                return Ok(false);
            }
            if !spaced {
                return self.err("expected white space before an attribute");
            }
            let name = self.name()?;
            if names.contains(&name) {
                return self.err(&format!("attribute {name} given twice"));
            }
            names.push(name);
            self.skip_space();
            if !self.eat("=") {
                return self.err("expected `=` after an attribute name");
            }
            self.skip_space();
            let quote = match self.rest().chars().next() {
                Some(q @ ('"' | '\'')) => q,
                _ => return self.err("attribute value not quoted"),
            };
            self.pos += 1;
            let start = self.pos;
            loop {
                match self.rest().chars().next() {
                    None => return self.err("unterminated attribute value"),
                    Some(c) if c == quote => break,
                    Some('<') => return self.err("`<` in an attribute value"),
                    Some('&') => self.reference()?,
                    Some(c) if !is_char(c) => {
                        return self.err(&format!("U+{:04X} is not an XML character", c as u32));
                    }
                    Some(c) => self.pos += c.len_utf8(),
                }
            }
            if name == "id" {
                self.ids.push(self.s[start..self.pos].to_string());
            }
            self.pos += 1;
        }
    }

    fn text(&mut self) -> Result<(), String> {
        loop {
            let rest = self.rest();
            match rest.chars().next() {
                None | Some('<') => return Ok(()),
                Some('&') => self.reference()?,
                Some(']') if rest.starts_with("]]>") => return self.err("`]]>` in text"),
                Some(c) if !is_char(c) => {
                    return self.err(&format!("U+{:04X} is not an XML character", c as u32));
                }
                Some(c) => self.pos += c.len_utf8(),
            }
        }
    }
}
