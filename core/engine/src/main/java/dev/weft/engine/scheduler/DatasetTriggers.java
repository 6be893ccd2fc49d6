package dev.weft.engine.scheduler;

import dev.weft.engine.dag.CompiledDag;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.datasets.QueuePlan;
import dev.weft.engine.runs.RunFactory;
import dev.weft.engine.runs.RunIds;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.NewRun;
import dev.weft.engine.store.RunConflictException;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.Transactor;
import dev.weft.spi.DataInterval;
import dev.weft.spi.RunType;
import dev.weft.spi.dag.DagSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates dataset-triggered runs (Airflow's {@code dataset_triggered}): a DAG scheduled on datasets gets a run when
 * each of its datasets has an event in the DAG's queue, and the run consumes every queued event of those datasets.
 * Deciding, creating the run and taking its events out of the queue are one transaction with the DAG's queue locked,
 * so with several schedulers each event is consumed by exactly one run; while the DAG has {@code max_active_runs}
 * runs queued or running, events stay queued for the next run. Events from the producers of a run a recursive clear
 * left waiting go to that run instead, in the same transaction. What to do is the {@link QueuePlan}'s, which the
 * Datasets page shows too.
 */
final class DatasetTriggers {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetTriggers.class);

    private final DatasetStore datasets;
    private final DagStore dags;
    private final Transactor transactor;
    private final DagCatalog catalog;
    private final RunFactory runFactory;
    private final Clock clock;

    DatasetTriggers(DatasetStore datasets, DagStore dags, Transactor transactor, DagCatalog catalog,
                    RunFactory runFactory, Clock clock) {
        this.datasets = datasets;
        this.dags = dags;
        this.transactor = transactor;
        this.catalog = catalog;
        this.runFactory = runFactory;
        this.clock = clock;
    }

    /** Creates (or queues again) the runs the queues call for; whether any was. */
    boolean createRuns() {
        boolean created = false;
        for (String dagId : datasets.dagsWithQueuedEvents()) {
            Optional<DagStore.DagHeader> header = dags.header(dagId);
            Optional<CompiledDag> dag = catalog.get(dagId);
            // A paused DAG keeps its queue (Airflow): the run comes when it is unpaused.
            if (header.isEmpty() || header.get().paused() || !header.get().active() || dag.isEmpty()) {
                continue;
            }
            try {
                created |= transactor.inTransaction(tx -> createRun(tx, dag.get()));
            } catch (RunConflictException e) {
                // A run holds this logical date (the same instant): the events stay queued for the next pass.
                LOG.debug("Not creating a dataset-triggered run of {}: {}", dagId, e.getMessage());
            }
        }
        return created;
    }

    private boolean createRun(Transactor.Stores tx, CompiledDag dag) {
        DagSpec spec = dag.spec();
        QueuePlan plan = QueuePlan.of(spec.datasets(), tx.datasets().lockQueue(spec.dagId()),
                tx.datasets().consumedByAwaitingRuns(spec.dagId()));
        // The DAG is no longer scheduled on these datasets (a new version): their events would never be consumed.
        plan.stale().stream().map(DatasetStore.QueuedEvent::datasetUri).distinct()
                .forEach(uri -> tx.datasets().deleteQueued(spec.dagId(), uri, null));
        // Before the releases below, which the count would include: the plan counts them itself.
        boolean newRun = plan.startsNewRun(spec.maxActiveRuns(), () -> tx.runs().countActive(spec.dagId()));
        // The store keeps microseconds: the run id and the logical date must name the same instant.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        // Runs a recursive clear left waiting for new events of their producers come first: the events they wait for
        // re-run them instead of creating a run that would do their work a second time.
        boolean released = false;
        for (QueuePlan.WaitingRun waiting : plan.waitingRuns()) {
            if (waiting.released()) {
                tx.datasets().reconsume(waiting.runPk(), spec.dagId(), waiting.replaced(), waiting.heldIds());
                tx.runs().requeue(waiting.runPk(), now);
                LOG.info("Queued run #{} of {} again for {} new dataset event(s) of its producers", waiting.runPk(),
                        spec.dagId(), waiting.held().size());
                released = true;
            }
        }
        if (!newRun) {
            return released;
        }
        List<DatasetStore.QueuedEvent> events = plan.newRunEvents();
        List<Long> ids = events.stream().map(DatasetStore.QueuedEvent::eventId).toList();
        // Airflow's data interval of a dataset-triggered run: from the first to the last of its events.
        Instant first = events.stream().map(DatasetStore.QueuedEvent::createdAt).min(Instant::compareTo).orElseThrow();
        Instant last = events.stream().map(DatasetStore.QueuedEvent::createdAt).max(Instant::compareTo).orElseThrow();
        RunRecord run = runFactory.create(tx.runs(), dag, new NewRun(spec.dagId(),
                RunIds.generate(RunType.DATASET_TRIGGERED, now), RunType.DATASET_TRIGGERED, now,
                new DataInterval(first, last), false, Map.of(), null, null));
        tx.datasets().consume(run.id(), spec.dagId(), ids);
        LOG.info("Created run {} of {} for {} dataset event(s)", run.runId(), spec.dagId(), ids.size());
        return true;
    }
}
