//! outline: the heading tree → PDF bookmarks with real positions (chapter → sections → subsections).

use crate::typeset::page::OutlineEntry;
use krilla::destination::XyzDestination;
use krilla::geom::Point;
use krilla::outline::{Outline, OutlineNode};

fn node(e: &OutlineEntry) -> OutlineNode {
    let mut n = OutlineNode::new(
        e.title.clone(),
        XyzDestination::new(e.page, Point::from_xy(0.0, e.y)),
    );
    for c in &e.children {
        n.push_child(node(c));
    }
    n
}

/// Builds the document outline.
pub fn build(entries: &[OutlineEntry]) -> Outline {
    let mut o = Outline::new();
    for e in entries {
        o.push_child(node(e));
    }
    o
}
