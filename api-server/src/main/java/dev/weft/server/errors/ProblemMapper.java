package dev.weft.server.errors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.weft.engine.datasets.Datasets;
import dev.weft.engine.runs.DagNotFoundException;
import dev.weft.engine.runs.RunNotFoundException;
import dev.weft.engine.runs.TaskNotFoundException;
import dev.weft.engine.secrets.SecretCipher;
import dev.weft.engine.store.RunConflictException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one mapper family: every exception that leaves a resource becomes problem details. Client errors say what to
 * change; anything unexpected is a 500 whose detail gives only the error id (the stack trace is in the log).
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {
    private static final Map<Integer, String> TITLES = Map.of(400, "Bad Request", 401, "Unauthorized",
            403, "Forbidden", 404, "Not Found", 405, "Method Not Allowed", 406, "Not Acceptable",
            409, "Conflict", 413, "Payload Too Large", 415, "Unsupported Media Type", 429, "Too Many Requests");

    @Context
    private UriInfo uriInfo;
    @Context
    private jakarta.inject.Provider<ContainerRequestContext> request;

    @Override
    public Response toResponse(Throwable e) {
        Throwable error = unwrap(e);
        return switch (error) {
            case ApiException a -> problem(a.status(), a.title(), a.getMessage(), null);
            case DagNotFoundException d -> problem(404, "DAG not found", d.getMessage(), null);
            case RunNotFoundException r -> problem(404, "DAGRun not found", r.getMessage(), null);
            case TaskNotFoundException t -> problem(404, "Task not found", t.getMessage(), null);
            case Datasets.BadRequestException b -> problem(400, "Bad Request", b.getMessage(), null);
            case RunConflictException c -> problem(409, "Conflict", c.getMessage(), null);
            // The rest of the body is not read: the connection cannot carry another request.
            case PayloadTooLargeException p -> Response.fromResponse(problem(413, TITLES.get(413),
                    "The request body is larger than the limit of " + p.limit() + " bytes", null))
                    .header("Connection", "close").build();
            case JsonProcessingException j -> problem(400, "Bad Request", describe(j), null);
            case IllegalArgumentException i -> problem(400, "Bad Request", i.getMessage(), null);
            // The server's own fault, but one its operator can fix: say how (the message holds no secret).
            case SecretCipher.SecretDecryptionException d -> problem(500, "Internal Server Error", d.getMessage(), d);
            case WebApplicationException w when w.getResponse().getStatus() < 500 -> {
                int status = w.getResponse().getStatus();
                yield problem(status, TITLES.getOrDefault(status, w.getResponse().getStatusInfo()
                        .getReasonPhrase()), detail(status, w), null);
            }
            case Throwable t when refusedCharacter(t) -> problem(400, "Bad Request", "The request contains text with"
                    + " the NUL character (U+0000), which the database cannot store: remove it", null);
            default -> problem(500, "Internal Server Error", null, error);
        };
    }

    /** PostgreSQL refuses U+0000 in text (SQLSTATE 22021) and in JSONB (22P05): the request's fault, not ours. */
    private static boolean refusedCharacter(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException s && ("22021".equals(s.getSQLState())
                    || "22P05".equals(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        // Jersey wraps what a message body reader throws; the cause says what was wrong with the body.
        while ((t instanceof jakarta.ws.rs.ProcessingException || t instanceof jakarta.ws.rs.BadRequestException)
                && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private String detail(int status, WebApplicationException w) {
        String method = method();
        return switch (status) {
            case 404 -> "The requested URL " + uriInfo.getPath() + " was not found on the server";
            case 405 -> "The method " + method + " is not allowed for the requested URL";
            case 406 -> "The server cannot produce a response matching the Accept header";
            case 415 -> "Send the request body as application/json";
            default -> w.getMessage();
        };
    }

    private String method() {
        try {
            return request.get().getMethod();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private Response problem(int status, String title, String detail, Throwable cause) {
        String path = uriInfo == null ? "?" : "/" + uriInfo.getPath();
        return Problems.response(status, title, detail, method(), path, cause);
    }

    /** Airflow-style messages: unknown fields as {@code {'field': ['Unknown field.']}}, parse errors with a position. */
    static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "{'" + path(u) + "': ['Unknown field.']}";
        }
        if (e instanceof MismatchedInputException m) {
            if (m.getPath().isEmpty() && String.valueOf(m.getOriginalMessage()).startsWith("No content")) {
                return "A request body is required: send a JSON object (for example {})";
            }
            if (m.getPath().isEmpty()) {
                return "The request body must be a JSON object";
            }
            String expected = m.getTargetType() == null ? "a different value"
                    : java.util.Map.class.isAssignableFrom(m.getTargetType()) ? "Not a valid mapping type."
                    : java.util.Collection.class.isAssignableFrom(m.getTargetType()) ? "Not a valid list."
                    : Number.class.isAssignableFrom(m.getTargetType()) || m.getTargetType() == int.class
                    ? "Not a valid integer." : m.getTargetType() == Boolean.class ? "Not a valid boolean."
                    : m.getTargetType() == String.class ? "Not a valid string." : "Invalid value.";
            if (m instanceof InvalidFormatException f && f.getValue() != null) {
                expected = expected + " Got " + f.getValue();
            }
            return "{'" + path(m) + "': ['" + expected + "']}";
        }
        // Anything else is a syntax error: say where, as the parser saw it.
        JsonLocation at = e.getLocation();
        return "The request body is not valid JSON" + (at == null ? "" : " at line " + at.getLineNr()
                + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                : String.valueOf(r.getIndex())).collect(Collectors.joining("."));
    }
}
