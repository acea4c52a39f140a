//! flow: vertical boxes → pages (page breaking, keeps, widows/orphans, footnote space, table heads).
//!
//! Input: a flat list of [`Elem`]s (boxes whose heights are final, discardable spaces and page starts)
//! plus the laid-out footnote bodies. Output: [`PageDraft`]s with every item at its page position and a
//! table of anchors (`chapter id`, heading ids, reference entries) → (page index, y). Breaking first
//! assigns boxes to pages using heights only, so a keep can pull boxes back onto the next page; then each
//! page is drawn. Footnote markers are numbered here, restarting on each page (typography.md §7).

use super::page::{Item, LinkDest, Page, Point, Rect};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A footnote: (chapter index, index into its `footnotes`).
pub type NoteKey = (usize, usize);

/// A note marker in running text, numbered per page when the page is drawn.
#[derive(Debug, Clone)]
pub struct NoteMark {
    pub x: f32,
    /// Baseline of the marker, from the box top.
    pub y: f32,
    pub note: NoteKey,
}

/// An unbreakable piece of a page: a line, a heading, an image, a table row.
#[derive(Debug, Clone, Default)]
pub struct BoxElem {
    pub height: f32,
    /// Items with x from the text block's left edge and y from the box top.
    pub items: Vec<Item>,
    pub marks: Vec<NoteMark>,
    /// Anchors defined in this box, with their y from the box top.
    pub anchors: Vec<(String, f32)>,
    /// Links to anchors (resolved once every page is known).
    pub anchor_links: Vec<(Rect, String)>,
    /// Do not break the page between this box and the next one.
    pub keep_with_next: bool,
    /// A table's header row, repeated at the top of a page that starts inside the table.
    pub header: Option<Arc<BoxElem>>,
}

/// How a page start affects numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// No printed number (title page).
    None,
    /// Lowercase roman, continuing the front-matter count.
    Roman,
    /// Arabic; `restart` begins again at 1.
    Arabic { restart: bool },
}

#[derive(Debug, Clone)]
pub struct PageStart {
    pub recto: bool,
    pub numbering: Numbering,
    /// The chapter title for recto running heads; `None` for pages without heads.
    pub head: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Elem {
    Box(BoxElem),
    /// Vertical space, dropped at the top of a page.
    Space(f32),
    /// Start a new page (a new chapter, the TOC, the title page).
    Start(PageStart),
}

/// A page before running heads and page numbers.
#[derive(Debug, Clone)]
pub struct PageDraft {
    pub page: Page,
    /// First page of a chapter (or title page, TOC): no running head, no folio.
    pub opening: bool,
    /// A page left blank so that a chapter opens on a recto.
    pub blank: bool,
    pub head: Option<String>,
    pub numbering: Numbering,
}

/// Page geometry shared by every page.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    pub top: f32,
    pub bottom: f32,
    pub inner: f32,
    pub outer: f32,
    pub two_sided: bool,
    pub measure: f32,
}

impl Geometry {
    /// Height of the text block.
    pub fn block_height(&self) -> f32 {
        self.height - self.top - self.bottom
    }
    /// Left edge of the text block on the page with this index (0 = the first recto).
    pub fn left(&self, index: usize) -> f32 {
        let spare = self.width - self.measure;
        if self.two_sided && index % 2 == 1 {
            spare * self.outer / (self.inner + self.outer)
        } else {
            spare * self.inner / (self.inner + self.outer)
        }
    }
}

/// Lays notes out: what the page needs to draw one note with its number.
pub trait NoteSource {
    /// The lines of a note's text (without marker), and their total height.
    fn body(&self, note: NoteKey) -> &[BoxElem];
    /// Items of a note marker (the circled number) at a baseline, in the running text or before a note.
    fn marker(&mut self, number: usize, at: Point, in_note: bool) -> Vec<Item>;
    /// Gap plus separator rule above the notes of a page.
    fn separator(&self) -> (f32, Vec<Item>);
}

fn note_height(notes: &dyn NoteSource, key: NoteKey) -> f32 {
    notes.body(key).iter().map(|b| b.height).sum()
}

/// Breaks `elems` into pages and draws them.
pub fn paginate(
    elems: &[&Elem],
    geo: &Geometry,
    notes: &mut dyn NoteSource,
) -> (Vec<PageDraft>, BTreeMap<String, (usize, f32)>) {
    let ranges = assign(elems, geo, notes);
    let mut pages = Vec::new();
    let mut anchors = BTreeMap::new();
    let mut links: Vec<(usize, Rect, String)> = Vec::new();
    for r in ranges {
        if r.start_elem.as_ref().is_some_and(|s| s.recto) && geo.two_sided && pages.len() % 2 == 1 {
            pages.push(PageDraft {
                page: blank_page(geo),
                opening: true,
                blank: true,
                head: None,
                numbering: r.numbering,
            });
        }
        let index = pages.len();
        let left = geo.left(index);
        let mut page = blank_page(geo);
        let mut y = geo.top;
        let mut keys: Vec<NoteKey> = Vec::new();
        let mut marks_drawn = Vec::new();
        let mut place = |b: &BoxElem, y: &mut f32, page: &mut Page, keys: &mut Vec<NoteKey>| {
            for it in &b.items {
                page.items.push(offset_item(it, left, *y));
            }
            for (name, ay) in &b.anchors {
                anchors.entry(name.clone()).or_insert((index, *y + ay));
            }
            for (rect, name) in &b.anchor_links {
                let rect = Rect {
                    x: rect.x + left,
                    y: rect.y + *y,
                    ..*rect
                };
                links.push((index, rect, name.clone()));
            }
            for m in &b.marks {
                let n = match keys.iter().position(|k| *k == m.note) {
                    Some(p) => p + 1,
                    None => {
                        keys.push(m.note);
                        keys.len()
                    }
                };
                marks_drawn.push((
                    n,
                    Point {
                        x: m.x + left,
                        y: *y + m.y,
                    },
                ));
            }
            *y += b.height;
        };
        if let Some(h) = &r.header {
            place(h, &mut y, &mut page, &mut keys);
        }
        for e in &elems[r.elems.clone()] {
            match e {
                Elem::Box(b) => place(b, &mut y, &mut page, &mut keys),
                Elem::Space(h) => {
                    if y > geo.top + 0.01 {
                        y += h;
                    }
                }
                Elem::Start(_) => {}
            }
        }
        for (n, at) in marks_drawn {
            page.items.extend(notes.marker(n, at, false));
        }
        if !keys.is_empty() {
            let total: f32 = keys.iter().map(|k| note_height(notes, *k)).sum();
            let (gap, sep) = notes.separator();
            let mut ny = geo.height - geo.bottom - total;
            for it in &sep {
                page.items.push(offset_item(it, left, ny - gap * 0.55));
            }
            for (i, key) in keys.iter().enumerate() {
                let body = notes.body(*key).to_vec();
                let mut first = true;
                for b in &body {
                    if first {
                        let base = b.items.iter().find_map(|it| match it {
                            Item::Text(t) => Some(t.origin.y),
                            _ => None,
                        });
                        let at = Point {
                            x: left,
                            y: ny + base.unwrap_or(b.height * 0.7),
                        };
                        page.items.extend(notes.marker(i + 1, at, true));
                        first = false;
                    }
                    for it in &b.items {
                        page.items.push(offset_item(it, left, ny));
                    }
                    ny += b.height;
                }
            }
        }
        pages.push(PageDraft {
            page,
            opening: r.start_elem.is_some(),
            blank: false,
            head: r.head.clone(),
            numbering: r.numbering,
        });
    }
    for (index, rect, name) in links {
        if let Some(&(page, y)) = anchors.get(&name) {
            pages[index].page.items.push(Item::Link {
                rect,
                target: LinkDest::Internal { name, page, y },
            });
        }
    }
    (pages, anchors)
}

fn blank_page(geo: &Geometry) -> Page {
    Page {
        width: geo.width,
        height: geo.height,
        label: None,
        items: Vec::new(),
    }
}

/// Moves an item by (dx, dy).
pub fn offset_item(it: &Item, dx: f32, dy: f32) -> Item {
    let mv = |p: Point| Point {
        x: p.x + dx,
        y: p.y + dy,
    };
    let mr = |r: Rect| Rect {
        x: r.x + dx,
        y: r.y + dy,
        ..r
    };
    match it {
        Item::Text(t) => {
            let mut t = t.clone();
            t.origin = mv(t.origin);
            Item::Text(t)
        }
        Item::Line {
            from,
            to,
            thickness,
            color,
        } => Item::Line {
            from: mv(*from),
            to: mv(*to),
            thickness: *thickness,
            color: *color,
        },
        Item::Fill { rect, color } => Item::Fill {
            rect: mr(*rect),
            color: *color,
        },
        Item::Image { rect, path, alt } => Item::Image {
            rect: mr(*rect),
            path: path.clone(),
            alt: alt.clone(),
        },
        Item::Link { rect, target } => Item::Link {
            rect: mr(*rect),
            target: target.clone(),
        },
    }
}

/// One page's share of the element list.
struct PageRange {
    elems: std::ops::Range<usize>,
    start_elem: Option<PageStart>,
    head: Option<String>,
    numbering: Numbering,
    header: Option<Arc<BoxElem>>,
}

/// Assigns elements to pages from heights alone.
fn assign(elems: &[&Elem], geo: &Geometry, notes: &dyn NoteSource) -> Vec<PageRange> {
    let avail = geo.block_height() + 0.5;
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut y = 0.0f32;
    let mut note_h = 0.0f32;
    let mut seen: Vec<NoteKey> = Vec::new();
    let mut cur_start: Option<PageStart> = None;
    let mut head: Option<String> = None;
    let mut numbering = Numbering::None;
    let mut header: Option<Arc<BoxElem>> = None;
    let sep = notes.separator().0;
    while i < elems.len() {
        match &elems[i] {
            Elem::Start(s) => {
                if i > start || cur_start.is_some() {
                    out.push(PageRange {
                        elems: start..i,
                        start_elem: cur_start.take(),
                        head: head.clone(),
                        numbering,
                        header: header.take(),
                    });
                }
                head = s.head.clone();
                numbering = s.numbering;
                cur_start = Some(s.clone());
                i += 1;
                start = i;
                y = 0.0;
                note_h = 0.0;
                seen.clear();
            }
            Elem::Space(h) => {
                if y > 0.0 {
                    y += h;
                }
                i += 1;
            }
            Elem::Box(b) => {
                let mut nh = 0.0;
                for m in &b.marks {
                    if !seen.contains(&m.note) {
                        nh += note_height(notes, m.note);
                    }
                }
                if nh > 0.0 && note_h == 0.0 {
                    nh += sep;
                }
                let page_empty = !elems[start..i].iter().any(|e| matches!(e, Elem::Box(_)));
                if y + b.height + note_h + nh <= avail || page_empty {
                    y += b.height;
                    note_h += nh;
                    seen.extend(b.marks.iter().map(|m| m.note));
                    i += 1;
                    continue;
                }
                // Break before i, or earlier to honour keeps.
                let mut k = i;
                let first_box = (start..i).find(|&j| matches!(elems[j], Elem::Box(_)));
                loop {
                    let prev = (start..k).rev().find(|&j| matches!(elems[j], Elem::Box(_)));
                    match prev {
                        Some(p) if Some(p) != first_box => match &elems[p] {
                            Elem::Box(pb) if pb.keep_with_next => k = p,
                            _ => break,
                        },
                        _ => break,
                    }
                }
                if Some(k) == first_box || k <= start {
                    k = i;
                }
                out.push(PageRange {
                    elems: start..k,
                    start_elem: cur_start.take(),
                    head: head.clone(),
                    numbering,
                    header: header.take(),
                });
                start = k;
                i = k;
                y = 0.0;
                note_h = 0.0;
                seen.clear();
                // A page that starts inside a table repeats its header row.
                if let Some(Elem::Box(nb)) = elems.get(k)
                    && let Some(h) = &nb.header
                {
                    y = h.height;
                    header = Some(Arc::clone(h));
                }
            }
        }
    }
    if i > start || cur_start.is_some() {
        out.push(PageRange {
            elems: start..i,
            start_elem: cur_start.take(),
            head,
            numbering,
            header,
        });
    }
    out
}
