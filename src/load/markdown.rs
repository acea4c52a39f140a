//! Markdown events → blocks and inlines of one chapter.
//!
//! Input: a chapter body (front matter removed) and its offset in the file. Output: [`Parsed`] — blocks,
//! footnotes in order of first reference, raw links to resolve book-wide, and diagnostics.
//! Before parsing, CJK punctuation touching a `*`/`_` run is swapped for a private-use letter of the same
//! UTF-8 length so CommonMark's flanking rules accept `这是**“强调”**内容` (the markdown-cjk-friendly
//! amendment); the swap is undone on every text the parser hands back, and byte offsets stay exact.

use super::cite;
use super::normalize::normalize;
use crate::diag::{Diagnostic, FileId, Span};
use crate::doc::{Align, Block, Footnote, Image, Inline, LinkTarget, ListItem};
use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

pub struct Parsed {
    pub blocks: Vec<Block>,
    pub footnotes: Vec<Footnote>,
    pub diags: Vec<Diagnostic>,
}

/// A container being built: its inlines and blocks so far.
struct Frame {
    kind: FrameKind,
    start: usize,
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
    /// Text not yet split into text and citations: (text, [(position in text, source offset)]).
    pending: String,
    pending_map: Vec<(usize, usize)>,
    /// Which nesting counter this frame adds to.
    nest: Nest,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nest {
    None,
    Block,
    Inline,
    Skip,
}

fn nest_of(kind: &FrameKind) -> Nest {
    match kind {
        FrameKind::Quote | FrameKind::List { .. } | FrameKind::Item { .. } => Nest::Block,
        FrameKind::Emph | FrameKind::Strong | FrameKind::Strike | FrameKind::Link { .. } => {
            Nest::Inline
        }
        FrameKind::Skip => Nest::Skip,
        _ => Nest::None,
    }
}

enum FrameKind {
    Root,
    Paragraph,
    Heading {
        level: u8,
        id: Option<String>,
    },
    Quote,
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
    },
    Item {
        task: Option<bool>,
    },
    Code {
        lang: Option<String>,
        text: String,
    },
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        in_head: bool,
    },
    Row {
        cells: Vec<Vec<Inline>>,
    },
    Cell,
    Emph,
    Strong,
    Strike,
    Link {
        dest: String,
    },
    Image {
        dest: String,
        title: String,
    },
    Footnote {
        label: String,
    },
    /// An HTML block or an element we drop; its text is dropped too.
    Skip,
    /// A container nested deeper than [`MAX_NESTING`]: its content joins its parent's, so pathological
    /// input (quotes or lists 10 000 deep) cannot overflow the stack of any later recursive walk.
    Flat,
}

/// How deep block containers (quotes, lists) and inline markup may nest before they are flattened.
const MAX_NESTING: usize = 48;

pub struct Builder<'a> {
    file: FileId,
    base: usize,
    swaps: &'a HashMap<char, char>,
    stack: Vec<Frame>,
    footnote_defs: HashMap<String, (Vec<Block>, Span)>,
    footnote_order: Vec<String>,
    diags: Vec<Diagnostic>,
    tight: Vec<bool>,
    /// The title of the image just closed: the caption if the image turns out to be a figure.
    pending_caption: Option<Vec<Inline>>,
    warned_depth: bool,
    /// Where an HTML block just started: its first line is reported when its text arrives.
    html_block: Option<Range<usize>>,
    /// Open frames per [`Nest`] kind: block containers, inline markup, skipped HTML.
    depth: [usize; 3],
    lint: bool,
}

fn frame(kind: FrameKind, start: usize) -> Frame {
    Frame {
        nest: nest_of(&kind),
        kind,
        start,
        blocks: Vec::new(),
        inlines: Vec::new(),
        pending: String::new(),
        pending_map: Vec::new(),
    }
}

/// CJK punctuation that blocks CommonMark emphasis next to `*`/`_`, swapped for parsing (3-byte UTF-8 only).
fn swappable(c: char) -> bool {
    c.len_utf8() == 3
        && (super::chars::is_cjk_punct(c) || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—' | '⋯'))
}

/// The parse copy of `body` and the private-use → original map.
fn cjk_friendly(body: &str) -> (String, HashMap<char, char>) {
    let mut swaps: HashMap<char, char> = HashMap::new();
    if body.chars().any(|c| ('\u{e000}'..='\u{e0ff}').contains(&c)) {
        return (body.to_string(), swaps);
    }
    let chars: Vec<char> = body.chars().collect();
    let mut forward: HashMap<char, char> = HashMap::new();
    let mut out = String::with_capacity(body.len());
    for (i, &c) in chars.iter().enumerate() {
        let next_to_delim = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|d| matches!(d, '*' | '_'))
        };
        if swappable(c)
            && (next_to_delim(i.checked_sub(1)) || next_to_delim(Some(i + 1)))
            && forward.len() < 256
        {
            let n = forward.len() as u32;
            let sub = *forward
                .entry(c)
                .or_insert_with(|| char::from_u32(0xE000 + n).unwrap_or(c));
            swaps.insert(sub, c);
            out.push(sub);
        } else {
            out.push(c);
        }
    }
    (out, swaps)
}

/// Parse a chapter body. With `lint`, Chinese typography lints are reported too (`folio check`).
pub fn parse(body: &str, base: usize, file: FileId, lint: bool) -> Parsed {
    let (text, swaps) = cjk_friendly(body);
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    opts.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    let mut b = Builder {
        file,
        base,
        swaps: &swaps,
        stack: vec![frame(FrameKind::Root, 0)],
        footnote_defs: HashMap::new(),
        footnote_order: Vec::new(),
        diags: Vec::new(),
        tight: Vec::new(),
        pending_caption: None,
        warned_depth: false,
        html_block: None,
        depth: [0; 3],
        lint,
    };
    for (event, range) in Parser::new_ext(&text, opts).into_offset_iter() {
        b.event(event, range);
    }
    b.finish()
}

impl Builder<'_> {
    fn span(&self, r: Range<usize>) -> Span {
        Span::new(self.file, self.base + r.start..self.base + r.end)
    }

    fn unswap(&self, s: &str) -> String {
        if self.swaps.is_empty() {
            return s.to_string();
        }
        s.chars()
            .map(|c| self.swaps.get(&c).copied().unwrap_or(c))
            .collect()
    }

    fn top(&mut self) -> &mut Frame {
        self.stack
            .last_mut()
            .expect("the root frame is never popped")
    }

    fn skipping(&self) -> bool {
        self.depth[2] > 0
    }

    fn counter(&mut self, nest: Nest) -> Option<&mut usize> {
        match nest {
            Nest::Block => Some(&mut self.depth[0]),
            Nest::Inline => Some(&mut self.depth[1]),
            Nest::Skip => Some(&mut self.depth[2]),
            Nest::None => None,
        }
    }

    fn text(&mut self, s: &str, range: Range<usize>) {
        let s = self.unswap(s);
        let base = self.base;
        let f = self.top();
        f.pending_map.push((f.pending.len(), base + range.start));
        f.pending.push_str(&s);
    }

    /// Split pending text into text and citations and append it to the frame's inlines.
    fn flush_text(&mut self) {
        let file = self.file;
        let f = self.top();
        if f.pending.is_empty() {
            return;
        }
        let text = std::mem::take(&mut f.pending);
        let map = std::mem::take(&mut f.pending_map);
        let at = |pos: usize| {
            let k = map.partition_point(|&(p, _)| p <= pos).saturating_sub(1);
            map.get(k).map_or(0, |&(p, src)| src + (pos - p))
        };
        f.inlines.extend(cite::split(&text, file, &at));
    }

    fn push_inline(&mut self, i: Inline) {
        self.flush_text();
        self.top().inlines.push(i);
    }

    /// Inlines typed directly into a list item (tight lists) become a paragraph before a nested block.
    fn push_block(&mut self, b: Block) {
        self.flush_text();
        let f = self.top();
        if !f.inlines.is_empty() {
            let content = normalize(std::mem::take(&mut f.inlines));
            let span = b.span().clone();
            f.blocks.push(Block::Paragraph { content, span });
        }
        self.top().blocks.push(b);
    }

    fn event(&mut self, event: Event, range: Range<usize>) {
        // The block's indentation may come first, as HTML of its own.
        if let Event::Html(html) = &event
            && !html.trim().is_empty()
            && let Some(at) = self.html_block.take()
        {
            self.html_block_dropped(html, at);
        }
        if self.skipping() && !matches!(event, Event::Start(_) | Event::End(_)) {
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(t) => {
                if let Some(Frame {
                    kind: FrameKind::Code { text, .. },
                    ..
                }) = self.stack.last_mut()
                {
                    text.push_str(&t);
                    return;
                }
                let in_link = self
                    .stack
                    .iter()
                    .any(|f| matches!(f.kind, FrameKind::Link { .. } | FrameKind::Image { .. }));
                if self.lint && !in_link {
                    let t = self.unswap(&t);
                    super::lint::lint(&t, self.base + range.start, self.file, &mut self.diags);
                }
                self.text(&t, range)
            }
            Event::Code(t) => {
                let t = self.unswap(&t);
                self.push_inline(Inline::Code(t))
            }
            Event::SoftBreak => self.text("\n", range),
            Event::HardBreak => self.push_inline(Inline::LineBreak),
            Event::Rule => self.push_block(Block::Rule {
                span: self.span(range),
            }),
            Event::FootnoteReference(label) => {
                let label = label.to_string();
                let index = match self.footnote_order.iter().position(|l| *l == label) {
                    Some(i) => i,
                    None => {
                        self.footnote_order.push(label);
                        self.footnote_order.len() - 1
                    }
                };
                self.push_inline(Inline::FootnoteRef {
                    index,
                    span: self.span(range),
                });
            }
            Event::TaskListMarker(checked) => {
                if let Some(Frame {
                    kind: FrameKind::Item { task },
                    ..
                }) = self.stack.last_mut()
                {
                    *task = Some(checked);
                }
            }
            Event::InlineHtml(html) | Event::Html(html) => self.html(&html, range),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t, range),
        }
    }

    fn html(&mut self, html: &str, range: Range<usize>) {
        let tag = html.trim();
        if tag.starts_with("<!--") {
            return;
        }
        let name: String = tag
            .trim_start_matches('<')
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name == "br" {
            self.push_inline(Inline::LineBreak);
            return;
        }
        let shown: String = tag.chars().take(40).collect();
        self.diags.push(
            Diagnostic::warning(format!(
                "raw HTML is not supported and was dropped: {shown}"
            ))
            .at(self.span(range))
            .hint("write it in Markdown instead (folio keeps outputs well-formed)"),
        );
    }

    /// An HTML block is left out whole, its text too: say so (comments aside), quoting its first line.
    fn html_block_dropped(&mut self, html: &str, at: Range<usize>) {
        let first = html.trim_start().lines().next().unwrap_or("");
        if first.starts_with("<!--") {
            return;
        }
        let shown: String = first.chars().take(40).collect();
        self.diags.push(
            Diagnostic::warning(format!(
                "raw HTML is not supported and was dropped: {shown}"
            ))
            .at(self.span(at.start..at.start + first.len()))
            .hint("the whole HTML block is left out, its text too; write it in Markdown instead"),
        );
    }

    fn start(&mut self, tag: Tag, range: Range<usize>) {
        let s = range.start;
        let kind = match tag {
            Tag::Paragraph => FrameKind::Paragraph,
            Tag::Heading { level, id, .. } => FrameKind::Heading {
                level: match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                },
                id: id.map(|i| i.to_string()),
            },
            Tag::BlockQuote(_) => FrameKind::Quote,
            Tag::CodeBlock(kind) => FrameKind::Code {
                lang: match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().map(|l| {
                        l.trim_start_matches('{')
                            .trim_start_matches('.')
                            .to_string()
                    }),
                    CodeBlockKind::Indented => None,
                }
                .filter(|l| !l.is_empty()),
                text: String::new(),
            },
            Tag::List(start) => {
                self.tight.push(true);
                FrameKind::List {
                    start,
                    items: Vec::new(),
                }
            }
            Tag::Item => FrameKind::Item { task: None },
            Tag::Table(align) => FrameKind::Table {
                align: align
                    .iter()
                    .map(|a| match a {
                        Alignment::None => Align::None,
                        Alignment::Left => Align::Left,
                        Alignment::Center => Align::Center,
                        Alignment::Right => Align::Right,
                    })
                    .collect(),
                head: Vec::new(),
                rows: Vec::new(),
                in_head: false,
            },
            Tag::TableHead => {
                if let Some(Frame {
                    kind: FrameKind::Table { in_head, .. },
                    ..
                }) = self.stack.last_mut()
                {
                    *in_head = true;
                }
                FrameKind::Row { cells: Vec::new() }
            }
            Tag::TableRow => FrameKind::Row { cells: Vec::new() },
            Tag::TableCell => FrameKind::Cell,
            Tag::Emphasis => FrameKind::Emph,
            Tag::Strong => FrameKind::Strong,
            Tag::Strikethrough => FrameKind::Strike,
            Tag::Link { dest_url, .. } => FrameKind::Link {
                dest: self.unswap(&dest_url),
            },
            Tag::Image {
                dest_url, title, ..
            } => FrameKind::Image {
                dest: self.unswap(&dest_url),
                title: self.unswap(&title),
            },
            Tag::FootnoteDefinition(label) => FrameKind::Footnote {
                label: label.to_string(),
            },
            Tag::HtmlBlock => {
                self.html_block = Some(range.clone());
                FrameKind::Skip
            }
            Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => FrameKind::Skip,
        };
        if matches!(kind, FrameKind::Paragraph)
            && let Some(t) = self.tight.last_mut()
            && matches!(
                self.stack.last().map(|f| &f.kind),
                Some(FrameKind::Item { .. })
            )
        {
            *t = false;
        }
        self.flush_text();
        let nest = nest_of(&kind);
        let too_deep = matches!(nest, Nest::Block | Nest::Inline)
            && self.counter(nest).is_some_and(|d| *d >= MAX_NESTING);
        let kind = if too_deep {
            if !self.warned_depth {
                self.warned_depth = true;
                self.diags.push(
                    Diagnostic::warning(format!(
                        "nesting deeper than {MAX_NESTING} levels is flattened"
                    ))
                    .at(self.span(range.clone())),
                );
            }
            if let FrameKind::List { .. } = kind {
                self.tight.pop();
            }
            FrameKind::Flat
        } else {
            kind
        };
        let mut f = frame(kind, s);
        f.nest = nest;
        if let Some(d) = self.counter(nest) {
            *d += 1;
        }
        self.stack.push(f);
    }

    fn end(&mut self, _tag: TagEnd, range: Range<usize>) {
        self.flush_text();
        if self.stack.len() <= 1 {
            return;
        }
        let Some(f) = self.stack.pop() else { return };
        if let Some(d) = self.counter(f.nest) {
            *d -= 1;
        }
        let span = self.span(f.start..range.end.max(f.start));
        match f.kind {
            FrameKind::Root => {}
            FrameKind::Skip => {}
            FrameKind::Flat => {
                let blocks = close_blocks(f.blocks, Vec::new(), &span);
                let parent = self.top();
                parent.inlines.extend(f.inlines);
                parent.blocks.extend(blocks);
            }
            FrameKind::Paragraph => {
                let content = normalize(f.inlines);
                // An image alone in its paragraph is a figure, captioned by its title.
                if let [Inline::Image(img)] = content.as_slice() {
                    let caption = self.pending_caption.take().unwrap_or_default();
                    self.push_block(Block::Figure {
                        image: img.clone(),
                        caption,
                        span,
                    });
                } else if !content.is_empty() {
                    if self.lint && !super::lint::quotes_balanced(&crate::doc::plain_text(&content))
                    {
                        self.diags.push(
                            Diagnostic::warning(
                                "the Chinese quotes “ ” of this paragraph do not pair up",
                            )
                            .at(Span::new(span.file, span.range.start..span.range.start))
                            .hint("check for a missing or extra quote mark"),
                        );
                    }
                    self.push_block(Block::Paragraph { content, span });
                }
                self.pending_caption = None;
            }
            FrameKind::Heading { level, id } => {
                let content = normalize(f.inlines);
                self.push_block(Block::Heading {
                    level,
                    id: id.unwrap_or_default(),
                    content,
                    span,
                });
            }
            FrameKind::Quote => self.push_block(Block::Quote {
                blocks: close_blocks(f.blocks, f.inlines, &span),
                span,
            }),
            FrameKind::Code { lang, text } => {
                let text = self.unswap(&text);
                self.push_block(Block::Code { lang, text, span })
            }
            FrameKind::List { start, items } => {
                let tight = self.tight.pop().unwrap_or(true);
                self.push_block(Block::List {
                    start,
                    tight,
                    items,
                    span,
                });
            }
            FrameKind::Item { task } => {
                let blocks = close_blocks(f.blocks, f.inlines, &span);
                if let Some(Frame {
                    kind: FrameKind::List { items, .. },
                    ..
                }) = self.stack.last_mut()
                {
                    items.push(ListItem { task, blocks });
                }
            }
            FrameKind::Table {
                align, head, rows, ..
            } => self.push_block(Block::Table {
                align,
                head,
                rows,
                span,
            }),
            FrameKind::Row { cells } => {
                if let Some(Frame {
                    kind:
                        FrameKind::Table {
                            head,
                            rows,
                            in_head,
                            ..
                        },
                    ..
                }) = self.stack.last_mut()
                {
                    if *in_head {
                        *head = cells;
                        *in_head = false;
                    } else {
                        rows.push(cells);
                    }
                }
            }
            FrameKind::Cell => {
                let content = normalize(f.inlines);
                if let Some(Frame {
                    kind: FrameKind::Row { cells },
                    ..
                }) = self.stack.last_mut()
                {
                    cells.push(content);
                }
            }
            FrameKind::Emph => self.push_inline(Inline::Emph(f.inlines)),
            FrameKind::Strong => self.push_inline(Inline::Strong(f.inlines)),
            FrameKind::Strike => self.push_inline(Inline::Strike(f.inlines)),
            FrameKind::Link { dest } => {
                let target = LinkTarget::External(dest);
                self.push_inline(Inline::Link {
                    target,
                    content: f.inlines,
                    span,
                })
            }
            FrameKind::Image { dest, title } => {
                let alt = crate::doc::plain_text(&f.inlines);
                let img = Image {
                    path: dest.into(),
                    alt,
                    span,
                };
                if !title.is_empty() {
                    self.pending_caption = Some(normalize(vec![Inline::Text(title)]));
                }
                self.push_inline(Inline::Image(img));
            }
            FrameKind::Footnote { label } => {
                let blocks = close_blocks(f.blocks, f.inlines, &span);
                self.footnote_defs.insert(label, (blocks, span));
            }
        }
    }

    fn finish(mut self) -> Parsed {
        self.flush_text();
        let root = self
            .stack
            .pop()
            .map(|f| close_blocks(f.blocks, f.inlines, &Span::new(self.file, 0..0)));
        let mut footnotes = Vec::new();
        for label in &self.footnote_order {
            match self.footnote_defs.remove(label) {
                Some((blocks, span)) => footnotes.push(Footnote {
                    label: label.clone(),
                    blocks,
                    span,
                }),
                None => {
                    self.diags.push(Diagnostic::warning(format!(
                        "footnote [^{label}] is referenced but never defined"
                    )));
                    footnotes.push(Footnote {
                        label: label.clone(),
                        blocks: Vec::new(),
                        span: Span::new(self.file, 0..0),
                    });
                }
            }
        }
        let mut unused: Vec<_> = self.footnote_defs.into_iter().collect();
        unused.sort_by_key(|(_, (_, s))| s.range.start);
        for (label, (_, span)) in unused {
            self.diags.push(
                Diagnostic::warning(format!(
                    "footnote [^{label}] is defined but never referenced"
                ))
                .at(span),
            );
        }
        Parsed {
            blocks: root.unwrap_or_default(),
            footnotes,
            diags: self.diags,
        }
    }
}

/// A container's blocks, with trailing loose inlines (tight list items) as a last paragraph.
fn close_blocks(mut blocks: Vec<Block>, inlines: Vec<Inline>, span: &Span) -> Vec<Block> {
    if !inlines.is_empty() {
        let content = normalize(inlines);
        if !content.is_empty() {
            blocks.push(Block::Paragraph {
                content,
                span: span.clone(),
            });
        }
    }
    blocks
}
