"""Stable digests of plain data and of file texts: every cache key and page key is made of them."""

from __future__ import annotations

import hashlib
import io
import pickle
from typing import Any


def digest(*parts: Any) -> str:
    """A stable digest of plain data (str, bytes, numbers, tuples, dataclasses ...).

    The pickler runs without its memo ("fast" mode): with it, equal data pickled to different
    bytes when one copy shared a string object and the other held an equal copy, so the dev
    server's fast path (freshly parsed strings) and a full build (shared ones) disagreed on
    page keys and the next build re-rendered pages that had not changed."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(parts)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).hexdigest()


def text_digest(key: str, text: str) -> str:
    """digest() for the common case of a key and a file's text, without pickling the text."""
    return hashlib.blake2b(key.encode() + b"\0" + text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
