//! Snapshot tests of rendered XHTML fragments (inlines, blocks, footnotes, citations, nav, OPF).

use super::assets::Assets;
use super::render::{Book, ChapterCtx, is_latin, note_marker};
use super::xhtml::Node;
use crate::diag::{FileId, Span};
use crate::doc::*;
use crate::refs::{CiteMark, Resolved};
use std::path::PathBuf;

fn sp() -> Span {
    Span::new(FileId(0), 0..0)
}
fn t(s: &str) -> Inline {
    Inline::Text(s.into())
}

fn chapter(blocks: Vec<Block>, footnotes: Vec<Footnote>) -> Chapter {
    Chapter {
        id: "ch01".into(),
        source: PathBuf::from("content/01.md"),
        matter: Matter::Body,
        title: "标题".into(),
        subtitle: None,
        paper: PaperInfo::default(),
        blocks,
        footnotes,
        span: sp(),
    }
}

fn ser(nodes: &[Node]) -> String {
    let mut s = String::new();
    for n in nodes {
        n.write(&mut s);
    }
    s
}

/// Render the blocks of a one-chapter document (plus a second chapter `ch02` with heading `结果`).
fn render(blocks: Vec<Block>, refs: &Resolved) -> (String, Vec<crate::diag::Diagnostic>) {
    let other = Chapter {
        id: "ch02".into(),
        blocks: vec![Block::Heading {
            level: 2,
            id: "结果".into(),
            content: vec![t("结果")],
            span: sp(),
        }],
        ..chapter(vec![], vec![])
    };
    let doc = Document {
        chapters: vec![chapter(blocks, vec![]), other],
        ..Default::default()
    };
    let book = Book::new(&doc, refs);
    let mut assets = Assets::new(std::path::Path::new("/nonexistent"));
    let mut diags = Vec::new();
    let mut ctx = ChapterCtx::new(&book, &doc.chapters[0], &mut assets, &mut diags);
    let out = ser(&ctx.blocks(&doc.chapters[0].blocks));
    (out, diags)
}

fn para(c: Vec<Inline>) -> Block {
    Block::Paragraph {
        content: c,
        span: sp(),
    }
}

#[test]
fn inlines_render_with_one_space_per_autospace() {
    let (out, d) = render(
        vec![para(vec![
            t("使用"),
            Inline::Autospace,
            Inline::Strong(vec![t("Rust")]),
            Inline::Autospace,
            t("编写"),
            Inline::Emph(vec![t("强调")]),
            Inline::Strike(vec![t("删")]),
            Inline::Code("a<b".into()),
            Inline::LineBreak,
            t("&"),
        ])],
        &Resolved::default(),
    );
    assert!(d.is_empty());
    assert_eq!(
        out,
        "<p>使用 <strong>Rust</strong> 编写<em>强调</em><del>删</del><code>a&lt;b</code><br/>&amp;</p>\n"
    );
}

#[test]
fn links_internal_external_and_unknown() {
    let link = |target, s: &str| Inline::Link {
        target,
        content: vec![t(s)],
        span: sp(),
    };
    let (out, d) = render(
        vec![para(vec![
            link(LinkTarget::External("https://x.org/a b".into()), "外"),
            link(
                LinkTarget::Internal {
                    chapter: "ch02".into(),
                    anchor: Some("结果".into()),
                },
                "内",
            ),
            link(
                LinkTarget::Internal {
                    chapter: "ch02".into(),
                    anchor: Some("没有".into()),
                },
                "章",
            ),
            link(
                LinkTarget::Internal {
                    chapter: "ch09".into(),
                    anchor: None,
                },
                "无",
            ),
        ])],
        &Resolved::default(),
    );
    assert_eq!(
        out,
        "<p><a href=\"https://x.org/a%20b\" class=\"url\">外</a><a href=\"ch02.xhtml#结果\">内</a><a href=\"ch02.xhtml\">章</a><span>无</span></p>\n"
    );
    assert_eq!(d.len(), 1, "unknown chapter warned");
}

#[test]
fn blocks_lists_tables_code_figures() {
    let (out, d) = render(
        vec![
            Block::Heading {
                level: 3,
                id: "小节".into(),
                content: vec![t("小节")],
                span: sp(),
            },
            Block::List {
                start: Some(2),
                tight: true,
                items: vec![ListItem {
                    task: Some(false),
                    blocks: vec![para(vec![t("项")])],
                }],
                span: sp(),
            },
            Block::Table {
                align: vec![Align::None, Align::Right],
                head: vec![vec![t("甲")], vec![t("乙")]],
                rows: vec![vec![vec![t("1")], vec![t("2")]]],
                span: sp(),
            },
            Block::Code {
                lang: None,
                text: "x <\n".into(),
                span: sp(),
            },
            Block::Quote {
                blocks: vec![para(vec![t("引")])],
                span: sp(),
            },
            Block::Rule { span: sp() },
            Block::Figure {
                image: Image {
                    path: "nope.png".into(),
                    alt: "替代".into(),
                    span: sp(),
                },
                caption: vec![],
                span: sp(),
            },
        ],
        &Resolved::default(),
    );
    assert_eq!(
        out,
        "<h3 id=\"小节\">小节</h3>\n\
         <ol start=\"2\"><li class=\"task\"><span class=\"item\"><input type=\"checkbox\" disabled=\"disabled\"/> 项</span></li>\n</ol>\n\
         <table><thead><tr><th>甲</th><th class=\"right\">乙</th></tr>\n</thead>\n<tbody><tr><td>1</td><td class=\"right\">2</td></tr>\n</tbody>\n</table>\n\
         <pre class=\"code\"><code>x &lt;</code></pre>\n\
         <blockquote><p>引</p>\n</blockquote>\n\
         <hr/>\n\
         <figure><span class=\"missing-image\">替代</span></figure>\n"
    );
    assert_eq!(d.len(), 1, "missing image warned: {d:?}");
}

#[test]
fn citations_use_their_marks_and_fall_back_to_keys() {
    let cite = |key: &str, at: usize| {
        Inline::Cite(Citation {
            items: vec![CiteItem {
                key: key.into(),
                locator: None,
                suppress_author: false,
                span: Span::new(FileId(0), at..at + 1),
            }],
            narrative: false,
            span: Span::new(FileId(0), at..at + 1),
        })
    };
    let refs = Resolved {
        marks: vec![CiteMark {
            span: Span::new(FileId(0), 5..6),
            prefix: "Grill 等".into(),
            parts: vec![crate::refs::MarkPart {
                text: "[1]".into(),
                target: Some("ref-a".into()),
            }],
            superscript: true,
            targets: vec!["ref-a".into()],
            anchor: "cite-1".into(),
        }],
        entries: vec![crate::refs::Entry {
            key: "a".into(),
            anchor: "ref-a".into(),
            label: "[1]".into(),
            text: vec![],
            first_cited: None,
        }],
        ..Default::default()
    };
    let (out, _) = render(vec![para(vec![cite("a", 5), cite("zz", 9)])], &refs);
    assert_eq!(
        out,
        "<p>Grill 等<sup><a href=\"references.xhtml#ref-a\" id=\"cite-1\" class=\"cite\">[1]</a></sup><span class=\"cite\">[?zz]</span></p>\n"
    );
}

#[test]
fn footnotes_are_prefixed_and_restart_per_chapter() {
    let mut ch = chapter(
        vec![para(vec![
            t("甲"),
            Inline::FootnoteRef {
                index: 0,
                span: sp(),
            },
            t("乙"),
            Inline::FootnoteRef {
                index: 0,
                span: sp(),
            },
            Inline::FootnoteRef {
                index: 7,
                span: sp(),
            },
        ])],
        vec![Footnote {
            label: "1".into(),
            blocks: vec![para(vec![t("注文")])],
            span: sp(),
        }],
    );
    ch.id = "ch05".into();
    let doc = Document {
        chapters: vec![ch],
        ..Default::default()
    };
    let refs = Resolved::default();
    let book = Book::new(&doc, &refs);
    let mut assets = Assets::new(std::path::Path::new("/nonexistent"));
    let mut diags = Vec::new();
    let mut ctx = ChapterCtx::new(&book, &doc.chapters[0], &mut assets, &mut diags);
    let page = super::pages::chapter(&mut ctx, "zh-CN", &super::Labels::new(true));
    assert!(page.contains(
        "<p>甲<a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn-ch05-1\" id=\"fnref-ch05-1\" class=\"noteref\">①</a>乙<a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn-ch05-1\" id=\"fnref-ch05-1-2\" class=\"noteref\">①</a></p>"
    ), "{page}");
    assert!(page.contains(
        "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-ch05-1\" class=\"footnote\"><p><a href=\"#fnref-ch05-1\" class=\"fn-back\" role=\"doc-backlink\">①</a>注文</p>"
    ), "{page}");
    assert!(page.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"zh-CN\" lang=\"zh-CN\">"));
    assert_eq!(diags.len(), 1, "footnote #8 does not exist");
}

#[test]
fn markers_titles_and_urls() {
    assert_eq!(note_marker(1), "①");
    assert_eq!(note_marker(20), "⑳");
    assert_eq!(note_marker(21), "㉑");
    assert_eq!(note_marker(50), "㊿");
    assert_eq!(note_marker(51), "(51)");
    assert!(is_latin("Perceiver IO: A General Architecture"));
    assert!(!is_latin("Perceiver IO：通用架构"));
    assert!(!is_latin("2022"));
}

#[test]
fn styles_map_to_roles() {
    use crate::fonts::Role;
    assert_eq!(crate::fonts::role_for_style(TextStyle::Body), Role::Serif);
    assert_eq!(
        crate::fonts::role_for_style(TextStyle::Heading),
        Role::SansBold
    );
    assert_eq!(
        crate::fonts::role_for_style(TextStyle::Strong),
        Role::SansBold
    );
    assert_eq!(crate::fonts::role_for_style(TextStyle::Emph), Role::Kai);
    assert_eq!(crate::fonts::role_for_style(TextStyle::Quote), Role::Kai);
    assert_eq!(crate::fonts::role_for_style(TextStyle::Code), Role::Mono);
}
