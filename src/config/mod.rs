//! config: book.toml → resolved [`Settings`].
//!
//! Stage: first. Input: the book folder's `book.toml` text (through `files`), `SOURCE_DATE_EPOCH` and the
//! command-line overrides. Output: [`Settings`], with every default filled in and every path resolved, or
//! diagnostics that point into book.toml. [`raw`] mirrors the file exactly (unknown keys are errors);
//! later stages only ever see the resolved form. This is the only module that reads environment variables.

mod raw;

use crate::diag::{Diagnostic, Diagnostics, FileId, SourceFile, Span};
use crate::fonts::{FontSpec, Role};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The book's resolved settings: what every later stage reads.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The book folder (absolute).
    pub root: PathBuf,
    pub book: BookMeta,
    pub content: ContentSettings,
    /// Fonts configured in book.toml, by role, with absolute paths. Roles left out are discovered by `fonts`.
    pub fonts: BTreeMap<Role, FontSpec>,
    /// Where each configured font is written in book.toml (for messages about a font that cannot be used).
    pub font_at: BTreeMap<Role, Span>,
    /// Where `[book] cover` is written in book.toml.
    pub cover_at: Option<Span>,
    pub output: OutputSettings,
    pub pdf: PdfSettings,
    /// Seconds since the Unix epoch for every date written into outputs (`SOURCE_DATE_EPOCH`, else
    /// `[book] date`, else a fixed date), so that identical input gives identical bytes.
    pub timestamp: i64,
    /// book.toml in the diagnostics' source table, when the book has one.
    pub toml_file: Option<FileId>,
}

#[derive(Debug, Clone)]
pub struct BookMeta {
    pub title: String,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    /// BCP 47 (`zh-CN`).
    pub language: String,
    /// `urn:uuid:…` (UUID v5 of title and authors unless set).
    pub identifier: String,
    pub date: Option<String>,
    pub publisher: Option<String>,
    pub description: Option<String>,
    pub keywords: Vec<String>,
    pub rights: Option<String>,
    /// Relative to the book root.
    pub cover: Option<PathBuf>,
}

impl BookMeta {
    /// Chinese books get Chinese defaults (参考文献, GB/T 7714, GB punctuation rules).
    pub fn is_chinese(&self) -> bool {
        let l = self.language.to_ascii_lowercase();
        l == "zh" || l.starts_with("zh-")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefPlacement {
    /// One references section at the end of the book.
    End,
    /// One section at the end of each chapter.
    PerChapter,
}

#[derive(Debug, Clone)]
pub struct ContentSettings {
    /// Chapter files in reading order, relative to `content/`, as written (with their place in book.toml),
    /// or `None` for every `content/*.md` sorted by name.
    pub chapters: Option<Vec<(String, Option<Span>)>>,
    /// Bibliography files relative to the book root.
    pub bibliography: Vec<PathBuf>,
    /// A built-in style name (`gb-7714-2015-numeric`, `ieee`, `apa`, `gb-7714-2015-author-date`) or a `.csl` path.
    pub citation_style: String,
    pub references_title: String,
    pub references: RefPlacement,
}

#[derive(Debug, Clone)]
pub struct OutputSettings {
    /// Absolute output folder.
    pub dir: PathBuf,
    /// File stem of the outputs (`iclr-2022` → `iclr-2022.epub`).
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paper {
    pub width_mm: f32,
    pub height_mm: f32,
}

impl Paper {
    pub const A4: Paper = Paper {
        width_mm: 210.0,
        height_mm: 297.0,
    };
    pub const A5: Paper = Paper {
        width_mm: 148.0,
        height_mm: 210.0,
    };
    pub const B5: Paper = Paper {
        width_mm: 176.0,
        height_mm: 250.0,
    };
    pub const LETTER: Paper = Paper {
        width_mm: 215.9,
        height_mm: 279.4,
    };

    /// `a4`, `A5`, `b5`, `letter`, or `WIDTHxHEIGHT` in millimetres (`170x240`).
    pub fn parse(s: &str) -> Option<Paper> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a4" => Some(Self::A4),
            "a5" => Some(Self::A5),
            "b5" => Some(Self::B5),
            "letter" => Some(Self::LETTER),
            other => {
                let other = other.trim_end_matches("mm");
                let (w, h) = other.split_once('x')?;
                let (w, h) = (w.trim().parse::<f32>().ok()?, h.trim().parse::<f32>().ok()?);
                (w >= 50.0 && h >= 50.0 && w <= 1000.0 && h <= 1000.0).then_some(Paper {
                    width_mm: w,
                    height_mm: h,
                })
            }
        }
    }
}

/// Margins in millimetres. `inner` is the binding side on two-sided pages, the left side otherwise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    pub top: f32,
    pub bottom: f32,
    pub inner: f32,
    pub outer: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PdfSettings {
    pub paper: Paper,
    pub margins: Margins,
    /// Body size in pt (小四 12 on A4, 五号 10.5 on A5).
    pub font_size: f32,
    /// Baseline-to-baseline distance in pt.
    pub line_pitch: f32,
    /// Characters per line; the measure is this many body ems (typography.md §7).
    pub chars_per_line: u32,
    /// Chapters open on right-hand pages; inner/outer margins alternate.
    pub two_sided: bool,
    /// English words may be hyphenated where a line would otherwise be letter-spaced (a last
    /// resort, see `typeset::hyphenate`); `hyphenate = false` never adds a hyphen.
    pub hyphenate: bool,
}

impl PdfSettings {
    /// The defaults of typography.md §7 for a paper size.
    pub fn for_paper(paper: Paper) -> Self {
        if paper == Paper::A5 {
            PdfSettings {
                paper,
                margins: Margins {
                    top: 20.0,
                    bottom: 22.0,
                    inner: 22.0,
                    outer: 19.0,
                },
                font_size: 10.5,
                line_pitch: 17.5,
                chars_per_line: 29,
                two_sided: false,
                hyphenate: true,
            }
        } else {
            let font_size = if paper.width_mm < 190.0 { 10.5 } else { 12.0 };
            let measure_mm = paper.width_mm - 53.0;
            let chars = ((measure_mm / 25.4 * 72.0) / font_size).floor().max(10.0) as u32;
            PdfSettings {
                paper,
                margins: Margins {
                    top: 25.0,
                    bottom: 25.0,
                    inner: 28.0,
                    outer: 25.0,
                },
                font_size,
                line_pitch: (font_size * 1.75).round(),
                chars_per_line: chars,
                two_sided: false,
                hyphenate: true,
            }
        }
    }
}

/// What the command line may override.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub out_dir: Option<PathBuf>,
    pub paper: Option<Paper>,
}

/// A fixed, clearly artificial date for books that set neither `SOURCE_DATE_EPOCH` nor `[book] date`:
/// 2000-01-01T00:00:00Z. Never the clock, so builds stay reproducible.
const FALLBACK_TIMESTAMP: i64 = 946_684_800;

/// Read and resolve `book.toml` of the book at `root`. Problems go to `diags`; `None` when the settings are
/// unusable. A book without book.toml gets every default and its folder name as title.
pub fn load(root: &Path, overrides: &Overrides, diags: &mut Diagnostics) -> Option<Settings> {
    let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let path = root.join("book.toml");
    let (raw, toml_file) = if path.exists() {
        let text = match crate::files::read_text(&path) {
            Ok(t) => t,
            Err(e) => {
                let d = e.report(Path::new("book.toml"), &mut diags.sources);
                diags.push(d);
                return None;
            }
        };
        let file = diags.sources.add(SourceFile::new("book.toml", text));
        match toml::from_str::<raw::RawBook>(&diags.sources.get(file).text) {
            Ok(raw) => (raw, Some(file)),
            Err(e) => {
                let mut d = Diagnostic::error(format!("book.toml: {}", e.message().trim_end()));
                if let Some(span) = e.span() {
                    d = d.at(Span::new(file, span));
                }
                if e.message().contains("unknown field") {
                    d = d.hint("the README lists every key book.toml accepts");
                }
                diags.push(d);
                return None;
            }
        }
    } else {
        diags.push(
            Diagnostic::error(format!("no book.toml in {}", root.display()))
                .hint("run `folio init DIR` to start a new book, or pass the book's folder"),
        );
        return None;
    };
    resolve(root, raw, toml_file, overrides, diags)
}

fn resolve(
    root: PathBuf,
    raw: raw::RawBook,
    toml_file: Option<FileId>,
    overrides: &Overrides,
    diags: &mut Diagnostics,
) -> Option<Settings> {
    let b = raw.book;
    let mut ok = true;
    let mut err = |diags: &mut Diagnostics, msg: String| {
        let mut d = Diagnostic::error(msg);
        if let Some(f) = toml_file {
            d = d.at(Span::new(f, 0..0));
        }
        diags.push(d);
        ok = false;
    };
    if b.title.trim().is_empty() {
        err(diags, "book.toml: [book] title must not be empty".into());
    }
    if b.authors.iter().all(|a| a.trim().is_empty()) {
        err(
            diags,
            "book.toml: [book] authors needs at least one author".into(),
        );
    }
    let language = b.language.unwrap_or_else(|| "zh-CN".into());
    if !is_bcp47(&language) {
        err(
            diags,
            format!(
                "book.toml: [book] language '{language}' is not a BCP 47 tag (zh-CN, en, ja …)"
            ),
        );
    }
    let identifier = b.identifier.unwrap_or_else(|| {
        let seed = format!("{}\u{1f}{}", b.title, b.authors.join("\u{1f}"));
        format!(
            "urn:uuid:{}",
            uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, seed.as_bytes())
        )
    });
    let timestamp = match source_date_epoch() {
        Some(Ok(t)) => t,
        Some(Err(v)) => {
            err(
                diags,
                format!("SOURCE_DATE_EPOCH='{v}' is not a whole number of seconds"),
            );
            FALLBACK_TIMESTAMP
        }
        None => b
            .date
            .as_deref()
            .and_then(parse_date)
            .unwrap_or(FALLBACK_TIMESTAMP),
    };
    let cover_at = b
        .cover
        .as_ref()
        .zip(toml_file)
        .map(|(c, f)| Span::new(f, c.span()));
    let book = BookMeta {
        title: b.title.trim().to_string(),
        subtitle: b.subtitle,
        authors: b.authors,
        language,
        identifier,
        date: b.date,
        publisher: b.publisher,
        description: b.description,
        keywords: b.keywords,
        rights: b.rights,
        cover: b.cover.as_ref().map(|c| PathBuf::from(c.get_ref())),
    };
    let chinese = book.is_chinese();

    let c = raw.content;
    let content = ContentSettings {
        chapters: c.chapters.map(|v| {
            v.into_iter()
                .map(|s| {
                    let span = toml_file.map(|f| Span::new(f, s.span()));
                    (s.into_inner(), span)
                })
                .collect()
        }),
        bibliography: c
            .bibliography
            .into_vec()
            .into_iter()
            .map(PathBuf::from)
            .collect(),
        citation_style: c.citation_style.unwrap_or_else(|| {
            if chinese {
                "gb-7714-2015-numeric"
            } else {
                "ieee"
            }
            .to_string()
        }),
        references_title: c.references_title.unwrap_or_else(|| {
            if chinese {
                "参考文献"
            } else {
                "References"
            }
            .to_string()
        }),
        references: match c.references.as_deref() {
            None | Some("end") => RefPlacement::End,
            Some("per-chapter") => RefPlacement::PerChapter,
            Some(other) => {
                err(
                    diags,
                    format!(
                        "book.toml: [content] references = '{other}': expected \"end\" or \"per-chapter\""
                    ),
                );
                RefPlacement::End
            }
        },
    };

    let mut fonts = BTreeMap::new();
    let mut font_at = BTreeMap::new();
    for (role, spec) in raw.fonts.into_roles() {
        if let Some(f) = toml_file {
            font_at.insert(role, Span::new(f, spec.span()));
        }
        let (path, index) = spec.into_inner().into_parts();
        let p = PathBuf::from(&path);
        let abs = if p.is_absolute() { p } else { root.join(p) };
        fonts.insert(role, FontSpec { path: abs, index });
    }

    let out_dir = overrides
        .out_dir
        .clone()
        .map(|d| std::path::absolute(&d).unwrap_or(d))
        .unwrap_or_else(|| root.join(raw.output.dir.as_deref().unwrap_or("out")));
    let name = match raw.output.name {
        Some(n) if is_safe_stem(&n) => n,
        Some(n) => {
            err(
                diags,
                format!(
                    "book.toml: [output] name '{n}' must be a plain file name (no '/', '\\' or leading '.')"
                ),
            );
            n
        }
        None => default_stem(&book.title, &root),
    };

    let paper = match (overrides.paper, raw.pdf.paper.as_deref()) {
        (Some(p), _) => p,
        (None, None) => Paper::A4,
        (None, Some(s)) => Paper::parse(s).unwrap_or_else(|| {
            err(diags, format!("book.toml: [pdf] paper '{s}': expected a4, a5, b5, letter or WIDTHxHEIGHT in mm"));
            Paper::A4
        }),
    };
    let mut pdf = PdfSettings::for_paper(paper);
    if let Some(m) = raw.pdf.margins {
        pdf.margins = Margins {
            top: m.top,
            bottom: m.bottom,
            inner: m.inner,
            outer: m.outer,
        };
    }
    if let Some(s) = raw.pdf.font_size {
        pdf.font_size = s;
        pdf.line_pitch = (s * 1.7).round();
    }
    if let Some(p) = raw.pdf.line_pitch {
        pdf.line_pitch = p;
    }
    if let Some(n) = raw.pdf.chars_per_line {
        pdf.chars_per_line = n;
    }
    pdf.two_sided = raw.pdf.two_sided;
    pdf.hyphenate = raw.pdf.hyphenate.unwrap_or(pdf.hyphenate);
    if !(5.0..=72.0).contains(&pdf.font_size)
        || pdf.line_pitch < pdf.font_size
        || pdf.chars_per_line < 5
    {
        err(diags, "book.toml: [pdf] font-size must be 5–72 pt, line-pitch at least the font size, chars-per-line at least 5".into());
    }

    ok.then_some(Settings {
        root,
        book,
        content,
        fonts,
        font_at,
        cover_at,
        output: OutputSettings { dir: out_dir, name },
        pdf,
        timestamp,
        toml_file,
    })
}

fn source_date_epoch() -> Option<Result<i64, String>> {
    let v = std::env::var("SOURCE_DATE_EPOCH").ok()?;
    Some(v.trim().parse::<i64>().map_err(|_| v))
}

/// `2022-04-25` → seconds at midnight UTC.
fn parse_date(s: &str) -> Option<i64> {
    let mut it = s.trim().get(..10)?.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400)
}

fn is_bcp47(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=8).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn is_safe_stem(s: &str) -> bool {
    !s.is_empty() && !s.starts_with('.') && !s.contains(['/', '\\', '\0'])
}

/// An ASCII slug of the title (`ICLR 2022 论文导读` → `iclr-2022`), else the folder name, else `book`.
fn default_stem(title: &str, root: &Path) -> String {
    let slug = |s: &str| {
        let mut out = String::new();
        for c in s.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        out.trim_end_matches('-').to_string()
    };
    let from_title = slug(title);
    if !from_title.is_empty() {
        return from_title;
    }
    let from_dir = root
        .file_name()
        .map(|n| slug(&n.to_string_lossy()))
        .unwrap_or_default();
    if from_dir.is_empty() {
        "book".into()
    } else {
        from_dir
    }
}

/// Days since 1970-01-01 → (year, month, day), for writers that print dates.
pub fn civil_from_timestamp(ts: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        m,
        d,
        (secs / 3600) as u32,
        (secs % 3600 / 60) as u32,
        (secs % 60) as u32,
    )
}

/// `2022-04-25T00:00:00Z`.
pub fn iso8601(ts: i64) -> String {
    let (y, m, d, hh, mm, ss) = civil_from_timestamp(ts);
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(parse_date("2022-04-25"), Some(1_650_844_800));
        assert_eq!(iso8601(1_650_844_800), "2022-04-25T00:00:00Z");
        assert_eq!(iso8601(FALLBACK_TIMESTAMP), "2000-01-01T00:00:00Z");
    }

    #[test]
    fn stems_and_papers() {
        assert_eq!(
            default_stem("ICLR 2022 论文导读", Path::new("/x/y")),
            "iclr-2022"
        );
        assert_eq!(default_stem("论文导读", Path::new("/x/my book")), "my-book");
        assert_eq!(Paper::parse("A5"), Some(Paper::A5));
        assert_eq!(
            Paper::parse("170x240mm"),
            Some(Paper {
                width_mm: 170.0,
                height_mm: 240.0
            })
        );
        assert_eq!(Paper::parse("huge"), None);
        assert!(is_bcp47("zh-Hans-CN") && !is_bcp47("zh_CN"));
    }

    #[test]
    fn body_measure_is_a_whole_number_of_ems() {
        let a4 = PdfSettings::for_paper(Paper::A4);
        assert_eq!((a4.font_size, a4.chars_per_line), (12.0, 37));
        let a5 = PdfSettings::for_paper(Paper::A5);
        assert_eq!((a5.font_size, a5.chars_per_line), (10.5, 29));
    }
}
