//! A small book built in code: page-dump snapshot (`FOLIO_ACCEPT=1` rewrites it), TOC numbers, text
//! layer round trip through pdftotext, and byte-identical output on two runs.

mod common;

use folio::config::{Overrides, Paper};
use folio::diag::{Diagnostics, FileId, Span};
use folio::doc::*;
use folio::typeset::page::{Item, LinkDest};
use std::path::Path;

const PARA: &str = "这篇论文把顺序无关的自回归模型与吸收态离散扩散统一为“自回归扩散模型”，让同一个模型既能逐个变量地生成，也能在给定的步数预算下并行生成。";

fn sp() -> Span {
    Span::new(FileId(0), 0..0)
}

fn book() -> Document {
    let para = |t: &str| Block::Paragraph {
        content: vec![Inline::Text(t.into())],
        span: sp(),
    };
    let mut chapters = Vec::new();
    for n in 1..=3 {
        let mut blocks = vec![para(PARA)];
        blocks.push(Block::Heading {
            level: 2,
            id: format!("s{n}"),
            content: vec![Inline::Text("方法".into())],
            span: sp(),
        });
        blocks.push(Block::Paragraph {
            content: vec![
                Inline::Text("我们使用".into()),
                Inline::Autospace,
                Inline::Text("Rust".into()),
                Inline::Autospace,
                Inline::Text("编写".into()),
                Inline::FootnoteRef {
                    index: 0,
                    span: sp(),
                },
                Inline::Text("。".into()),
            ],
            span: sp(),
        });
        if n == 1 {
            // An icon in running text: set in the line, on the em box, not as its alt text.
            blocks.push(Block::Paragraph {
                content: vec![
                    Inline::Text("标有".into()),
                    Inline::Image(Image {
                        path: "images/done.png".into(),
                        alt: "完成".into(),
                        span: sp(),
                    }),
                    Inline::Text("的小节已经校对。".into()),
                ],
                span: sp(),
            });
        }
        for _ in 0..12 {
            blocks.push(para(PARA));
        }
        chapters.push(Chapter {
            id: format!("ch{n}"),
            source: format!("content/ch{n}.md").into(),
            matter: Matter::Body,
            title: format!("第{n}章　示例"),
            subtitle: None,
            paper: PaperInfo::default(),
            blocks,
            footnotes: vec![Footnote {
                label: "1".into(),
                blocks: vec![para("一条脚注。")],
                span: sp(),
            }],
            span: sp(),
        });
    }
    Document {
        chapters,
        ..Default::default()
    }
}

fn render() -> (
    folio::typeset::page::PagedDocument,
    Vec<u8>,
    folio::fonts::FontSet,
) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf-basic");
    let mut diags = Diagnostics::default();
    let settings = folio::config::load(
        &root,
        &Overrides {
            out_dir: None,
            paper: Some(Paper::A5),
        },
        &mut diags,
    )
    .expect("settings");
    let doc = book();
    let refs = folio::refs::Resolved::default();
    let (fonts, _) =
        folio::fonts::FontSet::resolve(&settings.fonts, &root.join("fonts")).expect("fonts");
    let paged = folio::typeset::layout(&settings, &doc, &refs, &fonts).expect("layout");
    let bytes = folio::pdf::write(&settings, paged.clone(), &fonts).expect("pdf");
    (paged, bytes, fonts)
}

#[test]
fn basic_book() {
    let (paged, bytes, fonts) = render();
    common::check_page_model(&paged);
    // Snapshot of the page dump.
    let dump = folio::typeset::dump::dump(&paged, Some(&fonts));
    common::assert_snapshot("pdf_basic", &dump);
    // TOC page numbers match where the chapters landed: each TOC link's target page carries that label.
    let toc = paged
        .pages
        .iter()
        .find(|p| {
            p.items.iter().any(|i| {
                matches!(
                    i,
                    Item::Link {
                        target: LinkDest::Internal { .. },
                        ..
                    }
                )
            })
        })
        .expect("toc");
    for it in &toc.items {
        if let Item::Link {
            rect,
            target: LinkDest::Internal { page, .. },
        } = it
        {
            let label = paged.pages[*page].label.clone().expect("label");
            let on_line = toc.items.iter().any(|i| matches!(i, Item::Text(t) if t.text == label && t.origin.y > rect.y && t.origin.y < rect.y + rect.height));
            assert!(on_line, "TOC entry for page {label} shows another number");
        }
    }
    // The inline icon: one em square (A5 body 10.5 pt), on the line of its text, between 有 and 的.
    let (icon_page, rect) = paged
        .pages
        .iter()
        .enumerate()
        .find_map(|(i, p)| {
            p.items.iter().find_map(|it| match it {
                Item::Image { rect, alt, .. } if alt == "完成" => Some((i, *rect)),
                _ => None,
            })
        })
        .expect("the inline image is drawn");
    assert!(
        (rect.width - 10.5).abs() < 0.01 && (rect.height - 10.5).abs() < 0.01,
        "{rect:?}"
    );
    let line = paged.pages[icon_page]
        .items
        .iter()
        .find_map(|it| match it {
            Item::Text(t) if t.text == "标有" => Some(t),
            _ => None,
        })
        .expect("its line");
    let (top, bottom) = (line.origin.y - 0.88 * 10.5, line.origin.y + 0.12 * 10.5);
    assert!((rect.y - top).abs() < 0.01 && (rect.y + rect.height - bottom).abs() < 0.01);
    assert!(
        (rect.x - (line.origin.x + 2.0 * 10.5)).abs() < 0.01,
        "after 标有"
    );
    assert!(
        !paged.pages[icon_page]
            .items
            .iter()
            .any(|it| matches!(it, Item::Text(t) if t.text.contains("完成"))),
        "the alt text is not set"
    );
    // Same bytes on a second run.
    assert_eq!(bytes, render().1, "output is not reproducible");
    // Text layer round trip.
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pdf-basic.pdf");
    std::fs::write(&out, &bytes).unwrap();
    common::check_pdf_file(&out);
    let first_body = paged
        .pages
        .iter()
        .position(|p| {
            p.items
                .iter()
                .any(|i| matches!(i, Item::Text(t) if t.text.contains("这篇论文")))
        })
        .unwrap();
    if let Some(text) = common::pdftotext(&out, first_body + 1) {
        let joined: String = text.lines().map(str::trim).collect();
        assert!(joined.contains(PARA), "text layer: {joined}");
        // Autospace is a gap, not a space glyph, and the text layer keeps poppler from reading one.
        assert!(joined.contains("我们使用Rust编写"), "{joined}");
    }
    for p in &paged.pages {
        for it in &p.items {
            if let Item::Text(t) = it {
                assert!(
                    !t.text.contains(' ')
                        || t.text.chars().any(|c| c.is_ascii_alphabetic()
                            && t.text.contains(" ")
                            && !t.text.contains("使用 ")),
                    "space in run {:?}",
                    t.text
                );
            }
        }
    }
}
