package dev.weft.web;

import java.util.List;

/** Admin → Connections: the stored connections, without their passwords and extras. */
public final class ConnectionsPage extends Page {
    /** {@code testable}: the server can test this type (a Test button is offered). */
    public record Row(String connId, String connType, String host, Integer port, String schema, String login,
                      String description, boolean testable) {
        public String getConnIdUrl() {
            return Urls.encode(connId);
        }
    }

    private final String search;
    private final List<Row> rows;

    ConnectionsPage(PageUser user, String search, List<Row> rows) {
        super("connections.mustache", "Connections", user, "admin");
        this.search = search;
        this.rows = rows;
    }

    public boolean isConnectionsTab() {
        return true;
    }

    public String getSearch() {
        return search;
    }

    public List<Row> getRows() {
        return rows;
    }
}
