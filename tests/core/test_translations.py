"""Every user-visible string marked for translation has a Vietnamese translation."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_every_marked_string_is_translated_to_vietnamese(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-o", str(template), "."],
        cwd=ROOT, check=True,
    )
    with template.open("rb") as handle:
        marked = {message.id for message in read_po(handle) if message.id}
    with (ROOT / "translations/vi/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {message.id for message in catalog if message.id and message.string and not message.fuzzy}
    missing = sorted(str(message_id) for message_id in marked - translated)
    assert missing == [], f"run `make messages` and translate: {missing}"
    assert len(marked) > 150
