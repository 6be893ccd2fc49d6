package dev.weft.store.engine;

import dev.weft.spi.CallbackContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Callables for callback tests: each call is recorded as "event task try state: exception". */
public final class Recorder {
    public static final List<String> CALLS = new CopyOnWriteArrayList<>();

    private Recorder() {
    }

    public static void record(CallbackContext ctx) {
        CALLS.add(ctx.event() + " " + ctx.taskId().orElse("-") + " " + ctx.tryNumber() + " " + ctx.state() + ": "
                + ctx.exception().orElse("-"));
        ctx.log().info("recorded for run {} with conf {}", ctx.runId(), ctx.conf());
    }

    public static void explode(CallbackContext ctx) {
        throw new IllegalStateException("the callback itself broke");
    }
}
