package cn.haizhu.grid.server.imports;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.importers.load.Dataset;
import cn.haizhu.grid.importers.load.ImportProgress;
import cn.haizhu.grid.importers.load.ImportRequest;
import cn.haizhu.grid.importers.load.Importer;
import cn.haizhu.grid.importers.load.ValueMapping;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Import jobs without HTTP: an uploaded file taken into a folder of its own and run on a worker
 * thread through the same {@link Importer} as {@code ./gridctl import}, the jobs as import_job keeps
 * them (both the shell's progress bar and the import page read it), and a job's rejected rows.
 *
 * <p>An import changes only the officer's data scope: the job carries it, and the importer rejects
 * every row placed (or already stored) outside it, with the reason. Whose jobs a caller sees is the
 * {@code owner} of each call: null for everyone's (district scope), else the officer's own.
 */
public final class ImportJobs {
    static final Set<String> TERMINAL = Set.of("succeeded", "failed", "aborted", "dry_run");
    private static final String JOBS = SqlFile.load(ImportJobs.class, "jobs");
    private static final String JOB = SqlFile.load(ImportJobs.class, "job");

    /** How the officer asked for the file to be read and loaded. */
    record Options(Dataset dataset, Charset encoding, String crs, ValueMapping values, boolean dryRun,
                   ImportRequest.MaxErrors maxErrors) {
    }

    private final Vertx vertx;
    private final Pool pool;
    private final Importer importer;
    private final Path uploads;

    public ImportJobs(Vertx vertx, Pool pool, Importer importer, Path uploads) {
        this.vertx = vertx;
        this.pool = pool;
        this.importer = importer;
        this.uploads = uploads;
    }

    /**
     * Starts importing the file the request uploaded to {@code sent} (sent under {@code name}): the job
     * as soon as import_job has its row, or a 400 when the importer refuses the file at once.
     */
    Future<JsonObject> start(Caller caller, Path sent, String name, Options o) {
        return vertx.executeBlocking(() -> claim(sent, name)).compose(file -> {
            // The file is this request's until the job has its row, then the job's: both delete it when they end.
            Promise<UUID> started = Promise.promise();
            try {
                ImportRequest req = new ImportRequest(o.dataset(), file, o.encoding(), o.crs(), null, Map.of(), o.values(),
                        o.dryRun(), o.maxErrors(), caller.username(), caller.scope());
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
            return started.future().compose(id -> pool.preparedQuery(JOB).execute(Tuple.of(id, (Object) null)))
                    .map(rows -> job(rows.iterator().next()))
                    .recover(err -> Future.failedFuture(err instanceof Importer.ImportRefused refused
                            ? refusal(refused) : err));
        });
    }

    /**
     * A file the importer refused at once: a 400 with the importer's message, the one the shell prints, and
     * the job that records it (its id in the details) when it got as far as a job.
     */
    private static ApiError refusal(Importer.ImportRefused refused) {
        JsonObject details = new JsonObject();
        if (refused.jobId() != null) {
            details.put("jobId", refused.jobId().toString());
        }
        return ApiError.badRequest("import_refused", refused.getMessage(), details);
    }

    /**
     * Takes the upload out of the request's hands (its end deletes what it uploaded) into a folder of its
     * own, under the officer's file name: the importer picks the format by extension.
     */
    private Path claim(Path sent, String name) throws IOException {
        Path dir = Files.createDirectories(uploads.resolve(UUID.randomUUID().toString()));
        String safe = name.replaceAll("[/\\\\]", "_");
        // "." or ".." would name the folder itself or the uploads folder
        Path file = dir.resolve(safe.isBlank() || safe.equals(".") || safe.equals("..") ? "upload" : safe);
        try {
            return Files.move(sent, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    /** The latest {@code limit} jobs the owner sees, newest first. */
    Future<JsonArray> list(String owner, int limit) {
        return pool.preparedQuery(JOBS).execute(Tuple.of(limit, owner)).map(rows -> {
            JsonArray items = new JsonArray();
            for (Row r : rows) {
                items.add(job(r));
            }
            return items;
        });
    }

    /** The job, if the owner sees it (else a 404, as for a job that does not exist). */
    Future<JsonObject> job(UUID id, String owner) {
        return visible(id, owner).map(ImportJobs::job);
    }

    /** The job's rejected rows as CSV (personal data masked), if the owner sees the job. */
    Future<String> rejects(UUID id, String owner) {
        return visible(id, owner).compose(job -> vertx.executeBlocking(() -> {
            StringWriter out = new StringWriter();
            importer.writeRejects(id, out);
            return out.toString();
        }));
    }

    private Future<Row> visible(UUID id, String owner) {
        return pool.preparedQuery(JOB).execute(Tuple.of(id, owner)).map(rows -> {
            if (!rows.iterator().hasNext()) {
                throw ApiError.notFound("import job " + id);
            }
            return rows.iterator().next();
        });
    }

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
        } catch (IOException ignored) {
            // gone already, or the folder is unwritable; nothing else can be done here
        }
    }
}
