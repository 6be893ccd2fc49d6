package dev.weft.web;

import dev.weft.engine.datasets.Datasets;
import dev.weft.engine.datasets.QueuePlan;
import dev.weft.engine.store.DatasetStore;
import dev.weft.engine.store.RunRecord;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One dataset: its producers, each consumer DAG's queue (what the scheduler's next pass does with it: the waiting runs
 * it releases or holds events for, what a new run consumes, and what holds that run back), its events newest first
 * with the runs they started, and for Op the forms to post an event and clear a queue.
 */
public final class DatasetPage extends Page {
    private static final Map<String, String> NOTICES = Map.of(
            "posted", "Event posted: the DAGs scheduled on this dataset have it in their queues.",
            "duplicate", "An event with this dedup_key exists already: nothing was recorded and no run starts.",
            "cleared", "Queued events cleared: the consumer's next run will not consume them.",
            "nothing-cleared", "Nothing to clear: the queue had no event of this dataset.");

    /** A link to a run's grid, with the run's state. */
    public record RunLink(String dagId, String runId, String href, StateStyle style) {
    }

    /**
     * An event: {@code sourceDagId} and the rest of its source are null for an event posted from outside;
     * {@code extra} is its JSON text (null when empty).
     */
    public record EventRow(String timestamp, String sourceDagId, String sourceTaskId, String sourceRunId,
                           Integer sourceTry, String sourceHref, String extra, String dedupKey, List<RunLink> runs) {
        static EventRow of(Datasets.Event event) {
            DatasetStore.EventRecord e = event.record();
            String href = e.sourceDagId() == null ? null : DagGridResource.gridHref(e.sourceDagId(), e.sourceRunId(),
                    e.sourceTaskId());
            Object key = e.extra() == null ? null : e.extra().get(Datasets.DEDUP_KEY);
            return new EventRow(Dates.format(e.timestamp()), e.sourceDagId(), e.sourceTaskId(), e.sourceRunId(),
                    e.sourceTry(), href, e.extra() == null || e.extra().isEmpty() ? null : TriggerForm.json(e.extra()),
                    key == null ? null : String.valueOf(key), event.createdRuns().stream()
                    .map(r -> new RunLink(r.dagId(), r.runId(), DagGridResource.gridHref(r.dagId(), r.runId(), null),
                            StateStyle.of(r.state().wireName()))).toList());
        }

        public boolean isPosted() {
            return sourceDagId == null;
        }
    }

    /** A link to a dataset's page (here a consumer's other datasets; the grid of a DAG scheduled on datasets). */
    public record DatasetLink(String uri) {
        public String getHref() {
            return href(uri);
        }
    }

    /** Events of another dataset queued for the same consumer. */
    public record OtherQueued(String uri, long events) {
        public String getHref() {
            return href(uri);
        }
    }

    /** A run a recursive clear left waiting that queued events are held for, and what the next pass does with it. */
    public record WaitingRun(RunLink run, String status) {
        static WaitingRun of(QueuePlan.WaitingRun waiting, RunRecord run, boolean paused) {
            String status;
            if (!waiting.released()) {
                status = "waits for its producers to succeed again (" + waiting.waitsFor().stream()
                        .map(s -> s.dagId() + " / " + s.runId() + " / " + s.taskId()).distinct()
                        .collect(Collectors.joining(", ")) + "): " + waiting.held().size()
                        + " queued event(s) of theirs are held for it.";
            } else {
                status = (paused ? "is queued again once the DAG is unpaused" : "is queued again at the scheduler's"
                        + " next pass") + ", with the " + waiting.held().size() + " new event(s) of its producers.";
            }
            return new WaitingRun(new RunLink(run.dagId(), run.runId(), DagGridResource.gridHref(run.dagId(),
                    run.runId(), null), StateStyle.of(run.state().wireName())), status);
        }
    }

    /**
     * A consumer DAG's queue: how many of this dataset's events wait (and since when) and how many of them are held
     * for runs a recursive clear left waiting, its other datasets' queued events, those waiting runs, the datasets a
     * new run still needs an event of, and in words whether a new run can start ({@code heldBack} when it cannot): all
     * as the scheduler's next pass decides it ({@link Datasets.Consumer#plan()}).
     */
    public record ConsumerQueue(String dagId, long queuedHere, long heldHere, String since,
                                List<OtherQueued> otherQueued, List<WaitingRun> waitingRuns,
                                List<DatasetLink> waitingFor, String status, boolean heldBack) {
        static ConsumerQueue of(Datasets.Consumer c, String uri) {
            DatasetStore.QueueSummary here = c.queued().stream().filter(q -> q.datasetUri().equals(uri)).findFirst()
                    .orElse(null);
            List<OtherQueued> others = c.queued().stream().filter(q -> !q.datasetUri().equals(uri))
                    .map(q -> new OtherQueued(q.datasetUri(), q.events())).toList();
            List<WaitingRun> waitingRuns = c.plan().waitingRuns().stream()
                    .filter(w -> c.waitingRuns().containsKey(w.runPk()))
                    .map(w -> WaitingRun.of(w, c.waitingRuns().get(w.runPk()), c.paused())).toList();
            List<DatasetLink> waiting = c.waitingFor().stream().map(DatasetLink::new).toList();
            String status;
            boolean heldBack = true;
            if (!waiting.isEmpty()) {
                status = waitingRuns.isEmpty() ? "The next run starts when each dataset below has an event."
                        : "A new run starts when each dataset below has an event that no waiting run holds.";
            } else if (c.paused()) {
                status = "Paused: the next run starts when the DAG is unpaused.";
            } else if (c.atMaxActiveRuns()) {
                status = "Waits: max_active_runs (" + c.maxActiveRuns() + ") reached, " + c.activeRunsAfterPass()
                        + " run(s) queued or running; the next run consumes these events when one ends.";
            } else {
                status = "Every dataset has an event: the scheduler starts the next run at its next pass.";
                heldBack = false;
            }
            return new ConsumerQueue(c.dagId(), here == null ? 0 : here.events(), c.plan().heldEvents(uri),
                    here == null ? null : Dates.format(here.since()), others, waitingRuns, waiting, status, heldBack);
        }

        public String getDagIdUrl() {
            return Urls.encode(dagId);
        }

        public boolean isClearable() {
            return queuedHere > 0;
        }

        /** This dataset's queued events in words: how many, since when, and which run consumes them. */
        public String getQueuedNote() {
            if (queuedHere == 0) {
                return "No event of this dataset is queued.";
            }
            String queued = queuedHere + " event(s) of this dataset queued since " + since;
            if (heldHere == 0) {
                return queued + ": its next run consumes all of them.";
            }
            return heldHere == queuedHere ? queued + ", held for a waiting run (below)."
                    : queued + ", " + heldHere + " of them held for a waiting run (below): a new run consumes the"
                    + " others.";
        }
    }

    private final String uri;
    private final List<DatasetsPage.Producer> producers;
    private final List<ConsumerQueue> consumers;
    private final List<EventRow> events;
    private final long totalEvents;
    private final int page;
    private final boolean hasNext;
    private final String notice;
    private final String extra;
    private final String error;

    DatasetPage(PageUser user, String uri, List<DatasetsPage.Producer> producers, List<ConsumerQueue> consumers,
                List<EventRow> events, long totalEvents, int page, boolean hasNext, String notice, String extra,
                String error) {
        super("dataset.mustache", uri + " · dataset", user, "datasets");
        this.uri = uri;
        this.producers = producers;
        this.consumers = consumers;
        this.events = events;
        this.totalEvents = totalEvents;
        this.page = page;
        this.hasNext = hasNext;
        this.notice = notice;
        this.extra = extra;
        this.error = error;
    }

    /** The page of a dataset: its URI goes in the query, where slashes and colons are plain text. */
    static String href(String uri) {
        return "/datasets/detail?uri=" + Urls.encode(uri);
    }

    public String getUri() {
        return uri;
    }

    public String getUriUrl() {
        return Urls.encode(uri);
    }

    public List<DatasetsPage.Producer> getProducers() {
        return producers;
    }

    public List<ConsumerQueue> getConsumers() {
        return consumers;
    }

    public List<EventRow> getEvents() {
        return events;
    }

    public long getTotalEvents() {
        return totalEvents;
    }

    public int getPage() {
        return page;
    }

    public String getPreviousLink() {
        return page > 1 ? href(uri) + "&page=" + (page - 1) : null;
    }

    public String getNextLink() {
        return hasNext ? href(uri) + "&page=" + (page + 1) : null;
    }

    /** One of the fixed notices after a post (never text from the request). */
    public String getNotice() {
        return notice == null ? null : NOTICES.get(notice);
    }

    public String getExtra() {
        return extra;
    }

    public String getError() {
        return error;
    }

    public String getExtraExample() {
        return DatasetsResource.EXTRA_EXAMPLE;
    }
}
