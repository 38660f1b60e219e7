"""Which language to speak to a person: ``--lang``, else ``GOVRULES_LANG``, else the locale.

The language is ``"zh"`` or ``"en"``. Chinese is chosen when the option, the variable
or the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, ``LANGUAGE``, in POSIX order) says
Chinese (``zh``, ``zh_CN.UTF-8``, ``zh-Hans``); English otherwise. Outputs that carry
both languages put the chosen one first; outputs that have room for one show it.

Messages written in code are English and marked with :func:`_` (or :func:`N_` where the
text is kept for later, :func:`ngettext` where a count picks the form); their Chinese comes
from the gettext catalog ``govrules/locale/zh/LC_MESSAGES/govrules.mo``, extracted and
compiled with Babel (``make messages``; docs/translating.md). The catalog is read with the
standard library's :mod:`gettext`, once, and only when Chinese is asked for: an English
run never opens it. Texts kept as ``{zh, en}`` pairs in data (packs, error-code tables) are
read with :func:`pick` and :func:`both`.

>>> set_language("zh"); language()
'zh'
>>> pick({"zh": "合同", "en": "contract"})
'合同'
>>> _("error")
'错误'
>>> set_language(None)
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping

TYPE_CHECKING = False  # typing is not imported on the path of --version and --help

if TYPE_CHECKING:
    from gettext import NullTranslations
    from typing import Literal

    Lang = Literal["zh", "en"]

__all__ = ["DOMAIN", "LANGUAGES", "LOCALE_DIR", "N_", "Lang", "_", "both", "chosen",
           "gettext", "in_order", "language", "language_from", "ngettext", "pick", "say",
           "set_language"]

LANGUAGES: tuple[Lang, ...] = ("zh", "en")

_chosen: Lang | None = None
"""Set by the command line (``--lang``); None: from the environment."""


def language_from(value: str | None) -> Lang | None:
    """``zh`` for a Chinese tag or locale, ``en`` for any other, None for nothing."""
    if not value:
        return None
    tag = value.strip().lower().replace("-", "_")
    if not tag or tag in ("c", "posix"):
        return "en" if tag else None
    return "zh" if tag.startswith("zh") else "en"


def set_language(lang: str | None) -> None:
    """Fix the language for this process (``None``: back to the environment)."""
    global _chosen  # noqa: PLW0603 - the one process-wide setting, set by the CLI
    _chosen = language_from(lang)


def chosen() -> Lang | None:
    """The language fixed by :func:`set_language` (``--lang``), or None."""
    return _chosen


def language() -> Lang:
    """The language to use now."""
    if _chosen is not None:
        return _chosen
    found = language_from(os.environ.get("GOVRULES_LANG"))
    if found is not None:
        return found
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        found = language_from(os.environ.get(name))
        if found is not None:
            return found
    first = (os.environ.get("LANGUAGE") or "").split(":")[0]
    return language_from(first) or "en"


def pick(text: Mapping[str, str] | object, lang: Lang | None = None) -> str:
    """The text in the language (a mapping or an object with ``zh`` and ``en``)."""
    chosen = lang or language()
    if isinstance(text, Mapping):
        return str(text.get(chosen) or text.get("en") or text.get("zh") or "")
    value = getattr(text, chosen, None) or getattr(text, "en", None) or getattr(text, "zh", "")
    return str(value)


def both(text: Mapping[str, str] | object, sep: str = " / ") -> str:
    """Both languages, the chosen one first."""
    first = language()
    second: Lang = "en" if first == "zh" else "zh"
    a, b = pick(text, first), pick(text, second)
    return a if not b or a == b else f"{a}{sep}{b}"


def say(zh: str, en: str) -> str:
    """A short message in the chosen language (for texts written in both at the call)."""
    return zh if language() == "zh" else en


DOMAIN = "govrules"
LOCALE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "locale")
"""Where the compiled catalogs are: ``<LOCALE_DIR>/<lang>/LC_MESSAGES/govrules.mo``."""


@functools.cache
def _translations(lang: Lang) -> NullTranslations:
    """The catalog of ``lang``, read once (English is the source: no catalog)."""
    import gettext as _gettext  # noqa: PLC0415 - only a Chinese run pays for it

    if lang == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def gettext(message: str) -> str:
    """``message`` (English, as written in the code) in the chosen language."""
    lang = language()
    if lang == "en":
        return message
    return _translations(lang).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the chosen language."""
    lang = language()
    if lang == "en":
        return singular if n == 1 else plural
    return _translations(lang).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark ``message`` for the catalog without translating it now (module-level texts,
    translated with :func:`_` where they are shown)."""
    return message


def in_order(zh: str, en: str) -> tuple[str, str]:
    """A text kept in both languages, the chosen one first."""
    return (zh, en) if language() == "zh" else (en, zh)
