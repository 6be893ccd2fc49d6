package dev.weft.engine.variables;

import dev.weft.engine.secrets.SecretMasker;
import dev.weft.engine.template.VariableSource;

import java.util.Optional;

/**
 * The variables as one task try reads them (its templates, its code through {@code TaskContext.variable}): each
 * value of a sensitive key is added to the try's {@link SecretMasker}, so the try's log shows it as
 * {@value SecretMasker#MASK}. For a JSON value, its strings are added too, as a template may print one alone.
 */
public final class TryVariables implements VariableSource {
    private final Variables variables;
    private final SecretMasker masker;

    TryVariables(Variables variables, SecretMasker masker) {
        this.variables = variables;
        this.masker = masker;
    }

    @Override
    public Optional<String> value(String key) {
        Optional<String> value = variables.find(key).map(Variables.Variable::value);
        if (value.isPresent() && variables.isSensitive(key)) {
            masker.add(value.get());
        }
        return value;
    }

    @Override
    public Optional<Object> json(String key) {
        Optional<Object> parsed = VariableSource.super.json(key);
        if (parsed.isPresent() && variables.isSensitive(key)) {
            masker.addStrings(parsed.get());
        }
        return parsed;
    }
}
