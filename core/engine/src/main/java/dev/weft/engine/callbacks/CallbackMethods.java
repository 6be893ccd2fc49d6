package dev.weft.engine.callbacks;

import dev.weft.spi.CallbackContext;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

/**
 * Callables named as callbacks ({@code com.acme.Alerts::taskFailed}): one public static method of the DAG's code,
 * taking a {@link CallbackContext} or nothing. Resolved when the DAG loads (to report a typo then) and again when the
 * callback runs.
 */
public final class CallbackMethods {
    private CallbackMethods() {
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code reference} and how to write it */
    public static Method resolve(String reference, ClassLoader loader) {
        int sep = reference.indexOf("::");
        if (sep <= 0 || sep + 2 >= reference.length()) {
            throw new IllegalArgumentException("callable '" + reference + "' is not written Class::method, e.g."
                    + " com.acme.Alerts::taskFailed");
        }
        String className = reference.substring(0, sep).strip();
        String methodName = reference.substring(sep + 2).strip();
        Class<?> owner;
        try {
            owner = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("callable '" + reference + "': class " + className
                    + " is not found by the DAG's class loader (write its fully qualified name)");
        }
        List<Method> candidates = Arrays.stream(owner.getMethods())
                .filter(m -> m.getName().equals(methodName) && Modifier.isStatic(m.getModifiers())
                        && (m.getParameterCount() == 0 || m.getParameterCount() == 1
                        && m.getParameterTypes()[0] == CallbackContext.class))
                .toList();
        if (candidates.size() != 1) {
            throw new IllegalArgumentException("callable '" + reference + "': " + owner.getName() + " needs exactly one"
                    + " public static method " + methodName + "(CallbackContext) or " + methodName + "(), found "
                    + candidates.size());
        }
        Method method = candidates.get(0);
        method.trySetAccessible(); // a public method of a non-public class
        return method;
    }
}
