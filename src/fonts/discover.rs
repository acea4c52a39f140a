//! Finding fonts for roles not set in book.toml: scan font folders cheaply (file header, table
//! directory and `name` table only) and match well-known CJK families by their name-table entries.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use rustybuzz::ttf_parser;

use super::face::FaceNames;
use super::{FontSpec, Role};

/// At most this many font files are looked at per scan.
pub(super) const MAX_FILES: usize = 5000;
/// At most this many folders are walked per scan (guards against huge trees).
const MAX_DIRS: usize = 20_000;
const MAX_DEPTH: usize = 12;
/// Faces read from one collection, and the largest `name` table read.
const MAX_FACES: u32 = 256;
const MAX_NAME_TABLE: u32 = 1 << 20;

/// A face found on disk, with the names read from its `name` table.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub spec: FontSpec,
    pub names: FaceNames,
}

/// The system font folders, in search order (those that do not exist are skipped by the scan).
pub(super) fn system_font_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("/usr/share/fonts")];
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if let Some(home) = &home {
        dirs.push(home.join(".local/share/fonts"));
        dirs.push(home.join(".fonts"));
    }
    dirs.push(PathBuf::from("/usr/local/share/fonts"));
    dirs.push(PathBuf::from("/Library/Fonts"));
    dirs.push(PathBuf::from("/System/Library/Fonts"));
    if let Some(home) = &home {
        dirs.push(home.join("Library/Fonts"));
    }
    if let Some(windir) = std::env::var_os("WINDIR") {
        dirs.push(PathBuf::from(windir).join("Fonts"));
    } else {
        dirs.push(PathBuf::from(r"C:\Windows\Fonts"));
    }
    if let Some(local) = std::env::var_os("LOCALAPPDATA") {
        dirs.push(PathBuf::from(local).join(r"Microsoft\Windows\Fonts"));
    }
    dirs
}

/// Every face of every font file under `dirs`, in sorted path order then face order.
pub(super) fn scan(dirs: &[PathBuf]) -> Vec<Candidate> {
    font_files(dirs, MAX_FILES)
        .iter()
        .flat_map(|path| scan_file(path))
        .collect()
}

/// Font files (`.ttf .otf .ttc .otc`, any case) under `dirs`, sorted, at most `cap`.
/// Unreadable folders are skipped; symlinked folders are not followed (no loops).
pub(super) fn font_files(dirs: &[PathBuf], cap: usize) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs_seen = 0;
    for root in dirs {
        let mut stack = vec![(root.clone(), 0usize)];
        while let Some((dir, depth)) = stack.pop() {
            dirs_seen += 1;
            if dirs_seen > MAX_DIRS || files.len() >= cap {
                break;
            }
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
            entries.sort_by_key(|e| e.file_name());
            let mut subdirs = Vec::new();
            for entry in entries {
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                let path = entry.path();
                if kind.is_dir() {
                    if depth < MAX_DEPTH {
                        subdirs.push(path);
                    }
                } else if is_font_file_name(&path) && files.len() < cap {
                    files.push(path);
                }
            }
            // Reverse so the stack pops them in sorted order.
            stack.extend(subdirs.into_iter().rev().map(|d| (d, depth + 1)));
        }
    }
    files.sort();
    files.dedup();
    files
}

fn is_font_file_name(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "ttf" | "otf" | "ttc" | "otc"
        )
    })
}

/// The faces of one file, reading only its header, table directories and `name` tables.
/// Anything unreadable or malformed gives no faces.
pub(super) fn scan_file(path: &Path) -> Vec<Candidate> {
    let Ok(mut file) = File::open(path) else {
        return Vec::new();
    };
    let Some(head) = read_at(&mut file, 0, 12) else {
        return Vec::new();
    };
    let offsets: Vec<u32> = if &head[0..4] == b"ttcf" {
        let count = be32(&head[8..12]).min(MAX_FACES);
        match read_at(&mut file, 12, count * 4) {
            Some(raw) => raw.chunks_exact(4).map(be32).collect(),
            None => return Vec::new(),
        }
    } else if matches!(&head[0..4], [0, 1, 0, 0] | b"OTTO" | b"true") {
        vec![0]
    } else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (index, offset) in (0u32..).zip(offsets) {
        if let Some(names) = face_names(&mut file, offset) {
            out.push(Candidate {
                spec: FontSpec {
                    path: path.to_path_buf(),
                    index,
                },
                names,
            });
        }
    }
    out
}

fn face_names(file: &mut File, offset: u32) -> Option<FaceNames> {
    let header = read_at(file, offset, 12)?;
    let num_tables = u32::from(u16::from_be_bytes([header[4], header[5]]));
    let records = read_at(file, offset.checked_add(12)?, num_tables * 16)?;
    let record = records.chunks_exact(16).find(|r| &r[0..4] == b"name")?;
    let (table_offset, length) = (be32(&record[8..12]), be32(&record[12..16]));
    if length > MAX_NAME_TABLE {
        return None;
    }
    let data = read_at(file, table_offset, length)?;
    let table = ttf_parser::name::Table::parse(&data)?;
    let names = FaceNames::from_table(&table);
    (!names.pairs.is_empty()).then_some(names)
}

fn read_at(file: &mut File, offset: u32, len: u32) -> Option<Vec<u8>> {
    file.seek(SeekFrom::Start(u64::from(offset))).ok()?;
    let mut buf = vec![0; usize::try_from(len).ok()?];
    file.read_exact(&mut buf).ok()?;
    Some(buf)
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// Well-known families per role (lowercase), best first, and the style they are wanted in.
fn wanted(role: Role) -> (&'static [&'static str], bool) {
    const SERIF: &[&str] = &[
        "noto serif cjk sc",
        "source han serif sc",
        "source han serif cn",
        "noto serif sc",
        "source han serif",
        "songti sc",
        "stsong",
        "simsun",
        "fandolsong",
        "ar pl sungtil gb",
        "ar pl uming cn",
    ];
    const SANS: &[&str] = &[
        "noto sans cjk sc",
        "source han sans sc",
        "source han sans cn",
        "noto sans sc",
        "source han sans",
        "pingfang sc",
        "microsoft yahei",
        "heiti sc",
        "fandolhei",
        "simhei",
        "wenquanyi micro hei",
        "wenquanyi zen hei",
    ];
    const KAI: &[&str] = &[
        "lxgw wenkai",
        "wenkai gb",
        "lxgw wenkai screen",
        "ar pl kaitim gb",
        "ar pl ukai cn",
        "kaiti sc",
        "stkaiti",
        "kaiti",
        "fandolkai",
    ];
    const MONO: &[&str] = &[
        "noto sans mono cjk sc",
        "sarasa mono sc",
        "sarasa term sc",
        "source han mono sc",
        "source han mono",
        "lxgw wenkai mono",
    ];
    match role {
        Role::Serif => (SERIF, false),
        Role::SerifBold => (SERIF, true),
        Role::Sans => (SANS, false),
        Role::SansBold => (SANS, true),
        Role::Kai => (KAI, false),
        Role::Mono => (MONO, false),
    }
}

fn style_matches(style: &str, bold: bool) -> bool {
    if bold {
        style == "bold"
    } else {
        matches!(style, "regular" | "book" | "normal" | "roman" | "")
    }
}

/// How well `names` fits `role`: the position of its family in the role's list, if any.
fn rank(role: Role, names: &FaceNames) -> Option<usize> {
    let (families, bold) = wanted(role);
    let style_word = if bold { "bold" } else { "regular" };
    families.iter().position(|&want| {
        names.pairs.iter().any(|(family, style)| {
            (family == want && style_matches(style, bold))
                // Legacy naming: ID 1 "Noto Sans CJK SC Bold", ID 2 "Regular".
                || (style_matches(style, false)
                    && family.strip_prefix(want).and_then(|r| r.strip_prefix(' '))
                        == Some(style_word))
        })
    })
}

/// The candidates that fit `role`, best first (family rank, then path, then face index).
pub(super) fn ranked(role: Role, candidates: &[Candidate]) -> Vec<&Candidate> {
    let mut fits: Vec<(usize, &Candidate)> = candidates
        .iter()
        .filter_map(|c| rank(role, &c.names).map(|r| (r, c)))
        .collect();
    fits.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.spec.cmp(&b.1.spec)));
    fits.into_iter().map(|(_, c)| c).collect()
}
