"""What every chart shares: languages, the colour palette, bilingual labels."""

from __future__ import annotations

from ..errors import InputError

LANGS = ("zh", "en", "both")
# Colour-blind-safe qualitative palette (Okabe-Ito and Tol), one colour per group.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999933",
           "#882255")


def check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise InputError("--lang", f"unknown language '{lang}'", allowed=", ".join(LANGS))


def label(zh: str, en: str, lang: str) -> str:
    """Text in one language or both; a shared leading symbol (△, ★1) is written once."""
    if lang == "both":
        head, _, rest = en.partition(" ")
        return f"{zh} {rest}" if rest and zh.startswith(head + " ") else f"{zh} {en}"
    return {"zh": zh, "en": en}[lang]
