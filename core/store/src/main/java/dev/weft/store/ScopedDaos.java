package dev.weft.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.extension.HandleSupplier;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * DAOs that act as Jdbi's on-demand ones, except inside a unit of work that holds a handle on the calling thread (a
 * loop's pass on one connection, a transaction): there they are attached to that handle once and reused, where an
 * on-demand DAO attaches anew at every call. Attaching builds a proxy and looks the extension's metadata up: a fifth
 * to a third of a scheduler's or worker's CPU in a profile of the split topology.
 */
final class ScopedDaos {
    private ScopedDaos() {
    }

    static <T> T create(Jdbi jdbi, Class<T> type) {
        T onDemand = jdbi.onDemand(type);
        // Per thread, the handle the DAO was last attached to and that attachment; a new handle replaces both.
        ThreadLocal<Attached> attached = new ThreadLocal<>();
        InvocationHandler dispatch = (proxy, method, args) -> {
            Object target = onDemand;
            HandleSupplier scope = method.getDeclaringClass() == Object.class ? null : jdbi.getHandleScope().get();
            if (scope != null) {
                Handle handle = scope.getHandle();
                Attached last = attached.get();
                if (last == null || last.handle() != handle) {
                    last = new Attached(handle, handle.attach(type));
                    attached.set(last);
                }
                target = last.dao();
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, dispatch));
    }

    private record Attached(Handle handle, Object dao) {
    }
}
