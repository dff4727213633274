package dev.cairn.access;

import dev.cairn.access.GrantRepository.Resource;
import dev.cairn.common.Caller;
import dev.cairn.common.Created;
import dev.cairn.common.Jdbc;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** MLflow's rule: whoever creates an experiment or a registered model gets MANAGE on it, in the same transaction. */
@ApplicationScoped
public class CreatorGrants {

    @Inject Caller caller;

    @Inject AgroalDataSource dataSource;

    void onCreated(@Observes Created created) {
        if (!caller.isUser()) {
            return; // local mode: nobody to grant
        }
        Resource resource = created.kind() == Created.Kind.EXPERIMENT ? Resource.EXPERIMENT : Resource.MODEL;
        long userId = caller.principal().userId();
        Jdbc.run(dataSource, c -> GrantRepository.insertUser(c, resource, created.id(), userId,
                Permission.MANAGE.rank()));
    }
}
