"""Product and brand vocabulary per top-level category (zh, en) and brand names by number."""

from __future__ import annotations

PRODUCTS: dict[str, tuple[tuple[str, str], ...]] = {
    "food": (
        ("西湖龙井茶", "West Lake Longjing tea"),
        ("手工挂面", "Hand-made noodles"),
        ("五香牛肉干", "Spiced beef jerky"),
        ("有机大米", "Organic rice"),
        ("纯芝麻油", "Pure sesame oil"),
        ("蜂蜜柚子茶", "Honey citron tea"),
    ),
    "health_supplement": (
        ("维生素C咀嚼片", "Vitamin C chewable tablets"),
        ("鱼油软胶囊", "Fish oil softgels"),
        ("蛋白粉", "Protein powder"),
    ),
    "cosmetics": (
        ("玻尿酸保湿精华", "Hyaluronic moisturising serum"),
        ("氨基酸洁面乳", "Amino acid cleanser"),
        ("防晒霜 SPF50+", "Sunscreen SPF50+"),
        ("丝绒哑光口红", "Velvet matte lipstick"),
    ),
    "medical_device": (
        ("电子体温计", "Digital thermometer"),
        ("医用外科口罩", "Surgical face masks"),
        ("上臂式电子血压计", "Upper-arm blood pressure monitor"),
    ),
    "electronics": (
        ("无线蓝牙耳机", "Wireless Bluetooth earbuds"),
        ("20000mAh移动电源", "20000 mAh power bank"),
        ("65W氮化镓充电器", "65 W GaN charger"),
        ("智能手环", "Smart fitness band"),
        ("机械键盘", "Mechanical keyboard"),
    ),
    "home": (
        ("304不锈钢保温杯", "304 stainless vacuum flask"),
        ("纯棉四件套", "Cotton bedding set"),
        ("硅胶厨具套装", "Silicone kitchen utensil set"),
        ("香薰蜡烛", "Scented candle"),
    ),
    "apparel": (
        ("纯棉圆领T恤", "Cotton crew-neck T-shirt"),
        ("羽绒服", "Down jacket"),
        ("运动跑鞋", "Running shoes"),
        ("真丝围巾", "Silk scarf"),
    ),
    "toys": (
        ("益智积木", "Building blocks"),
        ("遥控赛车", "Remote-control car"),
        ("毛绒玩具熊", "Plush teddy bear"),
    ),
    "baby": (
        ("婴儿纸尿裤", "Baby diapers"),
        ("宝宝湿巾", "Baby wipes"),
        ("硅胶奶瓶", "Silicone baby bottle"),
    ),
    "pet": (("冻干猫粮", "Freeze-dried cat food"), ("宠物牵引绳", "Pet leash")),
    "outdoor": (("登山背包", "Hiking backpack"), ("露营帐篷", "Camping tent")),
    "books": (("儿童绘本", "Children's picture book"),),
    "collectibles": (("景德镇青花瓷盘", "Jingdezhen blue-and-white plate"),),
    "": (("收纳盒", "Storage box"),),
}
VARIANTS: dict[str, tuple[str, ...]] = {
    "food": ("250g", "500g", "1kg"),
    "apparel": ("S", "M", "L", "XL"),
    "electronics": ("黑色 Black", "白色 White"),
    "cosmetics": ("30ml", "50ml"),
}
DEFAULT_VARIANTS = ("标准款 Standard", "礼盒装 Gift box")

_ONSETS = (
    "b",
    "c",
    "d",
    "f",
    "g",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "z",
    "br",
    "cl",
    "dr",
    "fl",
    "gr",
    "kr",
    "pl",
    "st",
    "tr",
)
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ei", "ia", "io", "ou")
_CODAS = ("", "", "n", "r", "s", "x", "l")


def brand_name(number: int) -> str:
    """A pronounceable name, different for every ``number`` (bijective digit expansion)."""
    syllables: list[str] = []
    n = number
    base = len(_ONSETS) * len(_VOWELS)
    while True:
        n, d = divmod(n, base)
        onset, vowel = divmod(d, len(_VOWELS))
        syllables.append(_ONSETS[onset] + _VOWELS[vowel])
        if n == 0 and len(syllables) >= 2:
            break
    word = "".join(syllables) + _CODAS[number % len(_CODAS)]
    return word.capitalize()
