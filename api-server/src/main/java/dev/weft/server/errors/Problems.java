package dev.weft.server.errors;

import dev.weft.api.model.Problem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * Problem details (RFC 7807) as Airflow's API writes them: {@code type} links the section of Airflow's API
 * reference for the error, {@code instance} names this occurrence with an id that is also in the server log.
 */
public final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    public static final MediaType PROBLEM_JSON = new MediaType("application", "problem+json");
    private static final String DOCS = "https://airflow.apache.org/docs/apache-airflow/2.10.0/stable-rest-api-ref.html"
            + "#section/Errors/";
    private static final Map<Integer, String> TYPES = Map.of(400, "BadRequest", 401, "Unauthenticated",
            403, "PermissionDenied", 404, "NotFound", 405, "MethodNotAllowed", 406, "NotAcceptable",
            409, "AlreadyExists", 500, "Unknown");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Problems() {
    }

    public static String newId() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static String type(int status) {
        String section = TYPES.get(status);
        return section == null ? "about:blank" : DOCS + section;
    }

    /** A problem response; logged with its id (server errors with the cause's stack trace). */
    public static Response response(int status, String title, String detail, String method, String path,
                                    Throwable cause) {
        String id = newId();
        if (detail == null && status >= 500) {
            detail = "An unexpected error occurred; the server log has the details under error id " + id;
        }
        if (status >= 500) {
            LOG.error("Error {}: {} {} -> {} {}", id, method, path, status, detail, cause);
        } else {
            LOG.info("Error {}: {} {} -> {} {}", id, method, path, status, detail);
        }
        Problem problem = new Problem(type(status), title, status, detail, "urn:weft:error:" + id);
        return Response.status(status).type(PROBLEM_JSON).entity(problem).build();
    }
}
