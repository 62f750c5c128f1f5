package cn.haizhu.grid.data.sync;

/**
 * Which version wins when a change pulled from a peer meets the local record (docs/SYNC.md,
 * "Identity of a record and of a change"). Pure, so the rules are tested on their own; the apply
 * reads the local record, asks here, and writes.
 *
 * <ul>
 *   <li>A change already held (same version and origin) changes nothing: re-delivering a batch is
 *       harmless.</li>
 *   <li>At a copy (this node is not the owner) a higher version replaces it, with one exception: a
 *       copy that holds an edit made here, which the owner has not answered yet, keeps it against the
 *       owner's later versions until one of them is made from it (the owner applied it, or kept its
 *       own after a conflict: {@link #reassertedVersion}). Otherwise the owner's newer version
 *       would replace the request before it was sent, and the request would be lost without a
 *       conflict anywhere.</li>
 *   <li>At the owner, a change made elsewhere is an edit request: it applies when the owner's
 *       version is the one the change was made from (its base, version and origin), else it is a
 *       conflict, kept for the owner's officers. The owner's own changes coming back are older news.</li>
 *   <li>A scope exit drops the local copy; a tombstone of a record not held changes nothing.</li>
 * </ul>
 */
public final class ApplyRule {
    private ApplyRule() {
    }

    /** A record's version and the node that made it. */
    public record Version(long version, String origin) {
    }

    public enum Op { UPSERT, DELETE, LEFT_SCOPE }

    /** A change as it arrives: what it does, the version it makes, and the version it was made from (null: an insert). */
    public record Change(Op op, Version made, Version base) {
    }

    public enum Verdict {
        /** nothing to do: held already, or older than what is held */
        SKIP,
        /** write it (upsert with its version and origin, or delete) */
        APPLY,
        /** keep it as a conflict for the owner's officers; the owner's copy stays and goes out again */
        CONFLICT
    }

    /**
     * @param node  this node's code
     * @param owner the record's owner ({@link Ownership#owner})
     * @param local the record held here, or null
     */
    public static Verdict decide(String node, String owner, Version local, Change change) {
        if (change.op() == Op.LEFT_SCOPE) {
            return local == null ? Verdict.SKIP : Verdict.APPLY;
        }
        if (local == null) {
            return change.op() == Op.DELETE ? Verdict.SKIP : Verdict.APPLY;
        }
        if (local.equals(change.made())) {
            return Verdict.SKIP;
        }
        if (owner.equals(node)) {
            if (change.made().origin().equals(node)) {
                return Verdict.SKIP;
            }
            return local.equals(change.base()) ? Verdict.APPLY : Verdict.CONFLICT;
        }
        boolean myPendingRequest = local.origin().equals(node) && change.op() == Op.UPSERT
                && change.made().origin().equals(owner) && !local.equals(change.base());
        if (myPendingRequest) {
            return Verdict.SKIP;
        }
        return change.made().version() > local.version() ? Verdict.APPLY : Verdict.SKIP;
    }

    /**
     * The version the owner gives its own copy after a conflict: above both, so that its copy
     * replaces the request wherever the request went (a copy takes a higher version). The owner
     * writes it as made from the request (its base is the request), which is how the requester
     * knows its request was answered.
     */
    public static long reassertedVersion(Version local, Change change) {
        return Math.max(local.version(), change.made().version()) + 1;
    }
}
