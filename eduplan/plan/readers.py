"""Turn a plan file (.txt .docx .html .htm .pdf) into plain text for the parser.

The parser keeps offsets into the text returned here, so the readers only do what the
format forces on them (decoding, flattening tables, writing out Word's automatic list
numbering, dropping web-page chrome, rejoining lines a PDF wrapped) and otherwise leave the
text as it is in the file. Lines end in "\\n".

Every failure is an ``EduplanError`` with an E1xx code: a person gets one line saying
what is wrong with which file, never a traceback from a decoder or a third-party library.
Heavy libraries (trafilatura, python-docx, pypdfium2) are imported inside their reader so
reading a .txt stays fast.
"""

from __future__ import annotations

import codecs
import functools
import io
import logging
import re
import stat
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from eduplan.errors import EduplanError, Errors

if TYPE_CHECKING:
    from docx.parts.document import DocumentPart
    from docx.table import _Row
    from lxml.etree import XPath, _Element
    from lxml.html import HtmlElement
    from pypdfium2 import PdfDocument

__all__ = ["MAX_FILE_BYTES", "SUPPORTED_SUFFIXES", "read_source"]

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".docx", ".html", ".htm", ".pdf")
MAX_FILE_BYTES = 64 * 1024 * 1024

_MIB = 1024 * 1024
# Binary sniffing looks at the start only: a text file has no NUL bytes anywhere, and the
# first 8 KiB are enough to tell without scanning a 50 MB file.
_SNIFF_BYTES = 8 * 1024


def read_source(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Return the text of the plan file at ``path``, with "\\n" line ends.

    Raises ``EduplanError`` (E101-E118) when the file is missing, not a regular file, of an
    unsupported type, too large, empty, undecodable or damaged.
    """
    path = Path(path)
    size = _check_regular_file(path)
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise EduplanError(Errors.E112, path=path)
    if suffix not in SUPPORTED_SUFFIXES:
        raise EduplanError(Errors.E103, suffix=path.suffix or "(无/none)", path=path)
    if size > max_bytes:
        raise _too_large(path, size, max_bytes)
    data = _read_bytes(path, max_bytes, size)
    if not data:
        raise EduplanError(Errors.E102, path=path)
    text = _READERS[suffix](data, path)
    return _normalise_newlines(text)


# ---------------------------------------------------------------- file checks


def _check_regular_file(path: Path) -> int:
    """Stat ``path`` and return its size; a directory, FIFO or device is refused here
    because reading a FIFO would block forever and a directory is the caller's job."""
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise EduplanError(Errors.E101, path=path) from None
    except OSError as exc:  # permission denied, name too long, broken mount...
        raise EduplanError(Errors.E113, path=path, reason=_os_reason(exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise EduplanError(Errors.E110, path=path)
    return info.st_size


def _read_bytes(path: Path, max_bytes: int, size: int) -> bytes:
    # Read one byte past the limit: the file may have grown since stat(). A read of the stated
    # size comes first, so a small file does not cost a buffer of the whole limit.
    try:
        with path.open("rb") as handle:
            data = handle.read(min(size, max_bytes) + 1)
            if len(data) > size:
                data += handle.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise EduplanError(Errors.E113, path=path, reason=_os_reason(exc)) from None
    if len(data) > max_bytes:
        raise _too_large(path, len(data), max_bytes)
    return data


def _too_large(path: Path, size: int, max_bytes: int) -> EduplanError:
    return EduplanError(Errors.E109, path=path, size_mb=_megabytes(size), limit_mb=_megabytes(max_bytes))


def _megabytes(size: int) -> str:
    # One decimal is enough for real limits; tiny limits (tests, config) need more digits.
    mb = size / _MIB
    return f"{mb:.1f}" if mb >= 1 else f"{mb:.3f}"


def _os_reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _has_text(text: str) -> bool:
    # A stray BOM is not whitespace for str.strip(), but it is not text either.
    return bool(text.replace("\ufeff", "").strip())


# ---------------------------------------------------------------- decoding bytes

# Checked longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# BOM-less UTF-16 sniffing: a handful of ASCII characters, nearly all NULs on one side.
_UTF16_MIN_NULS = 4
_UTF16_NUL_SKEW = 4

# A GBK file can start with a few byte pairs that happen to be valid UTF-8 (at most 6
# characters before the first failure, in 20,000 random 60-character GBK lines), never with
# this many; past it, a UTF-8 failure means a damaged or mixed-encoding UTF-8 file, and
# decoding it all as GB18030 would give silent mojibake.
_UTF8_PREFIX_TRUST = 20

# Labels that pages and editors use for GB2312/GBK; GB18030 is a superset of all of them
# and decodes the characters that GB2312-labelled pages use but GB2312 lacks.
_GB_LABELS = frozenset(
    {"gb2312", "gb_2312", "gb_2312-80", "gbk", "x-gbk", "cp936", "ms936", "windows-936",
     "csgb2312", "euc-cn", "x-euc-cn", "chinese", "iso-ir-58", "gb18030"}
)


def _split_bom(data: bytes) -> tuple[str, bytes] | None:
    """(codec, bytes after the BOM): error offsets then count from the text's first byte."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, data[len(bom):]
    return None


def _bomless_utf16_codec(data: bytes) -> str | None:
    """UTF-16 without a BOM puts the NUL half of every ASCII character (digits, newlines)
    on one side; binary data has NULs on both sides. The other side is not NUL-free:
    CJK characters such as 一 (U+4E00) have a zero byte too, hence a ratio."""
    sample = data[:_SNIFF_BYTES]
    nul_at_even = sample[0::2].count(0)
    nul_at_odd = sample[1::2].count(0)
    if nul_at_odd >= _UTF16_MIN_NULS and nul_at_odd >= _UTF16_NUL_SKEW * nul_at_even:
        return "utf-16-le"
    if nul_at_even >= _UTF16_MIN_NULS and nul_at_even >= _UTF16_NUL_SKEW * nul_at_odd:
        return "utf-16-be"
    return None


def _looks_like_text(text: str) -> bool:
    # Control characters other than layout ones mean the bytes were not text after all.
    return not any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v" for ch in text[:4096])


def _line_of_offset(data: bytes, offset: int, codec: str) -> int:
    if codec.startswith(("utf-16", "utf-32")):
        return data[:offset].decode(codec, errors="replace").count("\n") + 1
    return data[:offset].count(b"\n") + 1


def _undecodable(path: Path, data: bytes, offset: int, codec: str) -> EduplanError:
    return EduplanError(Errors.E104, path=path, line=_line_of_offset(data, offset, codec))


def _decode_unicode_bom_or_sniffed(data: bytes, path: Path) -> str | None:
    """Decode files that announce a Unicode encoding (BOM) or are clearly UTF-16;
    return None when the bytes need the UTF-8 / GB18030 check instead."""
    with_bom = _split_bom(data)
    if with_bom is not None:
        codec, body = with_bom
        try:
            return body.decode(codec)
        except UnicodeDecodeError as exc:
            raise _undecodable(path, body, exc.start, codec) from None
    codec = _bomless_utf16_codec(data)
    if codec is None:
        if b"\x00" in data[:_SNIFF_BYTES]:
            raise EduplanError(Errors.E105, path=path)
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        raise EduplanError(Errors.E105, path=path) from None
    if not _looks_like_text(text):
        raise EduplanError(Errors.E105, path=path)
    return text


def _decode_utf8_or_gb18030(data: bytes, path: Path, declared: str | None = None) -> str:
    """Strict UTF-8 first (GBK bytes practically never form valid UTF-8), then the declared
    encoding if any, then strict GB18030 (which also covers GBK and GB2312)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_failed_at = exc.start
    if _valid_utf8_prefix_is_long(data, utf8_failed_at):
        raise _undecodable(path, data, utf8_failed_at, "utf-8")
    # Name the line where the attempt that got furthest broke: for a GBK file with one bad
    # byte that is the GB18030 failure, not the first Chinese character.
    failed_at = utf8_failed_at
    for codec in dict.fromkeys(c for c in (declared, "gb18030") if c):
        try:
            return data.decode(codec)
        except UnicodeDecodeError as exc:
            failed_at = max(failed_at, exc.start)
    raise _undecodable(path, data, failed_at, "utf-8")


def _valid_utf8_prefix_is_long(data: bytes, failed_at: int) -> bool:
    prefix = data[:failed_at].decode("utf-8")
    non_ascii = 0
    for ch in prefix:
        if ord(ch) > 0x7F:
            non_ascii += 1
            if non_ascii >= _UTF8_PREFIX_TRUST:
                return True
    return False


# ---------------------------------------------------------------- .txt


def _read_txt(data: bytes, path: Path) -> str:
    text = _decode_unicode_bom_or_sniffed(data, path)
    if text is None:
        text = _decode_utf8_or_gb18030(data, path)
    if not _has_text(text):
        raise EduplanError(Errors.E102, path=path)
    return text


# ---------------------------------------------------------------- .docx

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W_P, _W_TBL, _W_TC = f"{{{_W_NS}}}p", f"{{{_W_NS}}}tbl", f"{{{_W_NS}}}tc"
_W_SDT, _W_SDT_CONTENT, _W_CUSTOM_XML = f"{{{_W_NS}}}sdt", f"{{{_W_NS}}}sdtContent", f"{{{_W_NS}}}customXml"
# Runs whose text is not part of the visible document: deleted revisions, the source of a
# move, text boxes (anchored elsewhere, and duplicated by their VML fallback).
_VISIBLE_RUNS_XPATH = (
    ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom)"
    " and not(ancestor::w:txbxContent) and not(ancestor::*[local-name()='Fallback'])]"
)


def _read_docx(data: bytes, path: Path) -> str:
    checked = _checked_docx(data, path)
    try:
        lines = _docx_lines(checked)
    except EduplanError:
        raise
    except Exception as exc:
        # python-docx and lxml raise many types (KeyError for a missing part, ValueError for
        # a wrong content type, XMLSyntaxError, zlib.error...); all mean a damaged document.
        raise EduplanError(Errors.E108, path=path, reason=_exception_reason(exc)) from None
    text = "\n".join(lines)
    if not _has_text(text):
        raise EduplanError(Errors.E114, path=path)
    return text


def _checked_docx(data: bytes, path: Path) -> io.BytesIO:
    """The document's parts, inflated under the cap of ``safezip`` (python-docx and lxml hold
    whole XML parts in memory, so a zip bomb must stop before they see it)."""
    from eduplan.plan.safezip import checked_copy

    if data.startswith(_OLE2_MAGIC):
        # A password-protected .docx is also an OLE2 container, so E112 would mislead.
        raise EduplanError(Errors.E108, path=path,
                           reason="旧版 .doc 或加密文档 / legacy .doc or password-protected document")
    try:
        return checked_copy(data, path)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise EduplanError(Errors.E108, path=path, reason="不是 zip 格式 / not a zip archive") from None


def _docx_lines(package: io.BytesIO) -> list[str]:
    import docx  # lazy: python-docx is only needed for .docx

    document = docx.Document(package)
    body = document.element.body
    return list(_block_lines(body, _numbering_labels(document.part, body)))


def _numbering_labels(part: DocumentPart, body: _Element) -> dict[_Element, str]:
    """Labels of Word's automatic list numbering (w:numPr), which Word computes at display
    time and which are not in the XML text; without them "一、总体要求" would lose its "一、"."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    from eduplan.plan.docx_numbering import paragraph_labels

    return paragraph_labels(body, _related_xml(part, RT.NUMBERING), _related_xml(part, RT.STYLES))


def _related_xml(part: DocumentPart, reltype: str) -> _Element | None:
    # A missing part, or one python-docx did not parse as XML (odd content type), means
    # no numbering rather than a damaged document.
    try:
        return getattr(part.part_related_by(reltype), "element", None)
    except (KeyError, ValueError):  # ValueError: an external target
        return None


def _block_lines(container: _Element, labels: dict[_Element, str]) -> Iterator[str]:
    """Lines of the body in document order. ``document.paragraphs`` would skip tables,
    so the XML children are walked instead. ``labels`` holds the automatic numbering
    labels of numbered paragraphs (see ``_numbering_labels``)."""
    for child in container:
        tag = child.tag
        if tag == _W_P:
            yield _paragraph_text(child, labels)
        elif tag == _W_TBL:
            yield from _table_lines(child, labels)
        elif tag == _W_SDT:
            # A block content control wraps ordinary paragraphs and tables.
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _block_lines(content, labels)
        elif tag == _W_CUSTOM_XML:
            yield from _block_lines(child, labels)
        # sectPr, bookmarks and other markers carry no text.


@functools.cache
def _visible_runs() -> XPath:
    # Compiled once: compiling it for each paragraph was most of the time a document with a
    # million short paragraphs (well under the inflation cap) took.
    from lxml.etree import XPath

    return XPath(_VISIBLE_RUNS_XPATH, namespaces={"w": _W_NS})


def _paragraph_text(paragraph: _Element, labels: dict[_Element, str]) -> str:
    # python-docx's Paragraph.text reads only direct runs, losing tracked insertions,
    # smart tags and inline content controls; the XPath keeps every visible run.
    # CT_R.text maps w:tab to "\t" and w:br / w:cr to "\n" (a soft line break stays one).
    text = "".join(run.text for run in _visible_runs()(paragraph))
    label = labels.get(paragraph)
    if label is None or not text.strip():
        return text  # Word numbers an empty paragraph too, but a bare label is noise here
    if label.endswith(" ") and text[:1].isspace():
        label = label.rstrip(" ")
    return label + text


def _table_lines(table_element: _Element, labels: dict[_Element, str]) -> Iterator[str]:
    """One line per cell, row by row: the flattened form the parser reads tables in.

    A horizontally merged cell is listed once per row; a vertically merged cell repeats
    its text in each row it spans (python-docx resolves it), so rows stay comparable."""
    from docx.table import Table  # lazy, as in _docx_lines

    table = Table(table_element, None)  # type: ignore[arg-type]  # parent is unused for reading
    for row in table.rows:
        for cell_element in _distinct_row_cells(row):
            yield _cell_text(cell_element, labels)


def _distinct_row_cells(row: _Row) -> list[_Element]:
    try:
        tcs = [cell._tc for cell in row.cells]
    except (ValueError, IndexError):
        # A "continue" vertical merge with no cell above it (broken table): read the row's
        # own cells rather than failing the whole document.
        tcs = list(row._tr.iterchildren(_W_TC))
    distinct: list[_Element] = []
    for tc in tcs:
        if not distinct or distinct[-1] is not tc:
            distinct.append(tc)
    return distinct


def _cell_text(cell_element: _Element, labels: dict[_Element, str]) -> str:
    # A cell may hold several paragraphs (or a nested table); joining them with a space
    # keeps the rule "one cell, one line" the parser relies on to count columns.
    parts = (_paragraph_text(p, labels).replace("\n", " ").strip() for p in cell_element.iter(_W_P))
    return " ".join(part for part in parts if part)


def _exception_reason(exc: BaseException) -> str:
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    detail = detail[:160]
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


# ---------------------------------------------------------------- .html / .htm

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Charset declarations sit in <head>; some pages put long scripts before them.
_CHARSET_SCAN_BYTES = 16 * 1024
# Chrome that is never the main text. <header> inside an article usually holds the title,
# so only page-level headers go.
_CHROME_XPATH = (
    "//script | //style | //noscript | //template | //nav | //footer | //aside | //iframe"
    " | //button | //select | //svg | //canvas | //object | //embed"
    " | //header[not(ancestor::article) and not(ancestor::main)]"
)
_CHROME_CLASS = re.compile(
    r"(?:^|[\s_-])(?:share|bdshare\w*|bdsharebuttonbox|jiathis\w*|fenxiang|breadcrumbs?|crumbs?"
    r"|footer|copyright|navbar|nav|menu|sidebar|toolbar)(?:$|[\s_-])",
    re.IGNORECASE,
)
_CHROME_MAX_PLAIN_TEXT = 200  # a footer's address, phone and copyright lines fit in this
_CHROME_MIN_LINK_SHARE = 0.5
_HTML_BLOCK_TAGS = frozenset(
    {"address", "article", "blockquote", "br", "caption", "center", "dd", "div", "dl", "dt",
     "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p",
     "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
)
_HTML_CELL_TAGS = frozenset({"td", "th"})
_HTML_SPACES = re.compile(r"[ \t\n\r\f]+")  # HTML collapses only ASCII whitespace

# trafilatura 2.x output elements (its own XML vocabulary, not HTML).
_TRAF_LINE_BREAK = "lb"
_TRAF_BLOCKS = frozenset({"p", "head", "quote", "code", "list", "item", "table", "row", "cell", "div"})


def _read_html(data: bytes, path: Path) -> str:
    markup = _decode_html(data, path)
    root = _parse_html(markup, path)
    if root is None:
        raise EduplanError(Errors.E114, path=path)
    title = _page_title(root)
    _drop_chrome(root)
    lines = _trafilatura_lines(root)
    if _too_short_for_trafilatura(lines):
        # trafilatura's own rescue for short pages dumps every text node on its own line,
        # splitting sentences at <b>/<span>; our block-aware walk does better there.
        lines = _fallback_html_lines(root) or lines
    if title and not any(title in line for line in lines[:_TITLE_NEAR_TOP]):
        lines.insert(0, title)  # the extractor keeps the article's body, not its headline
    text = "\n".join(lines)
    if not _has_text(text):
        raise EduplanError(Errors.E114, path=path)
    return text


_TITLE_NEAR_TOP = 8
# Where pages put an article's headline, in the order tried; <title> last, since it carries
# the site's name and is sometimes the site's alone.
_TITLE_XPATH = ("//h1", "//h2", "//*[contains(@class, 'title') or contains(@id, 'title')]", "//head/title")


def _page_title(root: HtmlElement) -> str | None:
    """The page's headline when it is a plan's title (a site's logo in <h1> is not)."""
    from .titles import is_title_line, site_suffix_start

    for xpath in _TITLE_XPATH:
        for element in root.xpath(xpath)[:5]:
            text = _HTML_SPACES.sub(" ", element.text_content()).strip()
            if text and is_title_line(text):
                return text[:site_suffix_start(text)].strip()  # "…工作要点_某区人民政府"
    return None


def _decode_html(data: bytes, path: Path) -> str:
    text = _decode_unicode_bom_or_sniffed(data, path)
    if text is not None:
        return text
    declared = _declared_charset(data)
    try:
        return _decode_utf8_or_gb18030(data, path, declared)
    except EduplanError:
        if declared is None:
            raise
    # The page names its encoding but has a few broken bytes: do as browsers do and show
    # U+FFFD there rather than refuse the whole page.
    return data.decode(declared, errors="replace")


def _declared_charset(data: bytes) -> str | None:
    head = data[:_CHARSET_SCAN_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    if label in _GB_LABELS:
        return "gb18030"
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    # A BOM-less page cannot really be UTF-16/32 (we sniffed that already); browsers read
    # such a label as UTF-8, which the decoder tries first anyway.
    return None if codec.startswith(("utf-16", "utf-32")) else codec


def _parse_html(markup: str, path: Path) -> HtmlElement | None:
    import lxml.etree
    import lxml.html

    # lxml refuses str input that still carries an XML encoding declaration (XHTML pages).
    markup = _XML_DECLARATION.sub("", markup, count=1)
    if not markup.strip():
        raise EduplanError(Errors.E102, path=path)
    try:
        return lxml.html.document_fromstring(markup)
    except lxml.etree.ParserError:  # "Document is empty": no elements at all
        return None
    except (lxml.etree.LxmlError, ValueError) as exc:
        raise EduplanError(Errors.E113, path=path, reason=_exception_reason(exc)) from None


def _drop_chrome(root: HtmlElement) -> None:
    import lxml.etree

    # Comments would otherwise reach the fallback's text walk.
    lxml.etree.strip_elements(root, lxml.etree.Comment, lxml.etree.ProcessingInstruction, with_tail=False)
    doomed = list(root.xpath(_CHROME_XPATH))
    doomed += [el for el in root.iter() if isinstance(el.tag, str) and _is_chrome_block(el)]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()  # keeps the tail text, which belongs to the parent


def _is_chrome_block(element: HtmlElement) -> bool:
    """A share bar, menu or footer by its class/id. Class names also describe layouts
    ("has-sidebar" on the page wrapper), so a block holding an article or title, or a
    long block that is mostly not links, stays."""
    if element.tag in ("html", "body"):
        return False
    names = f"{element.get('class', '')} {element.get('id', '')}"
    if not _CHROME_CLASS.search(names) or element.xpath(".//article | .//main | .//h1"):
        return False
    text_length = len(element.text_content().strip())
    if text_length <= _CHROME_MAX_PLAIN_TEXT:
        return True
    link_length = sum(len(link.text_content().strip()) for link in element.iter("a"))
    return link_length >= _CHROME_MIN_LINK_SHARE * text_length


def _trafilatura_lines(root: HtmlElement) -> list[str]:
    import copy

    import trafilatura

    try:
        # url=None and a parsed tree: trafilatura only analyses, it fetches nothing.
        document = trafilatura.bare_extraction(
            copy.deepcopy(root), include_tables=True, include_comments=False, include_images=False,
            include_links=False, favor_recall=True, with_metadata=False,
        )
    except Exception:
        # Its heuristics can fail on odd pages (deep nesting, odd markup); the fallback
        # walk below still reads them.
        return []
    body = getattr(document, "body", None)
    if body is None:
        return []
    lines: list[str] = []
    for element in body:
        _render_extracted(element, lines)
    return lines


def _too_short_for_trafilatura(lines: list[str]) -> bool:
    from trafilatura.settings import DEFAULT_CONFIG

    minimum = DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE")
    return sum(len(line) for line in lines) < minimum


def _render_extracted(element: _Element, lines: list[str]) -> None:
    """Append the lines of one element of trafilatura's output: one per paragraph, heading
    or list item, one per table cell, and a new line at each <lb/>."""
    tag = element.tag
    if tag == "table":
        for row in element:
            if row.tag == "row":
                lines.extend(_single_line(cell) for cell in row if cell.tag == "cell")
    elif tag == "list":
        for item in element:
            _render_extracted(item, lines)
    elif tag == "item":
        lines.extend(_text_lines(_flat_text(element, skip=frozenset({"list"}))))
        for sub in element:
            if sub.tag == "list":
                _render_extracted(sub, lines)
    elif tag != "graphic":
        lines.extend(_text_lines(_flat_text(element)))


def _text_lines(text: str) -> list[str]:
    lines = (line.strip() for line in text.split("\n"))
    return [line for line in lines if line]


def _single_line(cell: _Element) -> str:
    # One cell, one line, even when the page broke the cell with <br> or paragraphs.
    return " ".join(_text_lines(_flat_text(cell)))


def _flat_text(element: _Element, skip: frozenset[str] = frozenset()) -> str:
    """Text of an output element; <lb/> and nested blocks become newlines."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == _TRAF_LINE_BREAK:
            parts.append("\n")
        elif child.tag not in skip:
            inner = _flat_text(child, skip)
            parts.append(f"\n{inner}\n" if child.tag in _TRAF_BLOCKS else inner)
        parts.append(child.tail or "")
    return "".join(parts)


def _fallback_html_lines(root: HtmlElement) -> list[str]:
    """Text of <body>, one block element per line and one table cell per line (chrome
    already dropped). Iterative, so a deeply nested page cannot exhaust the recursion limit."""
    import lxml.etree

    body = root.find("body")
    start = body if body is not None else root
    parts: list[str] = []
    in_pre = in_cell = 0
    for event, element in lxml.etree.iterwalk(start, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            _add_break(parts, _html_break(tag, in_cell))
            in_pre += tag == "pre"
            in_cell += tag in _HTML_CELL_TAGS
            if element.text:
                parts.append(_html_text(element.text, in_pre))
        else:
            in_pre -= tag == "pre"
            in_cell -= tag in _HTML_CELL_TAGS
            _add_break(parts, _html_break(tag, in_cell))
            if element is not start and element.tail:
                parts.append(_html_text(element.tail, in_pre))
    lines = (line.strip(" ") for line in "".join(parts).split("\n"))
    return [line for line in lines if line.strip()]


def _add_break(parts: list[str], separator: str) -> None:
    # Nested blocks in a cell would otherwise leave runs of spaces between two words.
    if separator == " " and parts and parts[-1].endswith((" ", "\n")):
        return
    if separator:
        parts.append(separator)


def _html_break(tag: str, in_cell: int) -> str:
    # Inside a table cell, paragraphs and <br> only separate words: one cell, one line.
    if tag in _HTML_CELL_TAGS:
        return "\n"
    if tag in _HTML_BLOCK_TAGS:
        return " " if in_cell else "\n"
    return ""


def _html_text(text: str | None, in_pre: int) -> str:
    if not text:
        return ""
    return text if in_pre else _HTML_SPACES.sub(" ", text)


# ---------------------------------------------------------------- .pdf

# A wrapped line fills (nearly) the text width; a paragraph's last line or a heading does not.
_FULL_LINE_RATIO = 0.85
_MIN_FULL_LINE_WIDTH = 10.0  # in CJK character widths; shorter "full" lines are table cells
_SENTENCE_END = frozenset("。！？；：:;!?")
_CLOSING_MARKS = "”’）)」』】》\"'"
_CN_NUMERALS = "一二三四五六七八九十百零〇⼀⼆⼋⼗"  # incl. Kangxi radicals some PDFs emit
_NUMBERED_START = re.compile(
    rf"""(?:
        [{_CN_NUMERALS}]+[、.．]                      # 一、
      | [（(][{_CN_NUMERALS}]+[）)]                   # （一）
      | [0-9０-９]{{1,3}}(?:[.．、](?![0-9０-９])|[）)])   # 1. 1、 1）  (not 1.5)
      | [（(][0-9０-９]{{1,3}}[）)]                    # （1）
      | [\u2460-\u2473\u2474-\u2487\u2488-\u249b\u2776-\u277f\u2780-\u2789]   # ① ⑴ ⒈ ❶ ➀
      | 第[{_CN_NUMERALS}0-9]+[章节条部分篇项]        # 第一章
      | [●•◆◇■□▲△★☆※▪►]                           # bullets
      | 附件 | 附表 | 附录
    )""",
    re.VERBOSE,
)
_PAGE_NUMBER = re.compile(r"^[\s\-—–－_·]*(?:第\s*)?\d{1,4}\s*(?:页|/\s*\d{1,4}\s*页?)?[\s\-—–－_·]*$")


def _read_pdf(data: bytes, path: Path) -> str:
    pages = _pdf_page_texts(data, path)
    if not any(_has_text(page) for page in pages):
        raise EduplanError(Errors.E106, path=path)
    # Page breaks stay line breaks: joining across them would glue running headers,
    # footers and page numbers into sentences.
    return "\n".join(_rejoin_wrapped_lines(page) for page in pages if _has_text(page))


def _pdf_page_texts(data: bytes, path: Path) -> list[str]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except Exception as exc:
        # PdfiumError for a damaged or password-protected file; anything else pdfium or
        # its bindings raise means the same to the user.
        raise EduplanError(Errors.E107, path=path, reason=_exception_reason(exc)) from None
    try:
        return [_pdf_page_text(document, index) for index in range(len(document))]
    except Exception as exc:
        raise EduplanError(Errors.E107, path=path, reason=_exception_reason(exc)) from None
    finally:
        document.close()


def _pdf_page_text(document: PdfDocument, index: int) -> str:
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            return _normalise_newlines(textpage.get_text_range())
        finally:
            textpage.close()
    finally:
        page.close()


def _rejoin_wrapped_lines(page_text: str) -> str:
    """Undo the line wrapping of a PDF page without adding spaces between CJK characters."""
    lines = page_text.split("\n")
    full_width = max((_display_width(line.strip()) for line in lines), default=0.0)
    out: list[str] = []
    previous: str | None = None  # last physical line, the one the wrap test looks at
    for line in lines:
        if previous is not None and _is_wrapped(previous, line, full_width):
            out[-1] = out[-1].rstrip() + _joiner(out[-1].rstrip(), line) + line
        else:
            out.append(line)
        previous = line
    return "\n".join(out)


def _is_wrapped(previous: str, line: str, full_width: float) -> bool:
    """True when ``line`` continues the paragraph of ``previous``. Conservative: any sign
    of a paragraph start or end keeps the break."""
    if not previous.strip() or not line.strip():
        return False
    if line[0].isspace():  # indented first line of a paragraph
        return False
    end = previous.rstrip().rstrip(_CLOSING_MARKS)
    if not end or end[-1] in _SENTENCE_END:
        return False
    if _starts_numbered(line) or _PAGE_NUMBER.match(line) or _PAGE_NUMBER.match(previous):
        return False
    width = _display_width(previous.strip())
    return width >= _MIN_FULL_LINE_WIDTH and width >= _FULL_LINE_RATIO * full_width


def _starts_numbered(line: str) -> bool:
    head = line[:16]
    # NFKC turns full-width digits and compatibility forms into plain ones, so e.g. "１．"
    # and "⑴" are seen either way.
    return bool(_NUMBERED_START.match(head) or _NUMBERED_START.match(unicodedata.normalize("NFKC", head)))


def _joiner(left: str, right: str) -> str:
    # Latin text is wrapped at spaces, which the PDF does not keep; CJK is wrapped anywhere.
    if left and right and _is_latin_letter(left[-1]) and _is_latin_letter(right[0]):
        return " "
    return ""


def _is_latin_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _display_width(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


# ---------------------------------------------------------------- dispatch

_READERS: dict[str, Callable[[bytes, Path], str]] = {
    ".txt": _read_txt,
    ".docx": _read_docx,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
}

# trafilatura logs "discarding data" warnings for pages it finds nothing in; without a
# handler Python would print them on stderr. Applications that configure logging still
# receive them through propagation.
logging.getLogger("trafilatura").addHandler(logging.NullHandler())
