//! fonts: placeholder types until the font module lands (roles and specs only).

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Serif,
    SerifBold,
    Sans,
    SansBold,
    Kai,
    Mono,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FontSpec {
    pub path: std::path::PathBuf,
    pub index: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FaceId(pub u16);
