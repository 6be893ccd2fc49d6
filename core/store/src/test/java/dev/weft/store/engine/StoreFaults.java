package dev.weft.store.engine;

import org.jdbi.v3.core.ConnectionException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
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
    private final Set<String> failingAfter = ConcurrentHashMap.newKeySet();

    public void fail(String method) {
        fail(method, StoreFaults::terminated);
    }

    public void fail(String method, Supplier<? extends Throwable> throwable) {
        failing.put(method, throwable);
    }

    /** Lets the next calls of {@code method} do their work (and commit), then throw as if the answer was lost. */
    public void failAfter(String method) {
        failingAfter.add(method);
    }

    public void heal() {
        failingAfter.clear();
        failing.clear();
    }

    /** How often a call of {@code method} failed. */
    public int thrown(String method) {
        AtomicInteger n = thrown.get(method);
        return n == null ? 0 : n.get();
    }

    /** What a call on a connection the database terminated throws. */
    private static ConnectionException terminated() {
        return new ConnectionException(new SQLException(
                "FATAL: terminating connection due to administrator command", "57P01"));
    }

    public <T> T wrap(Class<T> port, T store) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[]{port}, (proxy, method, args) -> {
            Supplier<? extends Throwable> fault = failing.get(method.getName());
            if (fault != null) {
                thrown.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
                throw fault.get();
            }
            Object answer;
            try {
                answer = method.invoke(store, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (failingAfter.contains(method.getName())) {
                thrown.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
                throw terminated();
            }
            return answer;
        }));
    }
}
