//! Footnotes at the foot of their page (typography.md §7), including one too long for it: the note
//! starts on the page of its mark and continues, unnumbered, at the foot of the next pages, before
//! those pages' own notes; nothing is set over the text or below the bottom margin.

mod common;

use common::*;
use folio::typeset::page::{BlockRole, Structure, TextRun};

fn is_note(t: &TextRun) -> bool {
    matches!(
        t.structure,
        Structure::Block {
            role: BlockRole::Note,
            ..
        }
    )
}

/// A circled note number (① … ⑳ in these tests).
fn is_marker(t: &TextRun) -> bool {
    let mut c = t.text.chars();
    c.next().is_some_and(|c| ('①'..='⑳').contains(&c)) && c.next().is_none()
}

/// The text runs of a page, top to bottom, left to right.
fn runs(page: &folio::typeset::page::Page) -> Vec<&TextRun> {
    let mut out = text_runs(page);
    out.sort_by(|a, b| {
        (a.origin.y.round(), a.origin.x)
            .partial_cmp(&(b.origin.y.round(), b.origin.x))
            .unwrap()
    });
    out
}

#[test]
fn a_long_footnote_continues_on_the_next_pages() {
    let dir = temp_dir("pdf-notes");
    let fonts = repo_root().join("fonts");
    std::fs::write(
        dir.join("book.toml"),
        format!(
            "[book]\ntitle = \"长注\"\nauthors = [\"某\"]\n\n[fonts]\nserif = \"{}\"\n\n[output]\nname = \"notes\"\n",
            fonts.join("NotoSerifCJKsc-Regular.otf").display()
        ),
    )
    .unwrap();
    let filler = "正文用来占据版面，排版引擎应当把脚注放在引用它的那一页的底部。".repeat(4);
    let long: String = (1..=150)
        .map(|n| format!("这是长注的第{n}句，用来检验脚注能否跨页接排。"))
        .collect();
    let short = "这是随后的短注。";
    let mut md = String::from("# 长注\n\n");
    for _ in 0..8 {
        md.push_str(&format!("{filler}\n\n"));
    }
    md.push_str(&format!("{filler}这里引出长注[^long]。\n\n"));
    for _ in 0..12 {
        md.push_str(&format!("{filler}\n\n"));
    }
    md.push_str(&format!("这里引出短注[^short]。{filler}\n\n"));
    for _ in 0..6 {
        md.push_str(&format!("{filler}\n\n"));
    }
    md.push_str(&format!("[^long]: {long}\n\n[^short]: {short}\n"));
    std::fs::create_dir_all(dir.join("content")).unwrap();
    std::fs::write(dir.join("content/01-notes.md"), md).unwrap();

    let Laid { paged, pdf, .. } = lay_out(&dir, None, |_| {});
    check_page_model(&paged);
    let (top, bottom) = (25.0 * 72.0 / 25.4, 25.0 * 72.0 / 25.4);
    let mut notes = String::new();
    let mut note_pages = Vec::new();
    let mut mark_page = None;
    for (pi, page) in paged.pages.iter().enumerate() {
        let runs = runs(page);
        let body_bottom = runs
            .iter()
            .filter(|t| !is_note(t) && t.structure != Structure::Artifact)
            .map(|t| t.origin.y)
            .fold(0.0f32, f32::max);
        let page_notes: Vec<&&TextRun> = runs
            .iter()
            .filter(|t| is_note(t) && !is_marker(t))
            .collect();
        if runs.iter().any(|t| t.text.contains("这里引出长注")) {
            mark_page = Some(pi);
        }
        if page_notes.is_empty() {
            continue;
        }
        note_pages.push(pi);
        for t in &page_notes {
            assert!(
                t.origin.y > top && t.origin.y <= page.height - bottom + 1.0,
                "p{}: note line {:?} outside the text block",
                pi + 1,
                t.text
            );
            assert!(
                t.origin.y > body_bottom + 8.0,
                "p{}: note line {:?} over the text",
                pi + 1,
                t.text
            );
            notes.push_str(&t.text);
        }
        // A note continued from the page before starts at the left edge with no number.
        let first = page_notes[0];
        let number = runs.iter().find(|t| {
            is_marker(t) && (t.origin.y - first.origin.y).abs() < 0.5 && t.origin.x < first.origin.x
        });
        let opens_a_note = long.starts_with(first.text.as_str()) || first.text.starts_with(short);
        assert_eq!(
            number.map(|t| t.text.as_str()),
            opens_a_note.then_some("①"),
            "p{}: the first note line {:?}",
            pi + 1,
            first.text
        );
    }
    assert!(
        notes == format!("{long}{short}"),
        "the notes, whole and in order: {} of {} characters",
        notes.chars().count(),
        long.chars().count() + short.chars().count()
    );
    assert!(
        note_pages.len() >= 3,
        "the long note runs over: {note_pages:?}"
    );
    assert_eq!(
        note_pages.first().copied(),
        mark_page,
        "it starts on its mark's page"
    );
    let path = dir.join("notes.pdf");
    std::fs::write(&path, &pdf).unwrap();
    check_pdf_file(&path);
}
