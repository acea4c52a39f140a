//! refs: citations → numbered marks and a formatted references list.
//!
//! Stage: after `load`, before the writers. Input: the [`Document`](crate::doc::Document)'s citations in reading
//! order and the bibliography files named in book.toml. Output: [`Resolved`]: one [`CiteMark`] per citation
//! and the [`Entry`] list in the order the style wants (first citation for numeric styles).
//!
//! Files: `bib` (loading .bib/.yml, errors), `style` (CSL style selection, per-entry locale, hayagriva),
//! `number` (numeric marks, range collapsing, narrative prefixes, "did you mean").

mod bib;
mod number;
mod style;
#[cfg(test)]
mod tests;

pub use style::plain;

use crate::config::Settings;
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::doc::{Citation, Document};
use hayagriva::CitePurpose;
use number::NumItem;
use std::collections::HashMap;
use style::{Format, Item};

/// What the writers need to render citations and the references section.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// One mark per citation, in the order of `Document::citations()`; `marks[i].span` is that citation's span.
    pub marks: Vec<CiteMark>,
    /// The references list, in display order.
    pub entries: Vec<Entry>,
    /// Section title (参考文献 / References).
    pub title: String,
    /// Marks for each chapter's paper header (`cite:` in front matter), by chapter id.
    pub paper_refs: Vec<(String, Vec<RefText>)>,
    /// Bibliography entries never cited (key, where the key is written), in file order; not listed in
    /// `entries`. See [`Resolved::unused`].
    pub unused_keys: Vec<(String, Span)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CiteMark {
    pub span: Span,
    /// Words written before the mark in the running text's style (never superscript), for narrative
    /// citations under numeric styles: `Grill 等` (GB/T 7714: the superscript `[3]` follows directly),
    /// `Grill et al. ` (IEEE: ends with the space before `[3]`). Empty for other citations.
    pub prefix: String,
    /// `[1]`, `[1-3]`, `Grill 等 [3]`, `(Grill et al., 2020)`, or `[?key]` for an unknown key.
    pub text: String,
    /// GB/T 7714 numeric puts marks in superscript.
    pub superscript: bool,
    /// Anchor ids of the entries it links to (`ref-grill2020byol`), in order.
    pub targets: Vec<String>,
    /// Anchor id of this citation occurrence (`cite-12`), target of the entry's back link.
    pub anchor: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    /// Anchor id of the entry (`ref-grill2020byol`).
    pub anchor: String,
    /// `[1]` for numeric styles; empty for author-date.
    pub label: String,
    /// The formatted reference.
    pub text: Vec<RefText>,
    /// Where it is first cited: (chapter id, citation anchor id). The anchor is empty when the first
    /// citation is a chapter's paper header (front matter `cite:`): link to the chapter itself.
    pub first_cited: Option<(String, String)>,
}

/// Formatted reference text: plain runs, italic runs and links (URLs, DOIs).
#[derive(Debug, Clone, PartialEq)]
pub enum RefText {
    Plain(String),
    Italic(String),
    Link { text: String, url: String },
}

impl Resolved {
    /// Warnings for bibliography entries that are never cited (for `folio check`).
    pub fn unused(&self) -> Vec<Diagnostic> {
        self.unused_keys
            .iter()
            .map(|(key, span)| {
                Diagnostic::warning(format!("bibliography entry '{key}' is never cited"))
                    .at(span.clone())
            })
            .collect()
    }
}

/// Where a key is cited, in reading order.
enum Use<'d> {
    /// A chapter's paper header (`cite:` in its front matter).
    Paper { chapter: usize, key: &'d str },
    /// `doc.citations()[index]`.
    Cite { chapter: usize, index: usize },
}

/// Load the bibliographies, number and format every citation. Unknown keys → warnings (with "did you
/// mean"), malformed .bib entries → errors naming the .bib file and line; unused entries are not listed
/// (and are reported by [`Resolved::unused`] for `folio check`).
///
/// Numbers follow the first citation across the whole book: each chapter's `paper.cite` counts as cited at
/// the start of that chapter, then `Document::citations()` order. `marks[i]` belongs to
/// `doc.citations()[i]`; its anchor is `cite-<i + 1>`.
pub fn resolve(settings: &Settings, doc: &Document, diags: &mut Diagnostics) -> Resolved {
    let cites = doc.citations();
    let uses = reading_order(doc, &cites);
    let bib = bib::load(settings, diags);
    let style = style::load(settings, diags);
    let chinese_text = style.gb;

    // Unknown keys: one warning per item, with the closest known key.
    let mut warn_unknown = |key: &str, span: &Span| {
        let mut d = Diagnostic::warning(format!("unknown citation key '{key}'")).at(span.clone());
        if let Some(k) = number::suggest(key, bib.order.iter().map(String::as_str)) {
            d = d.hint(format!("did you mean '{k}'?"));
        }
        diags.push(d);
    };

    // One hayagriva request per use, known items only.
    let mut requests: Vec<Vec<Item>> = Vec::new();
    let mut request_of: HashMap<usize, usize> = HashMap::new(); // citation index → request
    let mut first_cited: HashMap<&str, (String, String)> = HashMap::new();
    for u in &uses {
        match *u {
            Use::Paper { chapter, key } => {
                let ch = &doc.chapters[chapter];
                match bib.get(key) {
                    Some(l) => {
                        first_cited
                            .entry(key)
                            .or_insert_with(|| (ch.id.clone(), String::new()));
                        requests.push(vec![Item {
                            key,
                            entry: &l.entry,
                            locator: None,
                            purpose: None,
                        }]);
                    }
                    None => {
                        if let Some((_, span)) = &ch.paper.cite {
                            warn_unknown(key, span);
                        }
                    }
                }
            }
            Use::Cite { chapter, index } => {
                let c = cites[index];
                let mut items = Vec::new();
                for it in &c.items {
                    let Some(l) = bib.get(&it.key) else {
                        warn_unknown(&it.key, &it.span);
                        continue;
                    };
                    first_cited.entry(it.key.as_str()).or_insert_with(|| {
                        (
                            doc.chapters[chapter].id.clone(),
                            format!("cite-{}", index + 1),
                        )
                    });
                    let purpose = if c.narrative {
                        Some(CitePurpose::Prose)
                    } else if it.suppress_author {
                        Some(CitePurpose::Year)
                    } else {
                        None
                    };
                    items.push(Item {
                        key: &it.key,
                        entry: &l.entry,
                        locator: it.locator.as_deref(),
                        purpose,
                    });
                }
                if !items.is_empty() {
                    request_of.insert(index, requests.len());
                    requests.push(items);
                }
            }
        }
    }

    // GB/T 7714: each entry in its own language. Other styles: the style's locale for the whole list.
    let locale_of: HashMap<String, String> = first_cited
        .keys()
        .filter_map(|k| {
            let l = bib.get(k)?;
            let loc = if style.gb {
                style::entry_locale(l)
            } else {
                style::DEFAULT.to_string()
            };
            Some((k.to_string(), loc))
        })
        .collect();
    let book_locale = match (style.gb, settings.book.is_chinese()) {
        (false, _) => style::DEFAULT,
        (true, true) => "zh-CN",
        (true, false) => "en-US",
    };
    let formatted = style::format(&style, &requests, &locale_of, book_locale);
    let number: HashMap<&str, usize> = formatted
        .order
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i + 1))
        .collect();
    let numeric = style.format == Format::Numeric;

    let entries: Vec<Entry> = formatted
        .order
        .iter()
        .map(|key| {
            let label = if numeric {
                format!("[{}]", number.get(key.as_str()).copied().unwrap_or(0))
            } else {
                String::new()
            };
            let mut text = formatted.texts.get(key).cloned().unwrap_or_default();
            strip_label(&mut text, &label);
            if let Some(l) = bib.get(key) {
                style::keep_organisation_case(&mut text, &l.entry);
            }
            Entry {
                key: key.clone(),
                anchor: anchor_for(key),
                label,
                text,
                first_cited: first_cited.get(key.as_str()).cloned(),
            }
        })
        .collect();

    let marks = cites
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let targets: Vec<String> = c
                .items
                .iter()
                .filter(|it| bib.get(&it.key).is_some())
                .map(|it| anchor_for(&it.key))
                .collect();
            let unknown: Vec<&str> = c
                .items
                .iter()
                .filter(|it| bib.get(&it.key).is_none())
                .map(|it| it.key.as_str())
                .collect();
            let (prefix, text, superscript) = if numeric {
                numeric_mark(c, &bib, &number, &style, chinese_text)
            } else {
                let mut t = request_of
                    .get(&i)
                    .map(|&r| plain(&formatted.citations[r]))
                    .unwrap_or_default();
                if !unknown.is_empty() {
                    let q: Vec<String> = unknown.iter().map(|k| format!("?{k}")).collect();
                    let sep = if t.is_empty() { "" } else { " " };
                    t = format!("{t}{sep}[{}]", q.join(", "));
                }
                (String::new(), t, false)
            };
            CiteMark {
                span: c.span.clone(),
                prefix,
                text,
                superscript,
                targets,
                anchor: format!("cite-{}", i + 1),
            }
        })
        .collect();

    let paper_refs = doc
        .chapters
        .iter()
        .filter_map(|ch| {
            let (key, _) = ch.paper.cite.as_ref()?;
            Some((ch.id.clone(), formatted.texts.get(key)?.clone()))
        })
        .collect();
    let unused_keys = bib
        .order
        .iter()
        .filter(|k| !first_cited.contains_key(k.as_str()))
        .filter_map(|k| Some((k.clone(), bib.get(k)?.span.clone())))
        .collect();

    Resolved {
        marks,
        entries,
        title: settings.content.references_title.clone(),
        paper_refs,
        unused_keys,
    }
}

/// Paper cites and citations in reading order, each with its chapter (found by the citation's file).
fn reading_order<'d>(doc: &'d Document, cites: &[&'d Citation]) -> Vec<Use<'d>> {
    let chapter_of_file: HashMap<_, usize> = doc
        .chapters
        .iter()
        .enumerate()
        .map(|(i, ch)| (ch.span.file, i))
        .collect();
    let mut uses = Vec::new();
    let mut next = 0;
    for (ci, ch) in doc.chapters.iter().enumerate() {
        if let Some((key, _)) = &ch.paper.cite {
            uses.push(Use::Paper { chapter: ci, key });
        }
        // citations() walks the chapters in order: take those of this chapter (or of no known chapter).
        while next < cites.len() {
            let owner = chapter_of_file.get(&cites[next].span.file).copied();
            if owner.is_some_and(|o| o > ci) {
                break;
            }
            uses.push(Use::Cite {
                chapter: ci,
                index: next,
            });
            next += 1;
        }
    }
    let last = doc.chapters.len().saturating_sub(1);
    uses.extend((next..cites.len()).map(|index| Use::Cite {
        chapter: last,
        index,
    }));
    uses
}

/// (prefix, text, superscript) of a numeric mark.
fn numeric_mark(
    c: &Citation,
    bib: &bib::Bib,
    number: &HashMap<&str, usize>,
    style: &style::Style,
    chinese_text: bool,
) -> (String, String, bool) {
    let items: Vec<NumItem> = c
        .items
        .iter()
        .map(|it| match number.get(it.key.as_str()) {
            Some(&n) => NumItem::Known {
                n,
                locator: it.locator.clone(),
            },
            None => NumItem::Unknown(it.key.clone()),
        })
        .collect();
    let text = number::numeric_mark(&items, style.gb);
    let prefix = match c.items.first().and_then(|it| bib.get(&it.key)) {
        Some(l) if c.narrative => {
            let p = number::narrative_prefix(&l.entry, chinese_text);
            if style.superscript || p.is_empty() {
                p
            } else {
                format!("{p} ")
            }
        }
        _ => String::new(),
    };
    (prefix, text, style.superscript)
}

/// Styles that print the number inside the entry (no second-field alignment): drop it, it is the label.
fn strip_label(text: &mut [RefText], label: &str) {
    if label.is_empty() {
        return;
    }
    if let Some(RefText::Plain(s)) = text.first_mut()
        && let Some(rest) = s.strip_prefix(label)
    {
        *s = rest.trim_start().to_string();
    }
}

/// `ref-<key>` as an XML NCName: characters outside the NCName set become `_`.
pub fn anchor_for(key: &str) -> String {
    let body: String = key
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("ref-{body}")
}
