//! Print the loaded IR of a book (debugging aid): `cargo run --example dump_ir -- BOOK_DIR [CHAPTER_INDEX]`.
fn main() {
    let mut args = std::env::args().skip(1);
    let root = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let only: Option<usize> = args.next().and_then(|a| a.parse().ok());
    let mut diags = folio::diag::Diagnostics::default();
    let Some(settings) = folio::config::load(&root, &Default::default(), &mut diags) else {
        for d in diags.sorted() {
            eprint!("{}", diags.render(d, false));
        }
        std::process::exit(1);
    };
    let doc = folio::load::load(&settings, &mut diags, false);
    for (i, ch) in doc.chapters.iter().enumerate() {
        if only.is_none_or(|o| o == i) {
            println!("{ch:#?}");
        }
    }
    for d in diags.sorted() {
        eprint!("{}", diags.render(d, false));
    }
}
