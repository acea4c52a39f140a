//! The repository's own book, built as a user would: the EPUB must pass epubcheck with nothing to say,
//! stay small, hold every chapter in order with subset fonts, and come out byte-identical every time.

mod common;

use common::*;
use folio::Format;
use std::collections::BTreeSet;

fn build_sample(name: &str) -> Vec<u8> {
    let out = temp_dir(name);
    let (files, msgs) = build(&repo_root(), &out, &[Format::Epub]);
    assert!(
        msgs.is_empty(),
        "the sample book builds without a single message:\n{}",
        msgs.join("")
    );
    let epub = files
        .iter()
        .find(|f| f.extension().is_some_and(|e| e == "epub"))
        .expect("an EPUB");
    assert_eq!(epub.file_name().unwrap(), "iclr-2022.epub");
    std::fs::read(epub).unwrap()
}

/// The text nodes of an XHTML document (what lies between tags).
fn text_nodes(xhtml: &str) -> Vec<&str> {
    xhtml
        .split('<')
        .filter_map(|s| s.split_once('>').map(|(_, text)| text))
        .filter(|t| !t.is_empty())
        .collect()
}

#[test]
fn sample_epub_is_small_ordered_and_clean() {
    let bytes = build_sample("sample");
    assert!(
        bytes.len() < 1_000_000,
        "the sample EPUB is {} bytes; it must stay under 1 MB",
        bytes.len()
    );
    let entries = zip_entries(&bytes);
    assert_eq!(entries[0].0, "mimetype");
    let get = |name: &str| {
        let (_, b) = entries
            .iter()
            .find(|(n, _)| n.ends_with(name))
            .unwrap_or_else(|| panic!("{name} in the EPUB"));
        String::from_utf8(b.clone()).unwrap()
    };

    // Chapters in the order of content/*.md, in the spine and in the nav.
    let opf = get("content.opf");
    let chapters: Vec<String> = std::fs::read_dir(repo_root().join("content"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| format!("ch-{}", p.file_stem().unwrap().to_string_lossy()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(chapters.len(), 12);
    let mut last = 0;
    let item_id = |href: &str| -> String {
        let at = opf
            .find(&format!("href=\"text/{href}\""))
            .unwrap_or_else(|| panic!("{href} in the manifest"));
        let item = &opf[opf[..at].rfind("<item ").unwrap()..at];
        item.split("id=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string()
    };
    for ch in &chapters {
        let id = item_id(&format!("{ch}.xhtml"));
        let at = opf
            .find(&format!("idref=\"{id}\""))
            .unwrap_or_else(|| panic!("{ch} in the spine"));
        assert!(at > last, "{ch} out of order in the spine");
        last = at;
    }
    let nav = get("nav.xhtml");
    for title in [
        "前言",
        "Autoregressive Diffusion Models",
        "Autonomous Reinforcement Learning",
        "参考文献",
        "版权信息",
    ] {
        assert!(nav.contains(title), "nav lists {title}");
    }
    assert!(opf.contains("<dc:language>zh-CN</dc:language>"));

    // Text: no space between two Han characters, no soft break left inside Chinese.
    let mut used = BTreeSet::new();
    for (name, b) in &entries {
        if !name.ends_with(".xhtml") {
            continue;
        }
        for text in text_nodes(std::str::from_utf8(b).unwrap()) {
            let chars: Vec<char> = text.chars().collect();
            for w in chars.windows(3) {
                assert!(
                    !(is_han(w[0]) && matches!(w[1], ' ' | '\n' | '\t') && is_han(w[2])),
                    "{name}: space between Han in …{}…",
                    w.iter().collect::<String>()
                );
            }
            used.extend(chars.into_iter().filter(|c| is_han(*c)));
        }
    }

    // Fonts are subsets: the body face holds about as many glyphs as the book uses characters, not 30 000.
    let serif = entries
        .iter()
        .find(|(n, _)| n.contains("serif"))
        .expect("an embedded serif face");
    let face = rustybuzz::ttf_parser::Face::parse(&serif.1, 0).expect("a valid font");
    let glyphs = usize::from(face.number_of_glyphs());
    assert!(
        glyphs <= used.len() + 200,
        "{glyphs} glyphs for {} Han characters used",
        used.len()
    );
    assert!(
        glyphs >= used.len() / 2,
        "{glyphs} glyphs cannot cover {} Han characters",
        used.len()
    );
}

#[test]
fn sample_epub_is_reproducible() {
    assert!(
        build_sample("repro-a") == build_sample("repro-b"),
        "two builds differ"
    );
}

#[test]
fn sample_epub_passes_epubcheck() {
    let bytes = build_sample("epubcheck");
    let path = temp_dir("epubcheck-file").join("iclr-2022.epub");
    std::fs::write(&path, bytes).unwrap();
    match epubcheck(&path) {
        Some((clean, report)) => assert!(clean, "epubcheck:\n{report}"),
        None => missing("epubcheck"),
    }
}

#[test]
fn features_fixture_passes_epubcheck_and_keeps_chinese_markup() {
    let out = temp_dir("features");
    let (files, msgs) = build(&fixture("features"), &out, &[Format::Epub]);
    assert!(msgs.is_empty(), "{}", msgs.join(""));
    let bytes = std::fs::read(&files[0]).unwrap();
    let ch1 = zip_entries(&bytes)
        .into_iter()
        .find(|(n, _)| n.ends_with("ch-01-basics.xhtml"))
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .unwrap();
    assert!(
        ch1.contains("<strong>“强调”</strong>"),
        "bold around Chinese quotes"
    );
    assert!(ch1.contains("他说“布朗桥”很有用"), "Chinese smart quotes");
    assert!(
        ch1.contains("源文件在这里换行，中文之间"),
        "soft break joined"
    );
    assert!(
        ch1.contains("我们用 Rust 写代码"),
        "one U+0020 per autospace"
    );
    match epubcheck(&files[0]) {
        Some((clean, report)) => assert!(clean, "epubcheck:\n{report}"),
        None => missing("epubcheck"),
    }
}

/// Every citation mark links to an entry that exists, every entry links back to a place that exists,
/// and each of the 48 works is listed exactly once.
#[test]
fn sample_epub_citations_and_references_link_both_ways() {
    let bytes = build_sample("links");
    let entries = zip_entries(&bytes);
    let text = |name: &str| -> String {
        let (_, b) = entries
            .iter()
            .find(|(n, _)| n.ends_with(&format!("text/{name}")))
            .unwrap();
        String::from_utf8(b.clone()).unwrap()
    };
    let attr_values = |doc: &str, prefix: &str| -> Vec<String> {
        doc.split(prefix)
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_string())
            .collect()
    };
    let refs = text("references.xhtml");
    let ids: Vec<String> = attr_values(&refs, "id=\"ref-");
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), 48, "every work of references.bib listed");
    assert_eq!(unique.len(), ids.len(), "no work listed twice");

    let mut cited = BTreeSet::new();
    for (name, b) in &entries {
        let Some(file) = name.strip_prefix("OEBPS/text/") else {
            continue;
        };
        if !file.starts_with("ch-") {
            continue;
        }
        let doc = String::from_utf8(b.clone()).unwrap();
        for target in attr_values(&doc, "href=\"references.xhtml#ref-") {
            assert!(
                unique.contains(&target),
                "{file}: mark links to a missing entry ref-{target}"
            );
            cited.insert(target);
        }
    }
    assert_eq!(
        cited.len(),
        48,
        "every work is linked from a mark (each number of [17-18] links on its own)"
    );

    let backs = attr_values(&refs, "href=\"ch-");
    assert_eq!(
        backs.len(),
        48,
        "every entry links back to where it is first cited"
    );
    for back in backs {
        let (file, anchor) = back
            .split_once('#')
            .map_or((back.as_str(), None), |(f, a)| (f, Some(a)));
        let chapter = text(&format!("ch-{file}"));
        if let Some(a) = anchor {
            assert!(
                chapter.contains(&format!("id=\"{a}\"")),
                "back link ch-{back} points nowhere"
            );
        }
    }
}
