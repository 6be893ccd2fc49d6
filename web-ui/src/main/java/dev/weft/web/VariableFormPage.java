package dev.weft.web;

/** Adds or edits one variable; after an error it shows what was typed and the reason. */
public final class VariableFormPage extends Page {
    private final boolean editing;
    private final String key;
    private final String value;
    private final String description;
    private final boolean sensitive;
    private final String error;

    /** {@code value} is what may be shown: {@code ***} for a sensitive key's stored value. */
    VariableFormPage(PageUser user, boolean editing, String key, String value, String description, boolean sensitive,
                     String error) {
        super("variable-form.mustache", editing ? "Edit variable · " + key : "Add variable", user, "admin");
        this.editing = editing;
        this.key = key;
        this.value = value;
        this.description = description;
        this.sensitive = sensitive;
        this.error = error;
    }

    public boolean isVariablesTab() {
        return true;
    }

    public boolean isEditing() {
        return editing;
    }

    public String getKey() {
        return key;
    }

    public String getValue() {
        return value;
    }

    public String getDescription() {
        return description;
    }

    public boolean isSensitive() {
        return sensitive;
    }

    public String getError() {
        return error;
    }
}
