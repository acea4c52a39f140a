//! `cargo bench`: each stage of the pipeline on the sample book, and the whole build.
//!
//! A plain harness (no extra crates): every case runs once to warm up, then `RUNS` times; the median and the
//! fastest run are printed, and each figure as a ratio to the baseline measured in the same run — reading
//! every input file of the book (`read inputs`), the floor any tool pays. Pass a word to run only the cases
//! whose name contains it: `cargo bench -- epub`.

use folio::config::{self, Overrides};
use folio::diag::Diagnostics;
use folio::fonts::FontSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const RUNS: usize = 15;

fn time<T>(mut f: impl FnMut() -> T) -> (Duration, Duration) {
    std::hint::black_box(f());
    let mut v: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    v.sort();
    (v[RUNS / 2], v[0])
}

fn read_tree(dir: &Path, total: &mut usize) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            read_tree(&p, total);
        } else {
            *total += std::fs::read(&p).map_or(0, |b| b.len());
        }
    }
}

fn main() {
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_default();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut diags = Diagnostics::default();
    let settings =
        config::load(&root, &Overrides::default(), &mut diags).expect("the sample book's settings");
    let doc = folio::load::load(&settings, &mut diags, false);
    let refs = folio::refs::resolve(&settings, &doc, &mut diags);
    let (fonts, _) = FontSet::resolve(&settings.fonts, &root.join("fonts")).expect("fonts");
    assert!(!diags.has_errors());

    let (baseline, _) = time(|| {
        let mut n = 0;
        for d in ["content", "images", "fonts"] {
            read_tree(&root.join(d), &mut n);
        }
        n += std::fs::read(root.join("references.bib")).map_or(0, |b| b.len());
        n
    });
    println!(
        "{:<28} {:>10} {:>10} {:>9}",
        "case (sample book)", "median", "fastest", "× read"
    );
    println!(
        "{:<28} {:>8.2}ms {:>8.2}ms {:>9}",
        "read inputs (baseline)",
        ms(baseline),
        ms(baseline),
        "1.0"
    );
    let case = |name: &str, f: &mut dyn FnMut()| {
        if !name.contains(&filter) {
            return;
        }
        let (median, min) = time(&mut *f);
        println!(
            "{name:<28} {:>8.2}ms {:>8.2}ms {:>9.1}",
            ms(median),
            ms(min),
            median.as_secs_f64() / baseline.as_secs_f64()
        );
    };
    case("load and parse", &mut || {
        let mut d = Diagnostics::default();
        let s = config::load(&root, &Overrides::default(), &mut d).unwrap();
        std::hint::black_box(folio::load::load(&s, &mut d, false));
    });
    case("resolve references", &mut || {
        let mut d = Diagnostics::default();
        std::hint::black_box(folio::refs::resolve(&settings, &doc, &mut d));
    });
    case("load fonts", &mut || {
        std::hint::black_box(FontSet::resolve(&settings.fonts, &root.join("fonts")).unwrap());
    });
    case("subset body font", &mut || {
        let chars = folio::doc::chars_by_style(&doc)
            .into_values()
            .flatten()
            .collect();
        std::hint::black_box(
            fonts
                .face(folio::fonts::Role::Serif)
                .subset(&chars)
                .unwrap(),
        );
    });
    case("write EPUB", &mut || {
        let input = folio::epub::EpubInput {
            settings: &settings,
            doc: &doc,
            refs: &refs,
            fonts: &fonts,
        };
        std::hint::black_box(folio::epub::write(&input).unwrap());
    });
    case("typeset (A4)", &mut || {
        std::hint::black_box(folio::typeset::layout(&settings, &doc, &refs, &fonts).unwrap());
    });
    let paged = folio::typeset::layout(&settings, &doc, &refs, &fonts).unwrap();
    case("write PDF", &mut || {
        std::hint::black_box(folio::pdf::write(&settings, &paged, &fonts).unwrap());
    });
    let whole = |formats: Vec<folio::Format>| {
        let req = folio::BuildRequest {
            root: root.clone(),
            overrides: Overrides {
                out_dir: Some(std::env::temp_dir().join("folio-bench")),
                paper: None,
            },
            formats,
            write: true,
        };
        let mut d = Diagnostics::default();
        std::hint::black_box(folio::build(&req, &mut d, &mut |_| {}).expect("build"));
    };
    case("whole build: PDF", &mut || whole(vec![folio::Format::Pdf]));
    case("whole build: EPUB + PDF", &mut || whole(Vec::new()));
    case("whole build: EPUB", &mut || {
        let req = folio::BuildRequest {
            root: root.clone(),
            overrides: Overrides {
                out_dir: Some(std::env::temp_dir().join("folio-bench")),
                paper: None,
            },
            formats: vec![folio::Format::Epub],
            write: true,
        };
        let mut d = Diagnostics::default();
        std::hint::black_box(folio::build(&req, &mut d, &mut |_| {}).expect("build"));
    });
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
