package dev.weft.web;

import io.dropwizard.views.common.View;

import java.nio.charset.StandardCharsets;

/**
 * A page of the UI: its template (next to the page classes), its title, the user, and which entry of the navigation
 * it belongs to. Templates include {@code layout-top} and {@code layout-bottom}, which read these.
 */
public abstract class Page extends View {
    private final String title;
    private final PageUser user;
    private final String section;

    protected Page(String template, String title, PageUser user, String section) {
        super(template, StandardCharsets.UTF_8);
        this.title = title;
        this.user = user;
        this.section = section;
    }

    public String getTitle() {
        return title;
    }

    public PageUser getUser() {
        return user;
    }

    public String getCsrf() {
        return user == null ? "" : user.csrf();
    }

    public boolean isNavDags() {
        return "dags".equals(section);
    }

    public boolean isNavDependencies() {
        return "dependencies".equals(section);
    }

    public boolean isNavDatasets() {
        return "datasets".equals(section);
    }

    public boolean isNavBrowse() {
        return "browse".equals(section);
    }

    public boolean isNavAdmin() {
        return "admin".equals(section);
    }
}
