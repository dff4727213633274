package dev.cairn.ui;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/**
 * How much the web UI's pages show at most ({@code cairn.ui.*}, env {@code CAIRN_UI_*}): page sizes and the caps
 * that keep a page small whatever the data (a folder of 100,000 files, runs that each log their own keys).
 */
@ConfigMapping(prefix = "cairn.ui")
public interface UiConfig {

    /** Experiments per page of the home page. */
    @WithDefault("100")
    int experimentsPageSize();

    /** The page sizes the runs table offers ("Runs per page"); any other asked-for size falls back to the default. */
    @WithDefault("25,50,100,200")
    List<Integer> runPageSizes();

    /** Runs per page of the runs table unless another offered size is chosen (list it in run-page-sizes too). */
    @WithDefault("50")
    int runPageSize();

    /** Metric columns the runs table shows while none were picked: the first metric keys. */
    @WithDefault("6")
    int defaultMetricColumns();

    /** Param columns the runs table shows while none were picked: the first param keys. */
    @WithDefault("4")
    int defaultParamColumns();

    /** Most columns the runs table shows at once; columns picked beyond it are dropped. */
    @WithDefault("60")
    int maxColumns();

    /** Keys of each kind (metrics, params, tags) the column picker offers; tracking's key query returns 500 at most. */
    @WithDefault("500")
    int columnPickerKeys();

    /** Experiments offered by the cross-experiment runs page's experiment picker (most recent first). */
    @WithDefault("1000")
    int experimentChoices();

    /** Longest param or tag value in a runs-table cell, in characters; longer ones are cut and end in "…". */
    @WithDefault("120")
    int cellCharacters();

    /** Entries of one artifact folder listed on the run page; the rest are counted, not listed. */
    @WithDefault("1000")
    int artifactFolderEntries();

    /** How much of a text artifact its preview shows, in KiB. */
    @WithDefault("64")
    int textPreviewKib();

    /** Largest image artifact previewed inline, in MiB; larger images are download only. */
    @WithDefault("20")
    int imagePreviewMaxMib();

    /** Artifact directories of each kind (with an MLmodel, top-level) the "Register a model" form offers. */
    @WithDefault("100")
    int registrableDirectories();

    /** Existing model names the "Register a model" form suggests, most recently updated first. */
    @WithDefault("200")
    int modelNameSuggestions();

    /** Models per page of the models list. */
    @WithDefault("50")
    int modelsPageSize();

    /** Versions listed on a model page, newest first. */
    @WithDefault("500")
    int modelVersions();

    /** Entries per page of a model's history, also the version page's history (the registry allows 1 to 1000). */
    @WithDefault("50")
    int historyPageSize();

    /** Entries of a model page's "Recent history" (1 to 1000). */
    @WithDefault("15")
    int recentHistory();
}
