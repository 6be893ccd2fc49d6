package dev.weft.server.auth;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MultivaluedMap;

/**
 * The browser-side defences on every response of the UI's and the API's port: no framing by other sites
 * (clickjacking a Clear or Delete button), no content-type sniffing, no URL with a run id or filter sent to other
 * sites as a referrer, and a content security policy that lets pages load scripts, styles and images from this
 * server only, so that markup an escaping bug let through cannot run script. The UI has no inline script, style or
 * event handler, which is what lets the policy be this strict.
 */
public final class SecurityHeaders implements ContainerResponseFilter {
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MultivaluedMap<String, Object> headers = response.getHeaders();
        headers.putSingle("Content-Security-Policy", POLICY);
        // For browsers that predate frame-ancestors.
        headers.putSingle("X-Frame-Options", "SAMEORIGIN");
        headers.putSingle("X-Content-Type-Options", "nosniff");
        headers.putSingle("Referrer-Policy", "same-origin");
    }
}
