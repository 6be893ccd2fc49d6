package dev.weft.server.api;

import dev.weft.api.model.ImportError;
import dev.weft.api.model.ImportErrorCollection;
import dev.weft.api.model.Plugin;
import dev.weft.api.model.PluginCollection;
import dev.weft.api.model.VersionInfo;
import dev.weft.engine.dag.DagRegistry;
import dev.weft.engine.plugin.PluginRegistry;
import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/** Version, plugins, import errors and Weft's own OpenAPI document. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class MonitoringResource {
    private static final Map<String, Comparator<ImportError>> IMPORT_ERROR_ORDER = Map.of(
            "import_error_id", Comparator.comparingLong(ImportError::importErrorId),
            "timestamp", Comparator.comparing(ImportError::timestamp),
            "filename", Comparator.comparing(ImportError::filename));

    private final PluginRegistry plugins;
    private final DagRegistry registry;
    private final Clock clock;
    private final String version;
    // The registry keeps no time for an import error: the first time the API saw it stands in.
    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

    public MonitoringResource(PluginRegistry plugins, DagRegistry registry, Clock clock) {
        this.plugins = plugins;
        this.registry = registry;
        this.clock = clock;
        this.version = readVersion();
    }

    /** The version of this Weft build. */
    public static String readVersion() {
        try (InputStream in = MonitoringResource.class.getResourceAsStream("/weft-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Path("version")
    @Allowed(Role.VIEWER)
    public VersionInfo version() {
        return new VersionInfo(version, null);
    }

    @GET
    @Path("plugins")
    @Allowed(Role.VIEWER)
    public PluginCollection plugins(@QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        List<Plugin> all = new ArrayList<>();
        for (var p : plugins.plugins()) {
            all.add(plugin(p.name(), p.source()));
        }
        for (var f : plugins.failures()) {
            all.add(plugin(f.plugin(), f.source() + " (failed to load: " + f.reason() + ")"));
        }
        return new PluginCollection(all.stream().skip(Params.offset(offset)).limit(Params.limit(limit)).toList(),
                all.size());
    }

    private static Plugin plugin(String name, String source) {
        return new Plugin(name, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), source, List.of(), List.of(), List.of());
    }

    @GET
    @Path("importErrors")
    @Allowed(Role.VIEWER)
    public ImportErrorCollection importErrors(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                              @QueryParam("order_by") String orderBy) {
        var paging = Params.paging(Params.limit(limit), Params.offset(offset), orderBy, IMPORT_ERROR_ORDER.keySet(),
                "import_error_id");
        List<ImportError> all = new ArrayList<>();
        long id = 1;
        for (DagRegistry.ImportError e : registry.importErrors()) {
            Instant seen = firstSeen.computeIfAbsent(e.source() + "\n" + e.message(), k -> clock.instant());
            all.add(new ImportError(id++, ApiMapper.date(seen), e.source(), e.message()));
        }
        Comparator<ImportError> order = IMPORT_ERROR_ORDER.get(paging.sort());
        List<ImportError> sorted = all.stream().sorted(paging.descending() ? order.reversed() : order).toList();
        return new ImportErrorCollection(sorted.stream().skip(paging.offset()).limit(paging.limit()).toList(),
                sorted.size());
    }

    @GET
    @Path("openapi.yaml")
    @Produces("application/yaml")
    @Allowed(Role.VIEWER)
    public Response openapi() {
        InputStream in = MonitoringResource.class.getResourceAsStream("/openapi/weft-api.yaml");
        if (in == null) {
            return Response.status(404).build();
        }
        return Response.ok(in, "application/yaml").build();
    }
}
