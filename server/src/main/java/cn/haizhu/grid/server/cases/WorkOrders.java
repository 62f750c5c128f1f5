package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.cases.CaseAction;
import cn.haizhu.grid.data.cases.Refusal;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.sync.NodeLevel;
import cn.haizhu.grid.data.users.Role;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Work orders from a level above, without HTTP (issue 15; docs/SYNC.md "Work orders"): the city's
 * 12345 platform sends an order down (派单) and later its verdict (回访评价, 重办) or its answer to a
 * 退回上级 (驳回退单). This is the one door for both, called by the HTTP routes of a peer platform
 * ({@code POST /api/v1/cases/work-orders…}) and by the exchange when it applies what it pulled.
 *
 * <p>An order becomes a case here, routed like any intake ({@code gridctl_route_case}), keeping the
 * origin's node, order number, deadline and time-limit rule (V32), and is idempotent on the origin's
 * order number: the same order again answers the case it made (200), another order under that number
 * is a 409. The origin's later steps go through the same workflow as every action
 * ({@link CaseActions}), the origin acting: its history rows name the origin's node as actor and as
 * origin, and keep the origin's id for the step, so a step sent twice is applied once.
 */
public final class WorkOrders {
    private static final String INTAKE = SqlFile.load(WorkOrders.class, "work_order_intake");
    private static final String FIRST_EVENT = SqlFile.load(WorkOrders.class, "first_event");
    private static final String BY_ORDER = SqlFile.load(WorkOrders.class, "work_order");
    /** What the level above decides about its order here: its 回访 and its answer to a 退回上级. */
    public static final Set<CaseAction> ORIGIN_ACTIONS = EnumSet.of(CaseAction.EVALUATE, CaseAction.REOPEN, CaseAction.REDISPATCH);

    private final ScopedPool db;
    private final CaseViews views;
    private final CaseReads reads;
    private final CaseActions actions;
    private final Set<String> levelsAbove;

    /** @param nodeCode this node's admin code: orders come only from the levels above it */
    public WorkOrders(ScopedPool db, CaseViews views, CaseReads reads, CaseActions actions, String nodeCode) {
        this.db = db;
        this.views = views;
        this.reads = reads;
        this.actions = actions;
        this.levelsAbove = levelsAbove(nodeCode);
    }

    /** The codes of the levels above a node, nearest first: a street's district and city, a district's city. */
    static Set<String> levelsAbove(String nodeCode) {
        Set<String> out = new LinkedHashSet<>();
        NodeLevel level = NodeLevel.ofCode(nodeCode).orElseThrow(() -> new IllegalArgumentException("no level: " + nodeCode));
        String code = nodeCode;
        while (level.upstream().isPresent()) {
            code = level.upstreamCode(code).orElseThrow();
            level = level.upstream().get();
            out.add(code);
        }
        return out;
    }

    /** 派单: the order made a case here (201) or had made it already (200); the case as the API shows it. */
    public Future<CaseIntake.Reported> receive(Caller caller, JsonObject order) {
        try {
            requirePeer(caller, "派单");
            WorkOrderRequest req = WorkOrderRequest.parse(order, views.catalogue());
            requireLevelAbove(req.originNode());
            return db.withScope(caller, c -> insert(c, caller, req))
                    .recover(e -> Future.failedFuture(CaseIntake.outOfScope(e)));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private Future<CaseIntake.Reported> insert(SqlConnection c, Caller caller, WorkOrderRequest req) {
        IntakeRequest in = req.intake();
        UUID id = in.id() != null ? in.id() : UUID.randomUUID();
        String hash = req.hash();
        String reporter = NodeLevel.ofCode(req.originNode()).map(NodeLevel::zh).orElse("上级平台") + " " + req.originNode();
        Object[] values = {id, in.source(), in.category().code(), in.urgency().code(), in.title(), in.description(),
                in.address(), in.location().lon(), in.location().lat(), in.category().department().code(),
                caller.accountId(), reporter, hash, req.originNode(), req.orderNumber(),
                OffsetDateTime.ofInstant(req.deadline(), ZoneOffset.UTC), req.timeLimit()};
        return c.preparedQuery(INTAKE).execute(Tuple.from(values)).compose(inserted -> {
            if (inserted.size() == 1) {
                Tuple first = Tuple.of(new UUID[] {id}, new Long[] {caller.accountId()}, new String[] {caller.username()},
                        new String[] {caller.role()}, new String[] {in.attachments().stream().map(UUID::toString)
                                .collect(java.util.stream.Collectors.joining(",", "{", "}"))});
                return c.preparedQuery(FIRST_EVENT).execute(first)
                        .compose(ignored -> reads.full(c, id, caller))
                        .map(view -> new CaseIntake.Reported(true, view));
            }
            return c.preparedQuery(BY_ORDER).execute(Tuple.of(req.originNode(), req.orderNumber())).compose(rows -> {
                Row existing = rows.size() == 0 ? null : rows.iterator().next();
                if (existing == null) {
                    return Future.failedFuture(new ApiError(409, "id_conflict", "案件编号已被另一案件使用 / the id " + id
                            + " belongs to another case: send the order without an id, or with a new one",
                            new JsonObject().put("id", id.toString())));
                }
                if (!hash.equals(existing.getString("intake_hash"))) {
                    return Future.failedFuture(new ApiError(409, "order_number_conflict",
                            "该上级工单号已派过内容不同的工单 / order " + req.orderNumber() + " of " + req.originNode()
                                    + " came before with other content: a new order needs a new number",
                            new JsonObject().put("originNode", req.originNode()).put("orderNumber", req.orderNumber())
                                    .put("id", existing.getUUID("gid").toString())));
                }
                return reads.full(c, existing.getUUID("gid"), caller).map(view -> new CaseIntake.Reported(false, view));
            });
        });
    }

    /**
     * A step of the level above on its order here: 回访评价 (with its verdict), 重办, or 驳回退单 after a
     * 退回上级. {@code step} is an action in the shape {@code POST /api/v1/cases/{id}/actions} takes,
     * whose {@code clientActionId} is the origin's id for the step (required).
     */
    public Future<JsonObject> fromOrigin(Caller caller, String originNode, String orderNumber, JsonObject step) {
        try {
            requireLevelAbove(originNode);
            Body body = Body.of(step);
            if (step.getValue("clientActionId") == null) {
                body.problem("clientActionId", "is required: the origin's id for this step, so that it applies once");
            }
            if (CaseAction.EVALUATE.code().equals(step.getValue("action")) && step.getValue("satisfaction") == null) {
                body.problem("satisfaction", "is required in the evaluation of the level above");
            }
            ActionRequest req = ActionRequest.parse(body);
            if (!ORIGIN_ACTIONS.contains(req.action())) {
                throw new ApiError(422, "not_an_origin_action", "上级平台在此只能回访评价、重办或驳回退单 / the level above takes "
                        + ORIGIN_ACTIONS.stream().map(CaseAction::code).sorted().toList() + " here; its order's handling is ours",
                        new JsonObject().put("action", req.action().code()));
            }
            return db.withScope(caller, c -> c.preparedQuery(BY_ORDER).execute(Tuple.of(originNode, orderNumber)))
                    .compose((RowSet<Row> rows) -> {
                        // an order outside the caller's scope does not exist for it, whoever it is (then: who may speak)
                        if (rows.size() == 0) {
                            return Future.failedFuture(ApiError.notFound("work order " + orderNumber + " of " + originNode));
                        }
                        requirePeer(caller, "回访评价");
                        return actions.act(caller, rows.iterator().next().getUUID("gid"), req, originNode);
                    });
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** Only a peer platform sends orders and speaks for the level above; a user of this level does not. */
    private static void requirePeer(Caller caller, String what) {
        if (CaseViews.role(caller) != Role.PEER) {
            throw CaseActions.refused(new Refusal(Refusal.Kind.ACTOR_NOT_ALLOWED, "只有上级对接平台可以" + what,
                    "only the platform of a level above may send its work orders and its verdicts"), null, null);
        }
    }

    private void requireLevelAbove(String originNode) {
        if (!levelsAbove.contains(originNode)) {
            throw new ApiError(422, "not_a_level_above", "派单平台不是本平台的上级 / " + originNode
                    + " is not a level above this node " + List.copyOf(levelsAbove),
                    new JsonObject().put("originNode", originNode).put("levelsAbove", List.copyOf(levelsAbove)));
        }
    }
}
