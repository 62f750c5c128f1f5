package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.server.attachments.AttachmentStore;
import cn.haizhu.grid.server.cases.WorkOrders;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * What carrying work orders between levels needs of this node (docs/SYNC.md, "Work orders between
 * levels"): the door an origin's orders and steps go through here ({@link WorkOrders}, by way of the
 * inbox), and the store the photos of the handling's history are kept in. Each puller applies the work
 * orders of its batches with it ({@link #apply}) and hands on what its peer sent once the batch is
 * committed ({@link #handOn}).
 */
public final class OrderExchange {
    private final OrderInbox inbox;
    private final AttachmentStore photos;
    private final Path uploads;

    /**
     * @param uploads the folder a fetched photo is written to before it is checked and kept (on the
     *                store's file system, so that it moves into the store whole)
     */
    public OrderExchange(Database db, SyncPeers peers, WorkOrders workOrders, AttachmentStore photos, Path uploads) {
        this.inbox = new OrderInbox(db, workOrders, peers);
        this.photos = photos;
        this.uploads = uploads;
    }

    /** The apply of the work orders in a batch of {@code peer}, whose photos are fetched from {@code target}. */
    OrderApply apply(String node, String peer, PeerPuller.Target target, HttpClient http) {
        return new OrderApply(node, peer, new OrderPhotos(http, target, photos, uploads));
    }

    /** Hands what {@code peer} sent about its orders to WorkOrders. Blocking. */
    void handOn(String peer) throws SQLException {
        inbox.drain(peer);
    }
}
