"""Turn bytes of unknown encoding into Vietnamese text.

Archives mix UTF-8, windows-1258 and pages whose charset header lies, so the declared
charset is only one candidate: candidates are ranked by how Vietnamese they look.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import unicodedata

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]*encoding=["']([\w.:-]+)""", re.I)
# precomposed Vietnamese letters; the U+1EA0-U+1EF9 block only comes out of a right decode
_VI_COMMON = re.compile("[àáâãèéêìíòóôõùúýăđĩũơưÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯ]")
_VI_STRONG = re.compile("[\u1ea0-\u1ef9]")
# UTF-8 lead byte followed by a continuation byte, both read as cp1252/latin-1
_CONT = "\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_MOJIBAKE = re.compile(f"[\xc2-\xc6\xe1-\xef][{_CONT}]|[\ufffd\x80-\x9f]|[ðÞþÐñçäëïöüåæøß]")
# cp1252 characters back to the byte they came from, so latin-1 can re-encode them
_CP1252_BACK = {ord(bytes([b]).decode("cp1252")): chr(b) for b in range(0x80, 0xA0)
                if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def score(text: str) -> int:
    """Higher when the text reads as Vietnamese, lower for mojibake."""
    return (len(_VI_COMMON.findall(text)) + 2 * len(_VI_STRONG.findall(text))
            - 4 * len(_MOJIBAKE.findall(text)))


def _declared(data: bytes, declared: str | None) -> str | None:
    if not declared and (m := _META.search(data[:4096])):
        declared = (m.group(1) or m.group(2)).decode("ascii", "ignore")
    try:
        return codecs.lookup(declared).name if declared else None
    except LookupError:
        return None


def _undo_double_encoding(text: str) -> str | None:
    """UTF-8 that was read as cp1252/latin-1 and saved again; None unless that is certain."""
    try:
        return text.translate(_CP1252_BACK).encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str | None]:
    """Text and a warning when it was not plain UTF-8 (legacy charset, repaired bytes)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, "replace"), None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _MOJIBAKE.search(text) and (fixed := _undo_double_encoding(text)) and score(fixed) > score(text):
            return fixed, "repaired double-encoded UTF-8"
        return text, None
    candidates: list[tuple[str, str]] = []
    codec = _declared(data, declared)
    if codec and codec != "utf-8":
        with contextlib.suppress(UnicodeDecodeError):
            candidates.append((data.decode(codec), codec))
    candidates.append((data.decode("cp1258", "replace"), "cp1258"))
    candidates.append((data.decode("utf-8", "replace"), "utf-8 with invalid bytes replaced"))
    candidates = [(unicodedata.normalize("NFC", t), name) for t, name in candidates]
    text, name = max(candidates, key=lambda c: score(c[0]))  # first wins a tie: declared charset
    return text, f"not valid UTF-8, decoded as {name}"
