package dev.weft.engine.executor;

import dev.weft.engine.store.FinishFollowUp;
import dev.weft.engine.store.LogStore;
import dev.weft.engine.store.StoreFailures;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.store.TryOutcome;
import dev.weft.spi.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes a worker's finished outcomes back, with the follow-up (the mini scheduler) in the same transaction, then
 * queues into the slots they freed. One outcome the store refuses for good cannot hold back the others, nor leave its
 * try running.
 */
final class OutcomeWriter {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeWriter.class);

    private final TaskInstanceStore taskInstances;
    private final LogStore logs;
    private final FinishFollowUp followUp;
    private final Clock clock;
    private final String workerId;

    OutcomeWriter(TaskInstanceStore taskInstances, LogStore logs, FinishFollowUp followUp, Clock clock,
                  String workerId) {
        this.taskInstances = taskInstances;
        this.logs = logs;
        this.followUp = followUp;
        this.clock = clock;
        this.workerId = workerId;
    }

    /**
     * Writes outcomes in one transaction; when the store refuses that for a reason that will not pass, writes them
     * one by one, and an outcome refused on its own is written as failed, the database's error in its try's log.
     * {@code written} is told of each outcome once it is written; a failure that may pass throws, and the caller
     * writes the rest later.
     */
    FinishFollowUp.Result write(List<TryOutcome> done, Consumer<TryOutcome> written) {
        return queueAfter(writeBack(done, written));
    }

    /**
     * Queues after a write-back committed, in a transaction of its own: the write-back's commit then waits for no
     * other queueing, nor holds up any. When the store fails here, the outcomes stay written and the schedulers are
     * woken to queue instead (their pass queues too).
     */
    private FinishFollowUp.Result queueAfter(FinishFollowUp.Result result) {
        if (followUp.parallelism() <= 0) {
            return result;
        }
        try {
            return result.withQueued(taskInstances.queue(followUp.parallelism(), clock.instant()));
        } catch (RuntimeException e) {
            LOG.warn("Worker {}: could not queue after its write-back ({}); the schedulers queue instead", workerId,
                    StoreFailures.message(e));
            return result.withSchedulersNeeded();
        }
    }

    private FinishFollowUp.Result writeBack(List<TryOutcome> done, Consumer<TryOutcome> written) {
        try {
            FinishFollowUp.Result result = taskInstances.finish(done, followUp, clock.instant());
            done.forEach(written);
            return result;
        } catch (RuntimeException e) {
            if (StoreFailures.isTransient(e)) {
                throw e;
            }
            LOG.warn("Worker {}: the store refused a write-back of {} outcome(s); writing them one by one", workerId,
                    done.size(), e);
        }
        List<FinishFollowUp.Written> writtenOnes = new ArrayList<>();
        List<FinishFollowUp.EndedRun> ended = new ArrayList<>();
        int queued = 0;
        boolean marked = false;
        for (TryOutcome o : done) {
            FinishFollowUp.Result one;
            try {
                one = taskInstances.finish(List.of(o), followUp, clock.instant());
            } catch (RuntimeException e) {
                if (StoreFailures.isTransient(e)) {
                    throw e;
                }
                one = refused(o, e);
            }
            written.accept(o);
            writtenOnes.addAll(one.written());
            queued += one.queued();
            marked |= one.marked();
            ended.addAll(one.ended());
        }
        return new FinishFollowUp.Result(writtenOnes, 0, queued, marked, ended);
    }

    /**
     * Writes an outcome the store refused as failed, with the database's error in the try's log. If even that is
     * refused, this throws: the outcome stays with the worker, whose heartbeats stop once its write-backs have failed
     * for long, so that the scheduler takes the try over.
     */
    private FinishFollowUp.Result refused(TryOutcome o, RuntimeException e) {
        String error = StoreFailures.message(e);
        LOG.error("Worker {}: the store refused the outcome {} of try {} of task instance {}: {}; failing the try",
                workerId, o.state().wireName(), o.tryNumber(), o.id(), error);
        Instant now = clock.instant();
        logs.append(List.of(new LogStore.Line(o.id(), o.tryNumber(), now, "ERROR The database refused this try's"
                + " outcome (" + o.state().wireName() + "): " + error + "; the try is failed instead")));
        return taskInstances.finish(List.of(new TryOutcome(o.id(), o.runPk(), o.tryNumber(), TaskState.FAILED,
                o.startDate(), o.endDate(), null, null, o.firstPokeAt(), o.pokeCount(), null, o.plugin(),
                o.pluginVersion())), followUp, now);
    }
}
