"""Minutes saved from a web page, reduced to text blocks with a real HTML parser."""

from __future__ import annotations

from bs4 import BeautifulSoup

from .sniff import decode_text


def html_to_text(data: bytes) -> str:
    soup = BeautifulSoup(decode_text(data), "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript", "form"]):
        tag.decompose()
    return soup.get_text("\n")
