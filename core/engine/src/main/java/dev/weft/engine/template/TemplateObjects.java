package dev.weft.engine.template;

import com.hubspot.jinjava.el.ext.NamedParameter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The objects behind {@code dag_run}, {@code ti} / {@code task_instance}, {@code task} and {@code dag} in a
 * template. Templates read them with snake_case names ({@code {{ ti.try_number }}} calls {@link TaskInstance#getTryNumber()}).
 * Immutable.
 */
public final class TemplateObjects {
    private TemplateObjects() {
    }

    /** {@code dag_run}: {@code conf}, {@code run_id}, {@code run_type}, {@code external_trigger}, dates. */
    public static final class DagRun {
        private final TemplateContext context;
        private final PyDateTime logicalDate;

        DagRun(TemplateContext context, PyDateTime logicalDate) {
            this.context = context;
            this.logicalDate = logicalDate;
        }

        public String getDagId() {
            return context.dagId();
        }

        public String getRunId() {
            return context.runId();
        }

        /** {@code scheduled}, {@code manual} or {@code backfill}. */
        public String getRunType() {
            return context.runType().wireName();
        }

        public boolean isExternalTrigger() {
            return context.externalTrigger();
        }

        /** The trigger's conf, {@code {}} when none. */
        public PyDict getConf() {
            return (PyDict) context.conf();
        }

        public PyDateTime getLogicalDate() {
            return logicalDate;
        }

        public PyDateTime getDataIntervalStart() {
            return PyDateTime.of(context.dataInterval().start());
        }

        public PyDateTime getDataIntervalEnd() {
            return PyDateTime.of(context.dataInterval().end());
        }

        @Override
        public String toString() {
            return "<DagRun " + context.dagId() + " @ " + logicalDate + ": " + context.runId()
                    + ", externally triggered: " + (context.externalTrigger() ? "True" : "False") + ">";
        }
    }

    /**
     * {@code ti} and {@code task_instance}: {@code task_id}, {@code dag_id}, {@code run_id}, {@code try_number}, and
     * {@code xcom_pull(...)}.
     */
    public static final class TaskInstance {
        private final TemplateContext context;

        TaskInstance(TemplateContext context) {
            this.context = context;
        }

        public String getTaskId() {
            return context.taskId();
        }

        public String getDagId() {
            return context.dagId();
        }

        public String getRunId() {
            return context.runId();
        }

        public int getTryNumber() {
            return context.tryNumber();
        }

        /**
         * Airflow's {@code ti.xcom_pull(task_ids, key='return_value', default=None)} within this run: for one task id
         * its value (the default when it has none), for a list of ids the list of the values found, in that order.
         * {@code task_ids} may be the first argument without its name.
         */
        public Object xcom_pull(Object... arguments) {
            Object taskIds = null;
            String key = "return_value";
            Object defaultValue = null;
            for (int i = 0; i < arguments.length; i++) {
                if (!(arguments[i] instanceof NamedParameter named)) {
                    if (i > 0) {
                        throw new IllegalArgumentException("xcom_pull() takes task_ids as its only positional"
                                + " argument; name the others, e.g. xcom_pull(task_ids='extract', key='rows')");
                    }
                    taskIds = arguments[i];
                    continue;
                }
                switch (named.getName()) {
                    case "task_ids" -> taskIds = named.getValue();
                    case "key" -> key = String.valueOf(named.getValue());
                    case "default" -> defaultValue = named.getValue();
                    default -> throw new IllegalArgumentException("xcom_pull() got an unsupported keyword argument '"
                            + named.getName() + "'; Weft's takes task_ids, key and default (XComs of this run)");
                }
            }
            if (taskIds instanceof String taskId) {
                return pull(taskId, key).orElse(defaultValue);
            }
            if (taskIds instanceof Iterable<?> ids) {
                List<Object> values = new ArrayList<>();
                for (Object id : ids) {
                    pull(String.valueOf(id), key).ifPresent(values::add);
                }
                return PyList.copyOf(values);
            }
            throw new IllegalArgumentException("xcom_pull() needs task_ids: a task id or a list of them, e.g."
                    + " xcom_pull(task_ids='extract')");
        }

        private Optional<Object> pull(String taskId, String key) {
            return context.xcomSource().pull(taskId, key).map(TemplateVariables::pythonic);
        }

        @Override
        public String toString() {
            return "<TaskInstance: " + context.dagId() + "." + context.taskId() + " " + context.runId() + ">";
        }
    }

    /** {@code task}: {@code task_id}, {@code dag_id}. */
    public static final class Task {
        private final TemplateContext context;

        Task(TemplateContext context) {
            this.context = context;
        }

        public String getTaskId() {
            return context.taskId();
        }

        public String getDagId() {
            return context.dagId();
        }

        @Override
        public String toString() {
            return "<Task: " + context.taskId() + ">";
        }
    }

    /** {@code dag}: {@code dag_id}. */
    public static final class Dag {
        private final String dagId;

        Dag(String dagId) {
            this.dagId = dagId;
        }

        public String getDagId() {
            return dagId;
        }

        @Override
        public String toString() {
            return "<DAG: " + dagId + ">";
        }
    }
}
