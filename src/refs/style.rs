//! CSL style selection and formatting through hayagriva, with one locale per entry.
//!
//! hayagriva applies one locale to a whole bibliography (hayagriva#291): under zh-CN an English entry gets
//! "等". GB/T 7714 wants each entry in its own language, so we run the driver once per locale that occurs
//! among the cited entries (usually zh-CN and en-US) with the same citations, and take each entry's text
//! from the run in its own language. Numbers and order do not depend on the locale.

use super::RefText;
use super::bib::Loaded;
use crate::config::Settings;
use crate::diag::Diagnostic;
use crate::files;
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{
    CitationFormat, FontStyle, IndependentStyle, Locale, LocaleCode, Style as CslStyle,
    StyleCategory, VerticalAlign,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose, ElemChild,
    Entry, LocatorPayload, Rendered, SpecificLocator, archive::ArchivedStyle,
};
use std::collections::{BTreeSet, HashMap};

/// How citations look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// `[1]`: numbers by first citation.
    Numeric,
    /// `(Grill et al., 2020)`, also note styles (rendered inline).
    AuthorDate,
}

pub(crate) struct Style {
    pub csl: IndependentStyle,
    pub format: Format,
    /// Marks in superscript (GB/T 7714 numeric).
    pub superscript: bool,
    /// A GB/T 7714 style: Chinese narrative connectors (`Grill 等`).
    pub gb: bool,
}

/// The style named in book.toml; falls back to the language default with an error if it cannot be loaded.
pub(crate) fn load(settings: &Settings, diags: &mut Vec<Diagnostic>) -> Style {
    let name = settings.content.citation_style.trim();
    let fallback = if settings.book.is_chinese() {
        "gb-7714-2015-numeric"
    } else {
        "ieee"
    };
    let csl = if name.to_ascii_lowercase().ends_with(".csl") {
        load_file(settings, name, diags)
    } else {
        let s = archived(name);
        if s.is_none() {
            diags.push(
                Diagnostic::error(format!("book.toml: unknown citation_style '{name}'"))
                    .hint("use gb-7714-2015-numeric, gb-7714-2015-author-date, ieee, apa, or a path to a .csl file"),
            );
        }
        s
    };
    let csl = csl.or_else(|| archived(fallback));
    let csl = csl.unwrap_or_else(|| {
        // The archive always has these; this is only reached if hayagriva drops them.
        IndependentStyle::from_xml(MINIMAL).expect("the built-in minimal style parses")
    });
    from_csl(csl)
}

fn archived(name: &str) -> Option<IndependentStyle> {
    match ArchivedStyle::by_name(name)?.get() {
        CslStyle::Independent(s) => Some(s),
        CslStyle::Dependent(_) => None,
    }
}

fn load_file(
    settings: &Settings,
    name: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<IndependentStyle> {
    let rel = std::path::PathBuf::from(name);
    let text = match files::read_text(&settings.root.join(&rel)) {
        Ok(t) => t,
        Err(e) => {
            diags.push(e.into_diagnostic(&rel));
            return None;
        }
    };
    match CslStyle::from_xml(&text) {
        Ok(CslStyle::Independent(s)) => Some(s),
        Ok(CslStyle::Dependent(d)) => {
            let parent =
                ArchivedStyle::by_id(&d.parent_link.href.to_string()).and_then(|a| match a.get() {
                    CslStyle::Independent(s) => Some(s),
                    CslStyle::Dependent(_) => None,
                });
            if parent.is_none() {
                diags.push(
                    Diagnostic::error(format!(
                        "citation style {name}: its parent style {} is not built in",
                        d.parent_link.href
                    ))
                    .in_file(&rel),
                );
            }
            parent
        }
        Err(e) => {
            diags.push(
                Diagnostic::error(format!("citation style {name}: not a valid CSL style: {e}"))
                    .in_file(&rel),
            );
            None
        }
    }
}

fn from_csl(csl: IndependentStyle) -> Style {
    let format = csl
        .info
        .category
        .iter()
        .find_map(|c| match c {
            StyleCategory::CitationFormat { format } => Some(*format),
            _ => None,
        })
        .map(|f| match f {
            CitationFormat::Numeric | CitationFormat::Label => Format::Numeric,
            _ => Format::AuthorDate,
        })
        .unwrap_or(Format::AuthorDate);
    let superscript = csl.citation.layout.vertical_align == Some(VerticalAlign::Sup);
    let gb = csl.info.id.contains("7714");
    Style {
        csl,
        format,
        superscript,
        gb,
    }
}

/// Locale marker for "the style's default locale".
pub(crate) const DEFAULT: &str = "default";

/// The locale an entry is written in: its `langid`/`language` field, else Han characters in its title or
/// author names → zh-CN, else en-US.
pub(crate) fn entry_locale(l: &Loaded) -> String {
    let declared = l
        .lang_field
        .clone()
        .or_else(|| l.entry.language().map(|x| x.to_string()));
    if let Some(d) = declared {
        let d = d.trim().to_ascii_lowercase();
        let code = match d.as_str() {
            "chinese" | "zh" | "zh-cn" | "zh-hans" | "中文" | "pinyin" => "zh-CN",
            "zh-tw" | "zh-hant" => "zh-TW",
            "english" | "american" | "en" | "en-us" | "usenglish" => "en-US",
            "british" | "en-gb" | "ukenglish" => "en-GB",
            "german" | "ngerman" | "de" => "de-DE",
            "french" | "fr" => "fr-FR",
            "japanese" | "ja" => "ja-JP",
            _ => "",
        };
        if !code.is_empty() {
            return code.to_string();
        }
    }
    let e = &l.entry;
    let mut text = e.title().map(|t| t.value.to_string()).unwrap_or_default();
    for p in e.authors().unwrap_or_default() {
        text.push_str(&p.name);
    }
    if text.chars().any(is_han) {
        "zh-CN".into()
    } else {
        "en-US".into()
    }
}

pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFD)
}

/// One citation item handed to hayagriva.
pub(crate) struct Item<'a> {
    pub key: &'a str,
    pub entry: &'a Entry,
    pub locator: Option<&'a str>,
    pub purpose: Option<CitePurpose>,
}

/// What hayagriva produced: entry texts by key, the bibliography order, and one citation text per request.
pub(crate) struct Formatted {
    pub texts: HashMap<String, Vec<RefText>>,
    pub order: Vec<String>,
    pub citations: Vec<Vec<RefText>>,
}

/// Format every request (one per citation, in reading order) and the bibliography of the cited entries.
/// `locale_of` gives each key's locale; `book` is the book's locale (citations mixing languages use it).
pub(crate) fn format(
    style: &Style,
    requests: &[Vec<Item<'_>>],
    locale_of: &HashMap<String, String>,
    book: &str,
    locales: &[Locale],
) -> Formatted {
    let mut wanted: BTreeSet<String> = locale_of.values().cloned().collect();
    wanted.insert(book.to_string());
    let mut out = Formatted {
        texts: HashMap::new(),
        order: Vec::new(),
        citations: vec![Vec::new(); requests.len()],
    };
    // One driver run per locale, each on its own core.
    let runs: Vec<(&String, Rendered)> = {
        use rayon::prelude::*;
        wanted
            .par_iter()
            .map(|loc| (loc, run_driver(style, requests, loc, locales)))
            .collect()
    };
    for (loc, rendered) in runs {
        if let Some(b) = rendered.bibliography {
            if loc == book || out.order.is_empty() {
                out.order = b.items.iter().map(|i| i.key.clone()).collect();
            }
            for item in b.items {
                if locale_of.get(&item.key) == Some(loc) {
                    out.texts
                        .insert(item.key.clone(), to_ref_text(&item.content.0));
                }
            }
        }
        for (i, (req, cite)) in requests.iter().zip(rendered.citations).enumerate() {
            let mut langs = req.iter().filter_map(|it| locale_of.get(it.key));
            let first = langs.next();
            let same = first.is_some_and(|f| langs.all(|l| l == f));
            let pick = if same {
                first.map(String::as_str)
            } else {
                Some(book)
            };
            if pick == Some(loc.as_str()) {
                out.citations[i] = to_ref_text(&cite.citation.0);
            }
        }
    }
    out
}

/// Every request and the bibliography rendered under locale `loc` (`DEFAULT`: the style's own).
fn run_driver(
    style: &Style,
    requests: &[Vec<Item<'_>>],
    loc: &str,
    locales: &[Locale],
) -> Rendered {
    let code = (loc != DEFAULT).then(|| LocaleCode(loc.to_string()));
    let mut driver = BibliographyDriver::new();
    for req in requests {
        let items = req
            .iter()
            .map(|it| {
                let locator = it.locator.map(|s| {
                    let (kind, rest) = split_locator(s);
                    SpecificLocator(kind, LocatorPayload::Str(rest))
                });
                CitationItem::new(it.entry, locator, None, false, it.purpose)
            })
            .collect();
        driver.citation(CitationRequest::new(
            items,
            &style.csl,
            code.clone(),
            locales,
            None,
        ));
    }
    driver.finish(BibliographyRequest::new(&style.csl, code, locales))
}

/// The CSL locales for `wanted` languages (and en-US, every style's fallback). hayagriva's
/// `archive::locales()` decodes all 63 archived locales (about 120 ms, most of this stage); here each
/// archived locale's language tag is read from the head of its CBOR and only the matching ones are
/// decoded in full.
pub(crate) fn needed_locales(wanted: &BTreeSet<String>) -> Vec<Locale> {
    let base = |code: &str| code.split('-').next().unwrap_or("").to_ascii_lowercase();
    let fits = |lang: &str| lang == "en-US" || wanted.iter().any(|w| base(w) == base(lang));
    use rayon::prelude::*;
    hayagriva::archive::LOCALES
        .par_iter()
        .filter(|bytes| archived_lang(bytes).is_some_and(|l| fits(&l)))
        .filter_map(|bytes| ciborium::de::from_reader::<Locale, _>(*bytes).ok())
        .collect()
}

/// The language tag of an archived locale. citationberg serialises `Locale::lang` (`@xml:lang`) as
/// the first entry of the locale's map, so it is read without walking the rest; should that ever
/// change, the whole map is decoded for that one field.
fn archived_lang(bytes: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct LangOnly {
        #[serde(rename = "@xml:lang")]
        lang: Option<String>,
    }
    lang_from_head(bytes).or_else(|| ciborium::de::from_reader::<LangOnly, _>(bytes).ok()?.lang)
}

/// `@xml:lang` when it is the first entry of the CBOR map.
fn lang_from_head(bytes: &[u8]) -> Option<String> {
    use ciborium_ll::{Decoder, Header};
    fn text(d: &mut Decoder<&[u8]>) -> Option<String> {
        match d.pull().ok()? {
            Header::Text(Some(len)) if len <= 256 => {
                let mut buf = vec![0; len];
                ciborium_io::Read::read_exact(d, &mut buf).ok()?;
                String::from_utf8(buf).ok()
            }
            _ => None,
        }
    }
    let mut d = Decoder::from(bytes);
    let Ok(Header::Map(_)) = d.pull() else {
        return None;
    };
    (text(&mut d)? == "@xml:lang").then(|| text(&mut d))?
}

/// `p. 12` → (Page, "12"); `chap. 3` → (Chapter, "3"); anything else is a page.
fn split_locator(s: &str) -> (Locator, &str) {
    let s = s.trim();
    for (prefix, kind) in [
        ("pp.", Locator::Page),
        ("p.", Locator::Page),
        ("chap.", Locator::Chapter),
        ("ch.", Locator::Chapter),
        ("sec.", Locator::Section),
        ("§", Locator::Section),
        ("fig.", Locator::Figure),
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            return (kind, rest.trim_start());
        }
    }
    (Locator::Page, s)
}

/// hayagriva's element tree → plain, italic and link runs (adjacent runs of one kind merged).
/// Runs of spaces collapse to one (hayagriva's IEEE output has `Curran Associates,  2020`).
pub(crate) fn to_ref_text(children: &[ElemChild]) -> Vec<RefText> {
    let mut out = Vec::new();
    walk(children, &mut out);
    let mut prev_space = false;
    for run in &mut out {
        let s = match run {
            RefText::Plain(s) | RefText::Italic(s) => s,
            RefText::Link { .. } => {
                prev_space = false;
                continue;
            }
        };
        let mut t = String::with_capacity(s.len());
        for c in s.chars() {
            if c == ' ' && prev_space {
                continue;
            }
            prev_space = c == ' ';
            t.push(c);
        }
        *s = t;
    }
    out.retain(|r| !matches!(r, RefText::Plain(s) | RefText::Italic(s) if s.is_empty()));
    out
}

fn walk(children: &[ElemChild], out: &mut Vec<RefText>) {
    for c in children {
        match c {
            ElemChild::Text(f) => {
                let italic = f.formatting.font_style == FontStyle::Italic;
                push(out, &f.text, italic);
            }
            ElemChild::Markup(m) => push(out, m, false),
            ElemChild::Elem(e) => walk(&e.children.0, out),
            ElemChild::Link { text, url } => out.push(RefText::Link {
                text: text.text.clone(),
                url: url.clone(),
            }),
            ElemChild::Transparent { .. } => {}
        }
    }
}

fn push(out: &mut Vec<RefText>, text: &str, italic: bool) {
    if text.is_empty() {
        return;
    }
    match (out.last_mut(), italic) {
        (Some(RefText::Plain(s)), false) | (Some(RefText::Italic(s)), true) => s.push_str(text),
        _ => out.push(if italic {
            RefText::Italic(text.to_string())
        } else {
            RefText::Plain(text.to_string())
        }),
    }
}

/// The plain text of formatted runs.
pub fn plain(text: &[RefText]) -> String {
    text.iter()
        .map(|t| match t {
            RefText::Plain(s) | RefText::Italic(s) => s.as_str(),
            RefText::Link { text, .. } => text.as_str(),
        })
        .collect()
}

const MINIMAL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>minimal</title><id>minimal</id><updated>2024-01-01T00:00:00+00:00</updated>
  <category citation-format="numeric"/></info>
  <citation><layout prefix="[" suffix="]" delimiter=", "><text variable="citation-number"/></layout></citation>
  <bibliography><layout suffix="."><text variable="title"/></layout></bibliography>
</style>"#;

/// GB/T 7714 capitalises personal surnames (`LECUN Y`), not organisations; hayagriva cannot tell a
/// `{{PyTorch Contributors}}` author from a surname and prints `PYTORCH CONTRIBUTORS`. An author with no
/// given name and a space in the name is an organisation: restore its case.
pub(crate) fn keep_organisation_case(text: &mut [RefText], entry: &Entry) {
    for p in entry.authors().unwrap_or_default() {
        if p.given_name.is_none() && p.name.contains(' ') {
            let upper = p.name.to_uppercase();
            if upper == p.name {
                continue;
            }
            for run in text.iter_mut() {
                if let RefText::Plain(s) | RefText::Italic(s) = run
                    && s.contains(&upper)
                {
                    *s = s.replace(&upper, &p.name);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast read of an archived locale's tag agrees with decoding the whole locale, for every one.
    #[test]
    fn archived_lang_matches_the_full_decode() {
        assert!(hayagriva::archive::LOCALES.len() > 40);
        for bytes in hayagriva::archive::LOCALES {
            let full: Locale = ciborium::de::from_reader(*bytes).unwrap();
            let tag = full.lang.map(|l| l.to_string());
            assert!(tag.is_some());
            assert_eq!(lang_from_head(bytes), tag, "the fast path reads it");
            assert_eq!(archived_lang(bytes), tag);
        }
    }
}
