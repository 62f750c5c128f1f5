package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.cases.CaseIntake.Reported;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Group commit for 受理. When intakes arrive faster than they are written, the ones that wait are
 * written together: one transaction, one multi-row insert and one history insert for the lot,
 * instead of a transaction each. Most of an intake's cost in PostgreSQL is per statement and per
 * transaction (parse and plan, executor start, statement triggers, commit), so a busy hotline
 * morning costs a fraction of the CPU per case. A lone intake is written at once, as before:
 * nothing waits for a batch to fill.
 *
 * <p>At most {@link #IN_FLIGHT} writes run at a time; whatever arrives meanwhile queues and forms
 * the next batch (up to {@link #MAX_BATCH} intakes of one caller, since a transaction runs in one
 * caller's scope and name). Every intake keeps its own answer: a batch that fails as a whole (a point
 * outside the caller's scope, any refusal) is written again one by one, so each request gets the
 * answer it would have got alone; and an id that was already there (a retry) is answered by the
 * single path, which tells a retry (200) from a reused id (409).
 */
final class IntakeQueue {
    /** Writes at a time: one executing while the other waits on round trips or its commit (1 to 6 tried with the bench/cases load). */
    static final int IN_FLIGHT = 2;
    static final int MAX_BATCH = 32;

    /** An intake accepted by the checks, waiting to be written. */
    record Pending(Caller caller, UUID id, IntakeRequest req, String hash) {
        /** Intakes may share a transaction when their callers set the same session values (ScopedPool). */
        boolean sameScope(Pending other) {
            return caller.scope().equals(other.caller.scope()) && Objects.equals(caller.workerId(), other.caller.workerId())
                    && caller.username().equals(other.caller.username());
        }
    }

    private record Waiting(Pending pending, Context context, Promise<Reported> promise) {
        void complete(AsyncResult<Reported> result) {
            if (context == null) {
                promise.handle(result);
            } else {
                context.runOnContext(v -> promise.handle(result));
            }
        }
    }

    private final Function<Pending, Future<Reported>> one;
    private final Function<List<Pending>, Future<Map<UUID, Reported>>> many;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int inFlight;
    private long batches;
    private long batched;
    private int largest;

    /**
     * @param one  writes one intake in its own transaction (the answer for a retried id included)
     * @param many writes several in one transaction, answering those it inserted; fails as a whole
     */
    IntakeQueue(Function<Pending, Future<Reported>> one, Function<List<Pending>, Future<Map<UUID, Reported>>> many) {
        this.one = one;
        this.many = many;
    }

    Future<Reported> submit(Pending pending) {
        Promise<Reported> promise = Promise.promise();
        synchronized (this) {
            waiting.add(new Waiting(pending, Vertx.currentContext(), promise));
        }
        pump();
        return promise.future();
    }

    /** How many intakes went through multi-row writes, and the largest batch: for tests and tuning. */
    synchronized Stats stats() {
        return new Stats(batches, batched, largest);
    }

    record Stats(long batches, long batchedIntakes, int largestBatch) {
    }

    private void pump() {
        while (true) {
            List<Waiting> batch;
            synchronized (this) {
                if (inFlight >= IN_FLIGHT || waiting.isEmpty()) {
                    return;
                }
                batch = take();
                inFlight++;
                if (batch.size() > 1) {
                    batches++;
                    batched += batch.size();
                    largest = Math.max(largest, batch.size());
                }
            }
            write(batch).onComplete(done -> {
                synchronized (this) {
                    inFlight--;
                }
                pump();
            });
        }
    }

    /** The oldest intake and those after it in the same scope, each id once. */
    private List<Waiting> take() {
        Waiting first = waiting.poll();
        List<Waiting> batch = new ArrayList<>();
        batch.add(first);
        Set<UUID> ids = new HashSet<>();
        ids.add(first.pending.id());
        for (Iterator<Waiting> it = waiting.iterator(); it.hasNext() && batch.size() < MAX_BATCH; ) {
            Waiting w = it.next();
            if (w.pending.sameScope(first.pending) && ids.add(w.pending.id())) {
                batch.add(w);
                it.remove();
            }
        }
        return batch;
    }

    private Future<Void> write(List<Waiting> batch) {
        if (batch.size() == 1) {
            Waiting w = batch.get(0);
            return one.apply(w.pending).andThen(w::complete).mapEmpty();
        }
        return many.apply(batch.stream().map(Waiting::pending).toList()).transform(written -> {
            List<Future<Reported>> alone = new ArrayList<>();
            for (Waiting w : batch) {
                Reported r = written.succeeded() ? written.result().get(w.pending.id()) : null;
                if (r != null) {
                    w.complete(Future.succeededFuture(r));
                } else {
                    alone.add(one.apply(w.pending).andThen(w::complete));
                }
            }
            return Future.join(alone).mapEmpty();
        });
    }
}
