//! Prints the page model of a book (the typesetter's output, before the PDF writer) as the page-dump
//! snapshots show it: `cargo run --example dump_pages -- [book-dir] [page] [text]` (page counted from
//! 1; `FOLIO_PAPER=a5` for another paper). With `text`, the glyphs of every run containing it follow: advance and offsets in pt, and the
//! source text each glyph stands for.
use folio::config::{self, Overrides};
use folio::diag::Diagnostics;
use folio::fonts::FontSet;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let only: Option<usize> = args.next().and_then(|a| a.parse().ok());
    let glyphs_of = args.next();
    let mut diags = Diagnostics::default();
    let fail = |diags: &Diagnostics| -> ! {
        for d in diags.sorted() {
            eprint!("{}", diags.render(d, false));
        }
        std::process::exit(1)
    };
    let overrides = Overrides {
        paper: std::env::var("FOLIO_PAPER")
            .ok()
            .and_then(|p| config::Paper::parse(&p)),
        ..Overrides::default()
    };
    let Some(settings) = config::load(&root, &overrides, &mut diags) else {
        fail(&diags)
    };
    let doc = folio::load::load(&settings, &mut diags, false);
    let refs = folio::refs::resolve(&settings, &doc, &mut diags);
    let Ok((fonts, _)) = FontSet::resolve(&settings.fonts, &root.join("fonts")) else {
        eprintln!("the book's fonts do not load: run `folio check`");
        std::process::exit(1)
    };
    if diags.has_errors() {
        fail(&diags)
    }
    let mut paged = match folio::typeset::layout(&settings, &doc, &refs, &fonts) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1)
        }
    };
    if let Some(n) = only {
        paged.pages = paged
            .pages
            .into_iter()
            .skip(n.saturating_sub(1))
            .take(1)
            .collect();
    }
    print!("{}", folio::typeset::dump::dump(&paged, Some(&fonts)));
    let Some(needle) = glyphs_of else { return };
    for t in paged
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            folio::typeset::page::Item::Text(t) if t.text.contains(needle.as_str()) => Some(t),
            _ => None,
        })
    {
        println!("{:?} at {:.1},{:.1}", t.text, t.origin.x, t.origin.y);
        for g in &t.glyphs {
            println!(
                "  {:>5} adv={:.2} dx={:.2} dy={:.2} {:?}",
                g.id,
                g.x_advance,
                g.x_offset,
                g.y_offset,
                &t.text[g.text.clone()]
            );
        }
    }
}
