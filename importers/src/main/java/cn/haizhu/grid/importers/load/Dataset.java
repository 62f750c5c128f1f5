package cn.haizhu.grid.importers.load;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What can be imported, and the fields each dataset takes with the header names officers' files
 * use for them (Chinese first). Header matching ignores case, spaces, underscores and brackets,
 * so "身份证号", "公民身份号码" and "ID_NUMBER" all find {@code id_number}.
 */
public enum Dataset {
    GRIDS("grids", true, List.of(
            Field.required("code", "网格编码", "网格代码", "网格编号", "grid_code", "wgbm"),
            Field.optional("name", "网格名称", "名称", "wgmc"),
            Field.optional("community_code", "社区编码", "社区代码", "所属社区编码", "sqbm"),
            Field.optional("street_code", "街道编码", "街道代码", "所属街道编码", "jdbm"),
            // CSV/XLSX carry the polygon as WKT text; spatial formats carry their own geometry
            Field.optional("wkt", "geometry", "geom", "the_geom", "shape", "几何", "空间信息", "边界"))),
    HOUSES("houses", false, List.of(
            Field.required("house_code", "房屋编码", "房屋编号", "房屋代码", "code", "fwbm"),
            Field.required("address", "地址", "标准地址", "房屋地址", "详细地址", "dz"),
            Field.optional("building", "楼栋", "栋", "楼栋号", "楼号"),
            Field.optional("unit", "单元", "单元号"),
            Field.optional("floor", "楼层", "所在楼层", "层"),
            Field.optional("room", "房号", "室号", "房间号", "门牌号"),
            Field.required("use", "房屋用途", "用途", "房屋类型", "fwyt"),
            Field.optional("lon", "经度", "longitude", "lng", "x", "jd"),
            Field.optional("lat", "纬度", "latitude", "y", "wd"))),
    PERSONS("persons", false, List.of(
            Field.required("id_number", "身份证号", "公民身份号码", "身份证号码", "证件号码", "证件号", "sfzh", "zjhm"),
            // the document (IdDocument): named by the file where it has the column, else told by the number's form
            Field.optional("id_type", "证件类型", "证件种类", "证件名称", "zjlx", "document_type"),
            Field.required("name", "姓名", "xm"),
            // an 18-character number holds gender and birth date: the columns, where present, are cross-checked
            Field.optional("gender", "性别", "xb", "sex"),
            Field.optional("birth_date", "出生日期", "csrq", "birthday"),
            Field.required("household_type", "户籍类型", "人口类型", "人员类型", "户口类型"),
            Field.optional("phone", "联系电话", "手机号码", "手机号", "电话", "lxdh", "mobile"),
            Field.optional("tags", "重点人群", "人员标签", "标签", "重点人员类型"),
            Field.required("house_code", "房屋编码", "房屋编号", "居住房屋编码", "fwbm"))),
    ENTERPRISES("enterprises", false, List.of(
            Field.required("credit_code", "统一社会信用代码", "信用代码", "社会信用代码", "tyshxydm", "uscc"),
            Field.required("name", "企业名称", "单位名称", "名称", "qymc"),
            Field.optional("industry", "行业", "所属行业", "行业类别", "hy"),
            Field.optional("legal_person", "法定代表人", "法人代表", "法人", "fddbr"),
            Field.optional("address", "地址", "注册地址", "经营地址", "住所", "dz"),
            Field.optional("lon", "经度", "longitude", "lng", "x", "jd"),
            Field.optional("lat", "纬度", "latitude", "y", "wd")));

    /** A field of a dataset: its canonical name (the English column name) and header aliases. */
    public record Field(String name, boolean required, List<String> aliases) {
        static Field required(String name, String... aliases) {
            return new Field(name, true, List.of(aliases));
        }

        static Field optional(String name, String... aliases) {
            return new Field(name, false, List.of(aliases));
        }
    }

    private final String code;
    private final boolean polygons;
    private final List<Field> fields;

    Dataset(String code, boolean polygons, List<Field> fields) {
        this.code = code;
        this.polygons = polygons;
        this.fields = fields;
    }

    public String code() {
        return code;
    }

    /** Grids come as polygons; the record datasets as points (a geometry or lon/lat columns). */
    public boolean polygons() {
        return polygons;
    }

    /** Whether each record needs a location of its own (persons take theirs from their house). */
    public boolean located() {
        return this == HOUSES || this == ENTERPRISES;
    }

    /**
     * The datasets an import of this one writes, in one fixed order (the import takes their locks):
     * a grid import re-places houses, enterprises and, through their houses, persons.
     */
    public List<Dataset> writes() {
        return this == GRIDS ? List.of(values()) : List.of(this);
    }

    public List<Field> fields() {
        return fields;
    }

    public static Optional<Dataset> of(String code) {
        String c = code.toLowerCase(Locale.ROOT);
        for (Dataset d : values()) {
            if (d.code.equals(c) || d.code.equals(c + "s")) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** The form header names are compared in. */
    static String normaliseHeader(String header) {
        return header.toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-()（）\\[\\]【】:：*]", "");
    }
}
