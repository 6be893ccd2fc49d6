package dev.weft.spi;

/** What {@link TaskTypeFactory#validate} may consult while a DAG loads. */
public interface DefinitionContext {
    String dagId();

    String taskId();

    /** The class loader of the code that defined the DAG, for resolving callables it names. */
    ClassLoader dagClassLoader();
}
