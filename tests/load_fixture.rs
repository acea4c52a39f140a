//! The loader on a fixture book that uses every Markdown feature: the IR it must produce.

use folio::config::{self, Overrides};
use folio::diag::Diagnostics;
use folio::doc::{Block, Document, Inline, LinkTarget, plain_text};
use std::path::Path;

fn load(book: &str) -> (Document, Diagnostics) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(book);
    let mut diags = Diagnostics::default();
    let settings = config::load(&root, &Overrides::default(), &mut diags).expect("settings");
    let doc = folio::load::load(&settings, &mut diags, false);
    (doc, diags)
}

fn paragraphs(doc: &Document) -> Vec<String> {
    fn walk(blocks: &[Block], out: &mut Vec<String>) {
        for b in blocks {
            match b {
                Block::Paragraph { content, .. } => out.push(plain_text(content)),
                Block::Quote { blocks, .. } => walk(blocks, out),
                Block::List { items, .. } => items.iter().for_each(|i| walk(&i.blocks, out)),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for ch in &doc.chapters {
        walk(&ch.blocks, &mut out);
    }
    out
}

#[test]
fn features_book_loads_without_problems() {
    let (doc, diags) = load("features");
    let msgs: Vec<String> = diags
        .items()
        .iter()
        .map(|d| diags.render(d, false))
        .collect();
    assert!(msgs.is_empty(), "{msgs:#?}");
    let ids: Vec<&str> = doc.chapters.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["ch-01-basics", "ch-02-blocks"]);
    assert_eq!(
        doc.chapters[1].title, "第二章　块",
        "title from the first # heading"
    );
    assert_eq!(
        doc.chapters[0].paper.authors,
        ["Ada Lovelace", "Alan Turing"]
    );
}

#[test]
fn chinese_text_is_normalised() {
    let (doc, _) = load("features");
    let paras = paragraphs(&doc);
    assert_eq!(
        paras[0],
        "这是第一段，源文件在这里换行，中文之间的换行不应变成空格。我们用 Rust 写代码，也用 Python 写脚本；共 3 个例子，2024 年完成。"
    );
    assert!(
        paras[1].contains("他说“布朗桥”很有用，英文里写“quoted” text。"),
        "{}",
        paras[1]
    );
    for p in &paras {
        let chars: Vec<char> = p.chars().collect();
        for w in chars.windows(3) {
            let han = |c: char| folio::load::is_han(c);
            assert!(
                !(han(w[0]) && w[1] == ' ' && han(w[2])),
                "space between Han characters in {p:?}"
            );
        }
    }
}

#[test]
fn bold_around_chinese_quotes_parses() {
    let (doc, _) = load("features");
    let Block::Paragraph { content, .. } = &doc.chapters[0].blocks[1] else {
        panic!("second block")
    };
    let strong = content.iter().find_map(|i| match i {
        Inline::Strong(c) => Some(plain_text(c)),
        _ => None,
    });
    assert_eq!(strong.as_deref(), Some("“强调”"));
}

#[test]
fn citations_and_footnotes() {
    let (doc, _) = load("features");
    let keys: Vec<Vec<&str>> = doc
        .citations()
        .iter()
        .map(|c| c.items.iter().map(|i| i.key.as_str()).collect())
        .collect();
    assert_eq!(
        keys,
        [
            vec!["grill2020byol"],
            vec!["zhou2016ml"],
            vec!["grill2020byol", "zhou2016ml"]
        ]
    );
    assert!(doc.citations()[1].narrative);
    assert_eq!(doc.chapters[0].footnotes.len(), 1);
    assert_eq!(doc.chapters[1].footnotes[0].label, "a");
}

#[test]
fn headings_get_readable_unique_ids_and_links_resolve() {
    let (doc, _) = load("features");
    let mut ids = Vec::new();
    let mut links = Vec::new();
    fn inl(v: &[Inline], links: &mut Vec<LinkTarget>) {
        for i in v {
            match i {
                Inline::Link {
                    target, content, ..
                } => {
                    links.push(target.clone());
                    inl(content, links)
                }
                Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => inl(c, links),
                _ => {}
            }
        }
    }
    for ch in &doc.chapters {
        for b in &ch.blocks {
            match b {
                Block::Heading { id, .. } => ids.push(id.clone()),
                Block::Paragraph { content, .. } => inl(content, &mut links),
                _ => {}
            }
        }
    }
    assert_eq!(ids, ["方法", "细节-a-b", "表格"]);
    let internal = |c: &str, a: Option<&str>| LinkTarget::Internal {
        chapter: c.into(),
        anchor: a.map(Into::into),
    };
    assert!(
        links.contains(&internal("ch-02-blocks", Some("表格"))),
        "{links:?}"
    );
    assert!(
        links.contains(&internal("ch-01-basics", Some("方法"))),
        "{links:?}"
    );
    assert!(links.contains(&LinkTarget::External("https://example.com/a_b".into())));
}

#[test]
fn figures_lists_tables_code() {
    let (doc, _) = load("features");
    let fig = doc.chapters[0].blocks.iter().find_map(|b| match b {
        Block::Figure { image, caption, .. } => {
            Some((image.path.clone(), plain_text(caption), image.alt.clone()))
        }
        _ => None,
    });
    assert_eq!(
        fig,
        Some((
            "tests/fixtures/features/images/grid.png".into(),
            "图 1-1　解码顺序".into(),
            "网格图".into()
        ))
        .map(|(p, c, a): (String, String, String)| (
            Path::new(&p)
                .strip_prefix("tests/fixtures/features")
                .unwrap()
                .to_path_buf(),
            c,
            a
        ))
    );
    let b = &doc.chapters[1].blocks;
    assert!(
        matches!(&b[0], Block::Quote { blocks, .. } if matches!(blocks[1], Block::Quote { .. }))
    );
    assert!(matches!(&b[1], Block::List { start: Some(1), items, .. } if items.len() == 3));
    assert!(
        matches!(&b[2], Block::List { items, .. } if items[0].task == Some(true) && items[1].task == Some(false))
    );
    assert!(matches!(&b[4], Block::Table { head, rows, .. } if head.len() == 3 && rows.len() == 2));
    assert!(
        matches!(&b[5], Block::Code { lang: Some(l), text, .. } if l == "python" && text.contains("中文注释"))
    );
    assert!(matches!(&b[6], Block::Code { lang: None, .. }));
}
