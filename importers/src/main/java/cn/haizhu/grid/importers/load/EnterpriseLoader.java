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
                lon double precision, lat double precision
            ) ON COMMIT DROP""";
    }

    @Override
    protected String copySql() {
        return "COPY stage_enterprise (credit_code, name, industry, legal_person, address, lon, lat) FROM STDIN";
    }

    @Override
    protected void stage(Row row, CopyWriter out) throws RejectedRow {
        String code = CreditCode.normalise(row.required("credit_code"));
        var problem = CreditCode.problem(code);
        if (problem.isPresent()) {
            throw new RejectedRow("credit_code " + code + ": " + problem.get());
        }
        out.text(code).text(row.required("name")).text(row.get("industry")).text(row.get("legal_person"))
                .text(row.get("address")).number(row.coordinate("lon", -180, 180)).number(row.coordinate("lat", -90, 90));
    }

    @Override
    protected String placedSql() {
        return """
            SELECT DISTINCT ON (s.credit_code) s.*, p.geom, g.code AS grid_code, g.community_code, g.street_code
            FROM stage_enterprise s
            CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326) AS geom) p
            LEFT JOIN LATERAL (
                SELECT g.code, g.community_code, g.street_code FROM grid g
                WHERE ST_Intersects(g.geom, p.geom) ORDER BY g.code LIMIT 1) g ON true
            ORDER BY s.credit_code""";
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
