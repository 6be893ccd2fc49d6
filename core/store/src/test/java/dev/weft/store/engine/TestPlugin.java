package dev.weft.store.engine;

import dev.weft.engine.xcom.XComs;
import dev.weft.spi.Notifier;
import dev.weft.spi.NotifierFactory;
import dev.weft.spi.Operator;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.OperatorResult;
import dev.weft.spi.Plugin;
import dev.weft.spi.PluginContext;
import dev.weft.spi.PokeResult;
import dev.weft.spi.Sensor;
import dev.weft.spi.SensorFactory;
import dev.weft.spi.TaskFailException;
import dev.weft.spi.WatchedPath;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/** Operators and sensors for engine tests, loaded through ServiceLoader like any plugin. */
public final class TestPlugin implements Plugin {
    /** Conditions the {@code test.condition} sensor reads, by key. */
    public static final Set<String> READY = ConcurrentHashMap.newKeySet();
    /** How many {@code test.block} tries run now, the most seen at once, and the permits that let them finish. */
    public static final AtomicInteger RUNNING = new AtomicInteger();
    public static final AtomicInteger MAX_RUNNING = new AtomicInteger();
    public static final Semaphore RELEASE = new Semaphore(0);
    /** A {@code test.slow_poke} poke gives a permit when it starts, then waits, deaf to cancellation, for one. */
    public static final Semaphore POKING = new Semaphore(0);
    public static final Semaphore SLOW_POKE_RELEASE = new Semaphore(0);
    /** Lets every try of {@code test.deaf} return; until then it ignores cancellation and interrupts alike. */
    public static final java.util.concurrent.CountDownLatch DEAF_RELEASE = new java.util.concurrent.CountDownLatch(1);
    /** Given when a try of {@code test.deaf} started. */
    public static final Semaphore DEAF_STARTED = new Semaphore(0);
    /** How many first tries of {@code test.first_try_waits} run now. */
    public static final AtomicInteger FIRST_TRIES = new AtomicInteger();
    /** The task ids each {@code test.branch} task follows, by its task id (none given: it follows none). */
    public static final Map<String, List<String>> FOLLOW = new ConcurrentHashMap<>();
    /** Remaining failures per task id for {@code test.flaky}. */
    public static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();
    /** What {@code test.record} notified: "event try state: message". */
    public static final List<String> NOTIFIED = new java.util.concurrent.CopyOnWriteArrayList<>();

    public record NoParams() {
    }

    public record Key(String key) {
    }

    public record Text(String text) {
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public List<OperatorFactory<?>> operators() {
        return List.of(
                operator("test.noop", NoParams.class, (p, ctx) -> OperatorResult.success()),
                operator("test.echo", Text.class, (p, ctx) -> {
                    ctx.log().info("echo {}", p.text());
                    return OperatorResult.success();
                }),
                // A careless plugin: logs its sensitive param, which the engine masks.
                sensitive(operator("test.login", Message.class, (p, ctx) -> {
                    ctx.log().info("{} with token {}", p.message(), p.token());
                    return OperatorResult.success();
                }), "token"),
                operator("test.read_variable", Key.class, (p, ctx) -> {
                    String value = ctx.variable(p.key()).orElse("(no such variable)");
                    ctx.log().info("read {}", value);
                    throw new IllegalStateException("failing with " + value + " in the message");
                }),
                // XComs: the first try pushes 'note', every try returns its text and try number.
                operator("test.push", Text.class, (p, ctx) -> {
                    if (ctx.taskKey().tryNumber() == 1) {
                        ctx.xcomPush("note", p.text() + " noted");
                    }
                    return OperatorResult.success(Map.of("text", p.text(), "try", ctx.taskKey().tryNumber()));
                }),
                // Returns its text, and pushes it inside a map as 'copy'.
                operator("test.return_text", Text.class, (p, ctx) -> {
                    ctx.xcomPush("copy", Map.of("nested", List.of(p.text())));
                    return OperatorResult.success(p.text());
                }),
                operator("test.pull", Key.class, (p, ctx) -> {
                    ctx.log().info("pulled {} and {}", ctx.xcomPull(p.key()).orElse("(none)"),
                            ctx.xcomPull(p.key(), "note").orElse("(none)"));
                    return OperatorResult.success();
                }),
                operator("test.big_output", NoParams.class,
                        (p, ctx) -> OperatorResult.success("x".repeat(XComs.DEFAULT_MAX_BYTES))),
                // PostgreSQL stores no U+0000 in JSONB: the store refuses this outcome, always.
                operator("test.nul_output", NoParams.class, (p, ctx) -> OperatorResult.success("a\u0000b")),
                operator("test.fail", NoParams.class, (p, ctx) -> {
                    throw new IllegalStateException("boom");
                }),
                operator("test.flaky", NoParams.class, (p, ctx) -> {
                    AtomicInteger left = FAILURES.get(ctx.taskKey().taskId());
                    if (left != null && left.getAndDecrement() > 0) {
                        throw new IllegalStateException("flaky failure");
                    }
                    return OperatorResult.success("ok");
                }),
                operator("test.skip", NoParams.class, (p, ctx) -> OperatorResult.skipped("nothing to do")),
                operator("test.block", NoParams.class, (p, ctx) -> {
                    int now = RUNNING.incrementAndGet();
                    MAX_RUNNING.accumulateAndGet(now, Math::max);
                    try {
                        RELEASE.acquire();
                    } finally {
                        RUNNING.decrementAndGet();
                    }
                    return OperatorResult.success();
                }),
                operator("test.wait_for_cancel", NoParams.class, (p, ctx) -> {
                    while (!ctx.cancellation().isCancelled()) {
                        Thread.sleep(5);
                    }
                    ctx.cancellation().throwIfCancelled();
                    return OperatorResult.success();
                }),
                // Throws OutOfMemoryError at once, without using memory: more than an array may hold.
                operator("test.huge_allocation", NoParams.class, (p, ctx) ->
                        OperatorResult.success(java.nio.ByteBuffer.allocate(Integer.MAX_VALUE).capacity())),
                operator("test.unprintable_failure", NoParams.class, (p, ctx) -> {
                    throw new IllegalStateException() {
                        @Override
                        public String getMessage() {
                            throw new UnsupportedOperationException("a message that fails to be read");
                        }
                    };
                }),
                // The first try runs until cancelled or interrupted; later tries succeed at once.
                operator("test.first_try_waits", NoParams.class, (p, ctx) -> {
                    if (ctx.taskKey().tryNumber() > 1) {
                        return OperatorResult.success();
                    }
                    FIRST_TRIES.incrementAndGet();
                    try {
                        while (!ctx.cancellation().isCancelled()) {
                            Thread.sleep(5);
                        }
                    } finally {
                        FIRST_TRIES.decrementAndGet();
                    }
                    ctx.cancellation().throwIfCancelled();
                    return OperatorResult.success();
                }),
                // Code that ignores being cancelled and interrupted, until DEAF_RELEASE.
                operator("test.deaf", NoParams.class, (p, ctx) -> {
                    DEAF_STARTED.release();
                    while (DEAF_RELEASE.getCount() > 0) {
                        try {
                            DEAF_RELEASE.await();
                        } catch (InterruptedException ignored) {
                            // deaf on purpose
                        }
                    }
                    return OperatorResult.success();
                }),
                operator("test.branch", NoParams.class, (p, ctx) ->
                        OperatorResult.branch("chosen", FOLLOW.getOrDefault(ctx.taskKey().taskId(), List.of()))),
                operator("test.short_circuit", NoParams.class, (p, ctx) -> OperatorResult.skipAllDownstream(false)),
                operator("test.next_interval", NoParams.class, (p, ctx) -> {
                    ctx.log().info("next interval {}", ctx.nextDataInterval().orElse(null));
                    return OperatorResult.success();
                }),
                operator("test.log_conf", NoParams.class, (p, ctx) -> {
                    ctx.log().info("conf is {}", ctx.conf());
                    return OperatorResult.success(ctx.conf());
                }));
    }

    /** For {@code test.file}: an absolute path, declared to the engine as the file the sensor waits for. */
    public record FilePath(String path) {
    }

    @Override
    public List<SensorFactory<?>> sensors() {
        return List.of(new SensorFactory<FilePath>() {
            @Override
            public String typeId() {
                return "test.file";
            }

            @Override
            public Class<FilePath> paramsType() {
                return FilePath.class;
            }

            @Override
            public List<WatchedPath> watchedPaths(FilePath params) {
                return List.of(new WatchedPath(params.path(), false));
            }

            @Override
            public Sensor<FilePath> create(PluginContext context) {
                return (p, ctx) -> Files.exists(Path.of(p.path())) ? PokeResult.ready()
                        : PokeResult.notYet("no " + p.path());
            }
        }, new SensorFactory<Key>() {
            @Override
            public String typeId() {
                return "test.condition";
            }

            @Override
            public Class<Key> paramsType() {
                return Key.class;
            }

            @Override
            public Sensor<Key> create(PluginContext context) {
                return (p, ctx) -> READY.contains(p.key()) ? PokeResult.ready() : PokeResult.notYet("waiting for " + p.key());
            }
        }, new SensorFactory<NoParams>() {
            @Override
            public String typeId() {
                return "test.third_poke";
            }

            @Override
            public Class<NoParams> paramsType() {
                return NoParams.class;
            }

            /** Ready at its third poke, counted in its memo: what a try keeps between its re-pokes. */
            @Override
            public Sensor<NoParams> create(PluginContext context) {
                return (p, ctx) -> {
                    int pokes = Integer.parseInt(ctx.memo().getOrDefault("pokes", "0")) + 1;
                    ctx.memo().put("pokes", String.valueOf(pokes));
                    return pokes >= 3 ? PokeResult.ready() : PokeResult.notYet("poke " + pokes);
                };
            }
        }, new SensorFactory<NoParams>() {
            @Override
            public String typeId() {
                return "test.slow_poke";
            }

            @Override
            public Class<NoParams> paramsType() {
                return NoParams.class;
            }

            @Override
            public Sensor<NoParams> create(PluginContext context) {
                return (p, ctx) -> {
                    POKING.release();
                    SLOW_POKE_RELEASE.acquireUninterruptibly();
                    return PokeResult.notYet("still slow");
                };
            }
        }, new SensorFactory<Outcome>() {
            @Override
            public String typeId() {
                return "test.poke_fails";
            }

            @Override
            public Class<Outcome> paramsType() {
                return Outcome.class;
            }

            @Override
            public Sensor<Outcome> create(PluginContext context) {
                return (p, ctx) -> switch (p.outcome()) {
                    case "failed" -> PokeResult.failed("the condition can never hold");
                    case "fail_exception" -> throw new TaskFailException("no point in retrying");
                    default -> throw new IllegalStateException("poke broke");
                };
            }
        });
    }

    /** For {@code test.record}: the message (templated) and a secret that may appear in it. */
    public record Message(String message, String token) {
    }

    @Override
    public List<NotifierFactory<?>> notifiers() {
        return List.of(new NotifierFactory<Message>() {
            @Override
            public String typeId() {
                return "test.record";
            }

            @Override
            public Class<Message> paramsType() {
                return Message.class;
            }

            @Override
            public Set<String> sensitiveParams() {
                return Set.of("token");
            }

            @Override
            public Notifier<Message> create(PluginContext context) {
                return (p, ctx) -> {
                    NOTIFIED.add(ctx.event() + " " + ctx.tryNumber() + " " + ctx.state() + ": " + p.message());
                    ctx.log().info("recorded {}", p.message());
                };
            }
        });
    }

    /** For {@code test.poke_fails}: {@code failed} (a Failed result), {@code fail_exception}, or any error. */
    public record Outcome(String outcome) {
    }

    private static <P> OperatorFactory<P> sensitive(OperatorFactory<P> factory, String param) {
        return new OperatorFactory<>() {
            @Override
            public String typeId() {
                return factory.typeId();
            }

            @Override
            public Class<P> paramsType() {
                return factory.paramsType();
            }

            @Override
            public Set<String> sensitiveParams() {
                return Set.of(param);
            }

            @Override
            public Operator<P> create(PluginContext context) {
                return factory.create(context);
            }
        };
    }

    private static <P> OperatorFactory<P> operator(String id, Class<P> params, Operator<P> operator) {
        return new OperatorFactory<>() {
            @Override
            public String typeId() {
                return id;
            }

            @Override
            public Class<P> paramsType() {
                return params;
            }

            @Override
            public Operator<P> create(PluginContext context) {
                return operator;
            }
        };
    }
}
