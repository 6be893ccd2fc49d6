package dev.weft.web;

import java.util.List;

/** What a clear would take, listed before it happens; confirming posts the same form again with confirmed=true. */
public final class ClearPage extends Page {
    /**
     * @param reachedBy for a recursive clear, how the task instance was reached: "selected", or the link's kind and
     *                  the task instance it started at
     */
    public record Item(String dagId, String taskId, String runId, StateStyle style, String reachedBy) {
    }

    private final String dagId;
    private final String runId;
    private final String taskId;
    private final boolean downstream;
    private final boolean upstream;
    private final boolean onlyFailed;
    private final List<Item> items;
    private final String back;
    private final boolean recursive;
    private final int depthLimit;
    private final List<String> notFollowed;

    ClearPage(PageUser user, String dagId, String runId, String taskId, boolean downstream, boolean upstream,
              boolean onlyFailed, List<Item> items, String back, boolean recursive, int depthLimit,
              List<String> notFollowed) {
        super("clear.mustache", "Clear · " + dagId, user, "dags");
        this.dagId = dagId;
        this.runId = runId;
        this.taskId = taskId;
        this.downstream = downstream;
        this.upstream = upstream;
        this.onlyFailed = onlyFailed;
        this.items = items;
        this.back = back;
        this.recursive = recursive;
        this.depthLimit = depthLimit;
        this.notFollowed = notFollowed;
    }

    public boolean isRecursive() {
        return recursive;
    }

    public int getDepthLimit() {
        return depthLimit;
    }

    /** The links the depth limit left out, one sentence each. */
    public List<String> getNotFollowed() {
        return notFollowed;
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
