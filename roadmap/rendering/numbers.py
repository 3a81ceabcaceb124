"""Every number a person reads is formatted here: significant figures, thousands separators,
0 for zero and for rounding noise, never exponent notation, and the units written the way
each language writes them (万吨 and 万元 in Chinese). CSV files keep their figures to the
sixth decimal (`cells.rounded`) and do not come through here."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

SIGNIFICANT = 3
NOISE = 1e-9  # below this a figure is rounding noise (2.24e-11 t) and shown as 0
PERCENT_COLUMNS = ("share", "p_top_k")  # fractions a reader expects as 46.3 %, not 0.463


def number(value: float | int | None, digits: int = SIGNIFICANT) -> str:
    """`digits` significant figures (whole numbers in full), thousands separators."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = float(value)
    if abs(value) < NOISE:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    text = f"{round(value, decimals):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# A figure as a table cell holds it: -2,880, 46.3%, <0.1%, 25,000（99.8%） (an amount and its
# share); a dash stands for a figure not known.
FIGURE = re.compile(r"<?-?[\d,]+(\.\d+)?%?( ?[（(]<?[\d.]+ ?%[）)])?")
NO_FIGURE = ("", "—", "-")


def figures(cells: Iterable[str]) -> bool:
    """Whether a table column holds figures (set right-aligned, so that their digits line
    up): every cell a figure or a dash, at least one a figure."""
    shown = [cell for cell in cells if cell not in NO_FIGURE]
    return bool(shown) and all(FIGURE.fullmatch(cell) for cell in shown)


def approximate(value: float, lang: str) -> str:
    """A large estimate to three significant figures, not in full: 459万 in Chinese,
    4.59 million or 48,900 in English (4,593,689 MWh claimed a precision the model lacks)."""
    rounded = float(f"{value:.{SIGNIFICANT}g}")
    zh = f"{number(value / 1e4)}万" if abs(value) >= 1e4 else number(value)
    en = f"{number(value / 1e6)} million" if abs(value) >= 1e6 else number(rounded)
    return _pick(zh, en, lang)


def percent(value: float | None, digits: int = 0) -> str:
    """A fraction as a percentage; a dash for one not known (nothing to share)."""
    if value is None:
        return ""
    return "—" if math.isnan(value) else f"{value:.{digits}%}"


def shares(values: Iterable[float], digits: int = 0) -> list[str]:
    """Shares of one whole as percentages rounded so that the shown ones add up to 100 %
    (largest remainder: 98 + 2 + 1 + 0 would read 101 %)."""
    values = list(values)
    step = 10.0 ** -(digits + 2)  # the smallest shown share, as a fraction
    units = [math.floor(v / step + NOISE) for v in values]
    missing = round(sum(values) / step) - sum(units)
    by_remainder = sorted(range(len(values)), key=lambda i: units[i] - values[i] / step)
    for index in by_remainder[:max(missing, 0)]:
        units[index] += 1
    return [percent(unit * step, digits) for unit in units]


def tonnes(value: float, lang: str, per_year: bool = True) -> str:
    """tCO2e (per year): 万吨 in Chinese from ten thousand on, t in English."""
    zh = (f"{number(value / 1e4)}万吨" if abs(value) >= 1e4 else f"{number(value)}吨") + \
        ("CO2e/年" if per_year else "CO2e")
    en = f"{number(value)} tCO2e" + ("/yr" if per_year else "")
    return _pick(zh, en, lang)


# From these many tonnes a year a site is counted in 万吨 (Chinese) and Mt (English): a
# community's 18,534 t read 0.000-0.020 Mt on a chart beside tables in tonnes.
TEN_KT_FROM, MT_FROM = 1e5, 1e6


def site_tonnes(largest: float, lang: str) -> tuple[float, str, str, int]:
    """The one unit a report counts a site's tonnes in, charts and milestone tables alike,
    from the site's largest yearly emissions: (tonnes per unit, the unit in Chinese, in
    English, decimals a table shows). Chinese counts in 万吨 from `TEN_KT_FROM` on, else
    吨; English in Mt from `MT_FROM` on, else t. An axis has one scale, so a chart (or a
    table) in both languages takes the English one and names it in both. Tables show 万吨 and
    Mt to the same thousand tonnes (0.1 万吨, 0.001 Mt)."""
    if lang == "zh":
        return (1e4, "万吨", "", 1) if largest >= TEN_KT_FROM else (1.0, "吨", "", 0)
    return (1e6, "百万吨", "Mt", 3) if largest >= MT_FROM else (1.0, "吨", "t", 0)


def fixed(value: float, decimals: int) -> str:
    """A figure to a fixed number of decimals (one table's column alike), separators."""
    return f"{0.0 if abs(value) < NOISE else value:,.{decimals}f}"


# The units of an English amount, largest first: how many 10k yuan (万元) one holds, its name.
# Below a million an amount is written in yuan (50,100 yuan, not 0.0501 million yuan).
YUAN_UNITS = ((1e5, "billion yuan"), (100.0, "million yuan"), (1e-4, "yuan"))


def yuan_unit(amount: float) -> tuple[float, str]:
    """The English unit (`YUAN_UNITS`) of an amount in 10k yuan: the largest it reads at
    least 1 in (yuan below a million: 50,100 yuan, not 0.0501 million). Amounts a sentence
    compares read naturally in their own units: 6.43 billion yuan, 8.6 times the budget of
    743 million yuan (one unit made that 6,430 million)."""
    return next((unit for unit in YUAN_UNITS if abs(amount) >= unit[0]), YUAN_UNITS[-1])


def money(value: float, lang: str) -> str:
    """An amount given in 10k yuan (万元): 万元 (亿元 from 10^4 万元 on) in Chinese; in
    English to three significant figures in billion, million yuan or yuan (`yuan_unit`):
    4.62 billion yuan, 20.1 million yuan, 50,100 yuan; nothing is 0 yuan."""
    zh = f"{number(value / 1e4)}亿元" if abs(value) >= 1e4 else f"{number(value)}万元"
    size, unit = yuan_unit(value) if abs(value) >= NOISE else YUAN_UNITS[-1]  # 0 yuan
    en = f"{number(float(f'{value / size:.{SIGNIFICANT}g}'))} {unit}"
    return _pick(zh, en, lang)


def amounts(lang: str, **values: float) -> dict[str, str]:
    """Amounts in 10k yuan by name, each as `money` says it."""
    return {name: money(value, lang) for name, value in values.items()}


def year(value: int, lang: str) -> str:
    return _pick(f"{value}年", str(value), lang)


def _pick(zh: str, en: str, lang: str) -> str:
    return {"zh": zh, "en": en}.get(lang, f"{zh} ({en})")


# Excel number formats for the workbook: whole numbers with separators, fractions to 3 places.
EXCEL_INTEGER = "#,##0"
EXCEL_DECIMAL = "#,##0.###"


def excel_format(values) -> str:
    """The number format of a numeric column: decimals only where some figure is small."""
    nonzero = [abs(v) for v in values if v == v and v]  # v == v: not NaN
    return EXCEL_INTEGER if nonzero and min(nonzero) >= 100 else EXCEL_DECIMAL
