package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.server.attachments.AttachmentStore;
import cn.haizhu.grid.server.attachments.ImageCheck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The photos a work order's history cites, fetched from the peer that handled it ({@code GET
 * /api/v1/attachments/{id}} with this node's key: the peer serves a peer only the photos of the orders
 * both are party to) and kept in this node's store, checked as an upload is (docs/SYNC.md). The file is
 * written to the uploads folder first and moved into the store whole; a photo the peer does not serve
 * (404) or that is no photo is left out of the copy, and said in the log; any other failure fails the
 * batch, which is pulled again.
 */
final class OrderPhotos implements OrderApply.Photos {
    private static final Logger LOG = LoggerFactory.getLogger(OrderPhotos.class);

    private final HttpClient http;
    private final PeerPuller.Target peer;
    private final AttachmentStore store;
    private final Path uploads;

    OrderPhotos(HttpClient http, PeerPuller.Target peer, AttachmentStore store, Path uploads) {
        this.http = http;
        this.peer = peer;
        this.store = store;
        this.uploads = uploads;
    }

    @Override
    public Optional<AttachmentStore.Copy> fetch(UUID id) throws IOException, InterruptedException {
        Files.createDirectories(uploads);
        Path file = uploads.resolve("sync-" + id + "-" + UUID.randomUUID());
        HttpRequest request = HttpRequest.newBuilder(URI.create(peer.url() + "/api/v1/attachments/" + id))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + peer.key()).GET().build();
        try {
            HttpResponse<Path> response = http.send(request, HttpResponse.BodyHandlers.ofFile(file));
            if (response.statusCode() == 404) {
                LOG.warn("photo {} cited by a work order is not served by {}: left out", id, peer.url());
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new IOException("photo " + id + ": HTTP " + response.statusCode() + " from " + peer.url());
            }
            if (Files.size(file) > ImageCheck.MAX_BYTES) {
                LOG.warn("photo {} from {} is larger than a photo may be: left out", id, peer.url());
                return Optional.empty();
            }
            return Optional.of(store.keepCopy(id, file));
        } catch (ImageCheck.NotAPhoto e) {
            LOG.warn("photo {} from {} is no photo ({}): left out", id, peer.url(), e.getMessage());
            return Optional.empty();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
