package dev.cairn.registry;

import dev.cairn.common.Caller;
import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.registry.ModelRefRepository.ModelRef;
import dev.cairn.registry.ModelVersionRepository.Row;
import dev.cairn.registry.RegistryAudit.Action;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Stage changes of model versions, checked against {@link Stage}'s transition table. A promotion with
 * {@code archive_existing_versions} archives the other holders of the stage in the same transaction; the
 * model's row lock, taken first, makes concurrent promotions queue, so the stage never ends up holding two.
 */
@ApplicationScoped
public class StageTransitions {

    @Inject Caller caller;

    @Inject RegistryEvents events;

    @Inject AgroalDataSource dataSource;

    /**
     * Moves a version to a stage. With {@code archiveExisting} and an active target (Staging, Production),
     * every other version in that stage moves to Archived, each move recorded in the audit history.
     */
    @Transactional
    public ModelVersionView transition(String name, String version, String stageName, boolean archiveExisting,
                                       String comment) {
        return Jdbc.call(dataSource, c -> VersionViews.of(c, move(c, name, version, stageName, archiveExisting,
                comment)));
    }

    /**
     * The move itself, on the caller's transactional connection; returns the version's row as this move
     * left it, read under the model's row lock, so an answer built from it describes this move even when
     * another client changes or deletes the version right after the commit.
     */
    Row move(Connection c, String name, String version, String stageName, boolean archiveExisting, String comment)
            throws SQLException {
        int number = RegistryInput.version(version);
        Stage target = Stage.parse(stageName);
        RegistryInput.comment(comment);
        if (archiveExisting && !target.active()) {
            // MLflow answers this with a code-less 500; a client mistake deserves a 400.
            throw CairnException.invalid("Model version transition cannot archive existing model versions because '"
                    + target.wire() + "' is not an Active stage. Valid stages are Staging, Production");
        }
        ModelRef m = RegistryLookup.lockModel(c, name);
        Row row = RegistryLookup.version(c, m, number);
        if (!row.stage().canMoveTo(target)) {
            throw CairnException.invalid("Version " + number + " cannot move from " + row.stage().wire()
                    + " to " + target.wire());
        }
        long now = System.currentTimeMillis();
        ModelVersionRepository.setStage(c, row.id(), target, now);
        AuditRepository.record(c, caller.auditName(), m.id(), m.name(), now,
                RegistryAudit.stage(Action.STAGE_CHANGED, number, row.stage().wire(), target.wire()).comment(comment));
        events.stageChanged(c, m, number, row.stage(), target, caller.auditName(), comment);
        if (archiveExisting) {
            for (int other : ModelVersionRepository.archiveOthers(c, m.id(), number, target, now)) {
                events.stageChanged(c, m, other, target, Stage.ARCHIVED, caller.auditName(), "archived by the move of "
                        + "version " + number + " to " + target.wire());
                AuditRepository.record(c, caller.auditName(), m.id(), m.name(), now, RegistryAudit.stage(Action.STAGE_CHANGED, other,
                        target.wire(), Stage.ARCHIVED.wire()).comment("archived by the move of version " + number
                        + " to " + target.wire() + (comment == null || comment.isBlank() ? "" : ": " + comment)));
            }
        }
        ModelRefRepository.touch(c, m.id(), now);
        return RegistryLookup.version(c, m, number);
    }
}
