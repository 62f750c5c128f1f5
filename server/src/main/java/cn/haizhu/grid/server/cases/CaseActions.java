package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.cases.CaseAction;
import cn.haizhu.grid.data.cases.CaseCategory;
import cn.haizhu.grid.data.cases.CaseClock;
import cn.haizhu.grid.data.cases.CaseState;
import cn.haizhu.grid.data.cases.CaseWorkflow;
import cn.haizhu.grid.data.cases.ClockEffect;
import cn.haizhu.grid.data.cases.Decision;
import cn.haizhu.grid.data.cases.JointReview;
import cn.haizhu.grid.data.cases.Refusal;
import cn.haizhu.grid.data.cases.Transition;
import cn.haizhu.grid.data.cases.Urgency;
import cn.haizhu.grid.data.cases.WorkingCalendar;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The verbs on a case, without HTTP ({@code POST /api/v1/cases/{id}/actions}). Reads the case and the facts about
 * the caller, asks {@link CaseWorkflow#decide} (a refusal answers 409/403/422 with its reason in
 * Chinese and English), moves the deadline clock by the transition's effect on the working
 * calendar, and writes the new state with one conditional UPDATE on the version read (so of two
 * actors who both saw the same case, exactly one moves it) plus the history row, in one transaction.
 *
 * <p>A {@code clientActionId} makes the action idempotent: a retry (a tablet that lost the answer)
 * finds the history row it wrote and gets the same result again, not a 409.
 */
public final class CaseActions {
    /** 处置反馈 stamped further than this from the case location is flagged (far_completion). */
    static final double FAR_COMPLETION_M = 200;

    private static final String BY_CLIENT_ID = SqlFile.load(CaseActions.class, "action_by_client_id");
    private static final String WORKER = SqlFile.load(CaseActions.class, "active_worker");
    /** The new state, clock and KPI facts, conditional on the version read. */
    private static final String UPDATE = SqlFile.load(CaseActions.class, "move_case");
    private static final String INSERT_EVENT = SqlFile.load(CaseActions.class, "action_event");
    /** 联合审定: the opinions since the case last went to joint review, and the actor's department. */
    private static final String REVIEW_OPINIONS = SqlFile.load(CaseActions.class, "review_opinions");
    /** The last handling report, for the final reply (办结回复) of a work order from above. */
    private static final String FINAL_REPLY = SqlFile.load(CaseActions.class, "final_reply");

    private final ScopedPool db;
    private final CaseViews views;
    private final CaseReads reads;

    public CaseActions(ScopedPool db, CaseViews views, CaseReads reads) {
        this.db = db;
        this.views = views;
        this.reads = reads;
    }

    /** Applies the action to the case (or answers an earlier try of it): the case as it is now, and the history row. */
    Future<JsonObject> act(Caller caller, UUID id, ActionRequest req) {
        return act(caller, id, req, null);
    }

    /**
     * {@link #act(Caller, UUID, ActionRequest)}, the caller (a peer) speaking for the level
     * {@code onBehalfOf} (a node code) that a work order came from: the workflow sees the origin
     * acting, and the history row is that level's ({@link WorkOrders}). Null: the caller acts for itself.
     */
    Future<JsonObject> act(Caller caller, UUID id, ActionRequest req, String onBehalfOf) {
        return db.withScope(caller, c -> replay(c, id, req).compose(seq -> seq != null
                        ? respond(c, id, caller, new Applied(seq, true))
                        : reads.load(c, id, caller).compose(row -> apply(c, caller, req, row, onBehalfOf))
                                .compose(applied -> respond(c, id, caller, applied))))
                .recover(e -> Future.failedFuture(CaseIntake.outOfScope(e)));
    }

    /** The seq of the history row an earlier try of this action wrote, or null if there is none. */
    private static Future<Integer> replay(SqlConnection c, UUID id, ActionRequest req) {
        if (req.clientActionId() == null) {
            return Future.succeededFuture(null);
        }
        return c.preparedQuery(BY_CLIENT_ID).execute(Tuple.of(req.clientActionId())).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row e = rows.iterator().next();
            if (!e.getUUID("case_gid").equals(id) || !e.getString("action").equals(req.action().code())) {
                throw new ApiError(409, "client_action_id_reused",
                        "clientActionId 已用于另一操作 / clientActionId " + req.clientActionId()
                                + " was used for another action: generate a new one per action",
                        new JsonObject().put("clientActionId", req.clientActionId().toString()));
            }
            return e.getInteger("seq");
        });
    }

    /** The history row of the action, and whether it was written by an earlier try. */
    private record Applied(int seq, boolean replayed) {
    }

    private Future<JsonObject> respond(SqlConnection c, UUID id, Caller caller, Applied applied) {
        return reads.full(c, id, caller).compose(view -> reads.event(c, id, applied.seq())
                .map(event -> view.put("event", event).put("replayed", applied.replayed())));
    }

    /** Decides and writes the action. */
    private Future<Applied> apply(SqlConnection c, Caller caller, ActionRequest req, Row row, String onBehalfOf) {
        CaseState from = CaseState.of(row.getString("state")).orElseThrow();
        Decision d = CaseWorkflow.decide(from, req.action(), CaseViews.role(caller), CaseViews.facts(row, caller, onBehalfOf),
                req.reason());
        if (!d.allowed()) {
            throw refused(d.refusal(), from, req.action());
        }
        Long assignee = req.assignee() != null ? req.assignee() : row.getLong("assignee_id");
        if (ActionRequest.TAKES_ASSIGNEE.contains(req.action()) && assignee == null) {
            throw refused(new Refusal(Refusal.Kind.INVALID_REQUEST, "该案件未能自动分派网格员，请指定处置人",
                    "no grid worker was routed to this case: name an assignee"), from, req.action());
        }
        Future<Void> checked = req.assignee() == null ? Future.succeededFuture()
                : c.preparedQuery(WORKER).execute(Tuple.of(req.assignee())).map(rows -> {
                    if (rows.size() == 0) {
                        throw refused(new Refusal(Refusal.Kind.INVALID_REQUEST, "指定的网格员不存在或不在您的管辖范围内",
                                "the assignee is no active grid worker in your scope"), from, req.action());
                    }
                    return null;
                });
        return checked.compose(v -> jointReview(c, caller, req, row, from))
                .compose(v -> finalReply(c, req, row, d.transition()))
                .compose(reply -> write(c, actor(caller, onBehalfOf), req, row, d.transition(), assignee, reply));
    }

    /** Who a history row names: the caller, or the level a work order came from, speaking through it. */
    private record Actor(Long userId, String username, String role, String origin) {
    }

    private static Actor actor(Caller caller, String onBehalfOf) {
        return onBehalfOf == null ? new Actor(caller.userId(), caller.username(), caller.role(), null)
                : new Actor(null, onBehalfOf, "peer", onBehalfOf);
    }

    /**
     * 办结回复: when a work order from a level above is closed here, the history row carries the reply
     * that level reads (docs/SYNC.md): the closing words, or else the last handling report's, and the
     * photos of that report and of the closing. Null for any other action or case.
     */
    private Future<JsonObject> finalReply(SqlConnection c, ActionRequest req, Row row, Transition t) {
        if (row.getString("origin_node") == null || t.to() != CaseState.CLOSED) {
            return Future.succeededFuture(null);
        }
        return c.preparedQuery(FINAL_REPLY).execute(Tuple.of(row.getUUID("gid"))).map(rows -> {
            Row last = rows.size() == 0 ? null : rows.iterator().next();
            JsonArray photos = new JsonArray();
            if (last != null && last.getArrayOfUUIDs("attachment_ids") != null) {
                for (UUID u : last.getArrayOfUUIDs("attachment_ids")) {
                    photos.add(u.toString());
                }
            }
            req.attachments().forEach(u -> photos.add(u.toString()));
            String words = req.comment() != null ? req.comment() : last == null ? null : last.getString("comment");
            return new JsonObject().put("to", row.getString("origin_node"))
                    .put("orderNumber", row.getString("origin_order_number"))
                    .put("comment", words).put("attachments", photos);
        });
    }

    /**
     * 联合审定: each 会审意见 names a department of the catalogue it speaks for; who may speak for
     * which, and when the opinions allow the decision (审定后派遣 / 审定后结案), is {@link JointReview}'s
     * rule: at least two departments, each heard from a different person.
     */
    private Future<Void> jointReview(SqlConnection c, Caller caller, ActionRequest req, Row row, CaseState from) {
        boolean opinion = req.action() == CaseAction.REVIEW_OPINION;
        if (opinion) {
            if (req.department() == null) {
                throw refused(new Refusal(Refusal.Kind.INVALID_REQUEST, "会审意见须注明发表意见的部门",
                        "name the department whose opinion this is"), from, req.action());
            }
            if (views.catalogue().departments().stream().noneMatch(d -> d.code().equals(req.department()))) {
                throw refused(new Refusal(Refusal.Kind.INVALID_REQUEST, "未知的部门代码 " + req.department(),
                        "unknown department code " + req.department()), from, req.action());
            }
        } else if (req.action() != CaseAction.REVIEW_DISPATCH && req.action() != CaseAction.REVIEW_CLOSE) {
            return Future.succeededFuture();
        }
        return c.preparedQuery(REVIEW_OPINIONS).execute(Tuple.of(row.getUUID("gid"), caller.userId())).map(rows -> {
            Row r = rows.iterator().next();
            Long[] users = r.getArrayOfLongs("users");
            String[] departments = r.getArrayOfStrings("departments");
            List<JointReview.Opinion> opinions = new ArrayList<>();
            for (int i = 0; i < users.length; i++) {
                opinions.add(new JointReview.Opinion(users[i], departments[i]));
            }
            Optional<Refusal> refusal = opinion
                    ? JointReview.canRecord(caller.userId(), r.getString("actor_department"), req.department(), opinions)
                    : JointReview.canDecide(opinions);
            refusal.ifPresent(x -> {
                throw refused(x, from, req.action());
            });
            return null;
        });
    }

    private Future<Applied> write(SqlConnection c, Actor actor, ActionRequest req, Row row, Transition t, Long assignee,
            JsonObject reply) {
        Instant now = Instant.now();
        WorkingCalendar calendar = views.calendar();
        CaseAction action = req.action();
        CaseCategory category = views.catalogue().require(row.getString("category_code"));
        Urgency urgency = Urgency.of(row.getString("urgency")).orElseThrow();

        // 延期: the hours asked for are kept until the desk decides; granting uses its own figure or those.
        Long requestedS = row.getLong("extension_requested_s");
        boolean pending = row.getBoolean("extension_pending");
        Duration granted = Duration.ZERO;
        switch (action) {
            case REQUEST_EXTENSION -> {
                pending = true;
                requestedS = req.hours() != null ? req.hours() * 3600 : calendar.workingDayLength().toSeconds();
            }
            case GRANT_EXTENSION -> {
                granted = req.hours() != null ? Duration.ofHours(req.hours())
                        : Duration.ofSeconds(requestedS != null ? requestedS : calendar.workingDayLength().toSeconds());
                pending = false;
                requestedS = null;
            }
            case REFUSE_EXTENSION -> {
                pending = false;
                requestedS = null;
            }
            default -> {
            }
        }
        Duration amount = t.clock() == ClockEffect.START ? category.limit(urgency) : granted;
        CaseClock before = StoredClock.of(row);
        CaseClock clock = before.apply(t.clock(), now, amount);
        Instant deadline = clock.deadline(calendar).orElse(null);
        // The deadline of the level a work order came from holds here too: a running clock never runs past it,
        // so the queue, the overdue watch and 催办 follow it.
        Instant originDeadline = StoredClock.instant(row.getOffsetDateTime("origin_deadline"));
        if (deadline != null && originDeadline != null && originDeadline.isBefore(deadline)) {
            deadline = originDeadline;
        }

        // KPI facts (考核): first times kept, counts added.
        Instant filedAt = StoredClock.instant(row.getOffsetDateTime("filed_at"));
        if (filedAt == null && (action == CaseAction.FILE
                || action == CaseAction.START_CHECK && t.from() == CaseState.SELF_HANDLED)) {
            filedAt = now;
        }
        Instant dispatchedAt = StoredClock.instant(row.getOffsetDateTime("first_dispatched_at"));
        if (dispatchedAt == null && t.to() == CaseState.DISPATCHED) {
            dispatchedAt = now;
        }
        Instant signedAt = StoredClock.instant(row.getOffsetDateTime("first_signed_at"));
        Long timeToSign = row.getLong("time_to_sign_s");
        if (signedAt == null && action == CaseAction.SIGN) {
            signedAt = now;
            timeToSign = dispatchedAt == null ? null : calendar.workingTimeBetween(dispatchedAt, now).toSeconds();
        }
        Instant closedAt = StoredClock.instant(row.getOffsetDateTime("closed_at"));
        Boolean onTime = row.getBoolean("closed_on_time");
        if (t.to() == CaseState.CLOSED) {
            closedAt = now;
            // A case that never had a clock (handled on the spot) cannot be late.
            onTime = clock.finishedOnTime(calendar).orElse(true);
        }
        boolean check = action == CaseAction.CLOSE || action == CaseAction.REWORK;
        Double lon = req.location() == null ? null : req.location().lon();
        Double lat = req.location() == null ? null : req.location().lat();

        Object[] values = {row.getUUID("gid"), row.getLong("version"), t.to().code(), assignee,
                StoredClock.time(clock.startedAt()), clock.limit().toSeconds(), clock.extended().toSeconds(),
                StoredClock.pausesJson(clock), StoredClock.time(clock.pausedSince()), StoredClock.time(clock.stoppedAt()),
                StoredClock.time(deadline), pending, requestedS,
                StoredClock.time(filedAt), StoredClock.time(dispatchedAt), StoredClock.time(signedAt), timeToSign,
                StoredClock.time(closedAt), onTime,
                check ? 1 : 0, action == CaseAction.REWORK ? 1 : 0, action == CaseAction.GRANT_EXTENSION ? 1 : 0,
                action == CaseAction.FEEDBACK || action == CaseAction.SELF_HANDLE, lon, lat, FAR_COMPLETION_M};
        JsonObject details = new JsonObject();
        if (ActionRequest.TAKES_ASSIGNEE.contains(action)) {
            details.put("assignee", assignee);
        }
        if (action == CaseAction.REQUEST_EXTENSION) {
            details.put("hoursRequested", requestedS / 3600.0);
        }
        if (action == CaseAction.REVIEW_OPINION) {
            details.put("department", req.department());
        }
        if (action == CaseAction.GRANT_EXTENSION) {
            details.put("hoursGranted", granted.toMinutes() / 60.0);
        }
        if (action == CaseAction.RETURN_UP) {
            details.put("returnedTo", row.getString("origin_node")).put("orderNumber", row.getString("origin_order_number"));
        }
        if (req.satisfaction() != null) {
            details.put("satisfaction", req.satisfaction().code());
        }
        if (actor.origin() != null) {
            details.put("onBehalfOf", actor.origin());
        }
        if (reply != null) {
            details.put("reply", reply);
        }
        if (t.clock() != ClockEffect.NONE) {
            details.put("clock", t.clock().name().toLowerCase()).put("deadline", deadline == null ? null : deadline.toString());
        }
        return c.preparedQuery(UPDATE).execute(Tuple.from(values)).compose(updated -> {
            if (updated.size() == 0) {
                // Someone else moved the case since it was read. If it was an earlier try of this very action
                // (committed while this one waited on the row), answer its result; otherwise the first writer wins.
                return replay(c, row.getUUID("gid"), req).map(seq -> {
                    if (seq != null) {
                        return new Applied(seq, true);
                    }
                    throw concurrent(row, action);
                });
            }
            int seq = updated.iterator().next().getInteger("event_count");
            Object[] event = {row.getUUID("gid"), seq, action.code(), t.from().code(), t.to().code(), actor.userId(),
                    actor.username(), actor.role(), StoredClock.time(now), lon, lat, req.comment(),
                    req.reason() == null ? null : req.reason().code(), req.attachments().toArray(UUID[]::new),
                    req.clientActionId(), details.encode(), actor.origin() == null ? null : req.clientActionId(),
                    actor.origin()};
            return c.preparedQuery(INSERT_EVENT).execute(Tuple.from(event)).map(new Applied(seq, false));
        }).recover(e -> {
            if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                // The same clientActionId raced itself on another case or connection and won there.
                return Future.failedFuture(new ApiError(409, "concurrent_change", "同一操作正在处理 / the same action is "
                        + "being applied by another request; retry to get its result", null));
            }
            return Future.failedFuture(e);
        });
    }

    private static ApiError concurrent(Row row, CaseAction action) {
        return new ApiError(409, "concurrent_change", "案件刚被他人处理，请刷新后重试 / the case changed "
                        + "meanwhile; reload it and try again", new JsonObject().put("zh", "案件刚被他人处理，请刷新后重试")
                        .put("en", "the case changed meanwhile; reload it and try again")
                        .put("state", row.getString("state")).put("action", action.code()));
    }

    /** A workflow refusal in the one error format: the Chinese reason as message, both languages in details. */
    static ApiError refused(Refusal r, CaseState state, CaseAction action) {
        JsonObject details = new JsonObject().put("zh", r.zh()).put("en", r.en());
        if (state != null) {
            details.put("state", state.code());
        }
        if (action != null) {
            details.put("action", action.code());
        }
        return new ApiError(r.status(), r.kind().name().toLowerCase(), r.zh() + " / " + r.en(), details);
    }
}
