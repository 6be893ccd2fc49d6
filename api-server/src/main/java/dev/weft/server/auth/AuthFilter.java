package dev.weft.server.auth;

import dev.weft.server.errors.Problems;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;

/**
 * HTTP basic authentication and role checks for every API method. Missing or wrong credentials get Airflow's
 * answer: 401, {@code WWW-Authenticate: Basic} and the plain-text body {@code Unauthorized}. A locked-out user gets
 * 429 with {@code Retry-After}; a role too low for the method gets 403. Passwords are never logged.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AuthFilter implements ContainerRequestFilter {
    private final Authenticator authenticator;

    @Context
    private ResourceInfo resource;

    public AuthFilter(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource.getResourceMethod();
        // Every resource method needs a login and a role unless it is marked @Public (only the health check).
        if (method == null || method.isAnnotationPresent(Public.class)) {
            return;
        }
        Allowed allowed = method.getAnnotation(Allowed.class);
        String[] credentials = credentials(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (credentials == null) {
            request.abortWith(unauthorized());
            return;
        }
        Authenticator.Result result = authenticator.authenticate(credentials[0], credentials[1]);
        switch (result) {
            case Authenticator.Result.Denied d -> request.abortWith(unauthorized());
            case Authenticator.Result.Locked l -> {
                long seconds = Math.max(1, (l.retryAfter().toMillis() + 999) / 1000);
                request.abortWith(Response.fromResponse(Problems.response(429, "Too Many Requests",
                        "Too many failed logins for this user; try again in " + seconds + " seconds",
                        request.getMethod(), path(request), null)).header("Retry-After", seconds).build());
            }
            case Authenticator.Result.Ok ok -> {
                Caller caller = ok.caller();
                if (allowed == null || !caller.role().includes(allowed.value())) {
                    String need = allowed == null ? "no role" : "the " + allowed.value().displayName() + " role";
                    request.abortWith(Problems.response(403, "Forbidden", "User '" + caller.username() + "' ("
                            + caller.role().displayName() + ") may not do this: it needs " + need + " or higher",
                            request.getMethod(), path(request), null));
                    return;
                }
                boolean secure = request.getSecurityContext().isSecure();
                request.setSecurityContext(new SecurityContext() {
                    @Override
                    public Principal getUserPrincipal() {
                        return caller;
                    }

                    @Override
                    public boolean isUserInRole(String role) {
                        return Role.of(role).map(caller.role()::includes).orElse(false);
                    }

                    @Override
                    public boolean isSecure() {
                        return secure;
                    }

                    @Override
                    public String getAuthenticationScheme() {
                        return BASIC_AUTH;
                    }
                });
            }
        }
    }

    private static String path(ContainerRequestContext request) {
        return "/" + request.getUriInfo().getPath();
    }

    static Response unauthorized() {
        return Response.status(401).header(HttpHeaders.WWW_AUTHENTICATE, "Basic")
                .type(MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8")).entity("Unauthorized").build();
    }

    /** {@code [user, password]} from a basic Authorization header, or null. */
    static String[] credentials(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            return new String[]{decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
