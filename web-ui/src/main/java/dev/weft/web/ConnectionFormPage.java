package dev.weft.web;

/**
 * Adds or edits one connection. It holds no password (only whether one is stored), and the extra as shown, with
 * sensitive values as {@code ***}; after an error it shows what was typed but the password, and the reason.
 */
public final class ConnectionFormPage extends Page {
    private final boolean editing;
    private final ConnectionForm form;
    private final boolean passwordStored;
    private final String error;
    private final String errorField;

    ConnectionFormPage(PageUser user, boolean editing, ConnectionForm form, boolean passwordStored, String error,
                       String errorField) {
        super("connection-form.mustache", editing ? "Edit connection · " + form.connId() : "Add connection", user,
                "admin");
        this.editing = editing;
        this.form = form.shown();
        this.passwordStored = passwordStored;
        this.error = error;
        this.errorField = errorField;
    }

    public boolean isConnectionsTab() {
        return true;
    }

    public boolean isEditing() {
        return editing;
    }

    /** The fields to show: never the password. */
    public ConnectionForm getForm() {
        return form;
    }

    public boolean isPasswordStored() {
        return passwordStored;
    }

    public String getError() {
        return error;
    }

    public boolean isPortError() {
        return "port".equals(errorField);
    }

    public boolean isExtraError() {
        return "extra".equals(errorField);
    }
}
