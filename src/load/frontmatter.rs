//! YAML front matter of a chapter: `---` … `---` at the top of the file.

use crate::diag::{Diagnostic, FileId, Span};
use crate::doc::Matter;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    #[serde(default)]
    pub authors: Authors,
    pub venue: Option<String>,
    pub url: Option<String>,
    pub cite: Option<String>,
    #[serde(default)]
    pub matter: Matter,
}

/// `authors: [A, B]` or `authors: A`.
#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
pub enum Authors {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl Authors {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            Authors::None => Vec::new(),
            Authors::One(a) => vec![a],
            Authors::Many(v) => v,
        }
    }
}

pub struct Split<'a> {
    pub front: FrontMatter,
    /// Byte offset of the YAML text in the file (for the `cite:` span).
    pub yaml_at: usize,
    pub yaml: &'a str,
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_at: usize,
}

/// Split a chapter into front matter and body. Broken YAML is an error pointing into it.
pub fn split(text: &str, file: FileId) -> Result<Split<'_>, Diagnostic> {
    let Some(rest) = text.strip_prefix("---\n") else {
        return Ok(Split {
            front: FrontMatter::default(),
            yaml_at: 0,
            yaml: "",
            body: text,
            body_at: 0,
        });
    };
    let end = if rest.starts_with("---\n") || rest == "---" {
        Some(0)
    } else {
        rest.find("\n---\n")
            .map(|i| i + 1)
            .or_else(|| rest.ends_with("\n---").then(|| rest.len() - 3))
    };
    let Some(end) = end else {
        return Err(Diagnostic::error(
            "front matter starts with `---` but has no closing `---` line",
        )
        .at(Span::new(file, 0..3))
        .hint("close the YAML block with a line of three dashes"));
    };
    let yaml = &rest[..end];
    let body_at = (4 + end + 4).min(text.len());
    let front: FrontMatter = if yaml.trim().is_empty() {
        FrontMatter::default()
    } else {
        serde_norway::from_str(yaml).map_err(|e| {
            let at = e.location().map_or(0, |l| l.index());
            let msg = e.to_string();
            // serde_norway appends " at line X column Y"; the span says that already.
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            let mut d = Diagnostic::error(format!("front matter: {msg}"))
                .at(Span::new(file, 4 + at..4 + at + 1));
            if msg.contains("unknown field") {
                d = d.hint("front matter keys: title, subtitle, authors, venue, url, cite, matter");
            }
            d
        })?
    };
    Ok(Split {
        front,
        yaml_at: 4,
        yaml,
        body: &text[body_at..],
        body_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_parses() {
        let t = "---\ntitle: \"A: B\"\nauthors: [X, Y]\nmatter: front\n---\n正文\n";
        let s = split(t, FileId(0)).unwrap();
        assert_eq!(s.front.title.as_deref(), Some("A: B"));
        assert_eq!(s.front.authors.into_vec(), ["X", "Y"]);
        assert_eq!(s.front.matter, Matter::Front);
        assert_eq!(s.body, "正文\n");
        assert_eq!(&t[s.body_at..], "正文\n");
    }

    #[test]
    fn no_front_matter() {
        let s = split("# 标题\n", FileId(0)).unwrap();
        assert!(s.front.title.is_none());
        assert_eq!(s.body_at, 0);
    }

    #[test]
    fn errors_point_into_the_yaml() {
        let t = "---\ntitle: x\ntitel: y\n---\n";
        let d = split(t, FileId(0)).err().unwrap();
        assert!(d.message.contains("unknown field `titel`"), "{}", d.message);
        assert_eq!(d.span.unwrap().range.start, t.find("titel").unwrap());
        assert!(split("---\ntitle: x\n", FileId(0)).is_err());
    }
}
