package dev.weft.engine.template;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An immutable, deep copy of a JSON-like list that prints like a Python list: {@code ['a', 1, True]}.
 * See {@link PyDict}.
 */
public final class PyList extends AbstractList<Object> {
    private final List<Object> items;

    private PyList(List<Object> items) {
        this.items = items;
    }

    /** A deep, immutable copy of {@code list}; a {@code PyList} is returned as is. */
    public static PyList copyOf(List<?> list) {
        if (list instanceof PyList py) {
            return py;
        }
        List<Object> copy = new ArrayList<>(list.size());
        for (Object item : list) {
            copy.add(PyDict.wrap(item));
        }
        return new PyList(Collections.unmodifiableList(copy));
    }

    @Override
    public Object get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public String toString() {
        return PyRepr.repr(this);
    }
}
