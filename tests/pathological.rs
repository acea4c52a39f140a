//! Pathological Markdown, generated here rather than committed: 10 000-deep quotes, lists and emphasis,
//! a 200 000-character paragraph, a 5 000-character URL, a 200-column table, a 10 000-character title.
//! Each must build both the EPUB (every XHTML well-formed) and the PDF, without a panic, within a time
//! limit far above what it takes now (a debug build; the limit catches layouts that grow faster than
//! their input, as the long title once did).

mod common;

use folio::Format;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Per book, in a debug build on a busy machine; each case takes a few seconds.
const LIMIT: Duration = Duration::from_secs(120);

/// Build a one-chapter book of `chapter` into EPUB and PDF; returns the messages.
fn builds(name: &str, chapter: String) -> Vec<String> {
    let dir = common::temp_dir(name);
    let fonts = common::repo_root().join("fonts");
    std::fs::write(
        dir.join("book.toml"),
        format!(
            "[book]\ntitle = \"病态\"\nauthors = [\"某\"]\n\n[fonts]\nserif = \"{}\"\n\n[output]\nname = \"book\"\n",
            fonts.join("NotoSerifCJKsc-Regular.otf").display()
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("content")).unwrap();
    std::fs::write(dir.join("content/01-a.md"), chapter).unwrap();
    let (tx, rx) = mpsc::channel();
    let book = dir.clone();
    let started = Instant::now();
    std::thread::spawn(move || {
        let out = book.join("out");
        let _ = tx.send(common::build(&book, &out, &[Format::Epub, Format::Pdf]));
    });
    let (written, msgs) = match rx.recv_timeout(LIMIT) {
        Ok(r) => r,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{name}: no result after {LIMIT:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{name}: the build panicked"),
    };
    eprintln!("{name}: {:.1} s", started.elapsed().as_secs_f32());
    assert_eq!(written.len(), 2, "{name}: EPUB and PDF written: {msgs:#?}");
    let epub = std::fs::read(dir.join("out/book.epub")).unwrap();
    for (file, data) in common::zip_entries(&epub) {
        if file.ends_with(".xhtml") {
            let text = String::from_utf8(data).expect("UTF-8");
            common::xml::check_xhtml(&text).unwrap_or_else(|e| panic!("{name}: {file}: {e}"));
        }
    }
    let pdf = std::fs::read(dir.join("out/book.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "{name}: a PDF");
    let _ = std::fs::remove_dir_all(&dir);
    msgs
}

#[test]
fn ten_thousand_nested_quotes() {
    let msgs = builds(
        "deep-quotes",
        format!("# 引用\n\n{} 深\n", ">".repeat(10_000)),
    );
    assert!(msgs.iter().all(|m| !m.contains("error")), "{msgs:#?}");
}

#[test]
fn ten_thousand_nested_lists() {
    let msgs = builds(
        "deep-lists",
        format!("# 列表\n\n{}项\n", "- ".repeat(10_000)),
    );
    assert!(
        msgs.iter().any(|m| m.contains("flattened")),
        "the flattening is reported: {msgs:#?}"
    );
}

#[test]
fn ten_thousand_nested_emphasis_marks() {
    let body = format!("{}强{}", "*".repeat(5_000), "*".repeat(5_000));
    builds("deep-emphasis", format!("# 强调\n\n{body}\n"));
}

#[test]
fn a_paragraph_of_200_000_characters() {
    let unit = "中文与Latin混排，没有换行。";
    let body: String = unit.chars().cycle().take(200_000).collect();
    builds("long-paragraph", format!("# 长段\n\n{body}\n"));
}

#[test]
fn a_url_of_5_000_characters() {
    let url = format!("https://example.com/{}", "路径a1".repeat(1_250));
    assert!(url.chars().count() > 5_000);
    builds(
        "long-url",
        format!("# 网址\n\n链接[文字]({url})，自动链接<{url}>，以及裸网址 {url} 结束。\n"),
    );
}

#[test]
fn a_table_of_200_columns() {
    let row = |f: &dyn Fn(usize) -> String| {
        let cells: Vec<String> = (0..200).map(f).collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let mut table = row(&|i| format!("列{i}"));
    table.push_str(&row(&|i| ["---", ":-:", "--:"][i % 3].to_string()));
    for r in 0..5 {
        table.push_str(&row(&|i| format!("格{r}-{i}")));
    }
    builds("wide-table", format!("# 表格\n\n{table}"));
}

#[test]
fn a_title_of_10_000_characters() {
    builds(
        "long-title",
        format!("# {}\n\n正文。\n", "标题".repeat(5_000)),
    );
}
