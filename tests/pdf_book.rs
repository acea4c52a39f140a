//! The sample book through the whole pipeline into PDF, in A4 and A5: the page model keeps the line-edge
//! rules and stays on the page; qpdf, pdffonts and pdftotext judge the file when they are installed.

mod common;

use common::*;
use folio::config::Paper;

fn layout(paper: Option<Paper>) -> (folio::typeset::page::PagedDocument, Vec<u8>) {
    let (paged, bytes, _) = layout_with_refs(paper, |_| {});
    (paged, bytes)
}

fn layout_with_refs(
    paper: Option<Paper>,
    tweak: impl FnOnce(&mut folio::config::Settings),
) -> (
    folio::typeset::page::PagedDocument,
    Vec<u8>,
    folio::refs::Resolved,
) {
    let Laid {
        paged, pdf, refs, ..
    } = lay_out(&repo_root(), paper, tweak);
    (paged, pdf, refs)
}

#[test]
fn sample_book_a4_and_a5() {
    for (name, paper) in [("a4", None), ("a5", Some(Paper::A5))] {
        let (paged, bytes) = layout(paper);
        assert!(
            paged.pages.len() > 10,
            "{name}: {} pages",
            paged.pages.len()
        );
        check_page_model(&paged);
        let out = temp_dir(&format!("pdf-{name}")).join(format!("book-{name}.pdf"));
        std::fs::write(&out, &bytes).unwrap();
        check_pdf_file(&out);
    }
}

#[test]
fn sample_book_builds_pdf_with_the_cli_pipeline() {
    let out = temp_dir("pdf-build");
    let (files, msgs) = build(&repo_root(), &out, &[folio::Format::Pdf]);
    assert!(msgs.is_empty(), "{}", msgs.join(""));
    assert_eq!(files, [out.join("iclr-2022.pdf")]);
    let (files2, _) = build(
        &repo_root(),
        &temp_dir("pdf-build-2"),
        &[folio::Format::Pdf],
    );
    assert!(
        std::fs::read(&files[0]).unwrap() == std::fs::read(&files2[0]).unwrap(),
        "two PDF builds differ"
    );
}

/// `——` is drawn as one unbroken 2 em line (typography.md §3.4): a rule over both dashes' stroke.
#[test]
fn long_dashes_are_unbroken() {
    use folio::typeset::page::Item;
    let (paged, _) = layout(None);
    let mut dashes = 0;
    for page in &paged.pages {
        for item in &page.items {
            let Item::Text(run) = item else { continue };
            if !run.text.contains("——") {
                continue;
            }
            dashes += 1;
            // The font may have a 2 em ligature for `——` (Noto CJK does, in some contexts): one glyph.
            let at = run.text.find("——").unwrap();
            if run
                .glyphs
                .iter()
                .any(|g| g.text == (at..at + 6) && g.x_advance >= 1.9 * run.size)
            {
                continue;
            }
            let y = run.origin.y;
            let bridged = page.items.iter().any(|i| {
                matches!(i, Item::Line { from, to, .. }
                    if (to.x - from.x) > 1.6 * run.size && (to.x - from.x) <= 2.0 * run.size
                        && from.y < y && from.y > y - run.size)
            });
            assert!(bridged, "no 2 em rule under the dashes of {:?}", run.text);
        }
    }
    assert!(dashes > 0, "the sample book uses ——");
}

/// Every number of every citation mark is a link annotation to its own entry, by a named destination
/// (`/Dest (ref-grill2020byol)`) that the PDF's name tree defines; all 48 works are reached.
#[test]
fn citation_marks_are_pdf_links_to_their_entries() {
    let (_, bytes, refs) = layout_with_refs(None, |_| {});
    let path = temp_dir("pdf-cite-links").join("book.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let Some(out) = tool("qpdf", &["--json=2", path.to_str().unwrap()]) else {
        missing("qpdf");
        return;
    };
    let json = String::from_utf8(out.stdout).unwrap();
    // Link annotations: `"/Dest": "u:ref-…"`; the name tree: `"/Dests": { "/Names": [ "u:ref-…", … ] }`.
    let mut linked: Vec<String> = json
        .split("\"/Dest\": \"u:")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .filter(|n| n.starts_with("ref-"))
        .collect();
    linked.sort();
    let mut expected: Vec<String> = refs
        .marks
        .iter()
        .flat_map(|m| m.parts.iter().filter_map(|p| p.target.clone()))
        .collect();
    expected.sort();
    assert!(
        expected.len() > 48,
        "the sample book cites {}",
        expected.len()
    );
    assert_eq!(linked, expected, "one link annotation per cited number");

    let names = json.split("\"/Dests\"").nth(1).expect("a /Dests name tree");
    let names = &names[..names.find(']').unwrap()];
    let entries: std::collections::BTreeSet<&str> =
        refs.entries.iter().map(|e| e.anchor.as_str()).collect();
    assert_eq!(entries.len(), 48);
    for n in &linked {
        assert!(entries.contains(n.as_str()), "{n} is no entry");
        assert!(
            names.contains(&format!("\"u:{n}\"")),
            "{n} is not a named destination"
        );
    }
    let reached: std::collections::BTreeSet<&String> = linked.iter().collect();
    assert_eq!(reached.len(), 48, "every work is reached from a mark");
}

/// The PDF is tagged: a structure tree mirroring the book (a heading element per chapter and section,
/// the figures with their alternate text, one BibEntry per work), marked content, and the language.
#[test]
fn the_pdf_is_tagged_with_the_book_structure() {
    let (_, bytes) = layout(None);
    let path = temp_dir("pdf-tagged").join("book.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let Some(out) = tool("qpdf", &["--json=2", path.to_str().unwrap()]) else {
        missing("qpdf");
        return;
    };
    let json = String::from_utf8(out.stdout).unwrap();
    let count = |s: &str| json.matches(&format!("\"/S\": \"/{s}\"")).count();
    assert!(json.contains("\"/StructTreeRoot\""), "no structure tree");
    assert!(json.contains("\"/Marked\": true"), "not marked as tagged");
    assert!(json.contains("\"/Lang\": \"u:zh-CN\""));
    assert_eq!(count("Document"), 1);
    // 12 chapters, the contents and the references open with a level-1 heading.
    assert_eq!(count("H1"), 14);
    assert!(count("H2") >= 40, "{} section headings", count("H2"));
    assert_eq!(count("BibEntry"), 48);
    assert_eq!(count("Figure"), 2);
    assert_eq!(count("Caption"), 2);
    // The one footnote of chapter 2 is a Note element (its number included), not a paragraph.
    assert_eq!(count("Note"), 1);
    assert!(json.contains("\"/Alt\": \"u:8×8 像素网格上按随机顺序逐个生成像素的四个阶段\""));
    assert!(count("P") > 200, "{} paragraphs", count("P"));
}

/// What pdftotext shows for a stretch of text: every run of whitespace (U+3000 and no-break spaces
/// included) as one space, since it does not keep runs of spaces.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The stretches of text on a page as a reader sees them: the runs of one block on one line (a raised
/// mark included), in order, split where a gap of more than an em separates them (table columns,
/// leaders); page furniture run by run. A line with two or more raised marks is cut at each mark:
/// poppler may set such marks as a line of their own and break the text where they stood.
fn stretches(page: &folio::typeset::page::Page) -> Vec<String> {
    use folio::typeset::page::{Structure, TextRun};
    let runs = text_runs(page);
    let same_line = |a: &&TextRun, b: &&TextRun| {
        a.structure != Structure::Artifact
            && a.structure == b.structure
            && (a.origin.y - b.origin.y).abs() < 0.5 * a.size.max(b.size)
    };
    let mut out = Vec::new();
    for line in runs.chunk_by(same_line) {
        let base = line[0].origin.y;
        let size = line[0].size;
        let is_raised = |t: &TextRun| (t.origin.y - base).abs() >= 0.01;
        let left = line
            .iter()
            .map(|t| t.origin.x)
            .fold(f32::INFINITY, f32::min);
        let right = line.iter().map(|t| t.origin.x).fold(0.0, f32::max) + size;
        // Raised runs over this line, note marks (page furniture) included.
        let marks = runs
            .iter()
            .filter(|t| is_raised(t) && (t.origin.y - base).abs() < 0.5 * size)
            .filter(|t| t.origin.x >= left && t.origin.x <= right)
            .count();
        let mut line = line.to_vec();
        line.sort_by(|a, b| a.origin.x.total_cmp(&b.origin.x));
        let mut text = String::new();
        let mut end: Option<f32> = None;
        let mut after_mark = false;
        for t in line {
            let mark = marks > 1 && is_raised(t);
            if mark || after_mark || end.is_some_and(|e| t.origin.x - e > t.size) {
                out.push(std::mem::take(&mut text));
            }
            text.push_str(&t.text);
            end = Some(t.origin.x + t.glyphs.iter().map(|g| g.x_advance).sum::<f32>());
            after_mark = mark;
        }
        out.push(text);
    }
    out
}

/// pdftotext gives back every line of the sample, in A4 and A5, exactly as the page model sets it
/// (which is the source text): no space from autospace, letter-spacing or justification, no line
/// split at compressed punctuation, no character lost or doubled. And no glyph is drawn as .notdef.
#[test]
fn pdftotext_gives_back_every_line_of_the_sample() {
    use folio::typeset::page::Item;
    for (name, paper) in [("a4", None), ("a5", Some(Paper::A5))] {
        let (paged, bytes) = layout(paper);
        for (i, page) in paged.pages.iter().enumerate() {
            for it in &page.items {
                if let Item::Text(t) = it {
                    assert!(
                        t.glyphs.iter().all(|g| g.id != 0),
                        "{name} p{}: a missing glyph in {:?}",
                        i + 1,
                        t.text
                    );
                }
            }
        }
        let path = temp_dir(&format!("pdf-text-{name}")).join("book.pdf");
        std::fs::write(&path, &bytes).unwrap();
        let Some(out) = tool("pdftotext", &["-enc", "UTF-8", path.to_str().unwrap(), "-"]) else {
            missing("pdftotext");
            return;
        };
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        let got: Vec<&str> = text.split('\u{c}').collect();
        assert!(got.len() > paged.pages.len(), "{name}: pdftotext pages");
        let mut wrong = Vec::new();
        let mut stretches_seen = 0;
        for (i, page) in paged.pages.iter().enumerate() {
            let lines: Vec<String> = got[i].lines().map(collapse).collect();
            // A wide typed space (an ideographic space, aligned code) may be read as a column gap:
            // the pieces on either side must still be whole.
            let pieces = stretches(page)
                .into_iter()
                .flat_map(|s| {
                    s.split(['\u{3000}'])
                        .flat_map(|p| p.split("  ").map(collapse).collect::<Vec<_>>())
                        .collect::<Vec<_>>()
                })
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>();
            for s in pieces {
                stretches_seen += 1;
                if !lines.iter().any(|l| l.contains(&s)) {
                    wrong.push(format!("p{}: {s:?}", i + 1));
                }
            }
            let mut set: Vec<char> = stretches(page)
                .concat()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let mut read: Vec<char> = got[i].chars().filter(|c| !c.is_whitespace()).collect();
            set.sort_unstable();
            read.sort_unstable();
            if set != read {
                wrong.push(format!("p{}: other characters than set", i + 1));
            }
        }
        assert!(stretches_seen > 1000, "{name}: {stretches_seen} lines");
        assert!(
            wrong.is_empty(),
            "{name}: pdftotext reads {} of {stretches_seen} lines otherwise:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
}

/// A centred title that needs two lines breaks near its middle, not before its last word.
#[test]
fn centred_titles_are_balanced() {
    use folio::typeset::page::Item;
    let (paged, _) = layout(None);
    let lines: Vec<String> = paged
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Text(t) if t.size > 16.0 => Some(t.text.clone()),
            _ => None,
        })
        .collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("Poisoning"))
        .expect("chapter 2's title");
    assert_eq!(
        lines[at..at + 2],
        ["Poisoning and Backdooring", "Contrastive Learning"],
        "{lines:?}"
    );
}

/// The first line of 前言 ends before `Conference`, a word too long to follow it whole. Rather than
/// letter-spacing the Han text (the defect of typography.md §2 and anchors.md), the breaker
/// hyphenates `Confer-ence`: the line keeps natural spacing between Han characters and ends in a
/// drawn hyphen that the text layer does not read (it joins the `r` cluster).
#[test]
fn a_long_english_word_is_hyphenated_rather_than_the_line_letter_spaced() {
    use folio::typeset::page::Item;
    let texts = |paged: &folio::typeset::page::PagedDocument| {
        let runs: Vec<_> = paged
            .pages
            .iter()
            .flat_map(|p| &p.items)
            .filter_map(|i| match i {
                Item::Text(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        runs
    };
    // `hyphenate = false` gives the old, letter-spaced line.
    let (plain, _, _) = layout_with_refs(None, |s| s.pdf.hyphenate = false);
    assert!(
        texts(&plain)
            .iter()
            .any(|t| t.text.ends_with("会议（International")),
        "without hyphenation"
    );
    let (paged, _) = layout(None);
    let runs = texts(&paged);
    let at = runs
        .iter()
        .position(|t| t.text.ends_with("（International Confer"))
        .expect("the preface's first line");
    let (line, next) = (&runs[at], &runs[at + 1]);
    assert!(next.text.starts_with("ence on Learning"), "{:?}", next.text);
    let n = line.glyphs.len();
    assert_eq!(
        line.glyphs[n - 1].text,
        line.glyphs[n - 2].text,
        "hyphen joins `r`"
    );
    assert_eq!(&line.text[line.glyphs[n - 1].text.clone()], "r");
    // Between two Han characters the pen moves by one em, not more.
    let chars: Vec<(char, f32)> = line
        .glyphs
        .iter()
        .map(|g| {
            (
                line.text[g.text.clone()].chars().next().unwrap(),
                g.x_advance,
            )
        })
        .collect();
    let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let spaced: Vec<_> = chars
        .windows(2)
        .filter(|w| han(w[0].0) && han(w[1].0) && w[0].1 > line.size * 1.05)
        .collect();
    assert!(spaced.is_empty(), "letter-spaced: {spaced:?}");
}

/// List bullets are visible dots on the centre of the em box: `●` / `○` at half the text size
/// (Noto CJK's `•` is a speck of about 0.15 em), never a missing glyph.
#[test]
fn list_bullets_are_half_size_shapes_on_the_em_box_centre() {
    let (paged, _) = layout(None);
    let mut seen = [0, 0];
    for page in &paged.pages {
        let runs = text_runs(page);
        for b in runs.iter().filter(|t| t.text == "●" || t.text == "○") {
            seen[usize::from(b.text == "○")] += 1;
            assert_eq!(b.size, 6.0, "half of the 12 pt text");
            let text = runs
                .iter()
                .find(|t| {
                    t.origin.x > b.origin.x
                        && t.size == 12.0
                        && (t.origin.y - b.origin.y).abs() < 6.0
                })
                .expect("the item's first line");
            // The shape's em box centre (0.38 em above its baseline) is the text's.
            let centre = |y: f32, size: f32| y - 0.38 * size;
            assert!((centre(b.origin.y, 6.0) - centre(text.origin.y, 12.0)).abs() < 0.01);
        }
        assert!(!runs.iter().any(|t| t.text == "•" || t.text == "◦"));
    }
    assert!(seen[0] >= 10 && seen[1] >= 6, "bullets ● and ○: {seen:?}");
}

/// The contents never leave a lone entry on a page, nor a chapter's entry at the foot of a page
/// with its sections overleaf.
#[test]
fn contents_pages_keep_chapters_with_their_sections() {
    use folio::typeset::page::{BlockRole, Item, Structure};
    for paper in [None, Some(Paper::A5)] {
        let (paged, _) = layout(paper);
        let pages: Vec<Vec<(f32, &folio::typeset::page::TextRun)>> = paged
            .pages
            .iter()
            .map(|p| {
                let mut lines: Vec<_> = p
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Text(t)
                            if matches!(
                                t.structure,
                                Structure::Block {
                                    role: BlockRole::TocEntry,
                                    ..
                                }
                            ) && t.origin.x < 30.0 + p.width / 4.0 =>
                        {
                            Some((t.origin.y, t))
                        }
                        _ => None,
                    })
                    .collect();
                lines.sort_by(|a, b| a.0.total_cmp(&b.0));
                lines.dedup_by(|a, b| (a.0 - b.0).abs() < 1.0);
                lines
            })
            .filter(|l| !l.is_empty())
            .collect();
        assert!(pages.len() >= 2, "{paper:?}: contents pages");
        let chapter_face = pages[0][0].1.face;
        for (i, lines) in pages.iter().enumerate() {
            assert!(
                lines.len() >= 2,
                "{paper:?}: contents page {} has one entry",
                i + 1
            );
            let (_, last) = lines[lines.len() - 1];
            if i + 1 < pages.len() {
                let (_, next) = pages[i + 1][0];
                assert!(
                    !(last.face == chapter_face && next.face != chapter_face),
                    "{paper:?}: {:?} ends a contents page, its sections overleaf",
                    last.text
                );
            }
        }
    }
}
