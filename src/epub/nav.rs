//! Navigation: the EPUB 3 nav document (table of contents + landmarks) and the EPUB 2 NCX.
//!
//! Input: the [`NavEntry`] tree (chapters and their `##` sections, the references) and the
//! landmark targets. Output: `nav.xhtml` and `toc.ncx` as strings.

use super::Labels;
use super::pages::page;
use super::xhtml::{Element, document, el};

/// One entry of the table of contents. `href` is relative to the text folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavEntry {
    pub label: String,
    pub href: String,
    pub children: Vec<NavEntry>,
}

/// Landmark targets (hrefs relative to the text folder).
pub struct Landmarks<'a> {
    pub cover: &'a str,
    pub toc: &'a str,
    pub bodymatter: Option<&'a str>,
    pub bibliography: Option<String>,
}

fn toc_list(entries: &[NavEntry]) -> Element {
    let mut ol = el("ol");
    for e in entries {
        let mut a = el("a").attr("href", e.href.clone());
        if super::markup::is_latin(&e.label) {
            a = a.attr("lang", "en").attr("xml:lang", "en");
        }
        let mut li = el("li").child(a.text(e.label.clone()));
        if !e.children.is_empty() {
            li.push(toc_list(&e.children));
        }
        ol.push(li);
    }
    ol
}

/// `nav.xhtml`: the visible table of contents and the hidden landmarks.
pub fn nav_document(
    lang: &str,
    labels: &Labels,
    entries: &[NavEntry],
    marks: &Landmarks,
) -> String {
    let toc = el("nav")
        .attr("epub:type", "toc")
        .attr("id", "toc")
        .attr("role", "doc-toc")
        .child(el("h1").text(labels.toc))
        .child(toc_list(entries));
    let mut items = vec![
        ("cover", marks.cover, labels.cover),
        ("toc", marks.toc, labels.toc),
    ];
    if let Some(b) = marks.bodymatter {
        items.push(("bodymatter", b, labels.start));
    }
    if let Some(b) = marks.bibliography.as_deref() {
        items.push(("bibliography", b, labels.references));
    }
    let mut ol = el("ol");
    for (kind, href, label) in items {
        ol.push(
            el("li").child(
                el("a")
                    .attr("epub:type", kind)
                    .attr("href", href)
                    .text(label),
            ),
        );
    }
    let landmarks = el("nav")
        .attr("epub:type", "landmarks")
        .attr("id", "landmarks")
        .attr("hidden", "hidden")
        .child(el("h2").text(labels.landmarks))
        .child(ol);
    page(
        lang,
        labels.toc,
        el("body").attr("class", "toc").child(toc).child(landmarks),
    )
}

fn depth(entries: &[NavEntry]) -> usize {
    entries
        .iter()
        .map(|e| 1 + depth(&e.children))
        .max()
        .unwrap_or(0)
}

fn nav_points(entries: &[NavEntry], order: &mut usize, out: &mut Element) {
    for e in entries {
        *order += 1;
        let mut np = el("navPoint")
            .attr("id", format!("np-{order}"))
            .attr("playOrder", order.to_string())
            .child(el("navLabel").child(el("text").text(e.label.clone())))
            .child(el("content").attr("src", format!("text/{}", e.href)));
        nav_points(&e.children, order, &mut np);
        out.push(np);
    }
}

/// `toc.ncx` for EPUB 2 readers (same entries as the nav).
pub fn ncx(identifier: &str, title: &str, entries: &[NavEntry]) -> String {
    let meta = |name: &str, content: String| {
        el("meta")
            .attr("name", name.to_string())
            .attr("content", content)
    };
    let head = el("head")
        .child(meta("dtb:uid", identifier.to_string()))
        .child(meta("dtb:depth", depth(entries).max(1).to_string()))
        .child(meta("dtb:totalPageCount", "0".into()))
        .child(meta("dtb:maxPageNumber", "0".into()));
    let mut map = el("navMap");
    let mut order = 0;
    nav_points(entries, &mut order, &mut map);
    let root = el("ncx")
        .attr("xmlns", "http://www.daisy.org/z3986/2005/ncx/")
        .attr("version", "2005-1")
        .child(head)
        .child(el("docTitle").child(el("text").text(title)))
        .child(map);
    document(root, None)
}
