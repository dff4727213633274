package dev.cairn.registry;

import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.registry.ModelRefRepository.ModelRef;
import dev.cairn.registry.ModelVersionRepository.Row;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What deployment tools and downloaders ask of the registry: a stage, alias or version resolved to a version
 * with its pinned files (the native deployment API, the UI's version page), and where MLflow clients download
 * a version's files ({@code mlflow-artifacts:/registry/<model id>/<version>}, served by the artifacts proxy).
 */
@ApplicationScoped
public class DeploymentService {

    /** Where MLflow clients download a version's pinned files through the mlflow-artifacts proxy. */
    public static final String STORAGE_PREFIX = "registry";

    @Inject AgroalDataSource dataSource;

    @Inject AliasService aliases;

    @Inject StageTransitions stages;

    @Inject MoveGuard guard;

    /** A version resolved for download: the version and its pinned files. */
    public record Resolved(ModelVersionView version, List<ArtifactFile> files, MoveGuard.Placement placement) {

        /** The canonical manifest of the pinned files: its SHA-256 is the version's manifest digest. */
        public Manifest manifest() {
            return new Manifest(files.stream().map(f -> new Manifest.File(f.path(), f.size(), f.sha256())).toList());
        }

        /**
         * What the resolution means (version, manifest digest, stage, aliases), for a weak ETag: it changes
         * exactly when a deployment would need to act, while presigned links differ on every call.
         */
        public String revision() {
            ModelVersionView v = version;
            String meaning = v.name() + "\0" + v.version() + "\0" + v.manifestDigest() + "\0" + v.stage().wire()
                    + "\0" + String.join(",", v.aliases());
            try {
                byte[] h = MessageDigest.getInstance("SHA-256").digest(meaning.getBytes(StandardCharsets.UTF_8));
                return "v" + v.version() + "-" + HexFormat.of().formatHex(h, 0, 12);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The storage location a new version gets: its files as the mlflow-artifacts proxy serves them. */
    static String storageLocation(long modelId, int version) {
        return "mlflow-artifacts:/" + STORAGE_PREFIX + "/" + modelId + "/" + version;
    }

    /** The highest live version in a stage, with its pinned files. */
    @Transactional
    public Resolved resolveStage(String name, String stageName) {
        Stage stage = Stage.parse(stageName);
        return sql(c -> resolved(c, RegistryLookup.inStage(c, RegistryLookup.model(c, name), stage)));
    }

    /** As MLflow's get-by-alias, except that an unknown alias is a 404 (MLflow answers 400). */
    @Transactional
    public Resolved resolveAlias(String name, String alias) {
        RegistryInput.require("alias", alias);
        return sql(c -> {
            ModelRef m = RegistryLookup.model(c, name);
            if (alias.equalsIgnoreCase("latest")) {
                return resolved(c, RegistryLookup.newest(c, m));
            }
            // The alias is read once: a second read (MLflow's byAlias) could find it deleted meanwhile and
            // answer MLflow's 400 for an alias this request had just seen.
            int number = AliasRepository.find(c, m.id(), alias).orElseThrow(() -> CairnException.notFound(
                    "Registered model " + name + " has no alias " + alias));
            return resolved(c, RegistryLookup.version(c, m, number), alias);
        });
    }

    @Transactional
    public Resolved resolveVersion(String name, String version) {
        int number = RegistryInput.version(version);
        return sql(c -> resolved(c, RegistryLookup.version(c, RegistryLookup.model(c, name), number)));
    }

    /** The version behind {@code mlflow-artifacts:/registry/<model_id>/<version>}, if there is one. */
    @Transactional
    public Optional<Resolved> storage(String modelId, String version) {
        return sql(c -> {
            Optional<Row> row = RegistryLookup.stored(c, modelId, version);
            return row.isEmpty() ? Optional.<Resolved>empty() : Optional.of(resolved(c, row.get()));
        });
    }

    /** MLflow get-download-uri: the version's storage location. */
    @Transactional
    public String downloadUri(String name, String version) {
        int number = RegistryInput.version(version);
        return sql(c -> RegistryLookup.version(c, RegistryLookup.model(c, name), number).storageLocation());
    }

    /**
     * Moves an alias and answers the new resolution, in one transaction: the answer is built from the row the
     * move wrote, under the model lock it took, so it names this move's version even when another client
     * moves or deletes the alias as soon as it commits.
     */
    @Transactional
    public Resolved moveAlias(String name, String alias, String version, String comment) {
        return moveAlias(name, alias, version, comment, MoveGuard.Authority.DIRECT);
    }

    @Transactional
    public Resolved moveAlias(String name, String alias, String version, String comment,
                              MoveGuard.Authority authority) {
        return sql(c -> resolved(c, aliases.move(c, name, alias, version, comment, authority), alias));
    }

    /** Moves a version to a stage and answers its resolution as the move left it (one transaction, as above). */
    @Transactional
    public Resolved changeStage(String name, String version, String stage, boolean archiveExisting, String comment) {
        return changeStage(name, version, stage, archiveExisting, comment, MoveGuard.Authority.DIRECT);
    }

    @Transactional
    public Resolved changeStage(String name, String version, String stage, boolean archiveExisting, String comment,
                                MoveGuard.Authority authority) {
        return sql(c -> resolved(c, stages.move(c, name, version, stage, archiveExisting, comment, authority)));
    }

    /**
     * The version with its pinned files. Each statement sees the latest commit (READ COMMITTED), so a delete
     * committed after the row was read has dropped its files by the time they are read: a live version always
     * pins at least one file, so none, with the version gone now, means it was deleted meanwhile (404), not a
     * version without files.
     */
    private Resolved resolved(Connection c, Row row) throws SQLException {
        return resolved(c, row, null);
    }

    /**
     * {@link #resolved(Connection, Row)}, naming how the version came to hold its stage — or the alias, when
     * given: the applied request or override since it got there, null when neither put it there.
     */
    private Resolved resolved(Connection c, Row row, String alias) throws SQLException {
        List<ArtifactFile> files = ModelVersionRepository.files(c, row.id()).stream()
                .map(f -> f.asArtifact(row.creationTime())).toList();
        if (files.isEmpty() && ModelVersionRepository.find(c, row.modelId(), row.version()).isEmpty()) {
            throw CairnException.notFound("Model Version (name=" + row.name() + ", version=" + row.version()
                    + ") not found");
        }
        long since = alias == null ? AuditRepository.stageEnteredAt(c, row.modelId(), row.version())
                : AuditRepository.aliasSetAt(c, row.modelId(), alias);
        MoveGuard.Placement placement = guard.placement(c, row.modelId(), row.version(), alias == null ? row.stage()
                : null, alias, since).orElse(null);
        return new Resolved(VersionViews.of(c, row), files, placement);
    }

    /** JDBC work on the current transaction's connection. */
    private <T> T sql(Jdbc.Work<T> work) {
        return Jdbc.call(dataSource, work);
    }
}
