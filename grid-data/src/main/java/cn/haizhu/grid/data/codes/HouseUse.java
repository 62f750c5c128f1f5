package cn.haizhu.grid.data.codes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * House use (房屋用途): the eight top-level classes of GB/T 17986.1 (房产测量规范 房屋用途分类), stored by
 * their Chinese name, with the everyday words officers' files use for them. The importer, the demo, the
 * tiles' legend and the search text all take the list from here (docs/DOMAIN.md).
 *
 * <p>商住 (shops below, flats above) is taken as 住宅: people live there, and the grid counts residents
 * by it; an officer who wants it otherwise says {@code --map-values use=商住:商业金融信息}.
 */
public enum HouseUse implements Labelled {
    RESIDENTIAL("住宅", "residential", "住房", "居住", "民房", "宿舍", "公寓", "别墅", "自建房", "出租屋", "商住", "商住两用"),
    COMMERCIAL("商业金融信息", "commerce, finance, information", "商业", "商铺", "商店", "门面", "门店", "店铺", "商服",
            "商业服务", "商场", "市场", "金融", "银行", "酒店", "宾馆", "餐饮", "商业金融"),
    OFFICE("办公", "office", "写字楼", "办公楼", "行政办公"),
    INDUSTRIAL("工业交通仓储", "industry, transport, storage", "工业", "厂房", "工厂", "车间", "仓库", "仓储", "物流",
            "交通", "车库", "停车场"),
    PUBLIC_SERVICE("教育医疗卫生科研", "education, health, research", "教育", "学校", "幼儿园", "医院", "医疗", "卫生",
            "诊所", "卫生站", "科研", "教育医疗"),
    CULTURE("文化娱乐体育", "culture, entertainment, sport", "文化", "娱乐", "体育", "文体", "影院", "体育馆", "图书馆",
            "文化娱乐"),
    MILITARY("军事", "military"),
    OTHER("其他", "other", "其它");

    private static final Map<String, HouseUse> WORDS = new HashMap<>();

    static {
        for (HouseUse u : values()) {
            WORDS.put(u.zh(), u);
            for (String w : u.synonyms) {
                WORDS.put(w, u);
            }
        }
    }

    private final Label label;
    private final List<String> synonyms;

    HouseUse(String zh, String en, String... synonyms) {
        this.label = new Label(zh, en);
        this.synonyms = List.of(synonyms);
    }

    @Override
    public Label label() {
        return label;
    }

    /** The everyday words that mean this class. */
    public List<String> synonyms() {
        return synonyms;
    }

    /** The stored value: the class's Chinese name, as GB/T 17986.1 writes it. */
    @Override
    public String code() {
        return zh();
    }

    /** The class a file's word names (the class's own name or a synonym, surrounding spaces ignored), or empty. */
    public static Optional<HouseUse> of(String word) {
        return word == null ? Optional.empty() : Optional.ofNullable(WORDS.get(word.strip()));
    }

    /** The eight stored values in the standard's order, as the schema's CHECK lists them. */
    public static List<String> storedValues() {
        return java.util.Arrays.stream(values()).map(HouseUse::code).toList();
    }
}
