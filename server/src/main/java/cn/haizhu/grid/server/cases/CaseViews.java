package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.cases.CaseAction;
import cn.haizhu.grid.data.cases.CaseCategory;
import cn.haizhu.grid.data.cases.CaseClock;
import cn.haizhu.grid.data.cases.CaseFacts;
import cn.haizhu.grid.data.cases.CaseState;
import cn.haizhu.grid.data.cases.CategoryCatalogue;
import cn.haizhu.grid.data.cases.CodedReason;
import cn.haizhu.grid.data.cases.Department;
import cn.haizhu.grid.data.cases.ExtensionReason;
import cn.haizhu.grid.data.cases.ReturnReason;
import cn.haizhu.grid.data.cases.ReturnUpReason;
import cn.haizhu.grid.data.cases.WorkingCalendar;
import cn.haizhu.grid.data.sync.NodeLevel;
import cn.haizhu.grid.data.users.Role;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

/**
 * How a case shows: the JSON the API answers with for a case, its history and the caller's next
 * actions, and the category catalogue; and the facts about the caller the workflow needs, read from
 * a case row ({@link CaseReads} loads it). Shared by intake, actions and the reads, so every endpoint
 * shows a case the same way.
 */
public final class CaseViews {
    private final CategoryCatalogue catalogue;
    private final WorkingCalendar calendar;

    public CaseViews(CategoryCatalogue catalogue, WorkingCalendar calendar) {
        this.catalogue = catalogue;
        this.calendar = calendar;
    }

    CategoryCatalogue catalogue() {
        return catalogue;
    }

    WorkingCalendar calendar() {
        return calendar;
    }

    /** The facts about the caller and the case the workflow's guards need; the caller speaks for no other level. */
    static CaseFacts facts(Row r, Caller caller) {
        return facts(r, caller, null);
    }

    /**
     * The facts about the caller and the case the workflow's guards need, the caller speaking for the
     * level {@code onBehalfOf} (a node code; null: for this level only): the level a work order came
     * from decides its 回访 ({@link WorkOrders}).
     */
    static CaseFacts facts(Row r, Caller caller, String onBehalfOf) {
        String origin = r.getString("origin_node");
        return new CaseFacts(Objects.equals(r.getLong("assignee_user_id"), caller.userId()),
                Objects.equals(r.getLong("reporter_user_id"), caller.userId()),
                Boolean.TRUE.equals(r.getBoolean("caller_handled")),
                r.getBoolean("extension_pending"),
                origin != null, origin != null && origin.equals(onBehalfOf), r.getString("handling_node") != null);
    }

    static Role role(Caller caller) {
        return Role.of(caller.role()).orElseThrow(() -> ApiError.forbidden("unknown role " + caller.role()));
    }

    /** 部件/事件 大类 → 小类 with departments and limits, the coded reasons and the working hours. */
    JsonObject categoriesJson() {
        JsonArray majors = new JsonArray();
        for (CategoryCatalogue.Major m : catalogue.majors()) {
            JsonArray cs = new JsonArray();
            for (CaseCategory c : m.categories()) {
                cs.add(new JsonObject().put("code", c.code()).put("zh", c.nameZh()).put("en", c.nameEn())
                        .put("department", c.department().code())
                        .put("urgentHours", c.urgentLimit().toMinutes() / 60.0)
                        .put("normalHours", c.normalLimit().toMinutes() / 60.0));
            }
            majors.add(new JsonObject().put("key", m.key()).put("kind", m.kind().prefix()).put("kindZh", m.kind().zh())
                    .put("zh", m.zh()).put("en", m.en()).put("categories", cs));
        }
        JsonArray departments = new JsonArray();
        for (Department d : catalogue.departments()) {
            departments.add(new JsonObject().put("code", d.code()).put("zh", d.zh()).put("en", d.en()));
        }
        return new JsonObject().put("majors", majors).put("departments", departments)
                .put("returnReasons", reasonsJson(ReturnReason.values()))
                .put("returnUpReasons", reasonsJson(ReturnUpReason.values()))
                .put("extensionReasons", reasonsJson(ExtensionReason.values()))
                .put("workingHours", calendar.hours().stream().map(p -> p.start() + "-" + p.end()).toList());
    }

    static JsonObject actionJson(CaseAction a) {
        return new JsonObject().put("action", a.code()).put("zh", a.zh()).put("en", a.en())
                .put("reasons", a.reasonType() == null ? null : reasonsJson(a.reasons().toArray(CodedReason[]::new)));
    }

    static JsonArray reasonsJson(CodedReason[] reasons) {
        JsonArray a = new JsonArray();
        for (CodedReason r : reasons) {
            a.add(new JsonObject().put("code", r.code()).put("zh", r.zh()).put("en", r.en()));
        }
        return a;
    }

    /** A case as the API shows it in lists and on its own. */
    JsonObject caseJson(Row r, Instant now) {
        CaseState state = CaseState.of(r.getString("state")).orElseThrow();
        CaseClock clock = StoredClock.of(r);
        String code = r.getString("category_code");
        CaseCategory category = catalogue.byCode(code).orElse(null);
        Department dept = catalogue.departments().stream()
                .filter(d -> d.code().equals(r.getString("department_code"))).findFirst().orElse(null);
        JsonObject clockJson = null;
        if (clock.started()) {
            Duration remaining = clock.remaining(calendar, now);
            clockJson = new JsonObject()
                    .put("startedAt", clock.startedAt().toString())
                    .put("limitSeconds", clock.limit().toSeconds())
                    .put("extendedSeconds", clock.extended().toSeconds())
                    .put("running", clock.running())
                    .put("stopped", clock.stopped())
                    .put("remainingSeconds", remaining.toSeconds())
                    .put("overdue", remaining.isNegative());
        }
        Long assignee = r.getLong("assignee_id");
        return new JsonObject()
                .put("id", r.getUUID("gid").toString())
                .put("number", r.getString("case_number"))
                .put("source", r.getString("source"))
                .put("category", new JsonObject().put("code", code)
                        .put("zh", category == null ? null : category.nameZh())
                        .put("en", category == null ? null : category.nameEn()))
                .put("urgency", r.getString("urgency"))
                .put("title", r.getString("title"))
                .put("description", r.getString("description"))
                .put("address", r.getString("address"))
                .put("mediaUrl", r.getString("media_url"))
                .put("location", new JsonObject().put("lon", r.getDouble("lon")).put("lat", r.getDouble("lat")))
                .put("gridCode", r.getString("grid_code"))
                .put("communityCode", r.getString("community_code"))
                .put("streetCode", r.getString("street_code"))
                .put("state", state.code()).put("stateZh", state.zh()).put("stateEn", state.en())
                .put("open", state.isOpen())
                .put("assignee", assignee == null ? null
                        : new JsonObject().put("id", assignee).put("name", r.getString("assignee_name")))
                .put("department", new JsonObject().put("code", r.getString("department_code"))
                        .put("zh", dept == null ? null : dept.zh()).put("en", dept == null ? null : dept.en()))
                .put("reporter", r.getString("reporter_name"))
                .put("deadline", iso(r.getOffsetDateTime("deadline")))
                .put("origin", originJson(r, now))
                .put("handling", handlingJson(r))
                .put("clock", clockJson)
                .put("extensionPending", r.getBoolean("extension_pending"))
                .put("escalation", switch (r.getInteger("escalation_level")) {   // 0 none, 1 催办, 2 督办
                    case 1 -> "urged";
                    case 2 -> "supervised";
                    default -> null;
                })
                .put("flags", new JsonObject()
                        .put("nearBoundary", r.getBoolean("near_boundary"))
                        .put("boundaryDistanceM", round(r.getDouble("boundary_distance_m")))
                        .put("outsideDistrict", r.getBoolean("outside_district"))
                        .put("farCompletion", r.getBoolean("far_completion")))
                .put("createdAt", iso(r.getOffsetDateTime("created_at")))
                .put("updatedAt", iso(r.getOffsetDateTime("updated_at")))
                .put("version", r.getLong("version"));
    }

    /**
     * Where a work order from a level above came from, and its deadline there (办结时限), which holds at
     * every level: counted in plain time to the origin's instant, as the origin counts it. Null for a
     * case filed at this level.
     */
    static JsonObject originJson(Row r, Instant now) {
        String node = r.getString("origin_node");
        if (node == null) {
            return null;
        }
        Instant deadline = r.getOffsetDateTime("origin_deadline").toInstant();
        NodeLevel level = NodeLevel.ofCode(node).orElse(null);
        long remaining = Duration.between(now, deadline).toSeconds();
        return new JsonObject().put("node", node)
                .put("level", level == null ? null : level.code())
                .put("levelZh", level == null ? null : level.zh())
                .put("orderNumber", r.getString("origin_order_number"))
                .put("deadline", deadline.toString())
                .put("timeLimit", r.getString("origin_time_limit"))
                .put("remainingSeconds", remaining)
                .put("overdue", remaining < 0);
    }

    /**
     * Where a work order this level sent down is handled (docs/SYNC.md): the level below, and its number
     * for the case once its handling came back up. Null for a case handled here.
     */
    static JsonObject handlingJson(Row r) {
        String node = r.getString("handling_node");
        if (node == null) {
            return null;
        }
        NodeLevel level = NodeLevel.ofCode(node).orElse(null);
        return new JsonObject().put("node", node)
                .put("level", level == null ? null : level.code())
                .put("levelZh", level == null ? null : level.zh())
                .put("caseNumber", r.getString("handling_case_number"));
    }

    static JsonObject eventJson(Row e) {
        String reason = e.getString("reason_code");
        String action = e.getString("action");
        // the code is read in the list of its action: "other" is in every list, with its own label
        CodedReason coded = reason == null ? null : CaseAction.of(action).flatMap(a -> a.reason(reason)).orElse(null);
        JsonArray attachments = new JsonArray();
        UUID[] ids = e.getArrayOfUUIDs("attachment_ids");
        if (ids != null) {
            for (UUID u : ids) {
                attachments.add(u.toString());
            }
        }
        Double lon = e.getDouble("lon");
        UUID clientId = e.getUUID("client_action_id");
        return new JsonObject()
                .put("seq", e.getInteger("seq"))
                .put("action", action)
                .put("actionZh", CaseAction.of(action).map(CaseAction::zh).orElse(switch (action) {
                    case "urge" -> "超期催办";
                    case "supervise" -> "超期督办";
                    default -> "上报";
                }))
                .put("fromState", e.getString("from_state"))
                .put("toState", e.getString("to_state"))
                .put("actor", new JsonObject().put("username", e.getString("actor_username"))
                        .put("role", e.getString("actor_role")))
                .put("origin", e.getString("origin"))
                .put("at", iso(e.getOffsetDateTime("at")))
                .put("location", lon == null ? null : new JsonObject().put("lon", lon).put("lat", e.getDouble("lat")))
                .put("comment", e.getString("comment"))
                .put("reason", coded == null ? null
                        : new JsonObject().put("code", coded.code()).put("zh", coded.zh()).put("en", coded.en()))
                .put("attachments", attachments)
                .put("clientActionId", clientId == null ? null : clientId.toString())
                .put("details", new JsonObject(e.getString("details")));
    }

    static String iso(OffsetDateTime t) {
        return t == null ? null : t.toInstant().toString();
    }

    private static Double round(Double metres) {
        return metres == null ? null : Math.round(metres * 10) / 10.0;
    }
}
