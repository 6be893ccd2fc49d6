package dev.weft.web;

import java.util.List;

/** Admin → Variables: the filtered list (sensitive values as {@code ***}), the import form and its outcome. */
public final class VariablesPage extends Page {
    /** {@code value} is what may be shown: {@code ***} for a sensitive key. */
    public record Row(String key, String value, String description, boolean sensitive) {
        public String getKeyUrl() {
            return Urls.encode(key);
        }
    }

    private final String search;
    private final List<Row> rows;
    private final int matching;
    private String notice;
    private String importError;
    private String importJson = "";
    private String onExisting = "overwrite";

    VariablesPage(PageUser user, String search, List<Row> rows, int matching) {
        super("variables.mustache", "Variables", user, "admin");
        this.search = search;
        this.rows = rows;
        this.matching = matching;
    }

    VariablesPage imported(String message) {
        this.notice = message;
        return this;
    }

    /** The import was refused: the page keeps what was pasted and the choice made. */
    VariablesPage importFailed(String json, String choice, String error) {
        this.importError = error;
        this.importJson = json == null ? "" : json;
        this.onExisting = choice == null ? "overwrite" : choice;
        return this;
    }

    public boolean isVariablesTab() {
        return true;
    }

    public String getSearch() {
        return search;
    }

    public List<Row> getRows() {
        return rows;
    }

    public int getMatching() {
        return matching;
    }

    public boolean isTruncated() {
        return matching > rows.size();
    }

    public String getNotice() {
        return notice;
    }

    public String getImportError() {
        return importError;
    }

    public String getImportJson() {
        return importJson;
    }

    public boolean isSkipExisting() {
        return "skip".equals(onExisting);
    }

    public boolean isFailOnExisting() {
        return "fail".equals(onExisting);
    }
}
