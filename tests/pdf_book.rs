//! End to end on the sample book in the repository root: a small test-only Markdown reader (until the
//! real `load` stage lands on main) → typeset → pdf, in A4 and A5, checked with qpdf, pdffonts and
//! pdftotext when they are installed. Writes `$CARGO_TARGET_TMPDIR/book-{a4,a5}.pdf` for looking at.

mod pdf_common;

use folio::config::{Overrides, Paper};
use folio::diag::Diagnostics;
use std::path::Path;
use std::time::Instant;

fn build(paper: Option<Paper>) -> Option<(Vec<u8>, usize)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !root.join("content").is_dir() {
        eprintln!("note: no sample book in the repository; skipped");
        return None;
    }
    let mut diags = Diagnostics::default();
    let settings = folio::config::load(
        root,
        &Overrides {
            out_dir: None,
            paper,
        },
        &mut diags,
    )
    .expect("book.toml");
    let t = Instant::now();
    let doc = pdf_common::load_book(&root.join("content"));
    let refs = pdf_common::fake_refs(&doc);
    let (fonts, _) =
        folio::fonts::FontSet::resolve(&settings.fonts, &root.join("fonts")).expect("fonts");
    let paged = folio::typeset::layout(&settings, &doc, &refs, &fonts).expect("layout");
    let bytes = folio::pdf::write(&settings, &paged, &fonts).expect("pdf");
    eprintln!(
        "book {:?}: {} pages, {} bytes, {:.2} s",
        paper.map(|p| p.width_mm),
        paged.pages.len(),
        bytes.len(),
        t.elapsed().as_secs_f32()
    );
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "book-{}.pdf",
        if paper.is_some() { "a5" } else { "a4" }
    ));
    std::fs::write(&out, &bytes).expect("write pdf");
    pdf_common::check_page_model(&paged);
    Some((bytes, paged.pages.len()))
}

#[test]
fn sample_book_a4_and_a5() {
    for (name, paper) in [("a4", None), ("a5", Some(Paper::A5))] {
        let Some((bytes, pages)) = build(paper) else {
            return;
        };
        assert!(pages > 10);
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("book-{name}.pdf"));
        assert_eq!(std::fs::read(&out).ok().as_deref(), Some(bytes.as_slice()));
        pdf_common::check_pdf_file(&out);
    }
}
