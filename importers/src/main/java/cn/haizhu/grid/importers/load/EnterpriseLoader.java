package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.codes.CreditCode;
import java.util.List;

/** Enterprises (法人单位) keyed by unified social credit code (GB 32100); grid by point-in-polygon. */
public final class EnterpriseLoader extends PointLoader {
    @Override
    protected Dataset dataset() {
        return Dataset.ENTERPRISES;
    }

    @Override
    protected String targetTable() {
        return "enterprise";
    }

    @Override
    protected List<String> stageColumns() {
        return List.of("credit_code text", "name text", "industry text", "legal_person text", "address text",
                "geom geometry(Point, 4326)");
    }

    @Override
    protected String keyColumn() {
        return "credit_code";
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

    @Override
    protected void stage(Row row, CopyWriter out) throws RejectedRow {
        Enterprise e = check(row);
        out.text(e.code()).text(e.name()).text(e.industry()).text(e.legalPerson()).text(e.address()).point(e.lon(), e.lat());
    }

    @Override
    protected List<String> keyColumns() {
        return List.of("credit_code text", "geom geometry(Point, 4326)");
    }

    @Override
    protected void stageKey(Row row, CopyWriter out) throws RejectedRow {
        Enterprise e = check(row);
        out.text(e.code()).point(e.lon(), e.lat());
    }

    @Override
    protected String[] unplacedReason() {
        return new String[] {"the location lies in no unit grid", "坐标不在任何单元网格内"};
    }

    @Override
    protected List<String> comparedColumns() {
        return List.of("name", "industry", "legal_person", "address", "geom", "grid_code");
    }

    @Override
    protected String conflictClause() {
        return """
            ON CONFLICT (credit_code) DO UPDATE SET
                name = EXCLUDED.name, industry = EXCLUDED.industry, legal_person = EXCLUDED.legal_person,
                address = EXCLUDED.address, geom = EXCLUDED.geom, grid_code = EXCLUDED.grid_code,
                community_code = EXCLUDED.community_code, street_code = EXCLUDED.street_code
            WHERE (t.name, t.industry, t.legal_person, t.address, t.geom, t.grid_code)
                  IS DISTINCT FROM
                  (EXCLUDED.name, EXCLUDED.industry, EXCLUDED.legal_person, EXCLUDED.address, EXCLUDED.geom, EXCLUDED.grid_code)""";
    }
}
