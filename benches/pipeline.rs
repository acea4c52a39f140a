//! `cargo bench`: each stage of the pipeline on the sample book, and whole builds (divan).
//!
//! `read_inputs` is the baseline: reading every input file of the book, the floor any tool pays. The
//! README gives each stage's median as a ratio to the baseline's median of the same run. `typeset_a4`
//! runs on one and on two threads, to show what laying chapters out in parallel gains. Run one case with
//! `cargo bench -- typeset`.

use folio::config::{self, Overrides, Settings};
use folio::diag::Diagnostics;
use folio::doc::Document;
use folio::fonts::FontSet;
use folio::refs::Resolved;
use folio::typeset::page::PagedDocument;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

fn main() {
    divan::main();
}

/// The sample book, loaded once: the input of the later stages.
struct Book {
    root: PathBuf,
    settings: Settings,
    doc: Document,
    refs: Resolved,
    fonts: FontSet,
    paged: PagedDocument,
}

static BOOK: LazyLock<Book> = LazyLock::new(|| {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut diags = Diagnostics::default();
    let settings =
        config::load(&root, &Overrides::default(), &mut diags).expect("the sample book's settings");
    let doc = folio::load::load(&settings, &mut diags, false);
    let refs = folio::refs::resolve(&settings, &doc, &mut diags);
    let (fonts, _) = FontSet::resolve(&settings.fonts, &root.join("fonts")).expect("fonts");
    assert!(!diags.has_errors());
    let paged = folio::typeset::layout(&settings, &doc, &refs, &fonts).expect("layout");
    Book {
        root,
        settings,
        doc,
        refs,
        fonts,
        paged,
    }
});

fn read_tree(dir: &Path, total: &mut usize) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            read_tree(&p, total);
        } else {
            *total += std::fs::read(&p).map_or(0, |b| b.len());
        }
    }
}

#[divan::bench]
fn read_inputs() -> usize {
    let root = &BOOK.root;
    let mut n = 0;
    for d in ["content", "images", "fonts"] {
        read_tree(&root.join(d), &mut n);
    }
    n + std::fs::read(root.join("references.bib")).map_or(0, |b| b.len())
}

#[divan::bench]
fn load_and_parse() -> Document {
    let mut d = Diagnostics::default();
    let s = config::load(&BOOK.root, &Overrides::default(), &mut d).unwrap();
    folio::load::load(&s, &mut d, false)
}

#[divan::bench]
fn resolve_references() -> Resolved {
    let mut d = Diagnostics::default();
    folio::refs::resolve(&BOOK.settings, &BOOK.doc, &mut d)
}

#[divan::bench]
fn load_fonts() -> FontSet {
    FontSet::resolve(&BOOK.settings.fonts, &BOOK.root.join("fonts"))
        .unwrap()
        .0
}

#[divan::bench]
fn subset_body_font() -> Vec<u8> {
    let chars = folio::doc::chars_by_style(&BOOK.doc)
        .into_values()
        .flatten()
        .collect();
    BOOK.fonts
        .face(folio::fonts::Role::Serif)
        .subset(&chars)
        .unwrap()
}

#[divan::bench(sample_count = 30)]
fn write_epub() -> Vec<u8> {
    let b = &*BOOK;
    let input = folio::epub::EpubInput {
        settings: &b.settings,
        doc: &b.doc,
        refs: &b.refs,
        fonts: &b.fonts,
    };
    folio::epub::write(&input).unwrap().0
}

/// Layout on `threads` threads: chapters are shaped and broken into lines in parallel.
#[divan::bench(args = [1, 2], sample_count = 30)]
fn typeset_a4(bencher: divan::Bencher, threads: usize) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let b = &*BOOK;
    bencher.bench(|| {
        pool.install(|| folio::typeset::layout(&b.settings, &b.doc, &b.refs, &b.fonts).unwrap())
    });
}

/// The writer consumes the pages; each sample gets its own copy, made outside the timing.
#[divan::bench(sample_count = 30)]
fn write_pdf(bencher: divan::Bencher) {
    let b = &*BOOK;
    bencher
        .with_inputs(|| b.paged.clone())
        .bench_values(|paged| folio::pdf::write(&b.settings, paged, &b.fonts).unwrap());
}

fn whole(formats: Vec<folio::Format>) -> folio::Outputs {
    let req = folio::BuildRequest {
        root: BOOK.root.clone(),
        overrides: Overrides {
            out_dir: Some(std::env::temp_dir().join("folio-bench")),
            paper: None,
        },
        formats,
        write: true,
    };
    let mut d = Diagnostics::default();
    folio::build(&req, &mut d, &mut |_| {}).expect("build")
}

#[divan::bench(sample_count = 20)]
fn whole_build_epub() -> folio::Outputs {
    whole(vec![folio::Format::Epub])
}

#[divan::bench(sample_count = 20)]
fn whole_build_pdf() -> folio::Outputs {
    whole(vec![folio::Format::Pdf])
}

#[divan::bench(sample_count = 20)]
fn whole_build_epub_and_pdf() -> folio::Outputs {
    whole(Vec::new())
}
