//! Shared helpers of the PDF tests: a tiny Markdown → `Document` reader for test books (the real
//! loader is another stage), fake citation marks, page-model invariants and external PDF judges.
#![allow(dead_code)]

use folio::diag::{FileId, Span};
use folio::doc::*;
use folio::refs::{CiteMark, Entry, RefText, Resolved};
use folio::typeset::page::{Item, PagedDocument};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::path::Path;
use std::process::Command;

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}
fn is_cjk_side(c: char) -> bool {
    is_han(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF) || "“”‘’…—·".contains(c)
}

static SPAN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
fn span() -> Span {
    let n = SPAN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Span::new(FileId(0), n..n + 1)
}

/// Splits normalised text into Text/Autospace inlines and citations (`[@a; @b]`, `@key`).
pub fn text_inlines(t: &str, out: &mut Vec<Inline>) {
    let mut buf = String::new();
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    let flush = |buf: &mut String, out: &mut Vec<Inline>| {
        if !buf.is_empty() {
            out.push(Inline::Text(std::mem::take(buf)));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '[' && chars.get(i + 1) == Some(&'@') {
            if let Some(end) = chars[i..].iter().position(|&c| c == ']') {
                let inner: String = chars[i + 1..i + end].iter().collect();
                let items = inner
                    .split(';')
                    .map(|k| CiteItem {
                        key: k.trim().trim_start_matches('@').to_string(),
                        locator: None,
                        suppress_author: false,
                        span: span(),
                    })
                    .collect();
                flush(&mut buf, out);
                out.push(Inline::Cite(Citation {
                    items,
                    narrative: false,
                    span: span(),
                }));
                i += end + 1;
                continue;
            }
        }
        if c == '@' && chars.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let key: String = chars[i + 1..j].iter().collect();
            flush(&mut buf, out);
            out.push(Inline::Cite(Citation {
                items: vec![CiteItem {
                    key,
                    locator: None,
                    suppress_author: false,
                    span: span(),
                }],
                narrative: true,
                span: span(),
            }));
            i = j;
            continue;
        }
        // Autospace at Han↔Latin boundaries; source spaces there are dropped.
        let prev = buf.chars().last();
        if c == ' ' {
            let next = chars.get(i + 1).copied();
            if prev.is_some_and(is_han) || next.is_some_and(is_han) || prev.is_none() {
                if prev.is_some_and(|p| p.is_ascii_alphanumeric()) && next.is_some_and(is_han)
                    || prev.is_some_and(is_han) && next.is_some_and(|n| n.is_ascii_alphanumeric())
                {
                    flush(&mut buf, out);
                    out.push(Inline::Autospace);
                }
                i += 1;
                continue;
            }
        }
        if let Some(p) = prev
            && (is_han(p) && c.is_ascii_alphanumeric() || p.is_ascii_alphanumeric() && is_han(c))
        {
            flush(&mut buf, out);
            out.push(Inline::Autospace);
        }
        buf.push(c);
        i += 1;
    }
    flush(&mut buf, out);
}

struct Reader {
    stack: Vec<Vec<Inline>>,
    blocks: Vec<Vec<Block>>,
    notes: Vec<(String, Vec<Block>)>,
    note_refs: Vec<String>,
}

fn parse_chapter(md: &str, id: &str) -> Chapter {
    let (fm, body) = match md
        .strip_prefix("---\n")
        .and_then(|r| r.split_once("\n---\n"))
    {
        Some((fm, body)) => (fm, body),
        None => ("", md),
    };
    let field = |k: &str| {
        fm.lines().find_map(|l| {
            l.strip_prefix(&format!("{k}:"))
                .map(|v| v.trim().trim_matches('"').to_string())
        })
    };
    let authors = field("authors")
        .map(|a| {
            a.trim_matches(|c| c == '[' || c == ']')
                .split(',')
                .map(|s| s.trim().to_string())
                .collect()
        })
        .unwrap_or_default();
    let matter = match field("matter").as_deref() {
        Some("front") => Matter::Front,
        Some("back") => Matter::Back,
        _ => Matter::Body,
    };
    // Join soft line breaks the Chinese way before parsing.
    let mut joined = String::new();
    let lines: Vec<&str> = body.lines().collect();
    let mut fenced = false;
    for (k, l) in lines.iter().enumerate() {
        joined.push_str(l);
        if l.starts_with("```") {
            fenced = !fenced;
        }
        if fenced {
            joined.push('\n');
            continue;
        }
        let next = lines.get(k + 1).copied().unwrap_or("");
        let last = l.chars().last();
        let first = next.chars().next();
        let para = !l.trim().is_empty()
            && !next.trim().is_empty()
            && !l.starts_with("```")
            && !l.starts_with('|')
            && !next.starts_with(['#', '-', '*', '>', '|', '`', '!', '['])
            && !next.starts_with("1.");
        if para && (last.is_some_and(is_cjk_side) || first.is_some_and(is_cjk_side)) {
            continue;
        }
        joined.push('\n');
    }
    let mut opts = Options::empty();
    opts.insert(
        Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS,
    );
    let mut r = Reader {
        stack: vec![],
        blocks: vec![vec![]],
        notes: vec![],
        note_refs: vec![],
    };
    let mut title = field("title").unwrap_or_default();
    let mut heading: Option<(u8, String)> = None;
    let mut table: Option<(Vec<Align>, Vec<Vec<Inline>>, Vec<Vec<Vec<Inline>>>, bool)> = None;
    let mut row: Vec<Vec<Inline>> = vec![];
    let mut code: Option<(Option<String>, String)> = None;
    let mut image: Option<(String, String)> = None;
    let mut lists: Vec<(Option<u64>, Vec<ListItem>)> = vec![];
    let mut note_label: Option<String> = None;
    let mut hcount = 0;
    let mut events: Vec<Event> = Vec::new();
    for ev in Parser::new_ext(&joined, opts) {
        if let (Event::Text(t), Some(Event::Text(prev))) = (&ev, events.last_mut()) {
            *prev = format!("{prev}{t}").into();
            continue;
        }
        events.push(ev);
    }
    for ev in events {
        match ev {
            Event::Start(Tag::Paragraph)
            | Event::Start(Tag::Emphasis)
            | Event::Start(Tag::Strong)
            | Event::Start(Tag::Strikethrough)
            | Event::Start(Tag::Link { .. })
            | Event::Start(Tag::TableCell) => r.stack.push(vec![]),
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level as u8, String::new()));
                r.stack.push(vec![]);
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => image = Some((dest_url.to_string(), title.to_string())),
            Event::Start(Tag::BlockQuote(_)) | Event::Start(Tag::Item) => r.blocks.push(vec![]),
            Event::Start(Tag::List(start)) => lists.push((start, vec![])),
            Event::Start(Tag::FootnoteDefinition(l)) => {
                note_label = Some(l.to_string());
                r.blocks.push(vec![]);
            }
            Event::Start(Tag::CodeBlock(k)) => {
                code = Some((
                    match k {
                        CodeBlockKind::Fenced(l) if !l.is_empty() => Some(l.to_string()),
                        _ => None,
                    },
                    String::new(),
                ))
            }
            Event::Start(Tag::Table(al)) => {
                let al = al
                    .iter()
                    .map(|a| match a {
                        pulldown_cmark::Alignment::Center => Align::Center,
                        pulldown_cmark::Alignment::Right => Align::Right,
                        pulldown_cmark::Alignment::Left => Align::Left,
                        pulldown_cmark::Alignment::None => Align::None,
                    })
                    .collect();
                table = Some((al, vec![], vec![], true));
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = &mut table {
                    t.1 = std::mem::take(&mut row);
                    t.3 = false;
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(t) = &mut table {
                    t.2.push(std::mem::take(&mut row));
                }
            }
            Event::End(TagEnd::TableCell) => row.push(r.stack.pop().unwrap_or_default()),
            Event::End(TagEnd::Table) => {
                if let Some((align, head, rows, _)) = table.take() {
                    r.blocks.last_mut().unwrap().push(Block::Table {
                        align,
                        head,
                        rows,
                        span: span(),
                    });
                }
            }
            Event::Text(t) => {
                if let Some(c) = &mut code {
                    c.1.push_str(&t);
                } else if let Some(img) = &mut image {
                    img.1 = if img.1.is_empty() {
                        t.to_string()
                    } else {
                        img.1.clone()
                    };
                } else if let Some(top) = r.stack.last_mut() {
                    text_inlines(&t, top);
                }
            }
            Event::Code(t) => {
                if let Some(top) = r.stack.last_mut() {
                    top.push(Inline::Code(t.to_string()));
                }
            }
            Event::SoftBreak => {
                if let Some(top) = r.stack.last_mut() {
                    top.push(Inline::Text(" ".into()));
                }
            }
            Event::HardBreak => {
                if let Some(top) = r.stack.last_mut() {
                    top.push(Inline::LineBreak);
                }
            }
            Event::FootnoteReference(l) => {
                let l = l.to_string();
                let index = match r.note_refs.iter().position(|x| *x == l) {
                    Some(i) => i,
                    None => {
                        r.note_refs.push(l);
                        r.note_refs.len() - 1
                    }
                };
                if let Some(top) = r.stack.last_mut() {
                    top.push(Inline::FootnoteRef {
                        index,
                        span: span(),
                    });
                }
            }
            Event::Rule => r
                .blocks
                .last_mut()
                .unwrap()
                .push(Block::Rule { span: span() }),
            Event::End(TagEnd::Paragraph) => {
                let content = r.stack.pop().unwrap_or_default();
                if let Some((url, cap)) = image.take() {
                    let path = url.trim_start_matches("../").into();
                    r.blocks.last_mut().unwrap().push(Block::Figure {
                        image: Image {
                            path,
                            alt: String::new(),
                            span: span(),
                        },
                        caption: vec![Inline::Text(cap)],
                        span: span(),
                    });
                } else if !content.is_empty() {
                    r.blocks.last_mut().unwrap().push(Block::Paragraph {
                        content,
                        span: span(),
                    });
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let content = r.stack.pop().unwrap_or_default();
                let (level, _) = heading.take().unwrap_or((2, String::new()));
                if level == 1 && title.is_empty() {
                    title = plain_text(&content);
                } else {
                    hcount += 1;
                    let id = format!("{id}-h{hcount}");
                    r.blocks.last_mut().unwrap().push(Block::Heading {
                        level,
                        id,
                        content,
                        span: span(),
                    });
                }
            }
            Event::End(TagEnd::Emphasis) => {
                let c = r.stack.pop().unwrap_or_default();
                r.stack.last_mut().unwrap().push(Inline::Emph(c));
            }
            Event::End(TagEnd::Strong) => {
                let c = r.stack.pop().unwrap_or_default();
                r.stack.last_mut().unwrap().push(Inline::Strong(c));
            }
            Event::End(TagEnd::Strikethrough) => {
                let c = r.stack.pop().unwrap_or_default();
                r.stack.last_mut().unwrap().push(Inline::Strike(c));
            }
            Event::End(TagEnd::Link) => {
                let c = r.stack.pop().unwrap_or_default();
                let url = match c.first() {
                    Some(Inline::Text(t)) => t.clone(),
                    _ => String::new(),
                };
                r.stack.last_mut().unwrap().push(Inline::Link {
                    target: LinkTarget::External(url),
                    content: c,
                    span: span(),
                });
            }
            Event::End(TagEnd::Image) => {}
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, text)) = code.take() {
                    r.blocks.last_mut().unwrap().push(Block::Code {
                        lang,
                        text,
                        span: span(),
                    });
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                let blocks = r.blocks.pop().unwrap_or_default();
                r.blocks.last_mut().unwrap().push(Block::Quote {
                    blocks,
                    span: span(),
                });
            }
            Event::End(TagEnd::Item) => {
                let mut blocks = r.blocks.pop().unwrap_or_default();
                if let Some(top) = r.stack.pop_if(|_| true) {
                    if !top.is_empty() {
                        blocks.insert(
                            0,
                            Block::Paragraph {
                                content: top,
                                span: span(),
                            },
                        );
                    }
                }
                if let Some(l) = lists.last_mut() {
                    l.1.push(ListItem { task: None, blocks });
                }
            }
            Event::End(TagEnd::List(_)) => {
                if let Some((start, items)) = lists.pop() {
                    r.blocks.last_mut().unwrap().push(Block::List {
                        start,
                        tight: true,
                        items,
                        span: span(),
                    });
                }
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                let blocks = r.blocks.pop().unwrap_or_default();
                r.notes
                    .push((note_label.take().unwrap_or_default(), blocks));
            }
            _ => {}
        }
        // Tight list items have no paragraph: open an inline buffer for their text.
        if matches!(r.stack.len(), 0) && !lists.is_empty() && r.blocks.len() > 1 {
            r.stack.push(vec![]);
        }
    }
    let footnotes = r
        .note_refs
        .iter()
        .map(|l| Footnote {
            label: l.clone(),
            blocks: r
                .notes
                .iter()
                .find(|(x, _)| x == l)
                .map(|(_, b)| b.clone())
                .unwrap_or_default(),
            span: span(),
        })
        .collect();
    Chapter {
        id: id.to_string(),
        source: format!("content/{id}.md").into(),
        matter,
        title,
        subtitle: field("subtitle"),
        paper: PaperInfo {
            authors,
            venue: field("venue"),
            url: field("url"),
            cite: None,
        },
        blocks: r.blocks.pop().unwrap_or_default(),
        footnotes,
        span: span(),
    }
}

/// Reads every `*.md` of a content folder, sorted by name.
pub fn load_book(content: &Path) -> Document {
    let mut files: Vec<_> = std::fs::read_dir(content)
        .expect("content dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let chapters = files
        .iter()
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            parse_chapter(&std::fs::read_to_string(p).expect("read md"), &id)
        })
        .collect();
    Document { chapters }
}

/// Numeric superscript marks in order of first citation, one entry per key.
pub fn fake_refs(doc: &Document) -> Resolved {
    let mut keys: Vec<String> = vec![];
    let mut marks = vec![];
    for (i, c) in doc.citations().iter().enumerate() {
        let nums: Vec<usize> = c
            .items
            .iter()
            .map(|it| match keys.iter().position(|k| *k == it.key) {
                Some(p) => p + 1,
                None => {
                    keys.push(it.key.clone());
                    keys.len()
                }
            })
            .collect();
        let text = format!(
            "[{}]",
            nums.iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(",")
        );
        marks.push(CiteMark {
            span: c.span.clone(),
            prefix: if c.narrative {
                format!("{} 等", c.items[0].key)
            } else {
                String::new()
            },
            text,
            superscript: true,
            targets: c.items.iter().map(|it| format!("ref-{}", it.key)).collect(),
            anchor: format!("cite-{i}"),
        });
    }
    let entries = keys.iter().enumerate().map(|(i, k)| Entry {
        key: k.clone(),
        anchor: format!("ref-{k}"),
        label: format!("[{}]", i + 1),
        text: vec![
            RefText::Plain(format!("{k}. A study of representation learning with a rather long English title for wrapping [C/OL]//International Conference on Learning Representations. 2022: 1-12. ")),
            RefText::Link { text: format!("https://openreview.net/forum?id={k}"), url: format!("https://openreview.net/forum?id={k}") },
        ],
        first_cited: None,
    }).collect();
    Resolved {
        marks,
        entries,
        title: "参考文献".into(),
        paper_refs: vec![],
        unused_keys: vec![],
    }
}

const NO_START: &str = "。．，、；：？！”’）〕］｝〉》」』】〗〙〛";
const NO_END: &str = "“‘（〔［｛〈《「『【〖〘〚";

/// Invariants of the page model: kinsoku at line edges, everything inside the page.
pub fn check_page_model(doc: &PagedDocument) {
    for (pi, p) in doc.pages.iter().enumerate() {
        let mut lines: std::collections::BTreeMap<i64, Vec<(f32, String)>> = Default::default();
        for it in &p.items {
            if let Item::Text(t) = it {
                let w: f32 = t.glyphs.iter().map(|g| g.x_advance).sum();
                assert!(
                    t.origin.x >= -0.5 && t.origin.x + w <= p.width + 0.5,
                    "p{} run {:?} leaves the page",
                    pi + 1,
                    t.text
                );
                assert!(
                    t.origin.y > 0.0 && t.origin.y < p.height,
                    "p{} run {:?} off page vertically",
                    pi + 1,
                    t.text
                );
                lines
                    .entry((t.origin.y * 10.0).round() as i64)
                    .or_default()
                    .push((t.origin.x, t.text.clone()));
            }
        }
        for (_, mut runs) in lines {
            runs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let text: String = runs.iter().map(|r| r.1.as_str()).collect();
            let (first, last) = (text.chars().next(), text.chars().last());
            assert!(
                !first.is_some_and(|c| NO_START.contains(c)),
                "p{}: line starts with a forbidden mark: {text}",
                pi + 1
            );
            assert!(
                !last.is_some_and(|c| NO_END.contains(c)),
                "p{}: line ends with a forbidden mark: {text}",
                pi + 1
            );
        }
    }
}

fn tool(name: &str) -> bool {
    let ok = Command::new(name).arg("--version").output().is_ok()
        || Command::new(name).arg("-v").output().is_ok();
    if !ok {
        assert!(
            std::env::var("FOLIO_REQUIRE_VALIDATORS").is_err(),
            "{name} is required but missing"
        );
        eprintln!("note: {name} not installed; check skipped");
    }
    ok
}

/// qpdf --check clean; pdffonts: every font embedded, subset, with ToUnicode.
pub fn check_pdf_file(path: &Path) {
    if tool("qpdf") {
        let o = Command::new("qpdf")
            .arg("--check")
            .arg(path)
            .output()
            .expect("qpdf");
        let s = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success() && s.contains("No syntax or stream encoding errors"),
            "qpdf: {s}"
        );
    }
    if tool("pdffonts") {
        let o = Command::new("pdffonts")
            .arg(path)
            .output()
            .expect("pdffonts");
        let s = String::from_utf8_lossy(&o.stdout);
        for l in s.lines().skip(2) {
            let f: Vec<&str> = l.split_whitespace().collect();
            let n = f.len();
            assert!(
                n >= 7 && f[n - 5] == "yes" && f[n - 4] == "yes" && f[n - 3] == "yes",
                "pdffonts: {l}"
            );
        }
    }
}

/// The text layer of one page, or None when pdftotext is missing.
pub fn pdftotext(path: &Path, page: usize) -> Option<String> {
    if !tool("pdftotext") {
        return None;
    }
    let p = page.to_string();
    let o = Command::new("pdftotext")
        .args(["-f", &p, "-l", &p, "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}
