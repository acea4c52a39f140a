//! The bad-book corpus: each folder of `tests/bad_books/` is a tiny book with one problem (or none,
//! for inputs that must simply work), and `expected.txt` beside it is the exact outcome of
//! `folio check` and `folio build`: exit codes, every message as printed (no colour), what happened to
//! an earlier output, and what the EPUB and the PDF hold. `FOLIO_ACCEPT=1 cargo test --test bad_books` rewrites
//! the snapshots; review the diff. tests/bad_books/README.md says how to add a case.

mod common;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What an earlier build left behind; a failed build must keep it byte for byte.
const PREVIOUS: &[u8] = b"previous build";

fn corpus() -> PathBuf {
    common::repo_root().join("tests/bad_books")
}

/// A working copy of the case three levels under the repository root, like the case itself, so the
/// books' `../../../fonts/…` paths still find the repository's fonts: `target/bad-books/<case>-<pid>`.
fn working_copy(case: &str) -> PathBuf {
    let dir = common::repo_root()
        .join("target/bad-books")
        .join(format!("{case}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&corpus().join(case), &dir);
    let _ = std::fs::remove_file(dir.join("expected.txt"));
    if let Ok(spec) = std::fs::read_to_string(dir.join("generate.txt")) {
        for line in spec.lines().filter(|l| !l.trim().is_empty()) {
            generate(&dir, line);
        }
        std::fs::remove_file(dir.join("generate.txt")).unwrap();
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A file too big (or too binary) to commit, made from one `generate.txt` line:
/// `images/huge.png: png 20000x20000` (a 1-bit PNG, a few hundred KB) or
/// `fonts/x.ttc: ttc a.otf b.otf` (a collection of those faces, paths relative to the case).
fn generate(dir: &Path, line: &str) {
    let (file, spec) = line.split_once(':').expect("`file: kind args`");
    let mut words = spec.split_whitespace();
    let path = dir.join(file.trim());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let bytes = match words.next() {
        Some("png") => {
            let size = words.next().expect("WxH");
            let (w, h) = size.split_once('x').expect("WxH");
            big_png(w.parse().unwrap(), h.parse().unwrap())
        }
        Some("ttc") => {
            let faces: Vec<Vec<u8>> = words.map(|p| std::fs::read(dir.join(p)).unwrap()).collect();
            collection(&faces)
        }
        other => panic!("unknown generator {other:?} in {line}"),
    };
    std::fs::write(path, bytes).unwrap();
}

/// A 1-bit greyscale PNG of stripes, written row by row (nothing the size of the image is held).
fn big_png(w: u32, h: u32) -> Vec<u8> {
    use std::io::Write as _;
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(std::io::Cursor::new(&mut out), w, h);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::One);
    enc.set_compression(png::Compression::Fast);
    enc.set_filter(png::Filter::NoFilter);
    let mut writer = enc.write_header().unwrap();
    let mut stream = writer.stream_writer().unwrap();
    let stripes = vec![0b1111_0000u8; w.div_ceil(8) as usize];
    let blank = vec![0u8; w.div_ceil(8) as usize];
    for y in 0..h {
        stream
            .write_all(if y % 64 < 32 { &stripes } else { &blank })
            .unwrap();
    }
    stream.finish().unwrap();
    drop(writer);
    out
}

/// An OpenType collection (`ttcf`) of single-face fonts: each face's table offsets are moved by
/// where its file lands in the collection.
fn collection(faces: &[Vec<u8>]) -> Vec<u8> {
    let header = 12 + 4 * faces.len();
    let mut out = Vec::new();
    out.extend_from_slice(b"ttcf");
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&(faces.len() as u32).to_be_bytes());
    let mut at = header;
    let mut bases = Vec::new();
    for f in faces {
        bases.push(at);
        out.extend_from_slice(&(at as u32).to_be_bytes());
        at += f.len().next_multiple_of(4);
    }
    for (f, base) in faces.iter().zip(bases) {
        let mut face = f.clone();
        let tables = u16::from_be_bytes([face[4], face[5]]) as usize;
        for t in 0..tables {
            let o = 12 + 16 * t + 8;
            let offset = u32::from_be_bytes(face[o..o + 4].try_into().unwrap());
            face[o..o + 4].copy_from_slice(&(offset + base as u32).to_be_bytes());
        }
        face.resize(face.len().next_multiple_of(4), 0);
        out.extend_from_slice(&face);
    }
    out
}

/// `folio <args> <dir>`: exit code and stderr (no colour), the working copy's path shown as `<book>`.
fn folio(args: &[&str], dir: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .arg(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&*dir.to_string_lossy(), "<book>");
    (out.status.code().unwrap_or(-1), stderr)
}

/// What the EPUB holds: each XHTML document must be well-formed, free of control characters and
/// of `<script>`; each image (the cover too) is listed with its size.
fn describe_epub(bytes: &[u8]) -> Result<String, String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let (mut xhtml, mut images) = (0, Vec::new());
    for i in 0..z.len() {
        let mut f = z.by_index(i).map_err(|e| e.to_string())?;
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).map_err(|e| e.to_string())?;
        if name.ends_with(".xhtml") {
            let text = String::from_utf8(data).map_err(|_| format!("{name}: not UTF-8"))?;
            common::xml::check_xhtml(&text).map_err(|e| format!("{name}: {e}"))?;
            if let Some(c) = text
                .chars()
                .find(|&c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
            {
                return Err(format!("{name}: control character U+{:04X}", c as u32));
            }
            if text.to_ascii_lowercase().contains("<script") {
                return Err(format!("{name}: a <script> element"));
            }
            xhtml += 1;
        } else if name.starts_with("OEBPS/images/") {
            let (w, h) = image::ImageReader::new(std::io::Cursor::new(&data))
                .with_guessed_format()
                .map_err(|e| e.to_string())?
                .into_dimensions()
                .map_err(|e| format!("{name}: {e}"))?;
            images.push(format!("{} {w}×{h}", &name["OEBPS/".len()..]));
        }
    }
    let mut s = format!("{xhtml} XHTML documents, well-formed, no control characters, no <script>");
    if !images.is_empty() {
        s.push_str(&format!("; images: {}", images.join(", ")));
    }
    Ok(s)
}

/// The pixel size of each image in a PDF, read from the image dictionaries (krilla writes them
/// uncompressed): `3000×3000`.
fn pdf_images(pdf: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(pdf);
    let number_after = |at: usize, key: &str| -> Option<u32> {
        let rest = &text[at..];
        let i = rest.find(key)?;
        let digits: String = rest[i + key.len()..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    };
    let text = text.replace("/Subtype /Image", "/Subtype/Image");
    text.match_indices("/Subtype/Image")
        .filter_map(|(i, _)| {
            // The dictionary around the match: from its `<<` to its `>>`.
            let start = text[..i].rfind("<<")?;
            let end = i + text[i..].find(">>")?;
            let dict = start..end;
            let w = number_after(dict.start, "/Width")
                .filter(|_| text[dict.clone()].contains("/Width"))?;
            let h =
                number_after(dict.start, "/Height").filter(|_| text[dict].contains("/Height"))?;
            Some(format!("{w}×{h}"))
        })
        .collect()
}

/// The outcome of checking and building one case, as `expected.txt` records it.
fn run_case(case: &str) -> String {
    let dir = working_copy(case);
    let mut report = String::new();
    let before = listing(&dir);
    let (code, stderr) = folio(&["check"], &dir);
    assert_eq!(
        listing(&dir),
        before,
        "{case}: folio check must write nothing"
    );
    report.push_str(&format!("$ folio check\nexit {code}\n{stderr}"));
    // An earlier build's outputs, which a failed build must leave alone.
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    for f in ["book.epub", "book.pdf"] {
        std::fs::write(out.join(f), PREVIOUS).unwrap();
    }
    let (code, stderr) = folio(&["build", "--quiet"], &dir);
    report.push_str(&format!("\n$ folio build\nexit {code}\n{stderr}"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&f).unwrap();
        let what = if bytes == PREVIOUS {
            "kept".to_string()
        } else if name.ends_with(".epub") {
            match describe_epub(&bytes) {
                Ok(s) => format!("written: {s}"),
                Err(e) => format!("written, BROKEN: {e}"),
            }
        } else if name.ends_with(".pdf") && bytes.starts_with(b"%PDF-") {
            let images = pdf_images(&bytes);
            if images.is_empty() {
                "written".to_string()
            } else {
                format!("written; images: {}", images.join(", "))
            }
        } else {
            "UNEXPECTED FILE".to_string()
        };
        report.push_str(&format!("out/{name}: {what}\n"));
    }
    let _ = std::fs::remove_dir_all(&dir);
    report
}

/// Every file under `dir` with its size and modification time.
fn listing(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let meta = e.metadata().unwrap();
            if meta.is_dir() {
                stack.push(e.path());
            } else {
                out.push((e.path(), meta.len(), meta.modified().unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn snapshot(case: &str) {
    let got = run_case(case);
    let path = corpus().join(case).join("expected.txt");
    if std::env::var_os("FOLIO_ACCEPT").is_some() {
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run with FOLIO_ACCEPT=1 to write it, then review it. Got:\n{got}",
            path.display()
        )
    });
    assert!(
        want == got,
        "{case}: the outcome differs from {} (FOLIO_ACCEPT=1 to accept)\n--- expected\n{want}\n--- got\n{got}",
        path.display()
    );
}

macro_rules! cases {
    ($($name:ident => $dir:literal,)*) => {
        $(
            #[test]
            fn $name() {
                snapshot($dir);
            }
        )*

        const CASES: &[&str] = &[$($dir),*];
    };
}

cases! {
    bom_and_crlf_build_fine => "bom-crlf",
    invalid_utf8 => "invalid-utf8",
    control_characters_never_reach_the_xhtml => "control-characters",
    empty_content => "empty-content",
    chapter_without_a_title => "chapter-without-title",
    chapter_list_names_a_missing_file => "missing-chapter",
    chapter_listed_twice => "chapter-listed-twice",
    malformed_book_toml => "malformed-book-toml",
    unknown_key_in_book_toml => "unknown-key",
    malformed_front_matter => "malformed-front-matter",
    unknown_front_matter_key => "front-matter-unknown-key",
    image_missing => "image-missing",
    image_that_is_not_an_image => "image-not-an-image",
    image_damaged => "image-damaged",
    images_in_unsupported_formats => "image-unsupported",
    image_misnamed => "image-misnamed",
    huge_image_is_scaled => "image-huge",
    images_outside_the_book => "image-outside-book",
    cover_missing => "cover-missing",
    huge_cover_is_scaled => "cover-huge",
    cover_in_a_format_epub_covers_cannot_have => "cover-gif",
    links_outside_the_book => "link-outside-book",
    font_missing => "font-missing",
    font_file_that_is_not_a_font => "font-not-a-font",
    font_collection_index_out_of_range => "font-collection-index",
    font_collection_without_faces => "font-empty-collection",
    raw_html_and_entities => "raw-html",
    unknown_citation_key => "unknown-citation-key",
}

#[test]
fn every_case_folder_has_a_test() {
    let mut dirs: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let mut listed: Vec<String> = CASES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        dirs, listed,
        "add each folder of tests/bad_books to `cases!`"
    );
}
