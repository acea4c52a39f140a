//! The EPUB writer end to end: a hand-built book using every feature → EPUB bytes → opened again.
//!
//! Fonts: the repository's `fonts/` folder when present, else the system fonts (fonts-noto-cjk,
//! fonts-lxgw-wenkai). The epubcheck test runs when `epubcheck` is installed and fails when it is
//! missing and `FOLIO_REQUIRE_VALIDATORS=1`.

mod common;

use folio::config::{
    BookMeta, ContentSettings, OutputSettings, Paper, PdfSettings, RefPlacement, Settings,
};
use folio::diag::{FileId, Span};
use folio::doc::*;
use folio::epub::{EpubInput, write};
use folio::fonts::FontSet;
use folio::refs::{CiteMark, Entry, MarkPart, RefText, Resolved};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn sp() -> Span {
    Span::new(FileId(0), 0..0)
}
fn t(s: &str) -> Inline {
    Inline::Text(s.into())
}
fn para(c: Vec<Inline>) -> Block {
    Block::Paragraph {
        content: c,
        span: sp(),
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// A fresh book folder holding one PNG (the writer reads images through `files`). One folder per
/// call: tests run in parallel, and a PNG rewritten while another build reads it would be torn.
fn book_dir() -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("folio-epub-test-{}-{n}", std::process::id()));
    std::fs::create_dir_all(dir.join("images")).unwrap();
    let img = image::RgbImage::from_pixel(40, 20, image::Rgb([200, 60, 60]));
    img.save(dir.join("images/fig.png")).unwrap();
    dir
}

fn settings(root: PathBuf) -> Settings {
    Settings {
        root: root.clone(),
        book: BookMeta {
            title: "论文导读：测试之书".into(),
            subtitle: Some("每一种功能".into()),
            authors: vec!["张三".into(), "Jane Doe".into()],
            language: "zh-CN".into(),
            identifier: "urn:uuid:0b0f1b2c-3d4e-5f60-7182-93a4b5c6d7e8".into(),
            date: Some("2022-04-25".into()),
            publisher: Some("示例出版社".into()),
            description: Some("一本 <测试> & 书".into()),
            keywords: vec!["机器学习".into(), "EPUB".into()],
            rights: Some("CC BY 4.0".into()),
            cover: None,
        },
        content: ContentSettings {
            chapters: None,
            bibliography: vec![],
            citation_style: "gb-7714-2015-numeric".into(),
            references_title: "参考文献".into(),
            references: RefPlacement::End,
        },
        fonts: BTreeMap::new(),
        font_at: BTreeMap::new(),
        cover_at: None,
        output: OutputSettings {
            dir: root.join("out"),
            name: "test".into(),
        },
        pdf: PdfSettings::for_paper(Paper::A4),
        timestamp: 1_650_844_800,
        toml_file: None,
    }
}

fn chapter(
    id: &str,
    matter: Matter,
    title: &str,
    blocks: Vec<Block>,
    footnotes: Vec<Footnote>,
) -> Chapter {
    Chapter {
        id: id.into(),
        source: PathBuf::from(format!("content/{id}.md")),
        matter,
        title: title.into(),
        subtitle: None,
        paper: PaperInfo::default(),
        blocks,
        footnotes,
        span: sp(),
    }
}

fn cite(key: &str) -> Inline {
    Inline::Cite(Citation {
        items: vec![CiteItem {
            key: key.into(),
            locator: None,
            suppress_author: false,
            span: sp(),
        }],
        narrative: false,
        span: sp(),
    })
}

pub fn sample() -> (Document, Resolved) {
    let mut ch1 = chapter(
        "ch01-ardm",
        Matter::Body,
        "Autoregressive Diffusion Models",
        vec![
            para(vec![
                t("本章介绍"),
                Inline::Autospace,
                Inline::Strong(vec![t("ARDM")]),
                Inline::Autospace,
                t("模型"),
                cite("hoogeboom2022"),
                t("，它"),
                Inline::Emph(vec![t("很重要")]),
                t("。"),
                Inline::FootnoteRef {
                    index: 0,
                    span: sp(),
                },
            ]),
            Block::Heading {
                level: 2,
                id: "方法".into(),
                content: vec![t("方法")],
                span: sp(),
            },
            para(vec![
                t("删除"),
                Inline::Strike(vec![t("旧文")]),
                t("，代码"),
                Inline::Autospace,
                Inline::Code("x < y && z".into()),
                Inline::Autospace,
                t("见"),
                Inline::Link {
                    target: LinkTarget::External("https://example.com/a b?x=1&y=2".into()),
                    content: vec![t("链接")],
                    span: sp(),
                },
                t("与"),
                Inline::Link {
                    target: LinkTarget::Internal {
                        chapter: "ch02-esan".into(),
                        anchor: Some("结果".into()),
                    },
                    content: vec![t("第二章")],
                    span: sp(),
                },
                t("。"),
                Inline::LineBreak,
                t("第二行"),
                Inline::FootnoteRef {
                    index: 1,
                    span: sp(),
                },
            ]),
            Block::Code {
                lang: Some("rust".into()),
                text: "fn main() {\n    println!(\"你好 <world>\");\n}\n".into(),
                span: sp(),
            },
            Block::Quote {
                blocks: vec![para(vec![t("引用的话。")])],
                span: sp(),
            },
            Block::List {
                start: Some(3),
                tight: true,
                items: vec![
                    ListItem {
                        task: None,
                        blocks: vec![
                            para(vec![t("第一项")]),
                            Block::List {
                                start: None,
                                tight: true,
                                items: vec![ListItem {
                                    task: None,
                                    blocks: vec![para(vec![t("嵌套项")])],
                                }],
                                span: sp(),
                            },
                        ],
                    },
                    ListItem {
                        task: None,
                        blocks: vec![para(vec![t("第二项")])],
                    },
                ],
                span: sp(),
            },
            Block::List {
                start: None,
                tight: true,
                items: vec![
                    ListItem {
                        task: Some(true),
                        blocks: vec![para(vec![t("已完成")])],
                    },
                    ListItem {
                        task: Some(false),
                        blocks: vec![para(vec![t("未完成")])],
                    },
                ],
                span: sp(),
            },
            Block::Table {
                align: vec![Align::Left, Align::Center, Align::Right],
                head: vec![vec![t("模型")], vec![t("参数")], vec![t("得分")]],
                rows: vec![vec![vec![t("ARDM")], vec![t("1亿")], vec![t("3.1")]]],
                span: sp(),
            },
            Block::Figure {
                image: Image {
                    path: "images/fig.png".into(),
                    alt: "示意图".into(),
                    span: sp(),
                },
                caption: vec![t("图"), Inline::Autospace, t("1：结构")],
                span: sp(),
            },
            Block::Rule { span: sp() },
        ],
        vec![
            Footnote {
                label: "1".into(),
                blocks: vec![para(vec![t("脚注一，引用"), cite("grill2020")])],
                span: sp(),
            },
            Footnote {
                label: "2".into(),
                blocks: vec![para(vec![t("脚注二。")])],
                span: sp(),
            },
        ],
    );
    ch1.subtitle = Some("自回归扩散模型".into());
    ch1.paper = PaperInfo {
        authors: vec!["Emiel Hoogeboom".into(), "Tim Salimans".into()],
        venue: Some("ICLR 2022".into()),
        url: Some("https://openreview.net/forum?id=Lm8T39vLDTE".into()),
        cite: Some(("hoogeboom2022".into(), sp())),
    };
    let ch2 = chapter(
        "ch02-esan",
        Matter::Body,
        "等变子图聚合网络",
        vec![
            Block::Heading {
                level: 2,
                id: "结果".into(),
                content: vec![t("结果")],
                span: sp(),
            },
            para(vec![
                t("使用"),
                Inline::Autospace,
                t("GNN"),
                Inline::Autospace,
                t("的结果"),
                cite("grill2020"),
                t("。"),
                Inline::FootnoteRef {
                    index: 0,
                    span: sp(),
                },
            ]),
            Block::Heading {
                level: 3,
                id: "细节".into(),
                content: vec![t("细节")],
                span: sp(),
            },
        ],
        vec![Footnote {
            label: "a".into(),
            blocks: vec![para(vec![t("另一章的脚注。")])],
            span: sp(),
        }],
    );
    let pre = chapter(
        "ch00-preface",
        Matter::Front,
        "前言",
        vec![para(vec![t("前言正文。")])],
        vec![],
    );
    let back = chapter(
        "ch99-colophon",
        Matter::Back,
        "版权页",
        vec![para(vec![t("后记。")])],
        vec![],
    );
    let doc = Document {
        chapters: vec![pre, ch1, ch2, back],
        ..Default::default()
    };
    let mark = |n: usize, key: &str| CiteMark {
        span: sp(),
        prefix: String::new(),
        parts: vec![MarkPart {
            text: format!("[{n}]"),
            target: Some(format!("ref-{key}")),
        }],
        superscript: true,
        targets: vec![format!("ref-{key}")],
        anchor: format!("cite-{n}"),
    };
    let refs = Resolved {
        marks: vec![
            mark(1, "hoogeboom2022"),
            mark(2, "grill2020"),
            mark(3, "grill2020"),
        ],
        entries: vec![
            Entry {
                key: "hoogeboom2022".into(),
                anchor: "ref-hoogeboom2022".into(),
                label: "[1]".into(),
                text: vec![
                    RefText::Plain(
                        "HOOGEBOOM E, SALIMANS T. Autoregressive diffusion models[C]//".into(),
                    ),
                    RefText::Italic("ICLR".into()),
                    RefText::Plain(". 2022.".into()),
                ],
                first_cited: Some(("ch01-ardm".into(), "cite-1".into())),
            },
            Entry {
                key: "grill2020".into(),
                anchor: "ref-grill2020".into(),
                label: "[2]".into(),
                text: vec![
                    RefText::Plain("GRILL J B, 等. BYOL[J]. ".into()),
                    RefText::Link {
                        text: "doi:10.1/x".into(),
                        url: "https://doi.org/10.1/x".into(),
                    },
                ],
                first_cited: Some(("ch01-ardm".into(), "cite-2".into())),
            },
        ],
        chapter_entries: vec![],
        title: "参考文献".into(),
        paper_refs: vec![(
            "ch01-ardm".into(),
            vec![RefText::Plain("HOOGEBOOM E. ARDM[C]. 2022.".into())],
        )],
        unused_keys: vec![],
    };
    (doc, refs)
}

fn build() -> (Vec<u8>, Vec<folio::diag::Diagnostic>) {
    let dir = book_dir();
    let s = settings(dir);
    let (doc, refs) = sample();
    let (fonts, _) = FontSet::resolve(&BTreeMap::new(), &root().join("fonts"))
        .expect("CJK fonts (fonts/ or fonts-noto-cjk)");
    write(&EpubInput {
        settings: &s,
        doc: &doc,
        refs: &refs,
        fonts: &fonts,
    })
    .expect("epub")
}

use common::is_han;

#[test]
fn every_feature_round_trips() {
    let (bytes, warnings) = build();
    assert!(warnings.is_empty(), "{warnings:?}");
    let files = common::zip_entries(&bytes);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[0], "mimetype");
    assert_eq!(files[0].1, b"application/epub+zip");
    assert!(names.contains(&"META-INF/com.apple.ibooks.display-options.xml"));
    let get = |n: &str| {
        String::from_utf8(
            files
                .iter()
                .find(|(k, _)| k == n)
                .unwrap_or_else(|| panic!("{n} missing"))
                .1
                .clone(),
        )
        .unwrap()
    };
    let opf = get("OEBPS/content.opf");
    assert!(opf.contains("<dc:language>zh-CN</dc:language>"));
    assert!(opf.contains("<meta property=\"dcterms:modified\">2022-04-25T00:00:00Z</meta>"));
    assert!(opf.contains("一本 &lt;测试&gt; &amp; 书"));
    // Spine order: cover, title page, nav, front, body…, references, back.
    let spine: Vec<&str> = opf.split("<itemref").skip(1).collect();
    let hrefs: Vec<String> = spine
        .iter()
        .map(|l| {
            let id = l.split('"').nth(1).unwrap();
            let item = opf
                .lines()
                .find(|x| x.contains(&format!("id=\"{id}\"")))
                .unwrap();
            item.split("href=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        hrefs,
        [
            "text/cover.xhtml",
            "text/titlepage.xhtml",
            "text/nav.xhtml",
            "text/ch00-preface.xhtml",
            "text/ch01-ardm.xhtml",
            "text/ch02-esan.xhtml",
            "text/references.xhtml",
            "text/ch99-colophon.xhtml"
        ]
    );
    let nav = get("OEBPS/text/nav.xhtml");
    assert!(nav.contains("<a href=\"ch01-ardm.xhtml\" lang=\"en\" xml:lang=\"en\">Autoregressive Diffusion Models</a><ol><li><a href=\"ch01-ardm.xhtml#方法\">方法</a></li>"));
    assert!(nav.contains("<a href=\"references.xhtml\">参考文献</a>"));
    assert!(
        nav.contains("epub:type=\"landmarks\"")
            && nav.contains("epub:type=\"bodymatter\" href=\"ch01-ardm.xhtml\"")
    );
    let ch1 = get("OEBPS/text/ch01-ardm.xhtml");
    assert!(ch1.contains("xml:lang=\"zh-CN\" lang=\"zh-CN\""));
    assert!(ch1.contains("<h1 lang=\"en\" xml:lang=\"en\">Autoregressive Diffusion Models</h1>"));
    assert!(ch1.contains("本章介绍 <strong>ARDM</strong> 模型<sup><a href=\"references.xhtml#ref-hoogeboom2022\" id=\"cite-1\" class=\"cite\">[1]</a></sup>"));
    assert!(ch1.contains("<a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn-ch01-ardm-1\" id=\"fnref-ch01-ardm-1\" class=\"noteref\">①</a>"));
    assert!(ch1.contains("<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-ch01-ardm-2\" class=\"footnote\"><p><a href=\"#fnref-ch01-ardm-2\""));
    assert!(ch1.contains("href=\"ch02-esan.xhtml#结果\""));
    assert!(ch1.contains("href=\"https://example.com/a%20b?x=1&amp;y=2\""));
    assert!(ch1.contains("<code>x &lt; y &amp;&amp; z</code>"));
    assert!(ch1.contains("<span style=\"color:"), "code is highlighted");
    assert!(
        ch1.contains("<ol start=\"3\">")
            && ch1.contains("<input type=\"checkbox\" disabled=\"disabled\" checked=\"checked\"/>")
    );
    assert!(
        ch1.contains("<th class=\"center\">参数</th>")
            && ch1.contains("<td class=\"right\">3.1</td>")
    );
    assert!(ch1.contains(
        "<img src=\"../images/fig.png\" alt=\"示意图\"/><figcaption>图 1：结构</figcaption>"
    ));
    assert!(ch1.contains("<p class=\"paper-ref\">HOOGEBOOM E. ARDM[C]. 2022.</p>"));
    let ch2 = get("OEBPS/text/ch02-esan.xhtml");
    assert!(ch2.contains(">①</a>"), "markers restart per chapter");
    let refs = get("OEBPS/text/references.xhtml");
    assert!(
        refs.contains("id=\"ref-grill2020\"") && refs.contains("href=\"ch01-ardm.xhtml#cite-2\"")
    );
    // No whitespace between two Han characters in any text (inline tags removed first).
    for (name, data) in files.iter().filter(|(n, _)| n.ends_with(".xhtml")) {
        let mut text = String::from_utf8(data.clone()).unwrap();
        for tag in ["em", "strong", "del", "code", "a", "span", "sup", "i"] {
            text = text.replace(&format!("</{tag}>"), "");
        }
        let chars: Vec<char> = text.chars().collect();
        for w in chars.windows(3) {
            assert!(
                !(is_han(w[0]) && w[1].is_whitespace() && is_han(w[2])),
                "{name}: space in {:?}",
                w.iter().collect::<String>()
            );
        }
    }
    // Fonts are subsets: glyph count close to the characters used.
    let fonts: Vec<&(String, Vec<u8>)> = files
        .iter()
        .filter(|(n, _)| n.starts_with("OEBPS/fonts/"))
        .collect();
    assert!(fonts.len() >= 3, "{names:?}");
    for (name, data) in fonts {
        assert!(name.ends_with(".otf") || name.ends_with(".ttf"));
        let face = rustybuzz::ttf_parser::Face::parse(data, 0).unwrap();
        // Every glyph is a character the book draws (plus .notdef and a few shared forms).
        let mut mapped = std::collections::BTreeSet::new();
        if let Some(cmap) = face.tables().cmap {
            for st in cmap.subtables {
                st.codepoints(|c| {
                    mapped.insert(c);
                });
            }
        }
        let glyphs = usize::from(face.number_of_glyphs());
        assert!(
            !mapped.is_empty() && glyphs <= mapped.len() + 8,
            "{name}: {glyphs} glyphs for {} chars",
            mapped.len()
        );
        assert!(
            mapped.len() < 300,
            "{name}: {} chars is not a subset",
            mapped.len()
        );
        let css = get("OEBPS/styles/epub.css");
        assert!(css.contains(&format!("url(../{})", name.trim_start_matches("OEBPS/"))));
    }
    assert!(bytes.len() < 1_000_000, "{} bytes", bytes.len());
}

#[test]
fn two_builds_are_byte_identical() {
    let (a, _) = build();
    let (b, _) = build();
    assert!(a == b);
}

#[test]
fn epubcheck_reports_nothing() {
    let (bytes, _) = build();
    let path = common::temp_dir("epub-write").join("every-feature.epub");
    std::fs::write(&path, &bytes).unwrap();
    match common::epubcheck(&path) {
        Some((clean, report)) => assert!(clean, "epubcheck:\n{report}"),
        None => common::missing("epubcheck"),
    }
}

/// The repository's sample book (book.toml at the root): every chapter in, no warnings, < 1 MB,
/// and the text is Chinese-clean (no U+3000 paragraph indents, no newline inside a paragraph's text).
#[test]
fn sample_book_is_small_and_clean() {
    let book = root();
    if !book.join("book.toml").exists() {
        eprintln!("no sample book: skipped");
        return;
    }
    let mut diags = folio::diag::Diagnostics::default();
    let s = folio::config::load(&book, &Default::default(), &mut diags).expect("book.toml");
    let doc = folio::load::load(&s, &mut diags, false);
    let refs = folio::refs::resolve(&s, &doc, &mut diags);
    let (fonts, _) = FontSet::resolve(&s.fonts, &book.join("fonts")).unwrap();
    let (bytes, warnings) = write(&EpubInput {
        settings: &s,
        doc: &doc,
        refs: &refs,
        fonts: &fonts,
    })
    .unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(bytes.len() < 1_000_000, "{} bytes", bytes.len());
    let files = common::zip_entries(&bytes);
    for ch in &doc.chapters {
        let name = format!("OEBPS/text/{}.xhtml", ch.id);
        let (_, data) = files
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("{name}"));
        let text = String::from_utf8(data.clone()).unwrap();
        assert!(
            !text.contains("<p>\u{3000}"),
            "{name}: paragraph indented with U+3000"
        );
        for p in text.split("<p>").skip(1) {
            let p = p.split("</p>").next().unwrap();
            assert!(
                !p.contains('\n') || p.contains("<pre"),
                "{name}: newline in paragraph {p:?}"
            );
        }
    }
    if !refs.entries.is_empty() {
        assert!(
            files
                .iter()
                .any(|(n, _)| n == "OEBPS/text/references.xhtml")
        );
    }
}

#[test]
fn uncovered_characters_are_reported() {
    let s = settings(book_dir());
    let doc = Document {
        chapters: vec![chapter(
            "ch01",
            Matter::Body,
            "标题",
            vec![para(vec![t("笑\u{1F600}与\u{E000}")])],
            vec![],
        )],
        ..Default::default()
    };
    let refs = Resolved::default();
    let (fonts, _) = FontSet::resolve(&BTreeMap::new(), &root().join("fonts")).unwrap();
    let (_, warnings) = write(&EpubInput {
        settings: &s,
        doc: &doc,
        refs: &refs,
        fonts: &fonts,
    })
    .unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].message.contains("U+1F600") && warnings[0].message.contains("U+E000"),
        "{}",
        warnings[0].message
    );
}
