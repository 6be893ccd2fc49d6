package dev.weft.plugins.standard;

import dev.weft.spi.CallbackContext;
import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.Notifier;
import dev.weft.spi.NotifierFactory;
import dev.weft.spi.PluginContext;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * {@code standard.email}: sends an e-mail over SMTP from a callback (Airflow's SmtpNotifier), with Jakarta Mail. A
 * refused connection, login or recipient fails the callback, which is logged.
 */
public final class EmailNotifierFactory implements NotifierFactory<EmailNotifierFactory.Params> {
    public static final String TYPE = "standard.email";
    private static final Set<String> SENSITIVE = Set.of("smtp_password");

    /**
     * When Connections arrive, an {@code smtp_conn_id} will supply host, port, user and password instead.
     *
     * @param to           the recipients: one address, several separated by commas, or a list (required)
     * @param cc           more recipients, as {@code to} (default none)
     * @param fromEmail    the sender's address (required)
     * @param subject      the subject (templated; by default the event, the task or run, and the state)
     * @param htmlContent  the body as HTML (templated; by default a plain-text body with the error)
     * @param smtpHost     the SMTP server (required)
     * @param smtpPort     its port (default 25; 465 with {@code smtp_ssl}, 587 is usual with {@code smtp_starttls})
     * @param smtpUser     the login, if the server asks for one
     * @param smtpPassword its password (secret: masked in logs)
     * @param smtpStarttls upgrade the connection with STARTTLS, and refuse to send without it (default false)
     * @param smtpSsl      connect over TLS from the start (default false)
     * @param timeout      the longest to wait for the server at each step (default 30 s)
     */
    public record Params(Object to, Object cc, String fromEmail, String subject, String htmlContent, String smtpHost,
                         Integer smtpPort, String smtpUser, String smtpPassword, Boolean smtpStarttls, Boolean smtpSsl,
                         Duration timeout) {
        public Params {
            to = addresses("to", to);
            if (((List<?>) to).isEmpty()) {
                throw new InvalidParamsException("to", "is required: the recipients' addresses");
            }
            cc = addresses("cc", cc);
            fromEmail = address("from_email", fromEmail);
            if (smtpHost == null || smtpHost.isBlank()) {
                throw new InvalidParamsException("smtp_host", "is required: the SMTP server's host name");
            }
            smtpStarttls = smtpStarttls != null && smtpStarttls;
            smtpSsl = smtpSsl != null && smtpSsl;
            if (smtpPort == null) {
                smtpPort = smtpSsl ? 465 : 25;
            } else if (smtpPort < 1 || smtpPort > 65535) {
                throw new InvalidParamsException("smtp_port", "must be a port number (1 to 65535), got " + smtpPort);
            }
            if (smtpPassword != null && (smtpUser == null || smtpUser.isBlank())) {
                throw new InvalidParamsException("smtp_user", "is required with smtp_password");
            }
            timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
            if (!timeout.isPositive()) {
                throw new InvalidParamsException("timeout", "must be positive, got " + timeout);
            }
        }

        @SuppressWarnings("unchecked")
        List<String> recipients() {
            return (List<String>) to;
        }

        @SuppressWarnings("unchecked")
        List<String> copies() {
            return (List<String>) cc;
        }
    }

    private static List<String> addresses(String field, Object value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        List<?> items = value instanceof List<?> list ? list : List.of(String.valueOf(value).split(","));
        for (Object item : items) {
            String text = String.valueOf(item).strip();
            if (!text.isEmpty()) {
                out.add(address(field, text));
            }
        }
        return List.copyOf(out);
    }

    private static String address(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidParamsException(field, "is required: an e-mail address such as alerts@example.com");
        }
        try {
            new InternetAddress(value.strip(), true);
            return value.strip();
        } catch (AddressException e) {
            throw new InvalidParamsException(field, "'" + value + "' is not an e-mail address: " + e.getMessage());
        }
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public String description() {
        return "Sends an e-mail over SMTP (Airflow's SmtpNotifier)";
    }

    @Override
    public Set<String> sensitiveParams() {
        return SENSITIVE;
    }

    @Override
    public Notifier<Params> create(PluginContext context) {
        return (params, ctx) -> {
            MimeMessage message = new MimeMessage(session(params));
            message.setFrom(new InternetAddress(params.fromEmail()));
            message.setRecipients(Message.RecipientType.TO, String.join(",", params.recipients()));
            if (!params.copies().isEmpty()) {
                message.setRecipients(Message.RecipientType.CC, String.join(",", params.copies()));
            }
            message.setSubject(params.subject() != null ? params.subject() : defaultSubject(ctx), "UTF-8");
            if (params.htmlContent() != null) {
                message.setContent(params.htmlContent(), "text/html; charset=UTF-8");
            } else {
                message.setText(defaultBody(ctx), "UTF-8");
            }
            message.setSentDate(Date.from(context.clock().instant()));
            send(message, params);
            ctx.log().info("E-mail sent to {}", String.join(", ", params.recipients()));
        };
    }

    private static Session session(Params p) {
        String protocol = p.smtpSsl() ? "smtps" : "smtp";
        Properties props = new Properties();
        props.put("mail.transport.protocol", protocol);
        props.put("mail." + protocol + ".host", p.smtpHost());
        props.put("mail." + protocol + ".port", String.valueOf(p.smtpPort()));
        props.put("mail." + protocol + ".auth", String.valueOf(p.smtpUser() != null));
        props.put("mail." + protocol + ".starttls.enable", String.valueOf(p.smtpStarttls()));
        props.put("mail." + protocol + ".starttls.required", String.valueOf(p.smtpStarttls()));
        String millis = String.valueOf(p.timeout().toMillis());
        props.put("mail." + protocol + ".connectiontimeout", millis);
        props.put("mail." + protocol + ".timeout", millis);
        props.put("mail." + protocol + ".writetimeout", millis);
        return Session.getInstance(props);
    }

    private static void send(MimeMessage message, Params p) throws MessagingException {
        if (p.smtpUser() != null) {
            Transport.send(message, p.smtpUser(), p.smtpPassword());
        } else {
            Transport.send(message);
        }
    }

    /** {@code [Weft] on_failure_callback: task load of DAG sales: failed} */
    static String defaultSubject(CallbackContext ctx) {
        return "[Weft] " + ctx.event() + ": " + ctx.taskId().map(t -> "task " + t + " of ").orElse("")
                + "DAG " + ctx.dagId() + ": " + ctx.state();
    }

    static String defaultBody(CallbackContext ctx) {
        return "DAG: " + ctx.dagId() + "\nRun: " + ctx.runId() + "\n"
                + ctx.taskId().map(t -> "Task: " + t + "\nTry: " + ctx.tryNumber() + "\n").orElse("")
                + "State: " + ctx.state() + "\n" + ctx.exception().map(e -> "Error: " + e + "\n").orElse("");
    }
}
