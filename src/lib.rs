//! folio: Markdown books to EPUB 3 and print PDF, with Chinese typography.
//!
//! The pipeline, one stage per module:
//!
//! ```text
//! book.toml ──► config::Settings
//! content/*.md + front matter ──► load ──► doc::Document        (typed IR with source spans)
//! references.bib + [@key] ──► refs ──► resolved citations and the references list
//! fonts/ + system fonts ──► fonts::FontSet                        (roles, coverage, subsets)
//! Document ──► epub::write ──► out/<name>.epub
//! Document ──► typeset ──► Vec<Page> ──► pdf::write ──► out/<name>.pdf
//! ```
//!
//! Every stage reports problems into one [`diag::Diagnostics`] sink; nothing is printed below `main.rs`.

mod build;
pub mod config;
pub mod diag;
pub mod doc;
pub mod epub;
pub mod files;
pub mod fix;
pub mod fonts;
pub mod highlight;
pub mod images;
pub mod init;
pub mod load;
pub mod pdf;
pub mod refs;
pub mod typeset;

pub use build::{BuildRequest, Format, Outputs, build};
