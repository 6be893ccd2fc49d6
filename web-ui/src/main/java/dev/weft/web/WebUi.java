package dev.weft.web;

import dev.weft.engine.auth.Authenticator;
import dev.weft.engine.auth.Sessions;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.dag.DagRegistry;
import dev.weft.engine.datasets.Datasets;
import dev.weft.engine.plugin.PluginRegistry;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.LogStore;
import dev.weft.engine.store.PoolStore;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.RunStore;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.store.UserStore;
import dev.weft.engine.grid.GridService;
import dev.weft.engine.template.TemplateRenderer;
import dev.weft.engine.connections.ConnectionTester;
import dev.weft.engine.connections.Connections;
import dev.weft.engine.variables.Variables;
import dev.weft.engine.xcom.XComs;
import io.dropwizard.assets.AssetsBundle;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.SecurityContext;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import io.dropwizard.views.common.ViewBundle;

import java.time.Clock;

/**
 * The web UI, mounted by the server: Mustache pages on the engine's services (the same trigger, clear, mark and pause
 * the REST API calls) and the query store. Authentication and CSRF are the server's one filter's job; every page
 * method declares its least role like an API method.
 */
public final class WebUi {
    /** What the pages use; the server's composition root builds it. */
    public record Services(QueryStore queries, DagStore dags, RunStore runs, TaskInstanceStore taskInstances,
                           LogStore logs, PoolStore pools, UserStore users, RunService runService, DagCatalog catalog,
                           DagRegistry registry, PluginRegistry plugins, Authenticator authenticator,
                           Sessions sessions, GridService grids, TemplateRenderer templates, Variables variables,
                           XComs xcoms, Connections connections, Datasets datasets, Clock clock) {
    }

    private WebUi() {
    }

    /** Template rendering and the static files ({@code /static/…}); called from the application's initialize. */
    public static void bootstrap(Bootstrap<?> bootstrap) {
        bootstrap.addBundle(new ViewBundle<>());
        bootstrap.addBundle(new AssetsBundle("/dev/weft/web/static", "/static", null, "weft-static"));
    }

    public static void register(JerseyEnvironment jersey, Services s) {
        jersey.register(new LoginResource(s.authenticator(), s.sessions()));
        jersey.register(new DagsResource(s.queries(), s.dags(), s.catalog(), s.registry(), s.pools()));
        jersey.register(new DagGridResource(s.grids(), s.queries(), s.dags(), s.runs(), s.taskInstances(), s.logs(),
                s.plugins(), s.templates(), s.variables(), s.xcoms(), s.connections(), s.datasets()));
        jersey.register(new ActionsResource(s.runService()));
        jersey.register(new TriggerResource(s.dags(), s.runService()));
        jersey.register(new GraphResource(s.queries(), s.runs(), s.taskInstances(), s.catalog()));
        jersey.register(new DependenciesResource(s.dags(), s.queries()));
        jersey.register(new BrowseResource(s.queries(), s.clock()));
        jersey.register(new DatasetsResource(s.datasets()));
        jersey.register(new AdminResource(s.pools(), s.queries(), s.plugins(), s.registry(), s.users()));
        jersey.register(new VariablesResource(s.variables()));
        jersey.register(new ConnectionsResource(s.connections(), new ConnectionTester()));
    }

    /** Whether a request path (without the leading slash) is the UI's: everything but the API under {@code /api}. */
    public static boolean isUiPath(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        // /metrics is for Prometheus, which answers a 401 with credentials, not a browser to send to the login page.
        return !(p.equals("api") || p.startsWith("api/") || p.equals("metrics"));
    }

    /**
     * The page for an error on a UI path, from what the server's error mapping says (status, title, detail and the
     * error id it logged); the user, when known, keeps the navigation.
     */
    public static Page errorPage(int status, String title, String detail, String errorId, SecurityContext security,
                                 ContainerRequestContext request) {
        PageUser user = security != null && security.getUserPrincipal() instanceof dev.weft.engine.auth.Caller
                ? PageUser.of(security, request) : null;
        return new ErrorPage(user, status, title, detail, errorId);
    }
}
