package dev.weft.web;

import java.util.List;

/** The DAG dependencies page. */
public final class DependenciesPage extends Page {
    /** A DAG with its latest run's state; {@code missing} when a task names a DAG that is not registered. */
    public record DagItem(String dagId, StateStyle style, boolean missing, String detail, String href, String hover) {
    }

    /** A link between two DAGs: {@code kind} is {@code triggers} or {@code waits-for}; {@code tasks} behind it. */
    public record EdgeItem(String from, String to, String kind, String verb, String tasks) {
        public boolean isTriggers() {
            return "triggers".equals(kind);
        }
    }

    /** A task whose other DAG is a template, known only when it runs. */
    public record Templated(String dagId, String taskId, String kind, String verb, String template) {
    }

    private final GraphDrawing drawing;
    private final List<EdgeItem> edges;
    private final List<Templated> templated;
    private final List<DagItem> unchained;
    private final int dagCount;

    DependenciesPage(PageUser user, GraphDrawing drawing, List<EdgeItem> edges, List<Templated> templated,
                     List<DagItem> unchained, int dagCount) {
        super("dependencies.mustache", "DAG dependencies", user, "dependencies");
        this.drawing = drawing;
        this.edges = edges;
        this.templated = templated;
        this.unchained = unchained;
        this.dagCount = dagCount;
    }

    public GraphDrawing getDrawing() {
        return drawing;
    }

    public List<EdgeItem> getEdges() {
        return edges;
    }

    public List<Templated> getTemplated() {
        return templated;
    }

    public List<DagItem> getUnchained() {
        return unchained;
    }

    public int getDagCount() {
        return dagCount;
    }
}
