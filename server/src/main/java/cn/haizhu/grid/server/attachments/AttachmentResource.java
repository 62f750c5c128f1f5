package cn.haizhu.grid.server.attachments;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.FormFields;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Photos over HTTP: {@code POST /api/v1/attachments} (multipart: {@code file}, optional {@code id},
 * {@code lon}, {@code lat}) stores a checked photo and answers its id and URLs; {@code GET
 * /api/v1/attachments/{id}}, {@code …/thumbnail} and {@code …/meta} serve it back to whoever may see
 * it. {@link AttachmentStore} checks, records, keeps and finds them.
 */
public final class AttachmentResource {
    private final AttachmentStore photos;

    public AttachmentResource(AttachmentStore photos) {
        this.photos = photos;
    }

    /** One photo: 201 when stored, 200 for a retry of one already stored. */
    public void upload(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        if (ctx.fileUploads().size() != 1) {
            throw ApiError.badRequest("missing_file", "send exactly one photo in the 'file' field");
        }
        FileUpload upload = ctx.fileUploads().get(0);
        var form = FormFields.of(ctx);
        UUID id = form.get("id") == null || form.get("id").isBlank() ? UUID.randomUUID() : uuid(form.get("id"), "id");
        Double lon = coordinate(form.get("lon"), "lon", 73, 136);
        Double lat = coordinate(form.get("lat"), "lat", 3, 54);
        if ((lon == null) != (lat == null)) {
            throw ApiError.badRequest("invalid_location", "send both lon and lat, or neither");
        }
        photos.save(caller, id, Path.of(upload.uploadedFileName()), upload.fileName(), lon, lat)
                .onSuccess(saved -> ctx.response().setStatusCode(saved.created() ? 201 : 200)
                        .putHeader("Content-Type", "application/json").end(saved.attachment().encode()))
                .onFailure(ctx::fail);
    }

    /** GET /api/v1/attachments/:id — the photo itself. */
    public void get(RoutingContext ctx) {
        serve(ctx, false);
    }

    /** GET /api/v1/attachments/:id/thumbnail — a JPEG at most 320 px on its long side. */
    public void thumbnail(RoutingContext ctx) {
        serve(ctx, true);
    }

    /** GET /api/v1/attachments/:id/meta */
    public void meta(RoutingContext ctx) {
        UUID id = uuid(ctx.pathParam("id"), "attachment id");
        photos.meta(Caller.of(ctx), id).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    private void serve(RoutingContext ctx, boolean thumb) {
        UUID id = uuid(ctx.pathParam("id"), "attachment id");
        photos.file(Caller.of(ctx), id, thumb).onSuccess(served -> ctx.response()
                .putHeader("Content-Type", served.contentType())
                .putHeader("Cache-Control", "private, max-age=31536000, immutable")   // an id's bytes never change
                .putHeader("X-Content-Type-Options", "nosniff")
                .sendFile(served.file().toString())).onFailure(ctx::fail);
    }

    private static UUID uuid(String v, String what) {
        try {
            return UUID.fromString(v);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiError.badRequest("invalid_id", what + " must be a UUID");
        }
    }

    private static Double coordinate(String v, String name, double min, double max) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(v);
            if (d >= min && d <= max) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.badRequest("invalid_location", name + " must be a number between " + min + " and " + max);
    }
}
