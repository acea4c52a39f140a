//! folio's command line: parse arguments, call the library, print diagnostics, set the exit code
//! (0 success, warnings allowed; 1 errors in the book; 2 usage errors).

mod cli;

use clap::Parser as _;
use cli::{Cli, Command, FormatArg, ReportFormat};
use folio::config::{Overrides, Paper};
use folio::diag::Diagnostics;
use folio::{BuildRequest, Format};
use std::io::IsTerminal as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut diags = Diagnostics::default();
    let mut json = false;
    let ok = match cli.command {
        Command::Build {
            book,
            formats,
            out,
            paper,
        } => {
            let paper = match paper.as_deref().map(|p| (p, Paper::parse(p))) {
                Some((p, None)) => {
                    eprintln!(
                        "error: --paper '{p}': expected a4, a5, b5, letter or WIDTHxHEIGHT in mm"
                    );
                    return ExitCode::from(2);
                }
                Some((_, Some(p))) => Some(p),
                None => None,
            };
            let formats = formats
                .iter()
                .map(|f| match f {
                    FormatArg::Epub => Format::Epub,
                    FormatArg::Pdf => Format::Pdf,
                })
                .collect();
            let req = BuildRequest {
                root: book,
                overrides: Overrides {
                    out_dir: out,
                    paper,
                },
                formats,
                write: true,
            };
            let mut progress = Progress::new(cli.quiet);
            let outputs = folio::build(&req, &mut diags, &mut |stage| progress.stage(stage));
            progress.finish();
            if let Some(outs) = &outputs
                && !cli.quiet
            {
                for f in &outs.fonts {
                    println!("font {f}");
                }
                for o in &outs.written {
                    println!("wrote {}", o.display());
                }
            }
            outputs.is_some()
        }
        Command::Check { book, format, fix } => {
            json = format == ReportFormat::Json;
            let req = BuildRequest {
                root: book,
                overrides: Overrides::default(),
                formats: Vec::new(),
                write: false,
            };
            folio::build(&req, &mut diags, &mut |_| {});
            if fix {
                match folio::fix::apply(&req.root, &diags) {
                    Ok(changes) => {
                        for c in &changes {
                            println!("fixed {c}");
                        }
                        if !changes.is_empty() {
                            diags = Diagnostics::default();
                            folio::build(&req, &mut diags, &mut |_| {});
                        }
                    }
                    Err(e) => eprintln!("error: {e}"),
                }
            }
            diags.promote_warnings();
            !diags.has_errors()
        }
        Command::Init { dir } => match folio::init::init(&dir) {
            Ok(files) => {
                if !cli.quiet {
                    for f in files {
                        println!("created {}", f.display());
                    }
                    println!("now run: folio build {}", dir.display());
                }
                true
            }
            Err(e) => {
                eprintln!("error: {e}");
                false
            }
        },
    };
    if json {
        print!("{}", diags.to_json());
    } else {
        for d in diags.sorted() {
            eprint!("{}", diags.render(d, color));
        }
        if !diags.items().is_empty() {
            eprintln!("{}", diags.summary());
        }
    }
    if ok && !diags.has_errors() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// A progress bar on a terminal, plain lines otherwise, nothing with --quiet.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    quiet: bool,
}

impl Progress {
    fn new(quiet: bool) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let b = indicatif::ProgressBar::new_spinner();
            b.enable_steady_tick(std::time::Duration::from_millis(80));
            b
        });
        Self { bar, quiet }
    }

    fn stage(&mut self, stage: &str) {
        match &self.bar {
            Some(b) => b.set_message(stage.to_string()),
            None if !self.quiet => eprintln!("{stage}"),
            None => {}
        }
    }

    fn finish(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}
