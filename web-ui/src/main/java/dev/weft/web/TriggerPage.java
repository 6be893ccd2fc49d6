package dev.weft.web;

import java.util.List;

/** The trigger form: conf as JSON (checked as you type and again on the server), the DAG's params, run id, date. */
public final class TriggerPage extends Page {
    /** A field built from one of the DAG's params; {@code json} when its value is not text. */
    public record ParamField(String name, String value, boolean json, String kind) {
        public String getFieldName() {
            return "param." + name;
        }
    }

    private final String dagId;
    private final String description;
    private final List<ParamField> params;
    private final String conf;
    private final String runId;
    private final String logicalDate;
    private final String error;
    private final String errorField;

    TriggerPage(PageUser user, String dagId, String description, List<ParamField> params, String conf, String runId,
                String logicalDate, String error, String errorField) {
        super("trigger.mustache", "Trigger · " + dagId, user, "dags");
        this.dagId = dagId;
        this.description = description;
        this.params = params;
        this.conf = conf;
        this.runId = runId;
        this.logicalDate = logicalDate;
        this.error = error;
        this.errorField = errorField;
    }

    public String getDagId() {
        return dagId;
    }

    public String getDagIdUrl() {
        return Urls.encode(dagId);
    }

    public String getDescription() {
        return description;
    }

    public List<ParamField> getParams() {
        return params;
    }

    public boolean isHasParams() {
        return !params.isEmpty();
    }

    public String getConf() {
        return conf;
    }

    public String getRunId() {
        return runId;
    }

    public String getLogicalDate() {
        return logicalDate;
    }

    public String getError() {
        return error;
    }

    public boolean isConfError() {
        return "conf".equals(errorField);
    }
}
