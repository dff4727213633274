package dev.cairn.registry;

import dev.cairn.common.CairnException;
import dev.cairn.common.KeyValue;
import dev.cairn.registry.ModelRefRepository.ModelRef;
import dev.cairn.registry.ModelVersionRepository.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public way for the governance feature to read and move versions (the registry owns its tables), on the
 * caller's transactional connection: the model's row lock first, then what gates look at, then the approved move
 * itself, so a request's last approval, its gates and its move are one transaction under that lock.
 */
@ApplicationScoped
public class Promotions {

    @Inject StageTransitions stages;

    @Inject AliasService aliases;

    /** A registered model as governance names it. */
    public record Model(long id, String name) {
    }

    /** What a version's gates look at: its stage, pins, source and tags. */
    public record Candidate(int version, Stage stage, String manifestDigest, String runId, String loggedModelId,
                            Map<String, String> tags, List<String> files, String creator) {
    }

    /** The model with its row lock held until the caller's transaction ends; MLflow's 404 when missing. */
    public Model lock(Connection c, String name) throws SQLException {
        ModelRef m = RegistryLookup.lockModel(c, name);
        return new Model(m.id(), m.name());
    }

    /** The model without a lock (reads). */
    public Model find(Connection c, String name) throws SQLException {
        ModelRef m = RegistryLookup.model(c, name);
        return new Model(m.id(), m.name());
    }

    /** The model by id (a comment or request names it so). */
    public Model byId(Connection c, long id) throws SQLException {
        ModelRef m = ModelRefRepository.findById(c, id).orElseThrow(() -> CairnException.notFound(
                "Registered Model with id=" + id + " not found"));
        return new Model(m.id(), m.name());
    }

    /** The live version, or MLflow's 404. */
    public Candidate version(Connection c, Model m, int number) throws SQLException {
        Row row = RegistryLookup.version(c, new ModelRef(m.id(), m.name()), number);
        Map<String, String> tags = new LinkedHashMap<>();
        for (KeyValue t : TagRepository.VERSIONS.load(c, List.of(row.id())).getOrDefault(row.id(), List.of())) {
            tags.put(t.key(), t.value());
        }
        List<String> files = ModelVersionRepository.files(c, row.id()).stream()
                .map(ModelVersionRepository.PinnedFile::path).toList();
        return new Candidate(row.version(), row.stage(), row.manifestDigest(), row.runId(), row.loggedModelId(), tags,
                files, row.userId());
    }

    /** The live version, if it exists. */
    public Optional<Candidate> findVersion(Connection c, Model m, int number) throws SQLException {
        return ModelVersionRepository.find(c, m.id(), number).isPresent() ? Optional.of(version(c, m, number))
                : Optional.empty();
    }

    /** The stage's current holder: its highest version (what deployments resolve the stage to). */
    public Optional<Integer> holder(Connection c, long modelId, Stage stage) throws SQLException {
        return ModelVersionRepository.latestPerStage(c, modelId, List.of(stage)).stream().map(Row::version).findFirst();
    }

    /** The version an alias names, if it is set. */
    public Optional<Integer> aliasTarget(Connection c, long modelId, String alias) throws SQLException {
        return AliasRepository.find(c, modelId, alias);
    }

    /** When the version took the stage it is in (or, with {@code alias}, when that alias was pointed at it). */
    public long placedAt(Connection c, long modelId, int version, String alias) throws SQLException {
        return alias == null ? AuditRepository.stageEnteredAt(c, modelId, version)
                : AuditRepository.aliasSetAt(c, modelId, alias);
    }

    /** The aliases naming the version. */
    public List<String> aliasesOf(Connection c, long modelId, int version) throws SQLException {
        return AliasRepository.of(c, modelId).entrySet().stream().filter(e -> e.getValue() == version)
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** Every alias of the model and the version it names. */
    public Map<String, Integer> aliases(Connection c, long modelId) throws SQLException {
        return AliasRepository.of(c, modelId);
    }

    /** Moves the version as the applied request {@code requestId} says, in the caller's transaction. */
    public void applyStage(Connection c, Model m, int version, Stage to, boolean archiveExisting, String comment,
                           String requestId) throws SQLException {
        stages.move(c, m.name(), String.valueOf(version), to.wire(), archiveExisting, comment,
                MoveGuard.Authority.request(requestId));
    }

    /** Points the alias at the version as the applied request {@code requestId} says. */
    public void applyAlias(Connection c, Model m, String alias, int version, String comment, String requestId)
            throws SQLException {
        aliases.move(c, m.name(), alias, String.valueOf(version), comment, MoveGuard.Authority.request(requestId));
    }

    /** A version number from the wire, with MLflow's refusal of anything else. */
    public static int versionNumber(String version) {
        return RegistryInput.version(version);
    }

    /** MLflow's alias validation, for requests naming one. */
    public static void validateAlias(String alias) {
        AliasService.validateAlias(alias);
    }
}
