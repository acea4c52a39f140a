//! The command line (clap derive types). Converted to library calls in `main.rs`; never passed deeper.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "folio",
    version,
    about = "Markdown books to EPUB 3 and print PDF, with Chinese typography"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print only errors and warnings.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the book into out/ (EPUB and PDF by default).
    Build {
        /// The book folder (holding book.toml).
        #[arg(default_value = ".")]
        book: PathBuf,
        /// Output formats; repeat for several. Default: every format.
        #[arg(long = "format", short = 'f', value_enum)]
        formats: Vec<FormatArg>,
        /// Output folder (default: [output] dir of book.toml, else out/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Paper for the PDF: a4, a5, b5, letter or WIDTHxHEIGHT in mm.
        #[arg(long)]
        paper: Option<String>,
    },
    /// Load and resolve the whole book, report every problem, write nothing.
    Check {
        #[arg(default_value = ".")]
        book: PathBuf,
        /// `text` for people, `json` (one array on stdout) for editors and CI.
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
        /// Apply the safe typography fixes to the Markdown files, print what changed, then check again.
        #[arg(long)]
        fix: bool,
    },
    /// Start a new book in DIR (never overwrites an existing file).
    Init { dir: PathBuf },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Epub,
    Pdf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}
