"""Bytes of a page file -> text, or a clear error that says where the bad bytes are."""

from __future__ import annotations

import codecs

from .._errors import PageFormatError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, source: str, declared: str | None = None) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or the encoding the file declares
    (an HTML meta charset, an XML declaration). Never guesses silently: anything else is an error
    naming the first undecodable byte, so no text is lost to replacement characters."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec, source)
    if declared:
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            raise PageFormatError(
                source, f"declares an unknown encoding {declared!r}; convert it to UTF-8"
            ) from None
        if name not in ("utf-8", "ascii"):
            return _strict(data, declared, source)
    return _strict(data, "utf-8", source)


def _strict(data: bytes, codec: str, source: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        raise PageFormatError(
            source,
            f"not valid {codec}: byte 0x{data[e.start]:02x} cannot be decoded "
            f"(convert the file to UTF-8 first, e.g. iconv -f WINDOWS-1252 -t UTF-8)",
            where=f"byte offset {e.start}",
        ) from None
