"""Reading a roster upload: flatten the files (opening .zip bundles, within limits) and read each CSV
through districts.csvread. Student demographics in a bundle are never opened."""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable, Iterable, Mapping

from django.utils.translation import gettext

from .. import csvread
from ..csvread import RowError

MAX_ZIP_MEMBERS = 50
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # a 100 MB bundle is a very large district; more is a zip bomb


def expand(files: Mapping[str, bytes | str], errors: list[RowError]) -> dict[str, bytes | str]:
    """Flatten uploads into {base name: content}, opening .zip files."""
    out: dict[str, bytes | str] = {}

    def add(name: str, content: bytes | str) -> None:
        base = posixpath.basename(name.replace("\\", "/"))
        if base in out:
            errors.append(RowError(base, None, gettext("This file name appears twice in the upload.")))
        out[base] = content

    for name, content in files.items():
        if name.lower().endswith(".zip"):
            _unzip(name, content, add, errors)
        else:
            add(name, content)
    return out


def _unzip(name: str, content: bytes | str, add: Callable[[str, bytes], None], errors: list[RowError]) -> None:
    if isinstance(content, str):
        errors.append(RowError(name, None, gettext("Not a zip file.")))
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not info.filename.startswith("__MACOSX/")
            and not posixpath.basename(info.filename).startswith(".")
        ]
        if len(members) > MAX_ZIP_MEMBERS or sum(i.file_size for i in members) > MAX_UNZIPPED_BYTES:
            errors.append(RowError(name, None, gettext("The zip file is too large to be a roster.")))
            return
        for info in members:
            member = posixpath.basename(info.filename)
            if member.lower() == "demographics.csv":
                continue  # student data: never read
            add(member, archive.read(info))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        errors.append(RowError(name, None, gettext("Could not open the zip file (%(error)s).") % {"error": exc}))


def read_table(
    name: str, content: bytes | str, required: Iterable[str], optional: Iterable[str], errors: list[RowError]
) -> list[tuple[int, dict[str, str]]] | None:
    """Rows as (line, {column: stripped value}); None (and an error) when the file cannot be used.

    Every row is read before any is checked, so an unreadable line rejects the file alone.
    """
    try:
        return list(csvread.rows(content, required=required, optional=optional))
    except csvread.Unreadable as exc:
        errors.append(RowError(name, exc.line, exc.reason))
        return None
