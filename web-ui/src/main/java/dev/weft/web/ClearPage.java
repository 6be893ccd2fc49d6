package dev.weft.web;

import java.util.List;

/** What a clear would take, listed before it happens; confirming posts the same form again with confirmed=true. */
public final class ClearPage extends Page {
    public record Item(String taskId, String runId, StateStyle style) {
    }

    private final String dagId;
    private final String runId;
    private final String taskId;
    private final boolean downstream;
    private final boolean upstream;
    private final boolean onlyFailed;
    private final List<Item> items;
    private final String back;

    ClearPage(PageUser user, String dagId, String runId, String taskId, boolean downstream, boolean upstream,
              boolean onlyFailed, List<Item> items, String back) {
        super("clear.mustache", "Clear · " + dagId, user, "dags");
        this.dagId = dagId;
        this.runId = runId;
        this.taskId = taskId;
        this.downstream = downstream;
        this.upstream = upstream;
        this.onlyFailed = onlyFailed;
        this.items = items;
        this.back = back;
    }

    public String getDagId() {
        return dagId;
    }

    public String getDagIdUrl() {
        return Urls.encode(dagId);
    }

    public String getRunId() {
        return runId;
    }

    public String getTaskId() {
        return taskId;
    }

    public boolean isDownstream() {
        return downstream;
    }

    public boolean isUpstream() {
        return upstream;
    }

    public boolean isOnlyFailed() {
        return onlyFailed;
    }

    public List<Item> getItems() {
        return items;
    }

    public int getCount() {
        return items.size();
    }

    public boolean isAny() {
        return !items.isEmpty();
    }

    public String getBack() {
        return back;
    }
}
