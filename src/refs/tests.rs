//! refs tests: golden reference strings (GB/T 7714-2015 numeric, IEEE), numbering, marks, diagnostics.

use super::*;
use crate::config::{Overrides, Settings};
use crate::diag::{Severity, SourceFile};
use crate::doc::{Block, Chapter, CiteItem, Inline, Matter, PaperInfo};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/refs")
        .join(name)
}

/// Settings for a book in a fresh temporary folder with `extra` files written into it.
fn settings(lang: &str, style: &str, bibs: &[PathBuf], extra: &[(&str, &str)]) -> Settings {
    static N: AtomicUsize = AtomicUsize::new(0);
    let root = std::env::temp_dir().join(format!(
        "folio-refs-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("book.toml"),
        format!("[book]\ntitle = \"T\"\nauthors = [\"A\"]\nlanguage = \"{lang}\"\n"),
    )
    .unwrap();
    for (name, text) in extra {
        std::fs::write(root.join(name), text).unwrap();
    }
    let mut d = Diagnostics::default();
    let mut s = crate::config::load(&root, &Overrides::default(), &mut d).expect("settings");
    s.content.citation_style = style.to_string();
    s.content.bibliography = bibs.to_vec();
    s
}

/// A chapter citing `keys` (one citation per entry of `cites`; a key starting with `@` is narrative).
struct Book {
    diags: Diagnostics,
    doc: Document,
}

impl Book {
    fn new() -> Self {
        Book {
            diags: Diagnostics::default(),
            doc: Document::default(),
        }
    }

    /// Add a chapter: `paper` is its front-matter `cite:`, `cites` one citation each: `"a; b"` is
    /// `[@a; @b]`, `"@a"` narrative, `"a, p. 12"` a locator, `"-a"` suppressed author.
    fn chapter(&mut self, id: &str, paper: Option<&str>, cites: &[&str]) -> &mut Self {
        let text = format!("{id}\n{}\n", cites.join("\n"));
        let file = self
            .diags
            .sources
            .add(SourceFile::new(format!("content/{id}.md"), text.clone()));
        let mut offset = id.len() + 1;
        let mut blocks = Vec::new();
        for c in cites {
            let span = Span::new(file, offset..offset + c.len());
            offset += c.len() + 1;
            let narrative = c.starts_with('@');
            let items = c
                .trim_start_matches('@')
                .split(';')
                .map(|part| {
                    let part = part.trim();
                    let (key, locator) = match part.split_once(", ") {
                        Some((k, l)) => (k, Some(l.to_string())),
                        None => (part, None),
                    };
                    CiteItem {
                        key: key.trim_start_matches('-').to_string(),
                        locator,
                        suppress_author: key.starts_with('-'),
                        span: span.clone(),
                    }
                })
                .collect();
            blocks.push(Block::Paragraph {
                content: vec![Inline::Cite(Citation {
                    items,
                    narrative,
                    span: span.clone(),
                })],
                span,
            });
        }
        let span = Span::new(file, 0..text.len());
        self.doc.chapters.push(Chapter {
            id: id.to_string(),
            source: PathBuf::from(format!("content/{id}.md")),
            matter: Matter::Body,
            title: id.to_string(),
            subtitle: None,
            paper: PaperInfo {
                cite: paper.map(|k| (k.to_string(), Span::new(file, 0..id.len()))),
                ..PaperInfo::default()
            },
            blocks,
            footnotes: Vec::new(),
            span,
        });
        self
    }

    fn resolve(&mut self, s: &Settings) -> Resolved {
        resolve(s, &self.doc, &mut self.diags)
    }
}

#[test]
fn default_style_follows_the_book_language() {
    let s = settings("zh-CN", "gb-7714-2015-numeric", &[], &[]);
    let zh =
        crate::config::load(&s.root, &Overrides::default(), &mut Diagnostics::default()).unwrap();
    assert_eq!(zh.content.citation_style, "gb-7714-2015-numeric");
    assert_eq!(zh.content.references_title, "参考文献");
}

#[test]
fn runs_are_italic_and_links_without_terminal_codes() {
    let s = settings("en", "ieee", &[fixture("golden.bib")], &[]);
    let mut b = Book::new();
    b.chapter("ch01", None, &["lecun2015deep; pytorch2024docs"]);
    let r = b.resolve(&s);
    assert!(
        r.entries[0]
            .text
            .contains(&RefText::Italic("Nature".into()))
    );
    assert!(r.entries[1].text.iter().any(|t| matches!(t,
        RefText::Link { url, .. } if url == "https://pytorch.org/docs/stable/index.html")));
    for e in &r.entries {
        assert!(!plain(&e.text).contains('\x1b'));
    }
}

#[test]
fn numbers_follow_first_citation_across_chapters() {
    let s = settings(
        "zh-CN",
        "gb-7714-2015-numeric",
        &[fixture("golden.bib")],
        &[],
    );
    let mut b = Book::new();
    b.chapter(
        "ch01",
        Some("zhou2016ml"),
        &["shannon1948", "lecun2015deep"],
    );
    b.chapter(
        "ch02",
        Some("grill2020byol"),
        &["lecun2015deep; shannon1948; zhou2016ml", "shannon1948"],
    );
    b.chapter(
        "ch03",
        None,
        &["grill2020byol; hoogeboom2021ardm; lecun2015deep; zhou2016ml"],
    );
    let r = b.resolve(&s);
    let keys: Vec<&str> = r.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "zhou2016ml",
            "shannon1948",
            "lecun2015deep",
            "grill2020byol",
            "hoogeboom2021ardm"
        ]
    );
    let texts: Vec<String> = r.marks.iter().map(CiteMark::text).collect();
    // A repeated key keeps its number; GB collapses runs of two or more.
    assert_eq!(texts, ["[2]", "[3]", "[1-3]", "[2]", "[1, 3-5]"]);
    assert!(r.marks.iter().all(|m| m.superscript && m.prefix.is_empty()));
    assert_eq!(r.marks[4].anchor, "cite-5");
    assert_eq!(r.marks[4].targets[0], "ref-grill2020byol");
    assert_eq!(
        r.entries[0].first_cited,
        Some(("ch01".into(), String::new()))
    );
    assert_eq!(
        r.entries[2].first_cited,
        Some(("ch01".into(), "cite-2".into()))
    );
    assert_eq!(
        r.entries[3].first_cited,
        Some(("ch02".into(), String::new()))
    );
    assert_eq!(
        r.entries[4].first_cited,
        Some(("ch03".into(), "cite-5".into()))
    );
    assert_eq!(r.paper_refs.len(), 2);
    assert_eq!(
        plain(&r.paper_refs[0].1),
        "周志华. 机器学习[M]. 北京: 清华大学出版社, 2016."
    );
    // Unused entries are not listed, but reported.
    let unused: Vec<&str> = r.unused_keys.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        unused,
        ["goodfellow2016deep", "pytorch2024docs", "li2017parallel"]
    );
    assert_eq!(r.unused().len(), 3);
    assert!(b.diags.items().is_empty(), "{:?}", b.diags.items());
}

#[test]
fn ieee_marks_are_inline_and_collapse_runs_of_three() {
    let s = settings("en", "ieee", &[fixture("golden.bib")], &[]);
    let mut b = Book::new();
    b.chapter(
        "ch01",
        None,
        &[
            "lecun2015deep; grill2020byol",
            "hoogeboom2021ardm; lecun2015deep; grill2020byol",
            "@grill2020byol",
            "lecun2015deep, p. 12",
        ],
    );
    let r = b.resolve(&s);
    let texts: Vec<(&str, String)> = r
        .marks
        .iter()
        .map(|m| (m.prefix.as_str(), m.text()))
        .collect();
    let texts: Vec<(&str, &str)> = texts.iter().map(|(p, t)| (*p, t.as_str())).collect();
    assert_eq!(
        texts,
        [
            ("", "[1, 2]"),
            ("", "[1-3]"),
            ("Grill et al. ", "[2]"),
            ("", "[1, p. 12]")
        ]
    );
    assert!(r.marks.iter().all(|m| !m.superscript));
}

#[test]
fn gb_narrative_prefix_and_locator() {
    let s = settings(
        "zh-CN",
        "gb-7714-2015-numeric",
        &[fixture("golden.bib")],
        &[],
    );
    let mut b = Book::new();
    b.chapter(
        "ch01",
        None,
        &[
            "@grill2020byol",
            "@zhou2016ml",
            "@li2017parallel",
            "@lecun2015deep",
            "grill2020byol, p. 12",
            "@nobody",
        ],
    );
    let r = b.resolve(&s);
    let texts: Vec<(&str, String)> = r
        .marks
        .iter()
        .map(|m| (m.prefix.as_str(), m.text()))
        .collect();
    let texts: Vec<(&str, &str)> = texts.iter().map(|(p, t)| (*p, t.as_str())).collect();
    assert_eq!(
        texts,
        [
            ("Grill 等", "[1]"),
            ("周志华", "[2]"),
            ("李力等", "[3]"),
            ("LeCun 等", "[4]"),
            ("", "[1]12"),
            ("", "[?nobody]")
        ]
    );
}

#[test]
fn unknown_key_warns_with_a_suggestion() {
    let s = settings(
        "zh-CN",
        "gb-7714-2015-numeric",
        &[fixture("golden.bib")],
        &[],
    );
    let mut b = Book::new();
    b.chapter("ch01", None, &["shannon1984", "lecun2015deep; zzz"]);
    let r = b.resolve(&s);
    assert_eq!(r.marks[0].text(), "[?shannon1984]");
    assert!(r.marks[0].targets.is_empty());
    assert_eq!(r.marks[1].text(), "[1, ?zzz]");
    let d = &b.diags.items()[0];
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.message, "unknown citation key 'shannon1984'");
    assert_eq!(d.hints, ["did you mean 'shannon1948'?"]);
    assert_eq!(d.span, Some(r.marks[0].span.clone()));
    assert!(b.diags.items()[1].hints.is_empty());
}

#[test]
fn malformed_bib_names_file_and_line() {
    let bad = "@book{ok1,\n  title = {Fine},\n  year = {2001},\n}\n\n@article{broken,\n  title = {No close\n  year = 2020\n\n@book{ok2,\n  title = {Also fine},\n  year = {2002},\n}\n";
    let s = settings(
        "en",
        "ieee",
        &[PathBuf::from("refs.bib")],
        &[("refs.bib", bad)],
    );
    let mut b = Book::new();
    b.chapter("ch01", None, &["ok1; ok2"]);
    let r = b.resolve(&s);
    let errors: Vec<String> = b
        .diags
        .items()
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| b.diags.render(d, false))
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("refs.bib:"), "{}", errors[0]);
    let line: usize = errors[0].split(':').nth(1).unwrap().parse().unwrap();
    assert!((6..=9).contains(&line), "{}", errors[0]);
    // The other entries still load.
    assert_eq!(r.entries.len(), 2);
}

#[test]
fn unknown_abbreviation_is_an_error_at_its_line() {
    let bad = "@string{jn = {Journal}}\n@book{a,\n  title = {A},\n  journal = jn,\n}\n@book{b,\n  title = {B},\n  journal = nosuchmacro,\n}\n";
    let s = settings("en", "ieee", &[PathBuf::from("x.bib")], &[("x.bib", bad)]);
    let mut b = Book::new();
    b.chapter("ch01", None, &["a"]);
    b.resolve(&s);
    let errs: Vec<&Diagnostic> = b
        .diags
        .items()
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errs.len(), 1, "{:?}", b.diags.items());
    let loc = b.diags.sources.locate(errs[0].span.as_ref().unwrap());
    assert!(loc.starts_with("x.bib:8:"), "{loc}");
    assert!(
        errs[0].message.contains("nosuchmacro"),
        "{}",
        errs[0].message
    );
}

#[test]
fn yaml_bibliography_and_author_date() {
    let yml = "crazy:\n  type: Book\n  title: Crazy Rich Asians\n  author: Kwan, Kevin\n  date: 2014\n  publisher: Anchor Books\n";
    let s = settings("en", "apa", &[PathBuf::from("b.yml")], &[("b.yml", yml)]);
    let mut b = Book::new();
    b.chapter("ch01", None, &["crazy", "@crazy", "crazy, p. 12"]);
    let r = b.resolve(&s);
    let texts: Vec<String> = r.marks.iter().map(CiteMark::text).collect();
    assert_eq!(
        texts,
        ["(Kwan, 2014)", "Kwan (2014)", "(Kwan, 2014, p. 12)"]
    );
    assert_eq!(r.entries[0].label, "");
    assert!(plain(&r.entries[0].text).starts_with("Kwan, K. (2014)."));
}

#[test]
fn unknown_style_and_missing_file_are_errors_not_panics() {
    let s = settings("en", "no-such-style", &[PathBuf::from("missing.bib")], &[]);
    let mut b = Book::new();
    b.chapter("ch01", None, &["a"]);
    let r = b.resolve(&s);
    assert_eq!(b.diags.count(Severity::Error), 2, "{:?}", b.diags.items());
    assert_eq!(r.marks[0].text(), "[?a]");
}

#[test]
fn collapse_and_edit_distance() {
    assert_eq!(
        number::collapse(&[1, 2, 3, 5, 7, 8], 2),
        [(1, 3), (5, 5), (7, 8)]
    );
    assert_eq!(
        number::collapse(&[1, 2, 3, 5, 7, 8], 3),
        [(1, 3), (5, 5), (7, 7), (8, 8)]
    );
    assert_eq!(number::edit_distance("kye", "key"), 1);
    assert_eq!(number::edit_distance("", "abc"), 3);
    assert_eq!(
        number::suggest("kye", ["key", "other"].into_iter()),
        Some("key")
    );
    assert_eq!(number::suggest("zzzzzz", ["key"].into_iter()), None);
}

#[test]
fn anchors_are_ncnames() {
    assert_eq!(anchor_for(None, "grill2020byol"), "ref-grill2020byol");
    assert_eq!(anchor_for(None, "a:b/c d"), "ref-a_b_c_d");
    assert_eq!(anchor_for(Some("ch-01"), "key"), "ref-ch-01-key");
}

#[test]
fn thirty_entries_resolve_quickly() {
    let mut bib = String::new();
    let mut keys = Vec::new();
    for i in 0..30 {
        bib.push_str(&format!(
            "@article{{k{i},\n  author = {{Smith, John and Doe, Jane and Roe, Richard and Poe, Edgar}},\n  title = {{Paper {i}}},\n  journal = {{Journal}},\n  year = {{20{i:02}}},\n  pages = {{1--10}},\n}}\n"
        ));
        keys.push(format!("k{i}"));
    }
    let s = settings(
        "zh-CN",
        "gb-7714-2015-numeric",
        &[PathBuf::from("t.bib")],
        &[("t.bib", &bib)],
    );
    let mut b = Book::new();
    let cites: Vec<&str> = keys.iter().map(String::as_str).collect();
    b.chapter("ch01", None, &cites);
    let t = std::time::Instant::now();
    let r = b.resolve(&s);
    let took = t.elapsed();
    eprintln!("resolve, 30 entries: {took:?}");
    assert_eq!(r.entries.len(), 30);
    assert!(took.as_secs() < 10);
}

#[test]
fn mark_parts_link_each_number_to_its_own_work() {
    let s = settings(
        "zh-CN",
        "gb-7714-2015-numeric",
        &[fixture("golden.bib")],
        &[],
    );
    let mut b = Book::new();
    b.chapter(
        "ch01",
        None,
        &[
            "shannon1948; lecun2015deep; grill2020byol; zzz",
            "lecun2015deep, p. 12",
        ],
    );
    let r = b.resolve(&s);
    let parts = |i: usize| -> Vec<(&str, Option<&str>)> {
        r.marks[i]
            .parts
            .iter()
            .map(|p| (p.text.as_str(), p.target.as_deref()))
            .collect()
    };
    assert_eq!(
        parts(0),
        [
            ("[", None),
            ("1", Some("ref-shannon1948")),
            ("-", None),
            ("3", Some("ref-grill2020byol")),
            (", ?zzz]", None),
        ]
    );
    assert_eq!(
        parts(1),
        [("[", None), ("2", Some("ref-lecun2015deep")), ("]12", None)]
    );
}

#[test]
fn per_chapter_lists_number_from_one_in_each_chapter() {
    let mut s = settings(
        "zh-CN",
        "gb-7714-2015-numeric",
        &[fixture("golden.bib")],
        &[],
    );
    s.content.references = crate::config::RefPlacement::PerChapter;
    let mut b = Book::new();
    b.chapter("ch01", Some("zhou2016ml"), &["shannon1948; lecun2015deep"]);
    b.chapter("ch02", None, &[]);
    b.chapter("ch03", None, &["lecun2015deep", "grill2020byol; zzz"]);
    let r = b.resolve(&s);
    assert!(r.entries.is_empty(), "no end-of-book list");
    type Listed<'r> = Vec<(&'r str, &'r str, &'r str)>; // label, key, anchor
    let lists: Vec<(&str, Listed)> = r
        .chapter_entries
        .iter()
        .map(|(ch, es)| {
            let es = es
                .iter()
                .map(|e| (e.label.as_str(), e.key.as_str(), e.anchor.as_str()))
                .collect();
            (ch.as_str(), es)
        })
        .collect();
    assert_eq!(
        lists,
        [
            (
                "ch01",
                vec![
                    ("[1]", "zhou2016ml", "ref-ch01-zhou2016ml"),
                    ("[2]", "shannon1948", "ref-ch01-shannon1948"),
                    ("[3]", "lecun2015deep", "ref-ch01-lecun2015deep"),
                ]
            ),
            (
                "ch03",
                vec![
                    ("[1]", "lecun2015deep", "ref-ch03-lecun2015deep"),
                    ("[2]", "grill2020byol", "ref-ch03-grill2020byol"),
                ]
            ),
        ]
    );
    let texts: Vec<String> = r.marks.iter().map(CiteMark::text).collect();
    assert_eq!(texts, ["[2-3]", "[1]", "[2, ?zzz]"]);
    assert_eq!(r.marks[1].targets, ["ref-ch03-lecun2015deep"]);
    assert_eq!(r.marks[2].anchor, "cite-3");
    assert_eq!(
        r.chapter_list("ch03")[0].first_cited,
        Some(("ch03".into(), "cite-2".into()))
    );
    assert!(r.chapter_list("ch02").is_empty());
    assert_eq!(r.paper_refs.len(), 1);
    assert_eq!(r.all_entries().count(), 5);
    // Works cited in some chapter are not "unused".
    let unused: Vec<&str> = r.unused_keys.iter().map(|(k, _)| k.as_str()).collect();
    assert!(!unused.contains(&"lecun2015deep") && unused.contains(&"goodfellow2016deep"));
    assert_eq!(
        b.diags.items().len(),
        1,
        "one unknown key: {:?}",
        b.diags.items()
    );
}
