package cn.haizhu.grid.data.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The one-release compatibility window of upgrades without downtime (docs/UPGRADES.md): which servers
 * may serve a schema that a newer release migrated. The database says it ({@code schema_window}, V48):
 * the servers whose newest versioned migration is at least {@code oldest_server_schema}, which each
 * release moves to the previous release's. Migrations are expand/contract, so the previous release
 * keeps working on the new schema; a contract step removes only what older releases used.
 */
final class SchemaWindow {
    private static final String OLDEST = SqlFile.load(SchemaWindow.class, "oldest_server_schema");

    private SchemaWindow() {
    }

    /** {@code oldest_server_schema} of the database (whose schema is newer than V48, so it has the table). */
    static int oldestServerSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery(OLDEST)) {
            if (!rs.next()) {
                throw new SQLException("schema_window has no row");
            }
            return rs.getInt(1);
        }
    }

    /**
     * Where a database stands against this server's migrations.
     *
     * @param carried       the versioned migrations this server carries
     * @param newestCarried the newest of them
     * @param applied       the database's schema version (the newest applied versioned migration; "0": none)
     * @param newer         whether the database has versioned migrations newer than any this server carries
     * @param pending       the carried ones the database has not applied
     */
    record State(List<String> carried, String newestCarried, String applied, boolean newer, List<String> pending) {
        static State of(MigrationInfoService info) {
            MigrationInfo[] all = info.all();
            List<MigrationInfo> resolved = Arrays.stream(all)
                    .filter(m -> m.getVersion() != null && m.getScript() != null && m.getState().isResolved()).toList();
            List<String> carried = resolved.stream().map(m -> m.getVersion().getVersion()).distinct().toList();
            MigrationVersion newest = resolved.stream().map(MigrationInfo::getVersion).max(Comparator.naturalOrder())
                    .orElse(MigrationVersion.EMPTY);
            MigrationInfo current = info.current();
            // FUTURE_*: applied by someone whose migrations this server does not have, above its newest
            boolean newer = Arrays.stream(all).anyMatch(m -> m.getVersion() != null
                    && (m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED));
            List<String> pending = Arrays.stream(info.pending()).filter(m -> m.getVersion() != null)
                    .map(m -> m.getVersion().getVersion()).toList();
            return new State(carried, newest.getVersion(), current == null ? "0" : current.getVersion().getVersion(), newer, pending);
        }

        /** Whether a schema whose window starts at {@code oldest} includes this server. */
        boolean servedWithin(int oldest) {
            return MigrationVersion.fromVersion(newestCarried).compareTo(MigrationVersion.fromVersion(Integer.toString(oldest))) >= 0;
        }
    }
}
