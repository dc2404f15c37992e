"""Credentials for a store, from an environment variable or a file: never from the command
line (where other users' ``ps`` would see them) and never printed.

The value is either ``user:password`` (sent as HTTP Basic) or ``Bearer TOKEN`` (sent as
is); a file holds it on its first non-empty line.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from medkg.errors import MedkgError

ENVIRONMENT = "MEDKG_PUBLISH_CREDENTIALS"


def authorization(file: Path | None, environ: dict[str, str] | None = None) -> str | None:
    """The ``Authorization`` header value for the credentials in `file`, else in
    `ENVIRONMENT`; None when neither is given. `MedkgError` for an unreadable or malformed
    file (the message never shows its content)."""
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise MedkgError(
                f"{file}: the credentials file cannot be read ({type(error).__name__}); "
                "give a readable file holding user:password or Bearer TOKEN"
            ) from error
        value = next((line.strip() for line in text.splitlines() if line.strip()), "")
        where = str(file)
    else:
        value = (environ if environ is not None else dict(os.environ)).get(ENVIRONMENT, "")
        value = value.strip()
        where = f"${ENVIRONMENT}"
        if not value:
            return None
    if value.startswith("Bearer ") and len(value) > len("Bearer "):
        return value
    user, colon, _password = value.partition(":")
    if not colon or not user:
        raise MedkgError(
            f"{where}: credentials must be user:password or Bearer TOKEN (the value is not shown)"
        )
    return "Basic " + base64.b64encode(value.encode("utf-8")).decode("ascii")
