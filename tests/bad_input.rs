//! Bad books through the command line: a clear `file:line:col` message, exit code 1, no output written
//! and no earlier output lost.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

/// A one-chapter book using the repository's body font, with extra book.toml lines.
fn book(name: &str, toml_extra: &str, chapter: &[u8]) -> std::path::PathBuf {
    let dir = temp_dir(name);
    let fonts = repo_root().join("fonts");
    let toml = format!(
        "[book]\ntitle = \"坏书\"\nauthors = [\"某\"]\n{toml_extra}\n[fonts]\nserif = \"{}\"\n",
        fonts.join("NotoSerifCJKsc-Regular.otf").display()
    );
    std::fs::write(dir.join("book.toml"), toml).unwrap();
    std::fs::create_dir_all(dir.join("content")).unwrap();
    std::fs::write(dir.join("content/01-a.md"), chapter).unwrap();
    dir
}

fn folio(args: &[&str], dir: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .arg(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn unknown_key_in_book_toml_names_its_line() {
    let dir = book("toml-key", "titel = \"x\"", "# 一\n\n正文。\n".as_bytes());
    let (code, err) = folio(&["build", "--quiet"], &dir);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("book.toml:4:1: error: book.toml: unknown field `titel`"),
        "{err}"
    );
}

#[test]
fn broken_front_matter_points_into_the_yaml() {
    let dir = book(
        "front-matter",
        "",
        "---\ntitle: 一\nauthors: [a\n---\n正文\n".as_bytes(),
    );
    let (code, err) = folio(&["build", "--quiet"], &dir);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("content/01-a.md:"), "{err}");
    assert!(err.contains("error: front matter:"), "{err}");
    assert!(!dir.join("out").exists(), "nothing written on errors");
}

#[test]
fn invalid_utf8_says_where() {
    let dir = book("utf8", "", b"# \xe4\xb8\x80\n\nok \xff here\n");
    let (code, err) = folio(&["check"], &dir);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/01-a.md:3:4: error: invalid UTF-8 (byte 0xFF)\n  |\n3 | ok \u{FFFD} here\n  |    ^\n"),
        "{err}"
    );
}

#[test]
fn missing_image_and_paths_outside_the_book() {
    let dir = book(
        "images",
        "",
        "# 一\n\n![图](../images/none.png)\n\n![x](../../../etc/passwd)\n".as_bytes(),
    );
    let (code, err) = folio(&["build", "--quiet"], &dir);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/01-a.md:3:1: error: image '../images/none.png' not found"),
        "{err}"
    );
    assert!(err.contains("points outside the book"), "{err}");
}

#[test]
fn raw_html_is_dropped_with_a_warning_and_the_build_succeeds() {
    let dir = book(
        "html",
        "",
        "# 一\n\n文字<script>alert(1)</script>与<br>换行。\n".as_bytes(),
    );
    let (code, err) = folio(&["build", "--quiet", "--format", "epub"], &dir);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "content/01-a.md:3:3: warning: raw HTML is not supported and was dropped: <script>"
        ),
        "{err}"
    );
}

#[test]
fn a_failed_build_keeps_the_previous_output() {
    let dir = book(
        "keep",
        "[output]\nname = \"book\"",
        "# 一\n\n正文。\n".as_bytes(),
    );
    let (code, err) = folio(&["build", "--quiet", "--format", "epub"], &dir);
    assert_eq!(code, 0, "{err}");
    let epub = dir.join("out/book.epub");
    let before = std::fs::read(&epub).expect("first build wrote the EPUB");
    std::fs::write(dir.join("content/01-a.md"), "---\ntitle: [\n---\n").unwrap();
    let (code, _) = folio(&["build", "--quiet", "--format", "epub"], &dir);
    assert_eq!(code, 1);
    assert_eq!(
        std::fs::read(&epub).unwrap(),
        before,
        "the earlier EPUB is untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files: {leftovers:?}");
}

#[test]
fn check_reports_typography_lints() {
    let dir = book("lints", "", "# 一\n\n中文,还有...省略。\n".as_bytes());
    let (code, err) = folio(&["check"], &dir);
    assert_eq!(code, 1, "check treats warnings as errors: {err}");
    assert!(
        err.contains("content/01-a.md:3:3: error: ASCII `,` after a Chinese character"),
        "{err}"
    );
    assert!(err.contains("`...` in Chinese text"), "{err}");
    assert!(err.contains("2 errors, 0 warnings"), "{err}");
}

#[test]
fn usage_errors_exit_with_2() {
    let (code, _) = folio(&["build", "--paper", "huge"], Path::new("."));
    assert_eq!(code, 2);
}

#[test]
fn build_says_which_fonts_it_picked() {
    let dir = book(
        "fonts-log",
        "[output]\nname = \"log\"",
        "# 一\n\n正文。\n".as_bytes(),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "--format", "epub"])
        .arg(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        stdout.contains("font serif: Noto Serif CJK SC ("),
        "{stdout}"
    );
    assert!(stdout.contains("from book.toml)"), "{stdout}");
    assert!(
        stdout.contains("font kai: Noto Serif CJK SC (none of its own; uses the serif face)"),
        "{stdout}"
    );
    assert!(stdout.contains("wrote "), "{stdout}");
}

#[test]
fn check_speaks_json_for_editors() {
    let dir = book("json", "", "# 一\n\n中文,还有。\n".as_bytes());
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["check", "--format", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        json,
        "[\n  {\"severity\":\"error\",\"file\":\"content/01-a.md\",\"line\":3,\"column\":3,\"end_line\":3,\"end_column\":4,\"message\":\"ASCII `,` after a Chinese character\",\"hints\":[\"use the full-width `，`\"]}\n]\n"
    );
}

#[test]
fn init_writes_a_book_that_loads_cleanly_and_never_overwrites() {
    let dir = temp_dir("init").join("新书");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(args)
            .arg(&dir)
            .output()
            .unwrap()
    };
    let out = run(&["init"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "book.toml",
        "content/01-start.md",
        "content/02-more.md",
        "references.bib",
        "templates/epub.css",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    // The new book parses with no problem at all (fonts aside, which depend on the machine).
    let mut diags = folio::diag::Diagnostics::default();
    let settings = folio::config::load(&dir, &Default::default(), &mut diags).expect("settings");
    let doc = folio::load::load(&settings, &mut diags, true);
    let refs = folio::refs::resolve(&settings, &doc, &mut diags);
    diags.extend(refs.unused());
    assert!(diags.items().is_empty(), "{:?}", diags.items());
    assert_eq!(doc.chapters.len(), 2);
    let again = run(&["init"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("never overwrites"));
}

#[test]
fn check_fix_applies_the_safe_fixes_and_checks_again() {
    let dir = book(
        "fix",
        "",
        "# 一\n\n　　中文,还有...省略（共２个）他用――好 吗。\n\n```\n代码,不动...\n```\n"
            .as_bytes(),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["check", "--fix"])
        .arg(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("fixed content/01-a.md:3:5: `,` → `，`"),
        "{stdout}"
    );
    let fixed = std::fs::read_to_string(dir.join("content/01-a.md")).unwrap();
    assert_eq!(
        fixed,
        "# 一\n\n中文，还有……省略（共2个）他用——好吗。\n\n```\n代码,不动...\n```\n"
    );
}
