"""Pinyin forms of a name, stored on the cadre so that "zs" or "zhangsan" finds 张三."""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Surnames whose reading differs from the character's common reading (单 is Shàn, not dān).
SURNAME_READINGS = {
    "万俟": ["mo", "qi"],
    "尉迟": ["yu", "chi"],
    "长孙": ["zhang", "sun"],
    "单": ["shan"],
    "曾": ["zeng"],
    "解": ["xie"],
    "仇": ["qiu"],
    "朴": ["piao"],
    "查": ["zha"],
    "区": ["ou"],
    "盖": ["ge"],
    "乐": ["yue"],
    "覃": ["qin"],
    "缪": ["miao"],
    "种": ["chong"],
    "秘": ["bi"],
    "翟": ["zhai"],
    "召": ["shao"],
    "员": ["yun"],
    "柏": ["bai"],
    "薄": ["bo"],
    "繁": ["po"],
}


@lru_cache(maxsize=65536)
def name_syllables(name: str) -> tuple[str, ...]:
    """The name's syllables in lower-case pinyin without tones: 张三 → ("zhang", "san")."""
    name = (name or "").strip()
    syllables: list[str] = []
    rest = name
    for surname in sorted(SURNAME_READINGS, key=len, reverse=True):
        if name.startswith(surname) and len(name) > len(surname):
            syllables = list(SURNAME_READINGS[surname])
            rest = name[len(surname) :]
            break
    syllables += lazy_pinyin(rest, style=Style.NORMAL, errors="default", v_to_u=False)
    return tuple(s.lower() for s in syllables if s.strip())


def name_pinyin(name: str) -> tuple[str, str]:
    """Return (full pinyin, initials) in lower case: 张三 → ("zhangsan", "zs")."""
    syllables = name_syllables(name)
    return "".join(syllables), "".join(s[0] for s in syllables)


def pinyin_sort_key(name: str) -> tuple[str, str]:
    """Names in pinyin order, syllable by syllable (every 陈 "chen …" before every 程
    "cheng …"; run together, "chenjianguo" would follow "chenggang"): for lists sorted
    in Python."""
    return " ".join(name_syllables(name)), name
