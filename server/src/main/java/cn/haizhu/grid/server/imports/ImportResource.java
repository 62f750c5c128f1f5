package cn.haizhu.grid.server.imports;

import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.importers.load.Dataset;
import cn.haizhu.grid.importers.load.ImportProgress;
import cn.haizhu.grid.importers.load.ImportRequest;
import cn.haizhu.grid.importers.load.Importer;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Imports over HTTP for the import page: upload a file (multipart, limit {@link #MAX_UPLOAD}),
 * watch its job, download its rejected rows. The job runs on a worker thread through the same
 * {@link Importer} as {@code ./gridctl import}; its state lives in import_job, which both the
 * shell's progress bar and this page read.
 *
 * <p>An import changes only the officer's data scope: the job carries it, and the importer rejects
 * every row placed (or already stored) outside it, with the reason. An officer of a street sees their
 * own jobs only; a district officer sees everyone's.
 */
public final class ImportResource {
    /** The largest file the page accepts; bigger files go through ./gridctl import on the server. */
    public static final long MAX_UPLOAD = 200L * 1024 * 1024;
    private static final Pattern UUID_SHAPE = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String COLUMNS = """
            id, dataset, file_name, file_sha256, file_bytes, format, submitted_by, status, phase, rows_read,
            rows_inserted, rows_updated, rows_unchanged, rows_rejected, rows_warned, message, started_at, finished_at,
            (status = 'running' AND heartbeat_at < now() - interval '30 seconds') AS stale""";
    // $2: whose jobs (null: everyone's, for a district officer; a street's officer sees their own)
    private static final String LIST = "SELECT " + COLUMNS
            + " FROM import_job WHERE ($2::text IS NULL OR submitted_by = $2) ORDER BY started_at DESC LIMIT $1";
    private static final String GET = "SELECT " + COLUMNS + " FROM import_job WHERE id = $1 AND ($2::text IS NULL OR submitted_by = $2)";

    private final Vertx vertx;
    private final Pool pool;
    private final Importer importer;
    private final Path uploads;

    public ImportResource(Vertx vertx, Pool pool, Importer importer, Path uploads) {
        this.vertx = vertx;
        this.pool = pool;
        this.importer = importer;
        this.uploads = uploads;
    }

    /** POST /api/v1/imports (multipart: file, dataset, encoding?, crs?, dryRun?, maxErrors?) → 202 with the job. */
    public void start(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        var form = ctx.request().formAttributes();
        Dataset dataset = Dataset.of(form.get("dataset") == null ? "" : form.get("dataset"))
                .orElseThrow(() -> ApiError.badRequest("invalid_dataset", "dataset must be grids, houses, persons or enterprises"));
        if (ctx.fileUploads().size() != 1) {
            throw ApiError.badRequest("missing_file", "send exactly one file in the 'file' field");
        }
        FileUpload upload = ctx.fileUploads().get(0);
        String name = Path.of(upload.fileName() == null ? "upload" : upload.fileName()).getFileName().toString();
        ImportRequest.MaxErrors maxErrors;
        Charset encoding;
        try {
            maxErrors = form.get("maxErrors") == null || form.get("maxErrors").isBlank() ? ImportRequest.MaxErrors.NONE
                    : ImportRequest.MaxErrors.parse(form.get("maxErrors"));
            encoding = form.get("encoding") == null || form.get("encoding").isBlank() ? null : Charset.forName(form.get("encoding"));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("invalid_option", e.getMessage());
        }
        String crs = form.get("crs") == null || form.get("crs").isBlank() ? null : form.get("crs");
        boolean dryRun = "true".equals(form.get("dryRun"));
        vertx.executeBlocking(() -> claim(Path.of(upload.uploadedFileName()), name)).onSuccess(file -> {
            // The file is this request's until the job has its row, then the job's: both delete it when they end.
            io.vertx.core.Promise<UUID> started = io.vertx.core.Promise.promise();
            try {
                ImportRequest req = new ImportRequest(dataset, file, encoding, crs, null, Map.of(), dryRun, maxErrors,
                        caller.username(), caller.scope());
                // The job runs on a worker; the answer names it as soon as import_job has its row.
                vertx.executeBlocking(() -> importer.run(req, ImportProgress.NONE, started::tryComplete), false)
                        .onComplete(done -> {
                            deleteQuietly(file);
                            if (done.failed()) {
                                started.tryFail(done.cause());
                            }
                        });
            } catch (RuntimeException e) {
                deleteQuietly(file);
                started.tryFail(e);
            }
            started.future().compose(id -> pool.preparedQuery(GET).execute(Tuple.of(id, (Object) null)))
                    .onSuccess(rows -> ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                            .end(job(rows.iterator().next()).encode()))
                    .onFailure(err -> ctx.fail(err instanceof Importer.ImportRefused refused
                            ? ApiError.badRequest("import_refused", refused.getMessage()) : err));
        }).onFailure(ctx::fail);
    }

    /**
     * Takes the upload out of the request's hands (its end deletes what it uploaded) into a folder of its
     * own, under the officer's file name: the importer picks the format by extension.
     */
    private Path claim(Path sent, String name) throws java.io.IOException {
        Path dir = Files.createDirectories(uploads.resolve(UUID.randomUUID().toString()));
        String safe = name.replaceAll("[/\\\\]", "_");
        // "." or ".." would name the folder itself or the uploads folder
        Path file = dir.resolve(safe.isBlank() || safe.equals(".") || safe.equals("..") ? "upload" : safe);
        try {
            return Files.move(sent, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException | RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    /** GET /api/v1/imports?limit= */
    public void list(RoutingContext ctx) {
        int limit = Params.intInRange(ctx, "limit", 1, 200, 50);
        pool.preparedQuery(LIST).execute(Tuple.of(limit, owner(ctx))).onSuccess(rows -> {
            JsonArray items = new JsonArray();
            for (Row r : rows) {
                items.add(job(r));
            }
            ctx.json(new JsonObject().put("items", items));
        }).onFailure(ctx::fail);
    }

    /** GET /api/v1/imports/:id */
    public void get(RoutingContext ctx) {
        UUID id = jobId(ctx);
        visible(ctx, id).onSuccess(row -> ctx.json(job(row))).onFailure(ctx::fail);
    }

    /** The job, if the caller may see it (else a 404, as for a job that does not exist). */
    private io.vertx.core.Future<Row> visible(RoutingContext ctx, UUID id) {
        return pool.preparedQuery(GET).execute(Tuple.of(id, owner(ctx))).map(rows -> {
            if (!rows.iterator().hasNext()) {
                throw ApiError.notFound("import job " + id);
            }
            return rows.iterator().next();
        });
    }

    /** Whose jobs the caller sees: null for everyone's (district scope), else their own. */
    private static String owner(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        return DataScope.DISTRICT.equals(caller.scope().kind()) ? null : caller.username();
    }

    /**
     * GET /api/v1/imports/:id/rejects.csv — row, severity (error: not loaded; warning: loaded, check it),
     * field, value (personal data masked), reason_zh, reason_en.
     */
    public void rejects(RoutingContext ctx) {
        UUID id = jobId(ctx);
        visible(ctx, id).compose(job -> vertx.executeBlocking(() -> {
            StringWriter out = new StringWriter();
            importer.writeRejects(id, out);
            return out.toString();
        })).onSuccess(csv -> ctx.response()
                .putHeader("Content-Type", "text/csv; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"rejects-" + id + ".csv\"")
                .end(csv)).onFailure(ctx::fail);
    }

    private static UUID jobId(RoutingContext ctx) {
        String raw = ctx.pathParam("id");
        if (raw == null || !UUID_SHAPE.matcher(raw).matches()) {
            throw ApiError.badRequest("invalid_id", "the job id in the path must be a UUID");
        }
        return UUID.fromString(raw);
    }

    static final Set<String> TERMINAL = Set.of("succeeded", "failed", "aborted", "dry_run");

    private static JsonObject job(Row r) {
        String status = r.getBoolean("stale") ? "interrupted" : r.getString("status");
        return new JsonObject().put("id", r.getUUID("id").toString()).put("dataset", r.getString("dataset"))
                .put("fileName", r.getString("file_name")).put("sha256", r.getString("file_sha256"))
                .put("bytes", r.getLong("file_bytes")).put("format", r.getString("format"))
                .put("submittedBy", r.getString("submitted_by")).put("status", status).put("phase", r.getString("phase"))
                .put("rowsRead", r.getLong("rows_read")).put("inserted", r.getLong("rows_inserted"))
                .put("updated", r.getLong("rows_updated")).put("unchanged", r.getLong("rows_unchanged"))
                .put("rejected", r.getLong("rows_rejected")).put("warned", r.getLong("rows_warned"))
                .put("message", r.getString("message"))
                .put("startedAt", r.getOffsetDateTime("started_at").toString())
                .put("finishedAt", r.getOffsetDateTime("finished_at") == null ? null : r.getOffsetDateTime("finished_at").toString())
                .put("done", TERMINAL.contains(status) || "interrupted".equals(status));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (java.io.IOException ignored) {
            // gone already, or the folder is unwritable; nothing else can be done here
        }
    }
}
