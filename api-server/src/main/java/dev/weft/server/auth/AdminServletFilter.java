package dev.weft.server.auth;

import dev.weft.engine.auth.Allowed;
import dev.weft.engine.auth.Authenticator;
import dev.weft.engine.auth.Caller;
import dev.weft.engine.auth.Public;
import dev.weft.engine.auth.Role;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Guards Dropwizard's admin pages (metrics, thread dump, health checks, tasks that change log levels) on the
 * {@code /admin} path: only an authenticated Admin may use them, with the same basic auth and lockout as the API.
 */
public final class AdminServletFilter implements Filter {
    private final Authenticator authenticator;

    public AdminServletFilter(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String[] credentials = AuthFilter.credentials(request.getHeader("Authorization"));
        Authenticator.Result result = credentials == null ? new Authenticator.Result.Denied()
                : authenticator.authenticate(credentials[0], credentials[1]);
        switch (result) {
            case Authenticator.Result.Ok ok when ok.caller().role().includes(Role.ADMIN) -> chain.doFilter(req, res);
            case Authenticator.Result.Ok ok -> response.sendError(HttpServletResponse.SC_FORBIDDEN,
                    "The admin pages are for the Admin role");
            case Authenticator.Result.Locked locked -> {
                response.setHeader("Retry-After", Long.toString(Math.max(1, locked.retryAfter().toSeconds())));
                response.sendError(429, "Too many failed logins for this user");
            }
            case Authenticator.Result.Denied denied -> {
                response.setHeader("WWW-Authenticate", "Basic realm=\"Weft\"");
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized");
            }
        }
    }
}
