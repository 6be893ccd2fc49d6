package dev.weft.plugins.standard;

import dev.weft.spi.InvalidParamsException;
import dev.weft.testkit.PluginHarness;
import dev.weft.testkit.TestCallbackContext;
import dev.weft.testkit.TestPluginContext;
import dev.weft.testkit.TestTaskContext;
import jakarta.mail.MessagingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code standard.email} against a real (tiny) SMTP server on a local socket. */
class EmailNotifierTest {
    private final SmtpTestServer smtp = new SmtpTestServer();
    private final EmailNotifierFactory factory = new EmailNotifierFactory();

    @AfterEach
    void close() throws Exception {
        smtp.close();
    }

    private Map<String, Object> params(Map<String, Object> more) {
        Map<String, Object> p = new HashMap<>(Map.of("to", "oncall@example.com, lead@example.com",
                "from_email", "weft@example.com", "smtp_host", "127.0.0.1", "smtp_port", smtp.port()));
        p.putAll(more);
        return p;
    }

    private void notify(Map<String, Object> params, TestCallbackContext ctx) throws Exception {
        EmailNotifierFactory.Params bound = PluginHarness.bind(factory, params, TestTaskContext.create());
        factory.create(TestPluginContext.temporary(Clock.systemUTC())).notify(bound, ctx);
    }

    @Test
    void sendsTheFailureWithItsErrorToEveryRecipient() throws Exception {
        TestCallbackContext ctx = TestCallbackContext.taskFailed("sales", "load", 2, "java.io.IOException: disk full");

        notify(params(Map.of("cc", List.of("team@example.com"))), ctx);

        assertThat(smtp.mails()).hasSize(1);
        SmtpTestServer.Mail mail = smtp.mails().get(0);
        assertThat(mail.from()).isEqualTo("<weft@example.com>");
        assertThat(mail.to()).containsExactly("<oncall@example.com>", "<lead@example.com>", "<team@example.com>");
        assertThat(mail.auth()).isNull();
        assertThat(mail.data()).contains("Subject: [Weft] on_failure_callback: task load of DAG sales: failed\r\n")
                .contains("To: oncall@example.com, lead@example.com").contains("Cc: team@example.com")
                .contains("Task: load\r\nTry: 2\r\nState: failed\r\nError: java.io.IOException: disk full");
        assertThat(ctx.logLines()).contains("INFO E-mail sent to oncall@example.com, lead@example.com");
    }

    @Test
    void logsInWhenGivenAUserAndSendsHtml() throws Exception {
        notify(params(Map.of("smtp_user", "weft", "smtp_password", "pa55word", "subject", "Load failed",
                "html_content", "<b>load</b> failed")), TestCallbackContext.taskFailed("sales", "load", 1, "boom"));

        SmtpTestServer.Mail mail = smtp.mails().get(0);
        assertThat(mail.auth()).isEqualTo("weft:pa55word");
        assertThat(mail.data()).contains("Subject: Load failed").contains("Content-Type: text/html; charset=UTF-8")
                .contains("<b>load</b> failed");
        assertThat(factory.sensitiveParams()).containsExactly("smtp_password");
    }

    @Test
    void aRefusedRecipientFailsTheCallback() {
        smtp.refuse("lead@example.com");

        assertThatThrownBy(() -> notify(params(Map.of()), TestCallbackContext.taskFailed("sales", "load", 1, "boom")))
                .isInstanceOf(MessagingException.class);
    }

    @Test
    void badParamsAreNamed() {
        assertThatThrownBy(() -> PluginHarness.bind(factory, params(Map.of("to", "not an address")),
                TestTaskContext.create())).isInstanceOf(InvalidParamsException.class).hasMessageContaining("to")
                .hasMessageContaining("'not an address' is not an e-mail address");
        assertThatThrownBy(() -> PluginHarness.bind(factory, Map.of("to", "a@example.com", "from_email",
                "weft@example.com"), TestTaskContext.create())).isInstanceOf(InvalidParamsException.class)
                .hasMessageContaining("smtp_host").hasMessageContaining("is required");
        assertThatThrownBy(() -> PluginHarness.bind(factory, params(Map.of("smtp_password", "x")),
                TestTaskContext.create())).isInstanceOf(InvalidParamsException.class)
                .hasMessageContaining("smtp_user");
    }
}
