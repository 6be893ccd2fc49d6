package dev.weft.server.api;

import dev.weft.server.HealthResource;
import dev.weft.server.ProbeResource;
import dev.weft.server.ProcessesResource;
import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Public;
import jakarta.ws.rs.HttpMethod;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every API method says who may call it; only the health check and the orchestrators' probes are public. */
class ResourceRulesTest {
    static final List<Class<?>> RESOURCES = List.of(DagResource.class, DagRunResource.class,
            TaskInstanceResource.class, PoolResource.class, UserResource.class, RoleResource.class,
            MonitoringResource.class, WeftResource.class, GridResource.class, HealthResource.class,
            ProcessesResource.class, ProbeResource.class);

    @Test
    void everyEndpointHasARoleAndOnlyHealthAndTheProbesArePublic() {
        List<String> unguarded = new ArrayList<>();
        List<String> open = new ArrayList<>();
        for (Class<?> resource : RESOURCES) {
            for (Method m : resource.getDeclaredMethods()) {
                boolean endpoint = Arrays.stream(m.getAnnotations())
                        .anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class));
                if (!endpoint) {
                    continue;
                }
                if (m.isAnnotationPresent(Public.class)) {
                    open.add(resource.getSimpleName() + "." + m.getName());
                } else if (!m.isAnnotationPresent(Allowed.class)) {
                    unguarded.add(resource.getSimpleName() + "." + m.getName());
                }
            }
        }
        assertThat(unguarded).isEmpty();
        assertThat(open).containsExactlyInAnyOrder("HealthResource.health", "ProbeResource.live",
                "ProbeResource.ready");
    }
}
