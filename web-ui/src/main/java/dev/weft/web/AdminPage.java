package dev.weft.web;

import java.util.List;

/** The admin pages (pools, plugins, import errors, users), one template with a sub-navigation. */
public final class AdminPage extends Page {
    /** {@code deadlockSince} is set while every slot is held by poke-mode sensors and other tasks wait. */
    public record PoolRow(String name, int slots, int running, int queued, int scheduled, int open,
                          String description, String deadlockSince) {
    }

    public record PluginRow(String name, String version, String source, String operators, String sensors,
                            String notifiers) {
    }

    /** A source that failed and its problems, one a line. */
    public record Problem(String source, List<String> lines) {
    }

    public record UserRow(String username, String role, String name, String email, boolean active, String created,
                          String lockedUntil) {
    }

    private final String tab;
    private List<PoolRow> pools = List.of();
    private List<PluginRow> plugins = List.of();
    private List<Problem> problems = List.of();
    private List<UserRow> users = List.of();

    private AdminPage(PageUser user, String tab, String title) {
        super("admin.mustache", title, user, "admin");
        this.tab = tab;
    }

    static AdminPage pools(PageUser user, List<PoolRow> pools) {
        AdminPage page = new AdminPage(user, "pools", "Pools");
        page.pools = pools;
        return page;
    }

    static AdminPage plugins(PageUser user, List<PluginRow> loaded, List<Problem> failed) {
        AdminPage page = new AdminPage(user, "plugins", "Plugins");
        page.plugins = loaded;
        page.problems = failed;
        return page;
    }

    static AdminPage importErrors(PageUser user, List<Problem> errors) {
        AdminPage page = new AdminPage(user, "import-errors", "Import errors");
        page.problems = errors;
        return page;
    }

    static AdminPage users(PageUser user, List<UserRow> users) {
        AdminPage page = new AdminPage(user, "users", "Users");
        page.users = users;
        return page;
    }

    public boolean isPoolsTab() {
        return tab.equals("pools");
    }

    public boolean isPluginsTab() {
        return tab.equals("plugins");
    }

    public boolean isImportErrorsTab() {
        return tab.equals("import-errors");
    }

    public boolean isUsersTab() {
        return tab.equals("users");
    }

    public List<PoolRow> getPools() {
        return pools;
    }

    public List<PluginRow> getPlugins() {
        return plugins;
    }

    public List<Problem> getProblems() {
        return problems;
    }

    public List<UserRow> getUsers() {
        return users;
    }
}
