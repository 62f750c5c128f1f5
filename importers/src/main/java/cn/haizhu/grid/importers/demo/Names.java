package cn.haizhu.grid.importers.demo;

import java.util.SplittableRandom;

/**
 * Chinese personal names: a surname drawn by frequency (a Guangdong table for locals, a national one
 * for people from elsewhere) and one or two given-name characters chosen by gender.
 */
final class Names {
    /** Surnames common in Guangzhou, roughly by frequency (Cantonese 区, 麦, 植 and two-character 欧阳, 司徒 included). */
    private static final Weighted<String> LOCAL = new Weighted<>(new String[] {
        "陈", "李", "黄", "梁", "张", "林", "刘", "吴", "何", "罗", "郑", "王", "杨", "周", "谢", "冯", "叶", "钟",
        "邓", "曾", "郭", "麦", "卢", "朱", "许", "蔡", "潘", "廖", "谭", "彭", "苏", "徐", "胡", "余", "莫", "赖",
        "关", "温", "邱", "袁", "孙", "马", "方", "赵", "高", "肖", "唐", "江", "姚", "区", "欧阳", "司徒", "植", "岑",
    }, new double[] {
        10, 7, 6.5, 4.5, 5, 4, 4, 3, 3, 3, 2.5, 3, 2.5, 2, 2, 2, 2, 2,
        1.8, 1.8, 1.5, 1.2, 1.2, 1.2, 1.2, 1.2, 1.1, 1, 1, 1, 1, 1, 1, 1, 0.8, 0.8,
        0.6, 0.6, 0.6, 0.8, 0.8, 0.8, 0.8, 1, 0.8, 0.8, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.2, 0.2,
    });
    /** Surnames across China, roughly by frequency. */
    private static final Weighted<String> NATIONAL = new Weighted<>(new String[] {
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
        "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
        "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔",
        "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "覃", "邹", "熊", "龚", "万", "雷", "向",
    }, new double[] {
        7.1, 7.0, 6.7, 5.4, 5.1, 4.6, 3.4, 2.9, 2.8, 2.5, 1.8, 1.7, 1.5, 1.4, 1.4, 1.3, 1.2, 1.2,
        1.2, 1.1, 1.0, 1.0, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.7, 0.7, 0.7, 0.7, 0.6, 0.6, 0.6,
        0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4,
        0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3,
    });
    private static final String MALE = "伟强军明杰俊浩健志文斌勇涛鹏辉华国建峰永家子宇嘉锦荣耀彬晖振宏东海波龙鑫磊超晨豪铭博睿轩泽彦昊宁成凯立德兴祥光庆广炳棠锐民生荣坚耀钧";
    private static final String FEMALE = "芳娟敏静丽艳婷雪玲霞燕琳欣怡颖慧洁佳倩晓梅秀兰凤红萍诗雅琪嘉悦彤晴妍莹淑惠桂珍美玉珊蕾思可瑶琼月翠碧少咏绮";

    private Names() {
    }

    /** A surname: from the Guangdong table if {@code local}, else from the national one. */
    static String surname(SplittableRandom rng, boolean local) {
        return (local ? LOCAL : NATIONAL).pick(rng);
    }

    /** One or (seven times in ten) two given-name characters. */
    static String given(SplittableRandom rng, boolean male) {
        String chars = male ? MALE : FEMALE;
        char first = chars.charAt(rng.nextInt(chars.length()));
        if (rng.nextInt(10) < 3) {
            return String.valueOf(first);
        }
        return new String(new char[] {first, chars.charAt(rng.nextInt(chars.length()))});
    }

    /** A whole name. */
    static String full(SplittableRandom rng, boolean male, boolean local) {
        return surname(rng, local) + given(rng, male);
    }
}
