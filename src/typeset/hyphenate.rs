//! typeset::hyphenate — hyphenation points of Latin words (the one door to `hypher`).
//!
//! Stage: used by `paragraph` while it turns shaped text into line-breaking atoms. Input: one
//! word. Output: the byte offsets inside it where a hyphen may be added at a line end.
//!
//! typography.md §1.5: hyphenating English inside Chinese text should not be routine (names and
//! identifiers get mis-hyphenated), and if it is done, with English patterns, words of at least
//! seven letters and three letters on each side. The breaker makes these points a last resort
//! (`linebreak::breaks::HYPHENATION_PENALTY`); this module decides which words may have them at
//! all: plain lower-case or capitalised words. Acronyms (`ICLR`), camel-case identifiers
//! (`AlphaZero`) and anything with digits or marks inside are left whole.

use hypher::Lang;

/// Shortest word that may be hyphenated, in letters.
const MIN_WORD: usize = 7;
/// Letters kept on each side of a hyphen.
const MIN_SIDE: usize = 3;
/// Longer runs of letters are not words (hashes, generated identifiers): the emergency rule of
/// §1.5 cuts them where needed. (The longest English dictionary word has 45 letters.)
const MAX_WORD: usize = 48;

/// Byte offsets inside `word` where it may be hyphenated, in increasing order.
pub fn points(word: &str) -> Vec<usize> {
    if !eligible(word) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut at = 0;
    let syllables: Vec<&str> =
        hypher::hyphenate_bounded(word, Lang::English, MIN_SIDE, MIN_SIDE).collect();
    for s in syllables.iter().take(syllables.len().saturating_sub(1)) {
        at += s.len();
        out.push(at);
    }
    out
}

/// A word of ASCII letters, of dictionary length, either all lower-case or capitalised.
fn eligible(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_lowercase())
        && (MIN_WORD..=MAX_WORD).contains(&word.len())
}

#[cfg(test)]
mod tests {
    use super::points;

    fn show(word: &str) -> String {
        let mut out = String::new();
        let pts = points(word);
        for (i, c) in word.char_indices() {
            if pts.contains(&i) {
                out.push('-');
            }
            out.push(c);
        }
        out
    }

    #[test]
    fn english_words_with_three_letters_each_side() {
        assert_eq!(show("International"), "Inter-na-tional");
        assert_eq!(show("representations"), "rep-re-sen-ta-tions");
        assert_eq!(show("extensive"), "exten-sive");
    }

    #[test]
    fn short_words_acronyms_identifiers_and_hashes_stay_whole() {
        let hash = "deadbeefcafebabe".repeat(4);
        for w in [
            &hash,
            "ICLR",
            "Atari",
            "AlphaZero",
            "REPRESENTATION",
            "GPT3xyzabc",
            "naïveté",
            "word-level",
            "",
        ] {
            assert_eq!(points(w), Vec::<usize>::new(), "{w}");
        }
    }
}
