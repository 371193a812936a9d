"""The fixed Chinese labels the ledger's choice values travel under (性别, 离退休类别,
原职级, 政治面貌, 身体状况, 居住状况, 生活困难, 状态, 紧急联系人关系, 民族), and the
everyday synonyms an import also accepts.
"""

from __future__ import annotations

from cadres.ethnicities import Ethnicity
from cadres.models import (
    CadreStatus,
    FamilyContact,
    Gender,
    Hardship,
    Health,
    LivingSituation,
    PoliticalStatus,
    Rank,
    RetirementKind,
)

GENDER_LABELS = {Gender.MALE: "男", Gender.FEMALE: "女"}
RETIREMENT_KIND_LABELS = {RetirementKind.LIXIU: "离休", RetirementKind.TUIXIU: "退休"}
RANK_LABELS = {
    Rank.PROVINCIAL: "省部级",
    Rank.BUREAU_CHIEF: "厅局级正职",
    Rank.BUREAU_DEPUTY: "厅局级副职",
    Rank.COUNTY_CHIEF: "县处级正职",
    Rank.COUNTY_DEPUTY: "县处级副职",
    Rank.SECTION_CHIEF: "乡科级正职",
    Rank.SECTION_DEPUTY: "乡科级副职",
    Rank.CLERK: "科员及以下",
    Rank.OTHER: "其他",
}
POLITICAL_STATUS_LABELS = {
    PoliticalStatus.CPC_MEMBER: "中共党员",
    PoliticalStatus.DEMOCRATIC_PARTY: "民主党派",
    PoliticalStatus.MASSES: "群众",
}
HEALTH_LABELS = {
    Health.GOOD: "良好",
    Health.FAIR: "一般",
    Health.POOR: "较差",
    Health.BEDRIDDEN: "卧床",
    Health.IN_HOSPITAL: "住院",
}
LIVING_LABELS = {
    LivingSituation.WITH_FAMILY: "与家人同住",
    LivingSituation.EMPTY_NEST: "空巢",
    LivingSituation.ALONE: "独居",
    LivingSituation.CARE_HOME: "入住养老机构",
}
HARDSHIP_LABELS = {Hardship.NONE: "无", Hardship.DIFFICULT: "生活困难", Hardship.EXTREME: "特困"}
STATUS_LABELS = {
    CadreStatus.ON_REGISTER: "在册",
    CadreStatus.DECEASED: "已故",
    CadreStatus.TRANSFERRED: "已转出",
}
RELATION_LABELS = {
    FamilyContact.Relation.SPOUSE: "配偶",
    FamilyContact.Relation.CHILD: "子女",
    FamilyContact.Relation.CHILD_IN_LAW: "儿媳或女婿",
    FamilyContact.Relation.GRANDCHILD: "孙辈",
    FamilyContact.Relation.SIBLING: "兄弟姐妹",
    FamilyContact.Relation.CARER: "护工",
    FamilyContact.Relation.OTHER: "其他",
}
RELATION_ALIASES = {
    **dict.fromkeys(["丈夫", "妻子", "老伴", "爱人"], FamilyContact.Relation.SPOUSE),
    **dict.fromkeys(["儿子", "女儿", "长子", "长女", "次子", "次女"], FamilyContact.Relation.CHILD),
    **dict.fromkeys(["儿媳", "女婿"], FamilyContact.Relation.CHILD_IN_LAW),
    **dict.fromkeys(["孙子", "孙女", "外孙", "外孙女"], FamilyContact.Relation.GRANDCHILD),
    **dict.fromkeys(["哥哥", "姐姐", "弟弟", "妹妹"], FamilyContact.Relation.SIBLING),
    **dict.fromkeys(["保姆", "护理员", "护理人员"], FamilyContact.Relation.CARER),
}
ETHNICITY_LABELS = {str(value): str(label) for value, label in Ethnicity.choices}
# "汉" for 汉族, and the two-digit GB/T 3304 code without its leading zero.
ETHNICITY_ALIASES = {
    **{label.removesuffix("族"): value for value, label in ETHNICITY_LABELS.items()},
    **{str(int(value)): value for value in ETHNICITY_LABELS},
}
