//! flow: vertical boxes → pages (page breaking, keeps, widows/orphans, footnote space, table heads).
//!
//! Input: a flat list of [`Elem`]s (boxes whose heights are final, discardable spaces and page starts)
//! plus the laid-out footnote bodies. Output: [`PageDraft`]s with every item at its page position and a
//! table of anchors (`chapter id`, heading ids, reference entries) → (page index, y). Breaking first
//! assigns boxes to pages using heights only, so a keep can pull boxes back onto the next page; then each
//! page is drawn. Footnote markers are numbered here, restarting on each page (typography.md §7). A
//! note starts on the page of its mark; one too long for the rest of that page continues, unnumbered,
//! at the foot of the next page, above that page's own notes.

use super::page::{Item, LinkDest, Page, Point, Rect, Structure};
use std::collections::BTreeMap;
use std::ops::Range;
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
    /// Items of a note marker (the circled number) at a baseline, in the running text or before a
    /// note; it belongs to `structure` (the paragraph it marks, or the note it labels).
    fn marker(
        &mut self,
        number: usize,
        at: Point,
        in_note: bool,
        structure: Structure,
    ) -> Vec<Item>;
    /// Gap plus separator rule above the notes of a page.
    fn separator(&self) -> (f32, Vec<Item>);
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
        let mut place = |b: &BoxElem, y: &mut f32, page: &mut Page| {
            let mut items: Vec<Item> = b.items.iter().map(|it| offset_item(it, left, *y)).collect();
            for m in &b.marks {
                let Some(n) = r.numbers.iter().position(|k| *k == m.note) else {
                    continue;
                };
                let at = Point {
                    x: m.x + left,
                    y: *y + m.y,
                };
                // The mark goes right after the run it follows, as part of the same paragraph.
                let after = items.iter().rposition(|it| {
                    matches!(it, Item::Text(t) if t.origin.x <= at.x && t.structure != Structure::Artifact)
                });
                let structure = match after.map(|i| &items[i]) {
                    Some(Item::Text(t)) => t.structure,
                    _ => Structure::Artifact,
                };
                let slot = after.map_or(items.len(), |i| i + 1);
                items.splice(slot..slot, notes.marker(n + 1, at, false, structure));
            }
            page.items.extend(items);
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
            *y += b.height;
        };
        if let Some(h) = &r.header {
            place(h, &mut y, &mut page);
        }
        for e in &elems[r.elems.clone()] {
            match e {
                Elem::Box(b) => place(b, &mut y, &mut page),
                Elem::Space(h) => {
                    if y > geo.top + 0.01 {
                        y += h;
                    }
                }
                Elem::Start(_) => {}
            }
        }
        draw_notes(&r, notes, geo, left, &mut page);
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

/// Sets a page's footnote lines at the foot of its text block, under the separator: a note
/// continued from the previous page first, without a number; each other note with the number of
/// its mark on this page.
fn draw_notes(
    r: &PageRange,
    notes: &mut dyn NoteSource,
    geo: &Geometry,
    left: f32,
    page: &mut Page,
) {
    if r.notes.is_empty() {
        return;
    }
    let lines = |p: &NotePart| notes_lines(&*notes, p);
    let total: f32 = r
        .notes
        .iter()
        .map(|p| lines(p).iter().map(|b| b.height).sum::<f32>())
        .sum();
    let (gap, sep) = notes.separator();
    let mut ny = geo.height - geo.bottom - total;
    for it in &sep {
        page.items.push(offset_item(it, left, ny - gap * 0.55));
    }
    for part in &r.notes {
        let body = notes_lines(&*notes, part).to_vec();
        let number = r.numbers.iter().position(|k| *k == part.key);
        for (i, b) in body.iter().enumerate() {
            if let (0, 0, Some(n)) = (i, part.lines.start, number) {
                let first = b.items.iter().find_map(|it| match it {
                    Item::Text(t) => Some((t.origin.y, t.structure)),
                    _ => None,
                });
                let at = Point {
                    x: left,
                    y: ny + first.map_or(b.height * 0.7, |f| f.0),
                };
                let structure = first.map_or(Structure::Artifact, |f| f.1);
                page.items.extend(notes.marker(n + 1, at, true, structure));
            }
            for it in &b.items {
                page.items.push(offset_item(it, left, ny));
            }
            ny += b.height;
        }
    }
}

/// The lines of a note part.
fn notes_lines<'a>(notes: &'a dyn NoteSource, p: &NotePart) -> &'a [BoxElem] {
    notes.body(p.key).get(p.lines.clone()).unwrap_or_default()
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

/// Lines `lines` of footnote `key`, set at the foot of one page.
#[derive(Debug, Clone, PartialEq)]
struct NotePart {
    key: NoteKey,
    lines: Range<usize>,
    /// The element whose note mark brought the note in (for a part carried over from an earlier
    /// page: that page's element).
    from: usize,
}

/// Lines of a note kept on the page of its mark when the rest of the note must continue at the
/// foot of the next page (Chicago 14.47: a long note may run over; TeX keeps at least one line).
const MIN_NOTE_LINES: usize = 2;
/// The most of the text block a note continued from the previous page fills before the page's own
/// text, so that text always moves on.
const CONTINUED_SHARE: f32 = 0.6;

/// One page's share of the element list.
struct PageRange {
    elems: Range<usize>,
    start_elem: Option<PageStart>,
    head: Option<String>,
    numbering: Numbering,
    header: Option<Arc<BoxElem>>,
    /// The footnote lines at its foot, top to bottom: a continued note first.
    notes: Vec<NotePart>,
    /// The notes whose marks are on this page, in mark order: ① is the first (§7).
    numbers: Vec<NoteKey>,
}

/// The footnotes of the page being filled, and those waiting for the next pages.
struct NoteState<'a> {
    src: &'a dyn NoteSource,
    sep: f32,
    parts: Vec<NotePart>,
    /// Notes first marked on this page, with the element that marks them.
    numbers: Vec<(NoteKey, usize)>,
    /// Height of the notes area (separator included).
    height: f32,
    /// Note lines that must continue at the foot of the following pages.
    carry: Vec<NotePart>,
}

impl NoteState<'_> {
    fn line(&self, key: NoteKey, i: usize) -> f32 {
        self.src.body(key).get(i).map_or(0.0, |b| b.height)
    }

    fn lines_height(&self, key: NoteKey, lines: Range<usize>) -> f32 {
        lines.map(|i| self.line(key, i)).sum()
    }

    fn push(&mut self, part: NotePart) {
        if part.lines.is_empty() {
            return;
        }
        if self.parts.is_empty() {
            self.height += self.sep;
        }
        self.height += self.lines_height(part.key, part.lines.clone());
        self.parts.push(part);
    }

    /// Starts a page: notes carried over go first, up to `cap` pt.
    fn start_page(&mut self, cap: f32) {
        self.parts.clear();
        self.numbers.clear();
        self.height = 0.0;
        let carry = std::mem::take(&mut self.carry);
        let mut room = cap - self.sep;
        let mut iter = carry.into_iter();
        for part in iter.by_ref() {
            let mut end = part.lines.start;
            while end < part.lines.end
                && (self.line(part.key, end) <= room
                    || end == part.lines.start && self.parts.is_empty())
            {
                room -= self.line(part.key, end);
                end += 1;
            }
            let rest = end..part.lines.end;
            self.push(NotePart {
                lines: part.lines.start..end,
                ..part
            });
            if !rest.is_empty() {
                self.carry.push(NotePart {
                    lines: rest,
                    ..part
                });
                break;
            }
        }
        self.carry.extend(iter);
    }

    /// Tries to add the notes first marked in element `from`, with `room` pt left on the page
    /// once the element itself is placed. `Some(true)`: all of them fit. `Some(false)`: the page
    /// must end after the element; as many lines as fit stay, at least [`MIN_NOTE_LINES`] of a
    /// split note unless `force` (the element opens the page), and the rest is carried over.
    /// `None`: the element does not go on this page.
    fn add(&mut self, keys: &[NoteKey], from: usize, room: f32, force: bool) -> Option<bool> {
        let mut room = room
            - if self.parts.is_empty() && !keys.is_empty() {
                self.sep
            } else {
                0.0
            };
        if room < 0.0 && !force {
            return None;
        }
        let mut placed = Vec::new();
        let mut carry = Vec::new();
        for &key in keys {
            let n = self.src.body(key).len();
            if !carry.is_empty() {
                carry.push(NotePart {
                    key,
                    lines: 0..n,
                    from,
                });
                continue;
            }
            let mut k = 0;
            while k < n && self.line(key, k) <= room {
                room -= self.line(key, k);
                k += 1;
            }
            if k < n && k < MIN_NOTE_LINES.min(n) && !force {
                return None;
            }
            placed.push(NotePart {
                key,
                lines: 0..k,
                from,
            });
            if k < n {
                carry.push(NotePart {
                    key,
                    lines: k..n,
                    from,
                });
            }
        }
        self.numbers.extend(keys.iter().map(|&key| (key, from)));
        for p in placed {
            self.push(p);
        }
        let whole = carry.is_empty();
        self.carry.extend(carry);
        Some(whole)
    }

    /// The page ends before element `k`: notes brought in by `k` and later elements go back
    /// (a part carried over from an earlier page has an earlier `from`).
    fn end_page(&mut self, k: usize) -> (Vec<NotePart>, Vec<NoteKey>) {
        self.parts.retain(|p| p.from < k);
        self.carry.retain(|p| p.from < k);
        self.numbers.retain(|&(_, from)| from < k);
        let numbers = self.numbers.drain(..).map(|(key, _)| key).collect();
        (std::mem::take(&mut self.parts), numbers)
    }
}

/// Assigns elements to pages from heights alone. A page holds its boxes plus the footnotes they
/// mark; a note too long for the rest of the page continues at the foot of the next one.
fn assign(elems: &[&Elem], geo: &Geometry, notes: &dyn NoteSource) -> Vec<PageRange> {
    let avail = geo.block_height() + 0.5;
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut y = 0.0f32;
    let mut cur_start: Option<PageStart> = None;
    let mut head: Option<String> = None;
    let mut numbering = Numbering::None;
    let mut header: Option<Arc<BoxElem>> = None;
    let mut st = NoteState {
        src: notes,
        sep: notes.separator().0,
        parts: Vec::new(),
        numbers: Vec::new(),
        height: 0.0,
        carry: Vec::new(),
    };
    // The page must end after the box just placed (a note was split there).
    let mut full = false;
    while i < elems.len() {
        match &elems[i] {
            Elem::Start(s) => {
                if i > start || cur_start.is_some() {
                    let (parts, numbers) = st.end_page(i);
                    out.push(PageRange {
                        elems: start..i,
                        start_elem: cur_start.take(),
                        head: head.clone(),
                        numbering,
                        header: header.take(),
                        notes: parts,
                        numbers,
                    });
                }
                head = s.head.clone();
                numbering = s.numbering;
                cur_start = Some(s.clone());
                i += 1;
                start = i;
                y = 0.0;
                full = false;
                st.start_page(avail * CONTINUED_SHARE);
            }
            Elem::Space(h) => {
                if y > 0.0 {
                    y += h;
                }
                i += 1;
            }
            Elem::Box(b) => {
                let mut keys: Vec<NoteKey> = Vec::new();
                for m in &b.marks {
                    if !st.numbers.iter().any(|n| n.0 == m.note) && !keys.contains(&m.note) {
                        keys.push(m.note);
                    }
                }
                let page_empty = !elems[start..i].iter().any(|e| matches!(e, Elem::Box(_)));
                let room = avail - y - b.height - st.height;
                let added = if full {
                    None
                } else {
                    st.add(&keys, i, room, page_empty)
                };
                if let Some(whole) = added {
                    y += b.height;
                    full = !whole;
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
                let (parts, numbers) = st.end_page(k);
                out.push(PageRange {
                    elems: start..k,
                    start_elem: cur_start.take(),
                    head: head.clone(),
                    numbering,
                    header: header.take(),
                    notes: parts,
                    numbers,
                });
                start = k;
                i = k;
                y = 0.0;
                full = false;
                st.start_page(avail * CONTINUED_SHARE);
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
        let (parts, numbers) = st.end_page(i);
        out.push(PageRange {
            elems: start..i,
            start_elem: cur_start.take(),
            head: head.clone(),
            numbering,
            header,
            notes: parts,
            numbers,
        });
    }
    // Notes still running after the last text: pages of notes only.
    while !st.carry.is_empty() {
        st.start_page(avail);
        let (parts, numbers) = st.end_page(elems.len());
        out.push(PageRange {
            elems: elems.len()..elems.len(),
            start_elem: None,
            head: head.clone(),
            numbering,
            header: None,
            notes: parts,
            numbers,
        });
    }
    out
}
