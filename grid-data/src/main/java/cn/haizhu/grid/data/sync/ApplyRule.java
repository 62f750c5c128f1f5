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
 *       own after a conflict: {@link #reassertedVersion}), directly or in a later change the feed folded
 *       into it. Otherwise the owner's newer version
 *       would replace the request before it was sent, and the request would be lost without a
 *       conflict anywhere.</li>
 *   <li>At the owner, a change made elsewhere is an edit request: it applies when the owner's
 *       version is the one the change was made from (its base, version and origin), else it is a
 *       conflict, kept for the owner's officers. The owner's own changes coming back are older news.</li>
 *   <li>A scope exit drops the local copy; a tombstone of a record not held changes nothing.</li>
 *   <li>At the owner, an edit made elsewhere of a record the owner deleted is a conflict too (the
 *       delete was the newer version); a record the district moves into a street arrives there.</li>
 *   <li>A copy that deleted the record itself (a request, its tombstone not answered yet) keeps its
 *       delete as it keeps an edit: an owner's later version not made from the tombstone does not
 *       bring the record back there. Otherwise the record came back at the requester before the owner
 *       saw the request, an edit made there then folded the delete away in the feed, and the delete
 *       was lost without a conflict (ConvergenceIT found it).</li>
 * </ul>
 */
public final class ApplyRule {
    private ApplyRule() {
    }

    /** A record's version and the node that made it. */
    public record Version(long version, String origin) {
    }

    public enum Op { UPSERT, DELETE, LEFT_SCOPE }

    /**
     * A change as it arrives: what it does, the version it makes, the version it was made from (null:
     * an insert), the bases of the later changes of the same record that the feed folded into this
     * one (a batch carries one change per record, with the base of the first: the answer to a request
     * may be among the later ones), and whether the record entered the receiver's scope with it (a
     * move made above: a record arriving, not an edit of one held).
     */
    public record Change(Op op, Version made, Version base, java.util.List<Version> laterBases, boolean entered) {
        public Change {
            laterBases = laterBases == null ? java.util.List.of() : java.util.List.copyOf(laterBases);
        }

        public Change(Op op, Version made, Version base) {
            this(op, made, base, java.util.List.of(), false);
        }

        /** Whether this change, or one folded into it, was made from {@code v}. */
        boolean madeFrom(Version v) {
            return v.equals(base) || laterBases.contains(v);
        }
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
        return decide(node, owner, local, null, change);
    }

    /**
     * Whether the apply must look for a tombstone of this node's own before it decides ({@link
     * #decide(String, String, Version, Version, Change)}): an edit made elsewhere of a record this
     * node does not hold, which did not arrive with a move; at a copy only the owner's (the answer to
     * a delete requested here is the owner's). Rare: an insert has no base.
     */
    public static boolean asksForOwnTombstone(String node, String owner, Version local, Change change) {
        return local == null && change.op() == Op.UPSERT && !change.made().origin().equals(node)
                && (owner.equals(node) || change.made().origin().equals(owner))
                && change.base() != null && !change.entered();
    }

    /**
     * @param deletedHere when this node holds no such record: the tombstone it wrote itself when it
     *                    deleted it (its version and origin), else null. At the owner, an edit made
     *                    elsewhere of a record it deleted is a conflict: the delete was the owner's
     *                    newer version (taking the edit would bring the record back without a word).
     *                    At a copy the delete was a request: the owner's versions wait until one is
     *                    made from it (the owner kept its copy after a conflict), as for an edit
     */
    public static Verdict decide(String node, String owner, Version local, Version deletedHere, Change change) {
        if (change.op() == Op.LEFT_SCOPE) {
            return local == null ? Verdict.SKIP : Verdict.APPLY;
        }
        if (local == null) {
            if (change.op() == Op.DELETE) {
                return Verdict.SKIP;
            }
            if (deletedHere == null || !asksForOwnTombstone(node, owner, null, change)) {
                return Verdict.APPLY;
            }
            if (owner.equals(node)) {
                return Verdict.CONFLICT;
            }
            return change.madeFrom(deletedHere) ? Verdict.APPLY : Verdict.SKIP;   // this copy's delete, not answered yet
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
                && change.made().origin().equals(owner) && !change.madeFrom(local);
        if (myPendingRequest) {
            return Verdict.SKIP;
        }
        return change.made().version() > local.version() ? Verdict.APPLY : Verdict.SKIP;
    }

    /**
     * A change that cannot apply because of a reference, once everything else it came with has applied
     * (docs/SYNC.md, "Pull, apply, checkpoint"): a resident naming a house this node does not hold, a house
     * whose delete would leave residents here without it. At the owner, a change made elsewhere is an edit
     * request, and this one cannot be taken: it is a {@link Verdict#CONFLICT}, kept for the owner's
     * officers, and the owner's version (or, where it holds none, its delete) goes out again above it (a
     * resident cannot live in a house that no longer exists: the owner's delete of the house wins). Anywhere
     * else, {@link Verdict#SKIP}: the change waits for what it needs (a copy takes the owner's word, and the
     * owner's answer to whatever broke the reference is on its way); it never stops the link.
     *
     * @param local the record held here, or null
     */
    public static Verdict onReference(String node, String owner, Version local, Change change) {
        boolean request = owner.equals(node) && !change.made().origin().equals(node) && change.op() != Op.LEFT_SCOPE;
        return request && (change.op() == Op.UPSERT || local != null) ? Verdict.CONFLICT : Verdict.SKIP;
    }

    /**
     * The version the owner gives its own copy after a conflict: above both, so that its copy
     * replaces the request wherever the request went (a copy takes a higher version). The owner
     * writes it as made from the request (its base is the request), which is how the requester
     * knows its request was answered.
     */
    public static long reassertedVersion(Version local, Change change) {
        // local: the owner's copy, or the tombstone of the copy it deleted (the delete is then written again)
        return Math.max(local.version(), change.made().version()) + 1;
    }
}
