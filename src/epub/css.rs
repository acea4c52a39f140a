//! The stylesheet: folio's default `templates/epub.css` (compiled in), or the book's own
//! `templates/epub.css` when it has one, after the generated `@font-face` rules.

use std::path::Path;

/// folio's default stylesheet (typography.md §8).
pub const DEFAULT_CSS: &str = include_str!("../../templates/epub.css");

/// The stylesheet text: `font_faces` first, then the book's CSS or the default.
pub fn stylesheet(root: &Path, font_faces: &str) -> Result<String, crate::files::FileError> {
    let own = root.join("templates/epub.css");
    let body = if crate::files::exists(&own) {
        crate::files::read_text(&own)?
    } else {
        DEFAULT_CSS.to_string()
    };
    Ok(format!(
        "@charset \"UTF-8\";\n{font_faces}\n{}",
        body.trim_start_matches("@charset \"UTF-8\";").trim_start()
    ))
}
