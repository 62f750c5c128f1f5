package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.cases.CaseAction;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.sync.ApplyRule.Verdict;
import cn.haizhu.grid.server.attachments.AttachmentStore;
import cn.haizhu.grid.server.cases.WorkOrders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The rows of work orders between levels in a batch pulled from a peer, applied in the batch's
 * transaction, before its checkpoint (docs/SYNC.md, "Work orders between levels"). Which side this node
 * is on, each row says itself:
 *
 * <ul>
 * <li><b>The level the order was sent to</b> (the case's {@code handling_node} is this node): the order
 *     (派单) and the origin's steps on it (回访评价, 重办, 驳回退单) go into the inbox
 *     ({@code sync_order_inbox}), once per order number and per step; {@link OrderInbox} hands them to
 *     {@code WorkOrders} as soon as the batch is committed, as the peer's HTTP routes would. Every other
 *     row of the origin (its intake, its 催办) is the origin's own business and changes nothing here.</li>
 * <li><b>The origin</b> (the case's {@code origin_node} is this node): the handling level's case and
 *     history come onto this node's own case of the order, found by its number: the state, the
 *     handling's case number and version (a version held already, or an older one, changes nothing), the
 *     closing; each history row under this case, once (by its gid, which it keeps, with its version and
 *     origin), its actor named {@code <user>@<node>} (a user of the other level, never one of this
 *     node's), and the photos it cites fetched from the peer and kept, in the same transaction.</li>
 * </ul>
 *
 * Nothing here is an edit request or a conflict: each level writes only its own steps.
 */
final class OrderApply {
    private static final String INBOX = SqlFile.load(OrderApply.class, "order_inbox_add");
    private static final String HANDLING = SqlFile.load(OrderApply.class, "order_handling");
    private static final String HISTORY_NEW = SqlFile.load(OrderApply.class, "order_history_new");
    private static final String HISTORY_ADD = SqlFile.load(OrderApply.class, "order_history_add");
    private static final String PHOTO_HELD = SqlFile.load(OrderApply.class, "order_photo_held");
    private static final String PHOTO_ADD = SqlFile.load(OrderApply.class, "order_photo_add");
    /** What the origin decides on its order at the level below: the steps that come down. */
    static final Set<String> ORIGIN_STEPS = WorkOrders.ORIGIN_ACTIONS.stream().map(CaseAction::code).collect(Collectors.toSet());

    /** Fetches a photo from the peer and keeps its files: what was kept, or empty when the peer has no such photo for us. */
    interface Photos {
        Optional<AttachmentStore.Copy> fetch(UUID id) throws IOException, InterruptedException;
    }

    private final String node;
    private final String peer;
    private final Photos photos;

    OrderApply(String node, String peer, Photos photos) {
        this.node = node;
        this.peer = peer;
        this.photos = photos;
    }

    /** Applies one change of {@code civic_case} or {@code case_event} pulled from the peer. */
    Verdict apply(Connection c, String table, JsonObject change) throws SQLException, IOException, InterruptedException {
        JsonObject r = change.getJsonObject("record");
        if (!"upsert".equals(change.getString("op")) || r == null) {
            return Verdict.SKIP;   // a work order's rows are never deleted
        }
        if (table.equals("civic_case")) {
            if (node.equals(r.getString("handling_node")) && r.getString("origin_node") == null) {
                return inbox(c, "order", r.getString("case_number"), null, order(r));
            }
            return node.equals(r.getString("origin_node")) ? handling(c, r) : Verdict.SKIP;
        }
        JsonObject order = r.getJsonObject("case");
        if (node.equals(order.getString("handling_node"))) {
            boolean step = peer.equals(r.getString("origin")) && ORIGIN_STEPS.contains(r.getString("action"));
            return step ? inbox(c, "step", order.getString("case_number"), r.getString("gid"), step(r)) : Verdict.SKIP;
        }
        return node.equals(order.getString("origin_node")) ? history(c, r, order.getString("origin_order_number")) : Verdict.SKIP;
    }

    /** 派单 as {@code POST /api/v1/cases/work-orders} takes it: the origin's case, its number and the deadline its clock runs to. */
    private JsonObject order(JsonObject r) {
        return new JsonObject().put("originNode", peer).put("orderNumber", r.getString("case_number"))
                .put("deadline", instant(r.getString("deadline"))).put("timeLimit", workingHours(r.getLong("clock_limit_s")))
                .put("source", r.getString("source")).put("category", r.getString("category_code"))
                .put("urgency", r.getString("urgency")).put("title", r.getString("title"))
                .put("description", r.getString("description")).put("address", r.getString("address"))
                .put("location", new JsonObject().put("lon", r.getDouble("lon")).put("lat", r.getDouble("lat")));
    }

    /** A step of the origin as {@code POST /api/v1/cases/work-orders/{origin}/{number}/actions} takes it, its id the origin's. */
    private static JsonObject step(JsonObject r) {
        JsonObject body = new JsonObject().put("action", r.getString("action")).put("comment", r.getString("comment"))
                .put("clientActionId", r.getString("gid"));
        JsonObject details = r.getJsonObject("details", new JsonObject());
        if (CaseAction.EVALUATE.code().equals(r.getString("action"))) {
            body.put("satisfaction", details.getString("satisfaction"));
        }
        return body;
    }

    private Verdict inbox(Connection c, String kind, String orderNumber, String stepGid, JsonObject body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INBOX)) {
            ps.setString(1, peer);
            ps.setString(2, kind);
            ps.setString(3, orderNumber);
            ps.setString(4, stepGid);
            ps.setString(5, body.encode());
            return ps.executeUpdate() == 1 ? Verdict.APPLY : Verdict.SKIP;
        }
    }

    /** The level below's case of our order: its state and closing onto ours, when its version is news. */
    private Verdict handling(Connection c, JsonObject r) throws SQLException {
        String state = r.getString("state");
        boolean closed = state.equals("closed") || state.equals("evaluated");
        try (PreparedStatement ps = c.prepareStatement(HANDLING)) {
            ps.setString(1, state);
            ps.setString(2, r.getString("case_number"));
            ps.setLong(3, r.getLong("version"));
            ps.setObject(4, closed && r.getString("closed_at") != null ? OffsetDateTime.parse(r.getString("closed_at")) : null,
                    Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setString(5, r.getString("origin_order_number"));
            ps.setString(6, peer);
            return ps.executeUpdate() == 1 ? Verdict.APPLY : Verdict.SKIP;
        }
    }

    /** A history row of the handling, under our case of the order, with the photos it cites; once. */
    private Verdict history(Connection c, JsonObject r, String orderNumber) throws SQLException, IOException, InterruptedException {
        UUID gid = UUID.fromString(r.getString("gid"));
        UUID own;
        try (PreparedStatement ps = c.prepareStatement(HISTORY_NEW)) {
            ps.setString(1, orderNumber);
            ps.setString(2, peer);
            ps.setObject(3, gid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Verdict.SKIP;   // held already, or no order of ours that this peer handles
                }
                own = rs.getObject(1, UUID.class);
            }
        }
        String actor = r.getString("actor_username") + "@" + r.getString("origin");
        Set<UUID> cited = new LinkedHashSet<>();
        r.getJsonArray("attachment_ids", new JsonArray()).forEach(id -> cited.add(UUID.fromString((String) id)));
        for (UUID photo : cited) {
            keepPhoto(c, photo, actor);
        }
        try (PreparedStatement ps = c.prepareStatement(HISTORY_ADD)) {
            int i = 0;
            ps.setObject(++i, own);
            ps.setString(++i, r.getString("action"));
            ps.setString(++i, r.getString("from_state"));
            ps.setString(++i, r.getString("to_state"));
            ps.setString(++i, actor);
            ps.setString(++i, r.getString("actor_role"));
            ps.setString(++i, r.getString("at"));
            ps.setString(++i, r.getString("geom"));
            ps.setString(++i, r.getString("comment"));
            ps.setString(++i, r.getString("reason_code"));
            ps.setString(++i, cited.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}")));
            ps.setString(++i, r.getJsonObject("details", new JsonObject()).encode());
            ps.setObject(++i, gid);
            ps.setLong(++i, r.getLong("version"));
            ps.setString(++i, r.getString("origin"));
            ps.executeUpdate();
        }
        return Verdict.APPLY;
    }

    /** A photo the history row cites, fetched from the peer unless held; one the peer does not serve us is left out. */
    private void keepPhoto(Connection c, UUID id, String uploadedBy) throws SQLException, IOException, InterruptedException {
        try (PreparedStatement ps = c.prepareStatement(PHOTO_HELD)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        Optional<AttachmentStore.Copy> kept = photos.fetch(id);
        if (kept.isEmpty()) {
            return;
        }
        AttachmentStore.Copy copy = kept.get();
        try (PreparedStatement ps = c.prepareStatement(PHOTO_ADD)) {
            ps.setObject(1, id);
            ps.setString(2, copy.contentType());
            ps.setInt(3, (int) copy.bytes());
            ps.setString(4, copy.sha256());
            ps.setInt(5, copy.width());
            ps.setInt(6, copy.height());
            ps.setString(7, uploadedBy);
            ps.executeUpdate();
        }
    }

    private static String instant(String time) {
        return time == null ? null : OffsetDateTime.parse(time).toInstant().toString();
    }

    /** The origin's limit as it states it, in working time ("24个工作小时"); null when its clock has none. */
    static String workingHours(Long seconds) {
        if (seconds == null || seconds <= 0) {
            return null;
        }
        return BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(3600), 2, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString() + "个工作小时";
    }
}
