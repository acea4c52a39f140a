//! Tests of the font stage, on the pre-subset fonts in the repository's `fonts/` folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rustybuzz::ttf_parser;

use super::discover;
use super::*;

const SERIF: &str = "NotoSerifCJKsc-Regular.otf";
const SANS_BOLD: &str = "NotoSansCJKsc-Bold.otf";
const KAI: &str = "WenKaiGB-Regular.ttf";
const MONO: &str = "NotoSansMonoCJKsc-Regular.otf";
const SYSTEM_TTC: &str = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc";
const SAMPLE: &str = "永和九年，岁在癸丑ABC";

fn repo_fonts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")
}

fn spec(file: &str) -> FontSpec {
    FontSpec {
        path: repo_fonts().join(file),
        index: 0,
    }
}

fn load(file: &str) -> Face {
    match Face::load(&spec(file)) {
        Ok(face) => face,
        Err(e) => panic!("{file}: {e}"),
    }
}

/// Every character the font's cmap maps to a real glyph.
fn mapped_chars(font: &ttf_parser::Face<'_>) -> BTreeSet<char> {
    let mut out = BTreeSet::new();
    if let Some(cmap) = font.tables().cmap {
        for sub in cmap.subtables {
            sub.codepoints(|cp| {
                if let Some(c) = char::from_u32(cp)
                    && font.glyph_index(c).is_some_and(|g| g.0 != 0)
                {
                    out.insert(c);
                }
            });
        }
    }
    out
}

#[test]
fn loads_each_repo_face() {
    let cases = [
        (SERIF, "Noto Serif CJK SC", "Regular", true),
        (SANS_BOLD, "Noto Sans CJK SC", "Bold", true),
        (KAI, "WenKai GB", "Regular", false),
        (MONO, "Noto Sans Mono CJK SC", "Regular", true),
    ];
    for (file, family, style, cff) in cases {
        let face = load(file);
        assert_eq!(face.family(), family, "{file}");
        assert_eq!(face.subfamily(), style, "{file}");
        assert_eq!(face.is_cff(), cff, "{file}");
        assert_eq!(face.subset_extension(), if cff { "otf" } else { "ttf" });
        assert_eq!(face.index(), 0);
        assert_eq!(face.path(), repo_fonts().join(file));
        assert_eq!(face.units_per_em(), 1000, "{file}");
        assert!(face.ascender() > 0 && face.descender() < 0, "{file}");
        assert!(face.glyph_count() > 7000, "{file}: {}", face.glyph_count());
        assert!(face.data().len() > 1_000_000, "{file}");
    }
}

#[test]
fn coverage() {
    for file in [SERIF, SANS_BOLD, KAI, MONO] {
        let face = load(file);
        // All of GB 2312 (6763 hanzi + symbols) plus Latin and punctuation.
        assert!(
            face.coverage_len() > 7700,
            "{file}: {}",
            face.coverage_len()
        );
        for c in "永和九年，岁在癸丑ABCz0“”‘’—…·⸺⋯①⑳、。《》「」　".chars()
        {
            assert!(face.covers(c), "{file} should cover {c:?}");
        }
        // Ext B, private use, and a traditional-only form outside GB 2312.
        for c in ['\u{20000}', '\u{E000}', '\u{0}', '鬱'] {
            assert!(!face.covers(c), "{file} should not cover {c:?}");
        }
    }
}

#[test]
fn subset_is_a_small_valid_font_with_exactly_those_chars() {
    let chars: BTreeSet<char> = SAMPLE.chars().collect();
    for file in [SERIF, SANS_BOLD, KAI, MONO] {
        let face = load(file);
        let bytes = face.subset(&chars).expect("subset");
        let magic = &bytes[0..4];
        if face.is_cff() {
            assert_eq!(magic, b"OTTO", "{file}");
        } else {
            assert_eq!(magic, [0, 1, 0, 0], "{file}");
        }
        let parsed = ttf_parser::Face::parse(&bytes, 0).expect("subset parses");
        assert_eq!(mapped_chars(&parsed), chars, "{file}");
        let glyphs = usize::from(parsed.number_of_glyphs());
        assert!(glyphs <= chars.len() + 1 + 3, "{file}: {glyphs} glyphs");
        assert!(
            bytes.len() * 50 < face.data().len(),
            "{file}: {} bytes",
            bytes.len()
        );
        assert_eq!(parsed.units_per_em(), face.units_per_em());
        // Same advance for 永 as the source.
        let src = ttf_parser::Face::parse(face.data(), 0).expect("source parses");
        let adv =
            |f: &ttf_parser::Face<'_>| f.glyph_index('永').and_then(|g| f.glyph_hor_advance(g));
        assert_eq!(adv(&parsed), adv(&src), "{file}");
    }
}

#[test]
fn subset_bytes_are_deterministic() {
    let chars: BTreeSet<char> = SAMPLE.chars().collect();
    for file in [SERIF, KAI] {
        let face = load(file);
        let a = face.subset(&chars).expect("subset");
        let b = load(file).subset(&chars).expect("subset");
        assert_eq!(a, b, "{file}");
    }
}

#[test]
fn subset_skips_uncovered_and_handles_empty() {
    let face = load(KAI);
    let chars: BTreeSet<char> = ['永', '\u{20000}'].into_iter().collect();
    let bytes = face.subset(&chars).expect("subset");
    let parsed = ttf_parser::Face::parse(&bytes, 0).expect("parses");
    assert_eq!(mapped_chars(&parsed), ['永'].into_iter().collect());
    let empty = face.subset(&BTreeSet::new()).expect("empty subset");
    let parsed = ttf_parser::Face::parse(&empty, 0).expect("parses");
    assert_eq!(parsed.number_of_glyphs(), 1);
}

/// ~700 distinct hanzi, the size of a short book's subset. Prints the time per face; the
/// assertion is only a sanity bound (debug builds are much slower than release).
#[test]
fn subset_timing_700_chars() {
    let serif = load(SERIF);
    let chars: BTreeSet<char> = ('\u{4E00}'..='\u{9FFF}')
        .filter(|&c| serif.covers(c))
        .step_by(9)
        .take(700)
        .collect();
    assert_eq!(chars.len(), 700);
    for file in [SERIF, SANS_BOLD, KAI, MONO] {
        let face = load(file);
        let start = Instant::now();
        let bytes = face.subset(&chars).expect("subset");
        let took = start.elapsed();
        println!(
            "subset 700 chars of {file}: {took:?}, {} bytes",
            bytes.len()
        );
        assert!(took.as_secs() < 20, "{file}: {took:?}");
        let parsed = ttf_parser::Face::parse(&bytes, 0).expect("parses");
        assert_eq!(mapped_chars(&parsed).len(), 700, "{file}");
    }
}

#[test]
fn ttc_face_by_index() {
    let path = Path::new(SYSTEM_TTC);
    if !path.exists() {
        println!("skipped: {SYSTEM_TTC} absent (install fonts-noto-cjk to run this test)");
        return;
    }
    let face = Face::load(&FontSpec {
        path: path.into(),
        index: 2,
    })
    .expect("load ttc face 2");
    assert_eq!(face.family(), "Noto Serif CJK SC");
    assert_eq!(face.index(), 2);
    assert!(face.is_cff());
    let chars: BTreeSet<char> = SAMPLE.chars().collect();
    let start = Instant::now();
    let bytes = face.subset(&chars).expect("subset of a ttc face");
    println!(
        "subset of ttc face 2: {:?}, {} bytes",
        start.elapsed(),
        bytes.len()
    );
    assert_eq!(&bytes[0..4], b"OTTO", "a single face, not a collection");
    let parsed = ttf_parser::Face::parse(&bytes, 0).expect("parses");
    assert!(mapped_chars(&parsed).is_superset(&chars));
    match Face::load(&FontSpec {
        path: path.into(),
        index: 5,
    }) {
        Err(FontError::IndexOutOfRange {
            index: 5, count: 5, ..
        }) => {}
        other => panic!("expected IndexOutOfRange, got {other:?}"),
    }
}

#[test]
fn index_out_of_range_on_single_face() {
    let mut s = spec(KAI);
    s.index = 1;
    match Face::load(&s) {
        Err(
            e @ FontError::IndexOutOfRange {
                index: 1, count: 1, ..
            },
        ) => {
            assert!(e.to_string().contains("face index 1"), "{e}");
        }
        other => panic!("expected IndexOutOfRange, got {other:?}"),
    }
}

#[test]
fn non_font_and_missing_files() {
    let not_font = FontSpec {
        path: repo_fonts().join("README.md"),
        index: 0,
    };
    assert!(matches!(
        Face::load(&not_font),
        Err(FontError::NotAFont { .. })
    ));
    let missing = FontSpec {
        path: repo_fonts().join("no-such-font.otf"),
        index: 0,
    };
    assert!(matches!(Face::load(&missing), Err(FontError::Io { .. })));
    // The scanner skips such files silently.
    assert!(discover::scan_file(&not_font.path).is_empty());
    assert!(discover::scan_file(&missing.path).is_empty());
}

#[test]
fn resolve_picks_repo_fonts_and_fallbacks() {
    let (set, picked) = FontSet::resolve_in(&BTreeMap::new(), &repo_fonts(), &[]).expect("resolve");
    let by_role: BTreeMap<Role, &Picked> = picked.iter().map(|p| (p.role, p)).collect();
    assert_eq!(by_role.len(), 6);
    let expect = [
        (Role::Serif, SERIF, PickedHow::BookFolder),
        (Role::SansBold, SANS_BOLD, PickedHow::BookFolder),
        (Role::Kai, KAI, PickedHow::BookFolder),
        (Role::Mono, MONO, PickedHow::BookFolder),
        (
            Role::SerifBold,
            SANS_BOLD,
            PickedHow::Fallback(Role::SansBold),
        ),
        (Role::Sans, SANS_BOLD, PickedHow::Fallback(Role::SansBold)),
    ];
    for (role, file, how) in expect {
        let p = by_role[&role];
        assert_eq!(p.spec.path, repo_fonts().join(file), "{role}");
        assert_eq!(p.how, how, "{role}");
        assert_eq!(set.face(role).path(), repo_fonts().join(file), "{role}");
        assert_eq!(p.family, set.face(role).family());
    }
    assert_eq!(set.faces().count(), 4);
    let ids: Vec<FaceId> = set.faces().map(|(id, _)| id).collect();
    assert_eq!(ids, [FaceId(0), FaceId(1), FaceId(2), FaceId(3)]);
    assert_eq!(set.face_id(Role::Sans), set.face_id(Role::SansBold));
    assert_eq!(set.face_id(Role::SerifBold), set.face_id(Role::SansBold));
    for (id, face) in set.faces() {
        assert_eq!(set.get(id).path(), face.path());
    }
    // Per-character fallback: LXGW WenKai lacks U+301A, Noto Serif has it.
    assert!(!set.face(Role::Kai).covers('〚'));
    assert_eq!(
        set.face_for_char(Role::Kai, '〚'),
        Some(set.face_id(Role::Serif))
    );
    assert_eq!(
        set.face_for_char(Role::Kai, '永'),
        Some(set.face_id(Role::Kai))
    );
    assert_eq!(set.face_for_char(Role::Mono, '\u{20000}'), None);
}

#[test]
fn resolve_config_wins_and_faces_are_shared() {
    let mut configured = BTreeMap::new();
    configured.insert(Role::Kai, spec(SERIF));
    configured.insert(Role::Serif, spec(SERIF));
    let (set, picked) = FontSet::resolve_in(&configured, &repo_fonts(), &[]).expect("resolve");
    assert_eq!(set.face_id(Role::Kai), set.face_id(Role::Serif));
    assert_eq!(set.faces().count(), 3, "serif (also kai), sans-bold, mono");
    let kai = picked
        .iter()
        .find(|p| p.role == Role::Kai)
        .expect("kai picked");
    assert_eq!(kai.how, PickedHow::Configured);
    // A configured font that cannot be loaded is an error, not a silent fallback.
    configured.insert(Role::Mono, spec("missing.otf"));
    match FontSet::resolve_in(&configured, &repo_fonts(), &[]) {
        Err(FontError::Configured {
            role: Role::Mono,
            source,
        }) => assert!(matches!(*source, FontError::Io { .. })),
        other => panic!("expected the mono role's Io error, got {other:?}"),
    }
}

#[test]
fn resolve_without_cjk_font_fails_with_hint() {
    let dir = std::env::temp_dir().join(format!("folio-fonts-empty-{}", std::process::id()));
    let err = FontSet::resolve_in(&BTreeMap::new(), &dir, std::slice::from_ref(&dir))
        .expect_err("no fonts");
    assert!(matches!(err, FontError::NoCjkFont { role: Role::Serif }));
    assert!(err.to_string().contains("fonts-noto-cjk"), "{err}");
    // Only a Kai face is not enough either.
    let mut configured = BTreeMap::new();
    configured.insert(Role::Kai, spec(KAI));
    let err = FontSet::resolve_in(&configured, &dir, &[]).expect_err("kai only");
    assert!(matches!(err, FontError::NoCjkFont { .. }));
}

#[test]
fn resolve_from_system_fonts() {
    if !Path::new(SYSTEM_TTC).exists() {
        println!("skipped: {SYSTEM_TTC} absent (install fonts-noto-cjk to run this test)");
        return;
    }
    let start = Instant::now();
    let found = discover::scan(&discover::system_font_dirs());
    println!(
        "scan of system folders: {} faces in {:?}",
        found.len(),
        start.elapsed()
    );
    let start = Instant::now();
    let (set, picked) =
        FontSet::resolve(&BTreeMap::new(), Path::new("/nonexistent")).expect("resolve");
    println!("resolve from system folders: {:?}", start.elapsed());
    for p in &picked {
        println!(
            "  {:<10} {:?} {} #{}  {}",
            p.role.name(),
            p.how,
            p.spec.path.display(),
            p.spec.index,
            p.family
        );
    }
    let serif = set.face(Role::Serif);
    assert_eq!(
        (serif.family(), serif.subfamily()),
        ("Noto Serif CJK SC", "Regular")
    );
    assert_eq!(serif.path(), Path::new(SYSTEM_TTC));
    assert_eq!(serif.index(), 2);
    assert_eq!(picked[0].how, PickedHow::System);
    let bold = set.face(Role::SerifBold);
    if bold.path().ends_with("NotoSerifCJK-Bold.ttc") {
        assert_eq!(
            (bold.family(), bold.subfamily()),
            ("Noto Serif CJK SC", "Bold")
        );
    }
}

#[test]
fn font_file_scan_is_capped_and_sorted() {
    let files = discover::font_files(&[repo_fonts()], 2);
    assert_eq!(files.len(), 2);
    let all = discover::font_files(&[repo_fonts(), repo_fonts()], discover::MAX_FILES);
    assert_eq!(all.len(), 4, "{all:?}");
    assert!(all.windows(2).all(|w| w[0] < w[1]));
    let faces = discover::scan(&[repo_fonts()]);
    assert_eq!(faces.len(), 4);
}

#[test]
fn role_names_and_serde() {
    #[derive(serde::Deserialize)]
    struct T {
        roles: Vec<Role>,
    }
    let t: T =
        toml::from_str(r#"roles = ["serif", "serif-bold", "sans", "sans-bold", "kai", "mono"]"#)
            .expect("toml");
    assert_eq!(t.roles, Role::ALL);
    for role in Role::ALL {
        assert_eq!(role.name(), role.to_string());
        assert_eq!(role.fallbacks()[0], role);
    }
    assert_eq!(Role::SerifBold.name(), "serif-bold");
    assert_eq!(
        &Role::SansBold.fallbacks()[..4],
        [Role::SansBold, Role::Sans, Role::SerifBold, Role::Serif]
    );
}
