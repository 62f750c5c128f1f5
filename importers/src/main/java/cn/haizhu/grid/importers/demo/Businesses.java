package cn.haizhu.grid.importers.demo;

import cn.haizhu.grid.data.codes.CreditCode;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Enterprise rows: a GB 32100 credit code registered in Haizhu (91 for companies, 92 for
 * individual businesses, region 440105, unique), a registered name unique in the run, an industry
 * section of GB/T 4754 by a plausible city-district mix, and a legal person.
 */
final class Businesses {
    private static final String[] INDUSTRIES = {
        "批发和零售业", "租赁和商务服务业", "住宿和餐饮业", "信息传输软件和信息技术服务业", "科学研究和技术服务业",
        "居民服务修理和其他服务业", "制造业", "房地产业", "交通运输仓储和邮政业", "文化体育和娱乐业",
    };
    private static final double[] COMPANY_MIX = {30, 19, 7, 12, 10, 5, 5, 5, 4, 3};
    private static final double[] INDIVIDUAL_MIX = {48, 4, 26, 2, 1, 14, 2, 1, 1, 1};
    /** What a company of each industry calls itself after its trade name. */
    private static final String[][] COMPANY_WORDS = {
        {"贸易", "商贸", "百货", "服装", "食品", "五金", "电子", "医药", "纺织品", "建材"},
        {"企业管理咨询", "商务服务", "广告", "会展服务", "人力资源", "投资咨询"},
        {"餐饮管理", "餐饮", "酒店管理", "饮食"},
        {"信息科技", "网络科技", "软件", "数据科技", "智能科技", "电子商务"},
        {"科技", "检测技术", "工程设计", "生物科技", "技术服务", "环保科技"},
        {"家政服务", "物业服务", "洗涤服务", "美容", "汽车服务", "维修服务"},
        {"服装", "制衣", "印刷", "皮具", "电子设备", "食品", "家具"},
        {"房地产开发", "物业管理", "房地产代理", "置业"},
        {"物流", "运输", "货运代理", "供应链管理", "仓储"},
        {"文化传播", "体育发展", "影视", "文化艺术", "传媒"},
    };
    /** What an individual business of each industry calls itself. */
    private static final String[][] SHOP_WORDS = {
        {"便利店", "商行", "士多店", "服装店", "水果店", "五金店", "烟酒商行", "药店"},
        {"商务服务部", "广告部", "打印店"},
        {"餐饮店", "茶餐厅", "粥粉面店", "小吃店", "烧腊店", "糖水店", "酒家", "旅馆"},
        {"电脑维修部", "手机店", "网络工作室"},
        {"技术服务部", "设计工作室"},
        {"美发店", "洗衣店", "汽车维修店", "家电维修部", "理发店", "美容店"},
        {"制衣厂", "加工厂", "印刷厂", "皮具加工部"},
        {"房产中介部", "地产代理部"},
        {"货运部", "搬家服务部", "快递服务部"},
        {"文化工作室", "棋牌室", "健身工作室", "琴行"},
    };
    private static final String TRADE_CHARS = "鸿盛泰华粤信达德丰源嘉兴隆瑞恒福裕祥鑫创智联新珠诚博远景汇宏锦安康永昌益万富金宝盈佳誉和顺旺通明亿辉卓越启航星辰云天骏荣凯腾峰豪俊乐美致尚品优领朗泓晟睿铭浩奕璟翔驰臻凌嘉彩逸雅骐力海南江岭穗羊";
    /** Organisation code bodies issued before 2015 in Guangzhou mostly begin with these two digits. */
    private static final String[] LEGACY_PREFIXES = {"19", "23", "55", "58", "61", "66", "68", "69", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79"};
    private static final String BODY_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private final Weighted<Integer> companyIndustry = weights(COMPANY_MIX);
    private final Weighted<Integer> individualIndustry = weights(INDIVIDUAL_MIX);
    private final Set<String> codes = new HashSet<>();
    private final Set<String> names = new HashSet<>();

    /**
     * Appends one row {@code credit_code,name,industry,legal_person,address,lon,lat} (with '\n').
     * One in five is an individual business (个体工商户).
     */
    void write(StringBuilder out, String address, double lon, double lat, SplittableRandom rng) {
        boolean individual = rng.nextDouble() < 0.2;
        int industry = (individual ? individualIndustry : companyIndustry).pick(rng);
        Text.csvField(out, creditCode(individual, rng)).append(',');
        Text.csvField(out, name(individual, industry, rng)).append(',');
        out.append(INDUSTRIES[industry]).append(',');
        Text.csvField(out, Names.full(rng, rng.nextDouble() < 0.65, rng.nextDouble() < 0.6)).append(',');
        Text.csvField(out, address).append(',');
        Text.decimal7(out, lon).append(',');
        Text.decimal7(out, lat).append('\n');
    }

    private String creditCode(boolean individual, SplittableRandom rng) {
        while (true) {
            StringBuilder body = new StringBuilder(8);
            if (rng.nextDouble() < (individual ? 0.7 : 0.55)) {
                body.append("MA").append(rng.nextBoolean() ? '5' : '9'); // codes issued since 2015
                for (int i = 0; i < 5; i++) {
                    body.append(BODY_CHARS.charAt(rng.nextInt(BODY_CHARS.length())));
                }
            } else if (individual) {
                body.append('L');
                Text.padded(body, rng.nextInt(10_000_000), 7);
            } else {
                body.append(LEGACY_PREFIXES[rng.nextInt(LEGACY_PREFIXES.length)]);
                Text.padded(body, rng.nextInt(1_000_000), 6);
            }
            String org = body.toString() + CreditCode.organizationCheckChar(body.toString());
            String first17 = (individual ? "92" : "91") + "440105" + org;
            String code = first17 + CreditCode.checkChar(first17);
            if (codes.add(code)) {
                return code;
            }
        }
    }

    private String name(boolean individual, int industry, SplittableRandom rng) {
        while (true) {
            String trade = new String(new char[] {
                TRADE_CHARS.charAt(rng.nextInt(TRADE_CHARS.length())), TRADE_CHARS.charAt(rng.nextInt(TRADE_CHARS.length()))});
            String name;
            if (individual) {
                String[] words = SHOP_WORDS[industry];
                name = "广州市海珠区" + trade + words[rng.nextInt(words.length)];
            } else {
                String[] words = COMPANY_WORDS[industry];
                double r = rng.nextDouble();
                String prefix = r < 0.5 ? "广州" : r < 0.85 ? "广州市海珠区" : "广州市";
                name = prefix + trade + words[rng.nextInt(words.length)] + "有限公司";
            }
            if (names.add(name)) {
                return name;
            }
        }
    }

    private static Weighted<Integer> weights(double[] mix) {
        Integer[] idx = new Integer[mix.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return new Weighted<>(idx, mix);
    }
}
