//! Citation marks for numeric styles: `[1]`, `[1, 3-5]`, `[3]12`, narrative prefixes (`Grill 等`), and
//! "did you mean" for unknown keys.

use super::MarkPart;
use super::style::is_han;
use hayagriva::Entry;
use hayagriva::types::Person;

/// One item of a numeric citation: its number and locator, or an unknown key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NumItem {
    Known { n: usize, locator: Option<String> },
    Unknown(String),
}

/// The parts of a numeric citation mark: each number links to its work (`target(n)`), the brackets,
/// dashes, commas, locators and unknown keys are plain text.
///
/// Numbers are sorted and runs collapse to `a-b`: runs of two or more under GB/T 7714 (§10.1.2:
/// "[255-256]"), runs of three or more otherwise (CSL's `collapse="citation-number"`: `[1, 2]`, `[1-3]`).
/// With locators each item stands alone: GB/T 7714 puts the page after the bracket (`[3]12`), other
/// styles inside it (`[3, p. 12]`). Unknown keys come last as `?key`.
pub(crate) fn numeric_mark(
    items: &[NumItem],
    gb: bool,
    target: impl Fn(usize) -> String,
) -> Vec<MarkPart> {
    let mut nums: Vec<usize> = Vec::new();
    let mut located: Vec<(usize, &str)> = Vec::new();
    let mut unknown: Vec<&str> = Vec::new();
    for it in items {
        match it {
            NumItem::Known { n, locator: None } => nums.push(*n),
            NumItem::Known {
                n,
                locator: Some(l),
            } => located.push((*n, l.as_str())),
            NumItem::Unknown(k) => unknown.push(k),
        }
    }
    nums.sort_unstable();
    nums.dedup();
    let mut group: Vec<Elem> = collapse(&nums, if gb { 2 } else { 3 })
        .into_iter()
        .map(|(a, b)| Elem::Run(a, b))
        .collect();
    let mut out = Parts::default();
    if !located.is_empty() && gb {
        // `[1, 2][3]12`: the plain numbers first, then each located item with its page outside.
        if !group.is_empty() || !unknown.is_empty() {
            group.extend(unknown.iter().map(|k| Elem::Unknown(k)));
            out.bracket(&group, &target);
        }
        for (n, l) in located {
            out.bracket(&[Elem::Run(n, n)], &target);
            out.text(strip_page_prefix(l));
        }
        return out.0;
    }
    group.extend(located.iter().map(|&(n, l)| Elem::Located(n, l)));
    group.extend(unknown.iter().map(|k| Elem::Unknown(k)));
    out.bracket(&group, &target);
    out.0
}

/// One item inside a mark's brackets.
enum Elem<'a> {
    /// `n` (a == b) or `a-b`.
    Run(usize, usize),
    /// `n, p. 12`.
    Located(usize, &'a str),
    /// `?key`.
    Unknown(&'a str),
}

/// Mark parts under construction: adjacent plain text merges into one part.
#[derive(Default)]
struct Parts(Vec<MarkPart>);

impl Parts {
    fn text(&mut self, s: &str) {
        match self.0.last_mut() {
            Some(MarkPart { text, target: None }) => text.push_str(s),
            _ => self.0.push(MarkPart {
                text: s.to_string(),
                target: None,
            }),
        }
    }

    fn number(&mut self, n: usize, target: &impl Fn(usize) -> String) {
        self.0.push(MarkPart {
            text: n.to_string(),
            target: Some(target(n)),
        });
    }

    /// `[a, b-c, d, p. 12, ?key]`.
    fn bracket(&mut self, items: &[Elem], target: &impl Fn(usize) -> String) {
        self.text("[");
        for (i, e) in items.iter().enumerate() {
            if i > 0 {
                self.text(", ");
            }
            match *e {
                Elem::Run(a, b) => {
                    self.number(a, target);
                    if b != a {
                        self.text("-");
                        self.number(b, target);
                    }
                }
                Elem::Located(n, l) => {
                    self.number(n, target);
                    self.text(&format!(", {l}"));
                }
                Elem::Unknown(k) => self.text(&format!("?{k}")),
            }
        }
        self.text("]");
    }
}

/// GB/T 7714 writes only the page numbers after the mark: `p. 12` → `12`.
fn strip_page_prefix(l: &str) -> &str {
    let l = l.trim();
    for p in ["pp.", "p.", "第"] {
        if let Some(rest) = l.strip_prefix(p) {
            return rest.trim_start().trim_end_matches('页').trim_end();
        }
    }
    l
}

/// Sorted, deduplicated numbers → runs `(first, last)`; runs shorter than `min_run` are split into
/// single numbers `(n, n)`.
pub(crate) fn collapse(nums: &[usize], min_run: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < nums.len() {
        let mut j = i;
        while j + 1 < nums.len() && nums[j + 1] == nums[j] + 1 {
            j += 1;
        }
        if j + 1 - i >= min_run.max(2) {
            out.push((nums[i], nums[j]));
        } else {
            out.extend(nums[i..=j].iter().map(|&n| (n, n)));
        }
        i = j + 1;
    }
    out
}

/// The words before a narrative mark: `Grill 等` (Chinese connectors) or `Grill et al.` (English), from the
/// authors (else editors, else the title). Chinese names are written whole (`周志华等`).
pub(crate) fn narrative_prefix(entry: &Entry, chinese: bool) -> String {
    let people: Vec<String> = entry
        .authors()
        .filter(|a| !a.is_empty())
        .or_else(|| entry.editors().filter(|a| !a.is_empty()))
        .map(|ps| ps.iter().map(short_name).collect())
        .unwrap_or_default();
    if people.is_empty() {
        return entry
            .title()
            .map(|t| t.value.to_string())
            .unwrap_or_default();
    }
    match (people.len(), chinese) {
        (1, _) => people[0].clone(),
        (2, true) => space_join(&space_join(&people[0], "和"), &people[1]),
        (2, false) => format!("{} and {}", people[0], people[1]),
        (_, true) => space_join(&people[0], "等"),
        (_, false) => format!("{} et al.", people[0]),
    }
}

/// A family name (`Grill`, `van der Berg`), or a whole Chinese name (`周志华`).
fn short_name(p: &Person) -> String {
    if p.name.chars().any(is_han) {
        format!("{}{}", p.name, p.given_name.as_deref().unwrap_or(""))
    } else {
        match &p.prefix {
            Some(pre) if !pre.is_empty() => format!("{pre} {}", p.name),
            _ => p.name.clone(),
        }
    }
}

/// Join with a space only at a Han↔Latin boundary (typography.md §4).
fn space_join(a: &str, b: &str) -> String {
    let end_han = a.chars().last().is_some_and(is_han);
    let start_han = b.chars().next().is_some_and(is_han);
    if end_han == start_han || a.is_empty() || b.is_empty() {
        format!("{a}{b}")
    } else {
        format!("{a} {b}")
    }
}

/// The closest known key, when it is close enough to be a likely typo.
pub(crate) fn suggest<'a>(key: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (key.chars().count() / 3).clamp(1, 3);
    known
        .map(|k| (edit_distance(&key.to_lowercase(), &k.to_lowercase()), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters, with adjacent transpositions counting 1 (`kye` → `key`).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}
