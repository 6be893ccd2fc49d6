package dev.weft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A command that calls the REST API, with the {@link CommonOptions}: it implements {@link #execute}, or
 * {@link #call} when it checks its arguments before connecting or picks its own exit code.
 */
abstract class ApiCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    PrintStream out() {
        return System.out;
    }

    void rows(List<String> columns, List<Map<String, Object>> rows) {
        Output.rows(out(), common.output, columns, rows);
    }

    /** Records of the API model as rows, their properties as columns. */
    void recordRows(List<String> columns, List<? extends Record> records) {
        rows(columns, records.stream().map(Json::toMap).toList());
    }

    @Override
    public Integer call() {
        execute(common.client());
        return 0;
    }

    abstract void execute(WeftClient api);
}
