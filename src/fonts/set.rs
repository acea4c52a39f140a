//! The book's faces per role: resolution (config → book folder → system) and lookups.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::discover::{self, Candidate};
use super::face::read_font_file;
use super::{Face, FaceId, FontError, FontSpec, Role};

/// Where a role's face came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickedHow {
    /// Set in book.toml.
    Configured,
    /// Found in the book's `fonts/` folder by its names.
    BookFolder,
    /// Found in a system font folder by its names.
    System,
    /// No face of its own: it uses this role's face (the first along [`Role::fallbacks`]).
    Fallback(Role),
}

/// The face chosen for one role, for the build log.
#[derive(Clone, Debug)]
pub struct Picked {
    pub role: Role,
    pub spec: FontSpec,
    pub family: String,
    pub how: PickedHow,
}

/// The faces of a book: one [`Face`] per distinct file+index, and which one each role uses.
#[derive(Debug)]
pub struct FontSet {
    faces: Vec<Face>,
    /// Indexed by the role's position in [`Role::ALL`]; `None` when the role has no face of
    /// its own and goes through its fallbacks.
    by_role: [Option<FaceId>; 6],
}

fn slot(role: Role) -> usize {
    match role {
        Role::Serif => 0,
        Role::SerifBold => 1,
        Role::Sans => 2,
        Role::SansBold => 3,
        Role::Kai => 4,
        Role::Mono => 5,
    }
}

impl FontSet {
    /// `configured`: roles set in book.toml. `book_fonts_dir`: the book's `fonts/` folder (may
    /// not exist). Roles not configured are looked up in `book_fonts_dir`; only when neither
    /// gives a serif or sans face are the system font folders searched (so a book that ships its
    /// fonts builds identically everywhere); a role found nowhere uses its [`Role::fallbacks`]. Fails with
    /// [`FontError::NoCjkFont`] when no serif or sans face at all is found, and with
    /// [`FontError::Configured`] (the role and the load error) for a configured font that cannot be used.
    pub fn resolve(
        configured: &BTreeMap<Role, FontSpec>,
        book_fonts_dir: &Path,
    ) -> Result<(FontSet, Vec<Picked>), FontError> {
        Self::resolve_in(configured, book_fonts_dir, &discover::system_font_dirs())
    }

    /// [`FontSet::resolve`] with the system font folders given (tests pass none).
    pub(super) fn resolve_in(
        configured: &BTreeMap<Role, FontSpec>,
        book_fonts_dir: &Path,
        system_dirs: &[PathBuf],
    ) -> Result<(FontSet, Vec<Picked>), FontError> {
        let mut loader = Loader::default();
        let mut by_role = [None; 6];
        let mut how = [PickedHow::Configured; 6];

        for role in Role::ALL {
            if let Some(spec) = configured.get(&role) {
                let id = loader.load(spec).map_err(|e| FontError::Configured {
                    role,
                    source: Box::new(e),
                })?;
                by_role[slot(role)] = Some(id);
            }
        }
        let book = if book_fonts_dir.is_dir() {
            discover::scan(&[book_fonts_dir.to_path_buf()])
        } else {
            Vec::new()
        };
        for role in Role::ALL {
            if by_role[slot(role)].is_none()
                && let Some(id) = loader.first_loadable(discover::ranked(role, &book))
            {
                by_role[slot(role)] = Some(id);
                how[slot(role)] = PickedHow::BookFolder;
            }
        }
        // A book that brings a body or heading face is self-contained: its other roles fall back to its
        // own faces, so it builds the same on every machine. Only a book without one borrows system fonts.
        let cjk = [Role::Serif, Role::SerifBold, Role::Sans, Role::SansBold];
        if cjk.iter().all(|&r| by_role[slot(r)].is_none()) {
            let system = discover::scan(system_dirs);
            for role in Role::ALL {
                if by_role[slot(role)].is_none()
                    && let Some(id) = loader.first_loadable(discover::ranked(role, &system))
                {
                    by_role[slot(role)] = Some(id);
                    how[slot(role)] = PickedHow::System;
                }
            }
        }

        if cjk.iter().all(|&r| by_role[slot(r)].is_none()) {
            return Err(FontError::NoCjkFont { role: Role::Serif });
        }
        let set = FontSet {
            faces: loader.faces,
            by_role,
        };
        let picked = Role::ALL
            .iter()
            .map(|&role| {
                let face = set.face(role);
                let how = match set.by_role[slot(role)] {
                    Some(_) => how[slot(role)],
                    None => PickedHow::Fallback(set.first_resolved(role).unwrap_or(Role::Serif)),
                };
                Picked {
                    role,
                    spec: face.spec(),
                    family: face.family().to_string(),
                    how,
                }
            })
            .collect();
        Ok((set, picked))
    }

    /// The first role along `role`'s fallbacks that has a face of its own.
    fn first_resolved(&self, role: Role) -> Option<Role> {
        role.fallbacks()
            .iter()
            .copied()
            .find(|&r| self.by_role[slot(r)].is_some())
    }

    /// The face of `role`, following [`Role::fallbacks`]; always returns a face.
    pub fn face(&self, role: Role) -> &Face {
        self.get(self.face_id(role))
    }

    /// Each distinct face once, in a stable order: configured faces first, then discovered ones,
    /// each in [`Role::ALL`] order.
    pub fn faces(&self) -> impl Iterator<Item = (FaceId, &Face)> {
        (0u16..).zip(&self.faces).map(|(i, f)| (FaceId(i), f))
    }

    /// The id of `role`'s face, following [`Role::fallbacks`].
    pub fn face_id(&self, role: Role) -> FaceId {
        self.first_resolved(role)
            .and_then(|r| self.by_role[slot(r)])
            .unwrap_or(FaceId(0))
    }

    /// The face with this id. Ids come from this set; a foreign id out of range gives the
    /// first face rather than a panic.
    pub fn get(&self, id: FaceId) -> &Face {
        let i = usize::from(id.0);
        &self.faces[if i < self.faces.len() { i } else { 0 }]
    }

    /// Which face draws `c` in `role`: the role's face if it covers `c`, else the first face
    /// along its fallbacks that does, else `None` (tofu: report the code point).
    pub fn face_for_char(&self, role: Role, c: char) -> Option<FaceId> {
        role.fallbacks()
            .iter()
            .filter_map(|&r| self.by_role[slot(r)])
            .find(|&id| self.get(id).covers(c))
    }
}

/// Loads faces once per file+index, reading each file once.
#[derive(Default)]
struct Loader {
    faces: Vec<Face>,
    ids: HashMap<(PathBuf, u32), FaceId>,
    files: HashMap<PathBuf, Arc<Vec<u8>>>,
}

impl Loader {
    fn load(&mut self, spec: &FontSpec) -> Result<FaceId, FontError> {
        let key_path = std::fs::canonicalize(&spec.path).unwrap_or_else(|_| spec.path.clone());
        if let Some(&id) = self.ids.get(&(key_path.clone(), spec.index)) {
            return Ok(id);
        }
        let bytes = match self.files.get(&key_path) {
            Some(bytes) => Arc::clone(bytes),
            None => Arc::new(read_font_file(&spec.path)?),
        };
        let face = Face::from_shared(spec, Arc::clone(&bytes))?;
        self.files.insert(key_path.clone(), bytes);
        let id = FaceId(u16::try_from(self.faces.len()).unwrap_or(u16::MAX));
        self.faces.push(face);
        self.ids.insert((key_path, spec.index), id);
        Ok(id)
    }

    /// Loads the first candidate that loads; candidates whose file turns out unusable are
    /// skipped silently (the scan only read their names).
    fn first_loadable(&mut self, candidates: Vec<&Candidate>) -> Option<FaceId> {
        candidates.into_iter().find_map(|c| self.load(&c.spec).ok())
    }
}
