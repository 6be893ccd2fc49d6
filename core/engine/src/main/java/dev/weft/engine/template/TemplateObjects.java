package dev.weft.engine.template;

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

    /** {@code ti} and {@code task_instance}: {@code task_id}, {@code dag_id}, {@code run_id}, {@code try_number}. */
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
