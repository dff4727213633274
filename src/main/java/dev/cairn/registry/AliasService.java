package dev.cairn.registry;

import dev.cairn.common.Caller;
import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.common.Validation;
import dev.cairn.registry.ModelRefRepository.ModelRef;
import dev.cairn.registry.ModelVersionRepository.Row;
import dev.cairn.registry.RegistryAudit.Action;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Aliases of a registered model: set (or move), delete, and MLflow's get-by-alias. Changes lock the model's
 * row first and record the move in the audit history under that lock.
 */
@ApplicationScoped
public class AliasService {

    @Inject Caller caller;

    @Inject RegistryEvents events;

    /** MLflow's {@code MAX_REGISTERED_MODEL_ALIAS_LENGTH}. */
    static final int MAX_ALIAS_LENGTH = 255;

    private static final Pattern ALIAS = Pattern.compile("^[\\w\\-]*$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern RESERVED_ALIAS = Pattern.compile("^(latest|[vV]\\d+)$", Pattern.CASE_INSENSITIVE);

    @Inject AgroalDataSource dataSource;

    /** Points an alias at a version (moving it if it exists); the version must be live. */
    @Transactional
    public void setAlias(String name, String alias, String version, String comment) {
        Jdbc.run(dataSource, c -> move(c, name, alias, version, comment));
    }

    /**
     * The move itself, on the caller's transactional connection; returns the version the alias now names,
     * read under the model's row lock that the move took, so it describes this move whatever other clients
     * do once the transaction commits.
     */
    Row move(Connection c, String name, String alias, String version, String comment) throws SQLException {
        validateAlias(alias);
        int number = RegistryInput.version(version);
        RegistryInput.comment(comment);
        ModelRef m = RegistryLookup.lockModel(c, name);
        Row row = RegistryLookup.version(c, m, number);
        Optional<Integer> before = AliasRepository.find(c, m.id(), alias);
        if (before.isPresent() && before.get() == number) {
            return row; // already there: nothing changed, nothing to record
        }
        AliasRepository.put(c, m.id(), alias, number);
        long now = System.currentTimeMillis();
        ModelRefRepository.touch(c, m.id(), now);
        AuditRepository.record(c, caller.auditName(), m.id(), m.name(), now,
                RegistryAudit.alias(Action.ALIAS_SET, alias, before.orElse(null), number).comment(comment));
        events.aliasMoved(c, m, alias, before.orElse(null), number, caller.auditName());
        return row;
    }

    /** A missing alias is a no-op (MLflow); a missing model is a 404. */
    @Transactional
    public void deleteAlias(String name, String alias, String comment) {
        RegistryInput.require("name", name);
        RegistryInput.require("alias", alias);
        RegistryInput.comment(comment);
        Jdbc.run(dataSource, c -> {
            ModelRef m = RegistryLookup.lockModel(c, name);
            Optional<Integer> before = AliasRepository.find(c, m.id(), alias);
            if (before.isPresent()) {
                AliasRepository.remove(c, m.id(), alias);
                events.aliasMoved(c, m, alias, before.get(), null, caller.auditName());
                long now = System.currentTimeMillis();
                ModelRefRepository.touch(c, m.id(), now);
                AuditRepository.record(c, caller.auditName(), m.id(), m.name(), now,
                        RegistryAudit.alias(Action.ALIAS_DELETED, alias, before.get(), null).comment(comment));
            }
        });
    }

    /** MLflow get-model-version-by-alias ({@code latest} is the newest version; an unknown alias is a 400). */
    @Transactional
    public ModelVersionView byAlias(String name, String alias) {
        return Jdbc.call(dataSource, c -> VersionViews.of(c,
                RegistryLookup.byAlias(c, RegistryLookup.model(c, name), alias)));
    }

    static void validateAlias(String alias) {
        RegistryInput.require("alias", alias);
        // MLflow's name for the field in its length message (_validate_model_alias_name)
        Validation.maxLength("Registered model alias name", alias, MAX_ALIAS_LENGTH);
        if (!ALIAS.matcher(alias).matches()) {
            throw CairnException.invalid("Invalid alias name: '" + alias + "'. Aliases may only contain "
                    + "alphanumerics, underscores and dashes.");
        }
        if (RESERVED_ALIAS.matcher(alias).matches()) {
            throw CairnException.invalid("'" + alias + "' is a reserved alias name: 'latest' and names of the form "
                    + "v<number> cannot be used as aliases.");
        }
    }
}
