"""Products per catalog leaf for demo listings where the evaluation set has few compliant texts:
(Chinese title, English title) pairs, and a plain description per top-level category. The
attributes come from a compliant evaluation text of the same top-level category and market,
and the engine checks every resulting text (``demo_listing_texts.texts_by_leaf``)."""

from __future__ import annotations

LEAF_PRODUCTS: dict[str, tuple[tuple[str, str], ...]] = {
    "apparel/accessories": (
        ("桑蚕丝方巾 53cm 印花", "Mulberry silk square scarf, 53 cm"),
        ("头层牛皮腰带 自动扣 120cm", "Full-grain leather belt, 120 cm"),
        ("羊毛针织围巾 纯色 180cm", "Wool knitted scarf, 180 cm"),
    ),
    "apparel/bags": (
        ("帆布托特包 大容量 通勤", "Canvas tote bag, large"),
        ("牛皮双肩包 14英寸电脑仓", "Leather backpack with 14-inch laptop sleeve"),
        ("20寸登机箱 PC材质 万向轮", "20-inch cabin suitcase, polycarbonate"),
    ),
    "apparel/jewellery": (
        ("S925银项链 简约锁骨链 45cm", "Sterling silver 925 chain necklace, 45 cm"),
        ("淡水珍珠耳钉 7-8mm", "Freshwater pearl stud earrings, 7-8 mm"),
        ("18K金手链 素圈 16cm", "18K gold bracelet, 16 cm"),
    ),
    "apparel/mens": (
        ("男士纯棉牛津纺衬衫 长袖", "Men's cotton Oxford shirt, long sleeve"),
        ("男士直筒牛仔裤 弹力 32码", "Men's straight-leg jeans, stretch"),
    ),
    "apparel/shoes": (
        ("女士真皮乐福鞋 平底 37码", "Women's leather loafers, flat"),
        ("男士帆布鞋 低帮 42码", "Men's low-top canvas sneakers"),
    ),
    "apparel/underwear": (
        ("莫代尔女士内裤 3条装 M码", "Women's modal briefs, pack of 3"),
        ("男士纯棉平角裤 4条装", "Men's cotton boxer briefs, pack of 4"),
        ("无钢圈文胸 舒适透气 75B", "Wire-free cotton bra, 75B"),
    ),
    "apparel/watches": (
        ("石英女表 钢带 30米防水", "Women's quartz watch, steel strap, 3 ATM"),
        ("男士机械表 自动上链 蓝宝石镜面", "Men's automatic watch, sapphire glass"),
    ),
    "apparel/womens": (
        ("女士羊毛大衣 中长款 双面呢", "Women's wool coat, mid-length"),
        ("女士真丝衬衫 长袖 M码", "Women's silk blouse, long sleeve"),
    ),
    "baby/baby_care": (
        ("婴儿洗发沐浴露 二合一 300ml", "Baby 2-in-1 shampoo and wash, 300 ml"),
        ("婴儿润肤乳 200ml", "Baby body lotion, 200 ml"),
    ),
    "baby/baby_food": (
        ("婴儿有机米粉 6月龄以上 225g", "Organic baby rice cereal, 6 months+, 225 g"),
        ("婴儿南瓜泥 6月龄以上 113g", "Baby pumpkin puree, 6 months+, 113 g"),
    ),
    "baby/car_seats": (
        ("儿童安全座椅 ISOFIX 9个月-12岁", "Child car seat with ISOFIX, 9 months-12 years"),
        ("婴儿提篮式安全座椅 0-13kg", "Infant car seat carrier, 0-13 kg"),
    ),
    "baby/clothing": (
        ("婴儿纯棉连体衣 66码 2件装", "Baby cotton bodysuits, size 66, pack of 2"),
        ("儿童纯棉睡衣套装 110码", "Children's cotton pyjamas, size 110"),
    ),
    "baby/diapers": (
        ("婴儿纸尿裤 L码 54片", "Baby nappies, size L, 54 pieces"),
        ("婴儿拉拉裤 XL码 38片", "Baby pull-up pants, size XL, 38 pieces"),
    ),
    "baby/feeding": (
        ("PPSU婴儿奶瓶 240ml 宽口径", "PPSU baby bottle, 240 ml, wide neck"),
        ("儿童硅胶餐盘 吸盘式", "Silicone suction plate for toddlers"),
    ),
    "baby/infant_formula": (("婴儿配方奶粉 1段 800g", "Infant formula stage 1, 800 g"),),
    "baby/maternity": (
        ("孕妇托腹裤 纯棉 L码", "Maternity support leggings, cotton"),
        ("哺乳文胸 无钢圈 2件装", "Nursing bras, wire-free, pack of 2"),
    ),
    "baby/strollers": (
        ("婴儿推车 轻便折叠 可登机", "Lightweight folding stroller, cabin size"),
        ("双向婴儿推车 高景观", "Reversible high-seat pram"),
    ),
    "books/audio_video": (
        ("古典音乐精选 黑胶唱片 2LP", "Classical music selection, vinyl 2LP"),
        ("纪录片 蓝光碟 4碟装", "Documentary series, Blu-ray, 4 discs"),
    ),
    "books/books": (
        ("《围城》钱锺书 平装", "Fortress Besieged by Qian Zhongshu, paperback"),
        ("《平凡的世界》全三册", "Ordinary World, three volumes"),
    ),
    "books/childrens_books": (
        ("儿童绘本 我爸爸 精装", "My Dad picture book, hardcover"),
        ("十万个为什么 少儿版 全8册", "One Hundred Thousand Whys for children, 8 volumes"),
    ),
    "books/magazines": (
        ("国家地理中文版 2026年全年订阅", "National Geographic, 2026 subscription"),
        ("读者 合订本 2025年", "Readers' digest bound volume 2025"),
    ),
    "books/textbooks": (
        ("高等数学 第八版 上册", "Advanced Mathematics, 8th edition, volume 1"),
        ("大学英语精读 第四版 第1册", "College English Intensive Reading, book 1"),
    ),
    "collectibles/antiques": (
        ("民国老式座钟 木质 可走时", "1930s wooden mantel clock, working"),
        ("清代青花瓷盘 直径20cm 附鉴定", "Qing blue-and-white plate, 20 cm, with appraisal"),
    ),
    "collectibles/art": (
        ("手绘山水画 宣纸 四尺整张", "Hand-painted landscape on rice paper"),
        ("限量版画 签名编号 50×70cm", "Signed limited-edition print, 50 x 70 cm"),
    ),
    "collectibles/coins_stamps": (
        ("2026年生肖邮票 小版张", "2026 zodiac stamp sheetlet"),
        ("熊猫银币 30克 2025版", "Panda silver coin, 30 g, 2025"),
    ),
    "collectibles/figures": (
        ("盲盒手办 系列12款 整盒", "Blind-box figure series, full box of 12"),
        ("动漫手办 1/7比例 PVC", "Anime figure, 1/7 scale, PVC"),
    ),
    "collectibles/jade_gems": (
        ("和田玉手镯 56mm 附检测证书", "Hetian jade bangle, 56 mm, with test certificate"),
        ("天然紫水晶原石 500g", "Natural amethyst cluster, 500 g"),
    ),
    "collectibles/trading_cards": (
        ("球星卡 2025赛季 补充包", "Sports trading cards, 2025 season booster"),
        ("集换式卡牌 入门套组", "Trading card game starter deck"),
    ),
    "cosmetics/bath_body": (
        ("氨基酸沐浴露 500ml", "Amino acid body wash, 500 ml"),
        ("乳木果身体乳 250ml", "Shea butter body lotion, 250 ml"),
    ),
    "cosmetics/fragrance": (
        ("木质调淡香水 50ml", "Woody eau de toilette, 50 ml"),
        ("柑橘香氛身体喷雾 100ml", "Citrus body mist, 100 ml"),
    ),
    "cosmetics/hair_dye": (("植物染发膏 栗棕色", "Plant-based hair colour, chestnut brown"),),
    "cosmetics/haircare": (
        ("无硅油洗发水 500ml", "Silicone-free shampoo, 500 ml"),
        ("修护护发素 400ml", "Repairing conditioner, 400 ml"),
    ),
    "cosmetics/imported": (
        ("法国进口保湿面霜 50ml", "Moisturising cream made in France, 50 ml"),
        ("日本进口卸妆油 200ml", "Cleansing oil made in Japan, 200 ml"),
    ),
    "cosmetics/makeup": (
        ("持妆粉底液 30ml 自然色", "Long-wear liquid foundation, 30 ml"),
        ("防水睫毛膏 8g", "Waterproof mascara, 8 g"),
    ),
    "cosmetics/oral_care": (
        ("含氟牙膏 120g 薄荷味", "Fluoride toothpaste, mint, 120 g"),
        ("漱口水 500ml 无酒精", "Alcohol-free mouthwash, 500 ml"),
    ),
    "cosmetics/skincare": (
        ("烟酰胺精华液 30ml", "Niacinamide serum, 30 ml"),
        ("补水面膜 10片装", "Hydrating sheet masks, pack of 10"),
    ),
    "cosmetics/sunscreen": (("清爽防晒乳 SPF30 50ml", "Light sun lotion SPF 30, 50 ml"),),
    "electronics/cameras": (
        ("微单相机 2420万像素 套机", "Mirrorless camera, 24.2 MP, kit lens"),
        ("运动相机 4K 防水40米", "4K action camera, waterproof to 40 m"),
    ),
    "electronics/chargers": (
        ("65W氮化镓充电器 双C口", "65 W GaN charger, two USB-C ports"),
        ("无线充电板 15W", "15 W wireless charging pad"),
    ),
    "electronics/computers": (
        ("14英寸轻薄笔记本电脑 16G+512G", "14-inch laptop, 16 GB + 512 GB"),
        ("27英寸4K显示器 IPS", "27-inch 4K IPS monitor"),
    ),
    "electronics/headphones_audio": (
        ("头戴式蓝牙耳机 主动降噪", "Over-ear Bluetooth headphones, noise cancelling"),
        ("便携蓝牙音箱 防水 20W", "Portable Bluetooth speaker, waterproof, 20 W"),
    ),
    "electronics/kitchen_appliances": (
        ("电饭煲 4L 智能预约", "Rice cooker, 4 l, timer"),
        ("破壁料理机 1.75L", "High-speed blender, 1.75 l"),
    ),
    "electronics/large_appliances": (
        ("滚筒洗衣机 10公斤 变频", "Front-loading washing machine, 10 kg, inverter"),
        ("双开门冰箱 500升 风冷", "Side-by-side fridge, 500 l, frost-free"),
    ),
    "electronics/mobile_phones": (
        ("5G智能手机 8G+256G 6.7英寸", "5G smartphone, 8 GB + 256 GB, 6.7-inch"),
        ("老人手机 大字大声 4G", "4G phone for seniors, large keys"),
    ),
    "electronics/personal_care_appliances": (
        ("负离子吹风机 1800W", "Ionic hair dryer, 1800 W"),
        ("电动剃须刀 三刀头 可水洗", "Electric shaver, three heads, washable"),
    ),
    "electronics/phone_accessories": (
        ("手机钢化膜 2片装 6.1英寸", "Tempered glass screen protector, pack of 2"),
        ("Type-C数据线 1米 编织", "USB-C cable, 1 m, braided"),
    ),
    "electronics/power_banks": (
        ("10000mAh移动电源 22.5W快充", "10,000 mAh power bank, 22.5 W"),
        ("20000mAh移动电源 双向快充", "20,000 mAh power bank, two-way fast charging"),
    ),
    "electronics/tablets": (
        ("11英寸平板电脑 8G+128G WiFi版", "11-inch tablet, 8 GB + 128 GB, Wi-Fi"),
        ("电子书阅读器 7英寸 墨水屏", "7-inch e-ink reader"),
    ),
    "electronics/tv_audio": (
        ("65英寸4K液晶电视", "65-inch 4K LCD TV"),
        ("回音壁音箱 5.1声道", "5.1 soundbar"),
    ),
    "electronics/wearables": (
        ("智能手表 心率血氧监测 GPS", "Smartwatch with heart rate and GPS"),
        ("智能手环 14天续航", "Fitness band, 14-day battery"),
    ),
    "food/alcohol": (
        ("宁夏贺兰山东麓 赤霞珠干红葡萄酒 750ml", "Ningxia Cabernet Sauvignon dry red, 750 ml"),
        ("绍兴黄酒 五年陈 500ml", "Shaoxing rice wine, 5 years, 500 ml"),
    ),
    "food/bakery": (
        ("全麦吐司 400g", "Wholemeal sandwich loaf, 400 g"),
        ("手工月饼礼盒 6枚装", "Hand-made mooncake gift box, 6 pieces"),
    ),
    "food/imported": (
        ("澳大利亚进口燕麦片 1kg", "Australian rolled oats, 1 kg"),
        ("意大利进口橄榄油 500ml", "Italian extra virgin olive oil, 500 ml"),
    ),
    "food/meat_seafood": (
        ("内蒙古羔羊肉卷 500g 冷冻", "Inner Mongolia lamb slices, frozen, 500 g"),
        ("舟山带鱼段 1kg 冷冻", "Zhoushan hairtail pieces, frozen, 1 kg"),
    ),
    "health_supplement/herbal_tonics": (("西洋参片 100g 罐装", "American ginseng slices, 100 g"),),
    "health_supplement/imported": (
        ("进口钙维生素D片 120片", "Calcium and vitamin D tablets, 120"),
    ),
    "health_supplement/probiotics": (("益生菌粉 2g×30袋", "Probiotic powder, 30 sachets"),),
    "home/cleaning": (
        ("洗衣凝珠 52颗", "Laundry capsules, 52"),
        ("厨房清洁剂 500ml 柠檬味", "Kitchen cleaner, lemon, 500 ml"),
    ),
    "home/furniture": (
        ("实木餐桌 1.4米 橡木", "Solid oak dining table, 1.4 m"),
        ("人体工学办公椅 网布", "Ergonomic mesh office chair"),
    ),
    "home/kitchenware": (
        ("铸铁炖锅 24cm 珐琅", "Enamelled cast-iron casserole, 24 cm"),
        ("骨瓷餐具套装 16件", "Bone china dinner set, 16 pieces"),
    ),
    "home/lighting": (
        ("LED吸顶灯 36W 三色调光", "LED ceiling light, 36 W, dimmable"),
        ("护眼台灯 全光谱", "Full-spectrum desk lamp"),
    ),
    "home/storage": (
        ("收纳箱 55L 带盖 3个装", "Storage boxes with lids, 55 l, pack of 3"),
        ("衣柜分层隔板 可伸缩", "Extendable wardrobe shelf divider"),
    ),
    "medical_device/blood_glucose": (
        ("血糖仪 家用 含50片试纸", "Blood glucose meter with 50 test strips"),
    ),
    "medical_device/contact_lenses": (
        ("硅水凝胶隐形眼镜 月抛 3片装", "Monthly contact lenses, 3"),
    ),
    "medical_device/hearing_aids": (
        ("耳背式助听器 数码降噪", "Behind-the-ear digital hearing aid"),
    ),
    "medical_device/home_tests": (("排卵检测试纸 20条", "Ovulation test strips, 20"),),
    "medical_device/masks": (("医用外科口罩 独立包装 50只", "Surgical face masks, 50"),),
    "outdoor/cycling": (
        ("公路自行车 铝合金车架 22速", "Road bike, aluminium frame, 22 speeds"),
        ("骑行手套 半指 L码", "Cycling gloves, fingerless"),
    ),
    "outdoor/ebikes": (("电动自行车 48V 新国标", "Electric bicycle, 48 V"),),
    "outdoor/fishing": (
        ("碳素鱼竿 5.4米 台钓竿", "Carbon fishing rod, 5.4 m"),
        ("纺车轮 金属线杯 3000型", "Spinning reel, size 3000"),
    ),
    "outdoor/helmets": (
        ("骑行头盔 一体成型 L码", "Cycling helmet, in-mould, size L"),
        ("滑雪头盔 可调节", "Ski helmet, adjustable"),
    ),
    "outdoor/sportswear": (
        ("速干运动T恤 男款", "Men's quick-dry sports T-shirt"),
        ("冲锋衣 三合一 防风防泼水", "3-in-1 hiking jacket, windproof"),
    ),
    "outdoor/swimming": (
        ("防雾泳镜 成人款", "Anti-fog swimming goggles, adult"),
        ("硅胶泳帽 长发适用", "Silicone swim cap for long hair"),
    ),
    "pet/aquarium": (
        ("超白玻璃鱼缸 60cm", "Aquarium, low-iron glass, 60 cm"),
        ("鱼缸过滤器 静音 外置", "External aquarium filter, quiet"),
    ),
    "pet/health": (
        ("宠物营养膏 120g", "Pet nutrition paste, 120 g"),
        ("宠物指甲剪 不锈钢", "Stainless pet nail clippers"),
    ),
    "pet/supplies": (
        ("猫砂盆 全封闭 大号", "Enclosed cat litter box, large"),
        ("牵引绳 反光 1.5米", "Reflective dog lead, 1.5 m"),
    ),
    "pet/toys": (
        ("逗猫棒 羽毛替换装", "Cat teaser wand with feather refills"),
        ("耐咬磨牙绳结玩具", "Rope chew toy for dogs"),
    ),
    "toys/arts_crafts": (
        ("儿童水彩笔 48色 可水洗", "Washable felt-tip pens, 48 colours"),
        ("超轻黏土 24色 套装", "Air-dry modelling clay, 24 colours"),
    ),
    "toys/dolls": (("换装娃娃 30cm 含衣服3套", "Fashion doll, 30 cm, with 3 outfits"),),
    "toys/electric": (("遥控越野车 1:18 充电版", "RC off-road car, 1:18, rechargeable"),),
    "toys/plush": (("毛绒兔子公仔 35cm", "Plush rabbit, 35 cm"),),
    "toys/ride_on": (("儿童平衡车 无脚踏 2-6岁", "Balance bike without pedals, 2-6 years"),),
}

DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "food": (
        "{name}，精选原料，按国家标准生产，开袋即食或按包装说明烹饪。",
        "{name}. Selected ingredients; see the pack for preparation and storage.",
    ),
    "health_supplement": (
        "{name}，请按标签建议量食用，本品不能代替药物。",
        "{name}. Food supplement; do not exceed the recommended daily dose.",
    ),
    "cosmetics": (
        "{name}，质地轻薄易吸收，使用前请先做皮肤测试。",
        "{name}. Light texture; do a patch test before first use.",
    ),
    "medical_device": (
        "{name}，请仔细阅读说明书并按说明使用。",
        "{name}. Read the instructions for use before use.",
    ),
    "electronics": (
        "{name}，全国联保一年，附说明书和保修卡。",
        "{name}. Two-year warranty; manual and warranty card included.",
    ),
    "home": (
        "{name}，尺寸与材质详见参数，七天无理由退货。",
        "{name}. Dimensions and materials in the specifications; 30-day returns.",
    ),
    "apparel": (
        "{name}，尺码请参考尺码表，支持七天无理由退换。",
        "{name}. See the size chart; free returns within 30 days.",
    ),
    "toys": (
        "{name}，请在成人监护下使用，适用年龄见包装。",
        "{name}. Use under adult supervision; age range on the box.",
    ),
    "baby": (
        "{name}，请按说明使用，使用前检查包装完好。",
        "{name}. Follow the instructions; check the packaging is intact before use.",
    ),
    "pet": (
        "{name}，适合大多数猫狗使用，规格详见参数。",
        "{name}. Suits most cats and dogs; sizes in the specifications.",
    ),
    "outdoor": (
        "{name}，户外使用前请检查配件是否齐全。",
        "{name}. Check all parts are present before use outdoors.",
    ),
    "books": ("{name}，正版图书，全新未拆封。", "{name}. New, sealed copy."),
    "collectibles": (
        "{name}，实物拍摄，品相见图片。",
        "{name}. Photographed as is; condition as shown.",
    ),
}
