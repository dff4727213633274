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
import java.util.List;

/**
 * Stage changes of model versions, checked against {@link Stage}'s transition table. A promotion with
 * {@code archive_existing_versions} archives the other holders of the stage in the same transaction; the
 * model's row lock, taken first, makes concurrent promotions queue, so the stage never ends up holding two.
 */
@ApplicationScoped
public class StageTransitions {

    @Inject Caller caller;

    @Inject AgroalDataSource dataSource;

    @Inject RegistryEvents events;

    @Inject MoveGuard guard;

    /**
     * Moves a version to a stage. With {@code archiveExisting} and an active target (Staging, Production),
     * every other version in that stage moves to Archived, each move recorded in the audit history.
     */
    /** A direct move: the model's policy decides whether it may happen. */
    @Transactional
    public ModelVersionView transition(String name, String version, String stageName, boolean archiveExisting,
                                       String comment) {
        return transition(name, version, stageName, archiveExisting, comment, MoveGuard.Authority.DIRECT);
    }

    @Transactional
    public ModelVersionView transition(String name, String version, String stageName, boolean archiveExisting,
                                       String comment, MoveGuard.Authority authority) {
        return Jdbc.call(dataSource, c -> VersionViews.of(c, move(c, name, version, stageName, archiveExisting,
                comment, authority)));
    }

    /**
     * The move itself, on the caller's transactional connection; returns the version's row as this move
     * left it, read under the model's row lock, so an answer built from it describes this move even when
     * another client changes or deletes the version right after the commit.
     */
    Row move(Connection c, String name, String version, String stageName, boolean archiveExisting, String comment,
             MoveGuard.Authority authority) throws SQLException {
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
        MoveGuard.Move move = new MoveGuard.Move(m.id(), m.name(), MoveGuard.Kind.STAGE, number, row.stage(), target,
                null, null, List.of(), authority, now);
        guard.check(c, move);
        ModelVersionRepository.setStage(c, row.id(), target, now);
        AuditRepository.record(c, caller.auditName(), m.id(), m.name(), now,
                RegistryAudit.stage(Action.STAGE_CHANGED, number, row.stage().wire(), target.wire()).comment(comment));
        events.stageChanged(c, m, number, row.stage(), target, caller.auditName(), comment);
        List<Integer> archived = archiveExisting ? ModelVersionRepository.archiveOthers(c, m.id(), number, target, now)
                : List.of();
        for (int other : archived) {
            String why = "archived by the move of version " + number + " to " + target.wire();
            AuditRepository.record(c, caller.auditName(), m.id(), m.name(), now, RegistryAudit.stage(Action.STAGE_CHANGED,
                    other, target.wire(), Stage.ARCHIVED.wire()).comment(why
                    + (comment == null || comment.isBlank() ? "" : ": " + comment)));
            events.stageChanged(c, m, other, target, Stage.ARCHIVED, caller.auditName(), why);
        }
        ModelRefRepository.touch(c, m.id(), now);
        guard.moved(c, move.withArchived(archived));
        return RegistryLookup.version(c, m, number);
    }
}
