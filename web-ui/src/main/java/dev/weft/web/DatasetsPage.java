package dev.weft.web;

import java.util.List;

/** Every dataset: who updates it, which DAGs are scheduled on it (with their queued events), its latest event. */
public final class DatasetsPage extends Page {
    /** A task with the dataset as an outlet. */
    public record Producer(String dagId, String taskId) {
        public String getDagIdUrl() {
            return Urls.encode(dagId);
        }
    }

    /** A DAG scheduled on the dataset, with how many of the dataset's events wait in its queue. */
    public record Consumer(String dagId, long queued) {
        public String getDagIdUrl() {
            return Urls.encode(dagId);
        }
    }

    /** {@code lastEvent} is null for a dataset without events. */
    public record Row(String uri, List<Producer> producers, List<Consumer> consumers, String lastEvent, long events) {
        public String getHref() {
            return DatasetPage.href(uri);
        }
    }

    private final String uriFilter;
    private final int page;
    private final long total;
    private final boolean hasNext;
    private final List<Row> rows;

    DatasetsPage(PageUser user, String uriFilter, int page, long total, boolean hasNext, List<Row> rows) {
        super("datasets.mustache", "Datasets", user, "datasets");
        this.uriFilter = uriFilter;
        this.page = page;
        this.total = total;
        this.hasNext = hasNext;
        this.rows = rows;
    }

    public String getUriFilter() {
        return uriFilter;
    }

    public long getTotal() {
        return total;
    }

    public List<Row> getRows() {
        return rows;
    }

    public int getPage() {
        return page;
    }

    public String getPreviousLink() {
        return page > 1 ? link(page - 1) : null;
    }

    public String getNextLink() {
        return hasNext ? link(page + 1) : null;
    }

    /** Paging keeps the filter. */
    private String link(int to) {
        return "/datasets?page=" + to + (uriFilter == null ? "" : "&uri=" + Urls.encode(uriFilter));
    }
}
