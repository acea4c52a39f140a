//! pdf tags: the tagged PDF's logical structure, collected while the pages are drawn.
//!
//! Input: the [`Structure`] of every text run (block id and role, set by the typesetter) and the marked
//! content identifiers krilla hands out as each line and figure is drawn. Output: the [`TagTree`]: one
//! element per block (heading, paragraph, caption, note, code, references entry, contents entry) and
//! per figure, in the order they first appear on the pages, each holding its lines.

use crate::typeset::page::BlockRole;
use krilla::tagging::{Identifier, Tag, TagGroup, TagKind, TagTree};
use std::collections::HashMap;
use std::num::NonZeroU16;

enum Kind {
    Block(BlockRole),
    Figure(String),
}

/// The structure elements met so far.
#[derive(Default)]
pub struct Tags {
    elements: Vec<(Kind, Vec<Identifier>)>,
    /// Block id → index into `elements`.
    blocks: HashMap<u64, usize>,
}

impl Tags {
    /// Content `ident` (one line) belongs to block `id`.
    pub fn line(&mut self, id: u64, role: BlockRole, ident: Identifier) {
        let next = self.elements.len();
        let at = *self.blocks.entry(id).or_insert(next);
        if at == next {
            self.elements.push((Kind::Block(role), Vec::new()));
        }
        self.elements[at].1.push(ident);
    }

    /// A figure with its alternate text.
    pub fn figure(&mut self, alt: &str, ident: Identifier) {
        self.elements
            .push((Kind::Figure(alt.to_string()), vec![ident]));
    }

    pub fn tree(self) -> TagTree {
        let mut tree = TagTree::new();
        for (kind, idents) in self.elements {
            let tag: TagKind = match kind {
                Kind::Block(BlockRole::Heading(n)) => {
                    let level =
                        NonZeroU16::new(u16::from(n.clamp(1, 6))).unwrap_or(NonZeroU16::MIN);
                    Tag::Hn(level, None).into()
                }
                Kind::Block(BlockRole::Title | BlockRole::Paragraph | BlockRole::TocEntry) => {
                    Tag::P.into()
                }
                Kind::Block(BlockRole::Caption) => Tag::Caption.into(),
                Kind::Block(BlockRole::Note) => Tag::Note.into(),
                Kind::Block(BlockRole::Code) => Tag::Code.into(),
                Kind::Block(BlockRole::BibEntry) => Tag::BibEntry.into(),
                Kind::Figure(alt) => Tag::Figure((!alt.is_empty()).then_some(alt)).into(),
            };
            let mut group = TagGroup::new(tag);
            for i in idents {
                group.push(i);
            }
            tree.push(group);
        }
        tree
    }
}
