"""What every chart shares: languages, the colour palette, bilingual labels.

Colours are fixed per category (by the catalog's category name) and per function, never by
order of appearance: a category has the same colour in every chart, report and site.
"""

from __future__ import annotations

import zlib

from ..errors import InputError

LANGS = ("zh", "en", "both")
# Paul Tol's colour-blind-safe "muted" scheme (9 colours) and its pale grey as a tenth.
PALETTE = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677",
           "#882255", "#AA4499", "#BBBBBB")

# The categories of each catalog in the catalog's order, from the catalog's first palette
# position; position i takes PALETTE[i], so the categories of one domain never share a
# colour (no domain has more than 10). The transport catalog starts after the town
# catalog's six: a county plans with both (Nan'ao), and 道路交通 took 规划管理's colour.
CATEGORIES = (
    (0, ("规划与布局", "围护结构", "通风系统", "空调系统", "照明系统", "可再生能源利用")),
    (6, ("道路交通", "轨道交通", "港口交通", "航空交通")),
    (0, ("配电系统效率提升技术", "企业用能综合管理提升技术", "余热余压的回收与利用",
         "燃烧效率提升技术", "清洁能源利用技术", "设施节电技术", "提高再生原料利用技术",
         "可再生能源利用技术",
         "工业各行业的突破性减碳工艺技术", "碳捕捉、存储与利用技术（CCUS技术）")),
    (0, ("低碳规划技术", "低碳建筑技术", "低碳交通技术", "低碳科技技术", "低碳能源技术",
         "低碳管理与服务")),
    (0, ("社区管理", "社区配套", "社区住宅", "社区能源")),
    (0, ("规划管理", "能源", "工业", "交通", "建筑", "农林业", "环境卫生")),
)
CATEGORY_COLOURS = {name: PALETTE[first + i] for first, names in CATEGORIES
                    for i, name in enumerate(names)}

# What a measure does for the emissions (Okabe-Ito colours, distinct from each other).
FUNCTION_COLOURS = {"efficiency": "#0072B2", "electrification": "#E69F00",
                    "clean_power": "#56B4E9", "structure": "#CC79A7", "sink": "#009E73",
                    "ccus": "#555555", "enabling": "#F0E442"}
# The town catalog's subcategories that name a function (seed 003 table 7-2).
FUNCTION_OF_SUBCATEGORY = {"能效提升": "efficiency", "电气化": "electrification",
                           "清洁电力": "clean_power", "产业结构优化": "structure",
                           "工艺低碳化": "structure", "林业碳汇": "sink", "CCUS商业化": "sink"}


def category_colour(category: str) -> str:
    """The fixed colour of a catalog category; another name gets a stable hashed one."""
    top = category.split(" · ")[0]
    if top in CATEGORY_COLOURS:
        return CATEGORY_COLOURS[top]
    return PALETTE[zlib.crc32(top.encode()) % len(PALETTE)]


def group_colour(group: str) -> str:
    """A function's colour for a function key or a subcategory naming one, else the
    category's colour (a Gantt group "category · subcategory" takes its category's)."""
    key = FUNCTION_OF_SUBCATEGORY.get(group, group)
    return FUNCTION_COLOURS.get(key) or category_colour(group)


def check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise InputError("--lang", "unknown_language", lang=lang, allowed=", ".join(LANGS))


def bracketed(text: object, detail: object, lang: str) -> str:
    """`text` with `detail` after it in brackets: Chinese ones in Chinese, 名称（编号）,
    else `text (detail)`."""
    return f"{text}（{detail}）" if lang == "zh" else f"{text} ({detail})"


def label(zh: str, en: str, lang: str) -> str:
    """Text in one language or both; a shared leading symbol (△, ★1) is written once."""
    if lang == "both":
        if zh == en:  # a method name, an id: once
            return zh
        head, _, rest = en.partition(" ")
        return f"{zh} {rest}" if rest and zh.startswith(head + " ") else f"{zh} {en}"
    return {"zh": zh, "en": en}[lang]
