"""The UI's catalogues (issue 9 item 4): every string marked for translation in the templates and
the code is in the committed sv, nb and fi catalogues, translated and not fuzzy, and the committed
.mo files are what the .po files compile to. `make messages` brings new strings in."""

import gettext
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = ("sv", "nb", "fi")  # English is the source language: its msgstr stay empty
# The same options as `make messages` (Makefile).
MAKEMESSAGES = {
    "extensions": ["html", "txt", "py"],
    "ignore_patterns": [".venv/*", "var/*", "bench/*", "tests/*", "build/*"],
    "add_location": "file",
    "verbosity": 0,
}


@pytest.fixture(autouse=True)
def _gettext_tools():
    # scripts/system-deps.sh installs them (Debian's gettext); without them nothing is checked
    if not shutil.which("msgfmt") or not shutil.which("msgcmp"):
        pytest.fail("gettext's msgfmt/msgcmp are missing: run scripts/system-deps.sh")


def _po(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def _catalogue(mo: Path) -> dict:
    with mo.open("rb") as f:
        return dict(gettext.GNUTranslations(f)._catalog)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """What makemessages extracts from the tree now, into a scratch locale folder. It walks the
    current folder and writes next to any locale/ it finds there, so it walks a folder of links
    to the tree without the committed locale/."""
    root = tmp_path_factory.mktemp("messages")
    src, out = root / "src", root / "out" / "locale"
    src.mkdir()
    out.mkdir(parents=True)
    base = Path(settings.BASE_DIR)
    for entry in base.iterdir():
        if entry.name not in ("locale", "var", "bench", "tests", "build") and not (
            entry.name.startswith(".")
        ):
            (src / entry.name).symlink_to(entry)
    cwd = Path.cwd()
    with override_settings(LOCALE_PATHS=[out]):
        try:
            os.chdir(src)
            call_command("makemessages", locale=list(TRANSLATED), symlinks=True, **MAKEMESSAGES)
        finally:
            os.chdir(cwd)
    return out


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_marked_string_is_translated(fresh, language):
    """msgcmp: each msgid extracted now has a translation in the committed catalogue (an
    untranslated or fuzzy entry counts as missing)."""
    extracted = fresh / language / "LC_MESSAGES" / "django.po"
    assert extracted.exists() and _po(language).exists()
    assert 'msgid "Log out"' in extracted.read_text()  # it did read the templates
    result = subprocess.run(
        ["msgcmp", str(_po(language)), str(extracted)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_entry_is_untranslated_or_fuzzy(language):
    for flag in ("--untranslated", "--only-fuzzy"):
        left = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", str(_po(language))],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        msgids = [line for line in left.splitlines() if line.startswith("msgid ")]
        # msgattrib keeps the header entry (msgid "") whenever it prints anything
        assert [m for m in msgids if m != 'msgid ""'] == [], (flag, left[:3000])


@pytest.mark.parametrize("language", [*TRANSLATED, "en"])
def test_the_committed_mo_is_the_compiled_po(tmp_path, language):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(_po(language))],
        capture_output=True,
        check=True,
    )
    committed = _po(language).with_suffix(".mo")
    assert committed.exists(), f"{committed} is missing: run `make messages`"
    assert _catalogue(committed) == _catalogue(compiled), "run `make messages` (compilemessages)"
