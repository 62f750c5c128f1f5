package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.codes.CreditCode;

/** The row checks of enterprises (法人单位), keyed by unified social credit code (GB 32100). */
final class EnterpriseRows {
    private EnterpriseRows() {
    }

    /** An enterprise row as checked, ready to write. */
    private record Enterprise(String code, String name, String industry, String legalPerson, String address,
                              double lon, double lat) {
    }

    private static Enterprise check(Row row) throws RejectedRow {
        String code = CreditCode.normalise(row.required("credit_code"));
        var problem = CreditCode.problem(code);
        if (problem.isPresent()) {
            throw new RejectedRow("credit_code", code, "unified social credit code: " + problem.get(),
                    "统一社会信用代码不合规（GB 32100）：" + problem.get());
        }
        String name = row.required("name");
        double[] p = row.point();
        return new Enterprise(code, name, row.get("industry"), row.get("legal_person"), row.get("address"), p[0], p[1]);
    }

    /** credit_code, name, industry, legal_person, address, geom. */
    static void write(Row row, CopyWriter out) throws RejectedRow {
        Enterprise e = check(row);
        out.text(e.code()).text(e.name()).text(e.industry()).text(e.legalPerson()).text(e.address()).point(e.lon(), e.lat());
    }

    /** The first pass of a two-pass load: credit_code, geom. */
    static void writeKey(Row row, CopyWriter out) throws RejectedRow {
        Enterprise e = check(row);
        out.text(e.code()).point(e.lon(), e.lat());
    }
}
