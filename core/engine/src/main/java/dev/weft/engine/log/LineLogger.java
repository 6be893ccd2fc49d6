package dev.weft.engine.log;

import dev.weft.engine.secrets.SecretMasker;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * An slf4j {@link org.slf4j.Logger} that turns each call into text lines ({@code LEVEL message}, then the stack
 * trace of a throwable) and hands them to a sink: how a task's logger writes into its try's log. With a
 * {@link SecretMasker}, the secrets the try has read are masked in each line before the sink sees it.
 */
public final class LineLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    /** Compiled once: String.split("\\R") compiles its pattern at every call, i.e. at every line a task logs. */
    private static final Pattern LINE_BREAK = Pattern.compile("\\R");
    private final transient Consumer<String> sink;
    private final Level threshold;

    public LineLogger(String name, Level threshold, Consumer<String> sink) {
        this(name, threshold, null, sink);
    }

    public LineLogger(String name, Level threshold, SecretMasker masker, Consumer<String> sink) {
        this.name = name;
        this.threshold = threshold;
        this.sink = masker == null ? sink : line -> sink.accept(masker.mask(line));
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                               Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
        if (!hasLineBreak(message)) {
            sink.accept(level + " " + message); // most lines: no regular expression to run
        } else {
            for (String line : LINE_BREAK.split(message, -1)) {
                sink.accept(level + " " + line);
            }
        }
        if (throwable != null) {
            StringWriter trace = new StringWriter();
            throwable.printStackTrace(new PrintWriter(trace));
            for (String line : LINE_BREAK.split(trace.toString())) {
                sink.accept(line);
            }
        }
    }

    /** Whether {@link #LINE_BREAK} would split {@code text}: it holds one of the characters {@code \R} matches. */
    private static boolean hasLineBreak(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= '\n' && c <= '\r') || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    private boolean enabled(Level level) {
        return level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }
}
