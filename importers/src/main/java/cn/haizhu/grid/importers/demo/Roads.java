package cn.haizhu.grid.importers.demo;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Road names for the generated addresses, a handful per street, and door numbers that are never
 * given out twice on a road. The lists name real Haizhu roads near each street, but they are
 * approximate: which road a generated house is on says nothing about the real road.
 */
final class Roads {
    private static final Map<String, String[]> BY_STREET = Map.ofEntries(
            Map.entry("440105001", new String[] {"赤岗路", "赤岗北路", "艺苑路", "艺苑东路", "下渡路", "新港中路", "客村大街", "石榴岗路"}),
            Map.entry("440105002", new String[] {"新港西路", "新港中路", "江怡路", "怡乐路", "鹭江西街", "滨江东路"}),
            Map.entry("440105003", new String[] {"昌岗中路", "昌岗东路", "江南大道南", "晓港西马路", "晓港东马路", "细岗路", "晓园路"}),
            Map.entry("440105004", new String[] {"江南大道中", "江南西路", "南田路", "万寿路", "青凤路", "万松园路"}),
            Map.entry("440105005", new String[] {"滨江中路", "滨江东路", "滨江西路", "江湾路", "小港路", "怡安路"}),
            Map.entry("440105006", new String[] {"素社直街", "基立下道", "宝业路", "江南大道中", "蟠龙路"}),
            Map.entry("440105007", new String[] {"南华中路", "南华东路", "同福中路", "同福东路", "前进路"}),
            Map.entry("440105008", new String[] {"南华西路", "同福西路", "洪德路", "宝岗大道北", "洲头咀路"}),
            Map.entry("440105009", new String[] {"宝岗大道", "荔福路", "革新路", "龙凤街", "工业大道北"}),
            Map.entry("440105010", new String[] {"工业大道中", "宝岗大道南", "沙园大街", "广纸路", "东晓路"}),
            Map.entry("440105011", new String[] {"南石路", "南石西路", "工业大道南", "南箕路", "石岗路"}),
            Map.entry("440105012", new String[] {"南洲路", "东晓南路", "逸景路", "凤和路", "泰宁路", "康乐路"}),
            Map.entry("440105013", new String[] {"南洲路", "瑞宝路", "石溪路", "工业大道南", "金碧路", "宝通路"}),
            Map.entry("440105014", new String[] {"江海大道", "石榴岗路", "新滘中路", "大塘路", "聚德路", "金穗路"}),
            Map.entry("440105015", new String[] {"新港东路", "阅江中路", "阅江西路", "琶洲大道", "磨碟沙大街", "黄埔村路"}),
            Map.entry("440105016", new String[] {"南洲路", "新滘中路", "新滘东路", "上涌大街", "西滘路", "后滘路"}),
            Map.entry("440105017", new String[] {"华洲路", "新滘东路", "土华路", "小洲大街", "龙潭大街"}),
            Map.entry("440105018", new String[] {"官洲路", "赤沙路", "仑头路", "北山大街", "学院路"}));

    private final Map<String, Integer> lastNumber = new HashMap<>();

    /** The roads of a street. */
    static String[] of(String streetCode) {
        String[] roads = BY_STREET.get(streetCode);
        if (roads == null) {
            throw new IllegalArgumentException("no roads known for street " + streetCode);
        }
        return roads;
    }

    /** The next free door number on {@code road} (or lane), a few numbers on from the last one. */
    int nextNumber(String road, SplittableRandom rng) {
        int n = lastNumber.getOrDefault(road, 0) + 1 + rng.nextInt(3);
        lastNumber.put(road, n);
        return n;
    }
}
