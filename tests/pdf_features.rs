//! The features fixture book (every Markdown construct folio supports: lists, task lists, quotes,
//! code, tables, a figure, footnotes, citations, links, emphasis) through the whole pipeline into an
//! A5 PDF: a page-dump snapshot (`FOLIO_ACCEPT=1` rewrites it), the page-model invariants, and the
//! file judged by qpdf and pdffonts.

mod common;

use folio::config::Paper;

#[test]
fn features_book_page_dump() {
    let common::Laid {
        paged, pdf, fonts, ..
    } = common::lay_out(&common::fixture("features"), Some(Paper::A5), |_| {});
    common::check_page_model(&paged);
    // The right-aligned column: both numbers end at the same x, right of the other columns.
    let ends: Vec<(f32, f32)> = paged
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            folio::typeset::page::Item::Text(t) if t.text == "0.01%" || t.text == "300万" => {
                Some((
                    t.origin.x,
                    t.origin.x + t.glyphs.iter().map(|g| g.x_advance).sum::<f32>(),
                ))
            }
            _ => None,
        })
        .collect();
    assert_eq!(ends.len(), 2, "{ends:?}");
    assert!(
        (ends[0].1 - ends[1].1).abs() < 0.01,
        "right-aligned: {ends:?}"
    );
    assert!(ends[0].0 > 200.0, "in the third column: {ends:?}");
    let dump = folio::typeset::dump::dump(&paged, Some(&fonts));
    common::assert_snapshot("pdf_features", &dump);
    let out = common::temp_dir("pdf-features").join("features.pdf");
    std::fs::write(&out, &pdf).unwrap();
    common::check_pdf_file(&out);
}
