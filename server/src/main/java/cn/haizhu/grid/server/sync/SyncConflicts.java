package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * 冲突待处理: the edit requests that arrived after the owner's version had moved, for the officers of
 * the owning node (permission {@code sync.decide}) to decide: keep the owner's version, or take the
 * request, which then becomes the owner's own next version and flows to every peer. Both within the
 * officer's data scope.
 */
public final class SyncConflicts {
    public static final String PERMISSION = "sync.decide";
    private static final String LIST = SqlFile.load(SyncConflicts.class, "conflicts");
    private static final String AUDIT = SqlFile.load(SyncConflicts.class, "audit_conflicts");
    private static final String SCOPE = SqlFile.load(SyncConflicts.class, "decide_scope");
    private static final String FOR_DECISION = SqlFile.load(SyncConflicts.class, "conflict_for_decision");
    private static final String DECIDED = SqlFile.load(SyncConflicts.class, "decided");
    private static final String APPLY_FROM = SqlFile.load(SyncConflicts.class, "apply_from");
    /** What of a person's stored record a conflict list shows: the masked view's place fields and masks, nothing sealed. */
    private static final Set<String> PERSON_SHOWN = Set.of("name", "id_type", "gender", "household_type", "house_code", "grid_code",
            "community_code", "street_code", "id_number_masked", "phone_masked", "gid", "version", "origin");

    private final Vertx vertx;
    private final ScopedPool scoped;
    private final Database db;
    private final String node;

    public SyncConflicts(Vertx vertx, ScopedPool scoped, Database db, String node) {
        this.vertx = vertx;
        this.scoped = scoped;
        this.db = db;
        this.node = node;
    }

    /** The conflicts in the caller's scope, waiting ones unless {@code all}; persons shown masked, and audited. */
    Future<JsonArray> list(Caller caller, boolean all, int limit, String path, String clientAddress) {
        return scoped.withScope(caller, c -> c.preparedQuery(LIST).execute(Tuple.of(all, limit)).compose(rows -> {
            JsonArray out = new JsonArray();
            List<UUID> persons = new ArrayList<>();
            for (Row r : rows) {
                JsonObject request = r.getJsonObject("request_record");
                if ("person".equals(r.getString("table_name"))) {
                    persons.add(r.getUUID("record_gid"));
                    if (request != null) {
                        request.getMap().keySet().retainAll(PERSON_SHOWN);
                    }
                }
                out.add(new JsonObject().put("id", r.getLong("id")).put("table", r.getString("table_name"))
                        .put("gid", r.getUUID("record_gid").toString()).put("streetCode", r.getString("street_code"))
                        .put("owner", new JsonObject().put("version", r.getLong("owner_version")).put("origin", r.getString("owner_origin")))
                        .put("request", new JsonObject().put("op", r.getString("request_op")).put("version", r.getLong("request_version"))
                                .put("origin", r.getString("request_origin")).put("base", r.getLong("request_base_version"))
                                .put("baseOrigin", r.getString("request_base_origin")).put("record", request))
                        .put("fromPeer", r.getString("from_peer")).put("receivedAt", r.getOffsetDateTime("received_at").toString())
                        .put("decidedAt", r.getOffsetDateTime("decided_at") == null ? null : r.getOffsetDateTime("decided_at").toString())
                        .put("decidedBy", r.getString("decided_by")).put("decision", r.getString("decision")));
            }
            if (persons.isEmpty()) {
                return Future.succeededFuture(out);
            }
            return c.preparedQuery(AUDIT).execute(Tuple.from(new Object[] {caller.userId(), caller.username(), caller.role(),
                    persons.size(), path, clientAddress, persons.toArray(UUID[]::new)})).map(v -> out);
        }));
    }

    /**
     * Decides conflict {@code id}: {@code owner} keeps the owner's version (it went out already), {@code
     * request} writes the request as this node's next version. 404 outside the caller's scope, 409 when
     * decided already. One transaction, as the owner (a request role may not write records).
     */
    Future<Void> decide(Caller caller, long id, String decision) {
        return vertx.executeBlocking(() -> {
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                try {
                    decide(c, caller, id, decision);
                    c.commit();
                } catch (Exception e) {
                    c.rollback();
                    throw e;
                }
            }
            return null;
        }, false);
    }

    private void decide(Connection c, Caller caller, long id, String decision) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(SCOPE)) {
            ps.setString(1, caller.scope().kind());
            ps.setString(2, caller.scope().code());
            ps.executeQuery().close();
        }
        String table;
        UUID gid;
        String op;
        String record;
        try (PreparedStatement ps = c.prepareStatement(FOR_DECISION)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiError.notFound("conflict " + id);
                }
                if (rs.getObject("decided_at") != null) {
                    throw new ApiError(409, "decided", "conflict " + id + " is decided already", null);
                }
                table = rs.getString("table_name");
                gid = rs.getObject("record_gid", UUID.class);
                op = rs.getString("request_op");
                record = rs.getString("request_record");
            }
        }
        if (decision.equals("request")) {
            takeRequest(c, table, gid, op, record);
        }
        try (PreparedStatement ps = c.prepareStatement(DECIDED)) {
            ps.setString(1, caller.username());
            ps.setString(2, decision);
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    /** The request as this node's own next version: it goes out to every peer. */
    private void takeRequest(Connection c, String table, UUID gid, String op, String record) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(APPLY_FROM)) {
            ps.setString(1, "");
            ps.executeQuery().close();
        }
        long version;
        try (PreparedStatement ps = c.prepareStatement(SyncTables.local(table))) {
            ps.setObject(1, gid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ApiError(409, "record_gone", "the record of this conflict is gone: keep the owner's", null);
                }
                version = rs.getLong(1);
            }
        }
        if (op.equals("delete")) {
            try (PreparedStatement ps = c.prepareStatement(SyncTables.delete(table))) {
                ps.setObject(1, gid);
                ps.executeUpdate();
            }
            return;
        }
        ChangeApply.upsert(c, table, new JsonObject(record).put("version", version + 1).put("origin", node));
    }
}
