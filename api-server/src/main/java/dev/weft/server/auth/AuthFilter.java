package dev.weft.server.auth;

import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Authenticator;
import dev.weft.engine.auth.Caller;
import dev.weft.engine.auth.Public;
import dev.weft.engine.auth.Role;
import dev.weft.engine.auth.Sessions;
import dev.weft.server.errors.PayloadTooLargeException;
import dev.weft.server.errors.Problems;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriBuilder;
import dev.weft.web.WebUi;
import jakarta.ws.rs.ext.Provider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Authentication and role checks for every resource method, the API's and the web UI's. A request proves who it is
 * with HTTP basic auth (scripts, the CLI) or with the web UI's session cookie; a state-changing request made with the
 * cookie must also carry that session's CSRF token (header {@code X-CSRF-Token} or form field {@code _csrf}),
 * or it is refused with 403: a page of another site can make the browser send the cookie, never the token.
 * Missing or wrong credentials get Airflow's answer on the API (401, {@code WWW-Authenticate: Basic}, the plain-text
 * body {@code Unauthorized}) and a redirect to the login page on the UI. A locked-out user gets 429 with
 * {@code Retry-After}; a role too low for the method gets 403. Passwords are never logged.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AuthFilter implements ContainerRequestFilter {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final Authenticator authenticator;
    private final Sessions sessions;
    private final long maxBodyBytes;

    @Context
    private ResourceInfo resource;

    public AuthFilter(Authenticator authenticator, Sessions sessions, long maxBodyBytes) {
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        Method method = resource.getResourceMethod();
        // Every resource method needs a login and a role unless it is marked @Public (the health check, the login).
        if (method == null || method.isAnnotationPresent(Public.class)) {
            return;
        }
        Caller caller;
        String scheme;
        String[] credentials = credentials(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (credentials != null) {
            Authenticator.Result result = authenticator.authenticate(credentials[0], credentials[1]);
            switch (result) {
                case Authenticator.Result.Denied d -> {
                    request.abortWith(unauthorized());
                    return;
                }
                case Authenticator.Result.Locked l -> {
                    long seconds = Math.max(1, (l.retryAfter().toMillis() + 999) / 1000);
                    request.abortWith(Response.fromResponse(Problems.response(429, "Too Many Requests",
                            "Too many failed logins for this user; try again in " + seconds + " seconds",
                            request.getMethod(), path(request), null)).header("Retry-After", seconds).build());
                    return;
                }
                case Authenticator.Result.Ok ok -> caller = ok.caller();
            }
            scheme = SecurityContext.BASIC_AUTH;
        } else {
            Cookie cookie = request.getCookies().get(Sessions.COOKIE);
            Optional<Sessions.Active> session = sessions.resolve(cookie == null ? null : cookie.getValue());
            if (session.isEmpty()) {
                request.abortWith(WebUi.isUiPath(request.getUriInfo().getPath()) ? toLogin(request) : unauthorized());
                return;
            }
            if (!SAFE_METHODS.contains(request.getMethod()) && !session.get().csrfMatches(submittedCsrf(request))) {
                request.abortWith(Problems.response(403, "Forbidden", "The request has no valid CSRF token: reload"
                        + " the page and try again", request.getMethod(), path(request), null));
                return;
            }
            caller = session.get().caller();
            scheme = SecurityContext.FORM_AUTH;
            request.setProperty(Sessions.CSRF_PROPERTY, session.get().csrfToken());
        }
        Allowed allowed = method.getAnnotation(Allowed.class);
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
                return scheme;
            }
        });
    }


    private static Response toLogin(ContainerRequestContext request) {
        String next = request.getUriInfo().getRequestUri().getRawPath();
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        if (query != null) {
            next += "?" + query;
        }
        return Response.seeOther(UriBuilder.fromPath("/login").queryParam("next", "{next}").build(next)).build();
    }

    /**
     * The CSRF token of a request: its header, else the field of a URL-encoded form (the body is put back). This runs
     * before the body limit's filter, so it reads no more than the limit itself: a larger form is a 413, not memory.
     */
    private String submittedCsrf(ContainerRequestContext request) throws IOException {
        String header = request.getHeaderString(Sessions.CSRF_HEADER);
        if (header != null) {
            return header;
        }
        if (!request.hasEntity() || !MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(request.getMediaType())) {
            return null;
        }
        byte[] body = request.getEntityStream().readNBytes((int) Math.min(maxBodyBytes + 1, Integer.MAX_VALUE - 8));
        if (body.length > maxBodyBytes) {
            throw new PayloadTooLargeException(maxBodyBytes);
        }
        request.setEntityStream(new ByteArrayInputStream(body));
        for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(pair.substring(0, Math.max(eq, 0)), StandardCharsets.UTF_8);
            if (eq > 0 && name.equals(Sessions.CSRF_FIELD)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String path(ContainerRequestContext request) {
        return "/" + request.getUriInfo().getPath();
    }

    static Response unauthorized() {
        return Response.status(401).header(HttpHeaders.WWW_AUTHENTICATE, "Basic")
                .type(MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8")).entity("Unauthorized").build();
    }

    /** {@code [user, password]} from a basic Authorization header, or null. */
    public static String[] credentials(String header) {
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
