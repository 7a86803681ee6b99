"""The install's SECRET_KEY: generated on first run and kept in the data folder.

Imported by the settings module, so it must not touch Django's settings or models.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from eduplan.errors import Errors

KEY_FILE = "secret_key"


def load_or_create_secret_key(data_dir: Path) -> str:
    """Read ``data_dir/secret_key``, creating it (mode 0600) with a random key the first time."""
    path = data_dir / KEY_FILE
    try:
        key = _read(path)
        if key is None:
            key = _create(path)
    except OSError as err:
        raise ImproperlyConfigured(Errors.E441.render(path=path, reason=err.strerror or err)) from err
    return key


def _read(path: Path) -> str | None:
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:  # not a key this code wrote
        raise ImproperlyConfigured(Errors.E442.render(path=path)) from None
    if len(key) < 50:
        raise ImproperlyConfigured(Errors.E442.render(path=path))
    return key


def _create(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)  # 67 characters: well above check --deploy's minimum of 50
    # Write a private temporary file and link it into place: a second process starting at the
    # same moment either wins the link or reads the complete key, never a half-written one.
    fd, tmp = tempfile.mkstemp(prefix=".secret_key-", dir=path.parent)  # mkstemp creates it 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return _read_written(path)
        except OSError:  # a file system without hard links: create the file itself exclusively
            try:
                with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w",
                               encoding="ascii") as handle:
                    handle.write(key + "\n")
            except FileExistsError:
                return _read_written(path)
    finally:
        os.unlink(tmp)
    return key


def _read_written(path: Path) -> str:
    key = _read(path)
    if key is None:  # removed again in between: nothing sensible to do but say so
        raise FileNotFoundError(2, "removed while being created", str(path))
    return key
