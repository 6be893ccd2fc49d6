package dev.weft.store.engine;

import org.jdbi.v3.core.ConnectionException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Store ports that fail on demand: a call of a method named in {@link #fail} throws (by default what a connection the
 * database terminated throws) instead of reaching the database, until {@link #heal}.
 */
public final class StoreFaults {
    private final Map<String, Supplier<? extends Throwable>> failing = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> thrown = new ConcurrentHashMap<>();

    public void fail(String method) {
        fail(method, () -> new ConnectionException(new SQLException(
                "FATAL: terminating connection due to administrator command", "57P01")));
    }

    public void fail(String method, Supplier<? extends Throwable> throwable) {
        failing.put(method, throwable);
    }

    public void heal() {
        failing.clear();
    }

    /** How often a call of {@code method} failed. */
    public int thrown(String method) {
        AtomicInteger n = thrown.get(method);
        return n == null ? 0 : n.get();
    }

    public <T> T wrap(Class<T> port, T store) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[]{port}, (proxy, method, args) -> {
            Supplier<? extends Throwable> fault = failing.get(method.getName());
            if (fault != null) {
                thrown.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
                throw fault.get();
            }
            try {
                return method.invoke(store, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
