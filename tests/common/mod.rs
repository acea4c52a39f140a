//! Shared helpers for the integration tests: building fixture books and running the external judges.
#![allow(dead_code)]

pub mod rng;
pub mod xml;

use folio::diag::Diagnostics;
use folio::typeset::page::{Item, PagedDocument};
use folio::{BuildRequest, Format};
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// A fresh, empty folder under the system temp dir, unique to this test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("folio-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A book carried through the library pipeline: its settings, pages and PDF bytes.
pub struct Laid {
    pub paged: PagedDocument,
    pub pdf: Vec<u8>,
    pub fonts: folio::fonts::FontSet,
    pub refs: folio::refs::Resolved,
}

/// Load the book at `root` (paper overridden if given, settings adjusted by `tweak`), typeset it
/// and write its PDF in memory; panics on any error diagnostic.
pub fn lay_out(
    root: &Path,
    paper: Option<folio::config::Paper>,
    tweak: impl FnOnce(&mut folio::config::Settings),
) -> Laid {
    let mut diags = Diagnostics::default();
    let overrides = folio::config::Overrides {
        out_dir: None,
        paper,
    };
    let mut settings = folio::config::load(root, &overrides, &mut diags).expect("book.toml");
    tweak(&mut settings);
    let doc = folio::load::load(&settings, &mut diags, false);
    let refs = folio::refs::resolve(&settings, &doc, &mut diags);
    let (fonts, _) =
        folio::fonts::FontSet::resolve(&settings.fonts, &root.join("fonts")).expect("fonts");
    assert!(!diags.has_errors());
    let paged = folio::typeset::layout(&settings, &doc, &refs, &fonts).expect("layout");
    let pdf = folio::pdf::write(&settings, paged.clone(), &fonts).expect("pdf");
    Laid {
        paged,
        pdf,
        fonts,
        refs,
    }
}

/// Compare `text` with `tests/snapshots/<name>.txt`; `FOLIO_ACCEPT=1` (or a missing file) writes it.
pub fn assert_snapshot(name: &str, text: &str) {
    let snap = repo_root()
        .join("tests/snapshots")
        .join(format!("{name}.txt"));
    if std::env::var("FOLIO_ACCEPT").is_ok() || !snap.exists() {
        std::fs::create_dir_all(snap.parent().unwrap()).unwrap();
        std::fs::write(&snap, text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&snap).unwrap();
    assert!(
        want == text,
        "{} differs (FOLIO_ACCEPT=1 to accept the new text)",
        snap.display()
    );
}

/// The text runs of a page, in drawing order.
pub fn text_runs(page: &folio::typeset::page::Page) -> Vec<&folio::typeset::page::TextRun> {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Text(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// Build `book` into `out`; returns the written files and the diagnostics rendered as text.
pub fn build(book: &Path, out: &Path, formats: &[Format]) -> (Vec<PathBuf>, Vec<String>) {
    let req = BuildRequest {
        root: book.to_path_buf(),
        overrides: folio::config::Overrides {
            out_dir: Some(out.to_path_buf()),
            paper: None,
        },
        formats: formats.to_vec(),
        write: true,
    };
    let mut diags = Diagnostics::default();
    let outputs = folio::build(&req, &mut diags, &mut |_| {});
    let msgs = diags
        .sorted()
        .iter()
        .map(|d| diags.render(d, false))
        .collect();
    (outputs.map(|o| o.written).unwrap_or_default(), msgs)
}

fn required() -> bool {
    std::env::var("FOLIO_REQUIRE_VALIDATORS").as_deref() == Ok("1")
}

/// A validator is missing: skip the test, unless CI requires validators, then fail loudly.
pub fn missing(tool: &str) {
    assert!(
        !required(),
        "{tool} is required (FOLIO_REQUIRE_VALIDATORS=1) but not installed"
    );
    eprintln!("{tool} not installed: check skipped");
}

fn runs(cmd: &mut Command) -> bool {
    cmd.output()
        .is_ok_and(|o| o.status.success() || !o.stdout.is_empty())
}

/// The epubcheck command: `epubcheck`, or Debian's jar through java (containers lack binfmt for jars).
pub fn epubcheck_cmd() -> Option<Command> {
    if runs(Command::new("epubcheck").arg("--version")) {
        return Some(Command::new("epubcheck"));
    }
    let jar = Path::new("/usr/share/java/epubcheck.jar");
    if jar.exists() && runs(Command::new("java").arg("-jar").arg(jar).arg("--version")) {
        let mut c = Command::new("java");
        c.arg("-jar").arg(jar);
        return Some(c);
    }
    None
}

/// Run epubcheck; `None` when it is not installed. Returns (clean, full report).
pub fn epubcheck(epub: &Path) -> Option<(bool, String)> {
    let mut cmd = epubcheck_cmd()?;
    let out = cmd.arg(epub).output().ok()?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let problems = text
        .lines()
        .filter(|l| {
            ["FATAL", "ERROR", "WARNING"]
                .iter()
                .any(|k| l.starts_with(k))
        })
        .count();
    let clean =
        out.status.success() && problems == 0 && text.contains("No errors or warnings detected");
    Some((clean, text))
}

/// Run a command-line tool; `None` when it is not installed.
pub fn tool(name: &str, args: &[&str]) -> Option<std::process::Output> {
    Command::new(name).args(args).output().ok()
}

/// Every entry of a zip archive: (name, bytes), in archive order.
pub fn zip_entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read as _;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            (f.name().to_string(), v)
        })
        .collect()
}

pub fn is_han(c: char) -> bool {
    folio::load::is_han(c)
}

const NO_START: &str = "。．，、；：？！”’）〕］｝〉》」』】〗〙〛";
const NO_END: &str = "“‘（〔［｛〈《「『【〖〘〚";

/// Invariants of the page model: kinsoku at line edges, everything inside the page.
pub fn check_page_model(doc: &PagedDocument) {
    for (pi, p) in doc.pages.iter().enumerate() {
        let mut lines: std::collections::BTreeMap<i64, Vec<(f32, String)>> = Default::default();
        for it in &p.items {
            if let Item::Text(t) = it {
                let w: f32 = t.glyphs.iter().map(|g| g.x_advance).sum();
                assert!(
                    t.origin.x >= -0.5 && t.origin.x + w <= p.width + 0.5,
                    "p{} run {:?} leaves the page",
                    pi + 1,
                    t.text
                );
                assert!(
                    t.origin.y > 0.0 && t.origin.y < p.height,
                    "p{} run {:?} off page vertically",
                    pi + 1,
                    t.text
                );
                lines
                    .entry((t.origin.y * 10.0).round() as i64)
                    .or_default()
                    .push((t.origin.x, t.text.clone()));
            }
        }
        for (_, mut runs) in lines {
            runs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let text: String = runs.iter().map(|r| r.1.as_str()).collect();
            let (first, last) = (text.chars().next(), text.chars().last());
            assert!(
                !first.is_some_and(|c| NO_START.contains(c)),
                "p{}: line starts with a forbidden mark: {text}",
                pi + 1
            );
            assert!(
                !last.is_some_and(|c| NO_END.contains(c)),
                "p{}: line ends with a forbidden mark: {text}",
                pi + 1
            );
        }
    }
}

/// Whether a command-line judge is installed; when it is not, the check is skipped (or fails in CI).
fn installed(name: &str) -> bool {
    let ok = Command::new(name).arg("--version").output().is_ok()
        || Command::new(name).arg("-v").output().is_ok();
    if !ok {
        missing(name);
    }
    ok
}

/// qpdf --check clean; pdffonts: every font embedded, subset, with ToUnicode.
pub fn check_pdf_file(path: &Path) {
    if installed("qpdf") {
        let o = Command::new("qpdf")
            .arg("--check")
            .arg(path)
            .output()
            .expect("qpdf");
        let s = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success() && s.contains("No syntax or stream encoding errors"),
            "qpdf: {s}"
        );
    }
    if installed("pdffonts") {
        let o = Command::new("pdffonts")
            .arg(path)
            .output()
            .expect("pdffonts");
        let s = String::from_utf8_lossy(&o.stdout);
        for l in s.lines().skip(2) {
            let f: Vec<&str> = l.split_whitespace().collect();
            let n = f.len();
            assert!(
                n >= 7 && f[n - 5] == "yes" && f[n - 4] == "yes" && f[n - 3] == "yes",
                "pdffonts: {l}"
            );
        }
    }
}

/// The text layer of one page, or None when pdftotext is missing.
pub fn pdftotext(path: &Path, page: usize) -> Option<String> {
    if !installed("pdftotext") {
        return None;
    }
    let p = page.to_string();
    let o = Command::new("pdftotext")
        .args(["-f", &p, "-l", &p, "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}
