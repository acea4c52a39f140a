//! `[content] references = "per-chapter"` through the whole build: each citing chapter closes with its own
//! list numbered from 1, marks link into their chapter's list, the lists are in the nav, the landmarks,
//! the PDF contents and outline; epubcheck and qpdf stay clean.

mod common;

use common::*;
use folio::Format;

#[test]
fn each_chapter_closes_with_its_own_numbered_list() {
    let out = temp_dir("per-chapter");
    let (files, msgs) = build(&fixture("per-chapter"), &out, &[Format::Epub, Format::Pdf]);
    assert!(msgs.is_empty(), "{}", msgs.join(""));
    assert_eq!(files.len(), 2);

    let entries = zip_entries(&std::fs::read(out.join("per-chapter.epub")).unwrap());
    let text = |name: &str| -> String {
        let (_, b) = entries
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name} in the EPUB"));
        String::from_utf8(b.clone()).unwrap()
    };
    assert!(
        !entries.iter().any(|(n, _)| n.ends_with("references.xhtml")),
        "no end-of-book references document"
    );
    let ch1 = text("OEBPS/text/ch-01-first.xhtml");
    let ch2 = text("OEBPS/text/ch-02-second.xhtml");
    let ch3 = text("OEBPS/text/ch-03-third.xhtml");
    // Chapter 1: two works, [1] and [2]; `[@shannon1948; @lecun2015deep]` links each number.
    assert!(ch1.contains(
        "<span class=\"cite\">[<a href=\"ch-01-first.xhtml#ref-ch-01-first-shannon1948\" id=\"cite-3\">1</a>-<a href=\"ch-01-first.xhtml#ref-ch-01-first-lecun2015deep\">2</a>]</span>"
    ), "{ch1}");
    assert!(ch1.contains("<section epub:type=\"bibliography\" class=\"references\" id=\"ch-01-first-references\"><h2>参考文献</h2>"));
    assert_eq!(ch1.matches("epub:type=\"biblioentry\"").count(), 2);
    // Chapter 2 numbers from 1 again, and lists LeCun (cited in chapter 1 too) a second time, as [3].
    assert!(ch2.contains("如周志华<sup><a href=\"ch-02-second.xhtml#ref-ch-02-second-zhou2016ml\" id=\"cite-4\" class=\"cite\">[1]</a></sup>所述"), "{ch2}");
    assert_eq!(ch2.matches("epub:type=\"biblioentry\"").count(), 3);
    assert!(ch2.contains(
        "<p class=\"ref\" id=\"ref-ch-02-second-lecun2015deep\" epub:type=\"biblioentry\"><span class=\"ref-label\">[3]</span>"
    ));
    assert!(
        ch2.contains("<a href=\"#cite-6\" class=\"ref-back\""),
        "back link stays in the chapter"
    );
    // A chapter that cites nothing gets no list.
    assert!(!ch3.contains("bibliography"));
    let nav = text("OEBPS/text/nav.xhtml");
    assert!(nav.contains("href=\"ch-02-second.xhtml#ch-02-second-references\">参考文献</a>"));
    assert!(nav.contains(
        "<a epub:type=\"bibliography\" href=\"ch-01-first.xhtml#ch-01-first-references\">"
    ));
    match epubcheck(&out.join("per-chapter.epub")) {
        Some((clean, report)) => assert!(clean, "{report}"),
        None => missing("epubcheck"),
    }

    let pdf = out.join("per-chapter.pdf");
    check_pdf_file(&pdf);
    if let Some(contents) = pdftotext(&pdf, 2) {
        assert_eq!(contents.matches("参考文献").count(), 2, "{contents}");
    }
    match pdftotext(&pdf, 4) {
        Some(page) => {
            assert!(
                page.contains("[1] 周志华. 机器学习[M]. 北京: 清华大学出版社, 2016."),
                "{page}"
            );
            assert!(
                page.contains("[3] LECUN Y, BENGIO Y, HINTON G. Deep learning"),
                "{page}"
            );
        }
        None => missing("pdftotext"),
    }
}
