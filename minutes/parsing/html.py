"""Web pages: the DOM helpers the HTML readers share, and a page reduced to text blocks.

Publishing systems (FirstAgenda, Acadre, SBSYS, Drupal/OS2 sites, Københavns one page per
item) wrap the minutes in navigation, cookie banners, share buttons and "Til toppen" links. Those
go by the DOM (`strip_chrome`): landmarks outside the content, elements whose role, class or id
names them chrome, dialogs, small forms, UI links and blocks that hold nothing but site links.
The content is the page's `main`/`article`, or else the block that holds the page's text
(`content_root`). `html_to_text` makes one line per block element (headings, paragraphs, list
items, table rows with cells separated by tabs), with blank lines between blocks, as the text
parser expects; `blocks` gives the family readers the same blocks with their tag, heading level
and links, so they can read a page by its structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from minutes.data.municipalities import by_name

from .bodies import authority_in_name
from .conventions import find_date
from .model import ParseError
from .municipality import authority_of_domain, recognise_municipality
from .noise import BOILERPLATE, split_lines
from .sniff import decode_text


def _words(text: str, sep: str = " ") -> frozenset[str]:
    return frozenset(word.strip() for word in text.split(sep) if word.strip())


# Never content, wherever they stand.
NEVER_CONTENT = list(
    _words("script style noscript svg iframe template object embed select input textarea dialog")
)
# Landmarks of the site; read by the readers that need the page header (breadcrumbs), then gone.
SITE_TAGS = ["nav", "aside"]
# Class or id fragments of page chrome, wherever it stands.
CHROME = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|breadcrumbs?|cookie\w*|consent|share|sharing|"
    r"social|skip|toolbar|print|pagination|pager|search|back-to-top|to-top|totop|tilbage|"
    r"sr-only|visually-hidden|modal|popup|dropdown-menu|cookiebot\w*)(?:$|[-_\s])",
    re.IGNORECASE,
)
# Class or id fragments of the site's frame: chrome outside the content, but inside an article
# a "header" holds the article's own title, so there they stay when they hold a heading.
FRAME = re.compile(
    r"(?:^|[-_\s])(?:header|footer|sidebar|banner|masthead|topbar)(?:$|[-_\s])", re.IGNORECASE
)
# Consent banners are named by their vendor, glued into longer ids ("CybotCookiebotDialog").
CONSENT = re.compile(r"cookie|consent|cybot|gdpr|skip-?link", re.IGNORECASE)
CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "dialog", "alertdialog", "menu"}
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
# UI texts of publishing systems besides the shared boilerplate lines.
UI_TEXTS = BOILERPLATE | _words(
    "tilbage til forsiden|tilbage til oversigten|tilbage til dagsordenen|hent hele dagsordenen"
    "|hent hele referatet|åben som pdf|åbn som pdf|tip en ven|send link|kopiér link til punktet"
    "|abonnér på dagsordener og referater|del siden|pdf",
    "|",
)
# A link to a document (an attachment), not to another page of the site.
DOCUMENT_LINK = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|rtf|zip|msg)(?:$|[?#])"
    r"|/(?:bilag|vis/pdf|pdf|download|downloads|files?|getfile|media|dokument\w*|attachments?)/",
    re.IGNORECASE,
)
# Link text that names an agenda item ("3. Budget", "Punkt 3: Budget"): a list of such links is
# the meeting's item list, not site navigation.
ITEM_LINK = re.compile(r"^\s*(?:punkt|pkt\.?)?\s*\d{1,3}\s*[.:)]?\s+\S", re.IGNORECASE)
# A list after such a heading is content even when it is all links: the item's attachments,
# the members present (each a link to the member's page).
KEPT_LIST_HEADING = re.compile(
    r"^\s*(?:bilag|bilagsliste|vedhæftede? (?:filer|bilag)|(?:møde)?deltagere|fremmødte"
    r"|til ?stede|fravær|afbud|medlemmer)",
    re.IGNORECASE,
)
# Only punctuation: the placeholder a publishing system prints where a block has no text.
EMPTY_BLOCK = re.compile(r"^[\s.\-–_•·]*$")
BLOCK_TAGS = _words(
    "p div section article main header footer h1 h2 h3 h4 h5 h6 li dt dd tr table ul ol dl"
    " blockquote pre address figure figcaption details summary hr br caption thead tbody tfoot"
)
_PARAGRAPH_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "table", "section", "article"}


# --- Parsing and chrome ----------------------------------------------------------------------


# Real pages nest a few dozen elements deep (the development set's at most 14). Reading a page
# walks its tree once per block, so a hostile page of thousands of nested elements would cost
# minutes of CPU (8,000 nested divs: 90 s); it is refused at once instead.
MAX_DEPTH = 256


def parse_html(data: bytes) -> BeautifulSoup:
    """The page's DOM without comments and the elements that are never content."""
    soup = BeautifulSoup(_decode(data), "html.parser")
    depth = _depth(soup)
    if depth > MAX_DEPTH:
        raise ParseError(
            f"Websiden har elementer indlejret i {depth:,} niveauer (højst {MAX_DEPTH}); ".replace(
                ",", "."
            )
            + "så dybt indlejrer ingen referatside, og siden læses ikke"
        )
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup(NEVER_CONTENT):
        tag.decompose()
    return soup


def _depth(soup: BeautifulSoup) -> int:
    """How deep the page's elements nest (without recursion: the tree may be very deep)."""
    deepest = 0
    stack: list[tuple[Tag, int]] = [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.contents if isinstance(child, Tag))
    return deepest


def clean(text: str) -> str:
    """Text with every run of whitespace (non-breaking spaces too) as one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def is_ui_text(text: str) -> bool:
    return clean(text).lower().rstrip(" :»›>") in UI_TEXTS


def strip_chrome(soup: BeautifulSoup | Tag) -> None:
    """Drop the site around the content by the DOM, before the page is read."""
    for tag in soup(SITE_TAGS):
        tag.decompose()
    for tag in list(soup.find_all(True)):
        if getattr(tag, "decomposed", False) or tag.attrs is None:
            continue
        if _is_chrome(tag):
            tag.decompose()
    for tag in list(soup.find_all("button")):
        # Accordion toggles wrap the item heading in a button (FirstAgenda): keep what they hold.
        if tag.find(HEADINGS):
            tag.unwrap()
        else:
            tag.decompose()
    for tag in list(soup.find_all("form")):
        # ASP.NET pages wrap the whole page in one form; a search or subscribe form is small.
        if not tag.find(HEADINGS) and len(tag.get_text(" ", strip=True)) < 300:
            tag.decompose()
    for tag in list(soup.find_all("a")):
        if not getattr(tag, "decomposed", False) and is_ui_text(tag.get_text()):
            tag.decompose()


def _in_content(tag: Tag) -> bool:
    return (
        tag.find_parent(["main", "article"]) is not None
        or tag.find_parent(attrs={"role": "main"}) is not None
    )


def _is_chrome(tag: Tag) -> bool:
    if tag.name in {"body", "html", "main", "article"}:
        return False
    if tag.get("aria-hidden") == "true" or tag.get("hidden") is not None:
        # A collapsed accordion panel of a saved page is hidden but is content, with paragraphs
        # and headings; a hidden widget (a tooltip, an empty info row, an icon) has none.
        return tag.find(["p", "table", *HEADINGS]) is None
    style = str(tag.get("style") or "").replace(" ", "").lower()
    if "display:none" in style and len(tag.get_text(" ", strip=True)) < 200:
        return True
    if tag.get("role") in CHROME_ROLES or tag.get("aria-modal") == "true":
        return True
    names = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
    if names.strip() and (CHROME.search(names) or CONSENT.search(names)):
        return True
    if tag.name in {"header", "footer"} or (names.strip() and FRAME.search(names)):
        # The site's frame is chrome; an article's own header with its title is not.
        return not (_in_content(tag) and tag.find(HEADINGS) is not None)
    return False


def content_root(soup: BeautifulSoup) -> Tag:
    """The element that holds the meeting: `main`, one `article`, or the page's text block."""
    body = soup.body or soup
    mains = soup.find_all("main") + soup.find_all(attrs={"role": "main"})
    if mains:
        best = max(mains, key=_text_length)
        if _text_length(best) >= 200:
            return best
    articles = soup.find_all("article")
    if len(articles) == 1 and _text_length(articles[0]) >= 200:
        return articles[0]
    if len(articles) > 1:
        # One article per item: the meeting is their common parent.
        return _common_parent(articles) or body
    return _text_block(body)


def _text_length(tag: Tag) -> int:
    return len(tag.get_text(" ", strip=True))


def _common_parent(tags: list[Tag]) -> Tag | None:
    first = [tags[0], *tags[0].parents]
    for candidate in first:
        if all(any(p is candidate for p in [t, *t.parents]) for t in tags[1:]):
            return candidate if isinstance(candidate, Tag) else None
    return None


def _text_block(node: Tag) -> Tag:
    """Go down from `node` while one child holds (nearly) all the text and the rest is empty of
    headings and dates (a meeting's header beside its items must stay with them)."""
    while True:
        children = [c for c in node.children if isinstance(c, Tag)]
        total = _text_length(node)
        if not children or total == 0:
            return node
        best = max(children, key=_text_length)
        if _text_length(best) < 0.9 * total or best.name in _NOT_CONTAINERS:
            return node
        rest = [c for c in children if c is not best]
        if any(c.name in HEADINGS or c.find(HEADINGS) for c in rest):
            return node
        if find_date(" ".join(c.get_text(" ", strip=True) for c in rest)):
            return node
        node = best


_NOT_CONTAINERS = {"p", "ul", "ol", "li", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}


def drop_link_blocks(root: Tag) -> None:
    """Drop blocks that are only links to other pages (related links, menus without a class).

    A block may carry one short heading of its own ("Se også"). A list of documents is kept
    (an item's attachments), and so is a list of the meeting's items, each a link to its own
    page, and a list under a heading that names what the list is (`Bilag`, `Deltagere`).
    """
    for tag in list(root.find_all(["ul", "ol", "div", "p", "section", "table", "dl"])):
        if getattr(tag, "decomposed", False) or tag.attrs is None:
            continue
        headings = tag.find_all(HEADINGS)
        if len(headings) > 1 or any(len(clean(h.get_text(" "))) > 40 for h in headings):
            continue
        links = tag.find_all("a")
        if not links:
            continue
        heading = clean(headings[0].get_text(" ")) if headings else ""
        text = (
            clean(tag.get_text(" "))[len(heading) :].strip()
            if heading
            else clean(tag.get_text(" "))
        )
        link_text = sum(len(clean(a.get_text(" "))) for a in links)
        if not text or link_text < 0.9 * len(text):
            continue
        if len(links) < 2 and not is_ui_text(text):
            continue
        if any(DOCUMENT_LINK.search(str(a.get("href") or "")) for a in links):
            continue
        if sum(bool(ITEM_LINK.match(a.get_text(" "))) for a in links) * 2 >= len(links):
            continue
        previous = tag.find_previous_sibling(True)
        named = [heading, clean(previous.get_text(" ")) if previous is not None else ""]
        if any(KEPT_LIST_HEADING.match(n) for n in named if n):
            continue
        tag.decompose()


def _decode(data: bytes) -> str:
    head = data[:2048].lower()
    match = re.search(rb"charset=[\"']?([a-z0-9_-]+)", head)
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"), errors="replace").lstrip("\ufeff")
        except LookupError:
            pass
    return decode_text(data)


# --- The page as text, for the text parser ----------------------------------------------------


def html_to_text(data: bytes) -> str:
    soup = parse_html(data)
    # The publisher, named in the site's frame (title, logo) that goes with the chrome: the
    # text keeps it as its first line when the content does not name an authority itself.
    publisher = find_municipality(soup, None, frame_only=True)
    strip_chrome(soup)
    root = content_root(soup)
    if root is not soup and _text_length(root) < 200 and soup.body is not None:
        root = soup.body  # a <main> that holds only a teaser: take the whole body
    drop_link_blocks(root)
    pieces: list[str] = []
    _walk(root, pieces)
    lines: list[str] = []
    for piece in pieces:
        text = piece.strip()
        if not text:
            if lines and lines[-1] != "":
                lines.append("")
            continue
        if is_ui_text(text):
            continue
        lines.append(text)
    if publisher and not named_authority(lines[:40]):
        lines[:0] = [publisher, ""]
    return "\n".join(lines).strip() + "\n"


def _walk(node: Tag, pieces: list[str]) -> None:
    """Flatten the tree into lines: inline text joins, block elements break lines."""
    if not pieces:
        pieces.append("")
    for child in node.children:
        if isinstance(child, NavigableString):
            text = re.sub(r"\s+", " ", str(child))
            if text.strip():
                pieces[-1] = (pieces[-1] + text) if pieces[-1].strip() else text.lstrip()
            elif pieces[-1] and not pieces[-1].endswith(" "):
                pieces[-1] += " "
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            pieces.append("")
            continue
        if name in {"td", "th"}:
            _walk(child, pieces)
            pieces[-1] = pieces[-1].rstrip() + "\t"
            continue
        if name == "tr":
            pieces.append("")
            _walk(child, pieces)
            pieces[-1] = pieces[-1].rstrip("\t ")
            pieces.append("")
            continue
        if name in BLOCK_TAGS:
            breaks = 2 if name in _PARAGRAPH_TAGS else 1  # two: a blank line, a paragraph break
            pieces.extend([""] * breaks)
            _walk(child, pieces)
            pieces.extend([""] * breaks)
            continue
        _walk(child, pieces)


# --- The page as blocks, for the family readers ----------------------------------------------


@dataclass
class Block:
    """One block of a page: its text, the element it came from and what the readers ask of it."""

    text: str
    tag: str  # the nearest block element: "h3", "p", "li", "td", "div" …
    level: int = 0  # 1–6 for a heading element
    in_list: bool = False
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, href)
    bold: bool = False  # all of its text is bold: a heading in pages that lost their markup

    @property
    def is_heading(self) -> bool:
        return bool(self.level) or (self.bold and len(self.text) <= 80 and self.text[-1] != ".")


@dataclass
class _Builder:
    tag: str
    level: int
    in_list: bool
    parts: list[str] = field(default_factory=list)
    bold_chars: int = 0
    links: list[tuple[str, str]] = field(default_factory=list)


def blocks(node: Tag) -> list[Block]:
    """The blocks of `node` in document order; a `<br>` or a table cell ends a block too."""
    out: list[Block] = []
    builder = _Builder(node.name or "div", 0, False)

    def flush() -> None:
        nonlocal builder
        text = clean("".join(builder.parts))
        if text:
            visible = len(text.replace(" ", ""))
            out.append(
                Block(
                    text,
                    builder.tag,
                    builder.level,
                    builder.in_list,
                    builder.links,
                    bold=builder.bold_chars >= 0.9 * visible,
                )
            )
        builder = _Builder(builder.tag, builder.level, builder.in_list)

    def walk(element: Tag, bold: bool) -> None:
        nonlocal builder
        for child in element.children:
            if isinstance(child, NavigableString):
                text = str(child)
                builder.parts.append(text)
                if bold:
                    builder.bold_chars += len(re.sub(r"\s", "", text))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name == "br":
                flush()
                continue
            if name in BLOCK_TAGS or name in {"td", "th"}:
                flush()
                outer = builder
                level = int(name[1]) if name in HEADINGS else 0
                builder = _Builder(name, level, outer.in_list or name == "li")
                walk(child, bold)
                flush()
                builder = _Builder(outer.tag, outer.level, outer.in_list)
                continue
            if name == "a":
                builder.links.append((clean(child.get_text(" ")), str(child.get("href") or "")))
            walk(child, bold or name in {"strong", "b"})

    walk(node, False)
    flush()
    return out


def attachment_title(block: Block) -> str:
    """An attachment's title: its document link's text (the longest), else the block's."""
    documents = [text for text, href in block.links if text and DOCUMENT_LINK.search(href)]
    return max(documents, key=len) if documents else block.text


# --- The municipality -------------------------------------------------------------------------

# Meta tags that name the site's owner.
OWNER_META = _words("og:site_name author publisher application-name dcterms.publisher")


def named_authority(texts: list[str]) -> str | None:
    """The authority these texts name, by the one definition (`minutes.parsing.municipality`)."""
    return recognise_municipality(split_lines("\n".join(texts))) if texts else None


def find_municipality(
    soup: BeautifulSoup, body: str | None = None, *, frame_only: bool = False
) -> str | None:
    """The municipality a page belongs to, by what the page says of itself.

    In order: an authority named in the page's own frame (title, owner meta tags, the logo's
    text, its canonical address); the meeting's body when it carries the municipality's name
    ("Aarhus Byråd"); the site's domain (`www.aarhus.dk`, `kk.dk`) and its own assets
    (`aarhus.css`, `aarhus_logo.png`), which a municipality's skin is named after. Never the
    content's mentions of other authorities.
    """
    own = [clean(soup.title.get_text(" ")) if soup.title else ""]
    for meta in soup.find_all("meta"):
        if str(meta.get("property") or meta.get("name") or "").lower() in OWNER_META:
            own.append(str(meta.get("content") or ""))
    logos = [img for img in soup.find_all("img") if "logo" in str(img).lower()]
    own += [str(img.get("alt") or "") for img in logos]
    own += _addresses(soup, canonical_only=True)
    found = named_authority([t for t in own if t.strip()])
    if found or frame_only:
        return found
    authority = authority_in_name(body) if body else None
    if authority is not None:
        return authority.name
    votes: dict[str, int] = {}
    addresses = _addresses(soup) + [str(img.get("src") or "") for img in logos]
    for address in addresses:
        host, _, path = re.sub(r"^[a-z]+://", "", address.lower()).partition("/")
        domain = authority_of_domain(host)
        found = [domain] if domain else []
        tokens = re.split(r"[^a-zæøå]+", path if domain else f"{host}/{path}")
        found += [by_name(token) for token in tokens if len(token) >= 2]
        for authority in found:
            if authority is not None:
                votes[authority.name] = votes.get(authority.name, 0) + 1
    return max(votes, key=lambda name: votes[name]) if votes else None


def _addresses(soup: BeautifulSoup, *, canonical_only: bool = False) -> list[str]:
    """The page's own address (canonical, og:url, base) and, unless asked not to, its skin."""
    addresses: list[str] = []
    for tag in soup.find_all(["link", "meta", "base"]):
        rel = " ".join(tag.get("rel") or []).lower() if tag.name == "link" else ""
        wanted = {"canonical"} if canonical_only else {"canonical", "stylesheet"}
        if tag.name == "link" and wanted & set(rel.split()):
            addresses.append(str(tag.get("href") or ""))
        elif tag.name == "meta" and str(tag.get("property") or "").lower() == "og:url":
            addresses.append(str(tag.get("content") or ""))
        elif tag.name == "base":
            addresses.append(str(tag.get("href") or ""))
    return addresses
