"""Open an Office file (.docx, .xlsx: a zip archive) without letting it inflate without bound.

``checked_copy`` inflates the archive's parts itself, in chunks, counting the bytes the
decompressor actually produces, and stops as soon as the total passes the cap; the sizes in
the zip directory are never trusted (they can lie). It returns a new, uncompressed archive
holding exactly the bytes it counted, and the caller hands *that* to python-docx or openpyxl,
so the library cannot read anything that was not checked (a second entry with the same name,
a part the check skipped). Pictures, fonts and embedded objects are copied empty, never
inflated: no reader here looks at them, and an embedded document is a nested archive.

Pure library code (no Django): the plan readers and the reports layer both use it.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from eduplan.errors import EduplanError, Errors

__all__ = ["MAX_INFLATED_BYTES", "MAX_MEMBERS", "checked_copy", "open_workbook"]

_MIB = 1024 * 1024
# The largest real plan is under 2 MB of XML; eight times that leaves room for styles,
# numbering and a long table while a zip bomb stops after a fraction of a second.
MAX_INFLATED_BYTES = 16 * _MIB
# A plan or a breakdown table has tens of parts; a few hundred pictures are still fine.
MAX_MEMBERS = 2000
_CHUNK = 64 * 1024
# The zip directory is parsed into one object per entry before anything else can look at it,
# so its size is checked first, from the end record: an entry takes 46 bytes plus its name,
# and no real part name is anywhere near 1 KiB.
_MAX_DIRECTORY_BYTES = MAX_MEMBERS * 1024
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # all Word, Excel and WPS write
# Parts that are copied empty: binary content no reader parses (pictures, fonts, OLE objects,
# embedded workbooks and documents, media).
_NOT_INFLATED = frozenset({
    ".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".gif", ".bmp", ".dib", ".tif", ".tiff", ".ico", ".emf", ".wmf",
    ".emz", ".wmz", ".wdp", ".hdp", ".jxr", ".webp", ".heic", ".svgz",
    ".bin", ".odttf", ".ttf", ".otf", ".fntdata",
    ".docx", ".docm", ".xlsx", ".xlsm", ".xlsb", ".pptx", ".pptm", ".doc", ".xls", ".ppt", ".zip", ".pdf",
    ".mp3", ".mp4", ".m4a", ".wav", ".wma", ".wmv", ".avi", ".mov", ".mpg", ".mpeg",
})

_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_EOCD_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_ZIP64_EOCD_SIGNATURE = b"PK\x06\x06"


def checked_copy(source: bytes | str | Path | BinaryIO, label: str | Path, *,
                 max_inflated: int = MAX_INFLATED_BYTES, max_members: int = MAX_MEMBERS) -> io.BytesIO:
    """Inflate ``source`` under the caps and return the checked parts as a new zip archive.

    ``label`` names the file in messages (the name the person knows). Raises ``EduplanError``
    E115 (inflates past ``max_inflated`` bytes), E116 (too many entries), E117 (an encrypted
    or oddly compressed entry, or a name used twice), E118 (an entry whose data is damaged
    or does not match its header); and ``zipfile.BadZipFile`` when ``source`` is not a zip
    archive at all, which each caller reports in its own words.
    """
    handle: BinaryIO = io.BytesIO(source) if isinstance(source, bytes | bytearray) else (
        open(source, "rb") if isinstance(source, str | Path) else source)  # noqa: SIM115 - closed below
    try:
        _check_directory_size(handle, label, max_members)
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            return _copy(archive, label, max_inflated, max_members)
    finally:
        if handle is not source:
            handle.close()
        elif hasattr(source, "seek"):
            source.seek(0)


def open_workbook(source: bytes | str | Path | BinaryIO, label: str, not_xlsx: Errors):
    """An uploaded .xlsx opened read-only through ``checked_copy`` (values, not formulas);
    ``not_xlsx`` names the reader's own error for a file that is no xlsx at all."""
    import warnings

    from openpyxl import load_workbook

    try:
        checked = checked_copy(source, label)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on print areas, validations, extensions, styles
            return load_workbook(checked, read_only=True, data_only=True)
    except EduplanError:
        raise
    except zipfile.BadZipFile:
        raise EduplanError(not_xlsx, name=label) from None
    except Exception as exc:  # openpyxl raises whatever a broken part makes it raise
        raise EduplanError(Errors.E601, name=label, reason=type(exc).__name__) from exc


def _check_directory_size(handle: BinaryIO, label: str | Path, max_members: int) -> None:
    """Refuse a zip directory too big to be a plan's before ``ZipFile`` parses it.

    Only what the end record says is checked here; an archive whose end record is missing or
    malformed is left to ``ZipFile``, which reports it as not a zip archive."""
    end = handle.seek(0, io.SEEK_END)
    tail_start = max(0, end - _EOCD.size - 0xFFFF)  # the record is followed by a comment of up to 64 KiB
    handle.seek(tail_start)
    tail = handle.read()
    at = tail.rfind(_EOCD_SIGNATURE)
    if at < 0 or len(tail) - at < _EOCD.size:
        return
    _sig, _disk, _cd_disk, _on_disk, entries, directory_bytes, _offset, _comment = _EOCD.unpack_from(tail, at)
    locator_at = at - _ZIP64_LOCATOR.size
    if locator_at >= 0 and tail[locator_at:locator_at + 4] == _ZIP64_LOCATOR_SIGNATURE:
        # Zip64: the real counts are in the zip64 end record the locator points to.
        _sig, _disk, record_at, _disks = _ZIP64_LOCATOR.unpack_from(tail, locator_at)
        handle.seek(record_at)
        record = handle.read(_ZIP64_EOCD.size)
        if len(record) == _ZIP64_EOCD.size and record[:4] == _ZIP64_EOCD_SIGNATURE:
            fields = _ZIP64_EOCD.unpack(record)
            entries, directory_bytes = fields[7], fields[8]
    if entries > max_members or directory_bytes > max_members * 1024:
        raise EduplanError(Errors.E116, path=label, limit=max_members)


def _copy(archive: zipfile.ZipFile, label: str | Path, max_inflated: int, max_members: int) -> io.BytesIO:
    entries = archive.infolist()
    if len(entries) > max_members:
        raise EduplanError(Errors.E116, path=label, limit=max_members)
    seen: set[str] = set()
    for info in entries:
        _check_entry(info, seen, label)
    inflated = 0
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for info in entries:
            if info.is_dir():
                continue
            target = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            if PurePosixPath(info.filename).suffix.lower() in _NOT_INFLATED:
                copy.writestr(target, b"")
                continue
            inflated = _copy_member(archive, info, copy, target, inflated, max_inflated, label)
    out.seek(0)
    return out


def _check_entry(info: zipfile.ZipInfo, seen: set[str], label: str | Path) -> None:
    if info.flag_bits & 0x1:
        raise EduplanError(Errors.E117, path=label, entry=info.filename, reason="已加密 / encrypted")
    if info.compress_type not in _METHODS:
        raise EduplanError(Errors.E117, path=label, entry=info.filename,
                           reason=f"不支持的压缩方式 {info.compress_type} / unsupported compression method")
    # Two entries of one name: a reader takes one and a check may have looked at the other.
    key = info.filename.casefold()
    if key in seen:
        raise EduplanError(Errors.E117, path=label, entry=info.filename, reason="名称重复 / duplicate name")
    seen.add(key)


def _copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, copy: zipfile.ZipFile, target: zipfile.ZipInfo,
                 inflated: int, max_inflated: int, label: str | Path) -> int:
    """Inflate one entry chunk by chunk into ``copy``; return the running total of bytes produced."""
    try:
        with archive.open(info) as member, copy.open(target, "w") as written:
            while chunk := member.read(_CHUNK):
                inflated += len(chunk)
                if inflated > max_inflated:
                    raise EduplanError(Errors.E115, path=label, limit_mb=max_inflated // _MIB)
                written.write(chunk)
    except EduplanError:
        raise
    except Exception as exc:
        # BadZipFile (bad CRC: the data is longer or other than the header says), zlib.error,
        # EOFError (cut short): the entry's data is not what its header says.
        raise EduplanError(Errors.E118, path=label, entry=info.filename, reason=_reason(exc)) from None
    return inflated


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
