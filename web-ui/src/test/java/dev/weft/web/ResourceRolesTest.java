package dev.weft.web;

import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Public;
import dev.weft.engine.auth.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HttpMethod;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Every page method says who may call it; reading needs Viewer, changing needs the role the REST API asks for. */
class ResourceRolesTest {
    private static final List<Class<?>> RESOURCES = List.of(DagsResource.class, DagGridResource.class,
            ActionsResource.class, TriggerResource.class, DatasetsResource.class, LoginResource.class,
            VariablesResource.class, ConnectionsResource.class);

    @Test
    void readsAreForViewersAndChangesForUsersOrAdmins() {
        Map<String, String> roles = new TreeMap<>();
        for (Class<?> resource : RESOURCES) {
            for (Method m : resource.getDeclaredMethods()) {
                boolean endpoint = Arrays.stream(m.getAnnotations())
                        .anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class));
                if (!endpoint) {
                    continue;
                }
                String name = resource.getSimpleName() + "." + m.getName();
                Allowed allowed = m.getAnnotation(Allowed.class);
                roles.put(name, m.isAnnotationPresent(Public.class) ? "public"
                        : allowed == null ? "none" : allowed.value().name());
                if (allowed != null && allowed.value() == Role.VIEWER && !resource.equals(LoginResource.class)) {
                    assertThat(m.isAnnotationPresent(GET.class)).as(name + " changes nothing").isTrue();
                }
            }
        }
        assertThat(roles).doesNotContainValue("none")
                .containsEntry("DagGridResource.grid", "VIEWER")
                .containsEntry("ActionsResource.clear", "USER")
                .containsEntry("ActionsResource.mark", "USER")
                .containsEntry("ActionsResource.deleteRun", "ADMIN")
                .containsEntry("TriggerResource.form", "USER")
                .containsEntry("TriggerResource.trigger", "USER")
                .containsEntry("DagsResource.pause", "USER")
                .containsEntry("DatasetsResource.list", "VIEWER")
                .containsEntry("DatasetsResource.detail", "VIEWER")
                // Stricter than the REST API (User): posting events and dropping queues are operators' acts here.
                .containsEntry("DatasetsResource.postEvent", "USER")
                .containsEntry("DatasetsResource.clearQueue", "USER");
    }

    /** Variables and connections: every page and form needs Op, as every one of their REST endpoints does. */
    @Test
    void variablesAndConnectionsAreForOpsAndAdminsOnly() {
        for (Class<?> resource : List.of(VariablesResource.class, ConnectionsResource.class)) {
            List<Method> endpoints = Arrays.stream(resource.getDeclaredMethods()).filter(m -> Arrays.stream(
                    m.getAnnotations()).anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class)))
                    .toList();
            assertThat(endpoints).as(resource.getSimpleName()).hasSizeGreaterThanOrEqualTo(5);
            for (Method m : endpoints) {
                assertThat(m.getAnnotation(Allowed.class)).as(resource.getSimpleName() + "." + m.getName())
                        .isNotNull().extracting(Allowed::value).isEqualTo(Role.OP);
            }
        }
    }

    /**
     * JAX-RS matches the root resource with the longest path first and then looks only at its methods: a class at
     * {@code /dags/{dag_id}} would take {@code /dags/{dag_id}/pause} from DagsResource and answer 404. Class paths
     * are therefore the root or end in a fixed word ({@code /dags/{dag_id}/grid}).
     */
    @Test
    void noClassPathEndsInAVariableThatWouldShadowOtherPages() {
        for (Class<?> resource : RESOURCES) {
            String path = resource.getAnnotation(jakarta.ws.rs.Path.class).value();
            assertThat(path).as(resource.getSimpleName()).satisfiesAnyOf(
                    p -> assertThat(p).isEqualTo("/"), p -> assertThat(p).doesNotEndWith("}"));
        }
    }
}
