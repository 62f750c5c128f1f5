package cn.haizhu.grid.server.attachments;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Photos without HTTP: an upload checked ({@link ImageCheck}) off the event loop, recorded, then moved
 * into the store; and a stored photo found for whoever may see it (row-level security, V23: its sender
 * until it is cited, then the readers of its cases; any other id is the same 404 as an unknown one).
 * Sending the same id again with the same bytes is a retry; with other bytes it is a conflict, and
 * nothing stored changes.
 *
 * <p>The files follow the row: the checked photo and its thumbnail wait in the uploads folder under
 * names of this request and move into the store only once the row is committed, so a refused or
 * failed upload never touches a stored photo, and a retry after a crash between commit and move puts
 * the files in place.
 */
public final class AttachmentStore {
    private static final String INSERT = SqlFile.load(AttachmentStore.class, "add_attachment");
    private static final String GET = SqlFile.load(AttachmentStore.class, "attachment");

    /** A photo as the API shows it, and whether this request stored it (false: a retry found it). */
    record Saved(JsonObject attachment, boolean created) {
    }

    /** The file to send for a photo or its thumbnail, and its type. */
    record Served(Path file, String contentType) {
    }

    private final Vertx vertx;
    private final ScopedPool pool;
    private final Path store;

    public AttachmentStore(Vertx vertx, ScopedPool pool, Path store) {
        this.vertx = vertx;
        this.pool = pool;
        this.store = store;
    }

    /**
     * Keeps the photo the request uploaded to {@code sent} under {@code id}: 415 when it is no photo,
     * 409 when the id is taken by other bytes.
     */
    Future<Saved> save(Caller caller, UUID id, Path sent, String fileName, Double lon, Double lat) {
        return vertx.executeBlocking(() -> Checked.of(sent), false)
                .recover(err -> Future.failedFuture(err instanceof ImageCheck.NotAPhoto bad
                        ? new ApiError(415, "not_a_photo", bad.getMessage(), new JsonObject().put("zh", bad.zh())) : err))
                .compose(checked -> record(caller, id, checked, fileName, lon, lat)
                        .compose(stored -> vertx.executeBlocking(() -> keep(id, checked, stored), false))
                        .onFailure(err -> checked.discard()))
                .map(stored -> new Saved(json(stored.row), stored.created));
    }

    /**
     * The row, new or as it was: the same id with the same bytes is a retry; other bytes, or a photo
     * the caller may not see, a conflict.
     */
    private Future<Stored> record(Caller caller, UUID id, Checked checked, String fileName, Double lon, Double lat) {
        return pool.withScope(caller, conn -> conn.preparedQuery(INSERT).execute(Tuple.from(new Object[] {id,
                        checked.image.contentType(), (int) checked.bytes, checked.sha256, checked.image.width(),
                        checked.image.height(), fileName, lon, lat, caller.username()}))
                .compose(inserted -> conn.preparedQuery(GET).execute(Tuple.of(id)).map(rows -> {
                    Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
                    if (row == null || !row.getString("sha256").equals(checked.sha256)) {
                        throw new ApiError(409, "id_in_use", "attachment id " + id + " is taken: send this photo under a new id", null);
                    }
                    return new Stored(row, inserted.rowCount() == 1);
                })));
    }

    /**
     * After the commit: a new photo's files move into the store; a retry's stay as stored, unless the
     * first try ended between its commit and its move.
     */
    private Stored keep(UUID id, Checked checked, Stored stored) throws IOException {
        if (stored.created || !Files.exists(photoPath(id, checked.image.extension()))) {
            place(id, checked);
        } else {
            checked.discard();
        }
        return stored;
    }

    /** Moves a checked photo's files into the store under {@code id}: the thumbnail first (a photo file on disk always has its thumbnail beside it). */
    private void place(UUID id, Checked checked) throws IOException {
        Path photo = photoPath(id, checked.image.extension());
        Files.createDirectories(photo.getParent());
        Files.move(checked.thumbnail, thumbPath(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.move(checked.file, photo, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A photo kept from a peer platform: what the check found, for the row its keeper writes. */
    public record Copy(String contentType, long bytes, String sha256, int width, int height) {
    }

    /**
     * Keeps a photo a peer platform served (the exchange fetches the photos a work order's history cites,
     * docs/SYNC.md): {@code received}, a file of this node's uploads folder, is checked as an upload is, and
     * it and its thumbnail move into the store under {@code id}. Blocking. The row is the exchange's to
     * write, in the transaction of the history row that cites the photo; a file whose row rolled back is
     * replaced when the batch is applied again.
     *
     * @throws ImageCheck.NotAPhoto when the peer served no photo (the file is gone then)
     */
    public Copy keepCopy(UUID id, Path received) throws IOException, ImageCheck.NotAPhoto {
        Checked checked = Checked.of(received);
        try {
            place(id, checked);
        } catch (IOException | RuntimeException e) {
            checked.discard();
            throw e;
        }
        return new Copy(checked.image.contentType(), checked.bytes, checked.sha256, checked.image.width(), checked.image.height());
    }

    /** The photo as the API shows it, or a 404. */
    Future<JsonObject> meta(Caller caller, UUID id) {
        return find(caller, id).map(AttachmentStore::json);
    }

    /** The photo's file (or its thumbnail, a JPEG at most 320 px on its long side), or a 404. */
    Future<Served> file(Caller caller, UUID id, boolean thumb) {
        return find(caller, id).map(row -> {
            String ext = row.getString("content_type").equals("image/png") ? "png" : "jpg";
            return thumb ? new Served(thumbPath(id), "image/jpeg") : new Served(photoPath(id, ext), row.getString("content_type"));
        });
    }

    /** The row as the caller may see it: one they may not see is not found, like one that does not exist. */
    private Future<Row> find(Caller caller, UUID id) {
        return pool.withScope(caller, conn -> conn.preparedQuery(GET).execute(Tuple.of(id)).map(rows -> {
            if (!rows.iterator().hasNext()) {
                throw ApiError.notFound("attachment " + id);
            }
            return rows.iterator().next();
        }));
    }

    /**
     * An upload that is a photo: the file as sent and its thumbnail, both under names of this request
     * in the uploads folder (the sent file is renamed first, so the request's end, which deletes what
     * it uploaded, leaves it to us), until they are moved into the store or discarded.
     */
    private record Checked(ImageCheck.Photo image, Path file, Path thumbnail, long bytes, String sha256) {
        static Checked of(Path sent) throws IOException, ImageCheck.NotAPhoto {
            Path file = sent.resolveSibling(sent.getFileName() + ".photo");
            Path thumbnail = sent.resolveSibling(sent.getFileName() + ".thumb");
            Files.move(sent, file, StandardCopyOption.ATOMIC_MOVE);
            try {
                ImageCheck.Photo photo = ImageCheck.inspect(file);
                Files.write(thumbnail, photo.thumbnail());
                return new Checked(photo, file, thumbnail, Files.size(file), AttachmentStore.sha256(file));
            } catch (IOException | ImageCheck.NotAPhoto | RuntimeException e) {
                deleteQuietly(thumbnail);
                deleteQuietly(file);
                throw e;
            }
        }

        void discard() {
            deleteQuietly(thumbnail);
            deleteQuietly(file);
        }
    }

    private record Stored(Row row, boolean created) {
    }

    private Path photoPath(UUID id, String ext) {
        return store.resolve(id.toString().substring(0, 2)).resolve(id + "." + ext);
    }

    private Path thumbPath(UUID id) {
        return store.resolve(id.toString().substring(0, 2)).resolve(id + ".thumb.jpg");
    }

    static JsonObject json(Row r) {
        String id = r.getUUID("id").toString();
        JsonObject j = new JsonObject().put("id", id).put("contentType", r.getString("content_type"))
                .put("bytes", r.getInteger("bytes")).put("width", r.getInteger("width")).put("height", r.getInteger("height"))
                .put("fileName", r.getString("file_name")).put("uploadedBy", r.getString("uploaded_by"))
                .put("uploadedAt", r.getOffsetDateTime("uploaded_at").toString())
                .put("url", "/api/v1/attachments/" + id).put("thumbnailUrl", "/api/v1/attachments/" + id + "/thumbnail");
        if (r.getDouble("lon") != null) {
            j.put("location", new JsonObject().put("lon", r.getDouble("lon")).put("lat", r.getDouble("lat")));
        }
        return j;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // gone already, or the folder is unwritable; nothing else can be done here
        }
    }
}
