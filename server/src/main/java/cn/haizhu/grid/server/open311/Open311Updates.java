package cn.haizhu.grid.server.open311;

import cn.haizhu.grid.data.cases.CaseState;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;

/**
 * mySociety's GeoReport extension {@code GET servicerequestupdates}: what happened to requests between
 * two dates, one update per public milestone of a case ({@link PublicHistory}), as FixMyStreet's
 * Open311 client polls it to sync status. An update is {@code update_id} (the case number and the
 * milestone's place in its history: stable, so a client that saw it once skips it), the request's
 * {@code service_request_id}, {@code status} in the extension's words ({@link #status}),
 * {@code updated_datetime}, {@code description} (the public reply, else what the milestone was) and
 * {@code media_url}; {@code external_status_code} carries the case's own state.
 */
final class Open311Updates {
    /** The most updates one answer carries; a client asks again from the last one's time. */
    static final int MAX = 1000;
    private static final String UPDATES = SqlFile.load(Open311Updates.class, "updates");

    private final ScopedPool db;

    Open311Updates(ScopedPool db) {
        this.db = db;
    }

    /** The updates from {@code start} to {@code end}, oldest first; in the public view the text is masked. */
    Future<JsonArray> between(Caller caller, OffsetDateTime start, OffsetDateTime end, boolean publicView) {
        Object[] values = {start, end, PublicHistory.MILESTONES, PublicHistory.REPLIES, MAX};
        return db.withScope(caller, c -> c.preparedQuery(UPDATES).execute(Tuple.from(values))).map(rows -> {
            JsonArray out = new JsonArray();
            for (Row r : rows) {
                CaseState state = CaseState.of(r.getString("to_state")).orElseThrow();
                String reply = r.getString("comment");
                String description = reply != null ? reply : milestone(state);
                out.add(new JsonObject()
                        .put("update_id", r.getString("case_number") + "-" + r.getInteger("seq"))
                        .put("service_request_id", r.getString("case_number"))
                        .put("status", status(state))
                        .put("updated_datetime", W3cDates.format(r.getOffsetDateTime("at")))
                        .put("description", publicView ? PublicText.mask(description) : description)
                        .putNull("media_url")
                        .put("external_status_code", state.code()));
            }
            return out;
        });
    }

    /** What a milestone without a reply says: the state it reached, in Chinese and English. */
    static String milestone(CaseState state) {
        return state.zh() + " / " + state.en();
    }

    /**
     * A case state in the extension's status words, which FixMyStreet maps onto its own states: a
     * report not yet taken up is OPEN, one being worked on IN_PROGRESS, a closed one FIXED, one not
     * taken up (不予立案) NO_FURTHER_ACTION, one returned to the level above INTERNAL_REFERRAL.
     */
    static String status(CaseState state) {
        if (!state.isOpen()) {
            return switch (state) {
                case REJECTED -> "NO_FURTHER_ACTION";
                case RETURNED_UP -> "INTERNAL_REFERRAL";
                default -> "FIXED";
            };
        }
        return switch (state) {
            case REPORTED, VERIFYING, REOPENED -> "OPEN";
            default -> "IN_PROGRESS";
        };
    }
}
