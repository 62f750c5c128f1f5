package cn.haizhu.grid.server.imports;

import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.importers.load.Dataset;
import cn.haizhu.grid.importers.load.ImportRequest;
import cn.haizhu.grid.importers.load.ValueMapping;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.FormFields;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Imports over HTTP for the import page: upload a file (multipart, limit {@link #MAX_UPLOAD}),
 * watch its job, download its rejected rows ({@link ImportJobs} runs and reads them). An officer of a
 * street sees their own jobs only; a district officer sees everyone's.
 */
public final class ImportResource {
    /** The largest file the page accepts; bigger files go through ./gridctl import on the server. */
    public static final long MAX_UPLOAD = 200L * 1024 * 1024;
    private static final Pattern UUID_SHAPE = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final ImportJobs jobs;

    public ImportResource(ImportJobs jobs) {
        this.jobs = jobs;
    }

    /**
     * POST /api/v1/imports (multipart: file, dataset, encoding?, crs?, mapValues?, dryRun?, maxErrors?) → 202 with
     * the job. mapValues is what {@code --map-values} takes, one entry a line ({@code use=商住:住宅}).
     */
    public void start(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        var form = FormFields.of(ctx);
        Dataset dataset = Dataset.of(form.get("dataset") == null ? "" : form.get("dataset"))
                .orElseThrow(() -> ApiError.badRequest("invalid_dataset", "dataset must be grids, houses, persons or enterprises"));
        if (ctx.fileUploads().size() != 1) {
            throw ApiError.badRequest("missing_file", "send exactly one file in the 'file' field");
        }
        FileUpload upload = ctx.fileUploads().get(0);
        String name = Path.of(upload.fileName() == null ? "upload" : upload.fileName()).getFileName().toString();
        ImportRequest.MaxErrors maxErrors;
        Charset encoding;
        ValueMapping values;
        try {
            values = ValueMapping.parse(form.getAll("mapValues"));
            maxErrors = form.get("maxErrors") == null || form.get("maxErrors").isBlank() ? ImportRequest.MaxErrors.NONE
                    : ImportRequest.MaxErrors.parse(form.get("maxErrors"));
            encoding = form.get("encoding") == null || form.get("encoding").isBlank() ? null : Charset.forName(form.get("encoding"));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("invalid_option", e.getMessage());
        }
        String crs = form.get("crs") == null || form.get("crs").isBlank() ? null : form.get("crs");
        boolean dryRun = "true".equals(form.get("dryRun"));
        jobs.start(caller, Path.of(upload.uploadedFileName()), name, new ImportJobs.Options(dataset, encoding, crs, values, dryRun,
                        maxErrors))
                .onSuccess(job -> ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                        .end(job.encode()))
                .onFailure(ctx::fail);
    }

    /** GET /api/v1/imports?limit= */
    public void list(RoutingContext ctx) {
        int limit = Params.intInRange(ctx, "limit", 1, 200, 50);
        jobs.list(owner(ctx), limit).onSuccess(items -> ctx.json(new JsonObject().put("items", items))).onFailure(ctx::fail);
    }

    /** GET /api/v1/imports/:id */
    public void get(RoutingContext ctx) {
        UUID id = jobId(ctx);
        jobs.job(id, owner(ctx)).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /**
     * GET /api/v1/imports/:id/rejects.csv — row, severity (error: not loaded; warning: loaded, check it),
     * field, value (personal data masked), reason_zh, reason_en.
     */
    public void rejects(RoutingContext ctx) {
        UUID id = jobId(ctx);
        jobs.rejects(id, owner(ctx)).onSuccess(csv -> ctx.response()
                .putHeader("Content-Type", "text/csv; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"rejects-" + id + ".csv\"")
                .end(csv)).onFailure(ctx::fail);
    }

    /** Whose jobs the caller sees: null for everyone's (district scope), else their own. */
    private static String owner(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        return DataScope.DISTRICT.equals(caller.scope().kind()) ? null : caller.username();
    }

    private static UUID jobId(RoutingContext ctx) {
        String raw = ctx.pathParam("id");
        if (raw == null || !UUID_SHAPE.matcher(raw).matches()) {
            throw ApiError.badRequest("invalid_id", "the job id in the path must be a UUID");
        }
        return UUID.fromString(raw);
    }
}
