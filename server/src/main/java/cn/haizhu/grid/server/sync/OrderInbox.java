package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.cases.WorkOrders;
import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands what an origin sent about its work orders to {@link WorkOrders}, after the batch that brought
 * it is committed (docs/SYNC.md, "Work orders between levels"): the order ({@code receive}, 派单) and its
 * steps ({@code fromOrigin}: 回访评价, 重办, 驳回退单), in the order they arrived, in the origin's name
 * (the caller its sync key acts as), exactly as the HTTP routes of a peer would. Both are idempotent (on
 * the origin's order number, on the origin's id for a step), so a row taken but not yet marked, when the
 * node stopped between the two, is taken again harmlessly.
 *
 * <p>A refusal (a 4xx of WorkOrders: an order under a number that came before with other content, a
 * step the workflow refuses) is kept on the row with the answer, never retried and never blocking what
 * comes after; any other failure (the database, a step racing another: 409 concurrent_change) stops the
 * round, the row waits, and the link shows the error until the next pull takes it again.
 */
final class OrderInbox {
    private static final Logger LOG = LoggerFactory.getLogger(OrderInbox.class);
    private static final String WAITING = SqlFile.load(OrderInbox.class, "inbox_waiting");
    private static final String DONE = SqlFile.load(OrderInbox.class, "inbox_done");

    private final Database db;
    private final WorkOrders workOrders;
    private final SyncPeers peers;

    OrderInbox(Database db, WorkOrders workOrders, SyncPeers peers) {
        this.db = db;
        this.workOrders = workOrders;
        this.peers = peers;
    }

    private record Waiting(long id, String kind, String orderNumber, JsonObject body) {
    }

    /** Takes everything {@code peer} sent that is waiting. Blocking: the puller's thread. */
    void drain(String peer) throws SQLException {
        List<Waiting> waiting = waiting(peer);
        while (!waiting.isEmpty()) {
            Caller caller = peers.callerFor(peer).await();
            for (Waiting w : waiting) {
                take(peer, caller, w);
            }
            waiting = waiting(peer);
        }
    }

    private void take(String peer, Caller caller, Waiting w) throws SQLException {
        JsonObject answer;
        try {
            if (w.kind().equals("order")) {
                JsonObject view = workOrders.receive(caller, w.body()).await().view();
                answer = new JsonObject().put("case", view.getString("id")).put("number", view.getString("number"));
            } else {
                JsonObject view = workOrders.fromOrigin(caller, peer, w.orderNumber(), w.body()).await();
                answer = new JsonObject().put("case", view.getString("id")).put("state", view.getString("state"));
            }
        } catch (ApiError e) {
            if (e.status() >= 500 || e.code().equals("concurrent_change")) {
                throw e;
            }
            LOG.warn("work order {} of {}: its {} was refused here: {}", w.orderNumber(), peer, w.kind(), e.getMessage());
            done(w.id(), "refused", e.toJson().put("status", e.status()));
            return;
        }
        done(w.id(), "applied", answer);
    }

    private List<Waiting> waiting(String peer) throws SQLException {
        List<Waiting> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(WAITING)) {
            ps.setString(1, peer);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Waiting(rs.getLong("id"), rs.getString("kind"), rs.getString("order_number"),
                            new JsonObject(rs.getString("body"))));
                }
            }
        }
        return out;
    }

    private void done(long id, String outcome, JsonObject answer) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(DONE)) {
            ps.setString(1, outcome);
            ps.setString(2, answer.encode());
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }
}
