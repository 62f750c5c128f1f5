package cn.haizhu.grid.server.exports;

import cn.haizhu.grid.data.db.SqlFile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Every export's entry in the personal-data audit (pii_audit, action {@code export}), whatever it holds:
 * who (account, name, role), from where, the collection, format, street and filter, whether persons left
 * masked or unmasked and the purpose stated. It is written and committed before the first row is read;
 * the audit is append-only, so the entry never gets the row count, which the caller logs instead.
 */
final class ExportAudit {
    private static final String INSERT = SqlFile.load(ExportAudit.class, "export_audit");

    private ExportAudit() {
    }

    /** Writes and commits the entry of {@code r} on {@code c} (a request-role connection in auto-commit). */
    static void write(Connection c, ExportRequest r) throws SQLException {
        ExportRequest.Reader who = r.reader();
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            if (who.userId() == null) {
                ps.setNull(1, Types.BIGINT);
            } else {
                ps.setLong(1, who.userId());
            }
            ps.setString(2, who.username());
            ps.setString(3, who.role());
            ps.setString(4, subject(r));
            ps.setString(5, who.path());
            ps.setString(6, who.clientAddress());
            ps.setString(7, r.disclosure().purpose());
            ps.setBoolean(8, !r.disclosure().unmasked());
            ps.executeUpdate();
        }
    }

    /** "export persons csv street=440105001 filter=gender = 'F' filter-crs=…": what the export asked for, in one line. */
    static String subject(ExportRequest r) {
        StringBuilder s = new StringBuilder("export ").append(r.collection().code()).append(' ').append(r.format().code());
        if (!r.street().isEmpty()) {
            s.append(" street=").append(r.street());
        }
        if (r.condition().text() != null) {
            s.append(" filter=").append(r.condition().text());
        }
        return s.toString();
    }
}
