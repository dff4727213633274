package dev.cairn.ui;

import dev.cairn.ui.RegistryPageModel.VersionView;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Renders the version page — the registry's view of the version with its Promotion section — for the registry's
 * and the governance forms alike, so a refused action of either re-renders the same page with its message.
 */
@ApplicationScoped
public class VersionPage {

    @Inject RegistryPageModel views;

    @Inject PromotionPageModel promotions;

    @Inject PageAccess access;

    /**
     * Version {@code version} (a number, or what the registry resolves) of model {@code name}; {@code error} above
     * the forms (else null), the gate preview of {@code previewStage} (else null), and the gates of a refused
     * approval ({@code refusedGates}, else null).
     */
    TemplateInstance render(String name, String version, String error, String previewStage, List<?> refusedGates) {
        VersionView v = views.version(name, version, error);
        return RegistryPages.Templates.version(v, access.model(name),
                promotions.of(name, v.number(), previewStage, refusedGates));
    }
}
