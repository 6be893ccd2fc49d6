package dev.weft.web;

import com.github.mustachejava.DefaultMustacheFactory;
import dev.weft.engine.auth.Caller;
import dev.weft.engine.auth.Role;
import io.dropwizard.views.common.View;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The variable and connection pages as rendered: no secret in the HTML, markup escaped, forms with a CSRF token. */
class SecretPagesTest {
    private static final PageUser OP = new PageUser(new Caller("olga", Role.OP), "csrf-t0ken");
    private static final String MARKUP = "<script>alert(1)</script>\"'";

    private static String render(View page) {
        StringWriter out = new StringWriter();
        new DefaultMustacheFactory().compile(page.getTemplateName().substring(1)).execute(out, page);
        return out.toString();
    }

    @Test
    void aConnectionFormAfterAnErrorShowsWhatWasTypedButThePassword() {
        ConnectionForm typed = new ConnectionForm("my_api", "http", MARKUP, "https://api.example.com", "", "bot",
                "pa55-w0rd-typed", "80a", "{\"api_key\": \"***\"}");
        String html = render(new ConnectionFormPage(OP, true, typed, true, "Port must be a number", "port"));
        assertThat(html).doesNotContain("pa55-w0rd-typed").contains("value=\"80a\"")
                .contains("placeholder=\"stored: leave empty to keep it\"")
                .contains("<input type=\"hidden\" name=\"_csrf\" value=\"csrf-t0ken\">")
                .doesNotContain(MARKUP).contains("&lt;script&gt;");
        assertThat(html.replaceAll("\\s+", " ")).contains("<input id=\"password\" name=\"password\" type=\"password\""
                + " autocomplete=\"new-password\" aria-describedby=\"password-hint\" placeholder=");
    }

    @Test
    void theVariableListEscapesKeysAndEveryFormCarriesTheCsrfToken() {
        String html = render(new VariablesPage(OP, MARKUP, List.of(new VariablesPage.Row(MARKUP, "***", MARKUP,
                true)), 1));
        assertThat(html).doesNotContain(MARKUP).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        int forms = html.split("method=\"post\"", -1).length - 1;
        int tokens = html.split("name=\"_csrf\" value=\"csrf-t0ken\"", -1).length - 1;
        assertThat(forms).isGreaterThanOrEqualTo(3); // delete, import, log out
        assertThat(tokens).isEqualTo(forms);
    }

    @Test
    void theConnectionListOffersTestOnlyForTestableTypes() {
        String html = render(new ConnectionsPage(OP, "", List.of(
                new ConnectionsPage.Row("web", "http", "localhost", 8080, null, "bot", null, true),
                new ConnectionsPage.Row("db", "postgres", "db", 5432, "sales", "etl", null, false))));
        assertThat(html.split("class=\"test\"", -1).length - 1).isEqualTo(1);
        assertThat(html).contains("data-conn-id=\"db\"").contains("href=\"/admin/connections/edit?conn_id=web\"");
    }
}
