"""Minutes saved from a web page, reduced to text blocks with a real HTML parser.

Publishing systems (FirstAgenda, Acadre, SBSYS, Drupal/OS2 sites, Københavns one page per
item) wrap the minutes in navigation, cookie banners, share buttons and "Til toppen" links. Those
go; what is left becomes one line per block element (headings, paragraphs, list items, table
rows with cells separated by tabs), with blank lines between blocks, as the text parser expects.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from .noise import BOILERPLATE
from .sniff import decode_text

DROP_TAGS = [
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "noscript",
    "form",
    "button",
    "svg",
    "iframe",
    "template",
    "select",
    "input",
    "aside",
    "dialog",
    "object",
    "embed",
]
# Class or id fragments of page chrome, not content.
CHROME = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|breadcrumbs?|cookie\w*|consent|share|sharing|"
    r"social|skip|footer|header|sidebar|toolbar|print|pagination|pager|search|banner|"
    r"back-to-top|to-top|totop|sr-only|visually-hidden)(?:$|[-_\s])",
    re.IGNORECASE,
)
BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "tr",
    "table",
    "ul",
    "ol",
    "dl",
    "blockquote",
    "pre",
    "address",
    "figure",
    "figcaption",
    "details",
    "summary",
    "hr",
    "br",
    "caption",
    "thead",
    "tbody",
    "tfoot",
}


def html_to_text(data: bytes) -> str:
    soup = BeautifulSoup(_decode(data), "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup(DROP_TAGS):
        tag.decompose()
    for tag in list(soup.find_all(True)):
        if getattr(tag, "decomposed", False):
            continue
        if _is_chrome(tag):
            tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    if root is not soup and len(root.get_text(strip=True)) < 200 and soup.body is not None:
        root = soup.body  # a <main> that holds only a teaser: take the whole body
    blocks: list[str] = []
    _walk(root, blocks, [])
    lines: list[str] = []
    for block in blocks:
        text = block.strip()
        if not text:
            if lines and lines[-1] != "":
                lines.append("")
            continue
        if text.lower().rstrip(" :»›>") in BOILERPLATE:
            continue
        lines.append(text)
    return "\n".join(lines).strip() + "\n"


def _decode(data: bytes) -> str:
    head = data[:2048].lower()
    match = re.search(rb"charset=[\"']?([a-z0-9_-]+)", head)
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"), errors="replace").lstrip("\ufeff")
        except LookupError:
            pass
    return decode_text(data)


def _is_chrome(tag: Tag) -> bool:
    if not isinstance(tag, Tag) or tag.attrs is None:
        return False
    if tag.name in {"body", "html", "main", "article"}:
        return False
    if tag.get("aria-hidden") == "true" or tag.get("hidden") is not None:
        return True
    if tag.get("role") in {"navigation", "banner", "contentinfo", "search"}:
        return True
    classes = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
    return bool(classes.strip()) and bool(CHROME.search(classes))


def _walk(node: Tag, blocks: list[str], current: list[str]) -> None:
    """Flatten the tree into blocks: inline text joins, block elements break lines."""
    if not blocks:
        blocks.append("")
    for child in node.children:
        if isinstance(child, NavigableString):
            text = re.sub(r"\s+", " ", str(child))
            if text.strip():
                blocks[-1] = (blocks[-1] + text) if blocks[-1].strip() else text.lstrip()
            elif blocks[-1] and not blocks[-1].endswith(" "):
                blocks[-1] += " "
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            blocks.append("")
            continue
        if name in {"td", "th"}:
            _walk(child, blocks, current)
            blocks[-1] = blocks[-1].rstrip() + "\t"
            continue
        if name in BLOCK_TAGS:
            if name in {"tr"}:
                blocks.append("")
                _walk(child, blocks, current)
                blocks[-1] = blocks[-1].rstrip("\t ")
                blocks.append("")
                continue
            if name in {"h1", "h2", "h3", "h4", "h5", "h6", "p", "table", "section", "article"}:
                blocks.append("")  # paragraph break: becomes a blank line
                blocks.append("")
            else:
                blocks.append("")
            _walk(child, blocks, current)
            blocks.append("")
            if name in {"h1", "h2", "h3", "h4", "h5", "h6", "p", "table", "section", "article"}:
                blocks.append("")
            continue
        _walk(child, blocks, current)
