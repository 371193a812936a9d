"""The uploaded files of a backup (see cadres/backups.py): the media (cadre photos) in
``media/`` and the private uploads of PRIVATE_FILES_ROOT (assistance documents, checkup
report scans) in ``private/``. Only the settings say where they are: the registry app
does not know the apps that write them."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings

MEDIA = "media"
PRIVATE = "private"
# Uploaded ledgers (ledger/models.py, upload_path): ID numbers in clear.
MEDIA_LEFT_OUT = ("ledger/imports",)


def files_copy_media(target: Path) -> int:
    """Copy MEDIA_ROOT (but the uploaded ledgers) to ``target``; how many files."""
    source = Path(settings.MEDIA_ROOT)
    left_out = {source / part for part in MEDIA_LEFT_OUT}

    def ignore(folder, names):
        return [name for name in names if Path(folder) / name in left_out]

    return _copy_tree(source, target, ignore=ignore)


def files_copy_private(target: Path) -> int:
    """Copy PRIVATE_FILES_ROOT to ``target``; how many files."""
    return _copy_tree(Path(settings.PRIVATE_FILES_ROOT), target)


def files_restore(folder: Path) -> None:
    """Copy a backup's media and private files back in place, over what is there (a
    file uploaded since the backup stays)."""
    for name, root in ((MEDIA, settings.MEDIA_ROOT), (PRIVATE, settings.PRIVATE_FILES_ROOT)):
        if (folder / name).is_dir():
            shutil.copytree(folder / name, Path(root), dirs_exist_ok=True)


def _copy_tree(source: Path, target: Path, ignore=None) -> int:
    if not source.is_dir():
        return 0
    shutil.copytree(source, target, ignore=ignore)
    return sum(1 for path in target.rglob("*") if path.is_file())
