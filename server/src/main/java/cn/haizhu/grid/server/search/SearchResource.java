package cn.haizhu.grid.server.search;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Cursor;
import cn.haizhu.grid.server.http.Params;
import cn.haizhu.grid.server.http.RequestBudget;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The map wall's search box over HTTP ({@link PlaceSearch} finds). Cost is bounded three ways: a
 * substring needs three letters or digits to reach houses and enterprises, each kind is paged by its
 * key ({@code cursor} from the previous answer's {@code next}, never an offset, {@code limit} at most
 * 20 a page), and each user has a {@link RequestBudget}: past it, 429.
 */
public final class SearchResource {
    private static final int MAX_QUERY = 50;
    /** Per kind: enough to choose from, few enough to read at a glance on the wall. */
    private static final int PER_KIND = 6;
    private static final int MAX_PER_KIND = 20;
    /** A person typing sends a few searches a second at most; a script walking the addresses, many more. */
    static final int BURST = 20;
    static final double PER_SECOND = 2;
    private static final Set<String> KINDS = Set.of("area", "grid", "enterprise", "house");
    /** What a cursor's key looks like for each kind (it is the last code of the previous page). */
    private static final Map<String, Pattern> KEYS = Map.of("area", Pattern.compile("\\d{9}|\\d{12}"),
            "grid", Pattern.compile("\\d{14}"), "enterprise", Pattern.compile("[0-9A-Z]{18}"), "house", Pattern.compile("\\d{14,24}"));

    private final PlaceSearch search;
    private final RequestBudget budget = new RequestBudget("search", BURST, PER_SECOND);

    public SearchResource(PlaceSearch search) {
        this.search = search;
    }

    /** GET /api/v1/search?q=&limit=&kind=&cursor= */
    public void search(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        budget.charge(ctx, caller.userId());
        String q = Params.text(ctx, "q");
        q = q == null ? "" : q.strip();
        if (q.isEmpty() || q.codePointCount(0, q.length()) > MAX_QUERY || q.chars().anyMatch(Character::isISOControl)) {
            throw ApiError.badRequest("invalid_parameter", "q must be 1 to " + MAX_QUERY + " characters, no control characters",
                    new JsonObject().put("parameter", "q"));
        }
        int limit = Params.intInRange(ctx, "limit", 1, MAX_PER_KIND, PER_KIND);
        String kind = Params.oneOf(ctx, "kind", KINDS, "");
        String after = "";
        String cursor = Params.text(ctx, "cursor");
        if (cursor != null && !cursor.isEmpty()) {
            String[] c = Cursor.parse(cursor, KEYS);
            if (!kind.isEmpty() && !kind.equals(c[0])) {
                throw ApiError.badRequest("invalid_parameter", "the cursor is for kind " + c[0] + ", not " + kind,
                        new JsonObject().put("parameter", "cursor"));
            }
            kind = c[0];
            after = c[1];
        }
        search.find(caller, q, limit, kind, after).onSuccess(ctx::json).onFailure(ctx::fail);
    }
}
