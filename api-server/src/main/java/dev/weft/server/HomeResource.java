package dev.weft.server;

import dev.weft.engine.dag.DagRegistry;
import dev.weft.engine.scheduler.StuckTasks;
import dev.weft.engine.store.DagRecord;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.PoolStore;
import dev.weft.server.auth.Allowed;
import dev.weft.server.auth.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * A minimal landing page, until the web UI arrives: a banner with the import errors (DAG files and plugins that could
 * not be loaded; the other DAGs keep running), one with the tasks that can never start (short of pool slots), and
 * the DAGs.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class HomeResource {
    private final DagStore dags;
    private final DagRegistry registry;
    private final PoolStore pools;

    public HomeResource(DagStore dags, DagRegistry registry, PoolStore pools) {
        this.dags = dags;
        this.registry = registry;
        this.pools = pools;
    }

    @GET
    @Allowed(Role.VIEWER)
    public String home() {
        StringBuilder html = new StringBuilder("""
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Weft</title></head>
                <body><h1>Weft</h1><p>API: <a href="/api/v1/health">/api/v1/health</a></p>
                """);
        List<DagRegistry.ImportError> errors = registry.importErrors();
        if (!errors.isEmpty()) {
            html.append("<section class=\"import-errors\" role=\"alert\"><h2>Import errors (")
                    .append(errors.size()).append(")</h2><ul>\n");
            for (DagRegistry.ImportError e : errors) {
                html.append("<li><strong>").append(escape(e.source())).append("</strong><pre>")
                        .append(escape(e.message())).append("</pre></li>\n");
            }
            html.append("</ul></section>\n");
        }
        List<StuckTasks.Stuck> stuck = StuckTasks.explain(pools.tasksShortOfSlots());
        if (!stuck.isEmpty()) {
            html.append("<section class=\"stuck-tasks\" role=\"alert\"><h2>Tasks that can never start (")
                    .append(stuck.size()).append(")</h2><ul>\n");
            for (StuckTasks.Stuck s : stuck) {
                html.append("<li>").append(escape(s.message())).append("</li>\n");
            }
            html.append("</ul></section>\n");
        }
        html.append("<table><thead><tr><th>DAG</th><th>Schedule</th><th>Paused</th><th>Next run</th></tr></thead>"
                + "<tbody>\n");
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
