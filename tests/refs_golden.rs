//! Golden references: GB/T 7714-2015 numeric and IEEE, exact plain text with the label, for the entries in
//! tests/fixtures/refs/golden.bib (journal article, conference paper, arXiv preprint, English and Chinese
//! books, web page; 1, 3 and 4+ authors).

use folio::config::{Overrides, load};
use folio::diag::{Diagnostics, SourceFile, Span};
use folio::doc::{Block, Chapter, Citation, CiteItem, Document, Inline, Matter, PaperInfo};
use folio::refs::{plain, resolve};
use std::path::{Path, PathBuf};

/// One chapter citing each key once, in order.
fn golden(lang: &str, style: &str) -> Vec<String> {
    let root =
        std::env::temp_dir().join(format!("folio-refs-golden-{}-{style}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("book.toml"),
        format!("[book]\ntitle = \"T\"\nauthors = [\"A\"]\nlanguage = \"{lang}\"\n"),
    )
    .unwrap();
    let mut diags = Diagnostics::default();
    let mut s = load(&root, &Overrides::default(), &mut diags).unwrap();
    s.content.citation_style = style.into();
    s.content.bibliography =
        vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/refs/golden.bib")];
    let text = GOLDEN_KEYS.join("\n");
    let file = diags
        .sources
        .add(SourceFile::new("content/ch01.md", text.clone()));
    let mut offset = 0;
    let blocks = GOLDEN_KEYS
        .iter()
        .map(|k| {
            let span = Span::new(file, offset..offset + k.len());
            offset += k.len() + 1;
            let item = CiteItem {
                key: k.to_string(),
                locator: None,
                suppress_author: false,
                span: span.clone(),
            };
            Block::Paragraph {
                content: vec![Inline::Cite(Citation {
                    items: vec![item],
                    narrative: false,
                    span: span.clone(),
                })],
                span,
            }
        })
        .collect();
    let doc = Document {
        chapters: vec![Chapter {
            id: "ch01".into(),
            source: PathBuf::from("content/ch01.md"),
            matter: Matter::Body,
            title: "ch01".into(),
            subtitle: None,
            paper: PaperInfo::default(),
            blocks,
            footnotes: Vec::new(),
            span: Span::new(file, 0..text.len()),
        }],
        ..Default::default()
    };
    let r = resolve(&s, &doc, &mut diags);
    assert!(!diags.has_errors(), "{:?}", diags.items());
    r.entries
        .iter()
        .map(|e| format!("{} {}", e.label, plain(&e.text)))
        .collect()
}

const GOLDEN_KEYS: &[&str] = &[
    "lecun2015deep",
    "grill2020byol",
    "hoogeboom2021ardm",
    "goodfellow2016deep",
    "zhou2016ml",
    "pytorch2024docs",
    "shannon1948",
    "li2017parallel",
];

// GB/T 7714-2015 numeric as hayagriva's CSL (china-national-standard-gb-t-7714-2015-numeric) encodes it.
// Where it differs from the standard's text:
// - [1] a DOI makes the type `[J/OL]` and adds `DOI:…` (the standard's rule for electronic resources).
// - [3] an arXiv `@misc` is `[Z]` (other literature); no CSL variable carries the arXiv id, so refs gives it
//   as the entry's number, which the CSL prints after the title (`: arXiv:2110.02037`).
// - [6] the CSL upper-cases any family name; refs restores organisations' case (`PyTorch Contributors`).
// - English titles keep their case as written (the standard does not prescribe a case).
const GB: &[&str] = &[
    "[1] LECUN Y, BENGIO Y, HINTON G. Deep learning[J/OL]. Nature, 2015, 521(7553): 436-444. DOI:10.1038/nature14539.",
    "[2] GRILL J B, STRUB F, ALTCHÉ F, et al. Bootstrap Your Own Latent: A New Approach to Self-Supervised Learning[C]//Advances in Neural Information Processing Systems 33. Red Hook, NY: Curran Associates, 2020: 21271-21284.",
    "[3] HOOGEBOOM E, GRITSENKO A A, BASTINGS J, et al. Autoregressive Diffusion Models: arXiv:2110.02037[Z]. 2021.",
    "[4] GOODFELLOW I, BENGIO Y, COURVILLE A. Deep Learning[M]. Cambridge, MA: MIT Press, 2016.",
    "[5] 周志华. 机器学习[M]. 北京: 清华大学出版社, 2016.",
    "[6] PyTorch Contributors. PyTorch documentation[EB/OL]. (2024)[2024-05-01]. https://pytorch.org/docs/stable/index.html.",
    "[7] SHANNON C E. A Mathematical Theory of Communication[J]. Bell System Technical Journal, 1948, 27(3): 379-423.",
    "[8] 李力, 林懿伦, 曹东璞, 等. 平行学习——机器学习的一个新型理论框架[J]. 自动化学报, 2017, 43(1): 1-8.",
];

// IEEE as hayagriva's ieee.csl renders it. Deviations from the IEEE reference guide:
// - [3] the CSL prints no arXiv id for an `@misc` preprint (write `journal = {arXiv preprint arXiv:…}`
//   in an `@article` to get it).
// - [6] a web page shows "Accessed: May 01, 2024." before "[Online]" and no year (ieee.csl's layout).
// - [8] a Chinese entry is formatted in English (the style's one locale): "and", "vol.", curly quotes.
const IEEE: &[&str] = &[
    "[1] Y. LeCun, Y. Bengio, and G. Hinton, “Deep learning,” Nature, vol. 521, no. 7553, pp. 436–444, 2015, doi: 10.1038/nature14539.",
    "[2] J.-B. Grill, F. Strub, F. Altché, C. Tallec, P. H. Richemond, and E. Buchatskaya, “Bootstrap Your Own Latent: A New Approach to Self-Supervised Learning,” in Advances in Neural Information Processing Systems 33, Red Hook, NY: Curran Associates, 2020, pp. 21271–21284.",
    "[3] E. Hoogeboom, A. A. Gritsenko, J. Bastings, B. Poole, R. van den Berg, and T. Salimans, “Autoregressive Diffusion Models.” 2021.",
    "[4] I. Goodfellow, Y. Bengio, and A. Courville, Deep Learning. Cambridge, MA: MIT Press, 2016.",
    "[5] 周志华, 机器学习. 北京: 清华大学出版社, 2016.",
    "[6] PyTorch Contributors, “PyTorch documentation.” Accessed: May 01, 2024. [Online]. Available: https://pytorch.org/docs/stable/index.html",
    "[7] C. E. Shannon, “A Mathematical Theory of Communication,” Bell System Technical Journal, vol. 27, no. 3, pp. 379–423, 1948.",
    "[8] 李力, 林懿伦, 曹东璞, 郑南宁, and 王飞跃, “平行学习——机器学习的一个新型理论框架,” 自动化学报, vol. 43, no. 1, pp. 1–8, 2017.",
];

#[test]
fn golden_gb_7714_2015_numeric() {
    assert_eq!(golden("zh-CN", "gb-7714-2015-numeric"), GB);
}

#[test]
fn golden_ieee() {
    assert_eq!(golden("en", "ieee"), IEEE);
}
