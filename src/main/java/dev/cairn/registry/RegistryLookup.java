package dev.cairn.registry;

import dev.cairn.common.CairnException;
import dev.cairn.registry.ModelRefRepository.ModelRef;
import dev.cairn.registry.ModelVersionRepository.Row;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The model and version lookups the registry's services share, on the caller's connection, with MLflow's
 * not-found messages: a model by name (optionally row-locked), a live version by number, the newest in a
 * stage, and the version an alias names.
 */
final class RegistryLookup {

    private RegistryLookup() {
    }

    static ModelRef model(Connection c, String name) throws SQLException {
        RegistryInput.require("name", name);
        return ModelRefRepository.find(c, name).orElseThrow(() -> modelNotFound(name));
    }

    /** The model with its row lock: the first step of every registry change. */
    static ModelRef lockModel(Connection c, String name) throws SQLException {
        RegistryInput.require("name", name);
        return ModelRefRepository.lock(c, name).orElseThrow(() -> modelNotFound(name));
    }

    static Row version(Connection c, ModelRef m, int number) throws SQLException {
        return ModelVersionRepository.find(c, m.id(), number).orElseThrow(() -> CairnException.notFound(
                "Model Version (name=" + m.name() + ", version=" + number + ") not found"));
    }

    /** The highest version among the given stages. */
    static Optional<Row> latest(Connection c, ModelRef m, List<Stage> stages) throws SQLException {
        return ModelVersionRepository.latestPerStage(c, m.id(), stages).stream()
                .max((a, b) -> Integer.compare(a.version(), b.version()));
    }

    /** The newest version whatever its stage ({@code latest} in a models:/ URI or as an alias). */
    static Row newest(Connection c, ModelRef m) throws SQLException {
        return latest(c, m, Arrays.asList(Stage.PUBLIC)).orElseThrow(() -> CairnException.notFound(
                "Registered Model with name=" + m.name() + " has no versions"));
    }

    static Row inStage(Connection c, ModelRef m, Stage stage) throws SQLException {
        return latest(c, m, List.of(stage)).orElseThrow(() -> CairnException.notFound(
                "Registered Model with name=" + m.name() + " has no version in stage " + stage.wire()));
    }

    /** MLflow resolves {@code latest} to the newest version whatever its stage; other unknown aliases are 400s. */
    static Row byAlias(Connection c, ModelRef m, String alias) throws SQLException {
        RegistryInput.require("alias", alias);
        if (alias.equalsIgnoreCase("latest")) {
            return newest(c, m);
        }
        int number = AliasRepository.find(c, m.id(), alias).orElseThrow(() -> CairnException.invalid(
                "Registered model alias " + alias + " not found."));
        return version(c, m, number);
    }

    /** The live version behind {@code mlflow-artifacts:/registry/<model id>/<version>}, if the parts name one. */
    static Optional<Row> stored(Connection c, String modelId, String version) throws SQLException {
        OptionalInt number = RegistryInput.parseVersion(version);
        if (!modelId.matches("[0-9]{1,18}") || number.isEmpty()) {
            return Optional.empty();
        }
        return ModelVersionRepository.find(c, Long.parseLong(modelId), number.getAsInt());
    }

    static CairnException modelNotFound(String name) {
        return CairnException.notFound("Registered Model with name=" + name + " not found");
    }
}
