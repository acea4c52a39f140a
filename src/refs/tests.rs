//! refs tests: golden reference strings (GB/T 7714-2015 numeric, IEEE), numbering, marks, diagnostics.

use super::*;
use crate::config::{Overrides, Settings};
use crate::diag::{FileId, Severity, SourceFile};
use crate::doc::{Block, Chapter, CiteItem, Inline, Matter, PaperInfo};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/refs").join(name)
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

const GOLDEN_KEYS: &[&str] = &[
    "lecun2015deep",
    "grill2020byol",
    "hoogeboom2021ardm",
    "goodfellow2016deep",
    "zhou2016ml",
    "pytorch2024docs",
    "shannon1948",
    "li2017parallel",
];

/// `label text` of every entry, citing the golden keys in order.
fn golden(lang: &str, style: &str) -> Vec<String> {
    let s = settings(lang, style, &[fixture("golden.bib")], &[]);
    let mut b = Book::new();
    b.chapter("ch01", None, GOLDEN_KEYS);
    let r = b.resolve(&s);
    assert!(!b.diags.has_errors(), "{:?}", b.diags.items());
    r.entries
        .iter()
        .map(|e| format!("{} {}", e.label, plain(&e.text)))
        .collect()
}

#[test]
fn dump() {
    for (lang, style) in [("zh-CN", "gb-7714-2015-numeric"), ("en", "ieee")] {
        for l in golden(lang, style) {
            println!("{l}");
        }
    }
}

#[allow(dead_code)]
fn unused_helpers(_: FileId, _: Severity) {}
