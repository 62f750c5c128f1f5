package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.codes.CreditCode;
import java.util.List;

/** Enterprises (法人单位) keyed by unified social credit code; grid by point-in-polygon. */
public final class EnterpriseLoader extends CsvDatasetLoader {
    @Override
    protected String dataset() {
        return "enterprises";
    }

    @Override
    protected String targetTable() {
        return "enterprise";
    }

    @Override
    protected List<String> requiredColumns() {
        return List.of("credit_code", "name", "lon", "lat");
    }

    @Override
    protected String stageTableSql() {
        return """
            CREATE TEMP TABLE stage_enterprise (
                credit_code text, name text, industry text, legal_person text, address text,
                geom geometry(Point, 4326)
            ) ON COMMIT DROP""";
    }

    @Override
    protected String copySql() {
        return "COPY stage_enterprise (credit_code, name, industry, legal_person, address, geom) FROM STDIN";
    }

    @Override
    protected void stage(Row row, CopyWriter out) throws RejectedRow {
        String code = CreditCode.normalise(row.required("credit_code"));
        var problem = CreditCode.problem(code);
        if (problem.isPresent()) {
            throw new RejectedRow("credit_code " + code + ": " + problem.get());
        }
        out.text(code).text(row.required("name")).text(row.get("industry")).text(row.get("legal_person"))
                .text(row.get("address")).point(row.coordinate("lon", -180, 180), row.coordinate("lat", -90, 90));
    }

    @Override
    protected List<String> prepareStageSql() {
        return PointPlacement.prepare("stage_enterprise");
    }

    @Override
    protected String placedSql() {
        return PointPlacement.placed("stage_enterprise", "credit_code");
    }

    @Override
    protected String insertColumns() {
        return "credit_code, name, industry, legal_person, address, geom, grid_code, community_code, street_code";
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
