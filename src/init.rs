//! init: `folio init DIR` writes a small book that builds at once.
//!
//! Input: a folder (created if missing). Output: book.toml, two sample chapters, references.bib and the
//! default templates. An existing file is never overwritten: the command fails before writing anything.

use std::path::{Path, PathBuf};

const BOOK_TOML: &str = r#"[book]
title = "我的第一本书"
authors = ["作者"]
language = "zh-CN"

[content]
bibliography = ["references.bib"]

# [fonts]
# serif = "fonts/NotoSerifCJKsc-Regular.otf"
# kai = { path = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", index = 0 }

# [pdf]
# paper = "a5"
"#;

const CHAPTER_1: &str = r#"---
title: 第一章　开始
---

这是第一段。folio 会在中文与 English 或数字 2024 之间自动加上合适的间距，
源文件里的换行也不会变成多余的空格。

## 引用与脚注

引用文献时直接写在中文后面[@knuth1984texbook]，脚注也一样[^1]。

[^1]: 脚注的编号在每章重新开始。
"#;

const CHAPTER_2: &str = r#"---
title: 第二章　继续
---

*强调*用楷体，**着重**用黑体。列表：

1. 第一项
2. 第二项
   - 嵌套的项

> 引文用楷体排印。

见[第一章](01-start.md)。
"#;

const REFERENCES: &str = r#"@book{knuth1984texbook,
  author    = {Knuth, Donald E.},
  title     = {The {TeX}book},
  publisher = {Addison-Wesley},
  address   = {Reading, MA},
  year      = {1984}
}
"#;

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{} already exists; folio init never overwrites files", .0.display())]
    Exists(PathBuf),
    #[error("cannot create {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The files of a new book, relative to its folder.
fn skeleton() -> Vec<(&'static str, &'static str)> {
    vec![
        ("book.toml", BOOK_TOML),
        ("content/01-start.md", CHAPTER_1),
        ("content/02-more.md", CHAPTER_2),
        ("references.bib", REFERENCES),
        ("templates/epub.css", crate::epub::DEFAULT_CSS),
    ]
}

/// Create the book; returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    let files = skeleton();
    for (rel, _) in &files {
        let p = dir.join(rel);
        if p.exists() {
            return Err(InitError::Exists(p));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let p = dir.join(rel);
        crate::files::write_atomic(&p, text.as_bytes()).map_err(|e| InitError::Io {
            path: p.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        written.push(p);
    }
    Ok(written)
}
