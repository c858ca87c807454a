"""Thai and English: Qt translations for the screens, and the kept language choice.

The source strings are English (``self.tr``); ``resources/translations/kiosk_th.ts``
is built from the sources with ``make translations`` and compiled to ``.qm``.
Domain messages (errors) carry both languages themselves (``Text``).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from kiosk.domain.errors import Text
from kiosk.ui.theme import RESOURCES

log = logging.getLogger("kiosk.ui")
LANGUAGES = ("en", "th")
_shown = "en"  # the language the screens show now (set by Language.apply)


def shown_language() -> str:
    """The language of the screens now, for text that comes from a label table."""
    return _shown


def label(text: Text) -> str:
    """A ``Text`` of the one label table (``kiosk.domain.labels``) in the screens' language."""
    return text.get(_shown)


def count_text(count: int, one: str, many: str) -> str:
    """``one`` (already translated) for a count of 1, else ``many``; "%1" becomes the count.

    English needs both forms ("1 order", "2 orders"); Thai has no plural, so the
    two translations read alike. Both sources go through ``tr`` at the call site,
    where lupdate finds them.
    """
    return (one if count == 1 else many).replace("%1", f"{count:,}")


TRANSLATIONS = RESOURCES / "translations"


class Language:
    """Installs the translator for the current language and remembers the choice."""

    def __init__(self, *, state_file: Path, default: str = "en") -> None:
        self._state_file = state_file
        self._translator: QTranslator | None = None
        self.current = self._load() or default

    def _load(self) -> str | None:
        try:
            value = json.loads(self._state_file.read_text(encoding="utf-8")).get("language")
        except (OSError, ValueError, AttributeError, RecursionError):  # a hand-edited file
            return None
        return value if value in LANGUAGES else None

    def _save(self) -> None:
        try:
            self._state_file.parent.mkdir(parents=True, exist_ok=True)
            self._state_file.write_text(json.dumps({"language": self.current}), encoding="utf-8")
        except OSError:
            log.warning("could not keep the language choice in %s", self._state_file)

    def apply(self) -> None:
        """Install the translator for ``current`` (posts LanguageChange to every widget)."""
        global _shown
        _shown = self.current
        app = QCoreApplication.instance()
        if app is None:
            return
        if self._translator is not None:
            QCoreApplication.removeTranslator(self._translator)
            self._translator = None
        if self.current != "en":
            translator = QTranslator(app)
            if translator.load(str(TRANSLATIONS / f"kiosk_{self.current}.qm")):
                QCoreApplication.installTranslator(translator)
                self._translator = translator
            else:
                log.error("translation for %s is missing", self.current)

    def set(self, language: str) -> None:
        if language not in LANGUAGES or language == self.current:
            return
        self.current = language
        self._save()
        self.apply()

    def toggle(self) -> None:
        self.set("th" if self.current == "en" else "en")
