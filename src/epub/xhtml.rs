//! The XHTML element tree and its one serializer.
//!
//! Every XHTML, nav, NCX and OPF byte the EPUB writer produces goes through [`Node::write`], so
//! escaping happens in exactly one place ([`escape_into`]): `&`, `<`, `>` and (in attributes) `"`
//! are escaped, and characters XML 1.0 forbids (C0 controls other than tab/LF/CR, C1 controls,
//! U+FFFE/U+FFFF) are dropped.

/// A node of the tree: an element or a text run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Element(Element),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub name: &'static str,
    /// In the order written.
    pub attrs: Vec<(&'static str, String)>,
    pub children: Vec<Node>,
}

/// Start an element: `el("p").attr("class", "x").child(text("…"))`.
pub fn el(name: &'static str) -> Element {
    Element {
        name,
        attrs: Vec::new(),
        children: Vec::new(),
    }
}

pub fn text(s: impl Into<String>) -> Node {
    Node::Text(s.into())
}

impl Element {
    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.attrs.push((name, value.into()));
        self
    }

    pub fn child(mut self, node: impl Into<Node>) -> Self {
        self.children.push(node.into());
        self
    }

    pub fn children(mut self, nodes: impl IntoIterator<Item = Node>) -> Self {
        self.children.extend(nodes);
        self
    }

    pub fn text(self, s: impl Into<String>) -> Self {
        self.child(text(s))
    }

    pub fn push(&mut self, node: impl Into<Node>) {
        self.children.push(node.into());
    }
}

impl From<Element> for Node {
    fn from(e: Element) -> Node {
        Node::Element(e)
    }
}

/// Elements written as `<x/>`; every other element gets an explicit end tag even when empty.
const VOID: &[&str] = &[
    "br", "hr", "img", "meta", "link", "input", "wbr", "col", "rootfile", "item", "itemref",
    "content", "option",
];

/// Elements followed by a newline in the output (for readable files). Only elements whose
/// neighbours are blocks, so the newline never becomes a space inside text.
const BREAK_AFTER: &[&str] = &[
    "html",
    "head",
    "body",
    "title",
    "meta",
    "link",
    "section",
    "nav",
    "aside",
    "div",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ol",
    "ul",
    "li",
    "blockquote",
    "figure",
    "figcaption",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "hr",
    "header",
    "package",
    "metadata",
    "manifest",
    "spine",
    "item",
    "itemref",
    "navMap",
    "navPoint",
    "docTitle",
    "head",
    "ncx",
    "container",
    "rootfiles",
    "rootfile",
    "display_options",
    "platform",
    "option",
    "dc:identifier",
    "dc:title",
    "dc:language",
    "dc:creator",
    "dc:publisher",
    "dc:description",
    "dc:subject",
    "dc:rights",
    "dc:date",
    "guide",
];

impl Node {
    /// Serialize this node (and its subtree) into `out`.
    pub fn write(&self, out: &mut String) {
        match self {
            Node::Text(t) => escape_into(t, false, out),
            Node::Element(e) => {
                out.push('<');
                out.push_str(e.name);
                for (k, v) in &e.attrs {
                    out.push(' ');
                    out.push_str(k);
                    out.push_str("=\"");
                    escape_into(v, true, out);
                    out.push('"');
                }
                if e.children.is_empty() && VOID.contains(&e.name) {
                    out.push_str("/>");
                } else {
                    out.push('>');
                    for c in &e.children {
                        c.write(out);
                    }
                    out.push_str("</");
                    out.push_str(e.name);
                    out.push('>');
                }
                if BREAK_AFTER.contains(&e.name) {
                    out.push('\n');
                }
            }
        }
    }
}

/// A whole XML document: the declaration, an optional doctype, the root element.
pub fn document(root: Element, doctype: Option<&str>) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if let Some(d) = doctype {
        out.push_str(d);
        out.push('\n');
    }
    Node::Element(root).write(&mut out);
    out
}

/// True for characters an XML 1.0 document may contain (and that are not discouraged C1 controls).
pub fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
        || (c >= ' ' && !('\u{7f}'..='\u{9f}').contains(&c) && c != '\u{fffe}' && c != '\u{ffff}')
}

/// The one escaping function: text content (`attr = false`) or a double-quoted attribute value.
pub fn escape_into(s: &str, attr: bool, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            // A literal newline or tab in an attribute value would be normalised to a space.
            '\n' if attr => out.push_str("&#10;"),
            '\t' if attr => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c if xml_allowed(c) => out.push(c),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ser(n: impl Into<Node>) -> String {
        let mut s = String::new();
        n.into().write(&mut s);
        s
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(ser(text("a<b & c>d \"q\"")), "a&lt;b &amp; c&gt;d \"q\"");
    }

    #[test]
    fn attributes_are_quoted_and_escaped() {
        let e = el("a")
            .attr("href", "x.xhtml?a=1&b=\"2\"")
            .attr("title", "<t>\nline")
            .text("k");
        assert_eq!(
            ser(e),
            "<a href=\"x.xhtml?a=1&amp;b=&quot;2&quot;\" title=\"&lt;t&gt;&#10;line\">k</a>"
        );
    }

    #[test]
    fn forbidden_characters_are_dropped() {
        assert_eq!(
            ser(text(
                "a\u{0}b\u{1}c\u{8}d\u{b}\u{c}e\u{85}f\u{fffe}g\u{ffff}"
            )),
            "abcdefg"
        );
        assert_eq!(ser(text("tab\tnl\n中文𠀀")), "tab\tnl\n中文𠀀");
        assert_eq!(ser(el("p").attr("x", "\u{1b}[31m")), "<p x=\"[31m\"></p>\n");
    }

    #[test]
    fn void_and_empty_elements() {
        assert_eq!(ser(el("br")), "<br/>");
        assert_eq!(
            ser(el("img").attr("src", "a.png").attr("alt", "")),
            "<img src=\"a.png\" alt=\"\"/>"
        );
        assert_eq!(ser(el("a").attr("id", "x")), "<a id=\"x\"></a>");
        assert_eq!(
            ser(el("p").child(el("em").text("中")).text("文")),
            "<p><em>中</em>文</p>\n"
        );
    }

    #[test]
    fn document_has_declaration_and_doctype() {
        let d = document(el("html"), Some("<!DOCTYPE html>"));
        assert_eq!(
            d,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html></html>\n"
        );
    }
}
