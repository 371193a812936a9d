"""Pinyin forms of a name, stored on the cadre so that "zs", "zhangs" or "zhang san"
finds 张三, and so that names sort as in a pinyin index.

The full pinyin is stored with its syllables apart ("chen jian guo"): run together,
陈建国 ("chenjianguo") would sort after 程刚 ("chenggang"), as "j" follows "g"; with the
space, every "chen …" comes before every "cheng …". A typed "chenjianguo" is split back
into syllables to be searched (``pinyin_prefixes``)."""

from functools import cache, lru_cache

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


# Every syllable of Mandarin as pypinyin writes it without tones ("lv" for 吕): a typed
# prefix is split into these, the last one possibly cut short.
_SYLLABLE_LIST = """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing
    bo bong bu ca cai can cang cao ce cei cen ceng cha chai chan chang chao che chen
    cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan
    cui cun cuo da dai dan dang dao de dei den deng di dia dian diao die din ding diu
    dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fiao fo fou fu
    ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha
    hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia
    jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei
    ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei len
    leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv lve ma
    mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan
    nang nao ne nei nen neng ni nia nian niang niao nie nin ning niu nong nou nu nuan
    nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po
    pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re
    ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha
    shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui
    shun shuo si song sou su suan sui sun suo ta tai tan tang tao te tei teng ti tian
    tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wong wu
    xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi
    yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai
    zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui
    zhun zhuo zi zong zou zu zuan zui zun zuo
"""
SYLLABLES = frozenset(_SYLLABLE_LIST.split())
SYLLABLE_PREFIXES = frozenset(s[:length] for s in SYLLABLES for length in range(1, len(s) + 1))
LONGEST_SYLLABLE = max(map(len, SYLLABLES))
# A search reads at most this many readings of what was typed ("xian": "xian", "xi an").
MAX_READINGS = 12


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
    """Return (full pinyin, initials) in lower case: 张三 → ("zhang san", "zs")."""
    syllables = name_syllables(name)
    return " ".join(syllables), "".join(s[0] for s in syllables)


def pinyin_sort_key(name: str) -> tuple[str, str]:
    """Names in pinyin order, syllable by syllable (every 陈 "chen …" before every 程
    "cheng …"), as the registry orders them by ``name_pinyin``: for lists sorted in
    Python."""
    return " ".join(name_syllables(name)), name


def pinyin_prefixes(text: str) -> list[str]:
    """The stored full pinyin that the letters ``text`` may begin: "chenj" → "chen j";
    "zhangsan" → "zhang san" (and "zhang sa n"); "xian" → "xian", "xi an", "xia n". Spaces
    typed keep syllables apart. The letters as typed are tried too (a name in Latin
    letters), so "zy", which is no pinyin, is only itself."""
    chunks = text.lower().split()
    if not chunks or not all(chunk.isascii() and chunk.isalpha() for chunk in chunks):
        return []
    last = len(chunks) - 1

    @cache
    def can_finish(index: int, start: int) -> bool:
        chunk = chunks[index]
        if start == len(chunk):
            return index == last or can_finish(index + 1, 0)
        rest = chunk[start:]
        if index == last and rest in SYLLABLE_PREFIXES:
            return True
        return any(
            rest[:length] in SYLLABLES and can_finish(index, start + length)
            for length in range(min(LONGEST_SYLLABLE, len(rest)), 0, -1)
        )

    found: dict[str, None] = {}

    def walk(index: int, start: int, pieces: list[str]) -> None:
        if len(found) >= MAX_READINGS:
            return
        chunk = chunks[index]
        if start == len(chunk):
            if index == last:
                found[" ".join(pieces)] = None
            else:
                walk(index + 1, 0, pieces)
            return
        rest = chunk[start:]
        if index == last and rest in SYLLABLE_PREFIXES:
            found[" ".join([*pieces, rest])] = None
        # Longest syllables first: the likeliest reading is kept if there are many.
        for length in range(min(LONGEST_SYLLABLE, len(rest)), 0, -1):
            if rest[:length] in SYLLABLES and can_finish(index, start + length):
                walk(index, start + length, [*pieces, rest[:length]])

    if can_finish(0, 0):
        walk(0, 0, [])
    if len(chunks) == 1:
        found[chunks[0]] = None
    return list(found)[: MAX_READINGS + 1]
