"""Name and address patterns of a realistic Chinese/European marketplace.

Real enterprise names follow ``{行政区划}{字号}{行业}{组织形式}`` (e.g. 杭州瑞丰贸易有限公司,
深圳市华创电子科技有限公司); the English name a merchant shows abroad is the pinyin of the same
parts. Pools of people, streets and European companies come from Faker (seeded), drawn once per
run and then combined with a per-merchant ``random.Random``, which keeps volume generation fast.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from faker import Faker

from .rand import ri


@dataclass(frozen=True)
class City:
    zh: str
    en: str
    province_zh: str
    division: str  # GB/T 2260 code of the district where companies register
    districts: tuple[str, ...]
    municipality_style: bool  # "深圳市…" rather than "杭州…"


CN_CITIES: tuple[City, ...] = (
    City("杭州", "Hangzhou", "浙江省", "330106", ("西湖区", "滨江区", "余杭区", "萧山区"), False),
    City("宁波", "Ningbo", "浙江省", "330212", ("鄞州区", "北仑区", "海曙区"), False),
    City("义乌", "Yiwu", "浙江省", "330782", ("稠城街道", "北苑街道", "福田街道"), True),
    City("温州", "Wenzhou", "浙江省", "330302", ("鹿城区", "瓯海区", "龙湾区"), False),
    City("深圳", "Shenzhen", "广东省", "440305", ("南山区", "福田区", "宝安区", "龙岗区"), True),
    City("广州", "Guangzhou", "广东省", "440106", ("天河区", "白云区", "番禺区", "海珠区"), True),
    City("东莞", "Dongguan", "广东省", "441900", ("长安镇", "虎门镇", "松山湖"), True),
    City("佛山", "Foshan", "广东省", "440606", ("顺德区", "南海区", "禅城区"), True),
    City("上海", "Shanghai", "上海市", "310115", ("浦东新区", "闵行区", "嘉定区", "松江区"), False),
    City("北京", "Beijing", "北京市", "110105", ("朝阳区", "海淀区", "大兴区"), False),
    City("苏州", "Suzhou", "江苏省", "320506", ("吴中区", "工业园区", "相城区"), False),
    City("南京", "Nanjing", "江苏省", "320104", ("秦淮区", "江宁区", "鼓楼区"), False),
    City("厦门", "Xiamen", "福建省", "350203", ("思明区", "湖里区", "集美区"), True),
    City("泉州", "Quanzhou", "福建省", "350503", ("丰泽区", "晋江市", "石狮市"), True),
    City("青岛", "Qingdao", "山东省", "370212", ("崂山区", "黄岛区", "城阳区"), True),
    City("成都", "Chengdu", "四川省", "510107", ("武侯区", "高新区", "双流区"), False),
    City("武汉", "Wuhan", "湖北省", "420106", ("武昌区", "洪山区", "江汉区"), False),
    City("郑州", "Zhengzhou", "河南省", "410105", ("金水区", "郑东新区", "二七区"), False),
    City("长沙", "Changsha", "湖南省", "430104", ("岳麓区", "雨花区", "开福区"), False),
    City("合肥", "Hefei", "安徽省", "340104", ("蜀山区", "包河区", "高新区"), False),
    City("西安", "Xi'an", "陕西省", "610113", ("雁塔区", "未央区", "高新区"), False),
    City("天津", "Tianjin", "天津市", "120116", ("滨海新区", "南开区", "西青区"), False),
)

# 字号 (trade names) with their pinyin.
TRADE_NAMES: tuple[tuple[str, str], ...] = (
    ("瑞丰", "Ruifeng"),
    ("华创", "Huachuang"),
    ("鑫源", "Xinyuan"),
    ("恒达", "Hengda"),
    ("宏图", "Hongtu"),
    ("博远", "Boyuan"),
    ("佳禾", "Jiahe"),
    ("盛世", "Shengshi"),
    ("天成", "Tiancheng"),
    ("汇通", "Huitong"),
    ("云帆", "Yunfan"),
    ("领航", "Linghang"),
    ("嘉诚", "Jiacheng"),
    ("和信", "Hexin"),
    ("金鼎", "Jinding"),
    ("永泰", "Yongtai"),
    ("新锐", "Xinrui"),
    ("美达", "Meida"),
    ("优品", "Youpin"),
    ("乐享", "Lexiang"),
    ("蓝海", "Lanhai"),
    ("星辰", "Xingchen"),
    ("卓越", "Zhuoyue"),
    ("睿智", "Ruizhi"),
    ("安泰", "Antai"),
    ("锦程", "Jincheng"),
    ("华美", "Huamei"),
    ("信达", "Xinda"),
    ("聚源", "Juyuan"),
    ("德润", "Derun"),
    ("百川", "Baichuan"),
    ("万象", "Wanxiang"),
    ("启明", "Qiming"),
    ("凯瑞", "Kairui"),
    ("润禾", "Runhe"),
    ("森宇", "Senyu"),
    ("晨光", "Chenguang"),
    ("海纳", "Haina"),
    ("东升", "Dongsheng"),
    ("隆源", "Longyuan"),
    ("志远", "Zhiyuan"),
    ("华研", "Huayan"),
    ("合众", "Hezhong"),
    ("悦家", "Yuejia"),
    ("君诚", "Juncheng"),
    ("万达信", "Wandaxin"),
    ("中恒", "Zhongheng"),
    ("禾木", "Hemu"),
    ("沐阳", "Muyang"),
    ("青禾", "Qinghe"),
    ("匠心", "Jiangxin"),
    ("尚品", "Shangpin"),
    ("丰泽", "Fengze"),
    ("广联", "Guanglian"),
    ("巨星", "Juxing"),
    ("天虹", "Tianhong"),
    ("明德", "Mingde"),
    ("康宁", "Kangning"),
    ("鼎盛", "Dingsheng"),
    ("亿家", "Yijia"),
)

# 行业 by top-level category code, with the English rendering.
INDUSTRIES: dict[str, tuple[tuple[str, str], ...]] = {
    "food": (("食品", "Food"), ("农业科技", "Agricultural Technology"), ("茶业", "Tea")),
    "cosmetics": (
        ("化妆品", "Cosmetics"),
        ("生物科技", "Biotechnology"),
        ("日化", "Daily Chemical"),
    ),
    "electronics": (
        ("电子科技", "Electronic Technology"),
        ("智能科技", "Smart Technology"),
        ("数码科技", "Digital Technology"),
    ),
    "apparel": (("服饰", "Apparel"), ("纺织品", "Textile"), ("鞋业", "Footwear")),
    "baby": (("母婴用品", "Maternal and Infant Products"), ("儿童用品", "Children's Products")),
    "toys": (("玩具", "Toys"), ("文化创意", "Cultural and Creative")),
    "home": (("家居用品", "Home Furnishing"), ("日用品", "Household Products")),
    "medical": (("医疗器械", "Medical Devices"), ("医药科技", "Pharmaceutical Technology")),
    "health": (("健康科技", "Health Technology"), ("生物科技", "Biotechnology")),
    "": (
        ("贸易", "Trading"),
        ("商贸", "Commerce and Trade"),
        ("电子商务", "E-commerce"),
        ("进出口", "Import and Export"),
    ),
}
LEGAL_FORMS: tuple[tuple[str, str, int], ...] = (
    ("有限公司", "Co., Ltd.", 80),
    ("有限责任公司", "Co., Ltd.", 12),
    ("股份有限公司", "Corp., Ltd.", 3),
    ("商行", "Trading Firm", 5),
)


@dataclass(frozen=True)
class EuCountry:
    code: str
    locale: str
    legal_forms: tuple[str, ...]
    register: str  # the trade register a DSA Art. 30 trader is listed in
    vat_digits: int


EU_COUNTRIES: tuple[EuCountry, ...] = (
    EuCountry(
        "DE", "de_DE", ("GmbH", "GmbH & Co. KG", "UG (haftungsbeschränkt)"), "Handelsregister", 9
    ),
    EuCountry("FR", "fr_FR", ("SARL", "SAS", "SA"), "Registre du commerce et des sociétés", 11),
    EuCountry("IT", "it_IT", ("S.r.l.", "S.p.A."), "Registro delle imprese", 11),
    EuCountry("ES", "es_ES", ("S.L.", "S.A."), "Registro Mercantil", 9),
    EuCountry("NL", "nl_NL", ("B.V.",), "Handelsregister KvK", 9),
    EuCountry("PL", "pl_PL", ("Sp. z o.o.", "S.A."), "Krajowy Rejestr Sądowy", 10),
)


@dataclass
class NamePools:
    """Faker-drawn pools for one seed: enough variety for any volume, cheap to sample."""

    zh_people: list[str] = field(default_factory=list)
    zh_streets: list[str] = field(default_factory=list)
    en_companies: list[str] = field(default_factory=list)  # foreign brand owners
    eu: dict[str, dict[str, list[str]]] = field(default_factory=dict)


def build_pools(seed: int, size: int = 400) -> NamePools:
    zh = Faker("zh_CN")
    zh.seed_instance(seed)
    en = Faker("en_US")
    en.seed_instance(seed + 1)
    pools = NamePools(
        zh_people=[zh.name() for _ in range(size)],
        zh_streets=[zh.street_name() for _ in range(size)],
        en_companies=[en.company() for _ in range(size)],
    )
    for n, country in enumerate(EU_COUNTRIES):
        f = Faker(country.locale)
        f.seed_instance(seed + 10 + n)
        city = _city_drawer(f)
        pools.eu[country.code] = {
            "company": [f.last_name() for _ in range(size)],
            "people": [f.name() for _ in range(size)],
            "street": [f.street_address() for _ in range(size)],
            "city": [f"{f.postcode()} {city()}" for _ in range(size)],
        }
    return pools


def _city_drawer(f: Faker) -> Callable[[], str]:
    """``f.city`` made independent of ``PYTHONHASHSEED``: some locales (it_IT) build their
    city list from a set, whose order changes from process to process."""
    for provider in f.get_providers():
        cities = getattr(provider, "cities", None)
        if isinstance(cities, (set, frozenset, list, tuple)) and cities:
            ordered = sorted(cities)
            return lambda: f.random_element(ordered)
    return f.city


def weighted(rng: random.Random, options: tuple[tuple[str, str, int], ...]) -> tuple[str, str]:
    total = sum(o[2] for o in options)
    pick = rng.random() * total
    for zh_text, en_text, weight in options:
        pick -= weight
        if pick < 0:
            return zh_text, en_text
    return options[-1][0], options[-1][1]


def cn_company(rng: random.Random, *, industry_key: str = "") -> tuple[str, str, City]:
    """A Chinese enterprise name and its English rendering: (zh, en, city)."""
    city = rng.choice(CN_CITIES)
    trade_zh, trade_en = rng.choice(TRADE_NAMES)
    ind_zh, ind_en = rng.choice(INDUSTRIES.get(industry_key) or INDUSTRIES[""])
    form_zh, form_en = weighted(rng, LEGAL_FORMS)
    prefix = city.zh + ("市" if city.municipality_style and rng.random() < 0.7 else "")
    return (
        f"{prefix}{trade_zh}{ind_zh}{form_zh}",
        f"{city.en} {trade_en} {ind_en} {form_en}",
        city,
    )


def cn_address(rng: random.Random, city: City, pools: NamePools) -> str:
    district = rng.choice(city.districts)
    street = rng.choice(pools.zh_streets)
    prefix = "" if city.province_zh.endswith("市") else city.province_zh
    return (
        f"{prefix}{city.zh}市{district}{street}{ri(rng, 1, 999)}号"
        f"{ri(rng, 1, 30)}幢{ri(rng, 1, 28)}{ri(rng, 1, 20):02d}室"
    )


def eu_company(rng: random.Random, country: EuCountry, pools: NamePools) -> str:
    names = pools.eu[country.code]["company"]
    first = rng.choice(names)
    if rng.random() < 0.4:
        first = f"{first} & {rng.choice(names)}"
    return f"{first} {rng.choice(country.legal_forms)}"
