package dev.cairn.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cairn.tracking.runs.RunKeys;
import dev.cairn.ui.RunsPageModel.Choice;
import dev.cairn.ui.RunsPageModel.Column;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The runs table's columns: which are shown, what the picker offers, and how headers sort. */
class RunColumnsTest {

    static final RunKeys KEYS = new RunKeys(List.of("p1", "p2", "p3"), List.of("m1", "m2", "m3"), List.of("t1"));

    static RunsPageModel.State state(String order) {
        return new RunsPageModel.State("/experiments/1", null, "", order, List.of(), false, 50, 50);
    }

    @Test
    void withoutAPickTheFirstMetricsThenTheFirstParamsAreShown() {
        UiConfig config = UiConfigs.with(Map.of("defaultMetricColumns", 2, "defaultParamColumns", 1));
        assertEquals(List.of("m:m1", "m:m2", "p:p1"), RunColumns.columns(false, List.of(), KEYS, config));
    }

    @Test
    void pickedColumnsAreKeptInOrderWithoutInvalidOrRepeatedOnesUpToTheMaximum() {
        List<String> asked = List.of("t:t1", "x:nope", "m", "t:t1", "p:p2", "m:m3", "p:p3");
        assertEquals(List.of("t:t1", "p:p2", "m:m3", "p:p3"),
                RunColumns.columns(true, asked, KEYS, UiConfigs.defaults()));
        assertEquals(List.of("t:t1", "p:p2"),
                RunColumns.columns(true, asked, KEYS, UiConfigs.with(Map.of("maxColumns", 2))));
        assertEquals(List.of(), RunColumns.columns(true, List.of(), KEYS, UiConfigs.defaults()), "picked none");
    }

    @Test
    void thePickerOffersAtMostTheLimitAndKeepsChosenColumnsMissingFromTheSample() {
        List<String> cols = List.of("m:m2", "m:gone");
        List<Choice> choices = RunColumns.choices(KEYS.metrics(), "m:", Set.copyOf(cols), cols, 2);
        assertEquals(List.of(new Choice("m:m1", "m1", false), new Choice("m:m2", "m2", true),
                new Choice("m:gone", "gone", true)), choices);
    }

    @Test
    void aHeaderSortsMetricsAndStartTimeDescendingFirstAndTogglesTheCurrentOrder() {
        Column loss = RunColumns.header("m:val loss", "val loss", state(null));
        assertNull(loss.ariaSort());
        assertEquals("/experiments/1?order=metrics.%60val+loss%60+DESC", loss.sortUrl());
        Column sorted = RunColumns.header("m:val loss", "val loss", state("metrics.`val loss` DESC"));
        assertEquals("descending", sorted.ariaSort());
        assertEquals("▼", sorted.arrow());
        assertEquals("/experiments/1?order=metrics.%60val+loss%60+ASC", sorted.sortUrl());
        assertEquals("/experiments/1?order=params.%60lr%60+ASC", RunColumns.header("p:lr", "lr", state(null)).sortUrl());
        // start time is sorted descending by default: its header shows that, and the default order leaves the URL
        Column started = RunColumns.header("a:start_time", "Started (UTC)", state(null));
        assertEquals("descending", started.ariaSort());
        assertEquals("/experiments/1?order=attributes.start_time+ASC", started.sortUrl());
        assertEquals("/experiments/1",
                RunColumns.header("a:start_time", "Started (UTC)", state("attributes.start_time ASC")).sortUrl());
    }
}
