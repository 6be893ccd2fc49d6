package dev.weft.server;

import dev.weft.engine.store.DagRecord;
import dev.weft.engine.store.DagStore;
import dev.weft.server.auth.Allowed;
import dev.weft.server.auth.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A minimal landing page listing the DAGs, until the web UI arrives. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class HomeResource {
    private final DagStore dags;

    public HomeResource(DagStore dags) {
        this.dags = dags;
    }

    @GET
    @Allowed(Role.VIEWER)
    public String home() {
        StringBuilder html = new StringBuilder("""
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Weft</title></head>
                <body><h1>Weft</h1><p>API: <a href="/api/v1/health">/api/v1/health</a></p>
                <table><thead><tr><th>DAG</th><th>Schedule</th><th>Paused</th><th>Next run</th></tr></thead><tbody>
                """);
        for (DagRecord dag : dags.listAll()) {
            if (!dag.active()) {
                continue;
            }
            html.append("<tr><td>").append(escape(dag.dagId())).append("</td><td>")
                    .append(escape(String.valueOf(dag.spec().schedule()))).append("</td><td>")
                    .append(dag.paused()).append("</td><td>")
                    .append(escape(String.valueOf(dag.nextDagrun()))).append("</td></tr>\n");
        }
        return html.append("</tbody></table></body></html>\n").toString();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
