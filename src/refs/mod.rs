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

use crate::config::{RefPlacement, Settings};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::doc::{Citation, Document};
use hayagriva::CitePurpose;
use number::NumItem;
use std::collections::{BTreeSet, HashMap, HashSet};
use style::{Format, Item};

/// What the writers need to render citations and the references section.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// One mark per citation, in the order of `Document::citations()`; `marks[i].span` is that citation's span.
    pub marks: Vec<CiteMark>,
    /// The references list at the end of the book, in display order (empty with per-chapter references).
    pub entries: Vec<Entry>,
    /// With `references = "per-chapter"`: each citing chapter's own list (chapter id, entries), numbered
    /// from 1 in each chapter, in reading order.
    pub chapter_entries: Vec<(String, Vec<Entry>)>,
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
    /// The mark in parts: `[`, `17` → its entry, `-`, `18` → its entry, `]`. Numeric marks link each
    /// number; an author-date mark is one part linking to its first work; `[?key]` links nowhere.
    pub parts: Vec<MarkPart>,
    /// GB/T 7714 numeric puts marks in superscript.
    pub superscript: bool,
    /// Anchor ids of the entries it links to (`ref-grill2020byol`), in order.
    pub targets: Vec<String>,
    /// Anchor id of this citation occurrence (`cite-12`), target of the entry's back link.
    pub anchor: String,
}

/// A piece of a citation mark, linked to a references entry or plain.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkPart {
    pub text: String,
    /// Anchor id of the entry (`ref-…`).
    pub target: Option<String>,
}

impl CiteMark {
    /// `[1]`, `[1-3]`, `(Grill et al., 2020)`, or `[?key]` for an unknown key.
    pub fn text(&self) -> String {
        self.parts.iter().map(|p| p.text.as_str()).collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    /// Anchor id of the entry (`ref-grill2020byol`; `ref-<chapter>-<key>` with per-chapter lists).
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

    /// The per-chapter references list of chapter `id` (empty for an end-of-book list).
    pub fn chapter_list(&self, id: &str) -> &[Entry] {
        self.chapter_entries
            .iter()
            .find(|(c, _)| c == id)
            .map_or(&[], |(_, e)| e.as_slice())
    }

    /// Every listed entry: the end-of-book list, then the per-chapter lists.
    pub fn all_entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .chain(self.chapter_entries.iter().flat_map(|(_, e)| e))
    }
}

/// Where a key is cited, in reading order.
enum Use<'d> {
    /// A chapter's paper header (`cite:` in its front matter).
    Paper { chapter: usize, key: &'d str },
    /// `doc.citations()[index]`.
    Cite { chapter: usize, index: usize },
}

impl Use<'_> {
    fn chapter(&self) -> usize {
        match *self {
            Use::Paper { chapter, .. } | Use::Cite { chapter, .. } => chapter,
        }
    }
}

/// Load the bibliographies, number and format every citation. Unknown keys → warnings (with "did you
/// mean"), malformed .bib entries → errors naming the .bib file and line; unused entries are not listed
/// (and are reported by [`Resolved::unused`] for `folio check`).
///
/// Numbers follow the first citation across the whole book (or across each chapter, with per-chapter
/// lists): each chapter's `paper.cite` counts as cited at the start of that chapter, then
/// `Document::citations()` order. `marks[i]` belongs to `doc.citations()[i]`; its anchor is `cite-<i + 1>`.
pub fn resolve(settings: &Settings, doc: &Document, diags: &mut Diagnostics) -> Resolved {
    let cites = doc.citations();
    let uses = reading_order(doc, &cites);
    // The CSL style is decoded on another core while the .bib files parse.
    let mut style_diags = Vec::new();
    let (bib, style) = rayon::join(
        || bib::load(settings, diags),
        || style::load(settings, &mut style_diags),
    );
    diags.extend(style_diags);
    warn_unknown(doc, &cites, &uses, &bib, diags);

    let book_locale = match (style.gb, settings.book.is_chinese()) {
        (false, _) => style::DEFAULT,
        (true, true) => "zh-CN",
        (true, false) => "en-US",
    };
    // The CSL locales every list may need, decoded once for the whole book.
    let mut wanted: BTreeSet<String> = uses
        .iter()
        .flat_map(|u| match *u {
            Use::Paper { key, .. } => vec![key],
            Use::Cite { index, .. } => cites[index].items.iter().map(|i| i.key.as_str()).collect(),
        })
        .filter_map(|k| Some(entry_locale(&style, bib.get(k)?)))
        .collect();
    wanted.insert(book_locale.to_string());
    let locales = style::needed_locales(&wanted);
    let r = Resolver {
        doc,
        cites: &cites,
        bib: &bib,
        style: &style,
        book_locale,
        locales: &locales,
    };
    let mut out = Resolved {
        title: settings.content.references_title.clone(),
        ..Resolved::default()
    };
    let mut marks: Vec<Option<CiteMark>> = vec![None; cites.len()];
    let mut cited: HashSet<&str> = HashSet::new();
    let mut absorb = |list: List, scope: Option<&str>, out: &mut Resolved| {
        for (i, m) in list.marks {
            marks[i] = Some(m);
        }
        out.paper_refs.extend(list.paper_refs);
        match scope {
            None => out.entries = list.entries,
            Some(id) if !list.entries.is_empty() => {
                out.chapter_entries.push((id.to_string(), list.entries))
            }
            Some(_) => {}
        }
    };
    match settings.content.references {
        RefPlacement::End => {
            let list = r.list(None, &uses);
            cited.extend(list.cited.iter().copied());
            absorb(list, None, &mut out);
        }
        RefPlacement::PerChapter => {
            for group in uses.chunk_by(|a, b| a.chapter() == b.chapter()) {
                let id = doc.chapters[group[0].chapter()].id.as_str();
                let list = r.list(Some(id), group);
                cited.extend(list.cited.iter().copied());
                absorb(list, Some(id), &mut out);
            }
        }
    }
    out.marks = marks
        .into_iter()
        .zip(&cites)
        .enumerate()
        .map(|(i, (m, c))| m.unwrap_or_else(|| r.unknown_mark(i, c)))
        .collect();
    out.unused_keys = bib
        .order
        .iter()
        .filter(|k| !cited.contains(k.as_str()))
        .filter_map(|k| Some((k.clone(), bib.get(k)?.span.clone())))
        .collect();
    out
}

/// GB/T 7714: each entry in its own language. Other styles: the style's locale for the whole list.
fn entry_locale(style: &style::Style, entry: &bib::Loaded) -> String {
    if style.gb {
        style::entry_locale(entry)
    } else {
        style::DEFAULT.to_string()
    }
}

/// One warning per unknown key, with the closest known key.
fn warn_unknown(
    doc: &Document,
    cites: &[&Citation],
    uses: &[Use],
    bib: &bib::Bib,
    diags: &mut Diagnostics,
) {
    let mut warn = |key: &str, span: &Span| {
        let mut d = Diagnostic::warning(format!("unknown citation key '{key}'")).at(span.clone());
        if let Some(k) = number::suggest(key, bib.order.iter().map(String::as_str)) {
            d = d.hint(format!("did you mean '{k}'?"));
        }
        diags.push(d);
    };
    for u in uses {
        match *u {
            Use::Paper { chapter, key } => {
                if bib.get(key).is_none()
                    && let Some((_, span)) = &doc.chapters[chapter].paper.cite
                {
                    warn(key, span);
                }
            }
            Use::Cite { index, .. } => {
                for it in &cites[index].items {
                    if bib.get(&it.key).is_none() {
                        warn(&it.key, &it.span);
                    }
                }
            }
        }
    }
}

/// What one references list resolves: its entries, the marks of the citations it numbers (by citation
/// index), the paper headers of its chapters, and the keys it lists.
struct List<'b> {
    entries: Vec<Entry>,
    marks: Vec<(usize, CiteMark)>,
    paper_refs: Vec<(String, Vec<RefText>)>,
    cited: Vec<&'b str>,
}

/// The inputs every references list shares.
struct Resolver<'a> {
    doc: &'a Document,
    cites: &'a [&'a Citation],
    bib: &'a bib::Bib,
    style: &'a style::Style,
    /// The locale of text mixing entries of several languages.
    book_locale: &'static str,
    locales: &'a [hayagriva::citationberg::Locale],
}

impl<'a> Resolver<'a> {
    /// Number and format the citations of `uses` as one list; `scope` is the chapter id of a
    /// per-chapter list (its anchors are `ref-<chapter>-<key>`), `None` for the book's list.
    fn list(&self, scope: Option<&str>, uses: &[Use<'a>]) -> List<'a> {
        let (doc, bib, style) = (self.doc, self.bib, self.style);
        // One hayagriva request per use, known items only.
        let mut requests: Vec<Vec<Item>> = Vec::new();
        let mut request_of: HashMap<usize, usize> = HashMap::new(); // citation index → request
        let mut first_cited: HashMap<&str, (String, String)> = HashMap::new();
        let mut cited: Vec<&'a str> = Vec::new();
        for u in uses {
            match *u {
                Use::Paper { chapter, key } => {
                    let Some(l) = bib.get(key) else { continue };
                    first_cited.entry(key).or_insert_with(|| {
                        cited.push(key);
                        (doc.chapters[chapter].id.clone(), String::new())
                    });
                    requests.push(vec![Item {
                        key,
                        entry: &l.entry,
                        locator: None,
                        purpose: None,
                    }]);
                }
                Use::Cite { chapter, index } => {
                    let c = self.cites[index];
                    let mut items = Vec::new();
                    for it in &c.items {
                        let Some(l) = bib.get(&it.key) else { continue };
                        first_cited.entry(it.key.as_str()).or_insert_with(|| {
                            cited.push(it.key.as_str());
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
        let locale_of: HashMap<String, String> = cited
            .iter()
            .filter_map(|&k| Some((k.to_string(), entry_locale(style, bib.get(k)?))))
            .collect();
        let formatted = style::format(style, &requests, &locale_of, self.book_locale, self.locales);
        let number: HashMap<&str, usize> = formatted
            .order
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i + 1))
            .collect();
        let numeric = style.format == Format::Numeric;
        let anchor = |key: &str| anchor_for(scope, key);

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
                    anchor: anchor(key),
                    label,
                    text,
                    first_cited: first_cited.get(key.as_str()).cloned(),
                }
            })
            .collect();
        let anchor_of_number: Vec<String> = formatted.order.iter().map(|k| anchor(k)).collect();

        let marks = uses
            .iter()
            .filter_map(|u| match *u {
                Use::Cite { index, .. } => Some(index),
                Use::Paper { .. } => None,
            })
            .map(|i| {
                let c = self.cites[i];
                let targets: Vec<String> = c
                    .items
                    .iter()
                    .filter(|it| bib.get(&it.key).is_some())
                    .map(|it| anchor(&it.key))
                    .collect();
                let (prefix, parts) = if numeric {
                    self.numeric_mark(c, &number, &anchor_of_number)
                } else {
                    let text = request_of
                        .get(&i)
                        .map(|&r| plain(&formatted.citations[r]))
                        .unwrap_or_default();
                    (String::new(), author_date_parts(c, bib, text, &targets))
                };
                let mark = CiteMark {
                    span: c.span.clone(),
                    prefix,
                    parts,
                    superscript: numeric && style.superscript,
                    targets,
                    anchor: format!("cite-{}", i + 1),
                };
                (i, mark)
            })
            .collect();

        let paper_refs = uses
            .iter()
            .filter_map(|u| match *u {
                Use::Paper { chapter, key } => Some((
                    doc.chapters[chapter].id.clone(),
                    formatted.texts.get(key)?.clone(),
                )),
                Use::Cite { .. } => None,
            })
            .collect();
        List {
            entries,
            marks,
            paper_refs,
            cited,
        }
    }

    /// (prefix, parts) of a numeric mark; `anchors[n - 1]` is the anchor of work `n`.
    fn numeric_mark(
        &self,
        c: &Citation,
        number: &HashMap<&str, usize>,
        anchors: &[String],
    ) -> (String, Vec<MarkPart>) {
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
        let parts = number::numeric_mark(&items, self.style.gb, |n| {
            anchors.get(n - 1).cloned().unwrap_or_default()
        });
        let prefix = match c.items.first().and_then(|it| self.bib.get(&it.key)) {
            Some(l) if c.narrative => {
                let p = number::narrative_prefix(&l.entry, self.style.gb);
                if self.style.superscript || p.is_empty() {
                    p
                } else {
                    format!("{p} ")
                }
            }
            _ => String::new(),
        };
        (prefix, parts)
    }

    /// The mark of a citation no list numbered: its keys are all unknown.
    fn unknown_mark(&self, i: usize, c: &Citation) -> CiteMark {
        let numeric = self.style.format == Format::Numeric;
        let parts = if numeric {
            let items: Vec<NumItem> = c
                .items
                .iter()
                .map(|it| NumItem::Unknown(it.key.clone()))
                .collect();
            number::numeric_mark(&items, self.style.gb, |_| String::new())
        } else {
            author_date_parts(c, self.bib, String::new(), &[])
        };
        CiteMark {
            span: c.span.clone(),
            prefix: String::new(),
            parts,
            superscript: numeric && self.style.superscript,
            targets: Vec::new(),
            anchor: format!("cite-{}", i + 1),
        }
    }
}

/// An author-date mark: the formatted citation as one part linking to its first work, then the
/// unknown keys as `[?key]`.
fn author_date_parts(
    c: &Citation,
    bib: &bib::Bib,
    text: String,
    targets: &[String],
) -> Vec<MarkPart> {
    let unknown: Vec<String> = c
        .items
        .iter()
        .filter(|it| bib.get(&it.key).is_none())
        .map(|it| format!("?{}", it.key))
        .collect();
    let mut parts = Vec::new();
    if !text.is_empty() {
        parts.push(MarkPart {
            text,
            target: targets.first().cloned(),
        });
    }
    if !unknown.is_empty() {
        let sep = if parts.is_empty() { "" } else { " " };
        parts.push(MarkPart {
            text: format!("{sep}[{}]", unknown.join(", ")),
            target: None,
        });
    }
    parts
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

/// `ref-<key>` (`ref-<chapter>-<key>` in a per-chapter list) as an XML NCName: characters outside the
/// NCName set become `_`.
pub fn anchor_for(scope: Option<&str>, key: &str) -> String {
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
    match scope {
        Some(chapter) => format!("ref-{chapter}-{body}"),
        None => format!("ref-{body}"),
    }
}
