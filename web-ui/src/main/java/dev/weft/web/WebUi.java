package dev.weft.web;

import dev.weft.engine.auth.Authenticator;
import dev.weft.engine.auth.Sessions;
import dev.weft.engine.dag.DagCatalog;
import dev.weft.engine.dag.DagRegistry;
import dev.weft.engine.plugin.PluginRegistry;
import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.DagStore;
import dev.weft.engine.store.LogStore;
import dev.weft.engine.store.PoolStore;
import dev.weft.engine.store.QueryStore;
import dev.weft.engine.store.RunStore;
import dev.weft.engine.store.TaskInstanceStore;
import dev.weft.engine.store.UserStore;
import io.dropwizard.assets.AssetsBundle;
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
                           Sessions sessions, Clock clock) {
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
        jersey.register(new DagsResource(s.queries(), s.dags(), s.catalog(), s.registry()));
        jersey.register(new GraphResource(s.queries(), s.runs(), s.taskInstances(), s.catalog()));
        jersey.register(new DependenciesResource(s.dags(), s.queries()));
        jersey.register(new BrowseResource(s.queries(), s.clock()));
        jersey.register(new AdminResource(s.pools(), s.queries(), s.plugins(), s.registry(), s.users()));
    }
}
