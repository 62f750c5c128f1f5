package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.sync.NodeLevel;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * What a platform may import, by its level in the exchange (docs/SYNC.md, "What flows, and who owns
 * it"). A street owns the houses, persons and enterprises in it; the district's import of them is an
 * edit request to the street, one level down, which the street answers. A city's would be a request
 * two levels down: the district between holds one version per record and answers for neither, so the
 * request would reach no owner and be lost without a word. A city therefore refuses those datasets,
 * saying where they are imported; it imports what a district owns (grids) as requests to that district.
 */
final class ImportLevel {
    private static final String NODE_CODE = SqlFile.load(ImportLevel.class, "node_code");

    private ImportLevel() {
    }

    /** Refuses (IllegalArgumentException, the importer's refusal) a dataset this platform's level does not import. */
    static void requireImportable(Connection c, Dataset dataset) throws SQLException {
        String code;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(NODE_CODE)) {
            code = r.next() ? r.getString(1) : null;
        }
        Optional<String> why = refusal(code, dataset);
        if (why.isPresent()) {
            throw new IllegalArgumentException(why.get());
        }
    }

    /** Why a platform of admin code {@code code} does not import {@code dataset}, or empty when it does. */
    static Optional<String> refusal(String code, Dataset dataset) {
        boolean streetOwned = dataset == Dataset.HOUSES || dataset == Dataset.PERSONS || dataset == Dataset.ENTERPRISES;
        if (streetOwned && NodeLevel.ofCode(code == null ? "" : code).orElse(null) == NodeLevel.CITY) {
            return Optional.of("a city platform (" + code + ") does not import " + dataset.code() + ": each is owned by"
                    + " the street it lies in, and is imported at that street or at its district (市级平台不导入"
                    + dataset.code() + "，请在所属区或街道平台导入)");
        }
        return Optional.empty();
    }
}
