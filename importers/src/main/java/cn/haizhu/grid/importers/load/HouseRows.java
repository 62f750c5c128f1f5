package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.codes.HouseUse;
import java.util.regex.Pattern;

/** The row checks of houses (房屋): code, standard address, building/unit/floor/room, use, location. */
final class HouseRows {
    // compiled once: String.matches compiles its pattern on every call, a million times a file
    private static final Pattern CODE = Pattern.compile("\\d{14,24}");
    private static final Pattern FLOOR = Pattern.compile("-?\\d{1,3}");

    private HouseRows() {
    }

    /** A house row as checked, ready to write. */
    private record House(String code, String address, String building, String unit, Integer floor, String room,
                         String use, double lon, double lat) {
    }

    private static House check(Row row) throws RejectedRow {
        String code = row.required("house_code");
        if (!CODE.matcher(code).matches()) {
            throw new RejectedRow("house_code", code, "house_code must be 14-24 digits", "房屋编码应为 14-24 位数字");
        }
        String use = use(row);
        String floor = row.get("floor");
        if (floor != null && !FLOOR.matcher(floor).matches()) {
            throw new RejectedRow("floor", floor, "floor is not a whole number", "楼层不是整数");
        }
        if (floor != null && (Integer.parseInt(floor) < -5 || Integer.parseInt(floor) > 200)) {
            throw new RejectedRow("floor", floor, "floor must be between -5 and 200", "楼层应在 -5 到 200 之间");
        }
        String address = row.required("address");
        double[] p = row.point();
        return new House(code, address, row.get("building"), row.get("unit"), floor == null ? null : Integer.valueOf(floor),
                row.get("room"), use, p[0], p[1]);
    }

    /**
     * The house's use class (GB/T 17986.1, {@link HouseUse}) from the file's word, after the officer's
     * {@code --map-values}: a word no class knows loads as 其他 with a warning naming it, so a real file's
     * vocabulary never costs its rows; the officer maps the word and imports again.
     */
    private static String use(Row row) throws RejectedRow {
        String word = row.required("use");
        var use = HouseUse.of(word);
        if (use.isPresent()) {
            return use.get().code();
        }
        row.warn("use", word, "unknown house use '" + word + "', kept as 其他 (other); map it with --map-values use="
                        + word + ":<class>", "未知的房屋用途“" + word + "”，已按“其他”导入；可用 --map-values use="
                        + word + ":<用途> 或导入页的取值映射改为标准用途");
        return HouseUse.OTHER.code();
    }

    /** code, address, building, unit, floor, room, use, geom. */
    static void write(Row row, CopyWriter out) throws RejectedRow {
        House h = check(row);
        out.text(h.code()).text(h.address()).text(h.building()).text(h.unit()).smallint(h.floor()).text(h.room())
                .text(h.use()).point(h.lon(), h.lat());
    }

    /** The first pass of a two-pass load: code, geom. */
    static void writeKey(Row row, CopyWriter out) throws RejectedRow {
        House h = check(row);
        out.text(h.code()).point(h.lon(), h.lat());
    }

    /** House codes are plain digits (checked by {@link #writeKey}): duplicates are found as the file streams. */
    static String digitKey(Row row) {
        return row.get("house_code");
    }
}
