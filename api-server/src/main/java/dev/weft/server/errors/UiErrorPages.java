package dev.weft.server.errors;

import dev.weft.api.model.Problem;
import dev.weft.web.WebUi;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;

import java.lang.annotation.Annotation;

/**
 * On the web UI's paths an error is a page, not problem+json: whatever produced the problem (the mapper, or the auth
 * filter refusing a request), its status, title, detail and error id are shown as HTML. The API keeps problem+json.
 */
public class UiErrorPages implements ContainerResponseFilter {
    private static final String URN = "urn:weft:error:";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(response.getEntity() instanceof Problem problem) || !WebUi.isUiPath(request.getUriInfo().getPath())) {
            return;
        }
        String id = problem.instance() != null && problem.instance().startsWith(URN)
                ? problem.instance().substring(URN.length()) : problem.instance();
        response.setEntity(WebUi.errorPage(problem.status(), problem.title(), problem.detail(), id,
                request.getSecurityContext(), request), new Annotation[0],
                MediaType.TEXT_HTML_TYPE.withCharset("utf-8"));
    }
}
