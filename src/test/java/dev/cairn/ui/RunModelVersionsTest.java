package dev.cairn.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.registry.AliasService;
import dev.cairn.registry.ModelVersionService;
import dev.cairn.testsupport.CairnTestResources;
import dev.cairn.tracking.RunLookup;
import dev.cairn.ui.RunModelVersions.RegisterForm;
import dev.cairn.ui.RunModelVersions.VersionLink;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The run page's registry section is read before rendering (no template calls a bean): the versions
 * registered from the run and the register form's choices.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class RunModelVersionsTest {

    @Inject
    RunModelVersions section;

    @Inject
    ModelVersionService versions;

    @Inject
    AliasService aliases;

    @Inject
    RunLookup runLookup;

    @Test
    void theSectionListsTheVersionsFromTheRunAndWhatTheFormOffers() {
        String exp = UiTestData.experiment(UiTestData.unique("section"));
        String run = UiTestData.run(exp, "r", UiTestData.T0);
        UiTestData.artifact(exp, run, "other/notes.txt", "text/plain", "x".getBytes());
        UiTestData.artifact(exp, run, "model/MLmodel", "text/plain", "flavors: {}\n".getBytes());
        String model = UiTestData.unique("section-model");
        versions.registerFromRun(model, run, "model", "");
        aliases.setAlias(model, "champion", "1", null);

        assertEquals(List.of(new VersionLink(model, 1, "None", "none", List.of("champion"),
                "/models/" + model + "/versions/1")), section.of(run));
        RegisterForm form = section.registerForm(runLookup.require(run));
        assertNotNull(form);
        assertEquals("model", form.directories().get(0), "model directories first");
        assertTrue(form.directories().contains("other"), form.directories().toString());
        assertTrue(form.modelNames().contains(model), "existing models are suggested");
    }

    @Test
    void aRunWithoutArtifactsHasNoVersionsAndNoForm() {
        String run = UiTestData.run(UiTestData.experiment(UiTestData.unique("bare")), "r", UiTestData.T0);
        assertEquals(List.of(), section.of(run));
        assertNull(section.registerForm(runLookup.require(run)));
    }

    @Test
    void noTemplateCallsBeansWhileRendering() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("web", "templates"))) {
            List<Path> offenders = files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return Files.readString(f).matches("(?s).*\\b(inject|cdi):.*");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            assertEquals(List.of(), offenders, "page models are assembled before rendering");
        }
    }
}
