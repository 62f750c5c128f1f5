package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.cases.CaseState;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Cursor;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Cases over HTTP: the dispatcher's queue, one case with its history and the caller's next actions,
 * possible duplicates and the category catalogue ({@link CaseReads}); 受理 ({@link CaseIntake}); and
 * the verbs on a case ({@link CaseActions}). Row-level security limits every read and write to the
 * caller's street or grids.
 */
public final class CaseResource {
    private static final Pattern STREET = Pattern.compile("\\d{9}");
    private static final Pattern GRID = Pattern.compile("\\d{14}");
    private static final Pattern ASSIGNEE = Pattern.compile("me|\\d{1,18}");
    private static final Pattern STATES = Pattern.compile("[a-z_]+(,[a-z_]+)*");
    private static final Pattern NODE = Pattern.compile("\\d{6}|\\d{9}");

    private final CaseReads reads;
    private final CaseIntake intake;
    private final CaseActions actions;
    private final CaseViews views;
    private final WorkOrders workOrders;

    public CaseResource(CaseReads reads, CaseIntake intake, CaseActions actions, CaseViews views, WorkOrders workOrders) {
        this.reads = reads;
        this.intake = intake;
        this.actions = actions;
        this.views = views;
        this.workOrders = workOrders;
    }

    /**
     * GET /api/v1/cases?state=&street=&grid=&assignee=(id|me)&overdue=&open=&limit=&offset=: a page of the
     * queue, {@code offset} up to {@link Cursor#MAX_OFFSET} (deeper, a filter finds it sooner), and
     * {@code total}, counted up to {@link CaseReads#MAX_COUNT} ({@code totalCapped} past it).
     */
    public void list(RoutingContext ctx) {
        String states = Params.optional(ctx, "state", STATES, "a comma-separated list of states");
        String[] stateList = null;
        if (states != null) {
            List<String> s = new ArrayList<>();
            for (String code : states.split(",")) {
                if (CaseState.of(code).isEmpty()) {
                    throw ApiError.badRequest("invalid_parameter", "state '" + code + "' is not a case state",
                            new JsonObject().put("parameter", "state"));
                }
                s.add(code);
            }
            stateList = s.toArray(String[]::new);
        }
        String street = Params.optional(ctx, "street", STREET, "a 9-digit street code");
        String grid = Params.optional(ctx, "grid", GRID, "a 14-digit grid code");
        String assignee = Params.optional(ctx, "assignee", ASSIGNEE, "a grid worker id or 'me'");
        boolean overdue = Params.flag(ctx, "overdue");
        boolean open = Params.flag(ctx, "open");
        int limit = Params.intInRange(ctx, "limit", 1, 200, 50);
        int offset = Params.intInRange(ctx, "offset", 0, Cursor.MAX_OFFSET, 0);
        Long worker = assignee == null || assignee.equals("me") ? null : Long.valueOf(assignee);
        CaseReads.QueueFilter filter = new CaseReads.QueueFilter(stateList, street, grid, worker, "me".equals(assignee),
                overdue, open);
        reads.queue(Caller.of(ctx), filter, limit, offset).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /** GET /api/v1/cases/{id}: the case, its history, the caller's available actions. */
    public void get(RoutingContext ctx) {
        UUID id = caseId(ctx);
        reads.view(Caller.of(ctx), id).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /** GET /api/v1/cases/{id}/duplicates: open cases of the same category within 50 m. */
    public void duplicatesOf(RoutingContext ctx) {
        UUID id = caseId(ctx);
        reads.duplicatesOf(Caller.of(ctx), id).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /** GET /api/v1/case-categories: 部件/事件 大类 → 小类 with departments and limits, and the coded reasons. */
    public void categories(RoutingContext ctx) {
        ctx.json(views.categoriesJson());
    }

    /** POST /api/v1/cases: 201 with the new case and its possible duplicates, 200 for a retry of one already made. */
    public void intake(RoutingContext ctx) {
        intake.report(Caller.of(ctx), Body.of(ctx)).onSuccess(r -> created(ctx, r)).onFailure(ctx::fail);
    }

    /** 201 with the case made and its address, or 200 with the case a retry had made. */
    private static void created(RoutingContext ctx, CaseIntake.Reported r) {
        ctx.response().setStatusCode(r.created() ? 201 : 200)
                .putHeader("Location", "/api/v1/cases/" + r.view().getString("id"))
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(r.view().encode());
    }

    /**
     * POST /api/v1/cases/work-orders (a peer platform of a level above): 派单, 201 with the case it made,
     * 200 for an order it made already.
     */
    public void receiveWorkOrder(RoutingContext ctx) {
        workOrders.receive(Caller.of(ctx), Body.of(ctx).json()).onSuccess(r -> created(ctx, r)).onFailure(ctx::fail);
    }

    /**
     * POST /api/v1/cases/work-orders/{origin}/{number}/actions (the peer platform of that level): its
     * 回访评价, 重办 or 驳回退单 on its order; the case after it, with its history row.
     */
    public void workOrderAction(RoutingContext ctx) {
        String origin = ctx.pathParam("origin");
        if (!NODE.matcher(origin).matches()) {
            throw ApiError.badRequest("invalid_parameter", "origin must be a node's admin code (6 or 9 digits)",
                    new JsonObject().put("parameter", "origin"));
        }
        String number = ctx.pathParam("number");
        if (number.length() > 64) {
            throw ApiError.badRequest("invalid_parameter", "number must be at most 64 characters",
                    new JsonObject().put("parameter", "number"));
        }
        workOrders.fromOrigin(Caller.of(ctx), origin, number, Body.of(ctx).json()).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /** POST /api/v1/cases/{id}/actions: the case after the action, with its history row. */
    public void act(RoutingContext ctx) {
        UUID id = caseId(ctx);
        Caller caller = Caller.of(ctx);
        ActionRequest req = ActionRequest.parse(Body.of(ctx));
        actions.act(caller, id, req).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    private static UUID caseId(RoutingContext ctx) {
        String raw = ctx.pathParam("id");
        try {
            UUID id = UUID.fromString(raw);
            if (id.toString().equalsIgnoreCase(raw)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiError.badRequest("invalid_parameter", "the case id must be a UUID", new JsonObject().put("parameter", "id"));
    }
}
