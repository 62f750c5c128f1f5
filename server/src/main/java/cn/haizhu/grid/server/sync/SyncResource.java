package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.changelog.ChangeLogReader.Cursor;
import cn.haizhu.grid.data.sync.Ownership;
import cn.haizhu.grid.data.sync.SyncScope;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.cases.Body;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Params;
import cn.haizhu.grid.server.http.RequestOrigin;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/sync}: the routes peers call with their keys (hello, changes, snapshot, hint, register,
 * the digests of verify), the conflicts the owner's officers decide and the links the wall shows. HTTP
 * only: parameters in, a service called, JSON out.
 */
public final class SyncResource {
    private static final Pattern CURSOR = Pattern.compile("\\d{1,19}:\\d{1,19}:\\d{1,19}");
    private static final Pattern ID = Pattern.compile("\\d{1,18}");
    private static final Pattern TABLE = Pattern.compile(String.join("|", Ownership.TABLES));
    /** A street, or a district for the district's own outline. */
    private static final Pattern STREET = Pattern.compile("\\d{6}|\\d{9}");
    private static final String STREET_SHAPE = "a street code (9 digits) or a district code (6)";

    private final ThisNode node;
    private final ChangeFeed feed;
    private final SyncPeers peers;
    private final SyncConflicts conflicts;
    private final SyncLinks links;
    private final java.util.function.Supplier<SyncNode> pullers;
    private final SnapshotStream snapshots;
    private final io.vertx.core.WorkerExecutor snapshotWorkers;
    private final SyncDigests digests;

    public SyncResource(io.vertx.core.Vertx vertx, ThisNode node, ChangeFeed feed, SnapshotStream snapshots, SyncPeers peers,
                        SyncConflicts conflicts, SyncLinks links, java.util.function.Supplier<SyncNode> pullers, SyncDigests digests) {
        // snapshots run for minutes at full scale: their own pool (two at a time, the rest wait), outside the
        // blocked-thread checker's one-minute limit for ordinary workers
        this.snapshotWorkers = vertx.createSharedWorkerExecutor("gridctl-sync-snapshot", 2, 2, java.util.concurrent.TimeUnit.HOURS);
        this.node = node;
        this.feed = feed;
        this.snapshots = snapshots;
        this.peers = peers;
        this.conflicts = conflicts;
        this.links = links;
        this.pullers = pullers;
        this.digests = digests;
    }

    private static String peer(RoutingContext ctx) {
        return SyncPeers.peerOf(Caller.of(ctx)).orElseThrow(() -> ApiError.forbidden("only a peer platform's key calls this"));
    }

    /** GET /api/v1/sync/hello: this node and the caller as it sees it. */
    public void hello(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        String peer = peer(ctx);
        ctx.json(new JsonObject()
                .put("node", new JsonObject().put("code", node.code()).put("level", node.level().code())
                        .put("name", node.name()).put("protocol", ChangeFeed.PROTOCOL))
                .put("caller", new JsonObject().put("code", peer)
                        .put("scope", caller.scope().kind() + ":" + caller.scope().code())));
    }

    /** GET /api/v1/sync/changes?after=txid:id:seq&limit=N&wait=S */
    public void changes(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        String peer = peer(ctx);
        String after = Params.optional(ctx, "after", CURSOR, "a cursor txid:id:seq");
        int limit = Params.intInRange(ctx, "limit", 1, 1000, 500);
        int wait = Params.intInRange(ctx, "wait", 0, 60, 0);
        ChangeFeed.Reader reader = new ChangeFeed.Reader(caller, peer, new SyncScope(caller.scope().kind(), caller.scope().code()),
                ctx.request().path(), RequestOrigin.of(ctx).clientAddress());
        feed.changes(reader, after == null ? Cursor.START : Cursor.parse(after), limit, wait * 1000L)
                .onSuccess(answer -> ctx.response().putHeader("Cache-Control", "no-store")
                        .putHeader("Content-Type", "application/json; charset=utf-8").end(answer.encode()))
                .onFailure(ctx::fail);
    }

    /**
     * GET /api/v1/sync/snapshot?street=CODE: the caller's scope (or one street of it) of every base table,
     * streamed as COPY text, the feed's cursor after it in the header {@code Sync-Cursor}. A failure once
     * rows have gone out cuts the connection: the stream then lacks its end line, and the peer applies none of it.
     */
    public void snapshot(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        String peer = peer(ctx);
        String street = Params.optional(ctx, "street", STREET, "a street code of 9 digits");
        SyncScope scope = new SyncScope(caller.scope().kind(), caller.scope().code());
        if (street != null && !street.startsWith(scope.code())) {
            throw ApiError.forbidden("street " + street + " lies outside your scope " + scope);
        }
        SnapshotStream.Request request = new SnapshotStream.Request(peer, caller.username(), scope.kind(), scope.code(),
                street == null ? "" : street, ctx.request().path(), RequestOrigin.of(ctx).clientAddress());
        var response = ctx.response();
        snapshotWorkers.executeBlocking(() -> {
            try (var out = new cn.haizhu.grid.server.http.ResponseOutputStream(response)) {
                snapshots.write(request, cursor -> response.setChunked(true).putHeader("Sync-Cursor", cursor)
                        .putHeader("Cache-Control", "no-store").putHeader("Content-Type", "text/plain; charset=utf-8"), out);
            }
            return null;
        }, false).onSuccess(v -> response.end()).onFailure(e -> {
            if (response.headWritten()) {
                response.reset();
            } else {
                ctx.fail(e);
            }
        });
    }

    /** POST /api/v1/sync/hint: the caller has news; this node pulls it now. */
    public void hint(RoutingContext ctx) {
        String peer = peer(ctx);
        SyncNode node = pullers.get();
        if (node != null) {
            node.hint(peer);
        }
        ctx.response().setStatusCode(204).end();
    }

    /** POST /api/v1/sync/register {"key", "url"?}: a downstream peer's key to read its feed with (and its feed's URL). */
    public void register(RoutingContext ctx) {
        String peer = peer(ctx);
        Body body = Body.of(ctx);
        String key = body.string("key", true, 100);
        String url = body.string("url", false, 300);
        body.check();
        peers.register(peer, url, key).onSuccess(v -> {
            SyncNode node = pullers.get();
            if (node != null) {
                node.registered(peer);
            }
            ctx.response().setStatusCode(204).end();
        }).onFailure(ctx::fail);
    }

    /** GET /api/v1/sync/links: this node's links as the wall shows them ("1+18"), in the caller's scope. */
    public void links(RoutingContext ctx) {
        links.links(Caller.of(ctx)).onSuccess(answer -> {
            ctx.response().putHeader("Cache-Control", "no-store");
            ctx.json(answer);
        }).onFailure(ctx::fail);
    }

    /** GET /api/v1/sync/digest?table=T&street=CODE: per table and street of the caller's scope, a count and a digest. */
    public void digest(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        peer(ctx);
        String table = Params.oneOf(ctx, "table", Set.copyOf(Ownership.TABLES), null);
        String street = Params.optional(ctx, "street", STREET, STREET_SHAPE);
        SyncScope scope = scopeOf(caller);
        digests.buckets(caller, scope, table, street)
                .onSuccess(buckets -> ctx.response().putHeader("Cache-Control", "no-store")
                        .putHeader("Content-Type", "application/json; charset=utf-8")
                        .end(new JsonObject().put("node", node.code()).put("scope", scope.toString())
                                .put("buckets", SyncDigests.toJson(buckets)).encode()))
                .onFailure(ctx::fail);
    }

    /**
     * GET /api/v1/sync/digest/{table}?street=CODE: the records of one table in one street of the
     * caller's scope, one tab-separated line each (gid, version, origin, md5), in gid order, streamed.
     * A street outside the caller's scope is not found.
     */
    public void digestRecords(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        peer(ctx);
        String table = Params.path(ctx, "table", TABLE, "one of " + String.join(", ", Ownership.TABLES));
        String street = Params.optional(ctx, "street", STREET, STREET_SHAPE);
        if (street == null) {
            throw ApiError.badRequest("invalid_parameter", "street is required: the street (or the district, for its outline) of the"
                    + " records to list", new JsonObject().put("parameter", "street"));
        }
        SyncScope scope = scopeOf(caller);
        if (!scope.covers(street)) {
            throw ApiError.notFound("street " + street + " in the scope " + scope);
        }
        var response = ctx.response().setChunked(true).putHeader("Cache-Control", "no-store")
                .putHeader("Content-Type", "text/tab-separated-values; charset=utf-8");
        digests.records(caller, scope, table, street, response).onSuccess(v -> response.end()).onFailure(e -> {
            if (response.headWritten()) {
                response.reset();   // a list cut short must not read as a whole one
            } else {
                ctx.fail(e);
            }
        });
    }

    private static SyncScope scopeOf(Caller caller) {
        return new SyncScope(caller.scope().kind(), caller.scope().code());
    }

    /** GET /api/v1/sync/conflicts?all=true&limit=N: the conflicts in the caller's scope. */
    public void conflicts(RoutingContext ctx) {
        boolean all = Params.flag(ctx, "all");
        int limit = Params.intInRange(ctx, "limit", 1, 200, 50);
        conflicts.list(Caller.of(ctx), all, limit, ctx.request().path(), RequestOrigin.of(ctx).clientAddress())
                .onSuccess(items -> ctx.json(new JsonObject().put("items", items))).onFailure(ctx::fail);
    }

    /** POST /api/v1/sync/conflicts/{id}/decide {"keep": "owner" | "request"} */
    public void decide(RoutingContext ctx) {
        long id = Long.parseLong(Params.path(ctx, "id", ID, "a conflict id"));
        Body body = Body.of(ctx);
        String keep = body.string("keep", true, 10);
        if (keep != null && !Set.of("owner", "request").contains(keep)) {
            body.problem("keep", "must be owner or request");
        }
        body.check();
        conflicts.decide(Caller.of(ctx), id, keep).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }
}
