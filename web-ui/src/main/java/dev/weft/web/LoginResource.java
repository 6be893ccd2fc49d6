package dev.weft.web;

import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Authenticator;
import dev.weft.engine.auth.Public;
import dev.weft.engine.auth.Role;
import dev.weft.engine.auth.Sessions;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * Log in and out. The session cookie is {@code HttpOnly} and {@code SameSite=Lax} (and {@code Secure} over HTTPS).
 * The login form itself is protected from cross-site posting by a double-submit token: a random value in a cookie
 * that the form must repeat, which another site can neither read nor set.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class LoginResource {
    static final String LOGIN_COOKIE = "weft_login";

    private final Authenticator authenticator;
    private final Sessions sessions;

    public LoginResource(Authenticator authenticator, Sessions sessions) {
        this.authenticator = authenticator;
        this.sessions = sessions;
    }

    @GET
    @Path("login")
    @Public
    public Response form(@QueryParam("next") String next, @Context UriInfo uri) {
        return show(next, null, 200, uri);
    }

    @POST
    @Path("login")
    @Public
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response login(@FormParam("username") String username, @FormParam("password") String password,
                          @FormParam("next") String next, @FormParam("login_token") String token,
                          @CookieParam(LOGIN_COOKIE) String expected, @Context UriInfo uri) {
        if (token == null || expected == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            return show(next, "The login form expired: please try again.", 403, uri);
        }
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            return show(next, "Enter your user name and password.", 400, uri);
        }
        return switch (authenticator.authenticate(username.trim(), password)) {
            case Authenticator.Result.Denied d -> show(next, "Wrong user name or password.", 401, uri);
            case Authenticator.Result.Locked l -> show(next, "Too many failed logins: try again in "
                    + Math.max(1, l.retryAfter().toSeconds()) + " seconds.", 429, uri);
            case Authenticator.Result.Ok ok -> {
                Sessions.Opened opened = sessions.open(ok.caller());
                yield Response.seeOther(URI.create(safeNext(next)))
                        .cookie(cookie(Sessions.COOKIE, opened.token(), (int) opened.lifetime().toSeconds(), uri))
                        .cookie(cookie(LOGIN_COOKIE, "", 0, uri))
                        .build();
            }
        };
    }

    @POST
    @Path("logout")
    @Allowed(Role.VIEWER)
    public Response logout(@CookieParam(Sessions.COOKIE) String token, @Context UriInfo uri) {
        sessions.close(token);
        return Response.seeOther(URI.create("/login")).cookie(cookie(Sessions.COOKIE, "", 0, uri)).build();
    }

    private Response show(String next, String error, int status, UriInfo uri) {
        String token = Sessions.randomToken();
        return Response.status(status).entity(new LoginPage(safeNext(next), error, token))
                .cookie(cookie(LOGIN_COOKIE, token, 3600, uri)).build();
    }

    /** Only a path on this server: an absolute or protocol-relative URL would make the login an open redirect. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.startsWith("/login")) {
            return "/";
        }
        return next;
    }

    private static NewCookie cookie(String name, String value, int maxAge, UriInfo uri) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.LAX).secure("https".equals(uri.getRequestUri().getScheme()))
                .maxAge(maxAge).build();
    }

    /** The login form. */
    public static final class LoginPage extends Page {
        private final String next;
        private final String error;
        private final String loginToken;

        LoginPage(String next, String error, String loginToken) {
            super("login.mustache", "Log in", null, "");
            this.next = next;
            this.error = error;
            this.loginToken = loginToken;
        }

        public String getNext() {
            return next;
        }

        public String getError() {
            return error;
        }

        public String getLoginToken() {
            return loginToken;
        }
    }
}
